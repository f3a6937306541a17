"""Reading workspace files without ever blocking, following a loop or trusting a link."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from sdd_tui.model.record import record

MAX_BYTES = 64 * 1024 * 1024


class ReadProblem(OSError):
    """A file that cannot be read as workspace text; ``str()`` is a one-line reason."""


@record
class FileRead:
    data: bytes
    real_path: Path
    outside: bool  # a symlink whose target lies outside the workspace (read-only)
    mode: int


def within(root: Path, path: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def resolve_target(root: Path, path: Path) -> tuple[Path, bool]:
    """The real path behind ``path`` and whether it lies outside ``root``.

    Raises ReadProblem for a symlink loop or a dangling link.
    """
    try:
        real = path.resolve(strict=True)
    except RuntimeError:
        raise ReadProblem("symlink loop") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadProblem("symlink loop") from None
        if exc.errno == errno.ENOENT:
            if path.is_symlink():
                raise ReadProblem("dangling symlink") from None
            raise ReadProblem("file not found") from None
        raise ReadProblem(exc.strerror or str(exc)) from None
    return real, not within(root, real)


def lstat_inside(root: Path, relpath: str) -> os.stat_result | None:
    """``lstat`` of ``root/relpath`` when no component below ``root`` is a symlink, else None.

    A cheap test for the common case: such a path is its own real path below the root, so it
    is inside the workspace and ``lstat`` is its ``stat``.  ``None`` (a link, an odd path, an
    error) means: resolve it with ``resolve_target``, which also gives the right error.
    """
    path = os.fspath(root)
    st = None
    for part in relpath.split("/"):
        if part in ("", ".", ".."):
            return None
        path = f"{path}/{part}"
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            return None
    return st


def read_file(root: Path, path: Path, *, limit: int = MAX_BYTES) -> FileRead:
    """Bytes of a regular file; FIFOs, devices and directories are refused unopened."""
    st = None
    prefix = os.path.join(os.fspath(root), "")
    name = os.fspath(path)
    if name.startswith(prefix):  # no symlink below the root: the path is its own real path
        st = lstat_inside(root, name[len(prefix) :])
    if st is not None:
        real, outside = path, False
    else:
        real, outside = resolve_target(root, path)
        try:
            st = os.stat(real)
        except OSError as exc:
            raise ReadProblem(exc.strerror or str(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadProblem("is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode):
        kind = "FIFO" if stat.S_ISFIFO(st.st_mode) else "special file"
        raise ReadProblem(f"not a regular file ({kind}); not opened")
    if st.st_size > limit:
        raise ReadProblem(f"file too large ({st.st_size} bytes, limit {limit})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise ReadProblem(exc.strerror or str(exc)) from None
    try:
        st2 = os.fstat(fd)
        if not stat.S_ISREG(st2.st_mode):  # swapped between stat and open
            raise ReadProblem("not a regular file; not read")
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise ReadProblem(f"file too large (over {limit} bytes)")
            chunks.append(chunk)
    finally:
        os.close(fd)
    return FileRead(b"".join(chunks), real, outside, stat.S_IMODE(st.st_mode))


def read_optional(root: Path, path: Path) -> FileRead | None:
    """Like read_file, but ``None`` when nothing exists at ``path``."""
    if not os.path.lexists(path):
        return None
    return read_file(root, path)
