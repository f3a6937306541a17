"""Fuzzing the read-and-edit path (issue 8): 2,000 generated examples per property in a
thorough run (``SDD_TUI_HYPOTHESIS=thorough``), a few hundred in the README's run
(``helpers.examples``).

Documents come from ``helpers.markdown.markdown_bytes``: tasks, nested and numbered lists, fences
(closed and unclosed), HTML comments, tables, front matter, LF/CRLF/CR mixes, a BOM and
unicode.  The properties:

- parsing never raises (anything that is not text is a ``DecodeProblem``, never a crash);
- done-and-back of any task is byte-exact (``SourceText.replace`` for every box of every
  example, and the real ``set_box`` path — fresh read, locate, atomic write — on a temp file);
- nothing inside a fence or an HTML comment is a task;
- ``board.json`` survives any interleaving of moves and reorders, some computed on stale
  snapshots (as two processes would): afterwards it parses, is canonical and every task sits
  in the column of the last move applied to it.

Everything here is ``slow`` (``.ci/run`` runs it); tests/unit/test_properties.py checks the
same properties on larger generated documents, with fewer examples.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.examples import examples
from helpers.markdown import HIDDEN, markdown_bytes, parse_md, toggle_roundtrip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdd_tui.formats.board_state import dump_board, parse_board
from sdd_tui.formats.tasks import build_checklist, build_tasks
from sdd_tui.formats.text import DecodeProblem
from sdd_tui.model.workspace import Columns

pytestmark = pytest.mark.slow

EXAMPLES = examples(300, 2000)
BYTES_EXAMPLES = examples(500, 2000)  # cheap: no generator of documents
REAL_PATH_EXAMPLES = examples(100, 500)  # each example writes the file twice
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COLUMNS = Columns(("todo", "in_progress", "review", "done"))
SMALL_DOC = markdown_bytes(max_blocks=6)


# --------------------------------------------------------------------------- fast disk


@pytest.fixture(scope="module", autouse=True)
def _no_fsync():
    """fsync is what makes a write durable, not what makes it right; the crash-safety tests
    keep it.  Here it would only make 2,000 examples take minutes."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "fsync", lambda fd: None)
        yield


# --------------------------------------------------------------------------- documents


@FUZZ
@given(SMALL_DOC)
def test_generated_markdown_properties(raw: bytes) -> None:
    """One stream of 2,000 documents, three properties checked on each: parsing never raises,
    done-and-back of every task is byte-exact, nothing in a fence or comment is a task."""
    doc = parse_md(raw)  # generated documents are UTF-8: no DecodeProblem either
    for native in (False, True):
        tasks, _problems = build_tasks("f", doc.boxes, {}, COLUMNS, native_in_progress=native)
        assert len({t.key for t in tasks}) == len(tasks)
    build_checklist("f", doc.boxes)
    for box in doc.boxes:
        assert HIDDEN not in box.text, box
        assert not doc.md.is_code(box.line)
        once, back = toggle_roundtrip(doc.src, box)
        assert back == raw
        assert len(once) == len(raw)
        assert sum(1 for a, b in zip(once, raw, strict=True) if a != b) == 1


_NASTY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("-*+1.[]xX `~<>!#|\t\r\n\ufeff\x00\x1b\u202e")),
        st.characters(),
    ),
    max_size=200,
)


@settings(FUZZ, max_examples=BYTES_EXAMPLES)
@given(
    st.one_of(
        st.binary(max_size=200),
        _NASTY_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")),
        _NASTY_TEXT.map(lambda s: b"\xef\xbb\xbf" + s.encode("utf-8", "surrogatepass")),
    )
)
def test_parsing_arbitrary_bytes_never_raises(raw: bytes) -> None:
    """Bytes that are not (valid) text are a one-line DecodeProblem, never a crash."""
    try:
        doc = parse_md(raw)
    except DecodeProblem as exc:
        assert exc.line is None or exc.line >= 1
        assert str(exc) and "\n" not in str(exc)
        return
    for native in (False, True):
        build_tasks("f", doc.boxes, {}, COLUMNS, native_in_progress=native)
    for box in doc.boxes:
        _once, back = toggle_roundtrip(doc.src, box)
        assert back == raw


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-ws")
    (root / "specs").mkdir()
    return root


@settings(FUZZ, max_examples=REAL_PATH_EXAMPLES)
@given(doc=SMALL_DOC, pick=st.integers(0, 1000))
def test_done_and_back_through_set_box_on_disk_is_byte_exact(
    scratch: Path, doc: bytes, pick: int
) -> None:
    """The real write path: fresh read, locate by line, atomic write with compare, twice."""
    from sdd_tui.operations.boxes import set_box

    parsed = parse_md(doc)
    if not parsed.boxes:
        return
    box = parsed.boxes[pick % len(parsed.boxes)]
    rel = "specs/tasks.md"
    path = scratch / rel
    path.write_bytes(doc)
    os.chmod(path, 0o640)

    def locate(d):  # type: ignore[no-untyped-def]
        return next(b for b in d.boxes if b.line == box.line)

    target = " " if box.mark in "xX" else "x"
    old, new = set_box(scratch, rel, locate, lambda d, b: target, what="t")
    assert (old, new) == (box.mark, target)
    once = path.read_bytes()
    assert len(once) == len(doc) and once != doc
    set_box(scratch, rel, locate, lambda d, b: box.mark, what="t")
    assert path.read_bytes() == doc
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in scratch.joinpath("specs").iterdir()] == ["tasks.md"]  # no temp left


# --------------------------------------------------------------------------- board.json

KEYS = ("T001", "T002", "T003", "T004", "T005")
TASKS_MD = (
    b"# Tasks\n\n## Phase 1\n\n- [ ] T001 first\n- [x] T002 second\n"
    b"- [ ] T003 third\n  - [ ] T004 child of third\n\n## Phase 2\n\n1. [X] T005 numbered\n"
)
INITIAL = {"T001": "todo", "T002": "done", "T003": "todo", "T004": "todo", "T005": "done"}

_OP = st.one_of(
    st.tuples(st.just("move"), st.sampled_from(KEYS), st.sampled_from(COLUMNS.ids), st.booleans()),
    st.tuples(
        st.just("reorder"), st.sampled_from(KEYS), st.sampled_from([-2, -1, 1, 2]), st.booleans()
    ),
)


@pytest.fixture(scope="module")
def board_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("board-ws")
    (root / "specs" / "001-fuzz").mkdir(parents=True)
    (root / ".sdd").mkdir()
    return root


def _canonical(raw: bytes) -> bool:
    data = json.loads(raw)
    return raw == (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


@FUZZ
@given(ops=st.lists(_OP, min_size=1, max_size=5))
def test_board_json_survives_any_interleaving_of_moves(board_ws: Path, ops: list) -> None:
    from sdd_tui.operations.board import move, reorder
    from sdd_tui.workspace.loader import load

    root = board_ws
    tasks_md = root / "specs" / "001-fuzz" / "tasks.md"
    tasks_md.write_bytes(TASKS_MD)
    (root / ".sdd" / "board.json").unlink(missing_ok=True)
    expected = dict(INITIAL)
    stale = load(root)
    for op, key, arg, use_stale in ops:
        loaded = stale if use_stale else load(root)  # stale = another process's snapshot
        if op == "move":
            move(loaded, "001-fuzz", key, arg)
            expected[key] = arg
        else:
            reorder(loaded, "001-fuzz", key, arg)
        if not use_stale:
            stale = loaded
    board = root / ".sdd" / "board.json"
    if board.exists():
        raw = board.read_bytes()
        parse_board(raw)
        assert _canonical(raw), raw
        assert dump_board(json.loads(raw)) == raw
    final = load(root)
    assert not [p for p in final.workspace.problems if "board" in p.path], final.workspace.problems
    feature = final.workspace.feature("001-fuzz")
    assert feature is not None
    assert {t.key: t.column for t in feature.tasks} == expected
    # Only box characters changed in tasks.md: same length, same lines otherwise.
    after = tasks_md.read_bytes()
    assert len(after) == len(TASKS_MD)
    assert [i for i, (a, b) in enumerate(zip(after, TASKS_MD, strict=True)) if a != b] == [
        i for i, (a, b) in enumerate(zip(after, TASKS_MD, strict=True)) if a != b and b in b" xX"
    ]
