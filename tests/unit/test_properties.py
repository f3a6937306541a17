"""Hypothesis properties of the whole read-and-edit path on generated Markdown files."""

from __future__ import annotations

import pytest
from helpers.examples import examples
from helpers.files import count_changed_lines
from helpers.markdown import HIDDEN, markdown_bytes, parse_md, structure_signature, toggle_roundtrip
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd_tui.formats.tasks import build_checklist, build_tasks
from sdd_tui.formats.text import DecodeProblem, SourceText
from sdd_tui.model.workspace import Columns

COLUMNS = Columns(("todo", "in_progress", "review", "done"))
PROPS = settings(max_examples=examples(100, 150), deadline=None)


@PROPS
@given(st.one_of(markdown_bytes(), st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_parsing_anything_never_raises(raw: bytes) -> None:
    try:
        doc = parse_md(raw)
    except DecodeProblem as exc:
        assert exc.line is None or exc.line >= 1
        return
    for native in (False, True):
        tasks, _problems = build_tasks("f", doc.boxes, {}, COLUMNS, native_in_progress=native)
        assert len({t.key for t in tasks}) == len(tasks)
        keys = {t.key for t in tasks}
        assert all(t.parent is None or t.parent in keys for t in tasks)
    items = build_checklist("f", doc.boxes)
    assert len({c.key for c in items}) == len(items)


@PROPS
@given(markdown_bytes())
def test_decode_encode_is_identity(raw: bytes) -> None:
    src = SourceText.decode(raw)
    assert src.encode(src.text) == raw
    assert src.raw == raw
    assert src.bom == raw.startswith(b"\xef\xbb\xbf")
    # Every line is the text between two breaks: joined with the breaks they give the text.
    breaks = [
        src.text[src.starts[i] + len(src.lines[i]) : src.starts[i + 1]]
        for i in range(len(src.lines) - 1)
    ]
    assert all(b in ("\n", "\r\n", "\r") for b in breaks)


@PROPS
@given(markdown_bytes())
def test_nothing_in_a_fence_or_comment_is_a_task(raw: bytes) -> None:
    doc = parse_md(raw)
    for box in doc.boxes:
        assert HIDDEN not in box.text, box
        assert not doc.md.is_code(box.line)


@PROPS
@given(markdown_bytes())
def test_box_offset_points_at_the_mark(raw: bytes) -> None:
    doc = parse_md(raw)
    for box in doc.boxes:
        assert doc.src.text[box.box_offset] == box.mark
        assert doc.src.text[box.box_offset - 1] == "["
        assert doc.src.text[box.box_offset + 1] == "]"
        assert doc.src.line_of(box.box_offset) == box.line


@PROPS
@given(markdown_bytes())
def test_done_then_back_is_byte_exact(raw: bytes) -> None:
    doc = parse_md(raw)
    for box in doc.boxes:
        once, back = toggle_roundtrip(doc.src, box)
        assert back == raw
        assert len(once) == len(raw)
        assert sum(1 for a, b in zip(once, raw, strict=True) if a != b) == 1
        assert count_changed_lines(raw, once) == 1
        # BOM, line endings and unicode around the edit are untouched.
        assert once.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
        assert once.count(b"\r\n") == raw.count(b"\r\n")
        assert once.count(b"\r") == raw.count(b"\r")


@PROPS
@given(markdown_bytes(), st.data())
def test_toggling_a_box_changes_nothing_but_its_mark(raw: bytes, data: st.DataObject) -> None:
    doc = parse_md(raw)
    if not doc.boxes:
        return
    i = data.draw(st.integers(0, len(doc.boxes) - 1))
    box = doc.boxes[i]
    once, _back = toggle_roundtrip(doc.src, box)
    after = parse_md(once)
    assert structure_signature(after.md) == structure_signature(doc.md)
    assert len(after.boxes) == len(doc.boxes)
    for j, (b0, b1) in enumerate(zip(doc.boxes, after.boxes, strict=True)):
        assert (b0.line, b0.box_offset, b0.parent_index, b0.text) == (
            b1.line,
            b1.box_offset,
            b1.parent_index,
            b1.text,
        )
        assert (b1.mark != b0.mark) == (j == i)


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf- [ ] T001 caf\xc3\xa9\r\n- [x] T002 \xe2\x9c\x85\r\n",
        b"- [ ] a\r- [X] b\r",
        b"\t- [ ] tab indented\n  - [ ] trailing   \n- [ ] no final newline",
    ],
)
def test_known_awkward_files_round_trip(raw: bytes) -> None:
    doc = parse_md(raw)
    assert doc.boxes
    for box in doc.boxes:
        _once, back = toggle_roundtrip(doc.src, box)
        assert back == raw
