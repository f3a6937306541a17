"""Atomic, conflict-checked writes.

Every write goes to a temp file in the same folder, is fsynced, gets the old file's mode and
is renamed over the target, so a reader (or a crash) sees the old bytes or the new bytes,
never a mix.  Writers in sdd-tui processes serialise on ``.sdd/.lock``; against other
writers (editors, agents) the caller passes the bytes its edit was computed from, and the
write is refused with ``Conflict`` when the file no longer holds them, so the caller can
re-read and re-apply instead of overwriting someone else's edit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from sdd_tui.workspace.atomic import create_bytes, replace_bytes
from sdd_tui.workspace.fsread import ReadProblem, read_optional, resolve_target, within
from sdd_tui.workspace.generation import LOCK_PATH, generation_at, set_generation

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class WriteRefused(Exception):
    """A write that must not happen (outside the workspace, not a regular file, …)."""


class Conflict(Exception):
    """The file changed on disk since the edit was computed."""


def write_target(root: Path, path: Path) -> Path:
    """The real file a write to ``path`` lands on; refuses links that leave ``root``."""
    if not os.path.lexists(path):
        parent = path.parent.resolve()
        if not within(root.resolve(), parent):
            raise WriteRefused(f"{path}: folder lies outside the workspace")
        return parent / path.name
    try:
        real, outside = resolve_target(root.resolve(), path)
    except ReadProblem as exc:
        raise WriteRefused(f"{path.name}: {exc}") from None
    if outside:
        raise WriteRefused(f"{path.name}: symlink to a file outside the workspace; not written")
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"{path.name}: not a regular file; not written")
    return real


def atomic_write(
    root: Path, path: Path, data: bytes, *, expected: bytes | object | None = ...
) -> None:
    """Replace ``path`` with ``data`` atomically.

    ``expected``: the bytes the caller's edit was computed from (``None`` = the file must not
    exist); when given and the file holds something else, ``Conflict`` is raised and nothing
    is written.
    """
    target = write_target(root, path)
    if expected is ...:
        replace_bytes(target, data)
        return
    _check_unchanged(root, target, expected)  # type: ignore[arg-type]
    # … and again just before the rename: an editor may have saved while we wrote
    replace_bytes(
        target,
        data,
        before_replace=lambda: _check_unchanged(root, target, expected),  # type: ignore[arg-type]
    )


def _check_unchanged(root: Path, target: Path, expected: bytes | None) -> None:
    try:
        current = read_optional(root.resolve(), target)
    except ReadProblem as exc:
        raise Conflict(f"{target.name}: {exc}") from None
    data = None if current is None else current.data
    if data != expected:
        raise Conflict(f"{target.name} changed on disk")


def append_line(root: Path, path: Path, line: bytes) -> None:
    """Append one line with a single O_APPEND write (atomic for small lines)."""
    target = write_target(root, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The target was checked above; if it was swapped since for a link or a FIFO, fail
    # instead of following it out of the workspace or blocking on it.
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _NONBLOCK
    fd = os.open(target, flags, 0o666)
    try:
        if os.fstat(fd).st_size > 0:
            with open(target, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    line = b"\n" + line
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


class HeldLock:
    """The workspace lock while it is held."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    @contextlib.contextmanager
    def several_files(self) -> Iterator[None]:
        """Bracket a write of more than one file: the write generation is odd meanwhile
        (see ``workspace/generation.py``), so readers re-read instead of pairing a file
        from before it with a file from after it."""
        odd = generation_at(self._fd) // 2 * 2 + 1
        set_generation(self._fd, odd)
        try:
            yield
        finally:
            set_generation(self._fd, odd + 1)


@contextlib.contextmanager
def workspace_lock(root: Path, timeout: float = 10.0) -> Iterator[HeldLock]:
    """An exclusive advisory lock shared by every sdd-tui process on this workspace."""
    import fcntl

    lock = root / LOCK_PATH
    lock.parent.mkdir(parents=True, exist_ok=True)
    ensure_sdd_gitignore(root)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK, 0o666)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise WriteRefused("workspace is locked by another sdd-tui process") from None
                time.sleep(0.005)
        yield HeldLock(fd)
    finally:
        os.close(fd)


SDD_GITIGNORE = ".sdd/.gitignore"
# What sdd-tui keeps in .sdd/ that is no one's to commit: the lock (and its write
# generation), the parse cache, atomic writes' temp files, backups of a corrupt board.json.
SDD_IGNORED = (".lock", "cache/", ".*.sdd-tmp", "board.json.corrupt-*")
SDD_GITIGNORE_TEXT = (
    "# Written by sdd-tui: its lock, cache and temp files stay out of git. board.json,\n"
    "# history.jsonl and config.yaml are meant to be committed. This file ignores itself;\n"
    "# sdd-tui never rewrites it once it exists.\n" + "\n".join((*SDD_IGNORED, ".gitignore", ""))
).encode()


def ensure_sdd_gitignore(root: Path) -> bool:
    """Create ``.sdd/.gitignore`` when there is none; ``True`` when it was created.

    Called whenever sdd-tui takes the workspace lock (which creates ``.sdd/`` and the lock
    file), so those never show up in ``git status``.  An existing file, whoever wrote it, is
    never changed (``sdd-tui init`` adds missing lines to it, and says so); the file ignores
    itself, so creating it leaves nothing new to commit either.  Only inside a real ``.sdd``
    folder (not a symlink to somewhere else).
    """
    folder = root / ".sdd"
    target = root / SDD_GITIGNORE
    if os.path.lexists(target) or folder.is_symlink() or not folder.is_dir():
        return False
    try:
        return create_bytes(target, SDD_GITIGNORE_TEXT)
    except OSError:
        return False  # a read-only .sdd/: nothing to keep clean then
