"""Waiting until files written by someone else stop changing.

An agent or an editor may be half-way through a write when the watcher reports it: reading
then would show a board with half its tasks.  The watcher's reload waits here until the
reported files hold still.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

STABLE_READS = 2
STABLE_DELAY = 0.015
STABLE_MAX_WAIT = 1.0
SUSPECT_QUIET = 0.3  # a file that looks cut off must stay unchanged this long


def wait_until_stable(
    root: Path, paths: set[str], superseded: Callable[[], bool] | None = None
) -> None:
    """Return once none of ``paths`` changes between two reads (or after a second).

    A file that looks half-written — empty, or not ending in a newline (a writer stopped
    mid-line) — must stay unchanged for ``SUSPECT_QUIET`` instead, so an agent pausing in
    the middle of an in-place write does not show a board with half its tasks.
    Returns early once ``superseded()`` says a newer batch will reload anyway.
    """
    files = [root / p for p in paths if p != "." and not p.startswith(".git/")]
    deadline = time.monotonic() + STABLE_MAX_WAIT
    last: dict[Path, tuple[int, int, int] | None] = {f: _stat(f) for f in files}
    if _quiet_already(last) and not any(map(_looks_cut, files)):
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
            time.monotonic() - changed_at >= SUSPECT_QUIET or not any(map(_looks_cut, files))
        ):
            return


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
