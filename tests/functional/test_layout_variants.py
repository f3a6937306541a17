"""Layout variants real repositories use (issue 16, item 1): each read, and SDD documents that
belong to no feature reported by path instead of skipped in silence."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.cli import main
from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.workspace.discover import UNREAD, find_root
from sdd_tui.workspace.loader import load_root


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(tmp_path_factory.mktemp("parse-cache")))


TASKS = "# Tasks\n\n- [x] T001 Set up\n- [ ] T002 Build the {what}\n- [ ] T003 Test it\n"
SPEC = "# Spec\n\n## Requirements\n\n- **FR-001**: System MUST show a {what}\n"


def feature_files(base: str, what: str = "dashboard") -> dict[str, str]:
    return {
        f"{base}/spec.md": SPEC.format(what=what),
        f"{base}/tasks.md": TASKS.format(what=what),
    }


def ws_of(root: Path) -> Workspace:
    return load_root(root).workspace


def by_id(ws: Workspace) -> dict[str, Feature]:
    return {f.id: f for f in ws.features}


def unread(ws: Workspace) -> list[str]:
    return [p.path for p in ws.problems if p.message.endswith(UNREAD)]


# --------------------------------------------------------------------------- Spec Kit groups


def test_grouped_features_next_to_plain_ones(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **feature_files("specs/001-login"),
            **feature_files("specs/feature/016-user-dashboard"),
            **feature_files("specs/bugfix/017-fix-crash", "fix"),
            "specs/bugfix/017-fix-crash/checklists/requirements.md": "- [ ] CHK001 Clear?\n",
            "specs/bugfix/017-fix-crash/contracts/api.md": "# API\n",
            "specs/README.md": "# Specs\n",
        },
    )
    ws = ws_of(tmp_path)
    features = by_id(ws)
    assert sorted(features) == ["001-login", "016-user-dashboard", "017-fix-crash"]
    dash = features["016-user-dashboard"]
    assert (dash.layout, dash.path) == ("speckit", "specs/feature/016-user-dashboard")
    assert [(t.id, t.done) for t in dash.tasks] == [
        ("T001", True),
        ("T002", False),
        ("T003", False),
    ]
    assert [r.id for r in dash.requirements] == ["FR-001"]
    fix = features["017-fix-crash"]
    assert fix.checklist_files == ("specs/bugfix/017-fix-crash/checklists/requirements.md",)
    assert ("contracts/api.md", "specs/bugfix/017-fix-crash/contracts/api.md") in (
        fix.extra_documents
    )
    assert [c.id for c in fix.checklist] == ["CHK001"]
    assert unread(ws) == []


def test_the_same_feature_name_in_two_groups_gets_two_ids(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **feature_files("specs/016-user-dashboard", "plain"),
            **feature_files("specs/web/016-user-dashboard", "web"),
            **feature_files("specs/mobile/016-user-dashboard", "mobile"),
            **feature_files(".specify/specs/016-user-dashboard", "specify"),
        },
    )
    ws = ws_of(tmp_path)
    features = by_id(ws)
    assert sorted(features) == [
        "016-user-dashboard",
        "mobile:016-user-dashboard",
        "specify:016-user-dashboard",
        "web:016-user-dashboard",
    ]
    assert features["016-user-dashboard"].path == "specs/016-user-dashboard"
    assert "Build the web" in features["web:016-user-dashboard"].tasks[1].text
    assert "Build the specify" in features["specify:016-user-dashboard"].tasks[1].text
    # the qualified IDs are what board.json and the CLI use: a move works on each
    code = main(["move", "--path", str(tmp_path), "web:016-user-dashboard/T002", "done"])
    assert code == 0
    assert "- [x] T002 Build the web" in (
        tmp_path / "specs/web/016-user-dashboard/tasks.md"
    ).read_text(encoding="utf-8")
    assert "- [ ] T002" in (tmp_path / "specs/016-user-dashboard/tasks.md").read_text("utf-8")
    assert "- [ ] T002" in (tmp_path / "specs/mobile/016-user-dashboard/tasks.md").read_text(
        "utf-8"
    )


def test_a_group_folder_that_is_itself_a_feature(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **feature_files("specs/auth", "auth"),
            **feature_files("specs/auth/001-login", "login"),
            "specs/auth/notes/tasks.md": "- [ ] belongs to auth's folder\n",
        },
    )
    ws = ws_of(tmp_path)
    features = by_id(ws)
    assert sorted(features) == ["001-login", "auth"]
    assert features["001-login"].path == "specs/auth/001-login"
    assert len(features["auth"].tasks) == 3
    assert unread(ws) == []  # inside a feature's folder: the feature's business


def test_nesting_deeper_than_a_group_is_reported_not_read(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **feature_files("specs/001-login"),
            **feature_files("specs/team/web/016-user-dashboard"),
            "specs/team/web/016-user-dashboard/plan.md": "# Plan\n",
        },
    )
    ws = ws_of(tmp_path)
    assert [f.id for f in ws.features] == ["001-login"]
    assert unread(ws) == [
        "specs/team/web/016-user-dashboard/spec.md",
        "specs/team/web/016-user-dashboard/tasks.md",
    ]
    messages = {p.path: p.message for p in ws.problems}
    assert messages["specs/team/web/016-user-dashboard/tasks.md"] == (
        f"3 checkbox tasks, but {UNREAD}"
    )
    assert messages["specs/team/web/016-user-dashboard/spec.md"] == (
        f"requirement IDs (FR-…), but {UNREAD}"
    )


def test_group_folders_without_features_are_no_features(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **feature_files("specs/001-login"),
            "specs/assets/diagram.md": "# Diagram\n",
            "specs/assets/img/readme.md": "no tasks here\n",
            "specs/drafts/ideas/notes.md": "- [ ] a checkbox, but not in an SDD document\n",
        },
    )
    ws = ws_of(tmp_path)
    assert [f.id for f in ws.features] == ["001-login"]
    assert unread(ws) == []  # nothing that looks like SDD work: no noise


# --------------------------------------------------------------------------- .specify/specs


def test_features_under_dot_specify_specs(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **feature_files(".specify/specs/001-photo-albums", "albums"),
            ".specify/memory/constitution.md": "# Constitution\n",
            ".specify/templates/tasks-template.md": "- [ ] T001 Example\n",
        },
    )
    ws = ws_of(tmp_path)
    (f,) = ws.features
    assert (f.id, f.path) == ("001-photo-albums", ".specify/specs/001-photo-albums")
    assert f.documents["tasks"] == ".specify/specs/001-photo-albums/tasks.md"
    assert len(f.tasks) == 3
    assert unread(ws) == []
    # the root is the folder holding .specify, also from inside .specify/specs
    assert find_root(tmp_path / ".specify" / "specs" / "001-photo-albums") == tmp_path.resolve()


def test_status_reads_dot_specify_features(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, feature_files(".specify/specs/001-photo-albums", "albums"))
    assert main(["status", "--json", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(f["id"], f["tasks"]["total"]) for f in data["features"]] == [("001-photo-albums", 3)]


# --------------------------------------------------------------------------- OpenSpec

PROPOSAL = "## Why\n\nBecause.\n\n## What Changes\n\n- things\n"


def test_openspec_task_md_singular(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "openspec/changes/add-export/proposal.md": PROPOSAL,
            "openspec/changes/add-export/task.md": (
                "## 1. Export\n- [ ] 1.1 Write it\n- [x] 1.2 Plan it\n"
            ),
            "openspec/changes/add-import/proposal.md": PROPOSAL,
            "openspec/changes/add-import/tasks.md": "- [ ] 1.1 Import\n",
            "openspec/changes/add-import/task.md": "- [ ] 9.9 tasks.md wins\n",
        },
    )
    ws = ws_of(tmp_path)
    features = by_id(ws)
    export = features["add-export"]
    assert export.documents["tasks"] == "openspec/changes/add-export/task.md"
    assert [(t.id, t.done) for t in export.tasks] == [("1.1", False), ("1.2", True)]
    assert [t.id for t in features["add-import"].tasks] == ["1.1"]
    # the other file is one more document of the change (its folder is the change's)
    assert ("task.md", "openspec/changes/add-import/task.md") in features[
        "add-import"
    ].extra_documents
    assert ("task.md", "openspec/changes/add-export/task.md") not in export.extra_documents
    assert unread(ws) == []


def test_openspec_archives_in_both_places(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "openspec/changes/add-export/proposal.md": PROPOSAL,
            "openspec/changes/add-export/tasks.md": "- [ ] 1.1 Export\n",
            "openspec/changes/archive/2025-01-01-add-login/proposal.md": PROPOSAL,
            "openspec/changes/archive/2025-01-01-add-login/tasks.md": "- [x] 1.1 Login\n",
            "openspec/archive/2024-06-01-add-auth/proposal.md": PROPOSAL,
            "openspec/archive/2024-06-01-add-auth/tasks.md": "- [x] 1.1 Auth\n- [ ] 1.2 Docs\n",
            "openspec/specs/auth/spec.md": "### Requirement: Auth\n- [ ] not a task list\n",
        },
    )
    ws = ws_of(tmp_path)
    got = [(f.id, f.archived, f.path) for f in ws.features]
    assert got == [
        ("add-export", False, "openspec/changes/add-export"),
        ("2025-01-01-add-login", True, "openspec/changes/archive/2025-01-01-add-login"),
        ("2024-06-01-add-auth", True, "openspec/archive/2024-06-01-add-auth"),
    ]
    assert len(by_id(ws)["2024-06-01-add-auth"].tasks) == 2
    assert unread(ws) == []  # openspec/specs/ is the source of truth, never a feature


# --------------------------------------------------------------------------- unread documents


UNREAD_ONLY = {
    "docs/specs/001-x/tasks.md": "- [ ] T001 outside every layout: not searched\n",
    "specs/archive/old/v1/001-login/tasks.md": "- [ ] T001 Too deep\n- [x] T002 Done\n",
    ".zencoder/tasks.md": "- [ ] 1. progress.md is the task list here\n",
    ".zencoder/plans/nested/spec.md": "- **FR-001**: a spec outside .zencoder/specs\n",
}


def test_unread_documents_are_problems_naming_the_path(tmp_path: Path) -> None:
    write_tree(tmp_path, UNREAD_ONLY)
    ws = ws_of(tmp_path)
    assert sorted(unread(ws)) == [
        ".zencoder/plans/nested/spec.md",
        ".zencoder/tasks.md",
        "specs/archive/old/v1/001-login/tasks.md",
    ]
    assert ws.features == ()


def test_check_fails_when_nothing_was_read_but_sdd_documents_exist(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {"specs/team/web/001-login/tasks.md": "- [ ] T001 Too deep\n"})
    assert main(["check", "--no-git", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "no findings in 0 features" in captured.out
    assert "specs/team/web/001-login/tasks.md: 1 checkbox task, but " + UNREAD in captured.err
    assert captured.err.rstrip().endswith(
        "no feature read, but 1 file look like SDD documents "
        "(first: specs/team/web/001-login/tasks.md)"
    )
    assert main(["check", "--json", "--no-git", str(tmp_path)]) == 1


def test_check_passes_an_empty_folder_and_a_folder_of_other_markdown(tmp_path: Path) -> None:
    assert main(["check", "--no-git", str(tmp_path)]) == 0
    write_tree(tmp_path, {"specs/notes/spec.md": "# Notes\n\nNothing to do.\n"})
    assert main(["check", "--no-git", str(tmp_path)]) == 0


def test_check_with_features_keeps_its_exit_status(tmp_path: Path, capsys) -> None:
    write_tree(
        tmp_path,
        {
            ".kiro/specs/export/requirements.md": "## Introduction\nx\n## Requirements\n",
            ".kiro/specs/export/design.md": "# Design\n",
            ".kiro/specs/export/tasks.md": "- [ ] 1. Export\n",
            "specs/a/b/001-x/tasks.md": "- [ ] T001 deep\n",
        },
    )
    code = main(["check", "--no-git", str(tmp_path)])
    err = capsys.readouterr().err
    assert "specs/a/b/001-x/tasks.md: 1 checkbox task" in err
    assert "no feature read" not in err
    assert code == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_an_unread_fifo_named_tasks_md_is_never_opened(tmp_path: Path) -> None:
    (tmp_path / "specs" / "a" / "b").mkdir(parents=True)
    os.mkfifo(tmp_path / "specs" / "a" / "b" / "tasks.md")
    ws = ws_of(tmp_path)  # would hang if opened
    assert unread(ws) == []
