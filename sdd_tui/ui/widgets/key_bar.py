"""The key bar: one line of key hints at the bottom, drawn as one widget.

Textual's ``Footer`` builds a widget (with data-bound watchers) per key and rebuilds them on
every focus change; that costs ~0.1 s before the first paint and, through the watchers it
never drops (Textualize/textual#6666), makes every later focus change slower.  The key bar
draws the same hints — the focused widget's bindings, then the app's, one per action, the
command palette on the right — as a single line of text, refreshed when the bindings change.
A click on a hint presses its key.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

# (binding, enabled, key display) per hint, and the command palette's binding.
_State = tuple[list[tuple[Binding, bool, str]], Binding | None]


class KeyBar(Widget, can_focus=False):
    """Key hints for the focused widget and the app, like ``Footer`` but one widget."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hits: list[tuple[int, int, str]] = []  # (first cell, end cell, key)
        self._shown: tuple[object, ...] | None = None
        self._drawn_from: _State | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        # Every focus change signals, and a board move re-focuses the same column: repaint
        # only when the hints differ.
        state = self._state()
        shown = self._signature(state)
        if shown != self._shown:
            self._shown = shown
            self._drawn_from = state
            self.refresh()

    def _state(self) -> _State:
        """The hints and the command palette's binding, from one look at the active
        bindings (the screen computes them afresh on every access)."""
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        seen: set[str] = set()
        # The focused widget's keys, then the app's (quit, help), then the screen's: the order
        # the bar had when every workbench key was the app's.
        shown: list[tuple[Binding, bool, str]] = []
        app_wide: list[tuple[Binding, bool, str]] = []
        on_screen: list[tuple[Binding, bool, str]] = []
        for key, (node, binding, enabled, _tip) in active.items():
            if not binding.show or binding.action in seen or key == palette:
                continue
            seen.add(binding.action)
            hint = (binding, enabled, self.app.get_key_display(binding))
            if node is self.app:
                app_wide.append(hint)
            elif node is self.screen:
                on_screen.append(hint)
            else:
                shown.append(hint)
        shown += app_wide + on_screen
        found = active.get(palette) if palette else None
        return shown, (found[1] if found is not None else None)

    @staticmethod
    def _signature(
        state: _State,
    ) -> tuple[object, ...]:
        hints, palette = state
        return (
            tuple((b.key, b.action, b.description, on, display) for b, on, display in hints),
            palette.description if palette is not None else None,
        )

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        desc_style = self.get_component_rich_style("key-bar--description")
        dim = Style(dim=True)
        text = Text(no_wrap=True, overflow="crop")
        hits: list[tuple[int, int, str]] = []
        # The state the last change check saw, when there was one: it is still current
        # (any change since would have signalled and replaced it).
        state, self._drawn_from = self._drawn_from or self._state(), None
        hints, palette_binding = state
        for binding, enabled, display in hints:
            start = text.cell_len
            extra = Style() if enabled else dim
            text.append(f" {display} ", key_style + extra)
            text.append(f"{binding.description} ", desc_style + extra)
            hits.append((start, text.cell_len, binding.key.split(",")[0]))
        width = self.size.width
        if palette_binding is not None:
            binding = palette_binding
            label = Text.assemble(
                ("▏", dim),
                (f" {self.app.get_key_display(binding)} ", key_style),
                (f"{binding.description} ", desc_style),
            )
            if width and text.cell_len + label.cell_len <= width:
                text.append(" " * (width - text.cell_len - label.cell_len))
                start = text.cell_len
                text.append_text(label)
                hits.append((start, text.cell_len, binding.key.split(",")[0]))
        self._hits = hits
        return text

    def key_at(self, x: int) -> str | None:
        for start, end, key in self._hits:
            if start <= x < end:
                return key
        return None

    def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x)
        if key is not None:
            event.stop()
            self.app.simulate_key(key)
