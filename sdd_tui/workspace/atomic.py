"""Replace a file's bytes atomically: the one temp-file-and-rename every writer uses.

The new bytes go to a temp file in the target's folder (a rename across file systems is no
rename), are fsynced, get the old file's mode and are renamed over the target, so a reader or
a crash sees the old bytes or the new ones, never a mix.  On any failure the temp file is
removed and the target keeps its old bytes.

Imported before the first frame (the theme cache, the parse cache): only ``os`` and ``stat``,
no ``tempfile`` (which pulls in ``random`` and ``shutil``).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

# The watcher ignores names ending in this (workspace/watcher.py): a write is one change.
TEMP_SUFFIX = ".sdd-tmp"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def replace_bytes(
    path: Path,
    data: bytes,
    *,
    mode: int | None = None,
    durable: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Make ``path`` hold exactly ``data``.

    ``mode``: the new file's permission bits; ``None`` keeps the existing file's (a new file
    gets the umask's default).  ``durable=False`` skips the fsyncs, for caches that are
    checked when read and rebuilt when lost.  ``before_replace`` runs after the bytes are
    written and before the rename; whatever it raises cancels the write (a conflict check).
    """
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
    tmp = _write_temp(path, data, mode, durable=durable)
    try:
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def create_bytes(path: Path, data: bytes, *, mode: int | None = None) -> bool:
    """Create ``path`` holding exactly ``data``, whole, and never over a file that exists
    (or appears meanwhile): the bytes are written to a temp file and hard-linked into place.
    False when ``path`` exists; on a file system without hard links, an exclusive create."""
    mode = (0o666 & ~_umask()) if mode is None else mode
    tmp = _write_temp(path, data, mode, durable=False)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here: an exclusive create instead
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
            try:
                out = os.open(path, flags, mode)
            except FileExistsError:
                return False
            with os.fdopen(out, "wb") as fh:
                fh.write(data)
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _write_temp(path: Path, data: bytes, mode: int, *, durable: bool) -> str:
    """A new temp file beside ``path`` holding ``data`` with ``mode`` (fsynced when
    ``durable``); removed again if writing it fails."""
    fd, tmp = _create_temp(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _create_temp(path: Path) -> tuple[int, str]:
    """A new, private file next to ``path`` (never an existing one, never through a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp name beside {path.name}")


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
