"""The ID rules every reader of IDs shares (``sdd_tui.model.ids``): ``check``, the trace and
the review screen compare IDs, find a task's references and the tasks covering a
requirement in one way."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree

from sdd_tui.model.ids import canon, covers, own_refs, split_ref, task_refs, tasks_for
from sdd_tui.operations import checks, trace
from sdd_tui.workspace.loader import load


def test_canonical_forms() -> None:
    assert canon("FR-001") == canon("fr_1") == canon("FR001") == "FR-1"
    assert canon("FR-003a") == "FR-3a"
    assert canon("NFR-02") == "NFR-2"
    assert canon("US-01") == canon("US1") == canon("User Story 1") == "US1"
    assert canon("T012") == canon("t_12") == "T12"
    assert canon("T003A") == "T3a"
    assert canon("01.2") == canon("1.02") == "1.2"
    assert canon("FR-001.") == "FR-1"  # a sentence's full stop
    assert canon("  Export as   JSON ") == "export as json"
    assert canon("user_login") == "user_login"  # a name keeps its underscores


def test_covers_and_split() -> None:
    assert covers("1", "1.2") and covers("1.2", "1.2") and not covers("1", "11.2")
    assert not covers("FR-1", "FR-12")
    assert split_ref("001-demo/FR-001") == ("001-demo", "FR-001")
    assert split_ref(" FR-001 ") == (None, "FR-001")


def test_one_rule_everywhere() -> None:
    """check, trace and the review screen's import path share one implementation."""
    assert checks.canon is canon and trace.canon is canon
    assert trace.covers is covers and checks.covers is covers
    assert not hasattr(checks, "case_links") and not hasattr(checks, "name_ids")


def test_refs_and_tasks_for(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "specs/001-demo/spec.md": "# Spec\n\n## Requirements\n\n"
            "- **FR-001**: System MUST a.\n- **FR-002**: System MUST b.\n",
            "specs/002-other/spec.md": "# Spec\n\n## Requirements\n\n- **FR-009**: MUST c.\n",
            "specs/001-demo/tasks.md": "# Tasks\n\n"
            "- [ ] T001 Do a (FR-001)\n"
            "- [ ] T002 Do c\n  _Requirements: 002-other/FR-009_\n"
            "- [ ] T003 [US1] Do fr_2 things (FR-002, FR-002)\n",
        },
    )
    ws = load(tmp_path).workspace
    f = ws.feature("001-demo")
    assert f is not None
    by_id = {t.id: t for t in f.tasks}
    assert task_refs(ws, f, by_id["T001"]) == ["FR-1"]
    assert own_refs(ws, f, by_id["T002"]) == []  # points into another feature
    assert task_refs(ws, f, by_id["T003"]) == ["FR-2"]  # once
    reqs = {r.id: r for r in f.requirements}
    assert [t.id for t in tasks_for(ws, f, reqs["FR-002"])] == ["T003"]
