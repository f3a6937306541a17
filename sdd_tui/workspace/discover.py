"""Finding the workspace root and the features of every layout present in it.

The walk is each layout's (``sdd_tui.layouts``); this module asks every registered layout in
turn and keeps the feature IDs unique.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sdd_tui import layouts
from sdd_tui.layouts.scan import SKIP_DIRS
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.snapshot import WorkspaceError

__all__ = [
    "UNREAD",
    "active_feature",
    "current_branch",
    "discover",
    "find_root",
    "root_markers",
    "unread_documents",
]


def root_markers() -> tuple[str, ...]:
    """Folders whose presence makes a folder a workspace root: ``.sdd`` and every layout's."""
    out = [".sdd"]
    for layout in _registered():
        out += [m for m in layout.root_markers if m not in out]
    return tuple(out)


def _registered() -> tuple[layouts.Layout, ...]:
    """The registered layouts; a plugin that cannot be loaded is the workspace's error."""
    try:
        return layouts.all_layouts()
    except layouts.LayoutError as exc:
        raise WorkspaceError(str(exc)) from None


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding an SDD marker, else the git root."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    markers = root_markers()
    for d in (start, *start.parents):
        if any((d / m).is_dir() and not _layout_specs(d, m) for m in markers):
            return d
    for d in (start, *start.parents):
        if (d / ".git").exists():
            return d
    return start


def _layout_specs(folder: Path, marker: str) -> bool:
    """A ``specs/`` folder that belongs to a layout (``.kiro/specs``, ``openspec/specs``,
    ``.zencoder/specs``, a change's ``specs/``), not a Spec Kit root's."""
    if marker != "specs":
        return False
    return any(layout.claims_specs_folder(folder) for layout in _registered())


def discover(root: Path) -> tuple[list[FeatureSource], list[Problem]]:
    """Every registered layout's features, in registration order; a feature ID used twice
    is kept by the first and prefixed with its layout's name for the others."""
    problems: list[Problem] = []
    features: list[FeatureSource] = []
    found = _registered()
    for layout in found:
        features += layout.discover(root, problems)
    problems += unread_documents(root, found, features)
    seen: dict[str, FeatureSource] = {}
    for f in features:
        if f.id in seen:
            other = seen[f.id]
            problems.append(
                Problem(
                    f.path,
                    f"feature id '{f.id}' also used by {other.path}; shown as '{f.layout}:{f.id}'",
                )
            )
            f.id = f"{f.layout}:{f.id}"
        seen[f.id] = f
    return features, problems


# Documents that make a folder look like spec-driven development, and what in them shows it.
_SDD_NAMES = frozenset({"tasks.md", "task.md", "spec.md", "requirements.md"})
_CHECKBOX_TASK = re.compile(rb"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX-]\]", re.MULTILINE)
_REQUIREMENT_ID = re.compile(rb"\b(?:FR|NFR)-\d+")
UNREAD = "belongs to no feature sdd-tui reads"
_UNREAD_DEPTH = 4  # folders below a layout's territory that are searched
_UNREAD_LIMIT = 1024 * 1024


def unread_documents(
    root: Path, found: tuple[layouts.Layout, ...], features: list[FeatureSource]
) -> list[Problem]:
    """A problem for each ``tasks.md``/``task.md``/``spec.md``/``requirements.md`` with
    checkbox tasks or FR IDs in a layout's folders (``specs/``, ``.kiro/specs/``, …) that no
    feature holds: a layout variant sdd-tui does not read must not be skipped in silence.

    Feature folders are not entered, so this lists only the folders that hold no feature.
    """
    claimed_dirs = {f.path for f in features}
    claimed: set[str] = set(claimed_dirs)
    for f in features:
        claimed.update(p for p in f.documents.values() if p)
        claimed.update(p for _, p in f.extras)
        claimed.update(f.checklist_files)
        claimed.update(f.requirement_files)
    out: list[Problem] = []
    for territory in dict.fromkeys(t for layout in found for t in layout.territory):
        if territory in claimed_dirs:
            continue
        _unread_below(root, territory, 0, claimed_dirs, claimed, out)
    return out


def _unread_below(
    root: Path,
    folder: str,
    depth: int,
    claimed_dirs: set[str],
    claimed: set[str],
    out: list[Problem],
) -> None:
    try:
        with os.scandir(root / folder) as it:
            listed = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in it)
    except OSError:
        return  # not there (the usual case), or reported by the layout that lists it
    for name, is_folder in listed:
        path = f"{folder}/{name}"
        if is_folder:
            if (
                depth < _UNREAD_DEPTH
                and path not in claimed_dirs
                and not name.startswith(".")
                and name not in SKIP_DIRS
            ):
                _unread_below(root, path, depth + 1, claimed_dirs, claimed, out)
        elif name.lower() in _SDD_NAMES and path not in claimed:
            what = _looks_like_sdd(root, path)
            if what:
                out.append(Problem(path, f"{what}, but {UNREAD}"))


def _looks_like_sdd(root: Path, path: str) -> str | None:
    from sdd_tui.workspace.fsread import ReadProblem, read_file

    try:
        data = read_file(root, root / path, limit=_UNREAD_LIMIT).data
    except (ReadProblem, OSError):
        return None
    tasks = len(_CHECKBOX_TASK.findall(data))
    if tasks:
        return f"{tasks} checkbox task{'s' if tasks != 1 else ''}"
    if _REQUIREMENT_ID.search(data):
        return "requirement IDs (FR-…)"
    return None


def active_feature(root: Path, ids: list[str]) -> str | None:
    """Spec Kit's active feature: `.specify/feature.json`, else a branch named like a feature.
    A feature of a group (``specs/web/016-x/``, ID ``web:016-x``) is found by its folder."""
    path = root / ".specify" / "feature.json"
    try:
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            directory = data.get("feature_directory") if isinstance(data, dict) else None
            if isinstance(directory, str) and directory.strip():
                folder = Path(directory.strip().rstrip("/"))
                found = _feature_named(ids, folder.name, folder.parent.name)
                if found is not None:
                    return found
    except (OSError, ValueError):
        pass
    branch = current_branch(root)
    if branch:
        return _feature_named(ids, branch.rsplit("/", 1)[-1], None)
    return None


def _feature_named(ids: list[str], name: str, group: str | None) -> str | None:
    """``name`` among ``ids``: itself, ``group:name``, else the one ``<any group>:name``."""
    if name in ids:
        return name
    if group and f"{group}:{name}" in ids:
        return f"{group}:{name}"
    grouped = [i for i in ids if i.endswith(f":{name}")]
    return grouped[0] if len(grouped) == 1 else None


def current_branch(root: Path) -> str | None:
    """The checked-out branch read from ``.git/HEAD`` (no git process, no gitpython)."""
    from sdd_tui.workspace.fsread import read_file

    git = root / ".git"
    try:
        # read_file: a FIFO or a device named like a git file is never opened (no hang).
        if git.is_file():  # worktree or submodule: "gitdir: <path>"
            text = read_file(root, git, limit=4096).data.decode("utf-8").strip()
            if not text.startswith("gitdir:"):
                return None
            git = (root / text[7:].strip()).resolve()
        head = read_file(root, git / "HEAD", limit=4096).data.decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if head.startswith("ref: refs/heads/"):
        return head[len("ref: refs/heads/") :]
    return None
