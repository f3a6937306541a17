"""Which tasks can start now: their dependencies done, not already started, and why.

The order comes from ``formats.dependencies`` (phases, parallel markers, nesting, explicit
references).  ``sdd-tui next`` and the MCP server's ``next_tasks`` print ``next_json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sdd_tui.formats.dependencies import Order, name, read_order
from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Columns, Feature, Workspace
from sdd_tui.operations.report import task_json

_SHOWN_PHASES = 4


@dataclass(frozen=True, slots=True)
class Ready:
    """A task that can start now and the reasons it can."""

    task: Task
    why: tuple[str, ...]


@dataclass(slots=True)
class _Readiness:
    """Memoised answers for one feature: may a task start, is a group done."""

    feature: Feature
    order: Order
    by_key: dict[str, Task]
    cyclic: set[str]
    starts: dict[str, bool] = field(default_factory=dict)
    groups: dict[int, bool] = field(default_factory=dict)

    def group_done(self, index: int) -> bool:
        done = self.groups.get(index)
        if done is None:
            keys = self.order.groups[index].keys
            done = self.groups[index] = all(self.by_key[k].done for k in keys)
        return done

    def may_start(self, t: Task) -> bool:
        """Everything ``t`` waits for before it starts is done (its sub-tasks aside)."""
        known = self.starts.get(t.key)
        if known is not None:
            return known
        # A task in a cycle, or naming a dependency no task has, waits until the file is fixed.
        ok = (
            t.key not in self.cyclic
            and t.key not in self.order.unknown
            and all(self.by_key[k].done for k in self._waits(t))
        )
        if ok and t.parent is not None and t.parent in self.by_key:
            ok = self.may_start(self.by_key[t.parent])
        elif ok:
            g = self.order.groups[self.order.group_of[t.key]]
            ok = all(self.group_done(j) for j in g.waits_for)
        self.starts[t.key] = ok
        return ok

    def _waits(self, t: Task) -> tuple[str, ...]:
        return (*self.order.siblings.get(t.key, ()), *self.order.explicit.get(t.key, ()))

    def why(self, t: Task) -> tuple[str, ...]:
        reasons: list[str] = []
        names = [name(self.by_key[k]) for k in self._waits(t)]
        if t.key in self.order.explicit:
            reasons.append(
                f"its dependencies are done: {', '.join(names)}"
                if names
                else "it says it depends on nothing"
            )
        elif names:
            reasons.append(f"after {', '.join(names)}: done")
        elif t.parallel:
            reasons.append("marked parallel: waits for no sibling")
        else:
            reasons.append("first of its group")
        if t.subtasks:
            reasons.append("its sub-tasks are done")
        if t.parent is not None and t.parent in self.by_key:
            reasons.append(f"sub-task of {name(self.by_key[t.parent])}, which may start")
        else:
            g = self.order.groups[self.order.group_of[t.key]]
            before = list(
                dict.fromkeys(self.order.groups[j].name or "(untitled)" for j in g.waits_for)
            )
            if len(before) > _SHOWN_PHASES:  # a file of 15 phases: the first and the last
                rest = len(before) - _SHOWN_PHASES + 1
                before = [*before[: _SHOWN_PHASES - 2], f"… {rest} more", before[-1]]
            if before:
                reasons.append(f"earlier phases done: {', '.join(before)}")
        return tuple(reasons)


def ready_in(feature: Feature, columns: Columns) -> list[Ready]:
    """Tasks of ``feature`` that can start now, in file order: in the first column, not in
    a dependency cycle nor naming an unknown one, every dependency done (a parent: every
    sub-task done too)."""
    if not feature.tasks:
        return []
    order = read_order(feature.tasks)
    by_key = {t.key: t for t in feature.tasks}
    r = _Readiness(feature, order, by_key, order.in_cycle())
    out: list[Ready] = []
    for t in feature.tasks:
        if t.done or t.column != columns.first:
            continue
        if any(k in by_key and not by_key[k].done for k in t.subtasks):
            continue  # a parent is the roll-up: its open sub-tasks are the work
        if r.may_start(t):
            out.append(Ready(t, r.why(t)))
    return out


def next_tasks(ws: Workspace, features: Iterable[Feature] | None = None) -> list[Ready]:
    """Ready tasks of ``features`` (default: every feature not archived), feature by feature."""
    columns = Columns(ws.columns)
    chosen = [f for f in ws.features if not f.archived] if features is None else list(features)
    return [r for f in chosen for r in ready_in(f, columns)]


def ready_json(r: Ready) -> dict[str, Any]:
    return {**task_json(r.task), "why": list(r.why)}


def next_json(ready: Iterable[Ready]) -> list[dict[str, Any]]:
    """The ``sdd-tui next --json`` document (and the MCP ``next_tasks`` result)."""
    return [ready_json(r) for r in ready]
