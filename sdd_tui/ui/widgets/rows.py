"""List items whose height is known without building and wrapping their styled content.

``OptionList`` measures every option's height (wrapping its text at the list's width) when
the options are set, and renders only the options in view.

- ``Rows``: the tests pane of a 20,000-task workspace lists ~6,000 cases, which took ~0.5 s
  of the UI thread after every new set of results.  A ``Rows`` prompt says its height at
  once — one row per line of its text — and each line is cut with "…" at the list's width
  instead of wrapped (the case's detail shows all of it).
- ``Wrapped``: a board card wraps at spaces and, in a word too long for a line, after path
  separators (``break_spans``); its height is counted from the plain text with that line
  breaker, and its ``Content`` is built only when the card is drawn.  Measuring a column's
  cards was half of drawing the board.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class _NoWrap:
    """The widget's style rules, with wrapping off and an ellipsis where a line is cut."""

    OVERRIDES = {"text_wrap": "nowrap", "text_overflow": "ellipsis"}

    def __init__(self, rules: Any) -> None:
        self._rules = rules

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.OVERRIDES:
            return self.OVERRIDES[name]
        return self._rules.get(name, default)


class _Prompt(Visual):
    """A Rich ``Text`` drawn through the ``Content`` made from it when first drawn."""

    __slots__ = ("_content", "text")

    def __init__(self, text: Text) -> None:
        self.text = text
        self._content: Content | None = None

    @property
    def plain(self) -> str:
        return self.text.plain

    def _get_content(self) -> Content:
        if self._content is None:
            self._content = Content.from_rich_text(self.text)
        return self._content


BREAK_AFTER = frozenset("/._-")  # a word too long for a line breaks after one of these


def break_spans(line: str, width: int) -> list[tuple[int, int]]:
    """Where ``line`` wraps at ``width`` cells: the (start, end) of each visual line.

    Lines break at spaces (the spaces at a break are dropped when drawn).  A word that does
    not fit what is left of a line moves to the next one; a word longer than a whole line
    breaks after a ``/``, ``.``, ``_`` or ``-`` (a path, a file name), and only a word with no
    such place is cut at the width.  So ``recipebox/planner.py`` is never ``planner.p``/``y``.
    """
    if width <= 0 or cell_len(line) <= width:
        return [(0, len(line))]
    spans: list[tuple[int, int]] = []
    start = 0  # where the current visual line starts
    used = 0  # cells taken on it
    for m in re.finditer(r"\s+|\S+", line):
        token = m.group()
        if token[0].isspace():
            used += cell_len(token)  # may run past the width: dropped at a break
            continue
        pos, end = m.span()
        if used + cell_len(token) <= width:
            used += cell_len(token)
            continue
        if pos > start and cell_len(token) <= width:  # the next line holds it whole
            spans.append((start, pos))
            start, used = pos, cell_len(token)
            continue
        while pos < end:  # longer than a line: break inside it
            rest = line[pos:end]
            room = width - used if pos > start else width
            if cell_len(rest) <= room:
                used = (used if pos > start else 0) + cell_len(rest)
                break
            cut = _last_break(rest, room)
            if cut:
                spans.append((start, pos + cut))
            elif pos > start:
                spans.append((start, pos))  # start it on a line of its own
                start, used = pos, 0
                continue
            else:
                cut = _fold(rest, width)
                spans.append((start, pos + cut))
            pos += cut
            start, used = pos, 0
    spans.append((start, len(line)))
    return spans


def _last_break(word: str, room: int) -> int:
    """Characters of ``word`` up to the break that fits in ``room`` cells (0: none does):
    the last ``/`` (between path parts), else the last ``_`` or ``-`` (inside a name), else
    the last ``.`` (before an extension), so ``recipebox/`` ``planner.py`` stays readable."""
    best: dict[str, int] = {}
    cells = 0
    for i, ch in enumerate(word[:-1]):
        cells += cell_len(ch)
        if cells > room:
            break
        if ch in BREAK_AFTER:
            best["." if ch == "." else "-" if ch in "_-" else "/"] = i + 1
    for kind in ("/", "-", "."):
        if kind in best:
            return best[kind]
    return 0


def _fold(word: str, width: int) -> int:
    """Characters of ``word`` that fit in ``width`` cells (at least one)."""
    cells = 0
    for i, ch in enumerate(word):
        cells += cell_len(ch)
        if cells > width:
            return max(1, i)
    return len(word)


def _wraps(rules: Any) -> bool:
    """The list wraps its prompts as ``break_spans`` does (its default rules)."""
    return (
        rules.get("text_wrap", "wrap") == "wrap"
        and rules.get("text_overflow", "fold") == "fold"
        and not rules.get("line_pad", 0)
    )


class Wrapped(_Prompt):
    """``text`` wrapped at the list's width by :func:`break_spans` (spaces, then path
    separators, then the width), its height counted without building any ``Content``."""

    __slots__ = ("_height", "_wrapped")

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self._height = (-1, 0)  # (width, height at that width)
        self._wrapped: tuple[int, Content] | None = None

    def _plain_lines(self) -> tuple[Text, list[str]]:
        text = self.text
        if "\t" in text.plain:
            text = text.copy()
            text.expand_tabs()
        return text, text.plain.split("\n")

    def _content_at(self, width: int) -> Content:
        """The content with a line break where each visual line ends."""
        cached = self._wrapped
        if cached is None or cached[0] != width:
            text, lines = self._plain_lines()
            out = Text()
            offset = 0
            first = True
            for line in lines:
                for start, end in break_spans(line, width):
                    piece = text[offset + start : offset + end]
                    piece.rstrip()
                    if not first:
                        out.append("\n")
                    out.append_text(piece)
                    first = False
                offset += len(line) + 1
            cached = self._wrapped = (width, Content.from_rich_text(out))
        return cached[1]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not _wraps(options.rules):
            return self._get_content().render_strips(width, height, style, options)
        return self._content_at(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return self._get_content().get_optimal_width(rules, container_width)

    def get_height(self, rules: Any, width: int) -> int:
        if not _wraps(rules):
            return self._get_content().get_height(rules, width)
        if self._height[0] != width:
            _, lines = self._plain_lines()
            count = sum(len(break_spans(line, width)) for line in lines)
            self._height = (width, count)
        return self._height[1]


class Rows(_Prompt):
    """``text`` shown one row per line, never wrapped."""

    __slots__ = ("_height",)

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self._height = text.plain.count("\n") + 1

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        no_wrap = replace(options, rules=_NoWrap(options.rules))  # type: ignore[arg-type]
        return self._get_content().render_strips(width, height, style, no_wrap)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return max(cell_len(line) for line in self.text.plain.split("\n"))

    def get_height(self, rules: Any, width: int) -> int:
        return self._height
