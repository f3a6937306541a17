"""Done that needs evidence, as the board, the card detail, ``tasks --json`` and ``check``
show it (``operations.evidence``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.files import write_tree
from helpers.git import git
from helpers.ui import card_plain, make_app, screen_text, wait_for

from sdd_tui.cli import main

TASKS = """\
# Tasks

- [x] T001 Implement export in src/export.py
- [x] T002 Implement import in src/importer.py
- [ ] T003 Implement sharing in src/share.py
"""


def feature_branch(root: Path) -> Path:
    """A repository whose branch 001-x changed src/export.py only, both tasks ticked."""
    write_tree(
        root,
        {
            "specs/001-x/spec.md": "# Spec\n\n## Requirements\n\n- **FR-001**: Export.\n",
            "specs/001-x/tasks.md": TASKS,
            "src/export.py": "x = 1\n",
            "src/importer.py": "y = 1\n",
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base", date=1_700_000_000)
    git(root, "checkout", "-q", "-b", "001-x")
    (root / "src" / "export.py").write_text("x = 2\n")
    return root


def test_tasks_json_and_check_say_which_done_task_is_unproven(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = feature_branch(tmp_path / "repo")
    assert main(["tasks", "--json", str(root)]) == 0
    tasks = {t["id"]: t["evidence"] for t in json.loads(capsys.readouterr().out)}
    assert tasks["T001"] == {"proven": True, "reasons": []}
    assert tasks["T002"] == {
        "proven": False,
        "reasons": ["none of the files it names changed since main: src/importer.py"],
    }
    assert tasks["T003"] is None  # not done
    assert main(["check", str(root), "--json"]) in (0, 1)
    findings = json.loads(capsys.readouterr().out)["findings"]
    mine = [f for f in findings if f["rule"] == "done-without-evidence"]
    assert [(f["severity"], f["line"], f["message"]) for f in mine] == [
        ("warning", 4, "T002: none of the files it names changed since main: src/importer.py")
    ]


@pytest.mark.anyio
async def test_the_card_is_flagged_and_the_detail_says_why(tmp_path: Path) -> None:
    from sdd_tui.ui.screens.detail import DetailScreen

    root = feature_branch(tmp_path / "repo")
    app = make_app(root)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: "⚑ unproven" in card_plain(app, "T002"), timeout=10)
        assert "unproven" not in card_plain(app, "T001")
        # the evidence arrives: the import changes too, and the flag goes
        (root / "src" / "importer.py").write_text("y = 2\n")
        app.workbench.refresh_git()
        await wait_for(pilot, lambda: "unproven" not in card_plain(app, "T002"), timeout=10)
        (root / "src" / "importer.py").write_text("y = 1\n")
        app.workbench.refresh_git()
        await wait_for(pilot, lambda: "⚑ unproven" in card_plain(app, "T002"), timeout=10)
        app.workbench._show_detail("T002")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), what="detail")
        assert "done, but unproven:" in screen_text(app)
        assert "none of the files it names changed since main" in screen_text(app)
