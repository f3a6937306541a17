"""``sdd-tui demo``: a git-committed throwaway copy of the bundled sample workspace."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers.git import git

from sdd_tui.cli import demo as demo_module
from sdd_tui.cli.common import CliError
from sdd_tui.cli.demo import COMMIT_MESSAGE, DemoError, demo, prepare_demo
from sdd_tui.resources import is_ignored, sample_workspace_dir

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def sample_files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and ".git" not in p.relative_to(root).parts
        and not any(
            is_ignored(Path(*p.relative_to(root).parts[: i + 1]))
            for i in range(len(p.relative_to(root).parts))
        )
    }


@needs_git
def test_prepare_demo_makes_a_committed_repo(tmp_path: Path) -> None:
    root = prepare_demo(tmp_path / "demo")
    assert root == (tmp_path / "demo").absolute()
    assert (root / ".git").is_dir()
    log = git(root, "log", "--format=%s").splitlines()
    assert log == [COMMIT_MESSAGE]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    # the sample's files are all there, dot-folders included, and all committed
    expected = sample_files(sample_workspace_dir())
    assert sample_files(root) == expected
    assert set(git(root, "ls-files").splitlines()) == expected
    for name in (".sdd/config.yaml", ".specify/memory/constitution.md", "specs"):
        assert (root / name).exists(), name
    assert not (root / ".sdd" / "cache").exists()
    assert not list(root.rglob("__pycache__"))
    # local files that sdd-tui or the sample's tests create later stay out of git status
    (root / ".sdd" / "cache").mkdir()
    (root / ".sdd" / "cache" / "x.json").write_text("{}")
    (root / ".sdd" / ".lock").write_text("")
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


@needs_git
def test_prepare_demo_default_is_a_new_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the system temp folder, here
    first = prepare_demo()
    second = prepare_demo()
    try:
        assert first != second
        assert first.parent == tmp_path and second.parent == tmp_path
        assert first.name.startswith("sdd-tui-demo-")
        assert (first / ".sdd" / "config.yaml").is_file()
        assert git(first, "log", "--format=%s").strip() == COMMIT_MESSAGE
    finally:
        shutil.rmtree(first)
        shutil.rmtree(second)


@needs_git
def test_prepare_demo_without_git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setattr(demo_module, "_git_env", lambda: {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    root = prepare_demo(tmp_path / "demo")
    assert git(root, "config", "--local", "user.name").strip() == demo_module.DEMO_USER_NAME
    assert git(root, "log", "--format=%ae").strip() == demo_module.DEMO_USER_EMAIL


@needs_git
def test_prepare_demo_keeps_the_users_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Ada\n\temail = ada@example.org\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    root = prepare_demo(tmp_path / "demo")
    assert git(root, "log", "--format=%an <%ae>").strip() == "Ada <ada@example.org>"
    assert "user.name" not in git(root, "config", "--local", "--list")


def test_prepare_demo_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_module.shutil, "which", lambda name: None)
    root = prepare_demo(tmp_path / "demo")
    assert not (root / ".git").exists()
    assert sample_files(root) == sample_files(sample_workspace_dir())


def test_prepare_demo_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("keep me")
    with pytest.raises(DemoError, match="not an empty folder"):
        prepare_demo(tmp_path / "demo")
    assert [p.name for p in (tmp_path / "demo").iterdir()] == ["mine.txt"]


def test_prepare_demo_into_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_module.shutil, "which", lambda name: None)
    (tmp_path / "demo").mkdir()
    root = prepare_demo(tmp_path / "demo")
    assert (root / ".sdd" / "config.yaml").is_file()


@needs_git
def test_git_failure_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_git = demo_module._git

    def failing_git(root: Path, *args: str, check: bool = True):  # type: ignore[no-untyped-def]
        if args and args[-1] == COMMIT_MESSAGE:
            raise DemoError("git commit failed: simulated")
        return real_git(root, *args, check=check)

    monkeypatch.setattr(demo_module, "_git", failing_git)
    with pytest.raises(DemoError, match="simulated"):
        prepare_demo(tmp_path / "demo")
    assert not (tmp_path / "demo").exists()


def test_demo_command_opens_the_workbench_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[list[str]] = []

    def fake_run_workbench(argv: list[str]) -> int:
        opened.append(argv)
        assert (Path(argv[0]) / ".sdd" / "config.yaml").is_file()
        return 0

    monkeypatch.setattr("sdd_tui.cli.workbench.run_workbench", fake_run_workbench)
    assert demo([]) == 0
    assert len(opened) == 1
    assert not Path(opened[0][0]).exists(), "the throwaway copy is removed"

    assert demo(["--keep"]) == 0
    kept = Path(opened[1][0])
    try:
        assert kept.is_dir()
    finally:
        shutil.rmtree(kept)

    dest = tmp_path / "mine"
    assert demo(["--dest", str(dest)]) == 0
    assert Path(opened[2][0]) == dest.absolute()
    assert dest.is_dir(), "--dest implies --keep"


def test_demo_command_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(CliError) as info:
        demo(["--bogus"])
    assert info.value.code == 2
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CliError) as info:
        demo(["--dest", str(tmp_path / "full")])
    assert info.value.code == 1
