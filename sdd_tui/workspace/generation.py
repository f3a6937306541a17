"""The write generation: how readers tell that a write of several files went on meanwhile.

One operation may have to replace two files (a move between "review" and "done" flips a box
in ``tasks.md`` and changes an entry of ``.sdd/board.json``).  Each file is replaced
atomically, but not both at once, and a reader that reads them one after the other may pair
a file from before with a file from after.  So such writes are bracketed, under the workspace
lock, by a counter kept in the lock file itself (``.sdd/.lock``, never committed): made odd
before the first file is written, even after the last one (a seqlock).  A reader notes the
counter, waits while it is odd and the lock is held, reads, and reads again when the counter
moved in between (see ``loader.load_root``).

Readers that know nothing of the counter (git, an editor, an older sdd-tui) are served by the
order of the writes instead: see ``operations/board.py``.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

LOCK_PATH = ".sdd/.lock"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_MAX_DIGITS = 32

SETTLE_TIMEOUT = 2.0  # a writer holds the lock for milliseconds; after this, read anyway
_SETTLE_POLL = 0.002


def generation_at(fd: int) -> int:
    """The counter in an open lock file (0 when it holds none: an older sdd-tui's lock)."""
    try:
        head = os.pread(fd, _MAX_DIGITS, 0)
    except OSError:
        return 0
    first = head.split(b"\n", 1)[0].strip()
    return int(first) if first.isdigit() else 0


def set_generation(fd: int, value: int) -> None:
    """Write ``value`` over the lock file's content (the caller holds the lock).

    Written first and cut after, so a reader in between still finds the new number on the
    first line.
    """
    data = b"%d\n" % value
    try:
        os.pwrite(fd, data, 0)
        os.ftruncate(fd, len(data))
    except OSError:
        pass  # not a regular file (a FIFO planted there): readers rely on the write order


def read_generation(root: Path) -> tuple[int, bool]:
    """(counter, a write of several files is under way now) for the workspace at ``root``.

    Never creates the lock file and never waits: a workspace without one has counter 0.
    An odd counter with nobody holding the lock is what a writer killed half-way left:
    nothing is under way (and the order of its writes kept the files consistent).
    """
    try:
        fd = os.open(root / LOCK_PATH, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError:
        return 0, False
    try:
        value = generation_at(fd)
        return value, value % 2 == 1 and _held(fd)
    finally:
        os.close(fd)


def settled_generation(root: Path, timeout: float = SETTLE_TIMEOUT) -> int:
    """The counter once no write of several files is under way (or after ``timeout``)."""
    value, busy = read_generation(root)
    deadline = time.monotonic() + timeout
    while busy and time.monotonic() < deadline:
        time.sleep(_SETTLE_POLL)
        value, busy = read_generation(root)
    return value


def _held(fd: int) -> bool:
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as exc:
        return exc.errno in (errno.EAGAIN, errno.EACCES)
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False
