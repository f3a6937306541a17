"""A one-line text input in a modal: a clarification's answer (review mode's ``a``), a new
task's title (the board's ``a``/``A``), a renamed title (``R``), sub-task titles (``s``)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sdd_tui.textsafe import safe


class TextInputScreen(ModalScreen[str | None]):
    """Shows ``prompt`` (workspace text: never markup); ``enter`` returns the line typed,
    stripped (an empty one rings the bell), ``escape`` None."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]
    DEFAULT_CSS = """
    TextInputScreen { align: center middle; }
    TextInputScreen > Vertical {
        width: 96; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    TextInputScreen #input-prompt { height: auto; margin-bottom: 1; }
    TextInputScreen #input-note { height: auto; color: $text-muted; margin-top: 1; }
    """

    def __init__(
        self,
        title: str,
        prompt: str,
        where: str,
        *,
        placeholder: str = "",
        note: str = "enter confirms · esc cancels",
        value: str = "",
        mark: str = "? ",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.where = where
        self.placeholder = placeholder
        self.note = note
        self.value = value
        self.mark = mark

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            text = Text()
            text.append(self.mark, "bold yellow")
            text.append(safe(self.prompt) or "(none)", "bold")
            if self.where:
                text.append(f"\n{safe(self.where)}", "dim")
            yield Static(text, id="input-prompt")
            # the cursor after the text offered, not all of it selected: typing adds to it
            yield Input(
                value=safe(self.value),
                placeholder=self.placeholder,
                id="input-line",
                select_on_focus=False,
            )
            yield Static(self.note, id="input-note", markup=False)

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


class AnswerScreen(TextInputScreen):
    """Shows the question; ``enter`` returns the answer typed, ``escape`` None."""

    def __init__(self, question: str, where: str) -> None:
        super().__init__(
            "Answer the clarification",
            question or "(no question)",
            where,
            placeholder="the decision, in one line",
            note="enter writes it in place of the marker and under ## Clarifications "
            "(u undoes it) · esc cancels",
        )
