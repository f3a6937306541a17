"""A clean Spec Kit feature for the readiness rules of ``sdd-tui check``: it passes every
rule, and each test breaks one thing (``clean_workspace(root, spec=...)``)."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree

FEATURE = "001-demo"
F = f"specs/{FEATURE}"

SPEC = """\
# Feature Specification: Demo

## Clarifications

### Session 2026-01-02

- Q: Which format? → A: JSON.

## User Scenarios & Testing *(mandatory)*

### User Story 1 - Export (Priority: P1)

A user exports their data.

## Requirements *(mandatory)*

### Functional Requirements

- **FR-001**: System MUST export recipes as JSON.
- **FR-002**: System MUST import recipes from JSON.

## Success Criteria *(mandatory)*

- **SC-001**: An export takes under 1 s.
"""

TASKS = """\
# Tasks: Demo

- [x] T001 [US1] Write export tests in tests/test_export.py (FR-001)
- [ ] T002 [US1] Implement import in demo/io.py (FR-002)
"""

CHECKLIST = """\
# Specification Quality Checklist

## Content Quality

- [x] CHK001 No implementation details
- [x] CHK002 Focused on user value [Gap, Spec §FR-001]
"""


def clean_files() -> dict[str, str]:
    return {
        f"{F}/spec.md": SPEC,
        f"{F}/plan.md": "# Implementation Plan: Demo\n\nPython.\n",
        f"{F}/tasks.md": TASKS,
        f"{F}/checklists/requirements.md": CHECKLIST,
    }


def clean_workspace(root: Path, **changes: str | None) -> Path:
    """The clean feature; ``changes`` maps a file name (``spec``, ``tasks``, ``plan``,
    ``checklist``, or a root-relative path) to new content, or None to leave it out."""
    files = clean_files()
    names = {
        "spec": f"{F}/spec.md",
        "plan": f"{F}/plan.md",
        "tasks": f"{F}/tasks.md",
        "checklist": f"{F}/checklists/requirements.md",
    }
    for key, content in changes.items():
        path = names.get(key, key)
        if content is None:
            files.pop(path, None)
        else:
            files[path] = content
    root.mkdir(parents=True, exist_ok=True)
    return write_tree(root, files)


try:
    import sdd_tui.operations.trace  # noqa: F401

    HAVE_SHARED_TRACE = True
except ImportError:
    HAVE_SHARED_TRACE = False
