"""Waiting until files an outside writer changed stop changing, before reading them.

An agent may be half-way through a write when the watcher reports it.  A batch is read once
its files stop changing between two looks; a file that looks cut off (empty, or its last
byte not a newline: a writer stopped mid-line) must stay unchanged for ``SUSPECT_QUIET``
instead, so an agent pausing in the middle of an in-place write does not show a board with
half its tasks.  But a file that had no final newline before the change was not cut by it:
it is written that way, and waiting 0.3 s on each of its changes only made it slow to show.
So what each file ended with when last read is remembered (``FileEndings``).
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

STABLE_READS = 2
STABLE_DELAY = 0.015
STABLE_MAX_WAIT = 1.0
SUSPECT_QUIET = 0.3  # a file that looks cut off must stay unchanged this long


class FileEndings:
    """Whether each file ended with a newline (or was missing) the last time it was read.

    Unknown files count as having ended with one: their first change is judged as before.
    """

    def __init__(self) -> None:
        self._ended: dict[Path, bool] = {}
        self._lock = threading.Lock()

    def had_newline(self, path: Path) -> bool:
        with self._lock:
            return self._ended.get(path, True)

    def remember(self, paths: list[Path]) -> None:
        """Note how ``paths`` end now (call it once their content is the one read)."""
        ends = {p: not _looks_cut(p) for p in paths}
        with self._lock:
            self._ended.update(ends)


# What this process last saw, for callers that keep no ``FileEndings`` of their own.
SEEN = FileEndings()


def wait_until_stable(
    root: Path,
    paths: set[str],
    superseded: Callable[[], bool] | None = None,
    endings: FileEndings | None = None,
) -> None:
    """Return once none of ``paths`` changes between two reads (or after a second).

    A file that looks half-written — empty, or not ending in a newline — while it ended
    with a newline before (``endings``, default: what this process saw last) must stay
    unchanged for ``SUSPECT_QUIET`` instead.  Returns early once ``superseded()`` says a
    newer batch will reload anyway.
    """
    endings = SEEN if endings is None else endings
    files = [root / p for p in paths if p != "." and not p.startswith(".git/")]

    def suspect() -> bool:
        return any(_looks_cut(f) and endings.had_newline(f) for f in files)

    deadline = time.monotonic() + STABLE_MAX_WAIT
    last: dict[Path, tuple[int, int, int] | None] = {f: _stat(f) for f in files}
    if _quiet_already(last) and not suspect():
        endings.remember(files)
        return  # last written STABLE_DELAY ago or more: no need to watch it for that long
    changed_at = time.monotonic()
    stable = 0
    while files and time.monotonic() < deadline:
        time.sleep(STABLE_DELAY)
        if superseded is not None and superseded():
            return
        now = {f: _stat(f) for f in files}
        if now != last:
            stable, last, changed_at = 0, now, time.monotonic()
            continue
        stable += 1
        if stable >= STABLE_READS - 1 and (
            time.monotonic() - changed_at >= SUSPECT_QUIET or not suspect()
        ):
            break
    endings.remember(files)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _quiet_already(stats: dict[Path, tuple[int, int, int] | None]) -> bool:
    """Every file's mtime is at least ``STABLE_DELAY`` old (and not in the future)."""
    now = time.time_ns()
    return all(
        st is None or STABLE_DELAY * 1e9 <= now - st[1] <= 3600 * 1e9 for st in stats.values()
    )


def _looks_cut(path: Path) -> bool:
    """An empty regular file, or one whose last byte is not a newline."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # never open a FIFO or a device
            return False
        if st.st_size == 0:
            return True
        with open(path, "rb") as fh:
            fh.seek(st.st_size - 1)
            return fh.read(1) != b"\n"
    except OSError:
        return False
