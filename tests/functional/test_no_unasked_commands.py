"""No command from the workspace runs unasked (issue 8).

The workspace's ``.sdd/config.yaml`` names a test command that leaves a marker file when it
runs.  Nothing runs on start, on reload, on switching to the tests pane, on ``status``,
``tasks`` or ``check``; declining the confirmation runs nothing; only confirming runs it (and
the trust is stored in the user config dir, never in the workspace).  Git configuration planted
in the repository (``core.fsmonitor``, ``diff.external``) runs nothing either.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.files import write_tree
from helpers.ui import make_app, wait_for

MARKER = "ran-unasked"
COMMAND = f"touch {MARKER}"
SIZE = (140, 40)


def _workspace(root: Path) -> Path:
    return write_tree(
        root,
        {
            ".sdd/config.yaml": (
                f'columns: [todo, in_progress, review, done]\ntests:\n  command: "{COMMAND}"\n'
            ),
            "specs/001-a/tasks.md": "- [ ] T001 one tests/test_one.py\n- [ ] T002 two\n",
            "specs/001-a/spec.md": "# Spec\n\n- **FR-001**: System MUST work.\n",
            ".specify/feature.json": '{"feature_directory": "specs/001-a"}\n',
        },
    )


def test_cli_read_commands_run_nothing(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    for args in (
        ["status"],
        ["status", "--json"],
        ["tasks"],
        ["check"],
        ["check", "--json"],
        ["tests"],
        ["tests", "--json"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "sdd_tui", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode in (0, 1, 2), (args, proc.stderr)
        assert not (root / MARKER).exists(), args


@pytest.mark.anyio
async def test_workbench_runs_the_test_command_only_after_confirmation(tmp_path: Path) -> None:
    from sdd_tui.ui import preferences
    from sdd_tui.ui.screens.confirm import ConfirmScreen

    root = _workspace(tmp_path / "ws")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.workbench.feature_id == "001-a", what="board")
        await pilot.press("ctrl+r")  # reload
        await pilot.press("4")  # the tests pane
        await pilot.press("1")
        await pilot.pause()
        assert not (root / MARKER).exists()

        # asked: declining runs nothing and trusts nothing
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert COMMAND in "\n".join(s.text for s in app.screen._compositor.render_strips())
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="closed")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not (root / MARKER).exists()
        assert not preferences.is_command_trusted(root, COMMAND)

        # confirmed: now (and only now) it runs
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: (root / MARKER).exists(), timeout=20, what="the run")
    assert preferences.is_command_trusted(root, COMMAND)
    assert preferences.trusted_commands_path().parent == Path(os.environ["SDD_TUI_CONFIG_DIR"])
    assert not list(root.rglob("trusted-commands.json"))  # trust never lives in the workspace


@pytest.mark.anyio
async def test_a_changed_command_needs_confirming_again(tmp_path: Path) -> None:
    from sdd_tui.ui import preferences
    from sdd_tui.ui.screens.confirm import ConfirmScreen

    root = _workspace(tmp_path / "ws")
    preferences.trust_command(root, "touch something-else")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.workbench.feature_id == "001-a", what="board")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("escape")
        await pilot.pause()
    assert not (root / MARKER).exists()


@pytest.mark.anyio
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
async def test_planted_git_fsmonitor_runs_nothing(tmp_path: Path) -> None:
    """A repository's own .git/config can name commands git runs (core.fsmonitor); sdd-tui's
    git calls (status on start, diffs) must not run them."""
    root = _workspace(tmp_path / "ws")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_SYSTEM": "/dev/null"}
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{root / 'fsmonitor-ran'}'\n")
    hook.chmod(0o755)
    subprocess.run(["git", "config", "core.fsmonitor", str(hook)], cwd=root, check=True, env=env)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "add", "."], cwd=root, check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=root, check=True, env=env)
    (root / "fsmonitor-ran").unlink(missing_ok=True)  # git's own commit above may run it
    ext = tmp_path / "extdiff.sh"
    ext.write_text(f"#!/bin/sh\ntouch '{root / 'extdiff-ran'}'\n")
    ext.chmod(0o755)
    subprocess.run(["git", "config", "diff.external", str(ext)], cwd=root, check=True, env=env)
    (root / "specs/001-a/spec.md").write_text("# Spec changed\n")
    from sdd_tui.workspace.git import diff, git_info

    git_info(root)
    assert "Spec changed" in diff(root, "specs/001-a/spec.md")
    assert not (root / "extdiff-ran").exists()
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.workbench.feature_id == "001-a", what="board")
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert not (root / "fsmonitor-ran").exists()
    assert not (root / MARKER).exists()
