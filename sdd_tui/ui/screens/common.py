"""What the workbench and review mode both do: undo from any screen, the documents a pane
shows.  Kept apart so that neither screen module imports the other."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

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
    """(spec pane documents, plan pane documents) as (label, path)."""
    if feature is None:
        return [], []
    docs = feature.documents
    spec: list[tuple[str, str]] = []
    plan: list[tuple[str, str]] = []

    def add(target: list[tuple[str, str]], label: str, path: str | None) -> None:
        if path:
            target.append((label, path))

    if feature.layout == "kiro":
        add(spec, Path(docs.get("spec") or "requirements.md").name, docs.get("spec"))
        add(plan, "design.md", docs.get("plan"))
    elif feature.layout == "openspec":
        add(spec, "proposal.md", docs.get("spec"))
        for label, path in feature.extra_documents:
            if "/specs/" in path:
                spec.append((label, path))
        add(plan, "design.md", docs.get("plan"))
    else:
        add(spec, Path(docs.get("spec") or "spec.md").name, docs.get("spec"))
        add(plan, "plan.md", docs.get("plan"))
        add(plan, "research.md", docs.get("research"))
        add(plan, "data-model.md", docs.get("data_model"))
        add(plan, "quickstart.md", docs.get("quickstart"))
        for label, path in feature.extra_documents:
            if label.startswith("contracts/") or "/contracts/" in path:
                plan.append((label, path))
    return spec, plan
