"""What the workbench and review mode both do: undo from any screen, the documents a pane
shows.  Kept apart so that neither screen module imports the other."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sdd_tui.model.workspace import Feature
from sdd_tui.textsafe import safe
from sdd_tui.ui.session import Session, SnapshotChanged


class FollowsSession:
    """A screen that redraws itself when the session's snapshot changes: subscribed from its
    mount (after the screen's own ``on_mount``, which Textual calls first) to its unmount."""

    session: Session

    def _snapshot_changed(self, change: SnapshotChanged) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.session.subscribe(self._snapshot_changed)

    def on_unmount(self) -> None:
        self.session.unsubscribe(self._snapshot_changed)


class ReadsInThread(FollowsSession):
    """A view over the session whose content is read in a worker thread (git: the
    portfolio, progress, activity): read on mount, again after each change of the workspace
    and on ``ctrl+r``; a read that finishes after a newer one started is dropped."""

    _asked = 0  # the newest read

    def _start_read(self, asked: int) -> None:
        """Start the worker for read number ``asked``."""
        raise NotImplementedError

    def _read(self) -> None:
        self._asked += 1
        self._start_read(self._asked)

    def _is_newest(self, asked: int) -> bool:
        return asked == self._asked and self.is_mounted  # type: ignore[attr-defined]

    def _snapshot_changed(self, change: SnapshotChanged) -> None:
        if change.workspace_changed:
            self._read()

    def action_refresh(self) -> None:
        self._read()

    def action_close(self) -> None:
        self.dismiss(None)  # type: ignore[attr-defined]


def warnings_text(messages: Iterable[str]) -> Text:
    """One "⚠ message" line each; the messages are shown literally."""
    text = Text()
    for message in messages:
        if text:
            text.append("\n")
        text.append("⚠ " + safe(message))
    return text


def undo_or_redo(screen: Screen[object], session: Session, how: str) -> None:
    """Undo or redo the most recent edit of any kind (a board move, a checklist tick), from
    any screen, and say what it was."""
    from sdd_tui.operations.boxes import OperationError

    try:
        change = session.undo() if how == "undo" else session.redo()
    except OperationError as exc:
        screen.notify(f"cannot {how}: {exc}", severity="error", markup=False)
        return
    if change is None:
        screen.notify(f"nothing to {how}", timeout=2)
        return
    screen.notify(f"{how}: {change.describe(how)}", timeout=2, markup=False)


def pane_documents(
    feature: Feature | None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(spec pane documents, plan pane documents) as (label, path): the layout's choice."""
    if feature is None:
        return [], []
    from sdd_tui.layouts import layout_of  # the registry: not before the first frame

    return layout_of(feature).pane_documents(feature)


def set_options_keeping(box: OptionList, options: list[Option]) -> None:
    """Show ``options`` in ``box`` with the highlight where it was: on the same option (by
    id), else on the first option that can be chosen at or after the same place."""
    old = box.highlighted
    keep = box.get_option_at_index(old).id if old is not None and box.option_count else None
    box.set_options(options)
    ids = [o.id for o in options]
    if keep is not None and keep in ids:
        box.highlighted = ids.index(keep)
        return
    selectable = [i for i, o in enumerate(options) if not o.disabled]
    box.highlighted = min(
        (i for i in selectable if old is None or i >= old),
        default=selectable[-1] if selectable else None,
    )
