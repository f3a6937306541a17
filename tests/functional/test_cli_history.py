"""``sdd-tui progress`` and ``sdd-tui activity`` in subprocesses: JSON for agents, text for
people, one-line errors (outside git, an unknown feature) and their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.cli import run_cli
from helpers.git import outside_any_repo
from helpers.history import ALPHA, BETA, Tasks

ENTRY_KEYS = {"commit", "time", "author", "agent", "feature", "task", "title", "from", "to", "path"}


def test_progress_json(story_repo: Path) -> None:
    proc = run_cli("progress", str(story_repo), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["in_git"] is True
    alpha = next(f for f in data["features"] if f["feature"] == ALPHA)
    assert [(p["done"], p["total"]) for p in alpha["points"]] == [
        (0, 4), (1, 4), (2, 5), (1, 5), (2, 5), (3, 5)
    ]  # fmt: skip
    assert alpha["points"][0]["time"] == "2023-11-15T00:00:00Z"
    assert alpha["renamed_from"] == ["specs/001-old/tasks.md"]
    assert alpha["forecast"]["label"] == "forecast"
    assert {c["task"]: c["started_by"] for c in alpha["cycle_times"]}["T002"] == "board"
    assert data["portfolio"]["points"][-1]["total"] == 8


def test_progress_text_has_the_chart_and_a_labelled_forecast(story_repo: Path) -> None:
    proc = run_cli("progress", str(story_repo), "--feature", "001", "--width", "60")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"{ALPHA}  specs/{ALPHA}/tasks.md (earlier: specs/001-old/tasks.md)" in out
    assert "done 3/5" in out
    assert "cycle time: median 7.0 d, p90 8.0 d (3 tasks)" in out
    assert "forecast: no finish in sight" in out  # no progress in the last 14 days
    assert "█" in out and "2023-11-15" in out
    assert "\x1b" not in out


def test_activity_json_and_text(story_repo: Path) -> None:
    proc = run_cli("activity", str(story_repo), "--json")
    assert proc.returncode == 0, proc.stderr
    entries = json.loads(proc.stdout)["entries"]
    assert all(set(e) == ENTRY_KEYS for e in entries)
    top = entries[0]
    assert (top["feature"], top["task"], top["from"], top["to"]) == (ALPHA, "T004", "todo", "done")
    assert top["agent"] is None and top["time"] == "2023-11-23T00:00:00Z"
    assert next(e["agent"] for e in entries if e["agent"]) == "Robo Helper"
    text = run_cli("activity", str(story_repo), "--feature", BETA)
    assert text.returncode == 0, text.stderr
    assert f"{BETA}/1  in_progress → done  Task 1" in text.stdout
    assert "[agent: Claude]" in text.stdout
    assert ALPHA not in text.stdout


@pytest.mark.parametrize("cmd", ["progress", "activity"])
def test_outside_git_and_unknown_feature(cmd: str, tmp_path: Path, story_repo: Path) -> None:
    unknown = run_cli(cmd, str(story_repo), "--feature", "001-alpah")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        f"sdd-tui: unknown feature '001-alpah' (did you mean: {ALPHA}?)"
    )
    if not outside_any_repo(tmp_path):
        pytest.skip("the temp folder is inside a git repository")
    (tmp_path / "specs" / ALPHA).mkdir(parents=True)
    (tmp_path / "specs" / ALPHA / "tasks.md").write_text(Tasks(1).text(), encoding="utf-8")
    proc = run_cli(cmd, str(tmp_path))
    assert proc.returncode == 2
    needs = f"sdd-tui: {cmd} needs a git repository (this folder is not in one)"
    assert proc.stderr.strip() == needs
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("cmd", ["progress", "activity"])
def test_help(cmd: str) -> None:
    proc = run_cli(cmd, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: sdd-tui {cmd}")
    assert cmd in run_cli("--help").stdout
