"""Checkbox list items ("task boxes") found through the Markdown structure."""

from __future__ import annotations

import re

from sdd_tui.formats.markdown import MdStructure
from sdd_tui.formats.text import SourceText
from sdd_tui.model.items import BoxItem

# Container prefixes (blockquotes), then one or more list markers, then the box.
_BOX_LINE = re.compile(r"((?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+)\[([^\]\r\n])\]")
# Letters and digits in a box are labels (`- [P] tasks = ...`), not states; x/X are states.
_NOT_A_MARK = re.compile(r"[A-WYZa-wyz0-9]")


def is_box_mark(ch: str) -> bool:
    return not _NOT_A_MARK.fullmatch(ch)


# A box as a plain tuple, BoxItem's fields in order:
# (path, line, end_line, box_offset, mark, depth, parent_index, text, section, body).
BoxTuple = tuple[str, int, int, int, str, int, int | None, str, str | None, tuple[str, ...]]


def find_boxes(src: SourceText, md: MdStructure, path: str) -> list[BoxItem]:
    """Every list item whose paragraph starts with a task box, in document order."""
    return [BoxItem(*t) for t in box_tuples(src, md, path)]


def box_tuples(src: SourceText, md: MdStructure, path: str) -> list[BoxTuple]:
    """``find_boxes`` as plain tuples: a third of the cost of building BoxItems."""
    lines = src.lines
    starts = src.starts
    headings = md.headings
    items = md.items
    match = _BOX_LINE.match
    hi = 0
    section: str | None = None
    index_of_item: dict[int, int] = {}
    out: list[BoxTuple] = []
    for idx, item in enumerate(items):
        line_no, end, depth, p, _ordered, paragraph_first = item
        if not paragraph_first:
            continue
        line = lines[line_no]
        m = match(line)
        if m is None:
            continue
        mark = m.group(2)
        cut = m.end()
        after = line[cut : cut + 1]
        if after not in ("", " ", "\t", "*", "\\") or _NOT_A_MARK.fullmatch(mark):
            continue
        while hi < len(headings) and headings[hi].line < line_no:
            section = headings[hi].text
            hi += 1
        parent_index = None
        while p is not None:
            if p in index_of_item:
                parent_index = index_of_item[p]
                break
            p = items[p].parent
        body = _body(lines, md, idx, line_no + 1, end) if end > line_no + 1 else ()
        index_of_item[idx] = len(out)
        out.append(
            (
                path,
                line_no,
                end,
                starts[line_no] + m.end(1) + 1,
                mark,
                depth,
                parent_index,
                line[cut:].strip(),
                section,
                body,
            )
        )
    return out


def _body(lines: list[str], md: MdStructure, idx: int, start: int, end: int) -> tuple[str, ...]:
    """The item's own lines after the first, without nested box items."""
    if start >= end:
        return ()
    items = md.items
    out: list[str] = []
    ln = start  # the next line not yet taken or skipped
    for j in range(idx + 1, len(items)):
        line, child_end, _depth, _parent, _ordered, paragraph_first = items[j]
        if line >= end:
            break
        # Items nest, so a box inside a skipped box lies before ``ln``.
        if line >= ln and paragraph_first and _BOX_LINE.match(lines[line]):
            out += lines[ln:line]
            ln = child_end
    if ln < end:
        out += lines[ln:end]
    while out and not out[-1].strip():
        out.pop()
    return tuple(_dedent(out))


def _dedent(lines: list[str]) -> list[str]:
    widths = [len(s) - len(s.lstrip(" ")) for s in lines if s.strip()]
    cut = min(widths) if widths else 0
    return [s[cut:] for s in lines]
