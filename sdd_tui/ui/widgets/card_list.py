"""The cards of one board column, drawn line by line by one widget.

A column was an ``OptionList``: a scroll view with scrollbar widgets, option records, a
render cache per option and style, and a measure of every option at every width.  Drawing
the four columns was more than half of the workbench's first frame.  A ``CardList`` keeps
only what the board uses: cards (a ``Wrapped`` prompt and a task key), a highlight, its own
scroll position and a one-cell scrollbar drawn with Textual's ``ScrollBarRender``, so it
looks as the option list did (same component styles, padding, separators and bar) and no
child widget is mounted or styled.

Keys: up/down (and j/k), page up/down, home/end, enter.  The mouse: a click highlights a
card, a double click selects it, the wheel scrolls, a click on the bar pages.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions
from textual.widget import Widget

from sdd_tui.ui.widgets.rows import Wrapped

CARD = "card-list--card"
HIGHLIGHTED = "card-list--highlighted"
HOVER = "card-list--hover"
SEPARATOR = "card-list--separator"


class Card:
    """One card: its prompt and its task key.  (Plain classes here, not NamedTuples: each
    NamedTuple compiles its own code when the module is imported, before the first frame.)"""

    __slots__ = ("key", "prompt")

    def __init__(self, prompt: Wrapped, key: str) -> None:
        self.prompt = prompt
        self.key = key


class _PassStyles:
    """The width and styles of one drawing pass."""

    __slots__ = ("bar", "card", "edge", "highlighted", "hover", "separator", "width")

    def __init__(
        self,
        width: int,
        card: Style,
        highlighted: Style,
        hover: Style,
        separator: RichStyle,
        edge: Segment,
        bar: list[Segment],
    ) -> None:
        self.width = width
        self.card = card
        self.highlighted = highlighted
        self.hover = hover
        self.separator = separator
        self.edge = edge
        self.bar = bar


class CardList(Widget, can_focus=True):
    """The cards of one column; ``highlighted`` is the index of the card under the cursor."""

    ALLOW_SELECT = False  # a click highlights a card; it selects no text

    COMPONENT_CLASSES = {CARD, HIGHLIGHTED, HOVER, SEPARATOR}
    # The option list's look, from the same theme variables.
    DEFAULT_CSS = """
    CardList {
        color: $foreground;
        background: $surface;
        overflow: hidden hidden;
        & > .card-list--card {
            padding: 0 1;
        }
        & > .card-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .card-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .card-list--hover {
            background: $block-hover-background;
        }
        & > .card-list--separator {
            color: $foreground 15%;
        }
    }
    """

    BINDINGS = [
        Binding("down,j", "cursor_down", "Next card", show=False),
        Binding("up,k", "cursor_up", "Previous card", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First card", show=False),
        Binding("end", "last", "Last card", show=False),
        Binding("enter", "select", "Card detail", show=False),
    ]

    class CardMessage(Message):
        """About the card ``key`` of the list ``cards``."""

        def __init__(self, cards: CardList, key: str) -> None:
            super().__init__()
            self.cards = cards
            self.key = key

    class Highlighted(CardMessage):
        """The highlight moved to the card ``key``."""

    class Selected(CardMessage):
        """The card ``key`` was chosen (enter, or a double click)."""

    def __init__(self, column: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.column = column
        self.border_title = Text(title, "bold")  # BoardView adds the card count
        self._cards: list[Card] = []
        self._highlighted: int | None = None
        self._hover: int | None = None
        self._top = 0  # the first line shown
        self._lines: list[tuple[int, int]] = []  # (card, line of that card) per line
        self._starts: list[int] = []  # each card's first line
        self._lines_width = -1
        self._strips: dict[tuple[int, int, object], list[Strip]] = {}
        self._bar: tuple[object, list[Segment]] | None = None
        self._pass: _PassStyles | None = None

    # -- content -----------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [card.key for card in self._cards]

    @property
    def card_count(self) -> int:
        return len(self._cards)

    def card(self, index: int) -> Card:
        return self._cards[index]

    def set_cards(self, cards: list[Card]) -> None:
        """Show ``cards``; the highlight is cleared (the board sets it again)."""
        self._cards = cards
        self._highlighted = None
        self._hover = None
        self._lines_width = -1
        self._strips.clear()
        self.refresh()

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self._cards) - 1)) if self._cards else None
        if index == self._highlighted:
            return
        self._highlighted = index
        if index is not None:
            self._scroll_to_card(index)
            self.post_message(self.Highlighted(self, self._cards[index].key))
        self.refresh()

    # -- layout ------------------------------------------------------------------------

    def _text_width(self) -> int:
        # A blank cell, the cards, the scrollbar, a blank cell (the option list's padding
        # around its scrollbar).
        return max(0, self.size.width - 3)

    def _layout(self) -> None:
        width = self._text_width()
        if width == self._lines_width:
            return
        self._lines_width = width
        self._strips.clear()
        padding = self.get_component_styles(CARD).padding
        rules = self.styles
        lines: list[tuple[int, int]] = []
        starts: list[int] = []
        last = len(self._cards) - 1
        for index, card in enumerate(self._cards):
            starts.append(len(lines))
            height = card.prompt.get_height(rules, width - padding.width) + (index < last)
            lines.extend((index, n) for n in range(height))
        self._lines, self._starts = lines, starts
        self._clamp_top()

    def _clamp_top(self) -> None:
        self._top = max(0, min(self._top, len(self._lines) - self.size.height))

    def _scroll_to_card(self, index: int) -> None:
        self._layout()
        if not self._starts or self.size.height <= 0:
            return
        start = self._starts[index]
        end = self._starts[index + 1] - 1 if index + 1 < len(self._starts) else len(self._lines)
        height = self.size.height
        if start < self._top:
            self._top = start
        elif end > self._top + height:
            self._top = start if end - start > height else end - height
        self._clamp_top()

    def _scroll_by(self, lines: int) -> bool:
        self._layout()
        before = self._top
        self._top += lines
        self._clamp_top()
        if self._top != before:
            self.refresh()
        return self._top != before

    def on_resize(self, _event: events.Resize) -> None:
        if self._highlighted is not None:
            self._scroll_to_card(self._highlighted)  # lays out and clamps the view too
        else:
            self._layout()
            self._clamp_top()

    # -- drawing -----------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles every line of this pass shares, looked up once (each lookup walks the
        # node's pseudo-classes: twice a line was a tenth of drawing the list).
        self._layout()
        self._pass = self._pass_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        styles = self._pass
        if styles is None:  # a line asked for on its own
            self._layout()
            styles = self._pass_styles()
        width = styles.width
        line = self._top + y
        if line < len(self._lines):
            index, offset = self._lines[line]
            strips = self._card_strips(index, width, styles)
            strip = strips[offset] if offset < len(strips) else None
        else:
            strip = None
        if strip is None:
            strip = Strip.blank(width, styles.card.rich_style)
        edge = styles.edge
        return Strip([edge, *strip, styles.bar[y], edge], width + 3)

    def _pass_styles(self) -> _PassStyles:
        # Blank cells around the cards are drawn as Textual draws padding: background only.
        edge = Segment(" ", RichStyle(bgcolor=self.get_visual_style().rich_style.bgcolor))
        return _PassStyles(
            self._text_width(),
            self.get_visual_style(CARD),
            self.get_visual_style(CARD, HIGHLIGHTED),
            self.get_visual_style(CARD, HOVER),
            self.get_visual_style(SEPARATOR).rich_style,
            edge,
            self._bar_segments(edge.style),
        )

    def _card_strips(self, index: int, width: int, styles: _PassStyles) -> list[Strip]:
        if index == self._highlighted:
            style = styles.highlighted
        elif index == self._hover:
            style = styles.hover
        else:
            style = styles.card
        key = (index, width, style)
        strips = self._strips.get(key)
        if strips is None:
            # What ``Visual.to_strips`` of the padded prompt gives (cards hold no links
            # and the list allows no selection), without its generic steps.
            card = self._cards[index]
            top, right, bottom, left = self.get_component_styles(CARD).padding
            rich = style.rich_style
            inner = max(0, width - left - right)
            options = RenderOptions(self._get_style, self.styles)
            blank = [Strip.blank(width, rich)]
            lead = [Segment(" " * left, rich)] if left else []
            strips = [*blank * top]
            for strip in card.prompt.render_strips(inner, None, style, options):
                if strip.cell_length > inner:
                    strip = strip.crop(0, inner)
                fill = width - left - strip.cell_length  # the right padding and the rest
                tail = [Segment(" " * fill, rich)] if fill > 0 else []
                strips.append(Strip([*lead, *strip, *tail], width))
            strips += blank * bottom
            if index < len(self._cards) - 1:
                strips.append(Strip([Segment("─" * width, styles.separator)], width))
            self._strips[key] = strips
        return strips

    def _bar_segments(self, plain: RichStyle) -> list[Segment]:
        """The scrollbar, one segment per line (as Textual's ``ScrollBar`` draws it);
        ``plain``: the list's own background, for the gutter when nothing scrolls."""
        height = self.size.height
        styles = self.styles
        background = styles.scrollbar_background
        color = styles.scrollbar_color
        if background.a < 1:
            base, _ = self.background_colors
            background = base + background
        color = background + color
        total = len(self._lines)
        key = (height, total, self._top, background, color, plain)
        if self._bar is not None and self._bar[0] == key:
            return self._bar[1]
        if total > height:
            bar = ScrollBarRender.render_bar(
                size=height,
                virtual_size=total,
                window_size=height,
                position=self._top,
                vertical=True,
                back_color=background.rich_color,
                bar_color=color.rich_color,
            )
            # Without the bar's mouse actions: a click on it pages (``on_click``).
            segments = [
                Segment(
                    s.text,
                    RichStyle(
                        color=s.style.color, bgcolor=s.style.bgcolor, reverse=s.style.reverse
                    ),
                )
                for s in bar.segments
                if s.style is not None
            ]
        else:  # nothing to scroll: the gutter is the list's own background
            segments = [Segment(" ", plain)] * height
        self._bar = (key, segments)
        return segments

    # -- keys --------------------------------------------------------------------------

    def _move(self, index: int) -> None:
        if self._cards:
            self.highlighted = index

    def action_cursor_down(self) -> None:
        current = self._highlighted
        self._move(0 if current is None else current + 1)

    def action_cursor_up(self) -> None:
        current = self._highlighted
        self._move(0 if current is None else current - 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self._cards) - 1)

    def _page(self, direction: int) -> None:
        self._layout()
        if not self._cards:
            return
        current = self._highlighted or 0
        line = self._starts[current] + direction * max(1, self.size.height)
        line = max(0, min(line, len(self._lines) - 1))
        self._move(self._lines[line][0])

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self, self._cards[self._highlighted].key))

    # -- mouse -------------------------------------------------------------------------

    def _card_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or not 1 <= offset.x <= self._text_width():
            return None
        line = self._top + offset.y
        return self._lines[line][0] if 0 <= line < len(self._lines) else None

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.x == self._text_width() + 1:  # the scrollbar: a page towards the click
            thumb = self._top * self.size.height // max(1, len(self._lines))
            self._scroll_by(self.size.height if offset.y > thumb else -self.size.height)
            return
        index = self._card_at(event)
        if index is None:
            return
        self.focus()
        self.highlighted = index
        if event.chain >= 2:
            self.action_select()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._scroll_by(2):
            event.stop()

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._scroll_by(-2):
            event.stop()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._card_at(event)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def _on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
