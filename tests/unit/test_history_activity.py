"""The activity feed (issue 18, part 3): moves per commit, agents told from people, the
working tree's moves on top, a commit's diff of the task file; and the burn-up chart's text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers.git import git
from helpers.history import (
    ALPHA,
    ALPHA_TASKS,
    BETA,
    CLAUDE,
    DAY,
    OLD_TASKS,
    T0,
    Commit,
    Tasks,
    append_commits,
    build_history,
)

from sdd_tui.model.places import BurnPoint, Forecast
from sdd_tui.operations.activity import (
    ActivityFeed,
    agent_name,
    commit_agent,
    commit_diff,
    read_activity,
)
from sdd_tui.operations.burnup_chart import render_burnup


@pytest.fixture(scope="module")
def feed(story_repo: Path) -> ActivityFeed:
    return read_activity(story_repo)


def _rows(feed: ActivityFeed) -> list[tuple[object, ...]]:
    return [
        (round((e.time - T0) / DAY), e.feature, e.task, e.from_column, e.to_column, e.agent)
        for e in feed.entries
    ]


def test_every_move_newest_first_with_its_agent(feed: ActivityFeed) -> None:
    assert _rows(feed) == [
        (8, ALPHA, "T004", "todo", "done", None),
        (7, ALPHA, "T003", "todo", "done", "Robo Helper"),  # the config's agents: list
        (6, ALPHA, "T001", "done", "todo", "Devin"),  # a bot author
        (5, ALPHA, "T002", "in_progress", "done", "Copilot"),  # a Co-authored-by trailer
        (5, ALPHA, "T005", None, "todo", "Copilot"),  # a task added later
        (5, BETA, "1", "in_progress", "done", "Copilot"),
        (3, ALPHA, "T002", "todo", "in_progress", None),  # board.json alone
        (1, ALPHA, "T001", "todo", "done", "Claude"),
        (1, BETA, "1", "todo", "in_progress", "Claude"),  # Kiro's [-]
    ]
    first = feed.entries[-2]
    assert (first.author, first.path) == ("Claude", OLD_TASKS)  # the path as of that commit
    assert feed.in_git and feed.messages == ()


def test_one_feature(story_repo: Path) -> None:
    got = read_activity(story_repo, BETA)
    assert {e.feature for e in got.entries} == {BETA}
    assert len(got.entries) == 2


@pytest.mark.parametrize(
    ("author", "email", "coauthors", "expected"),
    [
        ("Claude", "noreply@anthropic.com", (), "Claude"),
        ("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com", (), "Copilot"),
        ("devin-ai-integration[bot]", "x@users.noreply.github.com", (), "Devin"),
        ("Amazon Q Developer", "q@amazon.com", (), "Amazon Q"),
        ("Ann", "ann@example.com", ("Gemini <gemini@google.com>",), "Gemini"),
        ("Ann", "ann@example.com", ("Bob <bob@example.com>",), None),
        ("Claudette Dupont", "claudette@example.com", (), None),  # a word-ish match only
        ("Ann", "ann@cursor.com", (), None),  # an email's domain says nothing
    ],
)
def test_agent_detection(
    author: str, email: str, coauthors: tuple[str, ...], expected: str | None
) -> None:
    assert commit_agent(author, email, coauthors) == expected


def test_agents_from_the_config_list() -> None:
    assert agent_name("robo-helper[bot]", ("Robo Helper",)) == "Robo Helper"
    assert agent_name("robo-helper[bot]") is None


def test_uncommitted_moves_on_top_with_history_agent(story_repo: Path, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(story_repo, root)
    (root / ALPHA_TASKS).write_text(Tasks(5, done={1, 2, 3, 4}).text(), encoding="utf-8")
    line = {"time": "2099-01-01T00:00:00.000Z", "op": "move", "feature": ALPHA, "task": "T001",
            "from": "todo", "to": "done", "author": "agent:cursor"}  # fmt: skip
    (root / ".sdd" / "history.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    got = read_activity(root, ALPHA)
    top = got.entries[0]
    assert (top.commit, top.task, top.from_column, top.to_column) == (None, "T001", "todo", "done")
    assert (top.author, top.agent) == ("agent:cursor", "agent:cursor")
    assert all(e.commit is not None for e in got.entries[1:])


def test_commit_diff_of_the_task_file(story_repo: Path) -> None:
    first, tick = git(story_repo, "rev-list", "--reverse", "HEAD").split()[:2]
    diff = commit_diff(story_repo, tick, OLD_TASKS)
    assert "-- [ ] T001 Task 1" in diff and "+- [x] T001 Task 1" in diff
    assert ".kiro" not in diff  # limited to that path
    root_diff = commit_diff(story_repo, first, OLD_TASKS)
    assert "+- [ ] T004 Task 4" in root_diff
    assert commit_diff(story_repo, "not-a-sha", OLD_TASKS).startswith("(")


def test_burnup_chart_exact_lines() -> None:
    points = [BurnPoint(T0, "a", 0, 4), BurnPoint(T0 + 2 * DAY, "b", 2, 4)]
    fc = Forecast(remaining=2, rate_per_day=0.5, finish=T0 + 6 * DAY)
    chart = render_burnup(points, 24, 7, T0 + 2 * DAY, fc)
    assert chart.lines == (
        "4│────────          ╌╌╌╌",
        " │   forecast╌╌╌╌╌╌╌    ",
        "2│       █╌╌╌           ",
        " │                      ",
        "0│███████               ",
        " └──────────────────────",
        "  2023-11-15  2023-11-21",
    )
    assert chart.tags[:3] == (
        "aassssssss          ffff",
        "aa   fffffffffffffff    ",
        "aa       dfff           ",
    )
    assert all(len(t) == len(line) for t, line in zip(chart.tags, chart.lines, strict=True))


def test_a_merge_is_one_change_credited_to_the_merged_agent(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_history(root, [Commit(0, {ALPHA_TASKS: Tasks(2).text()})])
    git(root, "checkout", "-qb", "agent-work")
    append_commits(root, [Commit(1, {ALPHA_TASKS: Tasks(2, done={1}).text()}, "T001", CLAUDE)])
    git(root, "checkout", "-q", "main")
    append_commits(root, [Commit(2, {"notes.md": "elsewhere\n"})])
    git(root, "merge", "-q", "--no-ff", "agent-work", "-m", "merge", date=T0 + 3 * DAY)
    (entry,) = read_activity(root).entries
    assert (entry.task, entry.from_column, entry.to_column) == ("T001", "todo", "done")
    assert (entry.author, entry.agent) == ("Test Author", "Claude")  # the merger; the worker
    assert round((entry.time - T0) / DAY) == 3


def test_a_branch_deleted_under_head(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build_history(root, [Commit(0, {ALPHA_TASKS: Tasks(2).text()})])
    git(root, "update-ref", "-d", "refs/heads/main")
    feed = read_activity(root)
    assert feed.in_git and feed.entries == ()
    assert any("branch was deleted" in m for m in feed.messages)
