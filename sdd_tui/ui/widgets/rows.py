"""A list item whose height is known without measuring it: lines that never wrap.

``OptionList`` measures every option's height (wrapping its text at the list's width) when
the options are set; the tests pane of a 20,000-task workspace lists ~6,000 cases, which
took ~0.5 s of the UI thread after every new set of results.  A ``Rows`` prompt says its
height at once — one row per line of its text — and each line is cut with "…" at the
list's width instead of wrapped (the case's detail shows all of it).
"""

from __future__ import annotations

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


class Rows(Visual):
    """``text`` shown one row per line, never wrapped."""

    __slots__ = ("_content", "_height", "text")

    def __init__(self, text: Text) -> None:
        self.text = text
        self._height = text.plain.count("\n") + 1
        self._content: Content | None = None

    @property
    def plain(self) -> str:
        return self.text.plain

    def _get_content(self) -> Content:
        if self._content is None:
            self._content = Content.from_rich_text(self.text)
        return self._content

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        no_wrap = replace(options, rules=_NoWrap(options.rules))  # type: ignore[arg-type]
        return self._get_content().render_strips(width, height, style, no_wrap)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return max(cell_len(line) for line in self.text.plain.split("\n"))

    def get_height(self, rules: Any, width: int) -> int:
        return self._height
