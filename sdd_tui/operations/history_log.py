"""Reading `.sdd/history.jsonl` (written by ``operations.history``): below the board
operations, which ask it for a task's own done mark, and below undo/redo, which replay it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sdd_tui.model.items import DONE_MARKS
from sdd_tui.workspace.fsread import ReadProblem, read_optional
from sdd_tui.workspace.snapshot import HISTORY_PATH


def _history_bytes(root: Path) -> bytes:
    try:
        read = read_optional(root, root / HISTORY_PATH)
    except ReadProblem:
        return b""
    return b"" if read is None else read.data


def _entry(line: bytes) -> dict[str, Any] | None:
    line = line.strip()
    if not line:
        return None
    try:
        obj = json.loads(line.decode("utf-8", "replace"))
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def read_history(root: Path) -> list[dict[str, Any]]:
    """Every entry that parses, in order; lines that do not are skipped, never rewritten."""
    out = []
    for line in _history_bytes(root).splitlines():
        entry = _entry(line)
        if entry is not None:
            out.append(entry)
    return out


def last_done_mark(root: Path, feature: str, task: str) -> str | None:
    """The done mark (``x`` or ``X``) ``task`` had the last time the history saw it done,
    or None when it never did.  Read from the end, parsing only the lines naming the task
    (a long history costs a byte search, not a JSON parse per line)."""
    needle = json.dumps(task, ensure_ascii=False).encode("utf-8")
    for line in reversed(_history_bytes(root).splitlines()):
        if needle not in line:
            continue
        e = _entry(line)
        if e is None or e.get("feature") != feature or e.get("task") != task:
            continue
        for key in ("to_mark", "from_mark"):  # the later state first
            mark = e.get(key)
            if isinstance(mark, str) and mark in DONE_MARKS:
                return mark
    return None
