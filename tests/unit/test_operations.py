"""Board operations (issue 2, "Editing"): move, toggle and reorder land in the files, minimally.

A move flips only the box character; columns a box cannot express go to ``.sdd/board.json``;
a file changed on disk since the load is re-parsed and the move re-applied by task key.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from sdd_tui.operations import boxes as boxes_mod
from sdd_tui.operations.board import move, reorder, toggle
from sdd_tui.operations.boxes import OperationError
from sdd_tui.workspace.loader import load
from sdd_tui.workspace.writer import atomic_write

SPECKIT_TASKS = "specs/001-demo/tasks.md"
KIRO_TASKS = ".kiro/specs/auth/tasks.md"
OPENSPEC_TASKS = "openspec/changes/add-x/tasks.md"
BOARD = ".sdd/board.json"

SPECKIT = """\
# Tasks: Demo

## Phase 1: Setup

- [ ] T001 Create the project
- [x] T002 [P] Add a linter
- [ ] T003 [US1] Write the parser
  - [ ] T003a Tokens
  - [ ] T003b Grammar
- [~] T004 Something odd
- [ ] T005 Last one
"""

KIRO = """\
# Implementation Plan

- [ ] 1. Set up project
  - [x] 1.1 Create skeleton
    - _Requirements: 1.1_
  - [-] 1.2 Write config
- [ ]* 2. Optional tests
- [~] 3. Odd mark
"""

OPENSPEC = """\
## 1. Do

- [ ] 1.1 First
- [X] 1.2 Second
- [X] 1.3 Third
- [ ] Untitled thing
"""


def make_ws(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_ws(
        tmp_path / "ws",
        {
            SPECKIT_TASKS: SPECKIT,
            "specs/001-demo/spec.md": "# Spec\n\n- **FR-001**: System MUST work.\n",
            KIRO_TASKS: KIRO,
            ".kiro/specs/auth/requirements.md": "# Requirements\n",
            OPENSPEC_TASKS: OPENSPEC,
            "openspec/changes/add-x/proposal.md": "# Proposal\n",
        },
    )


def read(root: Path, rel: str) -> bytes:
    return (root / rel).read_bytes()


def byte_diff(a: bytes, b: bytes) -> list[tuple[int, bytes, bytes]]:
    assert len(a) == len(b), "a move must not change the file's length"
    return [(i, a[i : i + 1], b[i : i + 1]) for i in range(len(a)) if a[i] != b[i]]


def column_of(root: Path, feature: str, key: str) -> str:
    f = load(root).workspace.feature(feature)
    assert f is not None
    t = f.task(key)
    assert t is not None
    return t.column


def board(root: Path) -> dict:
    p = root / BOARD
    return json.loads(p.read_bytes()) if p.exists() else {"tasks": {}}


# --- Spec Kit -------------------------------------------------------------------------------


def test_todo_to_done_writes_x_and_one_byte(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    change = move(load(ws), "001-demo", "T001", "done")
    after = read(ws, SPECKIT_TASKS)
    [(_, old, new)] = byte_diff(before, after)
    assert (old, new) == (b" ", b"x")
    assert b"- [x] T001 Create the project\n" in after
    assert change.from_column == "todo" and change.to_column == "done"
    assert change.files == (SPECKIT_TASKS,)
    assert not (ws / BOARD).exists()  # nothing for the board to remember
    assert column_of(ws, "001-demo", "T001") == "done"


def test_done_uses_upper_case_when_the_file_does(ws: Path) -> None:
    before = read(ws, OPENSPEC_TASKS)
    move(load(ws), "add-x", "1.1", "done")
    [(_, old, new)] = byte_diff(before, read(ws, OPENSPEC_TASKS))
    assert (old, new) == (b" ", b"X")


def test_done_to_todo_writes_a_space(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    change = move(load(ws), "001-demo", "T002", "todo")
    [(_, old, new)] = byte_diff(before, read(ws, SPECKIT_TASKS))
    assert (old, new) == (b"x", b" ")
    assert change.from_column == "done" and change.to_column == "todo"
    assert column_of(ws, "001-demo", "T002") == "todo"


def test_upper_case_done_to_todo(ws: Path) -> None:
    before = read(ws, OPENSPEC_TASKS)
    move(load(ws), "add-x", "1.2", "todo")
    [(_, old, new)] = byte_diff(before, read(ws, OPENSPEC_TASKS))
    assert (old, new) == (b"X", b" ")


@pytest.mark.parametrize("column", ["in_progress", "review"])
def test_speckit_between_columns_only_touch_board_json(ws: Path, column: str) -> None:
    before = read(ws, SPECKIT_TASKS)
    change = move(load(ws), "001-demo", "T001", column)
    assert read(ws, SPECKIT_TASKS) == before
    assert change.files == (BOARD,)
    raw = read(ws, BOARD)
    data = json.loads(raw)
    assert raw == (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()
    assert data["tasks"] == {"001-demo/T001": {"column": column}}
    assert column_of(ws, "001-demo", "T001") == column
    # back to todo: the entry goes away; the Markdown was never touched
    move(load(ws), "001-demo", "T001", "todo")
    assert board(ws)["tasks"] == {}
    assert read(ws, SPECKIT_TASKS) == before


def test_speckit_done_to_review_unchecks_and_stores_the_column(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    change = move(load(ws), "001-demo", "T002", "review")
    [(_, old, new)] = byte_diff(before, read(ws, SPECKIT_TASKS))
    assert (old, new) == (b"x", b" ")
    assert set(change.files) == {SPECKIT_TASKS, BOARD}
    assert board(ws)["tasks"] == {"001-demo/T002": {"column": "review"}}
    # review → done: box checked again, board entry dropped
    move(load(ws), "001-demo", "T002", "done")
    assert read(ws, SPECKIT_TASKS) == before
    assert board(ws)["tasks"] == {}


def test_move_keeps_unknown_board_keys(ws: Path) -> None:
    (ws / ".sdd").mkdir()
    (ws / BOARD).write_text(
        '{"tasks": {"001-demo/T005": {"column": "review", "note": "keep"}}, "x-extra": [1]}',
        encoding="utf-8",
    )
    move(load(ws), "001-demo", "T001", "review")
    data = board(ws)
    assert data["x-extra"] == [1]
    assert data["tasks"]["001-demo/T005"] == {"column": "review", "note": "keep"}
    assert data["tasks"]["001-demo/T001"] == {"column": "review"}
    move(load(ws), "001-demo", "T005", "todo")
    assert board(ws)["tasks"]["001-demo/T005"] == {"note": "keep"}


def test_noop_move_writes_nothing(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    change = move(load(ws), "001-demo", "T002", "done")
    assert change.noop
    assert read(ws, SPECKIT_TASKS) == before
    assert not (ws / BOARD).exists()


def test_move_by_slug_key_for_a_task_without_id(ws: Path) -> None:
    before = read(ws, OPENSPEC_TASKS)
    move(load(ws), "add-x", "untitled-thing", "done")
    [(_, old, new)] = byte_diff(before, read(ws, OPENSPEC_TASKS))
    assert (old, new) == (b" ", b"X")
    assert b"- [X] Untitled thing" in read(ws, OPENSPEC_TASKS)


def test_move_a_subtask_touches_only_its_box(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    move(load(ws), "001-demo", "T003b", "done")
    after = read(ws, SPECKIT_TASKS)
    assert len(byte_diff(before, after)) == 1
    assert b"  - [x] T003b Grammar\n" in after
    assert b"- [ ] T003 [US1]" in after


def test_duplicate_ids_move_the_right_one(tmp_path: Path) -> None:
    text = "- [ ] T001 first\n- [ ] T002 middle\n- [ ] T001 second\n"
    root = make_ws(tmp_path / "w", {SPECKIT_TASKS: text})
    loaded = load(root)
    keys = [t.key for t in loaded.workspace.features[0].tasks]
    assert keys == ["T001", "T002", "T001#2"]
    move(loaded, "001-demo", "T001#2", "done")
    assert read(root, SPECKIT_TASKS) == b"- [ ] T001 first\n- [ ] T002 middle\n- [x] T001 second\n"


# --- Kiro -----------------------------------------------------------------------------------


def test_kiro_in_progress_writes_dash(ws: Path) -> None:
    before = read(ws, KIRO_TASKS)
    change = move(load(ws), "auth", "1", "in_progress")
    [(_, old, new)] = byte_diff(before, read(ws, KIRO_TASKS))
    assert (old, new) == (b" ", b"-")
    assert change.files == (KIRO_TASKS,)
    assert not (ws / BOARD).exists()  # the box says it all
    assert column_of(ws, "auth", "1") == "in_progress"


def test_kiro_dash_back_to_todo_and_to_done(ws: Path) -> None:
    before = read(ws, KIRO_TASKS)
    move(load(ws), "auth", "1.2", "todo")
    [(_, old, new)] = byte_diff(before, read(ws, KIRO_TASKS))
    assert (old, new) == (b"-", b" ")
    move(load(ws), "auth", "1.2", "done")
    [(_, old, new)] = byte_diff(before, read(ws, KIRO_TASKS))
    assert (old, new) == (b"-", b"x")
    move(load(ws), "auth", "1.2", "in_progress")
    assert read(ws, KIRO_TASKS) == before


def test_kiro_done_to_in_progress_and_review(ws: Path) -> None:
    before = read(ws, KIRO_TASKS)
    move(load(ws), "auth", "1.1", "in_progress")
    [(_, old, new)] = byte_diff(before, read(ws, KIRO_TASKS))
    assert (old, new) == (b"x", b"-")
    move(load(ws), "auth", "1.1", "review")
    assert board(ws)["tasks"] == {"auth/1.1": {"column": "review"}}
    assert b"  - [-] 1.1 Create skeleton" in read(ws, KIRO_TASKS)
    assert column_of(ws, "auth", "1.1") == "review"


def test_kiro_optional_task_keeps_its_star(ws: Path) -> None:
    move(load(ws), "auth", "2", "done")
    assert b"- [x]* 2. Optional tests\n" in read(ws, KIRO_TASKS)


# --- unknown marks --------------------------------------------------------------------------


def test_unknown_marks_are_never_rewritten_by_load(ws: Path) -> None:
    before = {rel: read(ws, rel) for rel in (SPECKIT_TASKS, KIRO_TASKS)}
    loaded = load(ws)
    t4 = loaded.workspace.feature("001-demo").task("T004")
    assert t4.mark == "~" and not t4.known_mark
    assert loaded.workspace.feature("auth").task("3").mark == "~"
    # moving other tasks of the same files leaves them alone too
    move(loaded, "001-demo", "T005", "done")
    move(load(ws), "auth", "1", "in_progress")
    assert b"- [~] T004 Something odd\n" in read(ws, SPECKIT_TASKS)
    assert b"- [~] 3. Odd mark\n" in read(ws, KIRO_TASKS)
    for rel, raw in before.items():
        assert len(byte_diff(raw, read(ws, rel))) == 1


def test_unknown_mark_between_columns_is_kept(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    move(load(ws), "001-demo", "T004", "review")
    assert read(ws, SPECKIT_TASKS) == before
    assert column_of(ws, "001-demo", "T004") == "review"


def test_unknown_mark_to_done_on_request(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    change = move(load(ws), "001-demo", "T004", "done")
    [(_, old, new)] = byte_diff(before, read(ws, SPECKIT_TASKS))
    assert (old, new) == (b"~", b"x")
    assert change.from_mark == "~"


# --- bytes that must survive ----------------------------------------------------------------


def test_crlf_bom_tabs_and_no_final_newline_survive(tmp_path: Path) -> None:
    raw = (
        b"\xef\xbb\xbf# Tasks \xe2\x80\x94 caf\xc3\xa9\r\n"
        b"\r\n"
        b"- [ ] T001 First \xf0\x9f\xa5\x95  \r\n"
        b"\t- [ ] T002\tTabbed\t\r\n"
        b"- [X] T003 Done already\r\n"
        b"- [ ] T004 Last, no newline"
    )
    root = make_ws(tmp_path / "w", {SPECKIT_TASKS: raw})
    for key, column, flip in [
        ("T004", "done", (b" ", b"X")),
        ("T002", "done", (b" ", b"X")),
        ("T003", "todo", (b"X", b" ")),
        ("T001", "review", None),
    ]:
        before = read(root, SPECKIT_TASKS)
        move(load(root), "001-demo", key, column)
        after = read(root, SPECKIT_TASKS)
        diff = [(o, n) for _, o, n in byte_diff(before, after)]
        assert diff == ([] if flip is None else [flip])
    final = read(root, SPECKIT_TASKS)
    assert final.startswith(b"\xef\xbb\xbf# Tasks")
    assert final.count(b"\r\n") == raw.count(b"\r\n")
    assert final.endswith(b"- [X] T004 Last, no newline")
    assert b"\t- [X] T002\tTabbed\t\r\n" in final
    # and back again (re-check T003 while the file still shows its upper-case style)
    for key, column in [("T003", "done"), ("T004", "todo"), ("T002", "todo"), ("T001", "todo")]:
        move(load(root), "001-demo", key, column)
    assert read(root, SPECKIT_TASKS) == raw


def test_lone_cr_line_endings_survive(tmp_path: Path) -> None:
    raw = b"# T\r\r- [ ] T001 a\r- [ ] T002 b\r"
    root = make_ws(tmp_path / "w", {SPECKIT_TASKS: raw})
    move(load(root), "001-demo", "T002", "done")
    assert read(root, SPECKIT_TASKS) == raw.replace(b"[ ] T002", b"[x] T002")


def test_file_mode_is_preserved(ws: Path) -> None:
    path = ws / SPECKIT_TASKS
    os.chmod(path, 0o640)
    move(load(ws), "001-demo", "T001", "done")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    os.chmod(path, 0o755)
    move(load(ws), "001-demo", "T001", "todo")
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_no_temp_files_are_left_behind(ws: Path) -> None:
    move(load(ws), "001-demo", "T001", "done")
    move(load(ws), "001-demo", "T001", "review")
    leftovers = [p for p in ws.rglob("*") if p.name.endswith(".sdd-tmp")]
    assert leftovers == []


# --- the file changed since the load --------------------------------------------------------


def test_conflict_reapplies_by_key_and_keeps_the_other_edit(ws: Path) -> None:
    loaded = load(ws)  # snapshot taken before "someone else" edits the file
    path = ws / SPECKIT_TASKS
    edited = path.read_bytes().replace(
        b"## Phase 1: Setup\n\n",
        b"## Phase 1: Setup\n\nSomeone else's note.\n\n- [ ] T000 Inserted above\n",
    )
    path.write_bytes(edited)
    move(loaded, "001-demo", "T003", "done")
    after = path.read_bytes()
    [(_, old, new)] = byte_diff(edited, after)
    assert (old, new) == (b" ", b"x")
    assert b"- [x] T003 [US1] Write the parser\n" in after
    assert b"Someone else's note.\n\n- [ ] T000 Inserted above\n" in after


def test_conflict_task_already_done_on_disk(ws: Path) -> None:
    loaded = load(ws)
    path = ws / SPECKIT_TASKS
    path.write_bytes(path.read_bytes().replace(b"[ ] T001", b"[X] T001"))
    edited = path.read_bytes()
    change = move(loaded, "001-demo", "T001", "done")
    assert path.read_bytes() == edited
    assert SPECKIT_TASKS not in change.files


def test_task_deleted_on_disk_is_refused(ws: Path) -> None:
    loaded = load(ws)
    path = ws / SPECKIT_TASKS
    edited = path.read_bytes().replace(b"- [ ] T005 Last one\n", b"")
    path.write_bytes(edited)
    with pytest.raises(OperationError, match="T005"):
        move(loaded, "001-demo", "T005", "done")
    with pytest.raises(OperationError, match="T005"):
        move(loaded, "001-demo", "T005", "review")
    assert path.read_bytes() == edited
    assert not (ws / BOARD).exists()


def test_file_changed_between_read_and_rename_is_recomputed(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit landing after set_box read the file: the write is refused, then redone."""
    path = ws / SPECKIT_TASKS
    calls = []

    def racing_write(root, target, data, *, expected=...):
        calls.append(expected)
        if len(calls) == 1:  # someone else writes just before our rename
            path.write_bytes(b"<!-- an agent was here -->\n" + path.read_bytes())
        return atomic_write(root, target, data, expected=expected)

    monkeypatch.setattr(boxes_mod, "atomic_write", racing_write)
    move(load(ws), "001-demo", "T001", "done")
    assert len(calls) == 2
    after = path.read_bytes()
    assert after.startswith(b"<!-- an agent was here -->\n")
    assert b"- [x] T001 Create the project\n" in after
    assert after.count(b"[x]") == 2  # T001 and the T002 that was already done


def test_file_that_keeps_changing_is_refused(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = ws / SPECKIT_TASKS

    def always_racing(root, target, data, *, expected=...):
        path.write_bytes(path.read_bytes() + b"\n<!-- again -->\n")
        return atomic_write(root, target, data, expected=expected)

    monkeypatch.setattr(boxes_mod, "atomic_write", always_racing)
    with pytest.raises(OperationError, match="keeps changing"):
        move(load(ws), "001-demo", "T001", "done")
    assert b"- [ ] T001 " in path.read_bytes()


def test_board_changed_since_load_keeps_the_other_entries(ws: Path) -> None:
    loaded = load(ws)
    (ws / ".sdd").mkdir()
    (ws / BOARD).write_text('{"tasks": {"001-demo/T005": {"column": "review"}}}', "utf-8")
    move(loaded, "001-demo", "T001", "in_progress")
    assert board(ws)["tasks"] == {
        "001-demo/T001": {"column": "in_progress"},
        "001-demo/T005": {"column": "review"},
    }


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feature", "task", "column", "needle"),
    [
        ("nope", "T001", "done", "nope"),
        ("001-demo", "T999", "done", "T999"),
        ("001-demo", "T001", "blocked", "blocked"),
    ],
)
def test_unknown_references(ws: Path, feature: str, task: str, column: str, needle: str) -> None:
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    with pytest.raises(OperationError, match=needle):
        move(load(ws), feature, task, column)
    assert {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()} == before


def test_custom_column_from_config(ws: Path) -> None:
    make_ws(ws, {".sdd/config.yaml": "columns: [todo, in_progress, blocked, review, done]\n"})
    before = read(ws, SPECKIT_TASKS)
    move(load(ws), "001-demo", "T001", "blocked")
    assert read(ws, SPECKIT_TASKS) == before
    assert board(ws)["tasks"] == {"001-demo/T001": {"column": "blocked"}}
    assert column_of(ws, "001-demo", "T001") == "blocked"


# --- toggle ---------------------------------------------------------------------------------


def test_toggle(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    change = toggle(load(ws), "001-demo", "T001")
    assert change.to_column == "done"
    assert b"- [x] T001 " in read(ws, SPECKIT_TASKS)
    change = toggle(load(ws), "001-demo", "T001")
    assert change.to_column == "todo"
    assert read(ws, SPECKIT_TASKS) == before
    # a card in review toggles to done, and back to the first column
    move(load(ws), "001-demo", "T005", "review")
    assert toggle(load(ws), "001-demo", "T005").to_column == "done"
    assert board(ws)["tasks"] == {}
    assert toggle(load(ws), "001-demo", "T005").to_column == "todo"
    assert read(ws, SPECKIT_TASKS) == before


def test_toggle_kiro_in_progress(ws: Path) -> None:
    toggle(load(ws), "auth", "1.2")
    assert b"  - [x] 1.2 Write config" in read(ws, KIRO_TASKS)
    toggle(load(ws), "auth", "1.2")
    assert b"  - [ ] 1.2 Write config" in read(ws, KIRO_TASKS)


# --- reorder --------------------------------------------------------------------------------


def keys_in(root: Path, feature: str, column: str) -> list[str]:
    loaded = load(root)
    f = loaded.workspace.feature(feature)
    return [t.key for t in f.column_tasks(column)]


def test_reorder_writes_only_a_rank(ws: Path) -> None:
    before = read(ws, SPECKIT_TASKS)
    assert keys_in(ws, "001-demo", "todo") == ["T001", "T003", "T003a", "T003b", "T004", "T005"]
    change = reorder(load(ws), "001-demo", "T005", -1)
    assert change.op == "reorder"
    assert change.files == (BOARD,)
    assert read(ws, SPECKIT_TASKS) == before
    entries = board(ws)["tasks"]
    assert list(entries) == ["001-demo/T005"]
    assert set(entries["001-demo/T005"]) == {"rank"}
    assert keys_in(ws, "001-demo", "todo") == ["T001", "T003", "T003a", "T003b", "T005", "T004"]
    reorder(load(ws), "001-demo", "T005", -1)
    reorder(load(ws), "001-demo", "T005", -1)
    assert keys_in(ws, "001-demo", "todo") == ["T001", "T003", "T005", "T003a", "T003b", "T004"]
    reorder(load(ws), "001-demo", "T001", +1)
    assert keys_in(ws, "001-demo", "todo") == ["T003", "T001", "T005", "T003a", "T003b", "T004"]
    assert read(ws, SPECKIT_TASKS) == before
    raw = read(ws, BOARD)
    assert raw == (json.dumps(json.loads(raw), indent=2, sort_keys=True) + "\n").encode()


def test_reorder_to_the_top_and_bottom(ws: Path) -> None:
    reorder(load(ws), "001-demo", "T004", -10)
    assert keys_in(ws, "001-demo", "todo")[0] == "T004"
    reorder(load(ws), "001-demo", "T001", +10)
    assert keys_in(ws, "001-demo", "todo")[-1] == "T001"


def test_reorder_at_the_edge_is_a_noop(ws: Path) -> None:
    change = reorder(load(ws), "001-demo", "T001", -1)
    assert change.noop
    assert not (ws / BOARD).exists()


def test_reorder_in_a_board_column(ws: Path) -> None:
    for key in ("T001", "T003", "T005"):
        move(load(ws), "001-demo", key, "review")
    assert keys_in(ws, "001-demo", "review") == ["T001", "T003", "T005"]
    reorder(load(ws), "001-demo", "T005", -2)
    assert keys_in(ws, "001-demo", "review") == ["T005", "T001", "T003"]
    assert board(ws)["tasks"]["001-demo/T005"]["column"] == "review"
    # leaving the column drops the rank; coming back puts it in document order
    move(load(ws), "001-demo", "T005", "todo")
    assert "001-demo/T005" not in board(ws)["tasks"]
    move(load(ws), "001-demo", "T005", "review")
    assert keys_in(ws, "001-demo", "review") == ["T001", "T003", "T005"]


def test_reorder_many_times_keeps_a_consistent_order(ws: Path) -> None:
    """Repeated moves between the same two neighbours never fail or lose a card."""
    expected = keys_in(ws, "001-demo", "todo")
    for i in range(60):
        key = expected[1] if i % 2 == 0 else expected[0]
        reorder(load(ws), "001-demo", key, -1 if i % 2 == 0 else +1)
        expected = keys_in(ws, "001-demo", "todo")
        assert sorted(expected) == ["T001", "T003", "T003a", "T003b", "T004", "T005"]


def test_reorder_after_ties_with_document_positions(ws: Path) -> None:
    """Ranks written by hand may tie with another card's document position."""
    make_ws(
        ws,
        {
            BOARD: json.dumps(
                {"tasks": {"001-demo/T005": {"rank": 0.0}, "001-demo/T004": {"rank": 0.0}}}
            )
        },
    )
    order = keys_in(ws, "001-demo", "todo")
    assert order[:3] == ["T001", "T004", "T005"]  # T001 is at position 0 too
    reorder(load(ws), "001-demo", "T003", -2)
    new = keys_in(ws, "001-demo", "todo")
    assert new.index("T003") == 1
    assert sorted(new) == sorted(order)


def test_read_only_feature_refuses_every_operation(ws: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes(read(ws, SPECKIT_TASKS))
    (ws / SPECKIT_TASKS).unlink()
    (ws / SPECKIT_TASKS).symlink_to(outside)
    loaded = load(ws)
    assert loaded.workspace.feature("001-demo").read_only
    for op in (
        lambda: move(loaded, "001-demo", "T001", "done"),
        lambda: move(loaded, "001-demo", "T001", "review"),
        lambda: toggle(loaded, "001-demo", "T001"),
        lambda: reorder(loaded, "001-demo", "T005", -1),
    ):
        with pytest.raises(OperationError, match="read-only"):
            op()
    assert outside.read_bytes() == SPECKIT.encode()
    assert not (ws / BOARD).exists()


def test_symlink_swapped_out_after_load_is_refused(ws: Path, tmp_path: Path) -> None:
    loaded = load(ws)
    outside = tmp_path / "outside.md"
    outside.write_bytes(read(ws, SPECKIT_TASKS))
    (ws / SPECKIT_TASKS).unlink()
    (ws / SPECKIT_TASKS).symlink_to(outside)
    with pytest.raises(OperationError):
        move(loaded, "001-demo", "T001", "done")
    assert outside.read_bytes() == SPECKIT.encode()


@pytest.mark.parametrize("kind", ["dir", "fifo", "outside"])
def test_unusable_board_refuses_before_touching_the_markdown(
    ws: Path, tmp_path: Path, kind: str
) -> None:
    """A move is whole or nothing: no unchecked box with a column that could not be stored."""
    (ws / ".sdd").mkdir()
    board_path = ws / BOARD
    if kind == "dir":
        board_path.mkdir()
    elif kind == "fifo":
        os.mkfifo(board_path)
    else:
        outside = tmp_path / "board.json"
        outside.write_bytes(b'{"tasks": {}}\n')
        board_path.symlink_to(outside)
    before = read(ws, SPECKIT_TASKS)
    loaded = load(ws)
    for task, column in (("T002", "review"), ("T001", "done"), ("T001", "in_progress")):
        with pytest.raises(OperationError, match=r"board\.json"):
            move(loaded, "001-demo", task, column)
    assert read(ws, SPECKIT_TASKS) == before
    if kind == "outside":
        assert outside.read_bytes() == b'{"tasks": {}}\n'
