"""JSON views of the model: the contract of ``status --json`` and ``tasks --json``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Feature, Workspace

if TYPE_CHECKING:
    from sdd_tui.operations.board import Change


def feature_summary(ws: Workspace, f: Feature) -> dict[str, Any]:
    columns = {c: 0 for c in ws.columns}
    for t in f.tasks:
        columns[t.column] = columns.get(t.column, 0) + 1
    return {
        "id": f.id,
        "layout": f.layout,
        "archived": f.archived,
        "read_only": f.read_only,
        "path": f.path,
        "documents": dict(f.documents),
        "extra_documents": [p for _, p in f.extra_documents],
        "checklist_files": list(f.checklist_files),
        "tasks": {"total": len(f.tasks), "done": f.done_count, "columns": columns},
        "checklists": {
            "total": len(f.checklist),
            "checked": sum(1 for c in f.checklist if c.checked),
        },
        "clarifications": len(f.clarifications),
        "requirements": sum(1 for r in f.requirements if r.functional and r.active),
    }


def status_json(ws: Workspace) -> dict[str, Any]:
    return {
        "root": ws.root,
        "active_feature": ws.active_feature,
        "columns": list(ws.columns),
        "features": [feature_summary(ws, f) for f in ws.features],
        "problems": [p.to_json() for p in ws.problems],
    }


def task_json(t: Task) -> dict[str, Any]:
    return {
        "feature": t.feature,
        "id": t.id,
        "key": t.key,
        "title": t.title,
        "column": t.column,
        "mark": t.mark,
        "path": t.path,
        "line": t.line,
        "parent": t.parent,
        "story": t.story,
        "parallel": t.parallel,
        "optional": t.optional,
        "requirements": list(t.requirements),
        "section": t.section,
    }


def tasks_json(
    features: list[Feature], unproven: dict[str, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Every task; with ``unproven`` (feature id → task key → evidence, see
    ``operations.evidence``), a done task says whether it is proven and why not, others
    carry ``"evidence": null``."""
    out = []
    for f in features:
        mine = unproven.get(f.id, {}) if unproven is not None else None
        for t in f.tasks:
            item = task_json(t)
            if mine is not None:
                found = mine.get(t.key)
                item["evidence"] = (
                    (found.to_json() if found is not None else {"proven": True, "reasons": []})
                    if t.done
                    else None
                )
            out.append(item)
    return out


def change_json(change: Change) -> dict[str, Any]:
    """What one edit did (a move, a tick, an answer), as an agent is told."""
    return {
        "done": change.describe(),
        "op": change.op,
        "feature": change.feature,
        "task": change.name,
        "from": change.from_column or None,
        "to": change.to_column or None,
        "files": list(change.files),
        "noop": change.noop,
    }
