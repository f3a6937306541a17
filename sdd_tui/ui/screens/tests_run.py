"""The live output of a test run: the command, a status line and the log.

``escape`` or ``ctrl+c`` cancels a running command (its whole process group is stopped);
once it has ended they close the view.  ``b`` hides the view and lets the run go on (the
Tests pane keeps its status line; ``t`` shows the log again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import RichLog, Static

from sdd_tui.operations.test_runner import LOG_LINES
from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from sdd_tui.operations.test_runner import RunState


class TestRunScreen(ModalScreen[None]):
    """The log of a test run (running or ended)."""

    __test__ = False

    BINDINGS = [
        Binding("escape", "stop_or_close", "Cancel / close"),
        Binding("ctrl+c", "stop_or_close", "Cancel / close", priority=True, show=False),
        Binding("b", "hide", "Hide (keep running)"),
        Binding("q", "close_if_done", "Close", show=False),
    ]
    DEFAULT_CSS = """
    TestRunScreen { align: center middle; }
    TestRunScreen > Vertical {
        width: 95%; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    TestRunScreen #run-command { height: auto; }
    TestRunScreen #run-status { height: auto; margin-bottom: 1; }
    TestRunScreen RichLog { height: 1fr; border: none; background: $surface; }
    TestRunScreen #run-keys { height: 1; }
    """

    def __init__(
        self, run: RunState, status: Text, *, on_cancel: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self.run = run
        self._status = status
        self._on_cancel = on_cancel

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Test run"
            command = Text()
            command.append("$ ", "dim")
            command.append(safe(self.run.command.replace("\n", " ⏎ ")), "bold")
            yield Static(command, id="run-command")
            yield Static(self._status, id="run-status")
            yield RichLog(id="run-log", max_lines=LOG_LINES, markup=False, highlight=False)
            yield Static(id="run-keys")

    def on_mount(self) -> None:
        log = self.query_one(RichLog)
        self.run.pending.clear()
        for line in self.run.log:
            log.write(Text(safe(line)))
        self._keys()
        self.set_interval(0.05, self._drain)
        log.focus()

    def _drain(self) -> None:
        lines = self.run.take()
        if lines:
            log = self.query_one(RichLog)
            for line in lines:
                log.write(Text(safe(line)))

    def set_status(self, status: Text) -> None:
        """Called by the Tests pane as the run goes on and when it ends."""
        self._status = status
        if self.is_mounted:
            self.query_one("#run-status", Static).update(status)
            self._keys()
            if not self.run.running:
                self._drain()

    def _keys(self) -> None:
        hint = (
            "esc / ctrl+c cancel · b hide (keeps running)"
            if self.run.running
            else "esc close · the Tests pane shows the results"
        )
        self.query_one("#run-keys", Static).update(Text(hint, style="dim"))

    @property
    def log_text(self) -> str:
        """Everything the log holds, as plain text (for tests and copy)."""
        return "\n".join(strip.text for strip in self.query_one(RichLog).lines)

    def action_stop_or_close(self) -> None:
        if self.run.running:
            if self._on_cancel is not None:
                self._on_cancel()
        else:
            self.dismiss(None)

    def action_close_if_done(self) -> None:
        if not self.run.running:
            self.dismiss(None)

    def action_hide(self) -> None:
        self.dismiss(None)
