"""A document's diff against HEAD (key ``d``)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from sdd_tui.textsafe import safe
from sdd_tui.ui.widgets.document_view import DocumentView


class DiffScreen(ModalScreen[None]):
    """A document's diff against HEAD, coloured; the text is shown literally."""

    BINDINGS = [Binding("escape,q,d", "dismiss", "Close")]
    DEFAULT_CSS = """
    DiffScreen { align: center middle; }
    DiffScreen > DocumentView {
        width: 95%; height: 90%; border: round $primary; background: $surface;
    }
    """

    def __init__(self, title: str, diff: str) -> None:
        super().__init__()
        self.title_ = title
        self.diff = diff

    def compose(self) -> ComposeResult:
        yield DocumentView(id="diff-view")

    def on_mount(self) -> None:
        view = self.query_one(DocumentView)
        view.border_title = self.title_
        lines: list[tuple[int, Text]] = []
        if not self.diff.strip():
            view.set_message("No changes against HEAD.")
        else:
            for i, line in enumerate(self.diff.splitlines()):
                style = ""
                if line.startswith("+") and not line.startswith("+++"):
                    style = "green"
                elif line.startswith("-") and not line.startswith("---"):
                    style = "red"
                elif line.startswith("@@"):
                    style = "cyan"
                elif line.startswith(("diff ", "index ", "+++", "---")):
                    style = "bold"
                lines.append((i, Text(safe(line) or " ", style=style)))
            view.set_lines(lines)
        view.focus()

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
