"""SourceText: decoding keeps every byte, and an edit moves exactly what it replaces."""

from __future__ import annotations

import pytest
from helpers.markdown import parse_md
from markdown_it import MarkdownIt

from sdd_tui.formats.text import BOM, DecodeProblem, SourceText

AWKWARD = {
    "crlf": b"# T\r\n\r\n- [ ] T001 a\r\n- [x] T002 b\r\n",
    "lone_cr": b"# T\r\r- [ ] T001 a\r- [x] T002 b\r",
    "mixed": b"# T\r\n- [ ] T001 a\n- [ ] T002 b\r- [ ] T003 c\r\n",
    "bom": BOM + b"- [ ] T001 a\n",
    "bom_crlf": BOM + b"- [ ] T001 a\r\n- [X] T002 b\r\n",
    "no_final_newline": b"- [ ] T001 a\n- [ ] T002 b",
    "no_final_newline_crlf": b"- [ ] T001 a\r\n- [ ] T002 b",
    "tabs": b"\t- [ ] T001 a\n-\t[ ] T002 b\n- [ ] T003\tc\t\n",
    "trailing_spaces": b"- [ ] T001 a   \n  \n- [ ] T002 b  \n",
    "unicode": "- [ ] T001 café ✅ 日本語\n- [ ] T002 \U0001f680\n".encode(),
    "blank_lines_at_end": b"- [ ] T001 a\n\n\n",
    "empty": b"",
    "only_newline": b"\n",
    "only_bom": BOM,
}


@pytest.mark.parametrize("raw", AWKWARD.values(), ids=AWKWARD.keys())
def test_decode_then_encode_gives_identical_bytes(raw: bytes) -> None:
    src = SourceText.decode(raw)
    assert src.encode(src.text) == raw
    assert src.bom == raw.startswith(BOM)
    assert not src.text.startswith("\ufeff")


@pytest.mark.parametrize("raw", AWKWARD.values(), ids=AWKWARD.keys())
def test_lines_and_starts_index_the_text(raw: bytes) -> None:
    src = SourceText.decode(raw)
    assert len(src.lines) == len(src.starts)
    for i, (line, start) in enumerate(zip(src.lines, src.starts, strict=True)):
        assert src.text[start : start + len(line)] == line
        assert "\r" not in line and "\n" not in line
        assert src.line_of(start) == i
        assert src.line_of(start + len(line)) == i  # the line break belongs to its line


def test_line_splitting_matches_commonmark() -> None:
    src = SourceText.decode(b"a\r\nb\rc\nd")
    assert src.lines == ["a", "b", "c", "d"]
    assert src.starts == [0, 3, 5, 7]
    assert SourceText.decode(b"a\n").lines == ["a"]
    assert SourceText.decode(b"a\n\n").lines == ["a", ""]
    assert SourceText.decode(b"").lines == [""]
    assert SourceText.decode(b"\r\n").lines == [""]


def test_line_of_and_byte_offset() -> None:
    src = SourceText.decode(BOM + "é\r\nx✅y\n".encode())
    assert src.line_of(0) == 0
    assert src.line_of(3) == 1
    assert src.line_of(5) == 1
    assert src.byte_offset(0) == 3  # after the BOM
    assert src.byte_offset(3) == 3 + 2 + 2  # é is two bytes, then CRLF
    assert src.byte_offset(5) == 3 + 2 + 2 + 1 + 3  # ✅ is three bytes


WITH_BOXES = [k for k, v in AWKWARD.items() if b"[" in v]


@pytest.mark.parametrize("name", WITH_BOXES)
def test_replace_changes_exactly_one_character(name: str) -> None:
    raw = AWKWARD[name]
    doc = parse_md(raw)
    assert doc.boxes
    for box in doc.boxes:
        new = " " if box.mark in "xX" else "x"
        out = doc.src.replace(box.box_offset, box.mark, new)
        assert len(out) == len(raw)
        diff = [i for i, (a, b) in enumerate(zip(out, raw, strict=True)) if a != b]
        assert len(diff) == 1
        assert raw[diff[0] : diff[0] + 1] == box.mark.encode()
        assert out[diff[0] : diff[0] + 1] == new.encode()
        after = SourceText.decode(out)
        assert after.text[box.box_offset] == new
        assert after.lines[box.line] != doc.src.lines[box.line]
        assert [ln for i, ln in enumerate(after.lines) if i != box.line] == [
            ln for i, ln in enumerate(doc.src.lines) if i != box.line
        ]


def test_replace_checks_what_it_replaces() -> None:
    src = SourceText.decode(b"- [ ] a\n")
    with pytest.raises(ValueError, match="expected"):
        src.replace(3, "x", " ")
    assert src.replace(3, " ", "x") == b"- [x] a\n"


def test_replace_after_multibyte_characters() -> None:
    raw = BOM + "# ✅ Émoji 🚀\r\n- [ ] T001 日本\r\n".encode()
    doc = parse_md(raw)
    (box,) = doc.boxes
    out = doc.src.replace(box.box_offset, " ", "X")
    assert out == raw.replace(b"[ ]", b"[X]")


def test_task_box_edit_on_crlf_bom_file_changes_exactly_one_byte() -> None:
    raw = BOM + b"# Tasks\r\n\r\n- [ ] T001 First\r\n  - [ ] T002 Nested\t \r\n- [x] T003 Done"
    doc = parse_md(raw)
    assert [b.text for b in doc.boxes] == ["T001 First", "T002 Nested", "T003 Done"]
    for box in doc.boxes:
        new = " " if box.checked else "x"
        out = doc.src.replace(box.box_offset, box.mark, new)
        assert sum(1 for a, b in zip(out, raw, strict=True) if a != b) == 1
        assert len(out) == len(raw)
        assert out.startswith(BOM)
        assert out.count(b"\r\n") == raw.count(b"\r\n") == 4
        assert not out.endswith(b"\n")


def test_line_numbers_agree_with_markdown_it_on_crlf_bom_file() -> None:
    raw = BOM + b"# A\r\n\r\nText\r\n\r\n## B\r\n- [ ] one\r\n\r\n  - [x] two\r\n- [ ] three\r\n"
    src = SourceText.decode(raw)
    tokens = MarkdownIt("commonmark").parse(src.text)
    maps = [t.map[0] for t in tokens if t.type in ("heading_open", "list_item_open")]
    assert maps == [0, 4, 5, 7, 8]
    assert [src.lines[m] for m in maps] == [
        "# A",
        "## B",
        "- [ ] one",
        "  - [x] two",
        "- [ ] three",
    ]
    doc = parse_md(raw)
    assert [b.line for b in doc.boxes] == [5, 7, 8]


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"ok\n\xff\n", 2),
        (b"a\nb\nc\xe2\x94\n", 3),
        (BOM + b"\n\n\x80", 3),
        (b"text\n\x00binary", 2),
        (b"a\rb\r\xff", 3),  # lone CR line breaks count as CommonMark counts them
        (b"a\r\nb\r\nc\xff", 3),
        (b"a\r\x00", 2),
    ],
)
def test_non_text_reports_a_decode_problem_with_line(raw: bytes, line: int) -> None:
    """Binary (NUL) is refused; bytes that are not UTF-8 are read, and the problem kept."""
    if b"\x00" in raw:
        with pytest.raises(DecodeProblem) as exc:
            SourceText.decode(raw)
        problem = exc.value
    else:
        src = SourceText.decode(raw)
        assert src.problem is not None
        problem = src.problem
        assert src.raw == raw and "\ufffd" in src.text
    assert problem.line == line
    assert "\n" not in str(problem)


def test_from_text_encodes_with_bom() -> None:
    src = SourceText.from_text("- [ ] a\r\n", bom=True)
    assert src.raw == BOM + b"- [ ] a\r\n"
    assert src.encode(src.text) == src.raw
