"""The lanes view (key ``w``): the feature's open tasks in waves that can run side by side.

Wave 1 can start now, wave 2 once wave 1 is done, and so on (``operations.lanes``); the
number of waves is the critical path.  Two tasks of one wave that name the same file are
flagged: a merge conflict waiting to happen.  Cards move from here as on the board
(``H``/``L``, ``space``), through the session, so the moves are in history and ``u`` undoes
them; the view follows every change.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui import operations
from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Feature
from sdd_tui.textsafe import safe
from sdd_tui.ui.screens.common import FollowsSession, set_options_keeping, undo_or_redo
from sdd_tui.ui.session import Session, SnapshotChanged

_WHEN = ("now", "next", "later")


class LanesScreen(FollowsSession, ModalScreen[None]):
    """Waves of open tasks; moves act on the highlighted task."""

    BINDINGS = [
        Binding("escape,q,w", "close", "Close"),
        Binding("shift+left,H", "move(-1)", "Move ←"),
        Binding("shift+right,L", "move(1)", "Move →"),
        Binding("space", "toggle", "Done"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("U,ctrl+y", "redo", "Redo"),
    ]
    DEFAULT_CSS = """
    LanesScreen { align: center middle; }
    LanesScreen > Vertical {
        width: 110; max-width: 96%; height: 90%;
        border: round $primary; background: $surface;
    }
    LanesScreen OptionList { height: 1fr; border: none; }
    LanesScreen #lanes-title { padding: 0 1; text-style: bold; }
    LanesScreen .hint { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: Session, feature_id: str) -> None:
        super().__init__()
        self.session = session
        self.feature_id = feature_id
        self._tasks: dict[str, Task] = {}

    @property
    def feature(self) -> Feature | None:
        return self.session.workspace.feature(self.feature_id)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="lanes-title")
            yield OptionList(id="lanes")
            yield Static(
                "H/L move · space done · u undo · esc close", classes="hint", id="lanes-hint"
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _snapshot_changed(self, change: SnapshotChanged) -> None:
        self._fill()

    def _fill(self) -> None:
        feature = self.feature
        title = Text()
        options: list[Option] = []
        self._tasks = {}
        if feature is None:
            title.append("Lanes: this feature is gone.", "bold")
        else:
            result = operations.lanes.lanes(feature)
            title.append(f"Lanes · {safe(feature.id)}", "bold")
            if result.waves:
                n = result.critical_path
                title.append(f"   critical path: {n} wave{'s' if n != 1 else ''}", "dim")
            else:
                title.append("   every task is done", "green")
            for i, wave in enumerate(result.waves):
                head = Text()
                head.append(f"Wave {i + 1}", "bold")
                head.append(f" · {_WHEN[min(i, 2)]} · {len(wave)} task(s)", "dim")
                options.append(Option(head, disabled=True))
                for clash in result.clashes.get(i, []):
                    warn = Text("  ⚠ ", "bold yellow")
                    warn.append(
                        f"{', '.join(safe(k) for k in clash.keys)} may run side by side and "
                        f"both name {safe(clash.path)}",
                        "yellow",
                    )
                    options.append(Option(warn, disabled=True))
                options += [self._row(t) for t in wave]
            if result.blocked:
                head = Text("Blocked", "bold red")
                head.append(" · a dependency cycle or an unknown dependency (check says which)")
                options.append(Option(head, disabled=True))
                options += [self._row(t) for t in result.blocked]
        self.query_one("#lanes-title", Static).update(title)
        set_options_keeping(self.query_one(OptionList), options)

    def _row(self, task: Task) -> Option:
        self._tasks[task.key] = task
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"  {safe(task.id or '•'):<8}", "bold")
        if task.parallel:
            text.append("P ", "cyan")
        text.append(safe(task.title))
        text.append(f"  {task.column}", "dim")
        return Option(text, id=task.key)

    def _highlighted_key(self) -> str | None:
        box = self.query_one(OptionList)
        if box.highlighted is None or box.option_count == 0:
            return None
        return box.get_option_at_index(box.highlighted).id

    def _edit(self, operation, *args: object) -> None:  # type: ignore[no-untyped-def]
        key = self._highlighted_key()
        feature = self.feature
        task = self._tasks.get(key or "")
        if feature is None or task is None:
            self.app.bell()
            return
        try:
            self.session.edit(operation, feature.id, task.key, *args, select=task.key)
        except operations.OperationError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def action_move(self, delta: int) -> None:
        task = self._tasks.get(self._highlighted_key() or "")
        if task is None:
            self.app.bell()
            return
        columns = self.session.workspace.columns
        index = columns.index(task.column) + delta
        if not 0 <= index < len(columns):
            self.app.bell()
            return
        self._edit(operations.board.move, columns[index])

    def action_toggle(self) -> None:
        self._edit(operations.board.toggle)

    def action_undo(self) -> None:
        undo_or_redo(self, self.session, "undo")

    def action_redo(self) -> None:
        undo_or_redo(self, self.session, "redo")

    def action_close(self) -> None:
        self.dismiss(None)
