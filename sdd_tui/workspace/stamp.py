"""Has the workspace changed since a snapshot, and where: one ``lstat`` per file it was read
from and per folder that holds them, instead of a re-read.

A long-lived reader without a watcher (the MCP server answers one call at a time, and a call
must see an edit made a millisecond before it) asks :func:`changes` before each call:

- nothing changed: the snapshot is still the workspace (a 20,000-task workspace: ~600
  ``lstat`` calls, ~2 ms, where a re-read walks every folder and stats every file, ~16 ms);
- only files the snapshot was read from changed: re-read just those
  (``load_root(changed=…)``);
- a folder changed (a file or feature added, removed or renamed), or a layout folder
  appeared: ``None``, walk everything again.

Folders watched: the root, the layout folders (``specs/``, ``.kiro/specs/``,
``openspec/changes/``, …, whether they exist or not) and every folder between the root and a
file the snapshot was read from.  A file added to a folder that holds none of those files
(an empty ``contracts/``) is seen at the next full re-read, which :func:`changes` asks for at
least every ``MAX_AGE`` seconds.

The signatures are taken *before* a re-read (:func:`before`), so an edit made while it reads
is seen by the next call; paths the re-read finds that the stamp did not know are marked
unknown (:func:`after`) and count as changed next time.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from sdd_tui.workspace.snapshot import BOARD_PATH, CONFIG_PATH, Loaded

MAX_AGE = 5.0  # seconds between full re-reads, whatever the stamps say
_LAYOUT_FOLDERS = (
    ".sdd",
    ".specify",
    "specs",
    ".kiro",
    ".kiro/specs",
    "openspec",
    "openspec/changes",
    "openspec/changes/archive",
    "openspec/specs",
    ".zencoder",
    ".zencoder/specs",
    ".specify/feature.json",
)

Signature = tuple[int, int, int, int] | None
_UNKNOWN: Signature = (-1, -1, -1, -1)  # equal to no real signature: "changed"


def _signature(path: str) -> Signature:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass(slots=True)
class Stamp:
    """Signatures of a snapshot's files and folders, by root-relative path (``""``: the
    root); ``sources``: the discovery they were listed from (reused while it is)."""

    root: str
    files: dict[str, Signature] = field(default_factory=dict)
    folders: dict[str, Signature] = field(default_factory=dict)
    full: float = 0.0  # time.monotonic() of the last full re-read
    sources: object = None


def _abs(root: str, rel: str) -> str:
    return f"{root}/{rel}" if rel else root


def _paths(loaded: Loaded) -> tuple[set[str], set[str]]:
    files = {CONFIG_PATH, BOARD_PATH}
    for src in loaded.sources:
        files.update(p for p in src.documents.values() if p)
        files.update(p for _label, p in src.extras)
        files.update(src.checklist_files)
        files.update(src.requirement_files)
    folders = {"", *_LAYOUT_FOLDERS}
    for rel in files:
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folders.add("/".join(parts[:i]))
    return files, folders


def before(loaded: Loaded, last: Stamp | None, *, full: float) -> Stamp:
    """The signatures, now, of what ``loaded`` was read from (take it right before the
    re-read that replaces ``loaded``); ``last``: its stamp, whose path lists are reused."""
    root = str(loaded.root)
    if last is not None and last.sources is loaded.sources:
        files, folders = last.files.keys(), last.folders.keys()
    else:
        files, folders = _paths(loaded)
    return Stamp(
        root,
        {rel: _signature(_abs(root, rel)) for rel in files},
        {rel: _signature(_abs(root, rel)) for rel in folders},
        full,
        loaded.sources,
    )


def after(stamp: Stamp | None, loaded: Loaded, *, full: float) -> Stamp:
    """``stamp`` (from :func:`before` or :func:`written`) for the re-read ``loaded``: files
    and folders it did not know are unknown, so the next :func:`changes` re-reads them."""
    root = str(loaded.root)
    if stamp is not None and stamp.sources is loaded.sources:
        return Stamp(root, stamp.files, stamp.folders, full, loaded.sources)
    files, folders = _paths(loaded)
    old_files = stamp.files if stamp is not None else {}
    old_folders = stamp.folders if stamp is not None else {}
    return Stamp(
        root,
        {rel: old_files.get(rel, _UNKNOWN) for rel in files},
        {rel: old_folders.get(rel, _UNKNOWN) for rel in folders},
        full,
        loaded.sources,
    )


def written(last: Stamp, paths: tuple[str, ...]) -> Stamp:
    """``last`` after a write of our own to ``paths``: their signatures and their folders'
    (an atomic write's temporary file changes the folder's times) taken again, the rest
    kept, so an edit by anyone else since ``last`` still counts as a change."""
    files, folders = dict(last.files), dict(last.folders)
    for rel in paths:
        if rel in files:
            files[rel] = _signature(_abs(last.root, rel))
        parts = rel.split("/")[:-1]
        for i in range(len(parts) + 1):
            folder = "/".join(parts[:i])
            if folder in folders:
                folders[folder] = _signature(_abs(last.root, folder))
    return Stamp(last.root, files, folders, last.full, last.sources)


def changes(stamp: Stamp) -> tuple[str, ...] | None:
    """The files changed since ``stamp`` (``()``: none), or ``None``: re-read everything."""
    if time.monotonic() - stamp.full > MAX_AGE:
        return None
    root = stamp.root
    for rel, sig in stamp.folders.items():
        if _signature(_abs(root, rel)) != sig:
            return None
    changed = []
    for rel, sig in stamp.files.items():
        now = _signature(_abs(root, rel))
        if now != sig:
            if now is None and sig is not None:
                return None  # gone: the features may have changed
            changed.append(rel)
    return tuple(changed)
