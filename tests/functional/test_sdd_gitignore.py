"""sdd-tui's housekeeping files stay out of git (issue 16, item 10): after a move,
``git status`` shows the files the move changed and nothing of sdd-tui's own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers.files import write_tree
from helpers.git import git

from sdd_tui.cli import main
from sdd_tui.workspace.writer import SDD_GITIGNORE_TEXT, ensure_sdd_gitignore, workspace_lock

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FILES = {
    "specs/001-a/spec.md": "# Spec\n",
    "specs/001-a/tasks.md": "# Tasks\n\n- [ ] T001 First\n- [ ] T002 Second\n",
}


def _repo(tmp_path: Path, files: dict[str, str] = FILES) -> Path:
    root = write_tree(tmp_path / "ws", files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return root


def _status(root: Path) -> set[str]:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line[3:] for line in out.splitlines()}


def _ignored(root: Path, path: str) -> bool:
    return (
        subprocess.run(["git", "check-ignore", "-q", path], cwd=root, check=False).returncode == 0
    )


def test_after_moves_git_status_shows_only_what_the_moves_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path)
    assert main(["move", "--path", str(root), "001-a/T001", "review"]) == 0
    assert main(["move", "--path", str(root), "001-a/T002", "done"]) == 0
    assert main(["status", "--json", str(root)]) == 0  # writes the parse cache
    capsys.readouterr()
    assert (root / ".sdd/.lock").exists() and (root / ".sdd/cache").is_dir()
    assert _status(root) == {
        "specs/001-a/tasks.md",
        ".sdd/board.json",
        ".sdd/history.jsonl",
    }
    for kept in (".sdd/board.json", ".sdd/history.jsonl", ".sdd/config.yaml"):
        assert not _ignored(root, kept), kept
    for housekeeping in (".sdd/.lock", ".sdd/cache/x", ".sdd/.board.json.ab12.sdd-tmp"):
        assert _ignored(root, housekeeping), housekeeping


def test_a_gitignore_someone_wrote_is_never_changed(tmp_path: Path) -> None:
    mine = b"# my rules\r\n*.bak"  # CRLF, no final newline, none of sdd-tui's lines
    root = _repo(tmp_path, {**FILES, ".sdd/.gitignore": mine.decode()})
    (root / ".sdd/.gitignore").write_bytes(mine)
    assert main(["move", "--path", str(root), "001-a/T001", "review"]) == 0
    assert (root / ".sdd/.gitignore").read_bytes() == mine
    assert ensure_sdd_gitignore(root) is False
    assert (root / ".sdd/.gitignore").read_bytes() == mine


def test_the_lock_creates_sdd_with_its_gitignore_once(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", FILES)
    assert not (root / ".sdd").exists()
    with workspace_lock(root):
        pass
    assert (root / ".sdd/.gitignore").read_bytes() == SDD_GITIGNORE_TEXT
    assert sorted(p.name for p in (root / ".sdd").iterdir()) == [".gitignore", ".lock"]
    (root / ".sdd/.gitignore").unlink()
    (root / ".sdd/.gitignore").symlink_to(tmp_path / "elsewhere")  # dangling: still "there"
    with workspace_lock(root):
        pass
    assert (root / ".sdd/.gitignore").is_symlink()
    assert not (tmp_path / "elsewhere").exists()


def test_init_adds_only_the_missing_lines_to_an_existing_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "ws", {**FILES, ".sdd/.gitignore": "cache\n*.bak\n"})
    assert main(["init", str(root)]) == 0
    out = capsys.readouterr().out
    assert "appended to .sdd/.gitignore: .lock, .*.sdd-tmp, board.json.corrupt-*" in out
    text = (root / ".sdd/.gitignore").read_text()
    assert text.startswith("cache\n*.bak\n# sdd-tui")
    assert "cache/" not in text.splitlines()  # "cache" already covers "cache/"
    again = (root / ".sdd/.gitignore").read_bytes()
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    assert (root / ".sdd/.gitignore").read_bytes() == again
