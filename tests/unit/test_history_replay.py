"""Replaying task files through git (issue 18, part 2): burn-up points, renames followed,
cycle times from ``[-]``, board.json and first appearance, the forecast, the cache, and git's
odd states (shallow clone, no commits, detached HEAD, outside any repository)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.git import git, outside_any_repo
from helpers.history import (
    ALPHA,
    ALPHA_TASKS,
    BETA,
    DAY,
    OLD_TASKS,
    T0,
    Commit,
    Tasks,
    append_commits,
    build_history,
)

from sdd_tui.model.places import BurnPoint, FeatureProgress
from sdd_tui.operations import timeline
from sdd_tui.operations.progress_history import (
    ProgressReport,
    forecast,
    percentiles,
    portfolio_points,
    read_progress,
)
from sdd_tui.workspace import git_history
from sdd_tui.workspace.replay_cache import history_store

NOW = T0 + 10 * DAY


def _series(points: tuple[BurnPoint, ...]) -> list[tuple[float, int, int]]:
    return [((p.time - T0) / DAY, p.done, p.total) for p in points]


@pytest.fixture(scope="module")
def report(story_repo: Path) -> ProgressReport:
    return read_progress(story_repo, now=NOW)


def _feature(report: ProgressReport, fid: str) -> FeatureProgress:
    return next(f for f in report.features if f.feature == fid)


def test_burn_up_points_are_exact_with_scope_growth(report: ProgressReport) -> None:
    alpha = _feature(report, ALPHA)
    # day 2 (rename) and day 3 (board.json) change neither done nor scope: no point
    assert _series(alpha.points) == [
        (0, 0, 4), (1, 1, 4), (5, 2, 5), (6, 1, 5), (7, 2, 5), (8, 3, 5)
    ]  # fmt: skip
    assert all(p.commit is not None for p in alpha.points)  # the working tree is HEAD's
    assert report.messages == ()
    assert report.in_git


def test_history_is_followed_across_a_rename(story_repo: Path, report: ProgressReport) -> None:
    alpha = _feature(report, ALPHA)
    assert alpha.path == ALPHA_TASKS
    assert alpha.renamed_from == (OLD_TASKS,)
    rep = next(r for r in timeline.replay(story_repo, ALPHA).replays)
    assert [v.path for v in rep.versions[:3]] == [OLD_TASKS, OLD_TASKS, ALPHA_TASKS]


def test_cycle_times_from_board_kiro_and_appearance(report: ProgressReport) -> None:
    alpha = _feature(report, ALPHA)
    got = {c.task: (c.days, c.started_by) for c in alpha.cycle_times}
    # T001 was ticked on day 1 and unticked on day 6: not finished
    assert got == {"T002": (2.0, "board"), "T003": (7.0, "appeared"), "T004": (8.0, "appeared")}
    assert (alpha.median_days, alpha.p90_days) == (7.0, 8.0)
    beta = _feature(report, BETA)
    assert [(c.task, c.days, c.started_by) for c in beta.cycle_times] == [("1", 4.0, "in-progress")]


def test_forecast_rate_and_date(story_repo: Path, report: ProgressReport) -> None:
    fc = _feature(report, ALPHA).forecast
    assert fc is not None
    assert fc.remaining == 2
    assert fc.rate_per_day == pytest.approx(3 / 14)  # 3 done in the 14 days before day 10
    assert fc.finish == pytest.approx(NOW + 2 / (3 / 14) * DAY)
    later = read_progress(story_repo, ALPHA, now=T0 + 30 * DAY).features[0].forecast
    assert later is not None and later.rate_per_day == 0 and later.finish is None


def test_portfolio_sums_the_features(report: ProgressReport) -> None:
    assert _series(report.portfolio) == [
        (0, 0, 7), (1, 1, 7), (5, 3, 8), (6, 2, 8), (7, 3, 8), (8, 4, 8)
    ]  # fmt: skip
    a = (BurnPoint(0.0, "a", 0, 2), BurnPoint(10.0, "b", 1, 2))
    b = (BurnPoint(5.0, "c", 1, 3), BurnPoint(10.0, "d", 2, 3))
    assert portfolio_points([a, b]) == (
        BurnPoint(0.0, "a", 0, 2),
        BurnPoint(5.0, "c", 1, 5),
        BurnPoint(10.0, "d", 3, 5),
    )


def test_percentiles_and_forecast_without_points() -> None:
    assert percentiles([]) == (None, None)
    assert percentiles([float(n) for n in range(10, 0, -1)]) == (5.5, 9.0)  # rank ceil(9)=9
    assert percentiles([3.0]) == (3.0, 3.0)
    assert forecast([], NOW) is None
    done = forecast([BurnPoint(T0, "a", 4, 4)], NOW)
    assert done is not None and done.remaining == 0 and done.finish == T0


def test_cache_replays_nothing_again_and_a_new_commit_extends_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    tasks = Tasks(6)
    commits = [Commit(0, {ALPHA_TASKS: tasks.text()})]
    for n in range(1, 5):  # ticks only: read through the skeleton, never parsed again
        tasks.done.add(n)
        commits.append(Commit(n, {ALPHA_TASKS: tasks.text()}))
    build_history(root, commits)
    before = dict(timeline.STATS)
    first = timeline.replay(root)
    assert timeline.STATS["parsed"] - before["parsed"] == 1
    assert timeline.STATS["patched"] - before["patched"] == 4
    assert history_store(root).is_file()

    before = dict(timeline.STATS)
    again = timeline.replay(root)
    assert before == timeline.STATS  # nothing read, nothing parsed: all from the cache
    assert again.replays == first.replays

    tasks.count = 7  # a new task: the skeleton changes, that one version is parsed
    append_commits(root, [Commit(5, {ALPHA_TASKS: tasks.text()})])
    before = dict(timeline.STATS)
    extended = timeline.replay(root)
    assert timeline.STATS["parsed"] - before["parsed"] == 1
    assert timeline.STATS["commits"] - before["commits"] == 1  # the new commit alone
    history_store(root).unlink()
    assert timeline.replay(root).replays == extended.replays  # as a replay from scratch
    assert [v.total for v in extended.replays[0].versions] == [6, 6, 6, 6, 6, 7]


def test_shallow_clone_says_where_history_starts(story_repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{story_repo}", str(clone))
    got = read_progress(clone, ALPHA, now=NOW)
    assert any("shallow clone" in m and "2023-11-22" in m for m in got.messages)
    assert _series(got.features[0].points) == [(7, 2, 5), (8, 3, 5)]


def test_no_commits_yet_shows_the_working_tree(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "specs" / ALPHA).mkdir(parents=True)
    (root / ALPHA_TASKS).write_text(Tasks(3, done={1}).text(), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    got = read_progress(root, now=NOW)
    assert got.in_git
    assert any("no commit" in m for m in got.messages)
    (point,) = got.features[0].points
    assert (point.commit, point.done, point.total) == (None, 1, 3)


def test_detached_head_in_another_worktree(story_repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "detached"
    git(story_repo, "worktree", "add", "-q", "--detach", str(other), "HEAD~2")
    try:
        got = read_progress(other, ALPHA, now=NOW)
    finally:
        git(story_repo, "worktree", "remove", "--force", str(other))
    assert any("detached HEAD" in m for m in got.messages)
    assert _series(got.features[0].points)[-1] == (6, 1, 5)


def test_outside_any_repository(tmp_path: Path) -> None:
    if not outside_any_repo(tmp_path):
        pytest.skip("the temp folder is inside a git repository")
    (tmp_path / "specs" / ALPHA).mkdir(parents=True)
    (tmp_path / ALPHA_TASKS).write_text(Tasks(2).text(), encoding="utf-8")
    got = read_progress(tmp_path, now=NOW)
    assert not got.in_git
    assert got.features == ()
    assert got.messages == (timeline.NEEDS_GIT,)


def test_uncommitted_tick_is_the_last_point(tmp_path: Path, story_repo: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(story_repo, root)
    (root / ALPHA_TASKS).write_text(Tasks(5, done={1, 2, 3, 4}).text(), encoding="utf-8")
    alpha = read_progress(root, ALPHA, now=NOW).features[0]
    last = alpha.points[-1]
    assert (last.commit, last.done, last.total) == (None, 4, 5)
    assert "T001" not in {c.task for c in alpha.cycle_times}  # not a commit yet


def test_reading_ticks_without_parsing_gives_what_parsing_gives(
    story_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    tasks = Tasks(12)
    commits = [Commit(0, {ALPHA_TASKS: tasks.text()})]
    for n in range(1, 12):
        tasks.done.add(n)
        if n % 3 == 0:
            tasks.done.discard(n - 2)  # unticked
        if n % 4 == 0:
            tasks.count += 1  # a new task: a new skeleton
        commits.append(Commit(n, {ALPHA_TASKS: tasks.text()}))
    commits.append(Commit(12, {ALPHA_TASKS: tasks.text().replace("- [ ] T012", "- [P] T012")}))
    build_history(root, commits)
    monkeypatch.setattr(timeline, "read_replays", lambda root: {})  # replay from scratch
    before = timeline.STATS["patched"]
    fast = [timeline.replay(r, save=False).replays for r in (root, story_repo)]
    assert timeline.STATS["patched"] > before
    monkeypatch.setattr(timeline, "_split", lambda data: None)  # every version parsed
    monkeypatch.setattr(timeline._Reader, "_flips", lambda self, data: None)
    before = timeline.STATS["patched"]
    slow = [timeline.replay(r, save=False).replays for r in (root, story_repo)]
    assert timeline.STATS["patched"] == before
    assert fast == slow


def test_a_path_that_is_not_ascii(tmp_path: Path) -> None:
    path = "specs/002-café/tasks.md"
    commits = [Commit(0, {path: Tasks(2).text()}), Commit(1, {path: Tasks(2, done={1}).text()})]
    build_history(tmp_path / "repo", commits)
    (feature,) = read_progress(tmp_path / "repo", now=NOW).features
    assert _series(feature.points) == [(0, 0, 2), (1, 1, 2)]


def test_a_history_too_long_is_cut_with_a_message(
    story_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "read_replays", lambda root: {})
    monkeypatch.setattr(git_history, "MAX_COMMITS", 3)
    got = timeline.replay(story_repo, ALPHA, save=False)
    assert any("history cut at 3 commits" in m for m in got.messages)
    # the task file's last 3 commits (board.json's day 3 comes before them: no version)
    assert [round((v.time - T0) / DAY) for v in got.replays[0].versions] == [6, 7, 8]
