"""Requirement definitions as people write them (issue 16, items 2 and 3): a tag between the
ID and the separator, and struck-through (withdrawn) requirements and clarifications."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree

from sdd_tui.operations.checks import run_checks
from sdd_tui.operations.report import status_json
from sdd_tui.operations.trace import build_trace
from sdd_tui.workspace.loader import load

F = "specs/001-pub"

TAGGED_SPEC = """\
# Feature Specification: Publishing

## Requirements

- **FR-029**: System MUST publish a recipe.
- **FR-030** [OUT OF SCOPE - MVP]: System MUST federate recipes.
- **FR-031** (P2): System MUST schedule a publication.
**NFR-002** *(deferred)* — Publishing MUST take under a second.
- **FR-032** _(P3)_: System MUST notify followers.
- **FR-033** [P1] - System MUST keep drafts.
"""

TASKS = """\
# Tasks

- [ ] T001 Publish (FR-029)
- [ ] T002 Federate (FR-030)
- [ ] T003 Schedule (FR-031)
- [ ] T004 Fast path (NFR-002)
- [ ] T005 Notify (FR-032)
- [ ] T006 Drafts (FR-033)
"""


def tagged(tmp_path: Path, spec: str = TAGGED_SPEC, tasks: str = TASKS) -> Path:
    return write_tree(
        tmp_path,
        {f"{F}/spec.md": spec, f"{F}/plan.md": "# Plan\n", f"{F}/tasks.md": tasks},
    )


def test_tagged_definitions_are_requirements_with_their_tag(tmp_path: Path) -> None:
    f = load(tagged(tmp_path)).workspace.features[0]
    got = {r.id: (r.kind, r.tag, r.text) for r in f.requirements}
    assert got == {
        "FR-029": ("functional", None, "System MUST publish a recipe."),
        "FR-030": ("functional", "OUT OF SCOPE - MVP", "System MUST federate recipes."),
        "FR-031": ("functional", "P2", "System MUST schedule a publication."),
        "NFR-002": ("nonfunctional", "deferred", "Publishing MUST take under a second."),
        "FR-032": ("functional", "P3", "System MUST notify followers."),
        "FR-033": ("functional", "P1", "System MUST keep drafts."),
    }
    lines = {r.id: r.line for r in f.requirements}
    assert lines["FR-030"] == 6 and lines["NFR-002"] == 8


def test_tagged_requirements_count_and_trace(tmp_path: Path) -> None:
    root = tagged(tmp_path)
    loaded = load(root)
    [row] = status_json(loaded.workspace)["features"]
    assert row["requirements"] == 5  # FR-029 … FR-033 (NFR-002 is not functional)
    report = run_checks(loaded, use_git=False)
    rules = {x.rule for x in report.findings}
    assert "unknown-requirement" not in rules  # T002 … T006 reference defined requirements
    assert "requirement-without-task" not in rules
    f = loaded.workspace.features[0]
    trace = build_trace(loaded.workspace, [])
    tasks = {r.requirement.id: [t.id for t in r.tasks] for r in trace.rows(f)}
    assert tasks["FR-030"] == ["T002"] and tasks["NFR-002"] == ["T004"]


def test_a_tag_without_a_separator_is_still_no_definition(tmp_path: Path) -> None:
    """``FR-001 [P1] text`` mentions an ID; a definition needs its separator."""
    spec = "# Spec\n\n## Requirements\n\nSee **FR-001** (below) for details.\n"
    f = load(tagged(tmp_path, spec, "# Tasks\n")).workspace.features[0]
    assert f.requirements == ()
