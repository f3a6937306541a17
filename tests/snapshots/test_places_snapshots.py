"""How the views across places and time look: the portfolio, progress (burn-up, cycle times,
forecast) and the activity feed, at 160×48.

Their data comes from git, whose commit ids and ages depend on when a test runs: here the
readers are replaced by fixed reports (what the screens draw from them is what is compared)
and the clock and the time zone are pinned.  The readers themselves are tested on real
repositories in ``tests/unit`` and ``tests/functional``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.ui import make_app

WIDE = (160, 48)
NOW = 1_764_000_000.0  # 2025-11-24 16:00 UTC
DAY = 86400.0


@pytest.fixture
def pinned_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from sdd_tui.ui import timefmt

    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _portfolio():  # type: ignore[no-untyped-def]
    from sdd_tui.model.places import Place, Portfolio, PortfolioRow
    from sdd_tui.model.workspace import Feature

    here = Place("worktree", "main", "/work/repo", current=True, commit="a" * 40)
    other = Place("worktree", "agent-1", "/work/wt-agent-1", commit="b" * 40)
    branch = Place("branch", "feat/export", None, commit="c" * 40)

    def row(place, fid, stage, done, total, doing, clar, failing, stale, ago, who):  # type: ignore[no-untyped-def]
        feature = Feature(fid, "speckit", f"specs/{fid}", read_only=not place.current)
        return PortfolioRow(
            place, feature, stage, done, total, doing, clar, failing, stale, NOW - ago, who
        )

    rows = (
        row(here, "001-recipe-sharing", "Verify", 13, 13, 0, 0, 0, False, 9 * DAY, "Ann"),
        row(here, "002-meal-planner", "Implement", 7, 18, 2, 0, 1, True, 3600, ""),
        row(other, "002-meal-planner", "Implement", 9, 18, 1, 0, None, False, 600, "Claude"),
        row(branch, "002-meal-planner", "Implement", 8, 18, 0, 0, None, None, 2 * DAY, "Bo"),
        row(branch, "004-export", "Specify", 0, 0, 0, 2, None, None, 20 * DAY, "Bo"),
    )
    return Portfolio(rows, (here, other, branch), ("shallow clone: history stops early",))


def test_portfolio(snap_compare, sample: Path, pinned_time: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sdd_tui.operations import portfolio

    monkeypatch.setattr(portfolio, "read_portfolio", lambda root, **kw: _portfolio())

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from helpers.ui import wait_for

        await pilot.press("P")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "portfolio", None) is not None)

    assert snap_compare(make_app(sample), terminal_size=WIDE, run_before=run_before)


def _progress():  # type: ignore[no-untyped-def]
    from sdd_tui.model.places import BurnPoint, CycleTime, FeatureProgress, Forecast
    from sdd_tui.operations.progress_history import ProgressReport

    start = NOW - 20 * DAY
    points = tuple(
        BurnPoint(start + d * DAY, f"{d:040x}", done, total)
        for d, done, total in ((0, 0, 12), (3, 2, 12), (6, 4, 14), (10, 7, 16), (15, 9, 18))
    ) + (BurnPoint(NOW - DAY, None, 10, 18),)
    cycles = tuple(
        CycleTime("002-meal-planner", f"T00{i}", start, start + (i + 1) * DAY, how)
        for i, how in enumerate(("in-progress", "board", "appeared", "board", "board"), 1)
    )
    forecast = Forecast(8, 0.5, NOW + 16 * DAY)
    feature = FeatureProgress(
        "002-meal-planner",
        "specs/002-meal-planner/tasks.md",
        points,
        cycles,
        median_days=4.0,
        p90_days=6.0,
        forecast=forecast,
        renamed_from=("specs/002-meal-planner/todo.md",),
    )
    return ProgressReport((feature,), points, forecast, NOW)


def test_progress(snap_compare, sample: Path, pinned_time: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sdd_tui.operations import progress_history

    monkeypatch.setattr(progress_history, "read_progress", lambda *a, **kw: _progress())

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from helpers.ui import wait_for

        await pilot.press("B")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "report", None) is not None)

    assert snap_compare(make_app(sample), terminal_size=WIDE, run_before=run_before)


def _activity():  # type: ignore[no-untyped-def]
    from sdd_tui.model.places import ActivityEntry
    from sdd_tui.operations.activity import ActivityFeed

    tasks = "specs/002-meal-planner/tasks.md"

    def entry(commit, ago, author, agent, task, title, a, b):  # type: ignore[no-untyped-def]
        return ActivityEntry(
            commit, NOW - ago, author, agent, "002-meal-planner", task, title, a, b, tasks
        )

    entries = (
        entry(None, 300, "Ann", None, "T009", "Add a servings override", "todo", "in_progress"),
        entry("1" * 40, 3600, "Claude", "Claude", "T008", "Implement week_view", "review", "done"),
        entry("2" * 40, 2 * DAY, "Ann", None, "T014", "Write the import test", None, "todo"),
        entry("3" * 40, 3 * DAY, "bot", "Copilot", "T007", "Slot removal", "in_progress", "done"),
    )
    return ActivityFeed(entries)


def test_activity(snap_compare, sample: Path, pinned_time: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sdd_tui.operations import activity

    monkeypatch.setattr(activity, "read_activity", lambda *a, **kw: _activity())

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from helpers.ui import wait_for

        await pilot.press("i")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "feed", None) is not None)

    assert snap_compare(make_app(sample), terminal_size=WIDE, run_before=run_before)
