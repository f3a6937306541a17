"""The Markdown block structure: skeleton parse == full parse, and where boxes are not."""

from __future__ import annotations

from unittest import mock

from helpers.examples import examples
from helpers.markdown import (
    both_parses,
    boxes_of,
    markdown_bytes,
    markdown_lines,
    plain_lines,
    structure_signature,
)
from hypothesis import example, given, settings
from markdown_it import MarkdownIt

from sdd_tui.formats import markdown
from sdd_tui.formats.markdown import front_matter_end, parse_structure
from sdd_tui.formats.text import SourceText

# --------------------------------------------------------------------------- skeleton


def _assert_same(lines: list[str]) -> None:
    fast, full = both_parses(lines)
    assert structure_signature(fast) == structure_signature(full)
    assert full.collapsed == 0


@settings(max_examples=examples(100, 200), deadline=None)
@given(markdown_bytes())
@example(b"- [ ] a\n" * 20)
@example(b"para\n" + b"2. [ ] a\n" * 20)
@example(b"```\n" + b"- [ ] a\n" * 20)
@example(b"- x\n" + b"  - [ ] a\n" * 20 + b"    ---\n")
@example(b"- [ ] a\n  - detail: b\n" * 10 + b"- [ ] c\n")
@example(b"1. [ ] a\n   - detail: b\n" * 10 + b"2. [ ] c\n   3. sub\n")
@example(b"- [ ] a\n  - [ ] b\n  - [x] c\n" * 6 + b"    more\n")
@example(b"- [ ] a\n      - code\n" * 10)
@example(b"para\n" + b"2. [ ] a\n   - b\n" * 10)
def test_skeleton_equals_full_parse(raw: bytes) -> None:
    _assert_same(SourceText.decode(raw).lines)


@settings(max_examples=examples(100, 200), deadline=None)
@given(markdown_lines())
def test_skeleton_equals_full_parse_collapsing_every_run(lines: list[str]) -> None:
    """With no minimum saving every run of two or more lines is collapsed."""
    with mock.patch.object(markdown, "_MIN_SAVING", 1):
        _assert_same(lines)


@settings(max_examples=examples(150, 300), deadline=None)
@given(plain_lines())
@example(["- a", "", "", "# h"])
@example(["- a", "  - b", "", "  - c", "", "Para", ""])
@example(["Para", "1. x", "- y", "2. z", "  - no"])
@example(["# T", "", "- a", "", ""])
def test_plain_documents_parse_as_markdown_it_does(lines: list[str]) -> None:
    _assert_same(lines)
    with mock.patch.object(markdown, "_MIN_SAVING", 1):
        _assert_same(lines)


def test_plain_documents_skip_markdown_it() -> None:
    lines = ["# Tasks: F", "", "## Phase 1", "", "**Goal**: go", ""]
    for i in range(1, 41):
        lines.append(f"- [ ] T{i:03d} [P] Task {i} in src/m{i}.py (FR-001)")
        if i % 9 == 0:
            lines.append("  - detail: keep it")
    lines += ["", "1. **Given** a state, **When** acting", "", "Closing words."]
    _fast, full = both_parses(lines)
    with mock.patch.object(markdown, "_parser", side_effect=AssertionError("markdown-it")):
        fast = parse_structure(lines)
    assert structure_signature(fast) == structure_signature(full)


def test_skeleton_really_collapses_long_runs() -> None:
    lines = ["# Tasks", ""] + [f"- [ ] T{i:03d} Task {i}" for i in range(1, 101)]
    lines += ["", "## Phase 2", ""] + [f"  - [x] T{i:03d} Sub" for i in range(101, 121)]
    fast, full = both_parses(lines)
    assert fast.collapsed > 100
    assert structure_signature(fast) == structure_signature(full)
    assert len(fast.items) == 120


def test_skeleton_collapses_items_with_sub_items() -> None:
    lines = ["## Phase 1", ""]
    for i in range(1, 61):
        lines.append(f"- [ ] T{i:03d} Task {i}")
        if i % 3 == 0:
            lines += ["  - detail: one", "  - _Requirements: 1.1_"]
    fast, full = both_parses(lines)
    assert structure_signature(fast) == structure_signature(full)
    assert len(fast.items) == 100
    assert fast.collapsed > len(lines) - 8


def test_sub_items_that_may_not_nest_end_the_unit_run() -> None:
    # Indented to the item's content column + 4: the line continues the item's paragraph.
    lines = [line for i in range(20) for line in (f"- [ ] T{i} a", "      - b")]
    fast, full = both_parses(lines)
    assert structure_signature(fast) == structure_signature(full)
    assert all(not i.depth for i in fast.items)


def test_run_inside_fence_falls_back_to_full_parse() -> None:
    lines = ["```", *(["- [ ] T001 in fence"] * 30), "```", "- [ ] T002 real"]
    fast, full = both_parses(lines)
    assert structure_signature(fast) == structure_signature(full)
    assert [i.line for i in fast.items] == [32]


def test_run_followed_by_setext_underline_falls_back() -> None:
    # The last item's paragraph becomes a heading: not a one-line paragraph item.
    lines = ["- x", *(["  - [ ] a"] * 20), "    ---"]
    fast, full = both_parses(lines)
    assert structure_signature(fast) == structure_signature(full)
    assert not fast.items[-1].paragraph_first
    assert fast.headings[-1].line == 20


def test_lazy_continuation_after_run_extends_last_item() -> None:
    lines = [*(["- [ ] a"] * 20), "lazy continuation"]
    fast, _full = both_parses(lines)
    assert [(i.line, i.end) for i in fast.items[-2:]] == [(18, 19), (19, 21)]


# --------------------------------------------------------------------------- structure


def test_nesting_depth_and_parent() -> None:
    md = parse_structure(["- a", "  - b", "    - c", "- d", "1. e", "   1. f"])
    assert [(i.line, i.depth, i.parent, i.ordered) for i in md.items] == [
        (0, 0, None, False),
        (1, 1, 0, False),
        (2, 2, 1, False),
        (3, 0, None, False),
        (4, 0, None, True),
        (5, 1, 4, True),
    ]
    assert [(i.line, i.end) for i in md.items[:3]] == [(0, 3), (1, 3), (2, 3)]


def test_headings_atx_and_setext() -> None:
    md = parse_structure(["# One", "text", "", "Two", "===", "Three", "---", "### Four ###"])
    assert [(h.line, h.level, h.text) for h in md.headings] == [
        (0, 1, "One"),
        (3, 1, "Two"),
        (5, 2, "Three"),
        (7, 3, "Four"),
    ]
    assert md.section_of(4).text == "Two"
    assert md.section_of(2).text == "One"
    assert md.section_of(0).text == "One"


def test_setext_heading_over_several_lines_is_one_line_of_text() -> None:
    md = parse_structure(["Current", "  Task  ", "---", "- [ ] a"])
    assert [(h.line, h.level, h.text) for h in md.headings] == [(0, 2, "Current Task")]


def test_code_mask_covers_fences_indented_code_html_and_front_matter() -> None:
    lines = [
        "---",  # 0 front matter
        "title: x",  # 1
        "---",  # 2
        "text",  # 3
        "```py",  # 4 fence
        "x = 1",  # 5
        "```",  # 6
        "",  # 7
        "    code",  # 8 indented code
        "",  # 9
        "<!--",  # 10 comment
        "- [ ] hidden",  # 11
        "-->",  # 12
        "after",  # 13
    ]
    md = parse_structure(lines)
    assert [i for i in range(len(lines)) if md.is_code(i)] == [0, 1, 2, 4, 5, 6, 8, 10, 11, 12]


def test_front_matter_detection() -> None:
    assert front_matter_end(["---", "a: 1", "---", "x"]) == 3
    assert front_matter_end(["---", "", "a: 1", "..."]) == 4  # blank line after the opener
    assert front_matter_end(["---", "a: 1"]) == 0  # never closed: a thematic break
    assert front_matter_end(["x", "---", "a", "---"]) == 0


@settings(max_examples=examples(75, 150), deadline=None)
@given(markdown_bytes())
def test_item_lines_agree_with_markdown_it_on_any_line_endings(raw: bytes) -> None:
    src = SourceText.decode(raw)
    if front_matter_end(src.lines):
        return  # markdown-it knows no front matter; sdd-tui blanks it
    ours = parse_structure(src.lines)
    tokens = MarkdownIt("commonmark").enable("table").parse(src.text)
    assert [i.line for i in ours.items] == [t.map[0] for t in tokens if t.type == "list_item_open"]
    assert [h.line for h in ours.headings] == [t.map[0] for t in tokens if t.type == "heading_open"]


def test_line_numbers_agree_with_markdown_it_on_crlf_and_cr() -> None:
    raw = "# A\r\n\r\n- [ ] one\r- [x] two\n\r\n## B\r\n```\r\n- [ ] no\r\n```\r\n- [ ] three"
    src = SourceText.decode(raw.encode())
    ours = parse_structure(src.lines)
    tokens = MarkdownIt("commonmark").enable("table").parse(raw)
    theirs = [t.map[0] for t in tokens if t.type == "list_item_open"]
    assert [i.line for i in ours.items] == theirs == [2, 3, 9]
    heads = [t.map[0] for t in tokens if t.type == "heading_open"]
    assert [h.line for h in ours.headings] == heads
    assert src.lines[9] == "- [ ] three"


# --------------------------------------------------------------------------- no boxes here


def test_boxes_in_closed_fences_are_not_found() -> None:
    text = "```\n- [ ] T001 a\n```\n~~~md\n- [x] T002 b\n~~~\n- [ ] T003 real\n"
    assert [b.text for b in boxes_of(text)] == ["T003 real"]


def test_unclosed_fence_swallows_the_rest() -> None:
    text = "- [ ] T001 before\n\n```\n- [ ] T002 a\n\n# Heading\n- [ ] T003 b\n"
    found = boxes_of(text)
    assert [b.text for b in found] == ["T001 before"]
    md = parse_structure(SourceText.decode(text.encode()).lines)
    assert all(md.is_code(i) for i in range(2, 7))
    assert md.headings == []


def test_fence_inside_list_item_ends_with_the_item() -> None:
    text = "- [ ] T001 a\n  ```\n  - [ ] T002 in fence\n- [ ] T003 b\n"
    assert [b.text for b in boxes_of(text)] == ["T001 a", "T003 b"]


def test_boxes_in_html_comments_are_not_found() -> None:
    text = (
        "<!-- - [ ] T001 single -->\n"
        "<!--\n- [ ] T002 multi\n\n- [ ] T003 after blank\n-->\n"
        "- [ ] T004 real\n"
    )
    assert [b.text for b in boxes_of(text)] == ["T004 real"]


def test_boxes_in_tables_are_not_found() -> None:
    text = "| Task | State |\n| --- | --- |\n| - [ ] T001 | open |\n| [x] T002 | done |\n"
    assert boxes_of(text) == []


def test_boxes_in_indented_code_and_escaped_are_not_found() -> None:
    text = "para\n\n    - [ ] T001 code\n\n\\- [ ] T002 escaped\n[x] T003 no list\n"
    assert boxes_of(text) == []


def test_box_needs_space_after_and_not_a_reference_definition() -> None:
    text = "- [x]: https://example.com\n- [x]done\n- [x]\n- [ ] ok\n"
    found = boxes_of(text)
    assert [(b.mark, b.text) for b in found] == [("x", ""), (" ", "ok")]


def test_boxes_in_blockquotes_and_after_nested_markers() -> None:
    text = "> - [ ] T001 quoted\n\n- - [x] T002 nested on one line\n"
    found = boxes_of(text)
    assert [(b.text, b.depth) for b in found] == [
        ("T001 quoted", 0),
        ("T002 nested on one line", 1),
    ]
    raw = text.encode()
    for b in found:
        assert raw[b.box_offset : b.box_offset + 1] == b.mark.encode()


def test_front_matter_box_is_not_a_task() -> None:
    assert boxes_of("---\n- [ ] fm: 1\n---\n- [ ] real\n")[0].text == "real"


def test_link_reference_definitions_are_not_paragraphs() -> None:
    # As a paragraph the definition would swallow the task (an ordered list starting at 2
    # cannot interrupt a paragraph) or turn into a setext heading.
    found = boxes_of("[x]: https://example.com\n2. [ ] T001 after a definition\n")
    assert [b.text for b in found] == ["T001 after a definition"]
    md = parse_structure(["[a]: /url", "===", "- [ ] a"])
    assert md.headings == []
    assert boxes_of("- [x]: https://example.com\n") == []
