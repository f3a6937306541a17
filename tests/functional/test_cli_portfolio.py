"""``sdd-tui portfolio`` in a subprocess: the table, the JSON, exit codes, and workspace text
(a feature folder named with a terminal escape) shown as data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.cli import run_cli
from helpers.git import git, outside_any_repo
from helpers.portfolio import T0, branch, repo_with, speckit

OPEN = "- [ ] T001 a\n- [x] T002 b\n"
DONE = "- [x] T001 a\n- [x] T002 b\n"
EVIL = "002-\x1b[31mred"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = repo_with(
        tmp_path_factory.mktemp("cli") / "repo",
        {**speckit("001-login", OPEN), ".sdd/.gitignore": "cache/\n"},
    )
    branch(root, "done", {**speckit("001-login", DONE), **speckit(EVIL, OPEN)}, date=T0 + 60)
    sha = git(root, "rev-parse", "done").strip()
    git(root, "update-ref", "refs/remotes/origin/done", sha)
    return root


def files_of(root: Path) -> dict[str, float]:
    """Every file below ``root`` (not git's own nor the cache) with its mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if not rel.startswith(".sdd/cache/"):
                out[rel] = path.stat().st_mtime
    return out


def test_the_table_for_people(repo: Path) -> None:
    before = files_of(repo)
    proc = run_cli("portfolio", str(repo))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:3] == ["PLACE", "FEATURE", "STAGE"]
    here = next(ln for ln in lines if ln.startswith("* main"))
    assert "001-login" in here and "1/2" in here and "Implement" in here
    there = next(ln for ln in lines if ln.startswith("done ") and "001-login" in ln)
    assert "2/2" in there and "Verify" in there and "Test Author" in there
    assert "\x1b" not in proc.stdout and "002-\\x1b[31mred" in proc.stdout
    assert "origin/done" not in proc.stdout  # remotes only when asked
    assert files_of(repo) == before  # nothing written outside .sdd/cache


def test_json_for_agents(repo: Path) -> None:
    proc = run_cli("portfolio", str(repo), "--json", "--remotes")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["in_git"] is True and data["messages"] == []
    kinds = [(p["kind"], p["name"]) for p in data["places"]]
    assert kinds == [("worktree", "main"), ("branch", "done"), ("remote", "origin/done")]
    row = next(
        r for r in data["rows"] if r["place"]["name"] == "done" and r["feature"]["id"] == EVIL
    )
    assert set(row) == {
        "place",
        "feature",
        "read_only",
        "stage",
        "done",
        "total",
        "in_progress",
        "open_clarifications",
        "failing_tests",
        "plan_stale",
        "changed_at",
        "changed_at_epoch",
        "changed_by",
    }
    assert set(row["place"]) == {"kind", "name", "path", "current", "live", "commit"}
    assert row["feature"]["branch"] == "done" and row["read_only"] is True
    assert row["feature"]["documents"]["tasks"] == f"specs/{EVIL}/tasks.md"
    assert row["changed_at_epoch"] == T0 + 60
    assert row["changed_at"] == "2023-11-14T22:14:20Z"
    assert (row["done"], row["total"], row["failing_tests"]) == (1, 2, None)
    assert "\x1b" not in proc.stdout  # escaped in the JSON text, same value
    assert any(r["place"]["kind"] == "remote" for r in data["rows"])


def test_outside_a_repository(tmp_path: Path) -> None:
    if not outside_any_repo(tmp_path):
        pytest.skip("the temp folder is inside a git repository")
    proc = run_cli("portfolio", str(tmp_path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "needs a git repository" in proc.stderr
    proc = run_cli("portfolio", str(tmp_path), "--json")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["in_git"] is False
    proc = run_cli("portfolio", str(tmp_path / "missing"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "no such file or directory" in proc.stderr


def test_help() -> None:
    proc = run_cli("portfolio", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: sdd-tui portfolio")
    assert "--remotes" in proc.stdout and "--json" in proc.stdout


def test_imports_neither_textual_nor_gitpython(repo: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, contextlib, io\n"
        "from sdd_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['portfolio', '--json', {str(repo)!r}])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'git', 'mcp'})\n"
        "print(code, heavy)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stdout.strip() == "0 []", proc.stderr
