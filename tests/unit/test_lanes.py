"""Lanes (``operations.lanes``): waves of open tasks that can run side by side."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree

from sdd_tui.operations.lanes import lanes
from sdd_tui.workspace.loader import load

SPECKIT = """\
# Tasks

## Phase 1: Setup

- [x] T001 Create the project in src/
- [ ] T002 [P] Add the linter config in pyproject.toml

## Phase 2: Foundational

- [ ] T003 Define the models in src/models.py
- [ ] T004 [P] Write the model tests in tests/test_models.py

## Phase 3: User Story 1

- [ ] T005 [P] [US1] Implement export in src/export.py
- [ ] T006 [P] [US1] Implement export options in src/export.py
- [ ] T007 [US1] Wire export into the CLI in src/cli.py (depends on T005)

## Phase 4: Polish

- [ ] T008 Update the docs
"""


def feature(tmp_path: Path, tasks: str):  # type: ignore[no-untyped-def]
    root = write_tree(
        tmp_path / "ws", {"specs/001-x/spec.md": "# Spec\n", "specs/001-x/tasks.md": tasks}
    )
    found = load(root).workspace.feature("001-x")
    assert found is not None
    return found


def keys(wave) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.key for t in wave]


def test_waves_follow_phases_parallel_markers_and_explicit_dependencies(tmp_path: Path) -> None:
    result = lanes(feature(tmp_path, SPECKIT))
    # Setup's open task first; Foundational waits for Setup, the story for Foundational;
    # [P] tasks of one phase side by side; T007 after T005, which it names; Polish last
    assert [keys(w) for w in result.waves] == [
        ["T002"],
        ["T003", "T004"],
        ["T005", "T006"],
        ["T007"],
        ["T008"],
    ]
    assert result.critical_path == 5
    assert result.blocked == []


def test_two_parallel_tasks_naming_one_file_are_a_clash(tmp_path: Path) -> None:
    result = lanes(feature(tmp_path, SPECKIT))
    clashes = [c for cs in result.clashes.values() for c in cs]
    assert [(c.path, c.keys) for c in clashes] == [("src/export.py", ("T005", "T006"))]


def test_a_cycle_is_blocked_not_in_a_wave(tmp_path: Path) -> None:
    tasks = """\
- [ ] T001 First (depends on T002)
- [ ] T002 Second (depends on T001)
- [ ] T003 [P] Free
"""
    result = lanes(feature(tmp_path, tasks))
    assert keys(result.blocked) == ["T001", "T002"]
    assert [keys(w) for w in result.waves] == [["T003"]]


def test_nothing_open_means_no_wave(tmp_path: Path) -> None:
    result = lanes(feature(tmp_path, "- [x] T001 Done\n"))
    assert result.waves == [] and result.critical_path == 0


def test_a_parent_and_its_own_sub_task_are_no_clash(tmp_path: Path) -> None:
    tasks = """\
- [ ] T001 Implement removal in src/plan.py
  - [ ] T001a Implement clear_day in src/plan.py
- [ ] T002 [P] Write docs in docs/plan.md
"""
    result = lanes(feature(tmp_path, tasks))
    assert result.clashes == {}
