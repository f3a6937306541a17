"""Markdown block structure from markdown-it-py token line maps.

Only the block structure matters to sdd-tui: which lines start list items (and how they
nest), which lines are headings, and which lines are code (fences, indented code, HTML
blocks, front matter) and so never hold tasks, requirements or clarification markers.

markdown-it-py is pure Python and spends ~20 µs per line; a 10,000-task tasks.md would
take ~0.2 s.  Most of such a file is runs of sibling one-line list items, so the parser is
fed a *skeleton* in which each run of consecutive item lines with the same shape (same
indent, marker kind and width, spacing) is collapsed to its first line.  Within such a run
every line is a new sibling item of one-line paragraph content, so the skeleton has the same
structure; the run's last line stands in for the collapsed head for whatever follows.  An
item of the run may also carry one-line bullet sub-items (``- [ ] T1 x`` then
``  - detail: y``) indented to its content column (+0..3 spaces) and all of one shape: they
can only be a list nested in that item.  The last item's sub-items stay in the skeleton.
When a run head does not parse as a list item (it sits in a fence, say) the whole text is
parsed without the skeleton.  A *plain* skeleton (blank lines, ATX headings, paragraphs,
one-line items and sub-items: a generated tasks.md or spec.md) is not given to markdown-it
at all: its tokens are written directly (``_plain_tokens``), and a load that meets only
plain files never imports markdown-it.  ``tests/test_markdown_structure.py`` checks both
equivalences with hypothesis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # markdown-it (~50 ms to import) only once a file is actually parsed
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# A list item line whose one-line content can only be a paragraph: it starts with a task
# box, a letter, ``**x``, ``_x`` or a single backtick, and holds no ``|`` (no table row).
_RUN_LINE = re.compile(
    r"( *)([-*+]|\d{1,9}[.)])( +)"
    r"(?:\[[^\]\r\n]\](?!:)|[^\W\d_]|\*\*[^\s*]|_[^\W_]|`[^`])[^|\r\n]*$"
)
_FRONT_MATTER_FENCE = re.compile(r"---[ \t]*")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*")
_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__
_MIN_SAVING = 8  # collapse only when it removes at least this many lines


class MdItem(NamedTuple):
    """A list item; lines are 0-based, ``end`` exclusive.  (A NamedTuple: one per item,
    ten thousand in a big tasks.md, and a dataclass costs three times as much to build.)"""

    line: int
    end: int
    depth: int
    parent: int | None  # index into MdStructure.items
    ordered: bool
    paragraph_first: bool  # the item's first child is a paragraph starting on ``line``


@dataclass(slots=True)
class MdHeading:
    line: int  # 0-based
    level: int
    text: str


@dataclass(slots=True)
class MdStructure:
    items: list[MdItem] = field(default_factory=list)
    headings: list[MdHeading] = field(default_factory=list)
    code: bytearray = field(default_factory=bytearray)  # 1 for lines that are code / markup
    collapsed: int = 0  # lines the skeleton saved (for tests and benchmarks)

    def is_code(self, line: int) -> bool:
        return bool(self.code[line])

    def section_of(self, line: int) -> MdHeading | None:
        """The nearest heading above ``line``."""
        found = None
        for h in self.headings:
            if h.line > line:
                break
            found = h
        return found


@lru_cache(maxsize=2)
def _parser(references: bool) -> MarkdownIt:
    # Link reference definitions (`[id]: /url`) never hold tasks, but their rule costs ~40% of
    # the block parse (it scans ahead from every paragraph).  It is only needed when the text
    # holds a "]:": as a paragraph, a definition would swallow a following `2. [ ] task` (an
    # ordered list not starting at 1 cannot interrupt a paragraph) or become a setext heading.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    if not references:
        md.disable("reference")
    return md


def front_matter_end(lines: list[str]) -> int:
    """Number of lines taken by a leading YAML front matter block (0 if none)."""
    if not lines or not _FRONT_MATTER_FENCE.fullmatch(lines[0]):
        return 0
    for i in range(1, min(len(lines), 500)):
        if _FRONT_MATTER_END.fullmatch(lines[i]):
            return i + 1
    return 0


def parse_structure(lines: list[str], *, skeleton: bool = True) -> MdStructure:
    """Block structure of ``lines`` (already split, without line endings).

    ``skeleton=False``: markdown-it on the full text, no shortcut (the reference).
    """
    fast = skeleton
    n = len(lines)
    fm = front_matter_end(lines)
    body = [""] * fm + lines[fm:] if fm else lines
    keep: list[int] = []
    last: list[int] = []  # last original line each skeleton line stands for
    # Skeleton index of each collapsed run head -> the lines it stands for before its last
    # unit's head: (line, end, is a sub-item) in document order.
    heads: dict[int, list[tuple[int, int, bool]]] = {}
    if skeleton:
        # (indent, marker, spacing) of each line that may be a one-line item, else None
        shapes = [m.groups() if m else None for m in map(_RUN_LINE.match, body)]
        shapes.append(None)  # sentinel: n is never part of a run
        i = 0
        while i < n:
            first = shapes[i]
            keep.append(i)
            # Five spaces after the marker start indented code in the item: no paragraph.
            if first is None or len(first[2]) > 4:
                last.append(i)
                i += 1
                continue
            indent, marker, spacing = first
            kind = _marker_kind(marker)
            # Sub-items may follow each item when they are sure to nest in it as one-line
            # bullet items: indented to the item's content column (+0..3), 1-4 spaces wide.
            column = len(indent) + len(marker) + len(spacing)
            shape: list[tuple[int, int, bool]] = []
            head = i  # the head line of the run's current unit
            while True:
                j = head + 1  # past the unit's sub-items
                sub = shapes[j]
                if (
                    sub
                    and column <= len(sub[0]) <= column + 3
                    and sub[1] in "-*+"
                    and len(sub[2]) <= 4
                ):
                    j += 1
                    while shapes[j] == sub:
                        j += 1
                nxt = shapes[j]
                if (
                    nxt is None
                    or nxt[0] != indent
                    or nxt[2] != spacing
                    or len(nxt[1]) != len(marker)
                    or _marker_kind(nxt[1]) != kind
                ):
                    break
                shape.append((head, j, False))
                shape += [(k, k + 1, True) for k in range(head + 1, j)]
                head = j
            if shape:
                heads[len(keep) - 1] = shape
            last.append(head)
            i = head + 1  # the last unit's sub-items are parsed, not collapsed
        if n - len(keep) < _MIN_SAVING:
            skeleton = False
    if not skeleton:
        keep = list(range(n))
        last = keep
        heads = {}
    parsed = [body[k] for k in keep] if skeleton else body
    tokens: list[Token] | None = _plain_tokens(parsed) if fast else None
    if tokens is None:
        src = "\n".join(parsed)
        tokens = []
        md = _parser("]:" in src)
        md.block.parse(src, md, {}, tokens)
    result = _walk(tokens, keep, last, n, heads)
    if result is None:  # a run head was not a list item: parse the full text instead
        return parse_structure(lines, skeleton=False)
    for i in range(fm):
        result.code[i] = 1
    result.collapsed = n - len(keep)
    return result


# Lines of a *plain* document (see _plain_tokens): an ATX heading without closing #s, tabs
# or escapes; a paragraph line starting with a letter or bold text, without a "|"; a list item
# with one space after its marker and one-line paragraph content (as _RUN_LINE), at column 0
# or, for a bullet item under a bullet item, at column 2.
_PLAIN_HEADING = re.compile(r"(#{1,6}) ([^\s#\\](?:[^#\t\\]*[^\s#\\])?)")
_PLAIN_PARAGRAPH = re.compile(r"(?:[^\W\d_]|\*\*[^\s*])[^|]*")


class _Token:
    """The little of a markdown-it token that _walk reads."""

    __slots__ = ("content", "map", "tag", "type")

    def __init__(
        self, type: str, map: list[int] | None = None, tag: str = "", content: str = ""
    ) -> None:
        self.type = type
        self.map = map
        self.tag = tag
        self.content = content


def _plain_tokens(lines: list[str]) -> list[Token] | None:
    """markdown-it's block tokens for a *plain* document, without markdown-it; else None.

    A plain document holds only blank lines, headings, paragraphs and one-line list items
    (nested one level at most, under a bullet item) in the forms above, and no line that a
    plain line could make lazy or turn into something else: a paragraph line never directly
    follows an item, an ordered item never directly follows a paragraph (it could not
    interrupt it unless numbered 1).  ``tests/test_markdown_structure.py`` checks the
    equivalence with markdown-it with hypothesis.
    """
    kinds: list[str] = []  # per line: B blank, H heading, P paragraph, I item, C sub-item
    heading: dict[int, tuple[int, str]] = {}
    ordered: dict[int, bool] = {}
    prev = "B"  # the previous line's kind
    top = ""  # the kind of the current top-level item's marker: "b" bullet, "o" ordered
    for i, line in enumerate(lines):
        if not line:
            kind = "B"
        elif line[0] == "#":
            m = _PLAIN_HEADING.fullmatch(line)
            if m is None:
                return None
            heading[i] = (len(m.group(1)), m.group(2))
            kind = "H"
        elif (m := _RUN_LINE.match(line)) is not None:
            indent, marker, spacing = m.groups()
            if spacing != " ":
                return None
            is_bullet = marker in "-*+"
            if not indent:
                if not is_bullet and prev == "P":
                    return None
                kind = "I"
                top = "b" if is_bullet else "o"
            elif indent == "  " and is_bullet and top == "b":
                kind = "C"
            else:
                return None
            ordered[i] = not is_bullet
        elif _PLAIN_PARAGRAPH.fullmatch(line) is not None and prev in ("B", "H", "P"):
            kind = "P"
        else:
            return None
        if kind in ("H", "P"):
            top = ""
        kinds.append(kind)
        prev = kind
    # markdown-it sees no last line when the text ends with a line break (a last "" line)
    n = len(lines) - 1 if lines and not lines[-1] else len(lines)
    tokens: list[Token] = []
    add = tokens.append
    open_items = 0
    for i in range(n):
        kind = kinds[i]
        if kind in ("B",):
            continue
        if kind in ("H", "P", "I") or (kind == "C" and open_items == 2):
            closing = open_items if kind != "C" else 1
            for _ in range(closing):
                add(_Token("list_item_close"))  # type: ignore[arg-type]
                add(_Token("bullet_list_close"))  # type: ignore[arg-type]
            open_items -= closing
        if kind == "H":
            level, text = heading[i]
            add(_Token("heading_open", [i, i + 1], f"h{level}"))  # type: ignore[arg-type]
            add(_Token("inline", [i, i + 1], content=text))  # type: ignore[arg-type]
            add(_Token("heading_close"))  # type: ignore[arg-type]
        elif kind in ("I", "C"):
            # An item runs to the next non-blank line that is not its own (sub-item).
            end = i + 1
            while end < n and (kinds[end] == "B" or (kind == "I" and kinds[end] == "C")):
                end += 1
            add(_Token("ordered_list_open" if ordered[i] else "bullet_list_open"))  # type: ignore[arg-type]
            add(_Token("list_item_open", [i, end]))  # type: ignore[arg-type]
            add(_Token("paragraph_open", [i, i + 1]))  # type: ignore[arg-type]
            open_items += 1
    for _ in range(open_items):
        add(_Token("list_item_close"))  # type: ignore[arg-type]
        add(_Token("bullet_list_close"))  # type: ignore[arg-type]
    return tokens


def _marker_kind(marker: str) -> str:
    return marker if marker in "-*+" else marker[-1]


def _walk(
    tokens: list[Token],
    keep: list[int],
    last: list[int],
    n: int,
    heads: dict[int, list[tuple[int, int, bool]]],
) -> MdStructure | None:
    out = MdStructure(code=bytearray(n))
    items = out.items
    stack: list[int] = []  # indices of open items
    ordered_stack: list[bool] = []
    seen_heads: set[int] = set()
    ntok = len(tokens)
    i = 0
    while i < ntok:
        tok = tokens[i]
        t = tok.type
        if t == "list_item_open":
            s0, s1 = tok.map  # type: ignore[misc]
            nxt = tokens[i + 1] if i + 1 < ntok else None
            para = nxt is not None and nxt.type == "paragraph_open" and nxt.map[0] == s0  # type: ignore[index]
            depth = len(stack)
            parent = stack[-1] if stack else None
            ordered = ordered_stack[-1] if ordered_stack else False
            start = keep[s0]
            end = last[s1 - 1] + 1
            if s0 in heads:
                if not para:
                    return None
                seen_heads.add(s0)
                # Collapsed siblings, each a one-line paragraph, maybe with one-line bullet
                # sub-items (a list nested in the sibling before them).
                unit = -1
                for line, end_line, sub in heads[s0]:
                    if sub:
                        items.append(_new(MdItem, (line, end_line, depth + 1, unit, False, True)))
                    else:
                        unit = len(items)
                        items.append(_new(MdItem, (line, end_line, depth, parent, ordered, True)))
                start = last[s0]
            items.append(_new(MdItem, (start, end, depth, parent, ordered, para)))
            stack.append(len(items) - 1)
        elif t == "list_item_close":
            stack.pop()
        elif t == "bullet_list_open":
            ordered_stack.append(False)
        elif t == "ordered_list_open":
            ordered_stack.append(True)
        elif t in ("bullet_list_close", "ordered_list_close"):
            ordered_stack.pop()
        elif t == "heading_open":
            text = tokens[i + 1].content if i + 1 < ntok else ""
            if "\n" in text:  # a setext heading over several lines: one line of text
                text = " ".join(part.strip() for part in text.split("\n"))
            out.headings.append(MdHeading(keep[tok.map[0]], int(tok.tag[1:]), text))  # type: ignore[index]
        elif t in ("fence", "code_block", "html_block"):
            s0, s1 = tok.map  # type: ignore[misc]
            for line in range(keep[s0], last[s1 - 1] + 1):
                out.code[line] = 1
        i += 1
    if len(seen_heads) != len(heads):
        return None
    return out
