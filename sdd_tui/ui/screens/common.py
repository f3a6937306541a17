"""What the workbench and review mode both do: undo from any screen, the documents a pane
shows.  Kept apart so that neither screen module imports the other."""

from __future__ import annotations

from textual.screen import Screen

from sdd_tui.layouts import layout_of
from sdd_tui.model.workspace import Feature
from sdd_tui.ui.session import Session


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
    return layout_of(feature).pane_documents(feature)
