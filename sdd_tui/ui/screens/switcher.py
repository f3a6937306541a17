"""The feature switcher: every feature with its layout, progress and counts."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.textsafe import safe
from sdd_tui.ui.cards import progress_bar

ID_WIDTH = 44  # a dated OpenSpec change ID (2025-01-01-add-…) is about this long


def feature_line(f: Feature, active: str | None, width: int = 34) -> Text:
    """One row: ``width`` cells for the ID (longer ones end in "…", the columns stay)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("● " if f.id == active else "  ", "green")
    shown = safe(f.id)
    if len(shown) > width:
        shown = shown[: width - 1] + "…"
    text.append(f"{shown:<{width}}", "dim" if f.archived else "bold")
    text.append(f" {f.layout:<9}", "dim")
    text.append_text(progress_bar(f.done_count, len(f.tasks), 10))
    text.append(f" {f.done_count:>3}/{len(f.tasks):<3}", "dim")
    if f.checklist:
        checked = sum(1 for c in f.checklist if c.checked)
        text.append(f"  ☑ {checked}/{len(f.checklist)}", "dim")
    if f.clarifications:
        text.append(f"  ? {len(f.clarifications)}", "yellow")
    return text


def matches(f: Feature, query: str) -> bool:
    """Every word of ``query`` is in the feature's ID or layout (any case)."""
    hay = f"{f.id} {f.layout}".lower()
    return all(word in hay for word in query.lower().split())


class FeatureSwitcher(ModalScreen[str | None]):
    """Every feature; typing filters them, ↑/↓ and enter choose, esc clears then closes."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("down", "list('cursor_down')", "Next", show=False),
        Binding("up", "list('cursor_up')", "Previous", show=False),
        Binding("pagedown", "list('page_down')", "Page down", show=False),
        Binding("pageup", "list('page_up')", "Page up", show=False),
    ]
    DEFAULT_CSS = """
    FeatureSwitcher { align: center middle; }
    FeatureSwitcher > Vertical {
        width: 110; max-width: 95%; height: auto; max-height: 85%;
        border: round $primary; background: $surface;
    }
    FeatureSwitcher OptionList { height: auto; max-height: 40; border: none; }
    FeatureSwitcher #feature-filter {
        border: none; height: 1; padding: 0 1; margin: 0 1; background: $boost;
    }
    FeatureSwitcher .title { padding: 0 1; text-style: bold; }
    """

    def __init__(self, ws: Workspace, current: str | None) -> None:
        super().__init__()
        self.ws = ws
        self.current = current
        longest = max((len(f.id) for f in ws.features), default=0)
        self.id_width = max(34, min(longest, ID_WIDTH))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Features", classes="title")
            yield Input(placeholder="type to filter…", id="feature-filter")
            yield OptionList(*self._options(""), id="features")

    def _options(self, query: str) -> list[Option]:
        options: list[Option] = []
        shown = [f for f in self.ws.features if matches(f, query)]
        active = [f for f in shown if not f.archived]
        archived = [f for f in shown if f.archived]
        for f in active:
            options.append(Option(self._line(f), id=f.id))
        if archived:
            options.append(
                Option(Text(f"── archived ({len(archived)})", style="dim"), disabled=True)
            )
            for f in archived:
                options.append(Option(self._line(f), id=f.id))
        if not options:
            options.append(Option(Text("no feature matches", style="dim italic"), disabled=True))
        return options

    def _line(self, f: Feature) -> Text:
        return feature_line(f, self.ws.active_feature, self.id_width)

    def on_mount(self) -> None:
        features = self.query_one(OptionList)
        if self.current is not None:
            try:
                features.highlighted = features.get_option_index(self.current)
            except Exception:
                features.highlighted = 0
        self.query_one(Input).focus()

    @on(Input.Changed, "#feature-filter")
    def _filter(self, event: Input.Changed) -> None:
        features = self.query_one(OptionList)
        features.set_options(self._options(event.value))
        first = next((i for i, o in enumerate(features._options) if not o.disabled), None)
        features.highlighted = first

    @on(Input.Submitted, "#feature-filter")
    def _chosen(self, event: Input.Submitted) -> None:
        event.stop()
        features = self.query_one(OptionList)
        if features.highlighted is None:
            self.app.bell()
            return
        option = features.get_option_at_index(features.highlighted)
        if option.disabled or option.id is None:
            self.app.bell()
            return
        self.dismiss(option.id)

    def action_list(self, action: str) -> None:
        """↑/↓/page keys move the list's highlight while the filter has the focus."""
        getattr(self.query_one(OptionList), f"action_{action}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        box = self.query_one(Input)
        if box.value:
            box.value = ""  # the first escape clears the filter
            return
        self.dismiss(None)
