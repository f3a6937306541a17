"""`.sdd/board.json`: the columns and order that the Markdown boxes cannot hold.

Canonical form: sorted keys, 2-space indent, trailing newline, one entry per task key
(``<feature>/<task key>``), so that two people's moves merge cleanly in git.  Keys this
version does not know are kept as they are.
"""

from __future__ import annotations

import json
from typing import Any

from sdd_tui.model.workspace import Problem

VERSION = 1


class BoardStateError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def parse_board(raw: bytes) -> dict[str, Any]:
    """The board document; raises BoardStateError (with a line when known) if unusable."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoardStateError("board.json is not valid UTF-8") from exc
    if not text.strip():
        return empty_board()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoardStateError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict):
        raise BoardStateError("board.json must hold a JSON object", 1)
    tasks = data.get("tasks", {})
    if not isinstance(tasks, dict) or not all(isinstance(v, dict) for v in tasks.values()):
        raise BoardStateError("'tasks' must map task keys to objects")
    data.setdefault("tasks", tasks)
    data.setdefault("version", VERSION)
    return data


def load_board(raw: bytes | None, path: str) -> tuple[dict[str, Any], list[Problem]]:
    if raw is None:
        return empty_board(), []
    try:
        return parse_board(raw), []
    except BoardStateError as exc:
        return empty_board(), [Problem(path, f"{exc}; board columns reset", exc.line)]


def empty_board() -> dict[str, Any]:
    return {"tasks": {}, "version": VERSION}


def dump_board(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def entry(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get("tasks", {}).get(key)
    return value if isinstance(value, dict) else {}


def update_entry(data: dict[str, Any], key: str, **changes: Any) -> dict[str, Any]:
    """A copy of ``data`` with the entry for ``key`` changed (``None`` values removed).

    An entry left empty is dropped, so a task back in its natural column leaves no trace.
    """
    tasks = dict(data.get("tasks", {}))
    current = dict(tasks.get(key, {}))
    for name, value in changes.items():
        if value is None:
            current.pop(name, None)
        else:
            current[name] = value
    if current:
        tasks[key] = current
    else:
        tasks.pop(key, None)
    out = dict(data)
    out["tasks"] = tasks
    out.setdefault("version", VERSION)
    return out
