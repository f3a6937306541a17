"""Headings outline of a document, for jumping."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from sdd_tui.ui.widgets.doc_pane import DocPane


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# ``_`` inside a word (snake_case) is no emphasis, as in CommonMark
_EMPHASIS = re.compile(r"(\*{1,3}|~~|`+|(?<!\w)_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")


def plain(heading: str) -> str:
    """A heading's text as read, without its Markdown markup: ``*(mandatory)*`` →
    ``(mandatory)``, ``[Spec](spec.md)`` → ``Spec``, code spans without backticks."""
    text = _LINK.sub(r"\1", heading)
    for _ in range(3):  # nested emphasis: ***a*** or **_a_**
        text = _EMPHASIS.sub(r"\2", text)
    return text


class OutlineScreen(ModalScreen[int | None]):
    """Pick a heading (or marker); returns its 0-based line."""

    BINDINGS = [Binding("escape,q,o", "dismiss", "Close")]
    DEFAULT_CSS = """
    OutlineScreen { align: center middle; }
    OutlineScreen > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 85%;
        border: round $primary; background: $surface;
    }
    OutlineScreen OptionList { height: auto; max-height: 40; border: none; }
    OutlineScreen .title { padding: 0 1; text-style: bold; }
    """

    def __init__(self, title: str, entries: list[tuple[int, int, str]]) -> None:
        """``entries``: (0-based line, level, text); level 0 marks a clarification."""
        super().__init__()
        self.title_ = title
        self.entries = entries

    def compose(self) -> ComposeResult:
        options = []
        for line, level, text in self.entries:
            label = Text(no_wrap=True, overflow="ellipsis")
            if level == 0:
                label.append("? ", "bold yellow")
                label.append(safe(text), "yellow")
            else:
                label.append("  " * (level - 1))
                label.append(safe(plain(text)), "bold" if level <= 2 else "")
            label.append(f"  :{line + 1}", "dim")
            options.append(Option(label, id=str(line)))
        with Vertical():
            yield Static(self.title_, classes="title")
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_dismiss(self, result: int | None = None) -> None:  # type: ignore[override]
        self.dismiss(result)


def open_outline(screen: Screen[object], request: DocPane.OutlineRequested) -> None:
    """Show the outline a document pane asked for; the chosen line is jumped to there."""
    pane = request.pane

    def jump(line: int | None) -> None:
        if line is not None:
            pane.jump_to_line(line)

    screen.app.push_screen(OutlineScreen(request.title, request.entries), jump)
