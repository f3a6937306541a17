"""Watching the workspace for edits by agents, editors, git and other sdd-tui processes.

watchfiles (Rust ``notify``) watches the SDD folders recursively, ``.git/refs`` and
``.git/HEAD``, and the root's own files (progress.md, test-status.json, junit.xml, …).
After every batch, and every second without events, the set of watch targets (with their
inodes) is recomputed, so a folder that appears (a new ``specs/``), one deleted and
re-created under the watcher, or a watched file replaced by a rename (git's ``.git/HEAD`` on
every checkout) is picked up: the watcher never goes stale.  Batches are debounced by a few
milliseconds, not the library's 1.6 s default.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from sdd_tui.workspace.discover import root_markers

REPORT_DIRS = (
    "test-results",
    "reports",
    "build/test-results",
    "target/surefire-reports",
)
ROOT_FILES = ("progress.md", "test-status.json", "junit.xml")
_IGNORED_NAME = re.compile(
    r"(\.sw[a-px]|~|\.tmp|\.sdd-tmp|\.orig|\.bak|___jb_\w+___|\.DS_Store)$|^\.#|^4913$"
)
_IGNORED_PARTS = {
    "__pycache__",
    "node_modules",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".venv",
}


def watch_targets(root: Path) -> tuple[Path, ...]:
    """The existing paths to watch (folders recursively, files as themselves)."""
    targets: list[Path] = []
    for name in (*root_markers(), *REPORT_DIRS):
        p = root / name
        if p.is_dir():
            targets.append(p)
    git = root / ".git"
    if git.is_dir():
        for name in ("HEAD", "refs"):
            if (git / name).exists():
                targets.append(git / name)
    for name in ROOT_FILES:
        if (root / name).is_file():
            targets.append(root / name)
    return tuple(targets)


def relevant(root: Path, path: str) -> str | None:
    """The root-relative path of a change worth reloading for, or None."""
    try:
        rel = Path(path).resolve(strict=False).relative_to(root)
    except ValueError:
        try:
            rel = Path(path).relative_to(root)
        except ValueError:
            return None
    parts = rel.parts
    if not parts:
        return None
    if _IGNORED_NAME.search(parts[-1]):
        return None
    if any(p in _IGNORED_PARTS for p in parts):
        return None
    if parts[0] == ".git":
        if parts[1:2] == ("HEAD",) or parts[1:2] == ("refs",):
            return rel.as_posix()
        return None
    if parts[0] == ".sdd" and len(parts) > 1 and (parts[1] in ("cache", ".lock", ".gitignore")):
        return None
    return rel.as_posix()


def _signature(targets: tuple[Path, ...]) -> tuple[tuple[Path, int], ...]:
    """The targets with their inodes: a file replaced by a rename (git's ``HEAD``, an
    editor's save of progress.md) is a new inode the running watch no longer follows."""
    out = []
    for t in targets:
        try:
            out.append((t, os.stat(t).st_ino))
        except OSError:
            out.append((t, -1))
    return tuple(out)


def _top_level(root: Path) -> frozenset[str]:
    try:
        with os.scandir(root) as it:
            return frozenset(e.name for e in it)
    except OSError:
        return frozenset()


async def watch_workspace(
    root: Path,
    stop: threading.Event,
    *,
    debounce_ms: int = 20,
    step_ms: int = 10,
    rust_timeout_ms: int = 1000,
) -> AsyncIterator[set[str]]:
    """Yield sets of changed root-relative paths until ``stop`` is set."""
    from watchfiles import awatch

    root = root.resolve()
    while not stop.is_set():
        targets = watch_targets(root)
        signature = _signature(targets)
        top = _top_level(root)
        if not targets:
            # Nothing to watch yet: wait for the root to grow an SDD folder.
            await asyncio.sleep(rust_timeout_ms / 1000)
            if _top_level(root) != top:
                yield {"."}
            continue
        batches = awatch(
            *targets,
            watch_filter=None,
            debounce=debounce_ms,
            step=step_ms,
            stop_event=stop,
            rust_timeout=rust_timeout_ms,
            yield_on_timeout=True,
            recursive=True,
            ignore_permission_denied=True,
        ).__aiter__()
        next_batch = asyncio.ensure_future(batches.__anext__())
        try:
            # awatch sets its watcher up synchronously, before its first wait: once its task
            # has run one step, it listens.  Anything written before that (since the snapshot
            # the caller holds was read, or while a restarted watch was being set up) is
            # caught by re-reading every file's stat now.
            await asyncio.sleep(0)
            yield {"."}
            while True:
                try:
                    changes = await next_batch
                except StopAsyncIteration:
                    break
                rels = {r for _, p in changes if (r := relevant(root, p)) is not None}
                restart = _signature(watch_targets(root)) != signature or _top_level(root) != top
                if restart:
                    rels.add(".")
                if rels:
                    yield rels
                if restart:
                    break
                next_batch = asyncio.ensure_future(batches.__anext__())
        except (FileNotFoundError, RuntimeError, OSError):
            # A watched folder vanished under the watcher: start again on what exists now
            # (the restarted watch re-reads everything once it listens).
            pass
        finally:
            if not next_batch.done():
                next_batch.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await next_batch
            with contextlib.suppress(Exception):
                await batches.aclose()
