"""A yes/no question; used before a workspace command runs for the first time."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from sdd_tui.textsafe import safe


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for yes (``y``, ``enter`` on "yes"), False for no (``n``, ``escape``)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 96; max-width: 95%; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen #confirm-body { height: auto; }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """

    def __init__(self, title: str, body: Text, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(self.title_text)
            yield Static(self.body, id="confirm-body")
            with Horizontal():
                yield Button(f"{self.no_label} (n)", id="confirm-no")
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def run_command_question(root: Path, command: str, remember_in: Path | None) -> Text:
    """The text asking whether ``command`` may run in ``root``: the command exactly as it will
    run (every line, control characters made visible), where, and where the answer is kept."""
    text = Text()
    text.append("This workspace's test command (tests.command in .sdd/config.yaml) will run:\n\n")
    for i, line in enumerate(command.split("\n")):
        text.append("  $ " if i == 0 else "    ", "dim")
        text.append(safe(line), "bold")
        text.append("\n")
    text.append("\nin ", "dim")
    text.append(safe(str(root)), "")
    text.append(
        "\n\nIt runs with your permissions. Only say yes if you trust this workspace.", "yellow"
    )
    if remember_in is not None:
        text.append(
            f"\nA yes is remembered for this workspace and this exact command in "
            f"{safe(str(remember_in))} (never in the workspace); a changed command asks again.",
            "dim",
        )
    return text
