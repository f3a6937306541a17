"""Lanes: the waves of a feature's open tasks that can run side by side.

From what the tasks file says about order (``formats.dependencies``: phases, parallel
markers, nesting, explicit references), each open task gets the earliest wave it can start
in if every earlier wave were done: wave 0 can start now (or runs already), wave 1 once
wave 0 is done, and so on.  The number of waves is the critical path's length.  Two tasks of
one wave that both name a file are a merge conflict waiting to happen: a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sdd_tui.formats.dependencies import _edges, read_order
from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Feature
from sdd_tui.operations.evidence import named_files


@dataclass(frozen=True, slots=True)
class Clash:
    """Tasks of one wave that name the same file."""

    path: str
    keys: tuple[str, ...]


@dataclass(slots=True)
class Lanes:
    waves: list[list[Task]] = field(default_factory=list)  # open tasks, wave by wave
    blocked: list[Task] = field(default_factory=list)  # in a cycle or waiting for nothing
    clashes: dict[int, list[Clash]] = field(default_factory=dict)  # wave → same-file tasks

    @property
    def critical_path(self) -> int:
        """Waves still to go: the longest chain of open tasks that wait for each other."""
        return len(self.waves)


def lanes(feature: Feature) -> Lanes:
    tasks = list(feature.tasks)
    order = read_order(tasks)
    edges = _edges(tasks, order)
    by_key = {t.key: t for t in tasks}
    stuck = order.in_cycle() | set(order.unknown)
    depth: dict[str, int] = {}

    def waves_before(node: str) -> int:
        """Waves of open tasks that must pass before ``node`` holds (iterative: a
        20,000-task feature must not hit the recursion limit)."""
        stack = [(node, False)]
        visiting: set[str] = set()  # expanded, not finished: a cycle back to it stops there
        while stack:
            current, expanded = stack.pop()
            if current in depth:
                continue
            task = by_key.get(current)
            if task is not None and task.done:
                depth[current] = 0
                continue
            deps = edges.get(current, [])
            if not expanded:
                visiting.add(current)
                pending = [d for d in deps if d not in depth and d not in visiting]
                if pending:
                    stack.append((current, True))
                    stack.extend((d, False) for d in pending)
                    continue
            here = max((depth.get(d, 0) for d in deps), default=0)
            if task is not None:  # "task done": it takes a wave after it may start
                start = depth.get(f"start:{current}", 0)
                subs = max((depth.get(s, 0) for s in task.subtasks), default=0)
                here = max(start + 1, subs)
            depth[current] = here
            visiting.discard(current)
        return depth[node]

    out = Lanes()
    for t in tasks:
        if t.done:
            continue
        if t.key in stuck:
            out.blocked.append(t)
            continue
        wave = waves_before(f"start:{t.key}")
        while len(out.waves) <= wave:
            out.waves.append([])
        out.waves[wave].append(t)
    out.waves = [w for w in out.waves if w]
    for i, wave in enumerate(out.waves):
        files: dict[str, list[str]] = {}
        for t in wave:
            if t.subtasks:
                continue  # a parent's work is its sub-tasks': no clash with its own children
            for path in named_files(t):
                files.setdefault(path, []).append(t.key)
        clashes = [Clash(p, tuple(keys)) for p, keys in files.items() if len(keys) > 1]
        if clashes:
            out.clashes[i] = clashes
    return out
