"""The bundled sample workspace as the tests use it: its active feature and its files.

``002-meal-planner`` is the active feature (``.specify/feature.json``); tests work on a private
copy (the ``sample`` fixture in ``tests/conftest.py``), never on the bundled one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers.files import SAMPLE, read

FEATURE = "002-meal-planner"
TASKS_MD = Path("specs") / FEATURE / "tasks.md"
SPEC_MD = Path("specs") / FEATURE / "spec.md"
PLAN_MD = Path("specs") / FEATURE / "plan.md"
BOARD_JSON = Path(".sdd") / "board.json"
HISTORY = Path(".sdd") / "history.jsonl"


def copy_sample(dest: Path) -> Path:
    """A private copy of the sample workspace at ``dest`` (its name shows in the header)."""
    shutil.copytree(SAMPLE, dest)
    return dest


def tasks_path(root: Path) -> Path:
    return root / TASKS_MD


def state(root: Path) -> tuple[bytes, bytes]:
    """(tasks.md bytes, board.json bytes) of the active feature; ``b""`` for a missing file."""
    return read(root, TASKS_MD), read(root, BOARD_JSON)


def line_of_task(tasks_md: bytes, task_id: str) -> bytes:
    """The one line of ``tasks_md`` that holds task ``task_id``."""
    box = re.compile(rb"^\s*[-*+] \[.\] " + re.escape(task_id.encode()) + rb"\b")
    hits = [ln for ln in tasks_md.split(b"\n") if box.match(ln)]
    assert len(hits) == 1, hits
    return hits[0]


def new_task_lines(n0: int, count: int, text: str = "Added from outside") -> str:
    """``count`` open task lines ``T<n0>``… as an agent would append them."""
    return "".join(f"- [ ] T{n:03d} {text} {n}\n" for n in range(n0, n0 + count))


def insert_after(data: str, anchor: str, extra: str) -> str:
    """``data`` with ``extra`` inserted after the line holding ``anchor``."""
    i = data.index(anchor)
    j = data.index("\n", i) + 1
    return data[:j] + extra + data[j:]
