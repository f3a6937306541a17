"""What a tasks file says about order: phases, parallel markers, nesting, explicit references.

The rule (README "Task order"), read from Spec Kit's tasks template and the Kiro, cc-sdd and
OpenSpec files seen in the wild:

1. **Phases.** Consecutive tasks under headings that name the same phase form one group:
   ``Phase 3: User Story 1``, ``Tests for User Story 1`` and ``Implementation for User Story
   1`` are one group (user story 1); ``Setup``, ``Foundational``, ``Polish``, ``Phase N`` and
   any other heading are groups of their own.  A group waits for every earlier group to be
   done, except that user-story groups do not wait for each other (Spec Kit: "user stories
   can then proceed in parallel"); ``Polish`` after them waits for all of them.
2. **Siblings.** Within a group (and among the sub-tasks of one parent) a task waits for the
   siblings before it, back to the last one not marked parallel; a task marked ``[P]`` or
   ``(P)`` waits for none of them ("can run in parallel: different files, no dependencies").
3. **Nesting.** A sub-task waits for whatever its parent waits for; a parent waits for its
   sub-tasks (it is the roll-up of its sub-tasks).
4. **Explicit references** in the task line or its detail lines replace rule 2 for that task
   (the author said exactly what it waits for): ``depends on T005``, ``depends on: 1.1, 1.2``,
   ``(after T003)``, ``blocked by 1.2``, ``**Depends on T002**``, Kiro-style metadata lines
   ``_Depends on: 1.1_`` / ``_Depends: 1.1_`` / ``_Blocked by: 2_`` / ``_After: T003_``.
   IDs are task IDs (``T005``, ``1.2``, ``3``), ranges (``T002-T004``) and user stories
   (``US1``: every task labelled ``[US1]``).  ``depends on -`` / ``none`` says "nothing".
   ``after`` in running prose takes only ``T``-IDs (``after 2 retries`` is not a reference).

A reference to an ID no task of the feature has, and a cycle (counting rules 1-4 together),
are problems.  Pure functions of a feature's tasks: no I/O, no workspace.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Problem

# Which lines of a hinted task (see ``_hinted``) may hold a reference.
_HINT = re.compile(r"depend|blocked|after", re.IGNORECASE)
_ID = r"(?:T\d+[a-z]?|US\d+|\d+(?:\.\d+)*)"
_RANGE = rf"{_ID}(?:\s*[-–]\s*{_ID})?"
_LIST = rf"(?P<refs>{_RANGE}(?:\s*(?:,|;|\band\b|&|\+)\s*{_RANGE})*)"
_NONE = r"(?P<none>-|–|none|nothing)(?![\w.-])"
# Strong phrases take any ID; "after" in prose only T-IDs (``after 2 retries``).
_PHRASE = re.compile(
    rf"(?:\bdepends?\s+on|\bdependencies|\bblocked\s+by)\s*:?\s*\**\s*(?:{_NONE}|{_LIST})"
    rf"|\(\s*after\s*:?\s*{_LIST.replace('refs', 'paren')}\s*\)"
    rf"|\bafter\s+(?P<tids>T\d+[a-z]?(?:\s*(?:,|\band\b|&)\s*T\d+[a-z]?)*)(?![\w.])",
    re.IGNORECASE,
)
# ``_Depends on: 1.1, 2_`` (the whole line or a bullet of it).
_META = re.compile(
    r"_(?:depends(?:\s+on)?|dependencies|blocked\s+by|after)\s*:\s*(?P<meta>[^_]*)_",
    re.IGNORECASE,
)
_TOKEN = re.compile(rf"(?P<a>{_ID})(?:\s*[-–]\s*(?P<b>{_ID}))?", re.IGNORECASE)
_STORY_HEADING = re.compile(r"\b(?:user\s+story|story|US)\s*0*(\d+)\b", re.IGNORECASE)
_PHASE_NUMBER = re.compile(r"\bphase\s*0*(\d+)\b", re.IGNORECASE)
_KINDS = (
    ("setup", re.compile(r"\bset\s*-?\s*up\b", re.IGNORECASE)),
    ("foundational", re.compile(r"\bfoundation|\bblocking\s+prereq", re.IGNORECASE)),
    ("polish", re.compile(r"\bpolish|\bcross[- ]cutting|\bfinal\b", re.IGNORECASE)),
)


@dataclass(frozen=True, slots=True)
class Group:
    """Consecutive tasks of one phase; ``waits_for``: indexes of the groups it waits for."""

    index: int
    name: str
    story: bool
    keys: tuple[str, ...]
    waits_for: tuple[int, ...]


@dataclass(slots=True)
class Order:
    """What each task of one feature waits for (rules 1-4 of the module docstring)."""

    groups: list[Group] = field(default_factory=list)
    group_of: dict[str, int] = field(default_factory=dict)  # task key → group index
    siblings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rule 2 (or 4)
    explicit: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rule 4, resolved
    unknown: dict[str, tuple[str, ...]] = field(default_factory=dict)  # refs to nothing
    cycles: list[tuple[str, ...]] = field(default_factory=list)  # task keys, in order

    def in_cycle(self) -> set[str]:
        return {k for c in self.cycles for k in c}


def explicit_refs(task: Task) -> tuple[str, ...] | None:
    """The IDs ``task`` names as its dependencies (ranges kept as ``A-B``); ``None`` when it
    names none, ``()`` when it says it depends on nothing."""
    refs: list[str] = []
    said = False
    for line in (task.text, *task.body):
        if not _HINT.search(line):
            continue
        for m in _META.finditer(line):
            said = True
            refs += _tokens(m.group("meta"))
        for m in _PHRASE.finditer(_META.sub(" ", line)):
            said = True
            chunk = m.group("refs") or m.group("paren") or m.group("tids")
            if chunk:
                refs += _tokens(chunk)
    if not said:
        return None
    return tuple(dict.fromkeys(refs))


def _tokens(chunk: str) -> list[str]:
    out = []
    for m in _TOKEN.finditer(chunk):
        a, b = m.group("a"), m.group("b")
        out.append(f"{a}-{b}" if b else a)
    return out


@functools.lru_cache(maxsize=1024)  # a handful of headings, asked once per task
def group_name(section: str | None) -> tuple[str, bool]:
    """(the phase a heading names, whether it is a user story)."""
    if not section:
        return "", False
    m = _STORY_HEADING.search(section)
    if m:
        return f"User Story {int(m.group(1))}", True
    for kind, pattern in _KINDS:
        if pattern.search(section):
            return kind.capitalize(), False
    m = _PHASE_NUMBER.search(section)
    if m:
        return f"Phase {int(m.group(1))}", False
    return section.strip(), False


def _norm(ref: str) -> str:
    """``T5`` and ``T005`` name the same task; ``1.02`` is ``1.2``."""
    low = ref.lower()
    m = _PREFIXED.match(low)
    if m:
        return f"{m.group(1)}{int(m.group(2))}{m.group(3)}"
    if _DOTTED.match(low):
        return ".".join(str(int(p)) for p in low.split("."))
    return low


_PREFIXED = re.compile(r"(t|us)0*(\d+)([a-z]?)$")
_DOTTED = re.compile(r"\d+(?:\.\d+)*$")


def read_order(tasks: Sequence[Task]) -> Order:
    """The dependencies of a feature's tasks (in file order, as the feature holds them)."""
    order = Order()
    _groups(tasks, order)
    _siblings(tasks, order)
    _explicit(tasks, order)
    if order.explicit:  # rules 1-3 alone never make a cycle: every edge points backwards
        order.cycles = _cycles(tasks, order)
    return order


def _groups(tasks: Sequence[Task], order: Order) -> None:
    current: tuple[str, bool] | None = None
    members: list[list[str]] = []
    names: list[tuple[str, bool]] = []
    for t in tasks:
        if t.parent is not None and t.parent in order.group_of:
            order.group_of[t.key] = order.group_of[t.parent]  # a sub-task stays with its parent
            members[order.group_of[t.key]].append(t.key)
            continue
        name = group_name(t.section)
        if name != current or not names:
            current = name
            names.append(name)
            members.append([])
        order.group_of[t.key] = len(names) - 1
        members[-1].append(t.key)
    for i, ((name, story), keys) in enumerate(zip(names, members, strict=True)):
        waits = tuple(j for j in range(i) if not (story and names[j][1]))
        order.groups.append(Group(i, name, story, tuple(keys), waits))


def _siblings(tasks: Sequence[Task], order: Order) -> None:
    """Rule 2: per parent (or per group for top-level tasks), the earlier siblings waited for."""
    runs: dict[tuple[str | None, int], list[Task]] = {}
    for t in tasks:
        runs.setdefault((t.parent, order.group_of[t.key]), []).append(t)
    for run in runs.values():
        since: list[str] = []  # siblings since (and including) the last non-parallel one
        for t in run:
            order.siblings[t.key] = () if t.parallel else tuple(since)
            if t.parallel:
                since.append(t.key)
            else:
                since = [t.key]


def _explicit(tasks: Sequence[Task], order: Order) -> None:
    by_id: dict[str, list[str]] = {}
    by_story: dict[str, list[str]] = {}
    numbered: list[tuple[str, str]] = []
    for t in tasks:
        if t.id:
            by_id.setdefault(_norm(t.id), []).append(t.key)
            numbered.append((t.id, t.key))
        if t.story:
            by_story.setdefault(_norm(t.story), []).append(t.key)
    for t in tasks:
        refs = explicit_refs(t) if _hinted(t) else None
        if refs is None:
            continue
        found: list[str] = []
        missing: list[str] = []
        for ref in refs:
            keys = _resolve(ref, by_id, by_story, numbered)
            if keys:
                found += [k for k in keys if k != t.key or ref.count("-") == 0]
            else:
                missing.append(ref)
        order.explicit[t.key] = tuple(dict.fromkeys(found))
        order.siblings[t.key] = ()  # rule 4 replaces rule 2
        if missing:
            order.unknown[t.key] = tuple(missing)


def _resolve(
    ref: str, by_id: dict[str, list[str]], by_story: dict[str, list[str]], numbered: list
) -> list[str]:
    if "-" in ref.strip("-") and not ref.lower().startswith("us"):
        a, b = ref.split("-", 1)
        lo, hi = _number(a), _number(b)
        if lo is None or hi is None or a[:1].lower() != b[:1].lower():
            return []
        return [k for tid, k in numbered if (n := _number(tid)) is not None and lo <= n <= hi]
    key = _norm(ref)
    if key.startswith("us"):
        return by_story.get(key, [])
    return by_id.get(key, [])


def _number(tid: str) -> int | None:
    m = re.match(r"[Tt]0*(\d+)$", tid)
    return int(m.group(1)) if m else None


def _edges(tasks: Sequence[Task], order: Order) -> dict[str, list[str]]:
    """Node → nodes it waits for.  Nodes: a task key (done), ``start:<key>`` (may start),
    ``group:<i>`` (every task of group i done) and ``entry:<i>`` (group i may start)."""
    edges: dict[str, list[str]] = {}
    for g in order.groups:
        edges[f"group:{g.index}"] = list(g.keys)
        edges[f"entry:{g.index}"] = [f"group:{j}" for j in g.waits_for]
    for t in tasks:
        start = [*order.siblings.get(t.key, ()), *order.explicit.get(t.key, ())]
        start.append(f"start:{t.parent}" if t.parent else f"entry:{order.group_of[t.key]}")
        edges[f"start:{t.key}"] = start
        edges[t.key] = [f"start:{t.key}", *t.subtasks]
    return edges


def _cycles(tasks: Sequence[Task], order: Order) -> list[tuple[str, ...]]:
    """Strongly connected components of more than one node (or a self-loop), as task keys
    in file order; iterative Tarjan (a 20,000-task feature must not hit the recursion limit)."""
    edges = _edges(tasks, order)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
    rank = {t.key: i for i, t in enumerate(tasks)}
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = edges.get(node, [])
            if i < len(succ):
                work.append((node, i + 1))
                nxt = succ[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                keys = sorted((c for c in comp if c in rank), key=rank.__getitem__)
                if keys and (len(comp) > 1 or node in edges.get(node, ())):
                    found.append(tuple(keys))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def problems(tasks: Sequence[Task], order: Order | None = None) -> list[Problem]:
    """Unknown references and cycles, one problem each, at the task that names them.

    Runs on every (re)built feature: without an explicit reference there can be neither,
    so the order is worked out only when some task makes one."""
    if order is None:
        if not any(_has_refs(t) for t in tasks):
            return []
        order = read_order(tasks)
    by_key = {t.key: t for t in tasks}
    out: list[Problem] = []
    for key, refs in order.unknown.items():
        t = by_key[key]
        out.append(Problem(t.path, unknown_message(t, refs), t.line))
    for cycle in order.cycles:
        t = by_key[cycle[0]]
        out.append(Problem(t.path, cycle_message(by_key, cycle), t.line))
    return out


def _hinted(t: Task) -> bool:
    """The task's lines contain a word a reference starts with: the cheap test that runs for
    every task of every (re)built feature (a case-folded ``in`` is 5× a regex search)."""
    low = (t.text if not t.body else "\n".join((t.text, *t.body))).lower()
    return "depend" in low or "blocked" in low or "after" in low


def _has_refs(t: Task) -> bool:
    return _hinted(t) and explicit_refs(t) is not None


def name(t: Task) -> str:
    return t.id or t.key


def unknown_message(t: Task, refs: Sequence[str]) -> str:
    s = "s" if len(refs) > 1 else ""
    return f"{name(t)} depends on {', '.join(refs)}: no task{s} with that ID in this feature"


def cycle_message(by_key: dict[str, Task], cycle: Sequence[str]) -> str:
    names = [name(by_key[k]) for k in cycle]
    return f"dependency cycle: {' → '.join([*names, names[0]])} (nothing in it can start)"
