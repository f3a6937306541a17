"""Writing from the board: ``a`` adds a card to the focused column, ``A`` below the
selected card, ``R``/``F2`` renames, ``x`` removes (after a confirmation naming the task,
and a second one when nested sub-tasks go with it), ``s`` splits into sub-tasks.

A mixin of :class:`WorkbenchScreen`: it asks for the text (``TextInputScreen``) or the
confirmation (``ConfirmScreen``), then runs the operation through the session
(``operations.task_edits``, recorded in history, so ``u`` undoes it) and selects the card.
The palette's "New feature…" starts a feature from templates (``operations.new_feature``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text

from sdd_tui import operations
from sdd_tui.textsafe import safe
from sdd_tui.ui import screens
from sdd_tui.ui.widgets.board import BoardAction, BoardView

if TYPE_CHECKING:
    from textual.app import App

    from sdd_tui.model.items import Task
    from sdd_tui.model.workspace import Feature
    from sdd_tui.operations.board import Change
    from sdd_tui.ui.session import Session
    from sdd_tui.workspace.snapshot import Loaded

WRITES = ("add", "add_below", "rename", "remove", "split")
# Labels typed at the start of a new task's title: ``[P] [US2] Title``.
_LEADING_LABELS = re.compile(r"^\s*((?:\[(?:P|US\d+)\]\s*)+)")


def split_labels(line: str) -> tuple[str, bool, str | None]:
    """(title, parallel, story) of a title typed with leading ``[P]``/``[USn]`` labels."""
    m = _LEADING_LABELS.match(line)
    if m is None:
        return line.strip(), False, None
    labels = m.group(1)
    stories = re.findall(r"\[(US\d+)\]", labels)
    return line[m.end() :].strip(), "[P]" in labels, stories[-1] if stories else None


class WorkbenchEdits:
    """Mixin for the workbench screen: add, rename, remove and split from the board."""

    session: Session

    if TYPE_CHECKING:
        app: App[Any]
        loaded: Loaded
        feature: Feature | None

        def notify(self, message: str, **kwargs: Any) -> None: ...
        def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
        def switch_feature(self, feature_id: str) -> None: ...

    def action_new_feature(self) -> None:
        """Start a feature from templates (``sdd-tui new``), in the workspace's layout."""
        new_feature = operations.new_feature
        root = self.loaded.root
        layout = new_feature.layout_for(root, None)

        def named(name: str | None) -> None:
            if name is None:
                return
            try:
                where, _ = new_feature.create(root, name)
            except operations.OperationError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.session.reload(changed=list(where.documents), reason="edit")
            self.switch_feature(where.id)
            self.notify(f"started {where.id}", timeout=3, markup=False)

        self.app.push_screen(
            screens.TextInputScreen(
                "Start a feature",
                "Name of the new feature",
                f"{layout.title} in {root}",
                placeholder="e.g. Recipe import",
                note="enter writes its folder and documents from templates (never over a "
                "file) · esc cancels",
                mark="+ ",
            ),
            named,
        )

    def write_request(self, action: BoardAction, feature: Feature) -> None:
        """Ask for what ``action`` needs, then do it."""
        if feature.read_only:
            where = f" (on branch {feature.branch})" if feature.branch else ""
            self.notify(f"{feature.id} is read-only{where}", severity="warning", markup=False)
            return
        task = feature.task(action.task_key) if action.task_key else None
        if action.task_key and task is None:
            self.notify(f"task {action.task_key} is gone", severity="warning", markup=False)
            return
        if action.name in ("add", "add_below"):
            self._ask_add(feature, action.column, task if action.name == "add_below" else None)
        elif task is not None and action.name == "rename":
            self._ask_rename(feature, task)
        elif task is not None and action.name == "remove":
            self._ask_remove(feature, task)
        elif task is not None and action.name == "split":
            self._ask_split(feature, task)

    # -- each edit -------------------------------------------------------------------------

    def _ask_add(self, feature: Feature, column: str, after: Task | None) -> None:
        titles = self.loaded.workspace.column_titles
        where = (
            f"below {after.id or after.title}"
            if after is not None
            else f"in {titles.get(column, column)}"
        )
        labels = ""
        if after is not None:  # offered from the card it follows: delete them to drop them
            labels = ("[P] " if after.parallel else "") + (
                f"[{after.story}] " if after.story else ""
            )

        def added(line: str | None) -> None:
            if line is None:
                return
            title, parallel, story = split_labels(line)
            op = partial(
                operations.task_edits.add_task,
                column=column,
                after=after.key if after is not None else None,
                story=story,
                parallel=parallel,
            )
            self._write(op, feature.id, title)

        self.app.push_screen(
            screens.TextInputScreen(
                "Add a task",
                f"New task {where}",
                f"{feature.id} · {feature.documents.get('tasks') or ''}",
                placeholder="its title ([P] [US1] labels first, if any)",
                note="enter writes it with the next free ID (u undoes it) · esc cancels",
                value=labels,
                mark="+ ",
            ),
            added,
        )

    def _ask_rename(self, feature: Feature, task: Task) -> None:
        start, end = operations.task_edits.title_span(task.text, task.id)

        def renamed(title: str | None) -> None:
            if title is not None:
                self._write(operations.task_edits.rename_task, feature.id, task.key, title)

        self.app.push_screen(
            screens.TextInputScreen(
                "Rename the task",
                f"{task.id or 'Task'}: {task.title}",
                f"{task.path}:{task.line}",
                note="enter changes only the title (ID, labels, refs kept; u undoes it) · "
                "esc cancels",
                value=task.text[start:end],
                mark="✎ ",
            ),
            renamed,
        )

    def _ask_remove(self, feature: Feature, task: Task) -> None:
        nested = operations.task_edits.nested_tasks(self.loaded, feature.id, task.key)
        body = Text()
        body.append(safe(task.id or "") + " " if task.id else "", "bold")
        body.append(safe(task.title))
        body.append(f"\n\n{safe(task.path)}:{task.line} loses this line and its own sub-lines; ")
        body.append("u undoes it.", "dim")

        def remove() -> None:
            self._write(operations.task_edits.remove_task, feature.id, task.key)

        def second(yes: bool | None) -> None:
            if yes:
                remove()

        def first(yes: bool | None) -> None:
            if not yes:
                return
            if not nested:
                remove()
                return
            more = Text(f"{safe(task.id or task.title)} has {nested} nested sub-task(s); ")
            more.append("they are removed with it.", "bold")
            self.app.push_screen(
                screens.ConfirmScreen("Remove its sub-tasks too?", more, yes="Remove all"),
                second,
            )

        self.app.push_screen(
            screens.ConfirmScreen(f"Remove {task.id or 'this task'}?", body, yes="Remove"), first
        )

    def _ask_split(self, feature: Feature, task: Task) -> None:
        def split(line: str | None) -> None:
            if line is None:
                return
            titles = [t.strip() for t in line.split(";") if t.strip()]
            self._write(operations.task_edits.split_task, feature.id, task.key, titles)

        self.app.push_screen(
            screens.TextInputScreen(
                "Split the task",
                f"{task.id or 'Task'}: {task.title}",
                f"{task.path}:{task.line}",
                placeholder="sub-task titles, separated by ;",
                note="enter writes them as its sub-tasks (u undoes it) · esc cancels",
                mark="⑃ ",
            ),
            split,
        )

    def _write(self, operation: Callable[..., Change], *args: object) -> None:
        try:
            change = self.session.edit(operation, *args)
        except operations.OperationError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if change.op in ("add", "rename") and self.feature is not None:
            self.query_one(BoardView).show(self.loaded.workspace, self.feature, select=change.task)
