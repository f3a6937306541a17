"""List items whose height is known without building and wrapping their styled content.

``OptionList`` measures every option's height (wrapping its text at the list's width) when
the options are set, and renders only the options in view.

- ``Rows``: the tests pane of a 20,000-task workspace lists ~6,000 cases, which took ~0.5 s
  of the UI thread after every new set of results.  A ``Rows`` prompt says its height at
  once — one row per line of its text — and each line is cut with "…" at the list's width
  instead of wrapped (the case's detail shows all of it).
- ``Wrapped``: a board card wraps like any option, but its height is counted from the plain
  text with the very line breaker ``Content`` wraps with, and its ``Content`` is built only
  when the card is drawn.  Measuring a column's cards was half of drawing the board.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich._wrap import divide_line
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


class Wrapped(_Prompt):
    """``text`` wrapped at the list's width, exactly as ``Content`` wraps it."""

    __slots__ = ("_height",)

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self._height = (-1, 0)  # (width, height at that width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self._get_content().render_strips(width, height, style, options)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return self._get_content().get_optimal_width(rules, container_width)

    def get_height(self, rules: Any, width: int) -> int:
        plain = self.text.plain
        if (
            "\t" in plain  # tabs are expanded per line before wrapping: let Content count
            or rules.get("text_wrap", "wrap") != "wrap"
            or rules.get("text_overflow", "fold") != "fold"
            or rules.get("line_pad", 0)
        ):
            return self._get_content().get_height(rules, width)
        if self._height[0] != width:
            lines = 0
            for line in plain.split("\n"):
                if len(line) <= width and (line.isascii() or cell_len(line) <= width):
                    lines += 1  # it fits: no need to find where it would break
                else:
                    lines += len(divide_line(line, width, fold=True)) + 1
            self._height = (width, lines)
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
