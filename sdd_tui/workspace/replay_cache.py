"""The history replay's cache: ``.sdd/cache/parse-cache.history`` beside the parse cache.

What ``operations.timeline`` computed per feature (the versions of its task file, the task
moves between them and the last state), keyed by the commit it was computed at, so that the
next open replays nothing and a new commit only replays what it added.  Same per-user MAC as
the parse cache: a file that a repository brings along is ignored, never unmarshalled.  Only
a cache: anything odd about it means "replay again".
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from sdd_tui import __version__
from sdd_tui.workspace.facts import default_store, read_sealed, write_sealed

FORMAT = 2  # 2: a merge credits the merged commits' authors
_MAGIC = b"SDDTUI-HISTORY-CACHE\n"
_MAX_BYTES = 512 * 1024 * 1024


def history_store(root: Path) -> Path:
    return default_store(root).with_suffix(".history")


def read_replays(root: Path) -> dict[str, Any]:
    """Feature id → its cached replay (plain data), or {} when there is none to trust."""
    payload = read_sealed(history_store(root), _MAGIC, _MAX_BYTES)
    if payload is None:
        return {}
    try:
        fmt, version, replays = marshal.loads(payload)
    except (ValueError, TypeError, EOFError):
        return {}
    if fmt != FORMAT or version != __version__ or not isinstance(replays, dict):
        return {}
    return replays


def write_replays(root: Path, replays: dict[str, Any]) -> None:
    """Save the replays; failures are silent (it is only a cache)."""
    try:
        payload = marshal.dumps((FORMAT, __version__, replays))
        write_sealed(history_store(root), _MAGIC, payload)
    except (OSError, ValueError):
        pass
