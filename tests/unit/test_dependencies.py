"""Task order (formats.dependencies) and readiness (operations.next) on real tasks files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdd_tui.formats.dependencies import explicit_refs, group_name, problems, read_order
from sdd_tui.model.workspace import Feature
from sdd_tui.operations.next import next_json, next_tasks
from sdd_tui.workspace.loader import load

SPECKIT = """\
# Tasks: Photo albums

## Phase 1: Setup (Shared Infrastructure)

- [x] T001 Create project structure
- [ ] T002 [P] Configure linting

## Phase 2: Foundational (Blocking Prerequisites)

- [ ] T003 Database schema
- [ ] T004 [P] Auth middleware

## Phase 3: User Story 1 - Create albums (Priority: P1)

### Tests for User Story 1

- [ ] T005 [P] [US1] Contract test in tests/contract/test_albums.py
- [ ] T006 [P] [US1] Integration test in tests/integration/test_albums.py

### Implementation for User Story 1

- [ ] T007 [US1] Album model in src/models/album.py
- [ ] T008 [US1] Album service (depends on T007)

## Phase 4: User Story 2 - Share albums (Priority: P2)

- [ ] T009 [P] [US2] Share link model

## Phase 5: Polish & Cross-Cutting Concerns

- [ ] T010 [P] Docs
"""

KIRO = """\
# Implementation Plan

- [x] 1. Set up project
- [ ] 2. Data models
  - [x] 2.1 (P) Album model
    - _Requirements: 1.1_
  - [ ] 2.2 (P) Photo model
  - [ ] 2.3 Repository layer
    - _Depends on: 2.1, 2.2_
- [ ] 3. API
  - [ ] 3.1 Endpoints
"""

OPENSPEC = """\
## 1. Setup
- [x] 1.1 Add the flag
- [ ] 1.2 Wire the config (depends on -)

## 2. Implementation
- [ ] 2.1 Rename the field (blocked by 1.2)
- [ ] 2.2 Update references (after T099)
"""


def _workspace(tmp_path: Path, layout: str, text: str) -> Feature:
    if layout == "speckit":
        d = tmp_path / "specs" / "001-albums"
        d.mkdir(parents=True)
        (d / "spec.md").write_text("# Spec\n", encoding="utf-8")
    elif layout == "kiro":
        d = tmp_path / ".kiro" / "specs" / "albums"
        d.mkdir(parents=True)
        (d / "requirements.md").write_text("# Requirements\n", encoding="utf-8")
    else:
        d = tmp_path / "openspec" / "changes" / "rename-field"
        d.mkdir(parents=True)
        (d / "proposal.md").write_text("# Proposal\n", encoding="utf-8")
    (d / "tasks.md").write_text(text, encoding="utf-8")
    return load(tmp_path).workspace.features[0]


def _ready(tmp_path: Path) -> dict[str, tuple[str, ...]]:
    ws = load(tmp_path).workspace
    return {(r.task.id or r.task.key): r.why for r in next_tasks(ws)}


def test_speckit_phases_gate_and_parallel_markers(tmp_path: Path) -> None:
    _workspace(tmp_path, "speckit", SPECKIT)
    # Setup not done (T002 open): only T002 may run; nothing of a later phase.
    assert list(_ready(tmp_path)) == ["T002"]


def test_speckit_stories_run_side_by_side_after_foundational(tmp_path: Path) -> None:
    text = SPECKIT.replace("- [ ] T002", "- [x] T002").replace("- [ ] T003", "- [x] T003")
    text = text.replace("- [ ] T004", "- [x] T004")
    _workspace(tmp_path, "speckit", text)
    ready = _ready(tmp_path)
    # Both stories open at once; inside US1 the [P] tests, not T007 (waits for the tests)
    # nor T008 (depends on T007); Polish waits for every story.
    assert list(ready) == ["T005", "T006", "T009"]
    assert "earlier phases done: Setup, Foundational" in ready["T005"]
    assert "marked parallel: waits for no sibling" in ready["T005"]


def test_speckit_explicit_dependency_replaces_file_order(tmp_path: Path) -> None:
    text = SPECKIT
    for tid in ("T002", "T003", "T004", "T005", "T006", "T007"):
        text = text.replace(f"- [ ] {tid}", f"- [x] {tid}")
    _workspace(tmp_path, "speckit", text)
    ready = _ready(tmp_path)
    assert list(ready) == ["T008", "T009"]
    assert ready["T008"][0] == "its dependencies are done: T007"


def test_kiro_nesting_parallel_subtasks_and_metadata_line(tmp_path: Path) -> None:
    f = _workspace(tmp_path, "kiro", KIRO)
    order = read_order(f.tasks)
    assert order.explicit["2.3"] == ("2.1", "2.2")
    ready = _ready(tmp_path)
    # 2.2 runs beside the done 2.1; 2.3 waits for 2.2; 3 waits for 2 (its sub-tasks open).
    assert list(ready) == ["2.2"]
    assert "sub-task of 2, which may start" in ready["2.2"]


def test_kiro_parent_is_ready_once_its_subtasks_are_done(tmp_path: Path) -> None:
    text = KIRO.replace("- [ ] 2.2", "- [x] 2.2").replace("- [ ] 2.3", "- [x] 2.3")
    _workspace(tmp_path, "kiro", text)
    ready = _ready(tmp_path)
    assert list(ready) == ["2"]
    assert "its sub-tasks are done" in ready["2"]


def test_openspec_sections_none_marker_and_unknown_reference(tmp_path: Path) -> None:
    f = _workspace(tmp_path, "openspec", OPENSPEC)
    ready = _ready(tmp_path)
    assert list(ready) == ["1.2"]
    assert ready["1.2"][0] == "it says it depends on nothing"
    found = problems(f.tasks)
    assert [(p.line, p.message) for p in found] == [
        (7, "2.2 depends on T099: no task with that ID in this feature")
    ]
    ws = load(tmp_path).workspace
    assert any("T099" in p.message for p in ws.problems)


def test_cycle_is_a_problem_and_blocks_its_tasks(tmp_path: Path) -> None:
    text = """\
# Tasks
- [ ] T001 First (depends on T003)
- [ ] T002 [P] Second
- [ ] T003 Third (blocked by T001)
"""
    f = _workspace(tmp_path, "speckit", text)
    found = problems(f.tasks)
    assert [p.message for p in found] == [
        "dependency cycle: T001 → T003 → T001 (nothing in it can start)"
    ]
    assert list(_ready(tmp_path)) == ["T002"]


def test_cycle_across_a_phase_gate(tmp_path: Path) -> None:
    text = """\
## Phase 1: Setup
- [ ] T001 Scaffold (depends on T002)
## Phase 2: Foundational
- [ ] T002 Schema
"""
    f = _workspace(tmp_path, "speckit", text)
    assert [p.message for p in problems(f.tasks)] == [
        "dependency cycle: T001 → T002 → T001 (nothing in it can start)"
    ]


def test_ranges_stories_and_zero_padding(tmp_path: Path) -> None:
    text = """\
# Tasks
- [x] T1 [US1] One
- [x] T002 [P] [US1] Two
- [x] T003 [P] Three
- [ ] T004 Four (depends on T001-T003)
- [ ] T005 [P] Five (depends on US1)
"""
    f = _workspace(tmp_path, "speckit", text)
    order = read_order(f.tasks)
    assert order.explicit["T004"] == ("T1", "T002", "T003")
    assert order.explicit["T005"] == ("T1", "T002")
    assert list(_ready(tmp_path)) == ["T004", "T005"]


@pytest.mark.parametrize(
    ("line", "refs"),
    [
        ("T014 Implement service (depends on T012, T013)", ("T012", "T013")),
        ("T003 Integrate. **Depends on T002** (requires cmd_verify)", ("T002",)),
        ("1.4 Update references (depends on 1.2)", ("1.2",)),
        ("T020 Retry after 2 seconds", None),  # prose, not a reference
        ("T021 Checks no trait depends on the one being disabled", None),
        ("T022 Wire it (after T009)", ("T009",)),
        ("T023 Wire it after T009 and T010", ("T009", "T010")),
        ("T024 Rename (depends on -)", ()),
        ("T025 Docs (depends on T002-T004)", ("T002-T004",)),
    ],
)
def test_explicit_reference_phrases(line: str, refs: tuple[str, ...] | None) -> None:
    from sdd_tui.model.items import Task

    t = Task("f", "k", None, line, line, " ", "todo", "tasks.md", 1, 1, None, None, False,
             False, (), None, ())  # fmt: skip
    assert explicit_refs(t) == refs


def test_metadata_lines_in_the_body() -> None:
    from sdd_tui.model.items import Task

    body = ("  - Build the repository", "  - _Requirements: 1.1_", "  - _Blocked by: 2.1, 2.2_")
    t = Task("f", "k", "2.3", "2.3 Repo", "2.3 Repo", " ", "todo", "tasks.md", 1, 4, None,
             None, False, False, (), None, body)  # fmt: skip
    assert explicit_refs(t) == ("2.1", "2.2")


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Phase 1: Setup (Shared Infrastructure)", ("Setup", False)),
        ("Phase 2: Foundational (Blocking Prerequisites)", ("Foundational", False)),
        ("Phase 3: User Story 1 - Create albums (Priority: P1) 🎯 MVP", ("User Story 1", True)),
        ("Implementation for User Story 1", ("User Story 1", True)),
        ("Phase 6: Polish & Cross-Cutting Concerns", ("Polish", False)),
        ("Phase 7: Migration", ("Phase 7", False)),
        ("2. Implementation", ("2. Implementation", False)),
        (None, ("", False)),
    ],
)
def test_group_names(heading: str | None, expected: tuple[str, bool]) -> None:
    assert group_name(heading) == expected


def test_next_json_carries_the_task_shape_and_why(tmp_path: Path) -> None:
    _workspace(tmp_path, "kiro", KIRO)
    ws = load(tmp_path).workspace
    [item] = next_json(next_tasks(ws))
    assert item["id"] == "2.2" and item["column"] == "todo" and item["line"] == 7
    assert item["why"][0] == "marked parallel: waits for no sibling"


def test_a_long_list_of_earlier_phases_is_shortened(tmp_path: Path) -> None:
    phases = "".join(f"## Phase {n}: Step {n}\n- [x] T00{n} Do {n}\n" for n in range(1, 7))
    _workspace(tmp_path, "speckit", phases + "## Phase 7: Last\n- [ ] T007 Ship\n")
    assert _ready(tmp_path)["T007"][-1] == (
        "earlier phases done: Phase 1, Phase 2, … 3 more, Phase 6"
    )
