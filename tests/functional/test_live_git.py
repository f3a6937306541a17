"""The workbench on real temporary git repositories: header, marks, diff, branches, autocommit.

Git state is read in thread workers; the tests wait for it with ``Probe.wait`` (polling with
``pilot.pause()`` and a timeout).  Branch switches happen from outside with ``git checkout``
while the app runs, as a user would in another terminal.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers.git import (
    PLAN,
    SPEC,
    TASKS,
    add_branch_feature,
    commit_all,
    dated_repo,
    git,
    init_repo,
)
from helpers.live import SIZE, Probe, feature_ids, watcher_ready
from helpers.sample import FEATURE, new_task_lines, tasks_path
from helpers.ui import column_keys, make_app, screen_text

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def header(app: Any) -> str:
    from sdd_tui.ui.widgets.header import WorkbenchHeader

    return app.query_one(WorkbenchHeader).render().plain


def subtitle(app: Any, pane: str) -> str:
    return str(app.query_one(f"#pane-{pane}").border_subtitle or "")


async def test_header_branch_and_marks_follow_the_working_tree(repo: Path) -> None:
    app = make_app(repo)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await probe.wait(pilot, lambda: app.session.git is not None, what="git info")
        assert app.session.git.branch == "main" and app.session.git.has_commits
        assert "⎇ main" in header(app)
        assert "↑" not in header(app)  # no upstream
        assert subtitle(app, "spec") == "" and subtitle(app, "board") == ""
        await watcher_ready(pilot, probe, tasks_path(repo))
        (repo / SPEC).write_text("# Spec rewritten by an agent\n", encoding="utf-8")
        with tasks_path(repo).open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(90, 1))
        await probe.wait(
            pilot,
            lambda: (
                subtitle(app, "spec") == "spec.md modified"
                and subtitle(app, "board") == "tasks.md modified"
            ),
            what="modified marks",
        )
        # the modified spec is now newer than the committed plan and tasks
        await probe.wait(pilot, lambda: "plan may be stale" in header(app), what="stale badge")
        git(repo, "checkout", "-q", "--", SPEC, TASKS)  # discard both edits
        await probe.wait(
            pilot,
            lambda: subtitle(app, "spec") == "" and subtitle(app, "board") == "",
            what="marks cleared",
        )
        await probe.wait(pilot, lambda: "T090" not in column_keys(app, "todo"), what="T090 gone")


async def test_upstream_ahead_behind_in_header(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "fetch", "-q", "origin")
    git(repo, "branch", "-q", "--set-upstream-to=origin/main", "main")
    (repo / "README.md").write_text("local\n", encoding="utf-8")
    commit_all(repo, "local")
    app = make_app(repo)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await probe.wait(pilot, lambda: "↑1 ↓0" in header(app), what="↑1 ↓0")
        await watcher_ready(pilot, probe, tasks_path(repo))
        # a commit made from another terminal moves refs/heads/main: the header follows
        (repo / "README.md").write_text("local 2\n", encoding="utf-8")
        commit_all(repo, "local 2")
        await probe.wait(pilot, lambda: "↑2 ↓0" in header(app), what="↑2 ↓0")


async def test_d_shows_the_diff_of_the_focused_document(repo: Path) -> None:
    from sdd_tui.ui.screens.diff import DiffScreen

    app = make_app(repo)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await probe.wait(pilot, lambda: app.session.git is not None, what="git info")
        await watcher_ready(pilot, probe, tasks_path(repo))
        text = tasks_path(repo).read_text(encoding="utf-8")
        tasks_path(repo).write_text(text.replace("- [ ] T009 ", "- [x] T009 "), encoding="utf-8")
        await probe.wait(pilot, lambda: "T009" in column_keys(app, "done"), what="T009 done")
        await pilot.press("d")  # the board is focused: its tasks.md
        await probe.wait(pilot, lambda: isinstance(app.screen, DiffScreen), what="diff screen")
        shown = screen_text(app)
        assert f"{TASKS} vs HEAD" in shown
        assert "-- [ ] T009" in shown and "+- [x] T009" in shown
        await pilot.press("escape")
        await probe.wait(pilot, lambda: not isinstance(app.screen, DiffScreen), what="closed")
        await pilot.press("2", "d")  # the spec pane: unchanged
        await probe.wait(pilot, lambda: isinstance(app.screen, DiffScreen), what="diff screen")
        assert "No changes against HEAD." in screen_text(app)


async def test_stale_plan_badge(sample: Path) -> None:
    dated_repo(sample, [(PLAN, 100), (TASKS, 110), (SPEC, 200)])
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await probe.wait(pilot, lambda: "plan may be stale" in header(app), what="stale badge")
        assert FEATURE in app.session.stale_plans


async def test_repo_without_commits(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdd_tui.ui.screens.diff import DiffScreen

    init_repo(sample, commit=False)
    monkeypatch.setenv("SDD_TUI_NO_WATCH", "1")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.git is not None and app.session.git.has_commits is False
        assert "⎇ main (no commits)" in header(app)
        assert subtitle(app, "board") == "tasks.md untracked"
        assert app.session.branch_features == ()
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DiffScreen)
        assert "--- /dev/null" in screen_text(app)
        await pilot.press("escape", "L")  # a move still works
        await pilot.pause()
        assert "T007b" in column_keys(app, "in_progress")
    assert app._exception is None


async def test_folder_without_git_hides_git(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.git import outside_any_repo

    from sdd_tui.ui.screens.diff import DiffScreen

    if not outside_any_repo(sample):
        pytest.skip("the temporary folder lies inside a git repository")
    monkeypatch.setenv("SDD_TUI_NO_WATCH", "1")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.git is None
        assert "⎇" not in header(app)
        assert all(subtitle(app, p) == "" for p in ("board", "spec", "plan"))
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, DiffScreen)


async def test_no_git_env_hides_git_in_a_repo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDD_TUI_NO_GIT", "1")
    monkeypatch.setenv("SDD_TUI_NO_WATCH", "1")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.git is None and "⎇" not in header(app)


async def test_branch_switch_reloads_the_workspace(repo: Path) -> None:
    add_branch_feature(repo, "004-export", "004-export", "- [ ] T001 a\n- [x] T002 b\n")
    app = make_app(repo)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        # on main, 004-export exists only on its branch: listed read-only, from git objects
        await probe.wait(pilot, lambda: "004-export" in feature_ids(app), what="branch feature")
        branch_only = next(f for f in app.session.branch_features if f.id == "004-export")
        assert branch_only.read_only and branch_only.branch == "004-export"
        assert app.session.loaded.workspace.feature("004-export") is None
        await watcher_ready(pilot, probe, tasks_path(repo))

        git(repo, "checkout", "-q", "004-export")  # from another terminal
        await probe.wait(
            pilot,
            lambda: (
                app.session.loaded.workspace.feature("004-export") is not None
                and app.session.git is not None
                and app.session.git.branch == "004-export"
            ),
            what="the checked-out feature",
        )
        await probe.wait(pilot, lambda: "⎇ 004-export" in header(app), what="header branch")
        await probe.wait(
            pilot, lambda: app.session.branch_features == (), what="no branch-only features"
        )
        f = app.session.loaded.workspace.feature("004-export")
        assert not f.read_only and [t.key for t in f.tasks] == ["T001", "T002"]
        assert app.workbench.feature_id == FEATURE  # the board stays on the feature it showed

        git(repo, "checkout", "-q", "main")
        await probe.wait(
            pilot,
            lambda: (
                app.session.loaded.workspace.feature("004-export") is None
                and any(f.id == "004-export" for f in app.session.branch_features)
            ),
            what="back to branch-only",
        )
        assert "⎇ main" in header(app)
        # checkouts that only rewrite .git/HEAD (same tree), again and again
        git(repo, "branch", "same-tree")
        for branch in ("same-tree", "main", "same-tree", "main"):
            git(repo, "checkout", "-q", branch)
            await probe.wait(
                pilot, lambda b=branch: f"⎇ {b}" in header(app), what=f"header on {branch}"
            )


async def test_move_with_autocommit_from_the_board(repo: Path) -> None:
    config = repo / ".sdd" / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("autocommit: false", "autocommit: true"),
        encoding="utf-8",
    )
    (repo / ".gitignore").write_text(".sdd/.lock\n", encoding="utf-8")
    commit_all(repo, "autocommit on")
    count = int(git(repo, "rev-list", "--count", "HEAD"))
    app = make_app(repo)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await probe.wait(pilot, lambda: app.session.git is not None, what="git info")
        await watcher_ready(pilot, probe, tasks_path(repo))
        refreshes = len(probe.refreshes)
        await pilot.press("space")  # T007b -> done
        await pilot.pause()
        assert int(git(repo, "rev-list", "--count", "HEAD")) == count + 1
        assert git(repo, "log", "-1", "--format=%s") == f"sdd: {FEATURE}/T007b todo → done\n"
        assert git(repo, "status", "--porcelain") == ""
        entries = [json.loads(x) for x in (repo / ".sdd/history.jsonl").read_text().splitlines()]
        assert [(e["task"], e["to"]) for e in entries] == [("T007b", "done")]
        # the commit moved refs/heads/main: seen, reloaded, and the board not redrawn again
        await probe.wait(
            pilot,
            lambda: (
                any(p.startswith(".git/") for b in probe.batches for p in b) and probe.settled()
            ),
            what="the ref change",
        )
        await probe.wait(
            pilot,
            lambda: app.session.git is not None and not app.session.git.status,
            what="clean status",
        )
        assert len(probe.refreshes) == refreshes
