"""The history replay's cache: ``.sdd/cache/parse-cache.history`` beside the parse cache.

What ``operations.timeline`` computed per feature (the versions of its task file, the task
moves between them and the last state), keyed by the commit it was computed at, so that the
next open replays nothing and a new commit only replays what it added.  Same per-user MAC as
the parse cache: a file that a repository brings along is ignored, never unmarshalled.  Only
a cache: anything odd about it means "replay again".
"""

from __future__ import annotations

import marshal
import os
import stat as stat_mod
from pathlib import Path
from typing import Any

from sdd_tui import __version__
from sdd_tui.workspace.atomic import replace_bytes
from sdd_tui.workspace.facts import _mac, compare_digest, default_store, make_cache_folder

FORMAT = 2  # 2: a merge credits the merged commits' authors
_MAGIC = b"SDDTUI-HISTORY-CACHE\n"
_MAX_BYTES = 512 * 1024 * 1024


def history_store(root: Path) -> Path:
    return default_store(root).with_suffix(".history")


def read_replays(root: Path) -> dict[str, Any]:
    """Feature id → its cached replay (plain data), or {} when there is none to trust."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(history_store(root), flags)
        with os.fdopen(fd, "rb") as fh:
            if not stat_mod.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return {}
            blob = fh.read(_MAX_BYTES)
    except OSError:
        return {}
    head = len(_MAGIC)
    mac, payload = blob[head : head + 32], blob[head + 32 :]
    if not blob.startswith(_MAGIC) or not compare_digest(mac, _mac(payload)):
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
        store = history_store(root)
        make_cache_folder(store.parent)
        # private; not durable: a torn cache fails its MAC and is replayed again
        replace_bytes(store, _MAGIC + _mac(payload) + payload, mode=0o600, durable=False)
    except (OSError, ValueError):
        pass
