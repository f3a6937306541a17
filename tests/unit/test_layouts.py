"""Discovery and loading of every layout on small workspaces written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.files import write_tree
from helpers.git import git

from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.operations.report import status_json
from sdd_tui.workspace.discover import find_root
from sdd_tui.workspace.loader import load, load_root


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Workspaces without .sdd/ keep the parse cache in the user's cache folder: not here."""
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(tmp_path_factory.mktemp("parse-cache")))


def ws_of(root: Path) -> Workspace:
    return load_root(root).workspace


def feature(ws: Workspace, fid: str) -> Feature:
    f = ws.feature(fid)
    assert f is not None, [x.id for x in ws.features]
    return f


def summary(ws: Workspace, fid: str) -> dict[str, object]:
    return next(f for f in status_json(ws)["features"] if f["id"] == fid)


# --------------------------------------------------------------------------- Spec Kit

SPECKIT_SPEC = """\
# Feature Specification: Export

## User Scenarios & Testing

### User Story 1 - Export a recipe (Priority: P1)

### User Story 2 - Import a recipe (Priority: P2)

## Requirements

### Functional Requirements

- **FR-001**: System MUST export recipes as JSON.
- **FR-002**: System MUST import recipes [NEEDS CLARIFICATION: which formats?]
- **FR-003a**: System MUST validate imports.
- **NFR-001**: Exports MUST finish in 1 s.

### Success Criteria

- **SC-001**: 95% of exports succeed.

```markdown
- **FR-999**: an example in a fence [NEEDS CLARIFICATION: not counted]
- [ ] not a checklist item
```

Mentioned but unresolved: [NEEDS CLARIFICATION] without a colon is not counted.
<!-- [NEEDS CLARIFICATION: inside a comment] -->

## Review & Acceptance Checklist

- [x] No implementation details
- [ ] Requirements are testable
"""

SPECKIT_TASKS = """\
# Tasks: Export

**Legend**:
- [P] tasks = different files, no dependencies
- [Story] label shows the user story

## Phase 1: Setup

- [x] T001 Create project structure
- [X] T002 [P] Configure linting

## Phase 2: User Story 1

- [ ] T003 [P] [US1] Export model in src/export.py (FR-001)
- [ ] T003a [US1] Export endpoint
  - [ ] T003b Nested subtask

```text
- [ ] T999 example in a fence
```
"""


def speckit_tree(root: Path) -> Path:
    return write_tree(
        root,
        {
            ".specify/memory/constitution.md": "# Constitution\n",
            ".specify/feature.json": json.dumps({"feature_directory": "specs/002-import"}),
            "specs/001-export/spec.md": SPECKIT_SPEC,
            "specs/001-export/plan.md": "# Plan\n\n## Technical Context\n",
            "specs/001-export/tasks.md": SPECKIT_TASKS,
            "specs/001-export/research.md": "# Research\n",
            "specs/001-export/data-model.md": "# Data model\n",
            "specs/001-export/quickstart.md": "# Quickstart\n",
            "specs/001-export/contracts/api.md": "# API\n",
            "specs/001-export/notes.md": "# Extra notes\n",
            "specs/001-export/checklists/ux.md": (
                "# UX checklist\n\n- [x] CHK001 Is the layout defined? [Gap]\n"
                "- [ ] CHK002 Are errors covered? [Spec §FR-002]\n"
            ),
            "specs/001-export/checklists/security.md": "- [ ] CHK001 Is auth required?\n",
            "specs/002-import/spec.md": "# Import\n\n- **FR-001**: Import.\n",
            "specs/002-import/tasks.md": "- [ ] T001 Import\n",
            "specs/20250101-120000-timestamped/spec.md": "# Timestamped\n",
            "specs/20250101-120000-timestamped/tasks.md": "- [x] T001 Done\n",
            "specs/generalize.md": "- [ ] T001 loose file, not a feature\n",
            "specs/notes/README.md": "loose folder without spec/plan/tasks\n",
        },
    )


def test_speckit_features_documents_and_active_feature(tmp_path: Path) -> None:
    ws = ws_of(speckit_tree(tmp_path))
    assert [f.id for f in ws.features] == [
        "001-export",
        "002-import",
        "20250101-120000-timestamped",
    ]
    assert {f.layout for f in ws.features} == {"speckit"}
    assert ws.active_feature == "002-import"
    assert ws.problems == ()
    f = feature(ws, "001-export")
    assert f.path == "specs/001-export"
    assert f.documents == {
        "spec": "specs/001-export/spec.md",
        "plan": "specs/001-export/plan.md",
        "tasks": "specs/001-export/tasks.md",
        "research": "specs/001-export/research.md",
        "data_model": "specs/001-export/data-model.md",
        "quickstart": "specs/001-export/quickstart.md",
    }
    assert f.checklist_files == (
        "specs/001-export/checklists/security.md",
        "specs/001-export/checklists/ux.md",
    )
    assert dict(f.extra_documents) == {
        "contracts/api.md": "specs/001-export/contracts/api.md",
        "notes.md": "specs/001-export/notes.md",
    }
    ts = feature(ws, "20250101-120000-timestamped")
    assert ts.documents["plan"] is None
    assert [t.column for t in ts.tasks] == ["done"]


def test_speckit_tasks(tmp_path: Path) -> None:
    f = feature(ws_of(speckit_tree(tmp_path)), "001-export")
    # Six boxes: the two legend lines and the fenced example are not tasks.
    assert [(t.key, t.mark, t.column) for t in f.tasks] == [
        ("T001", "x", "done"),
        ("T002", "X", "done"),
        ("T003", " ", "todo"),
        ("T003a", " ", "todo"),
        ("T003b", " ", "todo"),
    ]
    by = {t.key: t for t in f.tasks}
    assert (by["T003"].parallel, by["T003"].story, by["T003"].requirements) == (
        True,
        "US1",
        ("FR-001",),
    )
    assert by["T003b"].parent == "T003a"
    assert by["T003"].section == "Phase 2: User Story 1"
    assert by["T001"].line == 9


def test_speckit_checklists_requirements_and_clarifications(tmp_path: Path) -> None:
    ws = ws_of(speckit_tree(tmp_path))
    f = feature(ws, "001-export")
    # Spec checkboxes (2, the fenced one excluded) + ux.md (2) + security.md (1).
    assert [(c.key, c.checked) for c in f.checklist] == [
        ("spec:no-implementation-details", True),
        ("spec:requirements-are-testable", False),
        ("security:CHK001", False),
        ("ux:CHK001", True),
        ("ux:CHK002", False),
    ]
    assert f.tasks and not any(t.key.startswith("spec:") for t in f.tasks)
    reqs = {r.id: r.kind for r in f.requirements}
    assert reqs == {
        "US1": "story",
        "US2": "story",
        "FR-001": "functional",
        "FR-002": "functional",
        "FR-003a": "functional",
        "NFR-001": "nonfunctional",
        "SC-001": "success",
    }
    # Only the colon form outside code and comments counts.
    assert [(c.text, c.line) for c in f.clarifications] == [("which formats?", 14)]
    s = summary(ws, "001-export")
    assert s["requirements"] == 3  # FR-001, FR-002, FR-003a; not NFR, SC or stories
    assert s["clarifications"] == 1
    assert s["checklists"] == {"total": 5, "checked": 2}
    assert s["tasks"] == {
        "total": 5,
        "done": 2,
        "columns": {"todo": 3, "in_progress": 0, "review": 0, "done": 2},
    }


def test_speckit_active_feature_from_git_branch(tmp_path: Path) -> None:
    root = speckit_tree(tmp_path)
    (root / ".specify" / "feature.json").unlink()
    git(root, "init", "-q", "-b", "main")
    assert ws_of(root).active_feature is None
    git(root, "checkout", "-q", "-b", "002-import")
    assert ws_of(root).active_feature == "002-import"
    git(root, "checkout", "-q", "-b", "feature/001-export")
    assert ws_of(root).active_feature == "001-export"
    git(root, "checkout", "-q", "-b", "999-unknown")
    assert ws_of(root).active_feature is None


def test_feature_json_wins_over_the_branch(tmp_path: Path) -> None:
    root = speckit_tree(tmp_path)
    git(root, "init", "-q", "-b", "001-export")
    assert ws_of(root).active_feature == "002-import"
    (root / ".specify" / "feature.json").write_text('{"feature_directory": "specs/404-gone"}')
    assert ws_of(root).active_feature == "001-export"
    (root / ".specify" / "feature.json").write_text("{not json")
    assert ws_of(root).active_feature == "001-export"


def test_crlf_and_bom_tasks_file(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf# Tasks\r\n\r\n- [ ] T001 First\r\n- [x] T002 Second\r\n  - [ ] T003 Sub"
    root = write_tree(tmp_path, {"specs/001-a/tasks.md": raw})
    f = feature(ws_of(root), "001-a")
    assert [(t.key, t.line, t.column, t.parent) for t in f.tasks] == [
        ("T001", 3, "todo", None),
        ("T002", 4, "done", None),
        ("T003", 5, "todo", "T002"),
    ]
    assert (root / "specs/001-a/tasks.md").read_bytes() == raw  # loading changes nothing


# --------------------------------------------------------------------------- Kiro

KIRO_REQUIREMENTS = """\
# Requirements Document

## Introduction

Intro text with a list:

1. Not a criterion (no requirement heading above it).

## Requirements

### Requirement 1

**User Story:** As a user, I want export.

#### Acceptance Criteria

1. WHEN the user exports THEN the system SHALL write JSON
2. IF the file exists THEN the system SHALL ask first
   1. nested numbers are not criteria

### Requirement 2: Import

#### Acceptance Criteria

1. WHEN a file is dropped THEN the system SHALL import it
"""

KIRO_TASKS = """\
# Implementation Plan

- [x] 1. Set up the project
- [x] 1.1 Create the package
  - _Requirements: 1.1_
- [-] 1.2 Write the exporter
  - **Validates: Requirements 1.2**
- [ ]* 1.3 Property test for the exporter
- [ ] 2. Import
  - [ ] 2.1 Parse the file
    - _Requirements: 2.1_
"""


def kiro_tree(root: Path) -> Path:
    return write_tree(
        root,
        {
            ".kiro/steering/product.md": "---\ninclusion: always\n---\n# Product\n",
            ".kiro/specs/README.md": "- [ ] loose file\n",
            ".kiro/specs/export/requirements.md": KIRO_REQUIREMENTS,
            ".kiro/specs/export/design.md": "# Design\n",
            ".kiro/specs/export/tasks.md": KIRO_TASKS,
            ".kiro/specs/export/spike-notes.md": "# Spike\n",
            ".kiro/specs/login-bug/bugfix.md": (
                "# Bugfix\n\n### Requirement 1\n\n#### Acceptance Criteria\n\n"
                "1. WHEN login fails THEN show the reason\n"
            ),
            ".kiro/specs/login-bug/tasks.md": "- [ ] 1. Fix it\n",
            ".kiro/specs/_archived/old-thing/requirements.md": "# Old\n",
            ".kiro/specs/_archived/old-thing/tasks.md": "- [x] 1. Done long ago\n",
        },
    )


def test_kiro_features_and_documents(tmp_path: Path) -> None:
    ws = ws_of(kiro_tree(tmp_path))
    assert [(f.id, f.layout, f.archived) for f in ws.features] == [
        ("old-thing", "kiro", True),
        ("export", "kiro", False),
        ("login-bug", "kiro", False),
    ]
    assert ws.problems == ()
    f = feature(ws, "export")
    assert f.documents == {
        "spec": ".kiro/specs/export/requirements.md",
        "plan": ".kiro/specs/export/design.md",
        "tasks": ".kiro/specs/export/tasks.md",
    }
    assert dict(f.extra_documents) == {"spike-notes.md": ".kiro/specs/export/spike-notes.md"}
    bug = feature(ws, "login-bug")
    assert bug.documents["spec"] == ".kiro/specs/login-bug/bugfix.md"
    assert [r.id for r in bug.requirements] == ["1.1"]
    old = feature(ws, "old-thing")
    assert old.path == ".kiro/specs/_archived/old-thing"
    assert summary(ws, "old-thing")["archived"] is True


def test_kiro_acceptance_criteria(tmp_path: Path) -> None:
    ws = ws_of(kiro_tree(tmp_path))
    f = feature(ws, "export")
    assert [(r.id, r.kind, r.line) for r in f.requirements] == [
        ("1.1", "functional", 17),
        ("1.2", "functional", 18),
        ("2.1", "functional", 25),
    ]
    assert f.requirements[0].text.startswith("WHEN the user exports")
    assert summary(ws, "export")["requirements"] == 3
    assert f.checklist == ()  # Kiro specs have no review checklists


def test_kiro_tasks_columns_optional_and_parents(tmp_path: Path) -> None:
    f = feature(ws_of(kiro_tree(tmp_path)), "export")
    assert [(t.key, t.column, t.parent, t.optional, t.requirements) for t in f.tasks] == [
        ("1", "done", None, False, ()),
        ("1.1", "done", "1", False, ("1.1",)),
        ("1.2", "in_progress", "1", False, ("1.2",)),
        ("1.3", "todo", "1", True, ()),
        ("2", "todo", None, False, ()),
        ("2.1", "todo", "2", False, ("2.1",)),
    ]


# --------------------------------------------------------------------------- OpenSpec

OPENSPEC_DELTA = """\
# Delta for Export

## ADDED Requirements

### Requirement: JSON export
The system SHALL export JSON.

#### Scenario: Export one recipe
- **WHEN** the user exports
- **THEN** a file is written

### Requirement: CSV export
The system SHALL export CSV.

## REMOVED Requirements

### Requirement: XML export
"""


def openspec_tree(root: Path) -> Path:
    return write_tree(
        root,
        {
            "openspec/project.md": "# Project\n",
            "openspec/specs/export/spec.md": "# Export\n\n### Requirement: Main spec\n",
            "openspec/changes/add-export/proposal.md": (
                "# Proposal\n\n## Why\n\nBecause [NEEDS CLARIFICATION: who asked?]\n"
            ),
            "openspec/changes/add-export/design.md": "# Design\n",
            "openspec/changes/add-export/tasks.md": (
                "## 1. Implementation\n\n- [x] 1.1 Add exporter\n- [ ] 1.2 Add CLI flag\n"
                "  - [ ] 1.2.1 Help text\n\n## 2. Numbered boxes\n\n1. [x] 2.1 First\n"
                "2. [ ] 2.2 Second\n"
            ),
            "openspec/changes/add-export/specs/export/spec.md": OPENSPEC_DELTA,
            "openspec/changes/add-export/specs/README.md": "### Requirement: not counted\n",
            "openspec/changes/no-tasks/proposal.md": "# Proposal only\n",
            "openspec/changes/IMPLEMENTATION_ORDER.md": "- [ ] loose file\n",
            "openspec/changes/archive/2025-01-02-add-import/proposal.md": "# Import\n",
            "openspec/changes/archive/2025-01-02-add-import/tasks.md": "- [x] 1.1 Done\n",
        },
    )


def test_openspec_changes_and_archive(tmp_path: Path) -> None:
    ws = ws_of(openspec_tree(tmp_path))
    assert [(f.id, f.layout, f.archived) for f in ws.features] == [
        ("add-export", "openspec", False),
        ("2025-01-02-add-import", "openspec", True),
        ("no-tasks", "openspec", False),
    ]
    assert ws.problems == ()
    f = feature(ws, "add-export")
    assert f.path == "openspec/changes/add-export"
    assert f.documents == {
        "spec": "openspec/changes/add-export/proposal.md",
        "plan": "openspec/changes/add-export/design.md",
        "tasks": "openspec/changes/add-export/tasks.md",
    }
    assert ("export/spec.md", "openspec/changes/add-export/specs/export/spec.md") in (
        f.extra_documents
    )
    nt = feature(ws, "no-tasks")
    assert nt.documents["tasks"] is None and nt.tasks == ()
    arch = feature(ws, "2025-01-02-add-import")
    assert arch.path == "openspec/changes/archive/2025-01-02-add-import"
    assert [t.column for t in arch.tasks] == ["done"]


def test_openspec_tasks_requirements_and_clarifications(tmp_path: Path) -> None:
    ws = ws_of(openspec_tree(tmp_path))
    f = feature(ws, "add-export")
    assert [(t.key, t.column, t.parent) for t in f.tasks] == [
        ("1.1", "done", None),
        ("1.2", "todo", None),
        ("1.2.1", "todo", "1.2"),
        ("2.1", "done", None),
        ("2.2", "todo", None),
    ]
    # Requirement blocks of the change's delta specs (README.md excluded), not the main spec.
    assert [r.id for r in f.requirements] == ["JSON export", "CSV export", "XML export"]
    assert summary(ws, "add-export")["requirements"] == 3
    assert [c.text for c in f.clarifications] == ["who asked?"]


# --------------------------------------------------------------------------- Zencoder-style

ZEN_SPEC = """\
# Notification System

## Overview
Send notifications by email and SMS.

## Functional Requirements

### FR-1: Email delivery
**Description:** Send email.

### FR-2: SMS delivery
**Description:** Send SMS [NEEDS CLARIFICATION: which provider?]

## Non-Functional Requirements

### NFR-1: Performance
- Response time: 60 s at p95

### NFR-2: Security

## Technical Constraints

**Language:** Python 3.12

```python
# FR-9: not a requirement, it is code
- [ ] not a checklist item either
```

## Architecture

Components.

## Testing Requirements

### Test Cases

**TC-1: Successful delivery**
- Input: a message

**TC-2: Retry**

## Success Criteria

- [x] All functional requirements implemented
- [ ] All test cases pass
- [ ] Code coverage ≥ 80%

## Spec Review Checklist

- [x] All user stories addressed
- [ ] Edge cases considered
"""

ZEN_PROGRESS = """\
# Notification System Implementation Progress

## Completed Tasks
- [x] Database migrations (PR #234)
- [x] Core models (PR #235)

## Current Task
- [ ] SMSProvider implementation
  - Twilio client configured
  - TODO: Add retry logic

## Upcoming Tasks
- [ ] WebSocketProvider
- [ ] Queue processor

## Blockers
- Waiting for Twilio API credentials

## Notes for Next Session
- Consider a circuit breaker
"""

ZEN_TEST_STATUS = {
    "specVersion": "1.2.0",
    "acceptanceCriteria": {
        "delivery_speed": {"requirement": "95% within 60 s", "status": "passing"},
        "quiet_hours": {"requirement": "No SMS at night", "status": "in_progress"},
    },
}


def zencoder_tree(root: Path) -> Path:
    return write_tree(
        root,
        {
            ".zencoder/specs/notifications.md": ZEN_SPEC,
            ".zencoder/plans/notifications-plan.md": "# Plan\n\n## Phase 1\n",
            "progress.md": ZEN_PROGRESS,
            "test-status.json": json.dumps(ZEN_TEST_STATUS, indent=2),
        },
    )


def test_zencoder_single_spec_owns_progress(tmp_path: Path) -> None:
    ws = ws_of(zencoder_tree(tmp_path))
    assert [(f.id, f.layout) for f in ws.features] == [("notifications", "zencoder")]
    assert ws.problems == ()
    f = feature(ws, "notifications")
    assert f.documents == {
        "spec": ".zencoder/specs/notifications.md",
        "plan": ".zencoder/plans/notifications-plan.md",
        "tasks": "progress.md",
        "test_status": "test-status.json",
    }
    assert [(t.title, t.column) for t in f.tasks] == [
        ("Database migrations (PR #234)", "done"),
        ("Core models (PR #235)", "done"),
        ("SMSProvider implementation", "in_progress"),  # under "## Current Task"
        ("WebSocketProvider", "todo"),
        ("Queue processor", "todo"),
    ]
    assert f.tasks[2].body == ("- Twilio client configured", "- TODO: Add retry logic")


def test_zencoder_spec_anatomy(tmp_path: Path) -> None:
    ws = ws_of(zencoder_tree(tmp_path))
    f = feature(ws, "notifications")
    assert [(r.id, r.kind) for r in f.requirements] == [
        ("FR-1", "functional"),
        ("FR-2", "functional"),
        ("NFR-1", "nonfunctional"),
        ("NFR-2", "nonfunctional"),
        ("TC-1", "testcase"),
        ("TC-2", "testcase"),
    ]
    assert f.requirements[0].text == "Email delivery"
    # Success criteria and the review checklist are checklist items, not tasks.
    assert [(c.section, c.checked) for c in f.checklist] == [
        ("Success Criteria", True),
        ("Success Criteria", False),
        ("Success Criteria", False),
        ("Spec Review Checklist", True),
        ("Spec Review Checklist", False),
    ]
    assert not any(t.path.startswith(".zencoder/") for t in f.tasks)
    assert [c.text for c in f.clarifications] == ["which provider?"]
    s = summary(ws, "notifications")
    assert s["requirements"] == 2
    assert s["checklists"] == {"total": 5, "checked": 2}
    assert s["tasks"]["columns"] == {"todo": 2, "in_progress": 1, "review": 0, "done": 2}


def test_zencoder_two_specs_make_progress_its_own_feature(tmp_path: Path) -> None:
    root = zencoder_tree(tmp_path)
    write_tree(root, {".zencoder/specs/billing.md": "# Billing\n\n### FR-1: Invoice\n"})
    ws = ws_of(root)
    assert [f.id for f in ws.features] == ["billing", "notifications", "progress"]
    assert feature(ws, "notifications").tasks == ()
    assert feature(ws, "billing").documents["plan"] is None
    progress = feature(ws, "progress")
    assert progress.documents["tasks"] == "progress.md"
    assert len(progress.tasks) == 5
    assert [t.column for t in progress.tasks].count("in_progress") == 1


def test_zencoder_progress_inside_dot_zencoder(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            ".zencoder/specs/x.md": "# X\n",
            ".zencoder/progress.md": "## Current Task\n- [ ] Doing it\n",
        },
    )
    f = feature(ws_of(root), "x")
    assert f.documents["tasks"] == ".zencoder/progress.md"
    assert [t.column for t in f.tasks] == ["in_progress"]


# --------------------------------------------------------------------------- together


def test_layouts_coexist(tmp_path: Path) -> None:
    root = tmp_path
    speckit_tree(root)
    kiro_tree(root)
    openspec_tree(root)
    zencoder_tree(root)
    ws = ws_of(root)
    layouts = {f.id: f.layout for f in ws.features}
    assert layouts == {
        "001-export": "speckit",
        "002-import": "speckit",
        "20250101-120000-timestamped": "speckit",
        "old-thing": "kiro",
        "export": "kiro",
        "login-bug": "kiro",
        "add-export": "openspec",
        "2025-01-02-add-import": "openspec",
        "no-tasks": "openspec",
        "notifications": "zencoder",
    }
    assert ws.active_feature == "002-import"
    assert ws.problems == ()
    assert len(feature(ws, "export").tasks) == 6


def test_same_feature_id_in_two_layouts_is_renamed_with_a_problem(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "specs/001-x/tasks.md": "- [ ] T001 a\n",
            ".kiro/specs/001-x/tasks.md": "- [ ] 1. b\n",
        },
    )
    ws = ws_of(root)
    assert [f.id for f in ws.features] == ["001-x", "kiro:001-x"]
    assert len(ws.problems) == 1 and "001-x" in ws.problems[0].message


def test_root_discovery_upwards_from_a_subfolder(tmp_path: Path) -> None:
    root = speckit_tree(tmp_path / "project")
    sub = root / "src" / "deep" / "er"
    sub.mkdir(parents=True)
    assert find_root(sub) == root.resolve()
    assert find_root(root / "specs" / "001-export" / "tasks.md") == root.resolve()
    loaded = load(sub)
    assert loaded.root == root.resolve()
    assert len(loaded.workspace.features) == 3


def test_root_discovery_falls_back_to_git_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "a" / "b").mkdir(parents=True)
    git(root, "init", "-q")
    assert find_root(root / "a" / "b") == root.resolve()
    ws = load(root / "a" / "b").workspace
    assert ws.features == () and ws.problems == ()


def test_nearest_marker_wins_over_an_outer_one(tmp_path: Path) -> None:
    write_tree(tmp_path, {"specs/001-outer/tasks.md": "- [ ] T001 a\n"})
    inner = write_tree(tmp_path / "pkg", {".kiro/specs/inner/tasks.md": "- [ ] 1. b\n"})
    assert find_root(inner / ".kiro" / "specs") == inner.resolve()
    assert [f.id for f in load(inner).workspace.features] == ["inner"]


def test_root_discovery_from_inside_layout_folders(tmp_path: Path) -> None:
    root = tmp_path / "project"
    kiro_tree(root)
    openspec_tree(root)
    zencoder_tree(root)
    for sub in (
        ".kiro",
        ".kiro/specs",
        ".kiro/specs/export",
        "openspec",
        "openspec/specs/export",
        "openspec/changes/add-export",
        "openspec/changes/add-export/specs/export",
        "openspec/changes/archive/2025-01-02-add-import",
        ".zencoder",
        ".zencoder/specs",
    ):
        assert find_root(root / sub) == root.resolve(), sub


def test_a_project_folder_named_like_a_layout_folder_is_still_a_root(tmp_path: Path) -> None:
    root = openspec_tree(tmp_path / "openspec")  # e.g. a clone of the OpenSpec repo itself
    assert find_root(root / "openspec" / "changes") == root.resolve()


def test_kiro_japanese_requirement_headings(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            ".kiro/specs/chat-ja/requirements.md": (
                "# Requirements Document\n\n## 要件\n\n### 要件1: ChatUIインターフェース\n\n"
                "#### 受け入れ基準\n1. WHEN ユーザーが送信する THEN システムは処理する\n"
                "2. WHEN AIが応答する THEN ストリーミング表示する\n\n"
                "### 要件2: Research Agent機能\n\n#### 受け入れ基準\n1. IF 失敗 THEN 再試行する\n"
            ),
            ".kiro/specs/chat-ja/tasks.md": "- [ ] 1. セットアップ\n  - _Requirements: 1.1_\n",
        },
    )
    ws = ws_of(root)
    f = feature(ws, "chat-ja")
    assert [r.id for r in f.requirements] == ["1.1", "1.2", "2.1"]
    assert summary(ws, "chat-ja")["requirements"] == 3
    assert f.tasks[0].requirements == ("1.1",)


def test_speckit_group_prefixed_requirement_ids(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "specs/005-traits/spec.md": (
                "## Requirements\n\n- **FR-D01**: Dependencies MUST be declared.\n"
                "- **FR-V02**: Vanilla MUST work.\n- **FR-SK01**: Skills MUST load.\n"
                "- **FR-005a**: Suffixed.\n"
            ),
            "specs/005-traits/tasks.md": "- [ ] T001 Implement FR-D01 and FR-SK01\n",
        },
    )
    ws = ws_of(root)
    f = feature(ws, "005-traits")
    assert [r.id for r in f.requirements] == ["FR-D01", "FR-V02", "FR-SK01", "FR-005a"]
    assert summary(ws, "005-traits")["requirements"] == 4
    assert f.tasks[0].requirements == ("FR-D01", "FR-SK01")
