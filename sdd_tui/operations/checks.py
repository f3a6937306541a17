"""Readiness checks: the rules behind ``sdd-tui check`` and the review screens.

Every rule has a stable id and a default severity; ``.sdd/config.yaml`` may set any rule to
``error``, ``warning`` or ``"off"`` (quoted: YAML reads a bare ``off`` as false)::

    checks:
      unchecked-checklist-item: error
      plan-older-than-spec: "off"

Archived features are skipped unless asked for by ``feature=``.  Test results are optional:
the test rules only fire when JUnit results exist.  Linking a test to requirements and tasks
follows the traceability rules of ``operations.trace``; IDs compare by the rules of
``model.ids``.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd_tui.formats.completeness import SectionStatus
from sdd_tui.formats.junit import TestCase, TestResults
from sdd_tui.layouts import layout_of
from sdd_tui.model.ids import canon, covers, own_refs, task_refs, tasks_for
from sdd_tui.model.items import Task
from sdd_tui.model.record import record
from sdd_tui.model.spec import Requirement
from sdd_tui.model.workspace import Feature, Problem, Workspace
from sdd_tui.operations.trace import CaseLink, Trace, build_trace
from sdd_tui.workspace.documents import ParsedDoc

if TYPE_CHECKING:
    from sdd_tui.workspace.snapshot import Loaded

SEVERITIES = ("error", "warning", "off")


@record
class Rule:
    id: str
    severity: str  # the default
    summary: str


RULES: tuple[Rule, ...] = (
    Rule("open-clarification", "error", "an open [NEEDS CLARIFICATION: …] marker in the spec"),
    Rule("failing-test", "error", "a test linked to the feature fails"),
    Rule("done-task-failing-test", "error", "a done task whose linked tests fail"),
    Rule("duplicate-task-id", "error", "two tasks of one feature share an ID"),
    Rule("unknown-requirement", "error", "a task references a requirement the spec lacks"),
    Rule("dependency-cycle", "error", "tasks wait for each other: none of them can start"),
    Rule("unknown-dependency", "error", "a task depends on an ID no task of the feature has"),
    Rule("unchecked-checklist-item", "warning", "a checklist item is not ticked"),
    Rule("requirement-without-task", "warning", "no task references a requirement"),
    Rule("requirement-without-test", "warning", "no test proves a requirement"),
    Rule("plan-older-than-spec", "warning", "the spec changed after the plan (git)"),
    Rule("spec-without-plan", "warning", "a spec without a plan or without tasks"),
    Rule("missing-spec-section", "warning", "a template section is missing or empty"),
    Rule(
        "done-without-evidence",
        "warning",
        "a done task whose tests fail or are missing, or whose files did not change (git)",
    ),
)
RULE_IDS = tuple(r.id for r in RULES)
DEFAULT_SEVERITY = {r.id: r.severity for r in RULES}
# Requirement kinds that tasks implement and tests prove (success criteria, test cases and
# stories are measured or grouped, not implemented one by one).
TRACED_KINDS = ("functional", "nonfunctional")


@record
class Finding:
    rule: str
    severity: str
    path: str
    line: int | None
    message: str
    feature: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "feature": self.feature,
        }

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        return f"{self.location()}: {self.rule}: {self.message}"


@dataclass(slots=True)
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    severities: dict[str, str] = field(default_factory=dict)
    results: bool = False  # test results were found
    git: bool = False  # the git rule could run

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def summary(self) -> dict[str, Any]:
        by_rule = {r: 0 for r in RULE_IDS}
        for f in self.findings:
            by_rule[f.rule] += 1
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": len(self.findings),
            "features": list(self.features),
            "rules": {
                r: {"severity": self.severities.get(r, DEFAULT_SEVERITY[r]), "count": by_rule[r]}
                for r in RULE_IDS
            },
            "test_results": self.results,
            "git": self.git,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary(),
            "problems": [p.to_json() for p in self.problems],
        }


# --------------------------------------------------------------------------- severities


def severities(checks: dict[str, str] | None) -> tuple[dict[str, str], list[Problem]]:
    """Effective severity of every rule; unknown rule ids in the config become problems."""
    out = dict(DEFAULT_SEVERITY)
    problems: list[Problem] = []
    for rule, sev in (checks or {}).items():
        if rule not in out:
            problems.append(
                Problem(
                    ".sdd/config.yaml",
                    f"checks: unknown rule '{rule}' (rules: {', '.join(RULE_IDS)})",
                )
            )
            continue
        out[rule] = sev
    return out, problems


def failed(case: TestCase) -> bool:
    return case.status in ("failed", "error")


# --------------------------------------------------------------------------- coverage


@record
class Coverage:
    """A requirement with the tasks that reference it and the tests that prove it."""

    requirement: Requirement
    tasks: tuple[Task, ...]
    tests: tuple[TestCase, ...]
    status: str  # passed | failed | untested | no-results


@dataclass(slots=True)
class Tracing:
    """Test cases linked to features (``operations.trace``), as the rules ask for them.

    ``links`` maps a feature id to the trace's links (``case``, ``requirements`` as canonical
    IDs, ``tasks`` as task keys); ``trace`` is ``None`` when there are no results.
    """

    ws: Workspace
    results: TestResults | None
    links: dict[str, list[CaseLink]]
    trace: Trace | None = None

    @property
    def have_results(self) -> bool:
        return self.results is not None and bool(self.results.cases)

    def coverage(self, feature: Feature) -> list[Coverage]:
        """Every requirement of ``feature`` (all kinds) with its tasks and tests."""
        if self.trace is not None:
            return [
                Coverage(r.requirement, tuple(r.tasks), tuple(r.tests), r.status)
                for r in self.trace.rows(feature)
            ]
        refs = {t.key: task_refs(self.ws, feature, t) for t in feature.tasks}
        return [
            Coverage(req, tuple(tasks_for(self.ws, feature, req, refs)), (), "no-results")
            for req in feature.requirements
        ]

    def task_tests(self, feature: Feature, task: Task) -> list[TestCase]:
        """The tests linked to ``task``."""
        if self.trace is None:
            return []
        return list(self.trace.task_tests(feature, task))

    def failing_only(self) -> Tracing:
        """The same links restricted to failing tests: task queries then only look at those
        (a large suite links thousands of passing tests to every feature)."""
        if self.trace is None:
            return self
        links = {fid: [cl for cl in cls if failed(cl.case)] for fid, cls in self.links.items()}
        return Tracing(self.ws, self.results, links, dataclasses.replace(self.trace, links=links))


def tracing(ws: Workspace, results: TestResults | None) -> Tracing:
    """Link the results' test cases to the features of ``ws``."""
    if results is None or not results.cases:
        return Tracing(ws, results, {f.id: [] for f in ws.features})
    trace = build_trace(ws, results.cases)
    return Tracing(ws, results, trace.links, trace)


def coverage(
    ws: Workspace,
    feature: Feature,
    results: TestResults | None,
    traced: Tracing | None = None,
) -> list[Coverage]:
    """Every requirement of ``feature`` with its tasks, tests and test status (``no-results``
    when there are no results at all)."""
    traced = traced or tracing(ws, results)
    rows = traced.coverage(feature)
    if not traced.have_results:
        return [Coverage(c.requirement, c.tasks, c.tests, "no-results") for c in rows]
    return rows


# --------------------------------------------------------------------------- git


def git_times(root: Path, paths: Iterable[str]) -> dict[str, float] | None:
    """Time each path last changed: its last commit, or its mtime when it is modified or
    untracked.  ``None`` when ``root`` is not in a git work tree or git is missing."""
    from sdd_tui.workspace.git import git_files_regular

    paths = [p for p in dict.fromkeys(paths) if p]
    if not git_files_regular(root):
        return None  # a FIFO where git keeps a file: every git process would block on it
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-c", "core.quotepath=off", *args],
                cwd=root,
                env=env,
                capture_output=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        if done.returncode != 0:
            return None
        return done.stdout.decode("utf-8", "replace")

    inside = git("rev-parse", "--is-inside-work-tree", "--show-prefix")
    if inside is None or not inside.startswith("true"):
        return None
    prefix = inside.splitlines()[1] if len(inside.splitlines()) > 1 else ""
    if not paths:
        return {}
    status = git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    if status is None:
        return None
    dirty: set[str] = set()
    entries = status.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            dirty.add(entry[3:])
            if entry[0] in "RC":
                i += 1  # the rename's source path follows
        i += 1
    out: dict[str, float] = {}
    for p in paths:
        stamp: float | None = None
        if prefix + p not in dirty:
            log = git("log", "-1", "--format=%ct", "--", p)
            if log and log.strip().isdigit():
                stamp = float(log.strip())
        if stamp is None:
            try:
                stamp = os.stat(root / p).st_mtime
            except OSError:
                continue
        out[p] = stamp
    return out


def _date(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- the rules


def run_checks(
    loaded: Loaded,
    *,
    feature: str | None = None,
    results: TestResults | None = None,
    use_git: bool = True,
) -> CheckReport:
    """Run every enabled rule on the workspace (or on one feature).

    ``results``: JUnit results; ``None`` loads them from the configured or default globs.
    Raises ``KeyError`` for an unknown ``feature``.
    """
    ws = loaded.workspace
    config = loaded.config
    sev, problems = severities(config.checks if config is not None else None)
    report = CheckReport(severities=sev, problems=problems)
    if feature is not None:
        one = ws.feature(feature)
        if one is None:
            raise KeyError(feature)
        features = [one]
    else:
        features = [f for f in ws.features if not f.archived]
    report.features = [f.id for f in features]
    test_rules = ("failing-test", "done-task-failing-test", "requirement-without-test")
    if results is None and any(sev[r] != "off" for r in test_rules):
        from sdd_tui.workspace.results import load_results

        globs = config.tests.junit if config is not None and config.tests.junit else None
        results, found = load_results(loaded.root, globs)
        report.problems += found
    report.results = results is not None and bool(results.cases)
    traced = tracing(ws, results)
    times: dict[str, float] | None = None
    if use_git and sev["plan-older-than-spec"] != "off":
        wanted = [
            p for f in features for p in (f.documents.get("spec"), f.documents.get("plan")) if p
        ]
        times = git_times(loaded.root, wanted)
        report.git = times is not None
    raw: list[Finding] = []

    def add(rule: str, path: str, line: int | None, message: str, fid: str | None) -> None:
        if sev[rule] != "off":
            raw.append(Finding(rule, sev[rule], path, line, message, fid))

    failing = traced.failing_only() if report.results else traced
    for f in features:
        _feature_rules(loaded, f, traced, failing, times, add)
    if sev["done-without-evidence"] != "off":
        # a done task whose tests fail is done-task-failing-test's, when that rule is on
        judge_failing = sev["done-task-failing-test"] == "off"
        _evidence_rule(loaded, features, traced, use_git=use_git, failing=judge_failing, add=add)
    if report.results and results is not None:
        _failing_tests(ws, results, failing, features, whole=feature is None, add=add)
    order = {fid: i for i, fid in enumerate(report.features)}
    raw.sort(
        key=lambda x: (
            order.get(x.feature or "", len(order)),
            x.severity != "error",
            x.path,
            x.line or 0,
            RULE_IDS.index(x.rule),
        )
    )
    report.findings = raw
    return report


def _evidence_rule(
    loaded: Loaded,
    features: list[Feature],
    traced: Tracing,
    *,
    use_git: bool,
    failing: bool,
    add: Any,
) -> None:
    """done-without-evidence: a done task whose linked tests fail or are missing from the
    results, or none of whose files changed on this branch (``operations.evidence``)."""
    from sdd_tui.operations.evidence import branch_changes, unproven

    changes = branch_changes(loaded.root) if use_git else None
    for f in features:
        found = unproven(
            f, traced.trace, changes, have_results=traced.have_results, failing=failing
        )
        for key, evidence in found.items():
            task = f.task(key)
            if task is None:
                continue
            why = "; ".join(evidence.reasons)
            add("done-without-evidence", task.path, task.line, f"{task.id or key}: {why}", f.id)


def _failing_tests(
    ws: Workspace,
    results: TestResults,
    failing: Tracing,
    features: list[Feature],
    *,
    whole: bool,
    add: Any,
) -> None:
    """failing-test: one finding per failing test and feature; in a whole-workspace run a
    test linked to several features (a bare ``FR-001`` that many specs define) is reported
    once, and a test linked to no feature too (its feature is ``null``)."""
    checked = {f.id for f in features}
    per_case: dict[int, list[tuple[str, Any]]] = {}
    for fid, cls in failing.links.items():
        for cl in cls:
            per_case.setdefault(id(cl.case), []).append((fid, cl))
    for case in results.cases:
        if not failed(case):
            continue
        path, line = _case_location(case)
        linked = per_case.get(id(case), [])
        mine = [(fid, cl) for fid, cl in linked if fid in checked]
        if not mine:
            if whole and not linked:
                add("failing-test", path, line, _case_message(case), None)
            continue
        if not whole or len(mine) == 1:
            for fid, cl in mine:
                proves = _shown_ids(ws, fid, cl)
                note = f" (linked to {', '.join(proves)})" if proves else ""
                add("failing-test", path, line, _case_message(case, note), fid)
            continue
        ids = sorted({i for fid, cl in mine for i in _shown_ids(ws, fid, cl)})
        names = ", ".join(fid for fid, _ in mine[:3]) + (" …" if len(mine) > 3 else "")
        note = f" (linked to {', '.join(ids)} in {len(mine)} features: {names})"
        add("failing-test", path, line, _case_message(case, note), None)


def _shown_ids(ws: Workspace, fid: str, link: CaseLink) -> list[str]:
    """The requirement and task IDs a link proves, as the feature writes them (``FR-003``,
    not the canonical ``FR-3``), requirements first, each in document order."""
    f = ws.feature(fid)
    if f is None:
        return sorted(link.requirements) + sorted(link.tasks)
    reqs = [r.id for r in f.requirements if canon(r.id) in link.requirements]
    tasks = [t.id or t.key for t in f.tasks if t.key in link.tasks]
    return list(dict.fromkeys(reqs)) + tasks


def _case_location(case: TestCase) -> tuple[str, int | None]:
    """Where a failing test is reported: its ``<testcase>`` in the JUnit file when the line
    is known, else its test file (or the JUnit file) without a line."""
    if case.source and case.line is not None:
        return case.source, case.line
    if case.file:
        return case.file.replace("\\", "/").lstrip("./") or case.source, None
    return case.source, None


def _case_message(case: TestCase, proves: str = "") -> str:
    first = case.message.splitlines()[0].strip() if case.message else ""
    text = f"test {case.id} {case.status}"
    if first:
        text += f": {first[:160]}"
    return text + proves


def _id_range(reqs: list[Requirement]) -> str:
    if len(reqs) <= 3:
        return ", ".join(r.id for r in reqs)
    return f"{reqs[0].id} … {reqs[-1].id}"


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _feature_rules(
    loaded: Loaded,
    f: Feature,
    traced: Tracing,
    failing: Tracing,
    times: dict[str, float] | None,
    add: Any,
) -> None:
    ws = loaded.workspace
    spec = f.documents.get("spec")
    plan = f.documents.get("plan")
    tasks_doc = f.documents.get("tasks")

    # open-clarification
    for c in f.clarifications:
        add(
            "open-clarification",
            c.path,
            c.line,
            f"needs clarification: {_short(c.text, 120) or '(no question)'}",
            f.id,
        )

    # duplicate-task-id
    first: dict[str, Task] = {}
    for t in f.tasks:
        if t.id is None:
            continue
        if t.id in first:
            o = first[t.id]
            add(
                "duplicate-task-id",
                t.path,
                t.line,
                f"task ID {t.id} is used twice (first at {o.path}:{o.line})",
                f.id,
            )
        else:
            first[t.id] = t

    _dependency_rules(f, add)

    # unknown-requirement (only when the spec defines requirements sdd-tui can read)
    refs = {t.key: task_refs(ws, f, t) for t in f.tasks}
    if f.requirements:
        keys = [canon(r.id) for r in f.requirements]
        for t in f.tasks:
            for ref, key in own_refs(ws, f, t):
                if not layout_of(f).defines_id(key):
                    continue
                if not any(covers(key, k) for k in keys):
                    add(
                        "unknown-requirement",
                        t.path,
                        t.line,
                        f"task {t.id or t.key} references {ref}, which {_spec_name(f)} "
                        "does not define",
                        f.id,
                    )

    # unchecked-checklist-item
    for item in f.checklist:
        if not item.checked:
            label = f"{item.id} " if item.id else ""
            add(
                "unchecked-checklist-item",
                item.path,
                item.line,
                f"{label}not ticked: {_short(item.text, 120)}",
                f.id,
            )

    traceable = [r for r in f.requirements if r.kind in TRACED_KINDS and r.active]
    # requirement-without-task: one finding per requirement, or one for the feature when
    # its tasks reference no requirement at all (a tasks.md organised by story only)
    if f.tasks and traceable:
        untasked = [r for r in traceable if not tasks_for(ws, f, r, refs)]
        if len(traceable) > 1 and len(untasked) == len(traceable):
            add(
                "requirement-without-task",
                f.documents.get("tasks") or f.tasks[0].path,
                1,
                f"no task references any of the {len(traceable)} requirements "
                f"({_id_range(traceable)}); name them in tasks, e.g. '(FR-001)' or "
                "'_Requirements: 1.1_'",
                f.id,
            )
        else:
            for req in untasked:
                add(
                    "requirement-without-task",
                    req.path,
                    req.line,
                    f"no task references {req.id}",
                    f.id,
                )

    # test rules
    if traced.have_results:
        has_failing = bool(failing.links.get(f.id))
        for t in f.tasks:
            if not t.done or not has_failing:
                continue
            bad = [c for c in failing.task_tests(f, t) if failed(c)]
            if bad:
                names = ", ".join(c.name for c in bad[:3]) + (" …" if len(bad) > 3 else "")
                add(
                    "done-task-failing-test",
                    t.path,
                    t.line,
                    f"task {t.id or t.key} is done but {len(bad)} linked test(s) fail: {names}",
                    f.id,
                )
        untested = [
            cov.requirement
            for cov in traced.coverage(f)
            if cov.requirement.kind in TRACED_KINDS
            and cov.requirement.active
            and cov.status == "untested"
        ]
        if len(traceable) > 1 and len(untested) == len(traceable):
            first_req = traceable[0]
            add(
                "requirement-without-test",
                first_req.path,
                first_req.line,
                f"no test proves any of the {len(traceable)} requirements "
                f"({_id_range(traceable)}); name tests after them (test_fr_001_…) or add a "
                "'requirements' property",
                f.id,
            )
        else:
            for req in untested:
                add(
                    "requirement-without-test",
                    req.path,
                    req.line,
                    f"no test proves {req.id}",
                    f.id,
                )

    # plan-older-than-spec
    spec_t = times.get(spec) if times is not None and spec else None
    plan_t = times.get(plan) if times is not None and plan else None
    if spec_t is not None and plan_t is not None and plan is not None and plan_t < spec_t:
        add(
            "plan-older-than-spec",
            plan,
            1,
            f"plan ({_date(plan_t)}) is older than the spec {_spec_name(f)} "
            f"({_date(spec_t)}); re-plan?",
            f.id,
        )

    # spec-without-plan
    if spec and not f.archived:
        if layout_of(f).plan_required and not plan:
            add("spec-without-plan", spec, 1, "the spec has no plan yet", f.id)
        elif not tasks_doc:
            add("spec-without-plan", spec, 1, "the spec has no tasks yet", f.id)

    # missing-spec-section
    for status in completeness(loaded, f):
        if status.ok:
            continue
        what = status.detail or (
            f"section '{status.name}' is {'empty' if status.status == 'empty' else 'missing'}"
        )
        add("missing-spec-section", status.path, status.line or 1, what, f.id)


def _dependency_rules(f: Feature, add: Any) -> None:
    """dependency-cycle and unknown-dependency (formats.dependencies reads the order)."""
    from sdd_tui.formats import dependencies as deps

    if not f.tasks:
        return
    order = deps.read_order(f.tasks)
    by_key = {t.key: t for t in f.tasks}
    for key, refs in order.unknown.items():
        t = by_key[key]
        add("unknown-dependency", t.path, t.line, deps.unknown_message(t, refs), f.id)
    for cycle in order.cycles:
        t = by_key[cycle[0]]
        add("dependency-cycle", t.path, t.line, deps.cycle_message(by_key, cycle), f.id)


def _spec_name(f: Feature) -> str:
    spec = f.documents.get("spec")
    return spec.rsplit("/", 1)[-1] if spec else "the spec"


def completeness(loaded: Loaded, f: Feature) -> list[SectionStatus]:
    """Template sections of the feature's spec documents (see ``formats.completeness``)."""

    def read(path: str) -> ParsedDoc | None:
        doc = loaded.cache.load(loaded.root, path)
        return doc if isinstance(doc, ParsedDoc) else None

    return layout_of(f).completeness(f, read)
