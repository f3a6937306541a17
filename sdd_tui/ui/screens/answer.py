"""A one-line answer to an open clarification (review mode's ``a``)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sdd_tui.textsafe import safe


class AnswerScreen(ModalScreen[str | None]):
    """Shows the question; ``enter`` returns the answer typed, ``escape`` None."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]
    DEFAULT_CSS = """
    AnswerScreen { align: center middle; }
    AnswerScreen > Vertical {
        width: 96; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    AnswerScreen #answer-question { height: auto; margin-bottom: 1; }
    AnswerScreen #answer-note { height: auto; color: $text-muted; margin-top: 1; }
    """

    def __init__(self, question: str, where: str) -> None:
        super().__init__()
        self.question = question
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Answer the clarification"
            text = Text()
            text.append("? ", "bold yellow")
            text.append(safe(self.question) or "(no question)", "bold")
            text.append(f"\n{safe(self.where)}", "dim")
            yield Static(text, id="answer-question")
            yield Input(placeholder="the decision, in one line", id="answer-input")
            yield Static(
                "enter writes it in place of the marker and under ## Clarifications "
                "(u undoes it) · esc cancels",
                id="answer-note",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.app.bell()
            return
        self.dismiss(value)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
