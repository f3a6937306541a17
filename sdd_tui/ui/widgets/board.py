"""The kanban board: one virtualised card list per column, driven from the keyboard.

Each column is a ``CardList`` (``card_list.py``: drawn line by line, no widget per card)
whose border title is the column's name and card count: no title widget and no column
container, which were eight of the ~20 widgets mounted and drawn before the first frame.
The board keeps the
selection by task key, so it follows a card through moves, undo, redo and reloads.  Card
operations are posted as ``BoardView.Request`` messages; the app performs them through the
core's operations and calls ``show`` with the new snapshot.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from sdd_tui.model.items import Task
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.textsafe import safe
from sdd_tui.ui.cards import card_colors, card_text
from sdd_tui.ui.widgets.card_list import Card, CardList
from sdd_tui.ui.widgets.quiet import set_border_title, update_static
from sdd_tui.ui.widgets.rows import Wrapped

__all__ = ["BoardAction", "BoardView", "CardList"]


@record
class BoardAction:
    # move | reorder | toggle | detail | edit | add | add_below | rename | remove | split
    name: str
    task_key: str  # "" for an add to a column (no card is needed)
    arg: int = 0
    column: str = ""  # the column a card is added to


class BoardView(Horizontal):
    """Columns of cards for one feature."""

    BINDINGS = [
        Binding("left,h", "column(-1)", "Prev column", show=False),
        Binding("right,l", "column(1)", "Next column", show=False),
        Binding("shift+left,H", "move(-1)", "Move ←"),
        Binding("shift+right,L", "move(1)", "Move →"),
        Binding("J,shift+down", "reorder(1)", "Down in column", show=False),
        Binding("K,shift+up", "reorder(-1)", "Up in column", show=False),
        Binding("space", "toggle", "Done"),
        Binding("e", "edit", "Edit"),
        Binding("a", "add", "Add card", show=False, tooltip="Add a card to this column"),
        Binding("A", "add_below", "Add below", show=False, tooltip="Add a card below this one"),
        Binding("R,f2", "rename", "Rename", show=False, tooltip="Rename the card's task"),
        Binding("x", "remove", "Remove", show=False, tooltip="Remove the card's task"),
        Binding("s", "split", "Split", show=False, tooltip="Split the task into sub-tasks"),
    ]

    DEFAULT_CSS = """
    BoardView > #board-message {
        dock: top; height: auto; width: 100%; padding: 1 2; background: $surface;
    }
    """

    class Request(Message):
        """A card operation asked for by a key press."""

        def __init__(self, action: BoardAction) -> None:
            super().__init__()
            self.action = action

    def __init__(
        self,
        columns: tuple[str, ...] = (),
        titles: dict[str, str] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._columns: tuple[str, ...] = columns
        self._titles: dict[str, str] = dict(titles or {})
        self._feature: Feature | None = None
        self._current = 0
        self._selected_key: str | None = None
        self.filter_text = ""
        self._tasks_by_column: dict[str, list[Task]] = {}
        self.test_status: dict[str, str] = {}  # task key → passed | failed | skipped
        self.unproven: frozenset[str] = frozenset()  # done task keys without evidence

    def compose(self) -> ComposeResult:
        for c in self._columns:  # composed with the board: no second mount before the paint
            yield CardList(c, self._titles.get(c, c), id=f"cards-{c}")

    # -- content -----------------------------------------------------------------------

    async def set_columns(self, columns: tuple[str, ...], titles: dict[str, str]) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        self._titles = titles
        self.__dict__.pop("_rendered", None)
        await self.remove_children()
        await self.mount_all([CardList(c, titles.get(c, c), id=f"cards-{c}") for c in columns])

    def show(self, ws: Workspace, feature: Feature | None, *, select: str | None = None) -> None:
        """Render ``feature``'s cards; keep (or set) the selection by task key."""
        self._feature = feature
        if select is not None:
            self._selected_key = select
        keep_focus = self.has_focus_within
        needle = self.filter_text.lower()
        done_keys = frozenset(t.key for t in feature.tasks if t.done) if feature else frozenset()
        colors = card_colors(self.app.get_css_variables())
        self._tasks_by_column = {}
        for column in self._columns:
            tasks = feature.column_tasks(column) if feature else []
            if needle:
                tasks = [t for t in tasks if _matches(t, needle)]
            self._tasks_by_column[column] = tasks
            cards = self.query_one(f"#cards-{column}", CardList)
            signature = (
                tuple(tasks),
                colors,
                done_keys,
                tuple(self.test_status.get(t.key) for t in tasks),
                tuple(t.key in self.unproven for t in tasks),
                needle,
            )
            rendered = self.__dict__.setdefault("_rendered", {})
            if rendered.get(column) == signature:
                continue  # unchanged column: keep its cards, scroll and highlight
            rendered[column] = signature
            cards.set_cards(
                [
                    Card(
                        Wrapped(
                            card_text(
                                t,
                                feature,
                                done_keys=done_keys,
                                tests=self.test_status.get(t.key),
                                unproven=t.key in self.unproven,
                                colors=colors,
                            )
                        ),
                        t.key,
                    )
                    for t in tasks
                ]
            )
            total = len(feature.column_tasks(column)) if (feature and needle) else len(tasks)
            count = f"{len(tasks)}/{total}" if needle else str(len(tasks))
            set_border_title(
                cards,
                Text.assemble((self._titles.get(column, column), "bold"), "  ", (count, "dim")),
            )
        self._show_message(empty_board_message(ws, feature, self.filter_text))
        self._restore_selection(keep_focus)

    def _show_message(self, message: Text | None) -> None:
        """Say, across the board, why it has no card (mounted the first time it is needed:
        a board with cards never pays for it)."""
        shown = self.query("#board-message")
        if message is None:
            if shown:
                shown.first().display = False
            return
        if shown:
            note = shown.first(Static)
            note.display = True
            update_static(note, message)
        else:
            self.mount(Static(message, id="board-message"), before=0)

    def _restore_selection(self, focus: bool) -> None:
        key = self._selected_key
        target_col, target_idx = None, None
        if key is not None:
            for ci, column in enumerate(self._columns):
                keys = self.query_one(f"#cards-{column}", CardList).keys
                if key in keys:
                    target_col, target_idx = ci, keys.index(key)
                    break
        if target_col is None:
            target_col = min(self._current, len(self._columns) - 1) if self._columns else 0
            cards = self._list(target_col)
            if cards is not None and cards.keys:
                target_idx = min(cards.highlighted or 0, len(cards.keys) - 1)
        self._current = target_col
        cards = self._list(target_col)
        if cards is None:
            return
        if target_idx is not None and cards.keys:
            cards.highlighted = target_idx
            self._selected_key = cards.keys[target_idx]
        if focus:
            self._focus(cards)

    def select_first_todo(self) -> None:
        """Select the first card of the first non-empty column (todo first)."""
        for ci, column in enumerate(self._columns):
            cards = self._list(ci)
            if cards is not None and cards.keys and column != "done":
                self._selected_key = cards.keys[0]
                self._restore_selection(True)
                return
        if self._columns:
            self._current = 0
            first = self._list(0)
            if first is not None:
                self._focus(first)

    def _focus(self, cards: CardList) -> None:
        """Focus ``cards`` now.

        ``Widget.focus()`` only queues the change behind the keys already typed, so with
        ``h`` ``k`` typed fast the ``k`` would still go to the column being left (and the
        next ``space`` would act on a card the user never selected).
        """
        if self.is_attached and cards.focusable:
            self.screen.set_focus(cards)
        else:
            cards.focus()

    def _list(self, index: int) -> CardList | None:
        if not 0 <= index < len(self._columns):
            return None
        return self.query_one(f"#cards-{self._columns[index]}", CardList)

    @property
    def selected_task(self) -> Task | None:
        cards = self._list(self._current)
        if cards is None or cards.highlighted is None:
            return None
        tasks = self._tasks_by_column.get(cards.column, [])
        if 0 <= cards.highlighted < len(tasks):
            return tasks[cards.highlighted]
        return None

    @property
    def selected_key(self) -> str | None:
        """The selected card's key, read from its list's highlight: the Highlighted message
        that updates ``_selected_key`` may still be queued behind a redraw."""
        task = self.selected_task
        return task.key if task is not None else self._selected_key

    @property
    def current_column(self) -> str | None:
        return self._columns[self._current] if self._columns else None

    def focus_board(self) -> None:
        cards = self._list(self._current)
        if cards is not None:
            self._focus(cards)

    # -- events ------------------------------------------------------------------------

    @on(CardList.Highlighted)
    def _highlighted(self, event: CardList.Highlighted) -> None:
        event.stop()
        if event.cards.column in self._columns:
            self._current = self._columns.index(event.cards.column)
        self._selected_key = event.key

    @on(CardList.Selected)
    def _selected(self, event: CardList.Selected) -> None:
        event.stop()
        self._selected_key = event.key
        self.post_message(self.Request(BoardAction("detail", event.key)))

    def on_descendant_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        widget = event.widget
        if isinstance(widget, CardList) and widget.column in self._columns:
            self._current = self._columns.index(widget.column)
            if widget.highlighted is not None and widget.keys:
                idx = min(widget.highlighted, len(widget.keys) - 1)
                self._selected_key = widget.keys[idx]

    # -- actions -----------------------------------------------------------------------

    def action_column(self, delta: int) -> None:
        if not self._columns:
            return
        source = self._list(self._current)
        row = source.highlighted if source is not None and source.highlighted is not None else 0
        new = self._current + delta
        if not 0 <= new < len(self._columns):
            self.app.bell()
            return
        self._current = new
        target = self._list(new)
        if target is None:
            return
        if target.keys:
            target.highlighted = min(row, len(target.keys) - 1)
            self._selected_key = target.keys[target.highlighted]
        self._focus(target)

    def _request(self, name: str, arg: int = 0) -> None:
        task = self.selected_task
        if task is None:
            self.app.bell()
            return
        self._selected_key = task.key
        self.post_message(self.Request(BoardAction(name, task.key, arg)))

    def action_move(self, delta: int) -> None:
        self._request("move", delta)

    def action_reorder(self, delta: int) -> None:
        self._request("reorder", delta)

    def action_toggle(self) -> None:
        self._request("toggle")

    def action_edit(self) -> None:
        self._request("edit")

    def action_add(self) -> None:
        column = self.current_column
        if column is None or self._feature is None:
            self.app.bell()
            return
        self.post_message(self.Request(BoardAction("add", "", column=column)))

    def action_add_below(self) -> None:
        task = self.selected_task
        if task is None:
            self.action_add()  # an empty column: below nothing is at its end
            return
        self.post_message(self.Request(BoardAction("add_below", task.key, column=task.column)))

    def action_rename(self) -> None:
        self._request("rename")

    def action_remove(self) -> None:
        self._request("remove")

    def action_split(self) -> None:
        self._request("split")


def _matches(task: Task, needle: str) -> bool:
    return (
        needle in task.text.lower()
        or needle in task.key.lower()
        or any(needle in r.lower() for r in task.requirements)
        or (task.story is not None and needle in task.story.lower())
    )


def empty_board_message(ws: Workspace, feature: Feature | None, needle: str) -> Text | None:
    """What an empty board says instead of nothing: why there is no card, and what to do."""
    if feature is None:
        return Text(
            "No features found.\n\nsdd-tui reads Spec Kit (specs/NNN-name/), Kiro "
            "(.kiro/specs/<name>/), OpenSpec (openspec/changes/<id>/) and Zencoder-style "
            "(.zencoder/specs/, progress.md) folders.\n\nStart one: ctrl+p then “New "
            'feature…”, or sdd-tui new "Recipe import" in a terminal.',
            "dim",
        )
    if feature.tasks:
        if needle and not any(_matches(t, needle.lower()) for t in feature.tasks):
            return Text(f"No card matches “{safe(needle)}”.\n\nesc clears the filter.", "dim")
        return None
    path = feature.documents.get("tasks")
    problem = next((p for p in ws.problems if path and p.path == path), None)
    if problem is not None:
        text = Text()
        text.append(f"{safe(path or '')} could not be read:\n", "bold yellow")
        text.append(safe(problem.message), "yellow")
        text.append(
            "\n\nThe board follows as soon as the file is fixed (p lists every problem).", "dim"
        )
        return text
    if not path:
        from sdd_tui.layouts import layout_of

        return Text(f"No task list yet.\n\n{layout_of(feature).tasks_hint}", "dim")
    return Text(
        f"{safe(path)} has no task boxes yet.\n\nTasks are list items with a box: - [ ] T001 …",
        "dim",
    )
