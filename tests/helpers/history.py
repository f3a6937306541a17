"""Repositories with a dated history, built by one ``git fast-import`` (a commit costs no
process of its own), for the replay, progress and activity tests and the burn-up bench.

``build_history(root, commits)`` writes each ``Commit`` (its time, author, message and the
files it sets or deletes) on ``main`` and checks the last one out.  A rename is a delete and
an add of the same bytes in one commit (git's rename detection finds it).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from helpers.git import git, git_env

DAY = 86_400
T0 = 1_700_006_400  # 2023-11-15T00:00:00Z: days start at midnight UTC
HUMAN = "Test Author <author@example.com>"


@dataclass
class Commit:
    day: float  # days after T0
    files: dict[str, str | None]  # path -> new text (None: deleted)
    message: str = "change"
    author: str = HUMAN

    @property
    def time(self) -> int:
        return T0 + round(self.day * DAY)


@dataclass
class Tasks:
    """A tasks.md of numbered tasks ``T001``…: ``done`` ticked, ``doing`` marked ``[-]``."""

    count: int
    done: set[int] = field(default_factory=set)
    doing: set[int] = field(default_factory=set)
    kiro: bool = False

    def text(self) -> str:
        lines = ["# Tasks", ""]
        for n in range(1, self.count + 1):
            mark = "x" if n in self.done else "-" if n in self.doing else " "
            name = f"{n}. Task {n}" if self.kiro else f"T{n:03d} Task {n}"
            lines.append(f"- [{mark}] {name}")
        return "\n".join(lines) + "\n"


def _data(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return b"data %d\n" % len(raw) + raw + b"\n"


def fast_import_stream(commits: Sequence[Commit], branch: str = "main") -> bytes:
    out: list[bytes] = []
    for n, c in enumerate(commits, start=1):
        who = f"{c.author} {c.time} +0000".encode()
        out.append(f"commit refs/heads/{branch}\nmark :{n}\n".encode())
        out.append(b"author " + who + b"\ncommitter " + who + b"\n")
        out.append(_data(c.message))
        if n > 1:
            out.append(f"from :{n - 1}\n".encode())
        for path, text in c.files.items():
            if text is None:
                out.append(f"D {path}\n".encode())
            else:
                out.append(f"M 100644 inline {path}\n".encode() + _data(text))
        out.append(b"\n")
    return b"".join(out)


def build_history(root: Path, commits: Sequence[Commit], *, checkout: bool = True) -> list[str]:
    """A new repository at ``root`` holding ``commits`` on ``main``; their ids, oldest first."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=root,
        input=fast_import_stream(commits),
        check=True,
        env=git_env(),
        capture_output=True,
    )
    if checkout:
        git(root, "reset", "-q", "--hard", "main")
    return git(root, "rev-list", "--reverse", "main").split()


def append_commits(root: Path, commits: Sequence[Commit]) -> None:
    """More commits on top of ``main`` (through ``git commit``: a few per test at most)."""
    for c in commits:
        for path, text in c.files.items():
            target = root / path
            if text is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-qm", c.message, f"--author={c.author}", date=c.time)


def board(entries: dict[str, str]) -> str:
    """A canonical ``.sdd/board.json`` putting each task key in a column."""
    import json

    data = {"tasks": {k: {"column": v} for k, v in entries.items()}, "version": 1}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


# ------------------------------------------------------------------------- the story repository

ALPHA = "001-alpha"
ALPHA_TASKS = f"specs/{ALPHA}/tasks.md"
OLD_TASKS = "specs/001-old/tasks.md"  # the task file's path before the folder was renamed
BETA = "beta"  # a Kiro feature
BETA_TASKS = f".kiro/specs/{BETA}/tasks.md"
SPEC = "# Feature Specification: Alpha\n"
CONFIG = "agents:\n  - Robo Helper\n"
CLAUDE = "Claude <noreply@anthropic.com>"
DEVIN = "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>"
ROBO = "Robo Helper <robo@example.com>"
TRAILER = "\n\nCo-authored-by: GitHub Copilot <copilot@github.com>\n"


def story() -> list[Commit]:
    """Spec Kit's 001-alpha (renamed from 001-old on day 2) and Kiro's beta, over 8 days:

    day 0  both created: alpha T001-T004 open, beta 1-3 open
    day 1  Claude ticks T001 and starts beta's task 1 (``[-]``)
    day 2  the folder 001-old becomes 001-alpha
    day 3  board.json puts T002 in progress
    day 5  T002 ticked, T005 added, beta 1 ticked (a human with a Copilot trailer)
    day 6  Devin's bot unticks T001
    day 7  Robo Helper (an agent by the config's list) ticks T003
    day 8  T004 ticked
    """
    alpha = Tasks(4)
    beta = Tasks(3, kiro=True)
    out = [
        Commit(0, {OLD_TASKS: alpha.text(), "specs/001-old/spec.md": SPEC,
                   BETA_TASKS: beta.text(), ".sdd/config.yaml": CONFIG}, "start"),
    ]  # fmt: skip
    alpha.done.add(1)
    beta.doing.add(1)
    out.append(Commit(1, {OLD_TASKS: alpha.text(), BETA_TASKS: beta.text()}, "T001", CLAUDE))
    out.append(
        Commit(2, {OLD_TASKS: None, "specs/001-old/spec.md": None, ALPHA_TASKS: alpha.text(),
                   f"specs/{ALPHA}/spec.md": SPEC}, "rename")
    )  # fmt: skip
    out.append(Commit(3, {".sdd/board.json": board({f"{ALPHA}/T002": "in_progress"})}, "start"))
    alpha.done.add(2)
    alpha.count = 5
    beta.doing.discard(1)
    beta.done.add(1)
    out.append(Commit(5, {ALPHA_TASKS: alpha.text(), BETA_TASKS: beta.text()}, "T002" + TRAILER))
    alpha.done.discard(1)
    out.append(Commit(6, {ALPHA_TASKS: alpha.text()}, "not T001 after all", DEVIN))
    alpha.done.add(3)
    out.append(Commit(7, {ALPHA_TASKS: alpha.text()}, "T003", ROBO))
    alpha.done.add(4)
    out.append(Commit(8, {ALPHA_TASKS: alpha.text()}, "T004"))
    return out


def story_alpha_text() -> str:
    """alpha's tasks.md at the story's last commit."""
    return Tasks(5, done={2, 3, 4}).text()
