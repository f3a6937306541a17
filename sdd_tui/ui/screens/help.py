"""The help screen: every key of the workbench, generated from the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeyRows = list[tuple[str, list[tuple[str, str]]]]


def _pretty(keys: str) -> str:
    names = {
        "left": "←",
        "right": "→",
        "up": "↑",
        "down": "↓",
        "space": "space",
        "question_mark": "?",
        "slash": "/",
        "escape": "esc",
    }
    out = []
    for k in keys.split(","):
        k = k.strip()
        parts = k.split("+")
        parts[-1] = names.get(parts[-1], parts[-1])
        out.append("+".join(parts))
    return " / ".join(out)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, sections: KeyRows) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for title, rows in self.sections:
            table.add_row(Text(title, style="bold underline"), "")
            for keys, desc in rows:
                table.add_row(_pretty(keys), desc)
            table.add_row("", "")
        with VerticalScroll():
            yield Static(Text("Keys", style="bold"))
            yield Static(table)
            yield Static(Text("esc closes this help", style="dim"))


def binding_rows(bindings: list[Binding | tuple[str, ...]]) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        if isinstance(b, Binding):
            if b.description:
                rows.append((b.key, b.tooltip or b.description))
        elif len(b) >= 3:
            rows.append((b[0], b[2]))
    return rows
