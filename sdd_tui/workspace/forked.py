"""Work done in a forked child process, its result sent back as bytes through a pipe.

Used where two CPUs pay: a cold one-shot command parses half of its files in a child
(``FactsCache.prefetch``), and the workbench reads its first snapshot in a child while it
imports the UI (``early_load``).  The child leaves with ``os._exit``: no exit handler, no
buffered output of the parent's is run or flushed twice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def can_fork() -> bool:
    """A fork is safe and pays: ``os.fork`` exists, this process runs no other thread (a
    fork copies no thread, and a lock one of them held would stay held in the child), and
    two CPUs are free for the two processes."""
    threading = sys.modules.get("threading")  # never imported: no other Python thread
    if not hasattr(os, "fork") or (threading is not None and threading.active_count() != 1):
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2


class Child:
    """A forked child writing ``produce()`` to a pipe; ``result()`` waits for it."""

    def __init__(self, pid: int, read_fd: int) -> None:
        self.pid = pid
        self._fd = read_fd

    @classmethod
    def start(cls, produce: Callable[[], bytes]) -> Child | None:
        """Fork a child that sends ``produce()`` and exits (1, sending nothing, if it
        raises); ``None`` when no pipe or process could be made."""
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child
            code = 1
            try:
                os.close(read_fd)
                blob = produce()
                with os.fdopen(write_fd, "wb") as out:
                    out.write(blob)
                code = 0
            except BaseException:  # the parent does the work itself
                pass
            finally:
                os._exit(code)
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> bytes | None:
        """What the child sent, once it has exited; ``None`` if it failed."""
        try:
            with os.fdopen(self._fd, "rb") as pipe:
                blob = pipe.read()
        except OSError:
            blob = b""
        finally:
            try:
                _, status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                status = 1
        return blob if status == 0 else None
