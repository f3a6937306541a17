"""A virtualised, wrapped view of a Markdown document (toolong's model: render_line).

Only the rows on screen are turned into strips; wrapping is recomputed when the width
changes.  Source line numbers map to rows so headings and markers can be jumped to.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class DocumentView(ScrollView, can_focus=True):
    """Styled Markdown lines, wrapped to the width, drawn row by row."""

    DEFAULT_CSS = """
    DocumentView {
        background: $surface;
        padding: 0 1;
    }
    DocumentView:focus {
        background-tint: $foreground 3%;
    }
    """

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("pageup,b", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home,g", "scroll_home", "Top", show=False),
        Binding("end,G", "scroll_end", "Bottom", show=False),
    ]

    highlight_line: reactive[int | None] = reactive(None, layout=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source: list[tuple[int, Text]] = []  # (first source line, block)
        self._rows: list[tuple[int, Text]] = []  # (source line, wrapped piece)
        self._row_of_line: list[int] = []
        self._width = -1
        self._cache: dict[tuple[int, int, bool], Strip] = {}
        self.empty_message = ""

    @property
    def block_count(self) -> int:
        return len(self._source)

    def set_lines(self, lines: list[tuple[int, Text]], *, keep_scroll: bool = False) -> None:
        y = self.scroll_offset.y
        self._source = lines
        self._width = -1
        self._rewrap()
        if keep_scroll:
            self.scroll_to(y=min(y, max(0, len(self._rows) - 1)), animate=False)
        else:
            self.scroll_to(y=0, animate=False)
        self.refresh()

    def set_message(self, message: str) -> None:
        self.empty_message = message
        self.set_lines([])

    def on_resize(self) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = max(10, self.scrollable_content_region.width or self.size.width or 80)
        if width == self._width and self._rows:
            return
        self._width = width
        self._cache.clear()
        rows: list[tuple[int, Text]] = []
        row_of_line: list[int] = []
        console = self.app.console if self.is_attached else None
        for line, text in self._source:
            while len(row_of_line) <= line:
                row_of_line.append(len(rows))
            if console is None or (len(text.plain) <= width and "\n" not in text.plain):
                rows.append((line, text))
                continue
            for piece in text.wrap(console, width, overflow="fold", no_wrap=False):
                rows.append((line, piece))
        self._rows = rows
        self._row_of_line = row_of_line
        self.virtual_size = Size(width, len(rows))

    def row_of(self, line: int) -> int:
        """The first row of the block showing 0-based source ``line``."""
        if not self._row_of_line:
            return 0
        line = max(0, min(line, len(self._row_of_line) - 1))
        return self._row_of_line[line]

    def line_at_row(self, row: int) -> int | None:
        """The first source line of the block drawn at ``row``."""
        if 0 <= row < len(self._rows):
            return self._rows[row][0]
        return None

    def jump_to_line(self, line: int, *, highlight: bool = True) -> None:
        """Scroll so that 0-based source ``line`` is near the top, and mark it."""
        self._rewrap()
        self.scroll_to(y=max(0, self.row_of(line) - 2), animate=False)
        if highlight:
            self.highlight_line = self.line_at_row(self.row_of(line))

    def watch_highlight_line(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._width and width >= 10:
            self._rewrap()  # the scrollbar came or went: wrap to the new width
        scroll_y = self.scroll_offset.y
        row = scroll_y + y
        base = self.rich_style
        if not self._rows:
            if y == 0 and self.empty_message:
                return Strip([Segment(self.empty_message, base + Style(dim=True))]).crop_extend(
                    0, width, base
                )
            return Strip.blank(width, base)
        if row >= len(self._rows):
            return Strip.blank(width, base)
        line, _ = self._rows[row]
        marked = line == self.highlight_line
        key = (row, width, marked)
        strip = self._cache.get(key)
        if strip is None:
            text = self._rows[row][1]
            console = self.app.console
            segments = list(text.render(console, end=""))
            strip = Strip(segments).crop_extend(0, width, None)
            if marked:
                strip = strip.apply_style(Style(bgcolor="grey23"))
            strip = strip.apply_style(base)
            if len(self._cache) > 4000:
                self._cache.clear()
            self._cache[key] = strip
        return strip
