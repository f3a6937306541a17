"""git as a program, for the readers across places and time (``git_places``, ``git_history``).

Plain ``git`` processes rather than GitPython: a log or a ``cat-file --batch`` pipe answers for
many objects in one process, and a one-shot command does not pay GitPython's import.  Every
command runs with the user's ``GIT_*`` variables dropped, the repository's programs switched
off (``workspace.git._SAFE_GIT_ENV``), no optional locks (reading another worktree's status
never rewrites its index), no prompt, no pager, paths unquoted, and a timeout.  Failures raise
:class:`GitError`, whose message is one line for people.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Self

from sdd_tui.workspace.git import _SAFE_GIT_ENV

TIMEOUT = 60.0
# Paths as they are (not C-quoted when not ASCII), so that a log line names the same path as
# the workspace does; no pager.
OPTIONS = ("-c", "core.quotePath=false", "--no-pager")


class GitError(Exception):
    """A git command failed (or git is missing): ``str()`` is one line for people."""


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        _SAFE_GIT_ENV, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C"
    )
    return env


def run_git(cwd: Path, *args: str, ok: Iterable[int] = (0,)) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``cwd``, its output captured; an exit code outside ``ok`` raises."""
    try:
        proc = subprocess.run(
            ["git", *OPTIONS, *args],
            cwd=cwd,
            capture_output=True,
            env=git_env(),
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {TIMEOUT:.0f} s") from None
    except OSError as exc:
        raise GitError(f"git could not run: {exc}") from None
    if proc.returncode not in tuple(ok):
        raise GitError(first_line(proc.stderr) or f"git {args[0]} exited {proc.returncode}")
    return proc


def first_line(raw: bytes) -> str:
    """git's first message line, without its "fatal: " or "error: "."""
    for line in raw.decode("utf-8", "replace").splitlines():
        line = line.removeprefix("fatal: ").removeprefix("error: ").strip()
        if line:
            return line
    return ""


class CatFile:
    """One ``git cat-file --batch`` process answering for every object asked (close it when
    done): each is read when it is needed, so a long history is never all in memory."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self._proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            try:
                self._proc = subprocess.Popen(
                    ["git", *OPTIONS, "cat-file", "--batch"],
                    cwd=self.cwd,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=git_env(),
                )
            except OSError as exc:
                raise GitError(f"git cat-file could not run: {exc}") from None
        return self._proc

    def read(self, oid: str) -> tuple[str, bytes] | None:
        """(type, bytes) of an object; None when the repository lacks it (beyond a shallow
        boundary, garbage-collected)."""
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(oid.encode("ascii") + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) != 3:
                if len(header) == 2 and header[1] == b"missing":
                    return None
                raise GitError("git cat-file stopped answering")
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after the content
        except (OSError, ValueError, UnicodeEncodeError) as exc:
            raise GitError(f"git cat-file failed: {exc}") from None
        if len(data) != size:
            raise GitError("git cat-file stopped mid-object")
        return header[1].decode("ascii"), data

    def blob(self, oid: str) -> bytes | None:
        found = self.read(oid)
        return found[1] if found is not None and found[0] == "blob" else None

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout is not None:
                proc.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
