"""The atomic, conflict-checked writer and the non-blocking reader beneath every edit."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from sdd_tui.workspace import writer
from sdd_tui.workspace.fsread import ReadProblem, read_file, read_optional
from sdd_tui.workspace.writer import (
    Conflict,
    WriteRefused,
    append_line,
    atomic_write,
    workspace_lock,
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "ws"
    (r / "specs").mkdir(parents=True)
    return r


def temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".sdd-tmp")]


def test_replaces_the_content(root: Path) -> None:
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"old\n")
    atomic_write(root, path, b"new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert temps(path.parent) == []


def test_replaces_the_inode_atomically(root: Path) -> None:
    """A reader holding the old file keeps seeing the old bytes (rename, not rewrite)."""
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"old\n")
    with path.open("rb") as held:
        atomic_write(root, path, b"new\n")
        assert held.read() == b"old\n"
    assert path.read_bytes() == b"new\n"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o755, 0o444])
def test_mode_is_kept(root: Path, mode: int) -> None:
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"old\n")
    os.chmod(path, mode)
    atomic_write(root, path, b"new\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_bytes() == b"new\n"


def test_new_file_gets_the_umask_mode(root: Path) -> None:
    old = os.umask(0o027)
    try:
        path = root / "specs" / "new.md"
        atomic_write(root, path, b"x\n", expected=None)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes() == b"x\n"


def test_conflict_when_expected_bytes_differ(root: Path) -> None:
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"someone else's\n")
    with pytest.raises(Conflict):
        atomic_write(root, path, b"mine\n", expected=b"what I read\n")
    assert path.read_bytes() == b"someone else's\n"
    assert temps(path.parent) == []


def test_expected_none_means_the_file_must_not_exist(root: Path) -> None:
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"appeared\n")
    with pytest.raises(Conflict):
        atomic_write(root, path, b"mine\n", expected=None)
    assert path.read_bytes() == b"appeared\n"


def test_expected_bytes_that_match_write(root: Path) -> None:
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"v1\n")
    atomic_write(root, path, b"v2\n", expected=b"v1\n")
    assert path.read_bytes() == b"v2\n"


def test_conflict_after_the_temp_file_is_written(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second check (just before the rename) catches a write made meanwhile."""
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"v1\n")
    real_fsync = os.fsync

    def fsync_then_race(fd: int) -> None:
        real_fsync(fd)
        if path.read_bytes() == b"v1\n":
            path.write_bytes(b"theirs\n")

    monkeypatch.setattr(writer.os, "fsync", fsync_then_race)
    with pytest.raises(Conflict):
        atomic_write(root, path, b"mine\n", expected=b"v1\n")
    assert path.read_bytes() == b"theirs\n"
    assert temps(path.parent) == []


@pytest.mark.parametrize("fail_at", ["write", "fsync", "fchmod", "replace"])
def test_temp_file_is_removed_on_failure(
    root: Path, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"old\n")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, fail_at, boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write(root, path, b"new\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"old\n"
    assert temps(path.parent) == []


def test_temp_file_is_removed_on_interrupt(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = root / "specs" / "tasks.md"
    path.write_bytes(b"old\n")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(root, path, b"new\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"old\n"
    assert temps(path.parent) == []


def test_refuses_a_symlink_out_of_the_root(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"theirs\n")
    link = root / "specs" / "tasks.md"
    link.symlink_to(outside)
    with pytest.raises(WriteRefused):
        atomic_write(root, link, b"mine\n")
    assert outside.read_bytes() == b"theirs\n"
    assert link.is_symlink()
    assert temps(link.parent) == []


def test_refuses_a_relative_symlink_that_climbs_out(root: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_bytes(b"theirs\n")
    link = root / "specs" / "tasks.md"
    link.symlink_to("../../secret.md")
    with pytest.raises(WriteRefused):
        atomic_write(root, link, b"mine\n")
    assert (tmp_path / "secret.md").read_bytes() == b"theirs\n"


def test_refuses_a_new_file_in_a_folder_linked_out_of_the_root(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "linked").symlink_to(elsewhere)
    with pytest.raises(WriteRefused):
        atomic_write(root, root / "linked" / "new.md", b"x\n", expected=None)
    assert list(elsewhere.iterdir()) == []


def test_writes_through_a_symlink_inside_the_root_to_its_target(root: Path) -> None:
    target = root / "specs" / "real.md"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)
    link = root / "specs" / "tasks.md"
    link.symlink_to("real.md")
    atomic_write(root, link, b"new\n", expected=b"old\n")
    assert link.is_symlink()  # the link stays a link …
    assert os.readlink(link) == "real.md"
    assert target.read_bytes() == b"new\n"  # … and its target gets the bytes
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_refuses_a_symlink_loop(root: Path) -> None:
    link = root / "specs" / "tasks.md"
    link.symlink_to("tasks.md")
    with pytest.raises(WriteRefused, match="loop"):
        atomic_write(root, link, b"x\n")
    assert link.is_symlink()


def test_refuses_a_dangling_symlink(root: Path) -> None:
    link = root / "specs" / "tasks.md"
    link.symlink_to("/nonexistent/far/away.md")
    with pytest.raises(WriteRefused):
        atomic_write(root, link, b"x\n")
    assert link.is_symlink()


def test_refuses_a_fifo_and_a_directory(root: Path) -> None:
    fifo = root / "specs" / "tasks.md"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefused, match="regular"):
        atomic_write(root, fifo, b"x\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    folder = root / "specs" / "dir.md"
    folder.mkdir()
    with pytest.raises(WriteRefused):
        atomic_write(root, folder, b"x\n")
    assert folder.is_dir()


def test_works_when_root_itself_is_reached_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "specs").mkdir(parents=True)
    (real / "specs" / "tasks.md").write_bytes(b"old\n")
    (tmp_path / "alias").symlink_to(real)
    alias = tmp_path / "alias"
    atomic_write(alias, alias / "specs" / "tasks.md", b"new\n", expected=b"old\n")
    assert (real / "specs" / "tasks.md").read_bytes() == b"new\n"


# --- append_line ----------------------------------------------------------------------------


def test_append_line_creates_and_appends(root: Path) -> None:
    path = root / ".sdd" / "history.jsonl"
    append_line(root, path, b'{"a": 1}\n')
    append_line(root, path, b'{"a": 2}\n')
    assert path.read_bytes() == b'{"a": 1}\n{"a": 2}\n'


def test_append_line_starts_a_new_line_after_a_cut_one(root: Path) -> None:
    path = root / ".sdd" / "history.jsonl"
    path.parent.mkdir()
    path.write_bytes(b'{"a": 1}\n{"cut')
    append_line(root, path, b'{"a": 2}\n')
    assert path.read_bytes() == b'{"a": 1}\n{"cut\n{"a": 2}\n'


def test_append_line_refuses_a_link_out(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "log"
    outside.write_bytes(b"")
    (root / ".sdd").mkdir()
    (root / ".sdd" / "history.jsonl").symlink_to(outside)
    with pytest.raises(WriteRefused):
        append_line(root, root / ".sdd" / "history.jsonl", b"x\n")
    assert outside.read_bytes() == b""


def test_append_line_refuses_a_fifo(root: Path) -> None:
    (root / ".sdd").mkdir()
    os.mkfifo(root / ".sdd" / "history.jsonl")
    with pytest.raises(WriteRefused):
        append_line(root, root / ".sdd" / "history.jsonl", b"x\n")


# --- workspace_lock -------------------------------------------------------------------------


def test_workspace_lock_serialises_writers(root: Path) -> None:
    order: list[str] = []
    inside = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with workspace_lock(root):
            order.append("a-in")
            inside.set()
            release.wait(5)
            order.append("a-out")

    t = threading.Thread(target=holder)
    t.start()
    assert inside.wait(5)
    threading.Timer(0.05, release.set).start()
    with workspace_lock(root):
        order.append("b-in")
    t.join(5)
    assert order == ["a-in", "a-out", "b-in"]


def test_workspace_lock_times_out(root: Path) -> None:
    with (
        workspace_lock(root),
        pytest.raises(WriteRefused, match="locked"),
        workspace_lock(root, timeout=0.05),
    ):
        pass


# --- fsread ---------------------------------------------------------------------------------


def test_read_file_refuses_a_fifo_without_opening_it(root: Path) -> None:
    fifo = root / "specs" / "tasks.md"
    os.mkfifo(fifo)
    with pytest.raises(ReadProblem, match="FIFO"):
        read_file(root, fifo)


def test_read_file_marks_links_out_of_the_root(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "o.md"
    outside.write_bytes(b"x")
    (root / "specs" / "tasks.md").symlink_to(outside)
    r = read_file(root, root / "specs" / "tasks.md")
    assert r.outside and r.data == b"x"


def test_read_file_size_limit(root: Path) -> None:
    path = root / "specs" / "big.md"
    path.write_bytes(b"x" * 100)
    with pytest.raises(ReadProblem, match="too large"):
        read_file(root, path, limit=10)


def test_read_optional(root: Path) -> None:
    assert read_optional(root, root / "nothing.md") is None
    (root / "specs" / "dangling.md").symlink_to("nope.md")
    with pytest.raises(ReadProblem, match="dangling"):
        read_optional(root, root / "specs" / "dangling.md")


def test_lock_file_linked_out_of_the_root_is_not_followed(root: Path, tmp_path: Path) -> None:
    (root / ".sdd").mkdir()
    target = tmp_path / "created-outside"
    (root / ".sdd" / ".lock").symlink_to(target)
    with pytest.raises(OSError), workspace_lock(root):
        pass
    assert not target.exists()
