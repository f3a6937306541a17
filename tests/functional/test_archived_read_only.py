"""Archived features are history (issue 16, item 11): moving a task of an archived OpenSpec
change (or Kiro ``_archived`` spec) is refused unless forced, and the feature is read-only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.layouts import Layout, registered
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature, Problem
from sdd_tui.operations.board import move, reorder, toggle
from sdd_tui.operations.boxes import ArchivedFeature, OperationError, check_writable
from sdd_tui.operations.history import apply_and_record, undo
from sdd_tui.operations.review import set_item
from sdd_tui.workspace.loader import load_root


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(tmp_path_factory.mktemp("parse-cache")))


PROPOSAL = "## Why\n\nBecause.\n\n## What Changes\n\n- things\n"
NEW_STYLE = "openspec/changes/archive/2025-01-01-add-login/tasks.md"
OLD_STYLE = "openspec/archive/2024-06-01-add-auth/tasks.md"
KIRO = ".kiro/specs/_archived/old-export/tasks.md"
ACTIVE = "openspec/changes/add-export/tasks.md"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            "openspec/changes/add-export/proposal.md": PROPOSAL,
            ACTIVE: "- [ ] 1.1 Export\n",
            "openspec/changes/archive/2025-01-01-add-login/proposal.md": PROPOSAL,
            NEW_STYLE: "## 1. Login\r\n- [x] 1.1 Form\r\n- [ ] 1.2 Tests\r\n",
            "openspec/archive/2024-06-01-add-auth/proposal.md": PROPOSAL,
            OLD_STYLE: "- [x] 1.1 Auth\n- [ ] 1.2 Docs\n",
            ".kiro/specs/_archived/old-export/requirements.md": "# Requirements\n",
            KIRO: "- [ ] 1. Old export\n",
        },
    )


def test_archived_features_are_read_only_in_the_model(ws: Path) -> None:
    features = {f.id: f for f in load_root(ws).workspace.features}
    assert {i: (f.archived, f.read_only) for i, f in features.items()} == {
        "add-export": (False, False),
        "2025-01-01-add-login": (True, True),
        "2024-06-01-add-auth": (True, True),
        "old-export": (True, True),
    }


@pytest.mark.parametrize(
    ("feature", "task", "path"),
    [("2025-01-01-add-login", "1.2", NEW_STYLE), ("2024-06-01-add-auth", "1.2", OLD_STYLE)],
)
def test_moving_an_archived_task_is_refused_and_writes_nothing(
    ws: Path, feature: str, task: str, path: str
) -> None:
    before = (ws / path).read_bytes()
    loaded = load_root(ws)
    with pytest.raises(ArchivedFeature, match=f"feature '{feature}' is archived"):
        move(loaded, feature, task, "done")
    with pytest.raises(ArchivedFeature):
        toggle(loaded, feature, task)
    with pytest.raises(ArchivedFeature):
        reorder(loaded, feature, task, -1)
    assert (ws / path).read_bytes() == before
    assert not (ws / ".sdd").exists()  # no board.json, no history


def test_force_moves_an_archived_task_and_undo_puts_it_back(ws: Path) -> None:
    before = (ws / NEW_STYLE).read_bytes()
    loaded = load_root(ws)
    change = apply_and_record(loaded, move, "2025-01-01-add-login", "1.2", "done", force=True)
    assert change.files == (NEW_STYLE,)
    assert (ws / NEW_STYLE).read_bytes() == before.replace(b"- [ ] 1.2", b"- [x] 1.2")
    assert undo(load_root(ws)) is not None  # a recorded forced move can be undone
    assert (ws / NEW_STYLE).read_bytes() == before


def test_active_changes_and_other_read_only_reasons_are_unchanged(ws: Path) -> None:
    loaded = load_root(ws)
    assert move(loaded, "add-export", "1.1", "done").files == (ACTIVE,)
    branch_only = Feature(id="x", layout="speckit", path="specs/x", read_only=True)
    with pytest.raises(OperationError, match="'x' is read-only") as info:
        check_writable(branch_only, force=True)  # force is for archives only
    assert not isinstance(info.value, ArchivedFeature)


class Attic(Layout):
    """A layout whose features are all archived and keep checklists (none built in does)."""

    name = "attic"
    title = "Attic"

    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        return [
            FeatureSource(
                "old", self.name, "attic/old", archived=True, checklist_files=[ATTIC_CHECKLIST]
            )
        ]


ATTIC_CHECKLIST = "attic/old/checklist.md"


def test_ticking_a_checklist_of_an_archive_is_refused(ws: Path) -> None:
    write_tree(ws, {ATTIC_CHECKLIST: "- [ ] CHK001 ok?\n"})
    with registered(Attic()):
        loaded = load_root(ws)
        feature = loaded.workspace.feature("old")
        assert feature is not None and feature.checklist
        with pytest.raises(ArchivedFeature):
            set_item(loaded, "old", feature.checklist[0].key, True)
    assert (ws / ATTIC_CHECKLIST).read_bytes() == b"- [ ] CHK001 ok?\n"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sdd_tui", *args], capture_output=True, text=True, timeout=60
    )


def test_cli_refuses_with_one_line_and_exit_2_unless_forced(ws: Path) -> None:
    before = (ws / OLD_STYLE).read_bytes()
    run = _cli("move", "--path", str(ws), "2024-06-01-add-auth/1.2", "done")
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == (
        "sdd-tui: feature '2024-06-01-add-auth' is archived (openspec/archive/2024-06-01-add-auth)"
        ": its tasks are history; nothing written (--force to move it anyway)\n"
    )
    assert (ws / OLD_STYLE).read_bytes() == before
    run = _cli("move", "--path", str(ws), "old-export/1", "in_progress")  # Kiro's archive too
    assert run.returncode == 2 and "is archived" in run.stderr
    run = _cli("move", "--force", "--path", str(ws), "2024-06-01-add-auth/1.2", "done")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("moved 2024-06-01-add-auth/1.2: todo → done")
    assert (ws / OLD_STYLE).read_bytes() == before.replace(b"- [ ] 1.2", b"- [x] 1.2")
    status = json.loads(_cli("status", "--json", str(ws)).stdout)
    flags = {f["id"]: (f["archived"], f["read_only"]) for f in status["features"]}
    assert flags["2024-06-01-add-auth"] == (True, True)
    assert flags["add-export"] == (False, False)
