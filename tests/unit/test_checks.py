"""The readiness rules of ``sdd-tui check``: one test per rule on small fixture workspaces.

``clean_workspace`` builds a Spec Kit feature that passes every rule; each test breaks one
thing and asserts exactly the findings of the rule it exercises.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers.checks import CHECKLIST, FEATURE, SPEC, TASKS, F, clean_workspace
from helpers.files import write_tree
from helpers.git import git

from sdd_tui.operations.checks import (
    DEFAULT_SEVERITY,
    RULE_IDS,
    CheckReport,
    coverage,
    git_times,
    run_checks,
    tracing,
)
from sdd_tui.workspace.loader import load
from sdd_tui.workspace.results import load_results


def junit(*cases: tuple[str, str, str]) -> str:
    """A pytest-style JUnit file; each case is (classname, name, status)."""
    body = []
    for classname, name, status in cases:
        inner = ""
        if status == "failed":
            inner = '<failure message="assert 1 == 2">trace</failure>'
        elif status == "error":
            inner = '<error message="boom">trace</error>'
        elif status == "skipped":
            inner = '<skipped message="later"/>'
        body.append(
            f'<testcase classname="{classname}" name="{name}" time="0.01">{inner}</testcase>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
        + "".join(body)
        + "</testsuite></testsuites>"
    )


def check(root: Path, **kwargs: object) -> CheckReport:
    return run_checks(load(root), use_git=False, **kwargs)  # type: ignore[arg-type]


def of(report: CheckReport, rule: str) -> list[tuple[str, int | None, str]]:
    return [(f.path, f.line, f.message) for f in report.findings if f.rule == rule]


def rules(report: CheckReport) -> set[str]:
    return {f.rule for f in report.findings}


# --------------------------------------------------------------------------- baseline


def test_rule_table_ids_and_default_severities() -> None:
    assert RULE_IDS == (
        "open-clarification",
        "failing-test",
        "done-task-failing-test",
        "duplicate-task-id",
        "unknown-requirement",
        "dependency-cycle",
        "unknown-dependency",
        "unchecked-checklist-item",
        "requirement-without-task",
        "requirement-without-test",
        "plan-older-than-spec",
        "spec-without-plan",
        "missing-spec-section",
        "done-without-evidence",
    )
    errors = {r for r, s in DEFAULT_SEVERITY.items() if s == "error"}
    assert errors == {
        "open-clarification",
        "failing-test",
        "done-task-failing-test",
        "duplicate-task-id",
        "unknown-requirement",
        "dependency-cycle",
        "unknown-dependency",
    }
    assert set(DEFAULT_SEVERITY.values()) == {"error", "warning"}


def test_clean_feature_has_no_findings(tmp_path: Path) -> None:
    report = check(clean_workspace(tmp_path))
    assert report.findings == []
    assert report.features == [FEATURE]
    assert report.exit_code == 0
    assert report.results is False


# --------------------------------------------------------------------------- one test per rule


def test_open_clarification(tmp_path: Path) -> None:
    spec = SPEC.replace(
        "import recipes from JSON.",
        "import recipes from [NEEDS CLARIFICATION: JSON or YAML?]",
    )
    report = check(clean_workspace(tmp_path, spec=spec))
    assert of(report, "open-clarification") == [
        (f"{F}/spec.md", 20, "needs clarification: JSON or YAML?")
    ]
    assert rules(report) == {"open-clarification"}
    assert report.findings[0].severity == "error"
    assert report.exit_code == 1


def test_failing_test(tmp_path: Path) -> None:
    root = clean_workspace(
        tmp_path,
        **{
            ".sdd/results/junit.xml": junit(
                ("tests.test_import", "test_fr_002_import_round_trip", "failed"),
                ("tests.test_export", "test_fr_001_export", "passed"),
            )
        },
    )
    report = check(root)
    assert report.results is True
    found = of(report, "failing-test")
    assert len(found) == 1
    path, line, message = found[0]
    assert path == ".sdd/results/junit.xml" and line == 1  # its <testcase>, on the one line
    assert "test_fr_002_import_round_trip failed: assert 1 == 2" in message
    assert "(linked to FR-002)" in message  # as the spec writes it
    assert report.exit_code == 1


def test_failing_test_linked_to_no_feature_is_reported_workspace_wide(
    tmp_path: Path,
) -> None:
    root = clean_workspace(
        tmp_path,
        **{
            ".sdd/results/junit.xml": junit(
                ("tests.test_misc", "test_unrelated", "error"),
                ("tests.test_export", "test_fr_001_export", "passed"),
                ("tests.test_import", "test_fr_002_import", "passed"),
            )
        },
    )
    report = check(root)
    assert [(f.rule, f.feature) for f in report.findings] == [("failing-test", None)]
    scoped = check(root, feature=FEATURE)
    assert scoped.findings == []


def test_failing_test_linked_to_several_features_is_reported_once(
    tmp_path: Path,
) -> None:
    root = clean_workspace(
        tmp_path,
        **{
            f"specs/002-other/{name}": text
            for name, text in (("spec.md", SPEC), ("plan.md", "# Plan\n"), ("tasks.md", TASKS))
        },
    )
    write_tree(
        root,
        {
            ".sdd/results/junit.xml": junit(
                ("tests.test_misc", "test_fr_002_import", "failed"),
                ("tests.test_misc", "test_fr_001_export", "passed"),
            )
        },
    )
    whole = of(check(root), "failing-test")
    assert len(whole) == 1
    assert whole[0][2].endswith("(linked to FR-002 in 2 features: 001-demo, 002-other)")
    assert [f.feature for f in check(root).findings if f.rule == "failing-test"] == [None]
    for fid in (FEATURE, "002-other"):
        scoped = check(root, feature=fid)
        assert [(f.rule, f.feature) for f in scoped.findings] == [("failing-test", fid)]


def test_done_task_failing_test(tmp_path: Path) -> None:
    # T001 is done and names tests/test_export.py: every test of that file is linked to it.
    root = clean_workspace(
        tmp_path,
        **{
            ".sdd/results/junit.xml": junit(
                ("tests.test_export", "test_export_writes_json", "failed"),
                ("tests.test_import", "test_fr_002_import", "passed"),
                ("tests.test_export", "test_fr_001_export", "passed"),
            )
        },
    )
    report = check(root)
    assert of(report, "done-task-failing-test") == [
        (
            f"{F}/tasks.md",
            3,
            "task T001 is done but 1 linked test(s) fail: test_export_writes_json",
        )
    ]
    assert rules(report) == {"failing-test", "done-task-failing-test"}


def test_duplicate_task_id(tmp_path: Path) -> None:
    tasks = TASKS + "- [ ] T002 Write the import docs (FR-002)\n"
    report = check(clean_workspace(tmp_path, tasks=tasks))
    assert of(report, "duplicate-task-id") == [
        (f"{F}/tasks.md", 5, f"task ID T002 is used twice (first at {F}/tasks.md:4)")
    ]
    assert rules(report) == {"duplicate-task-id"}


def test_unknown_requirement(tmp_path: Path) -> None:
    tasks = TASKS + "- [ ] T003 Validate input (FR-009, SC-001)\n"
    report = check(clean_workspace(tmp_path, tasks=tasks))
    assert of(report, "unknown-requirement") == [
        (f"{F}/tasks.md", 5, "task T003 references FR-009, which spec.md does not define")
    ]
    assert rules(report) == {"unknown-requirement"}


def test_unknown_requirement_respects_feature_qualified_refs(tmp_path: Path) -> None:
    tasks = TASKS + (
        "- [ ] T003 Share the format\n"
        "  - _Requirements: 002-other/FR-009, 001-demo/FR-001_\n"
        "- [ ] T004 Share more\n"
        "  - _Requirements: 001-demo/FR-007_\n"
    )
    report = check(clean_workspace(tmp_path, tasks=tasks))
    assert [m for _, _, m in of(report, "unknown-requirement")] == [
        "task T004 references 001-demo/FR-007, which spec.md does not define"
    ]


def test_unchecked_checklist_item(tmp_path: Path) -> None:
    checklist = CHECKLIST.replace("- [x] CHK002", "- [ ] CHK002")
    report = check(clean_workspace(tmp_path, checklist=checklist))
    assert of(report, "unchecked-checklist-item") == [
        (
            f"{F}/checklists/requirements.md",
            6,
            "CHK002 not ticked: Focused on user value [Gap, Spec §FR-001]",
        )
    ]
    assert rules(report) == {"unchecked-checklist-item"}
    assert report.exit_code == 0  # a warning by default


def test_requirement_without_task(tmp_path: Path) -> None:
    spec = SPEC.replace(
        "- **FR-002**: System MUST import recipes from JSON.\n",
        "- **FR-002**: System MUST import recipes from JSON.\n"
        "- **FR-003**: System MUST keep ingredient order.\n",
    )
    report = check(clean_workspace(tmp_path, spec=spec))
    assert of(report, "requirement-without-task") == [
        (f"{F}/spec.md", 21, "no task references FR-003")
    ]
    assert rules(report) == {"requirement-without-task"}


def test_requirement_without_task_is_one_finding_when_tasks_name_no_requirement(
    tmp_path: Path,
) -> None:
    tasks = "# Tasks\n\n- [ ] T001 [US1] Export\n- [ ] T002 [US1] Import\n"
    report = check(clean_workspace(tmp_path, tasks=tasks))
    found = of(report, "requirement-without-task")
    assert len(found) == 1
    assert found[0][:2] == (f"{F}/tasks.md", 1)
    assert "any of the 2 requirements (FR-001, FR-002)" in found[0][2]


def test_requirement_without_test(tmp_path: Path) -> None:
    root = clean_workspace(
        tmp_path,
        # a test file no task names, so only the FR-001 in the name links it
        **{".sdd/results/junit.xml": junit(("tests.test_misc", "test_fr_001_export", "passed"))},
    )
    report = check(root)
    assert of(report, "requirement-without-test") == [(f"{F}/spec.md", 20, "no test proves FR-002")]
    assert rules(report) == {"requirement-without-test"}


def test_requirement_without_test_needs_results(tmp_path: Path) -> None:
    report = check(clean_workspace(tmp_path))
    assert report.results is False
    assert of(report, "requirement-without-test") == []


def test_spec_without_plan(tmp_path: Path) -> None:
    report = check(clean_workspace(tmp_path, plan=None, tasks=None))
    assert of(report, "spec-without-plan") == [(f"{F}/spec.md", 1, "the spec has no plan yet")]
    assert rules(report) == {"spec-without-plan"}


def test_spec_without_tasks(tmp_path: Path) -> None:
    report = check(clean_workspace(tmp_path, tasks=None))
    assert of(report, "spec-without-plan") == [(f"{F}/spec.md", 1, "the spec has no tasks yet")]


def test_missing_spec_section(tmp_path: Path) -> None:
    spec = SPEC.replace(
        "## Success Criteria *(mandatory)*\n\n- **SC-001**: An export takes under 1 s.\n", ""
    )
    spec = spec.replace(
        "### User Story 1 - Export (Priority: P1)\n\nA user exports their data.\n",
        "<!-- fill in -->\n",
    )
    report = check(clean_workspace(tmp_path, spec=spec))
    assert of(report, "missing-spec-section") == [
        (f"{F}/spec.md", 1, "section 'Success Criteria' is missing"),
        (f"{F}/spec.md", 9, "section 'User Scenarios & Testing' is empty"),
    ]
    assert rules(report) == {"missing-spec-section"}


# --------------------------------------------------------------------------- plan older than spec


def _committed(root: Path) -> Path:
    """The clean feature in a git repo: plan committed in 2026-01, the spec in 2026-03."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "--", f"{F}/plan.md", f"{F}/tasks.md", f"{F}/checklists")
    git(root, "commit", "-q", "-m", "plan", date="2026-01-05T10:00:00+00:00")
    git(root, "add", "--", f"{F}/spec.md")
    git(root, "commit", "-q", "-m", "spec", date="2026-03-05T10:00:00+00:00")
    return root


needs_git = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
    reason="git not installed",
)


@needs_git
def test_plan_older_than_spec(tmp_path: Path) -> None:
    root = _committed(clean_workspace(tmp_path / "repo"))
    report = run_checks(load(root))
    assert report.git is True
    assert of(report, "plan-older-than-spec") == [
        (
            f"{F}/plan.md",
            1,
            "plan (2026-01-05 10:00) is older than the spec spec.md (2026-03-05 10:00); re-plan?",
        )
    ]
    assert rules(report) == {"plan-older-than-spec"}


@needs_git
def test_plan_committed_after_spec_is_fine_until_the_spec_is_edited(tmp_path: Path) -> None:
    root = clean_workspace(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "all", date="2026-01-05T10:00:00+00:00")
    assert of(run_checks(load(root)), "plan-older-than-spec") == []
    spec = root / F / "spec.md"
    spec.write_text(SPEC + "\nMore.\n", encoding="utf-8")  # dirty: its mtime counts
    found = of(run_checks(load(root)), "plan-older-than-spec")
    assert [(p, line) for p, line, _ in found] == [(f"{F}/plan.md", 1)]


@needs_git
def test_workspace_in_a_subfolder_of_the_repo(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    root = clean_workspace(repo / "app")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "--", f"app/{F}/plan.md")
    git(repo, "commit", "-q", "-m", "plan", date="2026-01-05T10:00:00+00:00")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rest", date="2026-02-05T10:00:00+00:00")
    times = git_times(root, [f"{F}/plan.md", f"{F}/spec.md"])
    assert times is not None
    assert times[f"{F}/plan.md"] < times[f"{F}/spec.md"]
    assert len(of(run_checks(load(root)), "plan-older-than-spec")) == 1


def test_plan_rule_is_skipped_outside_git(tmp_path: Path) -> None:
    root = clean_workspace(tmp_path / "plain")
    os.utime(root / F / "plan.md", (1_000_000, 1_000_000))  # much older than the spec
    report = run_checks(load(root))
    if report.git:  # tmp_path inside somebody's repository: not this test's case
        pytest.skip("tmp_path is inside a git work tree")
    assert of(report, "plan-older-than-spec") == []


def test_plan_rule_is_skipped_without_git_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = clean_workspace(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert git_times(root, [f"{F}/plan.md"]) is None
    report = run_checks(load(root))
    assert report.git is False
    assert of(report, "plan-older-than-spec") == []


# --------------------------------------------------------------------------- severities, scope


def test_severities_come_from_config(tmp_path: Path) -> None:
    checklist = CHECKLIST.replace("- [x] CHK002", "- [ ] CHK002")
    spec = SPEC.replace("from JSON.", "from [NEEDS CLARIFICATION: which format?]")
    config = (
        "checks:\n  unchecked-checklist-item: error\n  open-clarification: 'off'\n"
        "  no-such-rule: warning\n"
    )
    root = clean_workspace(tmp_path, checklist=checklist, spec=spec, **{".sdd/config.yaml": config})
    report = check(root)
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("unchecked-checklist-item", "error")
    ]
    assert report.exit_code == 1
    assert report.summary()["rules"]["open-clarification"] == {"severity": "off", "count": 0}
    assert [p.message for p in report.problems] == [
        "checks: unknown rule 'no-such-rule' (rules: " + ", ".join(RULE_IDS) + ")"
    ]


def test_invalid_severity_keeps_defaults_and_reports_a_problem(tmp_path: Path) -> None:
    root = clean_workspace(
        tmp_path, **{".sdd/config.yaml": "checks:\n  open-clarification: fatal\n"}
    )
    loaded = load(root)
    assert any("checks" in p.message for p in loaded.workspace.problems)
    report = run_checks(loaded, use_git=False)
    assert report.severities == DEFAULT_SEVERITY


def test_feature_scope_and_archived_features(tmp_path: Path) -> None:
    root = clean_workspace(tmp_path)
    other = "specs/002-other"
    write_tree(
        root,
        {
            f"{other}/spec.md": SPEC.replace("from JSON.", "from [NEEDS CLARIFICATION: format?]"),
            f"{other}/plan.md": "# Plan\n",
            f"{other}/tasks.md": TASKS,
            "openspec/changes/archive/2026-01-01-old/proposal.md": "# Old\n\n## Why\n\nOld.\n",
        },
    )
    everything = check(root)
    assert everything.features == [FEATURE, "002-other"]  # the archived change is skipped
    assert {f.feature for f in everything.findings} == {"002-other"}
    assert check(root, feature=FEATURE).findings == []
    only = check(root, feature="002")
    assert only.features == ["002-other"]
    assert {f.rule for f in only.findings} == {"open-clarification"}
    archived = check(root, feature="2026-01-01-old")
    # asked for by name, an archived feature is checked (but not for a missing plan/tasks)
    assert [(f.rule, f.message) for f in archived.findings] == [
        ("missing-spec-section", "section 'What Changes' is missing")
    ]
    with pytest.raises(KeyError):
        check(root, feature="nope")


# --------------------------------------------------------------------------- Kiro, OpenSpec


KIRO_REQ = """\
# Requirements Document

## Introduction

Albums.

## Requirements

### Requirement 1

**User Story:** As a user, I want albums, so that I can sort photos.

#### Acceptance Criteria

1. WHEN a user creates an album THEN the system SHALL save it
2. WHEN a user deletes an album THEN the system SHALL remove it

### Requirement 2

**User Story:** As a user, I want sharing.
"""

KIRO_TASKS = """\
# Implementation Plan

- [x] 1. Album model
  - _Requirements: 1.1, 3.1_
- [ ] 2. Delete albums
  - _Requirements: 1_
"""


def test_kiro_rules(tmp_path: Path) -> None:
    k = ".kiro/specs/albums"
    root = write_tree(
        tmp_path,
        {
            f"{k}/requirements.md": KIRO_REQ,
            f"{k}/design.md": "# Design\n",
            f"{k}/tasks.md": KIRO_TASKS,
        },
    )
    report = check(root)
    assert of(report, "unknown-requirement") == [
        (f"{k}/tasks.md", 3, "task 1 references 3.1, which requirements.md does not define")
    ]
    assert of(report, "missing-spec-section") == [
        (f"{k}/requirements.md", 18, "requirement has no numbered acceptance criteria")
    ]
    # ``_Requirements: 1_`` covers 1.1 and 1.2: every criterion has a task
    assert of(report, "requirement-without-task") == []


def test_openspec_rules(tmp_path: Path) -> None:
    c = "openspec/changes/add-login"
    root = write_tree(
        tmp_path,
        {
            f"{c}/proposal.md": "# Add login\n\n## Why\n\nUsers.\n\n## What Changes\n\n- Login\n",
            f"{c}/tasks.md": "## 1. Login\n\n- [ ] 1.1 Implement Login form\n- [ ] 1.1 Test it\n",
            f"{c}/specs/auth/spec.md": (
                "## ADDED Requirements\n\n### Requirement: Login\nThe system SHALL.\n\n"
                "#### Scenario: ok\n- WHEN x\n- THEN y\n\n"
                "### Requirement: Logout\nThe system SHALL.\n"
            ),
        },
    )
    report = check(root)
    assert of(report, "spec-without-plan") == []  # design.md is optional in OpenSpec
    assert of(report, "missing-spec-section") == [
        (f"{c}/specs/auth/spec.md", 10, "requirement has no '#### Scenario:'")
    ]
    assert of(report, "duplicate-task-id") == [
        (f"{c}/tasks.md", 4, f"task ID 1.1 is used twice (first at {c}/tasks.md:3)")
    ]
    assert of(report, "requirement-without-task") == [
        (f"{c}/specs/auth/spec.md", 10, "no task references Logout")
    ]


# --------------------------------------------------------------------------- traceability


def test_sample_coverage() -> None:
    from helpers.files import SAMPLE

    loaded = load(SAMPLE)
    results, problems = load_results(SAMPLE, [".sdd/results/**/*.xml"])
    assert problems == [] and results.cases
    traced = tracing(loaded.workspace, results)
    assert traced.trace is not None
    feature = loaded.workspace.feature("002-meal-planner")
    assert feature is not None
    by_id = {c.requirement.id: c for c in coverage(loaded.workspace, feature, results, traced)}
    assert by_id["FR-002"].status == "passed"
    assert [t.id for t in by_id["FR-004"].tasks] == ["T009"]
    assert by_id["FR-004"].status == "untested"
    assert {t.id for t in by_id["US1"].tasks} >= {"T005", "T006"}  # the [US1] story label
    # test_recipes.py tests belong to 001 (its tasks name that file), not to 002 or 003
    links = traced.links
    assert not any(cl.case.classname == "tests.test_recipes" for cl in links["002-meal-planner"])
    assert links["003-nutrition-labels"] == []
    no_results = coverage(loaded.workspace, feature, None)
    assert {c.status for c in no_results} == {"no-results"}
