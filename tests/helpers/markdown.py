"""Markdown for the parser tests: parsing shortcuts, round trips and Hypothesis strategies
that generate documents (tasks, nested lists, fences, comments, tables, mixed line endings)."""

from __future__ import annotations

from hypothesis import strategies as st

from sdd_tui.formats.markdown import MdStructure, parse_structure
from sdd_tui.formats.text import SourceText
from sdd_tui.model.items import BoxItem
from sdd_tui.workspace.documents import ParsedDoc, parse_document

# --------------------------------------------------------------------------- parsing


def parse_md(text: str | bytes, path: str = "doc.md") -> ParsedDoc:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document(path, raw)


def boxes_of(text: str | bytes) -> list[BoxItem]:
    return parse_md(text).boxes


def structure_signature(md: MdStructure) -> tuple[object, ...]:
    """What the skeleton must not change: items, headings and the code mask."""
    items = tuple(
        (i.line, i.end, i.depth, i.parent, i.ordered, i.paragraph_first) for i in md.items
    )
    headings = tuple((h.line, h.level, h.text) for h in md.headings)
    return items, headings, bytes(md.code)


def both_parses(lines: list[str]) -> tuple[MdStructure, MdStructure]:
    return parse_structure(lines), parse_structure(lines, skeleton=False)


def toggle_roundtrip(src: SourceText, box: BoxItem) -> tuple[bytes, bytes]:
    """Set ``box`` to done (or to todo when it is done), then back: (after first, after both)."""
    new = " " if box.mark in "xX" else "x"
    once = src.replace(box.box_offset, box.mark, new)
    again = SourceText.decode(once)
    back = again.replace(box.box_offset, new, box.mark)
    return once, back


# --------------------------------------------------------------------------- generators

HIDDEN = "HIDDEN"  # a word only the generators put inside fences and HTML comments

_WORDS = st.sampled_from(
    [
        "Add",
        "parser",
        "in src/app.py",
        "naïve café",
        "日本語のタスク",
        "emoji ✅",
        "Ω≈ç√",
        "a | b",
        "`code`",
        "**bold**",
        "_it_",
        "FR-001",
        "Spec §FR-002",
        "[P]",
        "[US1]",
        "(P)",
        "x",
        "<b>",
        "&amp;",
        "\\*",
        "trailing  ",
        "tab\there",
    ]
)
_TEXT = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
_IDS = st.sampled_from(["", "T001 ", "T003a ", "CHK001 ", "1. ", "1.1 ", "2.2.1 ", "303.1. "])
_MARKS = st.sampled_from([" ", " ", "x", "X", "-", "~", "P", "/", "?", "!"])
_INDENTS = st.sampled_from(["", "", "", "  ", "   ", "    ", "      ", "        ", "\t", " \t"])
_MARKERS = st.sampled_from(["-", "-", "*", "+", "1.", "2.", "10.", "1)", "3)", "0."])
_SPACING = st.sampled_from([" ", " ", " ", "  ", "   ", "     ", "\t"])


@st.composite
def task_line(draw: st.DrawFn) -> str:
    indent = draw(_INDENTS)
    marker = draw(_MARKERS)
    after = draw(st.sampled_from([" ", " ", " ", "* ", "\\* ", "", "  ", ": "]))
    prefix = draw(st.sampled_from(["", "", "", "> ", ">", "- "]))
    body = draw(_IDS) + draw(_TEXT)
    return f"{prefix}{indent}{marker}{draw(_SPACING)}[{draw(_MARKS)}]{after}{body}"


@st.composite
def bullet_line(draw: st.DrawFn) -> str:
    text = draw(st.one_of(_TEXT, st.sampled_from(["", "- - -", "***", "[x]: /url", "# h"])))
    return f"{draw(_INDENTS)}{draw(_MARKERS)}{draw(_SPACING)}{text}"


@st.composite
def item_run(draw: st.DrawFn) -> list[str]:
    """A run of same-shape one-line items: what the skeleton collapses."""
    indent = draw(st.sampled_from(["", "", "  ", "   ", "    ", "      "]))
    marker = draw(st.sampled_from(["-", "*", "+", "1.", "2.", "1)"]))
    spacing = draw(st.sampled_from([" ", " ", "  ", "     "]))
    n = draw(st.integers(2, 14))
    lines = []
    for _ in range(n):
        kind = draw(st.integers(0, 4))
        if kind <= 2:
            body = f"[{draw(_MARKS)}] {draw(_IDS)}{draw(_TEXT)}"
        elif kind == 3:
            body = draw(st.sampled_from(["Plain item", "**Bold** item", "_it_ item", "`c` x"]))
        else:
            body = draw(_TEXT)
        lines.append(f"{indent}{marker}{spacing}{body}")
    return lines


@st.composite
def unit_run(draw: st.DrawFn) -> list[str]:
    """Same-shape items, some followed by one-line sub-items: what the skeleton collapses
    as units; the sub-items' indent, marker and spacing stray around the rule's limits."""
    indent = draw(st.sampled_from(["", "", "  ", "   ", "    "]))
    marker = draw(st.sampled_from(["-", "-", "*", "+", "1.", "2.", "10.", "1)"]))
    spacing = draw(st.sampled_from([" ", " ", "  ", "    ", "     "]))
    column = len(indent) + len(marker) + len(spacing)
    lines = []
    for _ in range(draw(st.integers(2, 10))):
        body = draw(
            st.one_of(
                st.builds(lambda m, i, t: f"[{m}] {i}{t}", _MARKS, _IDS, _TEXT),
                st.sampled_from(["Plain item", "**Bold** item", "_it_ item", "`c` x"]),
            )
        )
        lines.append(f"{indent}{marker}{spacing}{body}")
        sub_indent = " " * max(0, column + draw(st.sampled_from([0, 0, 0, 1, 2, 3, -1, 4, -2])))
        sub_marker = draw(st.sampled_from(["-", "-", "*", "+", "1.", "2.", "1)"]))
        sub_spacing = draw(st.sampled_from([" ", " ", "  ", "    ", "     "]))
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
            if draw(st.integers(0, 9)) == 0:  # now and then a sub-item of another shape
                sub_indent = " " * max(0, column + draw(st.integers(-2, 5)))
                sub_marker = draw(st.sampled_from(["-", "*", "1."]))
            sub = draw(
                st.one_of(
                    st.sampled_from(
                        ["detail: keep it", "_Requirements: 1.1_", "Note: `x`", "**Validates**"]
                    ),
                    st.builds(lambda m, t: f"[{m}] {t}", _MARKS, _TEXT),
                    _TEXT,
                )
            )
            lines.append(f"{sub_indent}{sub_marker}{sub_spacing}{sub}")
    return lines


_PLAIN_TEXT = st.builds(
    lambda first, rest: f"{first} {rest}",
    st.sampled_from(["Add", "Build", "**Goal**:", "**Bold** start", "Ω word", "x"]),
    _TEXT,
)


@st.composite
def plain_block(draw: st.DrawFn) -> list[str]:
    """Headings, paragraphs, one-line items with sub-items and blank lines: what
    ``_plain_tokens`` parses without markdown-it, with now and then a line it must refuse."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return [
            draw(
                st.sampled_from(
                    ["# Tasks", "## Phase 1: Setup", "### Story & more (P1)", "###### six"] * 4
                    + ["#x", "# a #", "#\ta", "# ", "####### seven", "#  two spaces"]
                )
            )
        ]
    if kind == 1:
        lines = draw(st.lists(_PLAIN_TEXT, min_size=1, max_size=3))
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["===", "---", "  indented", "a | b", "- - -"])))
        return lines
    if kind in (2, 3):
        return [""] * draw(st.integers(1, 2))
    lines = []
    ordered = kind == 4
    for n in range(1, draw(st.integers(1, 6)) + 1):
        marker = f"{n if draw(st.booleans()) else 1}{draw(st.sampled_from('.)'))}"
        if not ordered:
            marker = draw(st.sampled_from(["-", "-", "*", "+"]))
        spacing = draw(st.sampled_from([" "] * 6 + ["  "]))
        body = draw(
            st.one_of(
                st.builds(lambda m, i, t: f"[{m}] {i}{t}", _MARKS, _IDS, _TEXT),
                _PLAIN_TEXT,
            )
        )
        lines.append(f"{marker}{spacing}{body}")
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
            if draw(st.integers(0, 4)) == 0:
                lines.append("")
            sub_indent = draw(st.sampled_from(["  "] * 8 + ["   ", "    ", " "]))
            sub_marker = draw(st.sampled_from(["-", "-", "*", "+", "1."]))
            lines.append(f"{sub_indent}{sub_marker} {draw(_PLAIN_TEXT)}")
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
        if draw(st.integers(0, 12)) == 0:
            lines.append(draw(_PLAIN_TEXT))  # lazy continuation: not plain
    return lines


@st.composite
def plain_lines(draw: st.DrawFn) -> list[str]:
    blocks = st.one_of(plain_block(), plain_block(), plain_block(), other_block(), item_run())
    lines = [line for block in draw(st.lists(blocks, max_size=12)) for line in block]
    if draw(st.integers(0, 5)) == 0:
        lines = ["---", "title: x", "---", *lines]
    return lines


@st.composite
def fence_block(draw: st.DrawFn, closed: bool = True) -> list[str]:
    indent = draw(st.sampled_from(["", "", "  ", "   "]))
    fence = draw(st.sampled_from(["```", "~~~", "````", "```markdown", "~~~~ text"]))
    inner = draw(st.lists(st.one_of(task_line(), bullet_line(), _TEXT), max_size=10))
    # Content lines at least as indented as the fence stay in the fence's container.
    inner = [f"{indent}{line} {HIDDEN}" for line in inner]
    close = fence.split(" ")[0].rstrip("abcdefghijklmnopqrstuvwxyz")
    return [indent + fence, *inner] + ([indent + close] if closed else [])


@st.composite
def comment_block(draw: st.DrawFn, closed: bool = True) -> list[str]:
    inner = draw(st.lists(st.one_of(task_line(), _TEXT), max_size=6))
    inner = [f"{line} {HIDDEN}" for line in inner]
    if closed and draw(st.booleans()):
        return [f"<!-- {inner[0] if inner else 'note'} -->"]
    return ["<!--", *inner] + (["-->"] if closed else [])


@st.composite
def table_block(draw: st.DrawFn) -> list[str]:
    rows = draw(st.lists(task_line(), min_size=1, max_size=4))
    return ["| a | b |", "| --- | --- |", *(f"| {r} | x |" for r in rows)]


@st.composite
def other_block(draw: st.DrawFn) -> list[str]:
    return draw(
        st.sampled_from(
            [
                ["# Heading"],
                ["## Tasks [P]"],
                ["Setext", "======"],
                ["Setext two", "---"],
                ["  ===="],
                ["  ---"],
                ["---"],
                ["***"],
                [""],
                [""],
                ["", ""],
                ["    indented code - [ ] T999 not a task"],
                ["[x]: https://example.com"],
                ["- [x]: https://example.com"],
                ["> quote", "> - [ ] T500 quoted task"],
                ["Paragraph text", "continued lazily"],
                ["<div>", "- [ ] in html", "</div>"],
                ["- [P] tasks = different files, no dependencies"],
                ["- [Story] label"],
                ["1. [x] numbered done", "2. [ ] numbered todo"],
                ["5. [ ] starts at five", "6. [ ] six"],
                ["- [ ] parent", "  - [ ] child", "    - [ ] grandchild"],
                ["  _Requirements: 1.1, 2.3_"],
                ["  - **Validates: Requirements 2.1**"],
                ["Term", ": definition"],
                ["\\- [ ] escaped"],
            ]
        )
    )


_BLOCK = st.one_of(
    st.lists(task_line(), min_size=1, max_size=3),
    st.lists(bullet_line(), min_size=1, max_size=2),
    item_run(),
    item_run(),
    unit_run(),
    unit_run(),
    fence_block(),
    comment_block(),
    table_block(),
    other_block(),
    other_block(),
    _TEXT.map(lambda t: [t]),
)


@st.composite
def markdown_lines(draw: st.DrawFn, max_blocks: int = 12) -> list[str]:
    """A Markdown document as lines without line endings."""
    lines: list[str] = []
    if draw(st.integers(0, 5)) == 0:
        lines += draw(
            st.sampled_from(
                [["---", "title: x", "---"], ["---", "", "k: v", "..."], ["---", "- [ ] fm"]]
            )
        )
    for block in draw(st.lists(_BLOCK, max_size=max_blocks)):
        lines += block
    # A fence or comment that is never closed runs to the end of the file, so it comes last
    # (an unclosed one in the middle would be closed by the next block's opener).
    if draw(st.integers(0, 4)) == 0:
        lines += draw(st.one_of(fence_block(closed=False), comment_block(closed=False)))
    return lines


@st.composite
def markdown_bytes(draw: st.DrawFn, max_blocks: int = 12) -> bytes:
    """A whole file: lines joined by a mix of LF / CRLF / CR, maybe a BOM and final newline."""
    lines = draw(markdown_lines(max_blocks))
    style = draw(st.sampled_from(["lf", "crlf", "cr", "mixed"]))
    if style == "mixed":
        ends = [draw(st.sampled_from(["\n", "\r\n", "\r"])) for _ in lines]
    else:
        ends = [{"lf": "\n", "crlf": "\r\n", "cr": "\r"}[style]] * len(lines)
    if lines and not draw(st.booleans()):
        ends[-1] = ""
    text = "".join(a + b for a, b in zip(lines, ends, strict=True))
    bom = b"\xef\xbb\xbf" if draw(st.integers(0, 3)) == 0 else b""
    return bom + text.encode("utf-8")
