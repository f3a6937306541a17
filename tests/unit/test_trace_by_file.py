"""Traceability by the test file a task names (issue 16, item 7): a story label on the task
does not drop the link; ``check`` prints IDs as written and points a failing test at its
line in the JUnit file."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree

from sdd_tui.formats.junit import parse_junit
from sdd_tui.operations.checks import run_checks
from sdd_tui.operations.trace import build_trace
from sdd_tui.workspace.loader import load
from sdd_tui.workspace.results import load_results

F = "specs/001-pub"
SPEC = """\
# Feature Specification: Publishing

## User Scenarios & Testing

### User Story 1 - Publish a recipe (Priority: P1)

## Requirements

- **FR-001**: System MUST publish a recipe.
- **FR-002**: System MUST validate a recipe.
- **FR-003**: System MUST reject a duplicate slug.
"""
TASKS = """\
# Tasks

- [ ] T001 [US1] Write the model in src/publish.py (FR-001)
- [ ] T003 [US1] Contract test for publish in tests/contract/test_publish.py
- [ ] T004 Contract test for validation in tests/contract/test_validate.py
- [ ] T005 [US1] Tests for FR-001 in tests/contract/test_slug.py
- [ ] T006 Implement slug checks (FR-003)
"""
JUNIT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="pytest">
    <testcase classname="tests.contract.test_publish" name="test_fr_001_publish" time="0.1"/>
    <testcase classname="tests.contract.test_publish" name="test_fr_002_rejects_empty"
              time="0.1">
      <failure message="assert 1 == 2">trace</failure>
    </testcase>
    <testcase classname="tests.contract.test_validate" name="test_validates" time="0.1"/>
    <testcase classname="tests.contract.test_slug" name="test_fr_003_duplicate" time="0.1"/>
  </testsuite>
</testsuites>
"""


def workspace(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            f"{F}/spec.md": SPEC,
            f"{F}/plan.md": "# Plan\n",
            f"{F}/tasks.md": TASKS,
            ".sdd/results/junit.xml": JUNIT,
        },
    )


def test_story_label_keeps_the_file_link(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    loaded = load(root)
    results, problems = load_results(root)
    assert problems == []
    trace = build_trace(loaded.workspace, results.cases)
    [f] = loaded.workspace.features
    tasks = {t.id: t for t in f.tasks}
    names = {tid: [c.name for c in trace.task_tests(f, tasks[tid])] for tid in tasks}
    # T003 names the file: both of its tests, whatever requirements they name
    assert names["T003"] == ["test_fr_001_publish", "test_fr_002_rejects_empty"]
    # the README's example without a label: a task naming a test file gets its tests
    assert names["T004"] == ["test_validates"]
    # rule 3 still holds: a test named for FR-003 is not the test of "tests for FR-001"
    assert "test_fr_003_duplicate" not in names["T005"]
    assert names["T006"] == ["test_fr_003_duplicate"]
    assert trace.task_status(f)["T003"] == "failed"


def test_check_prints_ids_as_written_and_the_junit_line(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    report = run_checks(load(root), use_git=False)
    [failing] = [x for x in report.findings if x.rule == "failing-test"]
    assert failing.path == ".sdd/results/junit.xml"
    assert failing.line == 5  # the <testcase> of test_fr_002_rejects_empty
    assert "linked to FR-002, T003" in failing.message
    assert "FR-2" not in failing.message


def test_junit_cases_carry_their_line() -> None:
    cases = parse_junit(JUNIT.encode(), "junit.xml")
    assert [c.line for c in cases] == [4, 5, 9, 10]
    one_line = b'<testsuite name="s"><testcase classname="a" name="b"/></testsuite>'
    assert [c.line for c in parse_junit(one_line)] == [1]
