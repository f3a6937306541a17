"""The feature switcher: every feature with its layout, progress and counts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.textsafe import safe
from sdd_tui.ui.cards import progress_bar


def feature_line(f: Feature, active: str | None) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("● " if f.id == active else "  ", "green")
    text.append(f"{safe(f.id):<34}", "dim" if f.archived else "bold")
    text.append(f" {f.layout:<9}", "dim")
    text.append_text(progress_bar(f.done_count, len(f.tasks), 10))
    text.append(f" {f.done_count:>3}/{len(f.tasks):<3}", "dim")
    if f.checklist:
        checked = sum(1 for c in f.checklist if c.checked)
        text.append(f"  ☑ {checked}/{len(f.checklist)}", "dim")
    if f.clarifications:
        text.append(f"  ? {len(f.clarifications)}", "yellow")
    return text


class FeatureSwitcher(ModalScreen[str | None]):
    BINDINGS = [Binding("escape,q,f", "dismiss", "Close")]
    DEFAULT_CSS = """
    FeatureSwitcher { align: center middle; }
    FeatureSwitcher > Vertical {
        width: 96; max-width: 95%; height: auto; max-height: 85%;
        border: round $primary; background: $surface;
    }
    FeatureSwitcher OptionList { height: auto; max-height: 40; border: none; }
    FeatureSwitcher .title { padding: 0 1; text-style: bold; }
    """

    def __init__(self, ws: Workspace, current: str | None) -> None:
        super().__init__()
        self.ws = ws
        self.current = current

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        active = [f for f in self.ws.features if not f.archived]
        archived = [f for f in self.ws.features if f.archived]
        for f in active:
            options.append(Option(feature_line(f, self.ws.active_feature), id=f.id))
        if archived:
            options.append(
                Option(Text(f"── archived ({len(archived)})", style="dim"), disabled=True)
            )
            for f in archived:
                options.append(Option(feature_line(f, self.ws.active_feature), id=f.id))
        with Vertical():
            yield Static("Features", classes="title")
            yield OptionList(*options, id="features")

    def on_mount(self) -> None:
        features = self.query_one(OptionList)
        if self.current is not None:
            try:
                features.highlighted = features.get_option_index(self.current)
            except Exception:
                features.highlighted = 0
        features.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss(self, result: str | None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
