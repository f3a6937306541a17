"""The portfolio (``P``), progress (``B``) and activity (``i``) views, driven with Pilot on
real repositories: branches, a second worktree, dated histories, uncommitted moves."""

from __future__ import annotations

from pathlib import Path

from helpers.git import T0, commit_all, git, init_repo, outside_any_repo, places_repo, tick
from helpers.sample import FEATURE, TASKS_MD, copy_sample, state
from helpers.ui import make_app, screen_text, wait_for


def _portfolio_rows(app):  # type: ignore[no-untyped-def]
    from sdd_tui.ui.screens.portfolio import PortfolioScreen

    screen = app.screen
    if not isinstance(screen, PortfolioScreen) or screen.portfolio is None:
        return None
    return screen.portfolio.rows


async def _open_row(pilot, app, kind: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Put the portfolio's cursor on the sample feature's row of that place; press enter."""
    from textual.widgets import DataTable

    screen = app.screen
    table = screen.query_one(DataTable)
    keys = [
        key
        for key, row in screen._rows.items()
        if (row.place.kind, row.place.name) == (kind, name) and row.feature.id == FEATURE
    ]
    assert keys, (kind, name, list(screen._rows))
    table.move_cursor(row=table.get_row_index(keys[0]))
    await pilot.press("enter")


async def test_the_portfolio_shows_each_place_and_opens_a_branch_read_only(tmp_path: Path) -> None:
    repo, _ = places_repo(tmp_path)
    before = state(repo)
    app = make_app(repo, feature=FEATURE)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("P")
        await wait_for(pilot, lambda: _portfolio_rows(app), what="the portfolio's rows")
        rows = {
            (r.place.kind, r.place.name): r for r in _portfolio_rows(app) if r.feature.id == FEATURE
        }
        here = rows[("worktree", "main")]
        assert here.place.current and not here.read_only
        branch = rows[("branch", "tick-t007")]
        assert branch.read_only and branch.done == here.done + 1  # never merged into one
        other = rows[("worktree", "other")]
        assert other.place.live and other.done == here.done + 1  # its uncommitted tick, live
        await wait_for(
            pilot,
            lambda: "tick-t007" in screen_text(app) and "(here)" in screen_text(app),
            what="the rows on screen",
        )
        await _open_row(pilot, app, "branch", "tick-t007")
        await wait_for(pilot, lambda: app.screen is app.workbench, what="the workbench")
        feature = app.workbench.feature
        assert feature.id == f"{FEATURE}@tick-t007" and feature.read_only
        assert "read-only on tick-t007" in screen_text(app)
        assert feature.done_count == branch.done
        await pilot.press("space")  # a move on a read-only feature: refused, nothing written
        await pilot.pause()
    assert state(repo) == before


async def test_enter_on_another_worktree_switches_the_app_to_it(tmp_path: Path) -> None:
    repo, worktree = places_repo(tmp_path)
    app = make_app(repo, feature=FEATURE)
    async with app.run_test(size=(160, 40)) as pilot:
        old = app.workbench
        await pilot.press("P")
        await wait_for(pilot, lambda: _portfolio_rows(app), what="the portfolio's rows")
        await _open_row(pilot, app, "worktree", "other")
        await wait_for(
            pilot,
            lambda: app.workbench is not old and app.screen is app.workbench,
            what="the other worktree's workbench",
            timeout=15,
        )
        assert app.session.loaded.root.resolve() == worktree.resolve()
        feature = app.workbench.feature
        assert feature.id == FEATURE and not feature.read_only
        assert not old.is_attached
        await pilot.press("P")  # the portfolio now reads from the other worktree
        await wait_for(pilot, lambda: _portfolio_rows(app), what="the portfolio's rows")
        here = [r for r in _portfolio_rows(app) if r.place.current]
        assert here and here[0].place.name == "other"


async def test_outside_git_the_views_say_they_need_a_repository(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "plain")
    if not outside_any_repo(root):
        return  # the temp folder is inside a repository on this machine
    app = make_app(root, feature=FEATURE)
    async with app.run_test(size=(140, 36)) as pilot:
        for key, needle in (
            ("P", "needs a git repository"),
            ("B", "needs a git repository"),
            ("i", "needs a git repository"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda n=needle: n in screen_text(app), what=f"{key}: {needle}")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is app.workbench, what="the workbench")


def _history_repo(root: Path) -> Path:
    """The sample with T007 ticked on day 2 and T008 on day 5, T009 moved but uncommitted."""
    repo = copy_sample(root / "hist")
    init_repo(repo, commit=False)
    commit_all(repo, "start", date=T0)
    tick(repo, "T007")
    commit_all(repo, "T007 done", date=T0 + 2 * 86400)
    tick(repo, "T008")
    git(repo, "add", "-A")
    claude = "--author=Claude <noreply@anthropic.com>"  # an agent's commit
    git(repo, "commit", "-qm", "T008 done", claude, date=T0 + 5 * 86400)
    tick(repo, "T009")
    return repo


async def test_progress_draws_the_burn_up_and_labels_the_forecast(tmp_path: Path) -> None:
    repo = _history_repo(tmp_path)
    app = make_app(repo, feature=FEATURE)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.press("B")
        await wait_for(pilot, lambda: "cycle time" in screen_text(app), what="the progress")
        text = screen_text(app)
        assert "forecast" in text and f"Progress — {FEATURE}" in text
        report = app.screen.report
        mine = next(f for f in report.features if f.feature == FEATURE)
        assert [p.done for p in mine.points][-3:] == [
            mine.points[-3].done,
            mine.points[-3].done + 1,
            mine.points[-3].done + 2,
        ]
        await pilot.press("a")
        await wait_for(pilot, lambda: "Progress — all features" in screen_text(app), what="all")


async def test_activity_lists_moves_newest_first_with_the_uncommitted_on_top(
    tmp_path: Path,
) -> None:
    repo = _history_repo(tmp_path)
    app = make_app(repo, feature=FEATURE)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.feed is not None, what="the feed")
        entries = app.screen.feed.entries
        assert entries[0].commit is None and entries[0].task == "T009"
        assert [e.task for e in entries[1:3]] == ["T008", "T007"]
        assert entries[1].agent and "claude" in entries[1].agent.lower()
        assert entries[2].agent is None
        text = screen_text(app)
        assert "uncommitted" in text and "Claude" in text
        await pilot.press("down", "enter")  # T008's commit: its diff of the task file
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DiffScreen", what="the diff")
        assert "+- [x] T008" in screen_text(app)
    assert (repo / TASKS_MD).read_bytes().count(b"- [x] T009") == 1
