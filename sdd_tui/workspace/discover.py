"""Finding the workspace root and the features of every layout present in it.

The walk is each layout's (``sdd_tui.layouts``); this module asks every registered layout in
turn and keeps the feature IDs unique.
"""

from __future__ import annotations

import json
from pathlib import Path

from sdd_tui import layouts
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.snapshot import WorkspaceError

__all__ = ["active_feature", "current_branch", "discover", "find_root", "root_markers"]


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
    for layout in _registered():
        features += layout.discover(root, problems)
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


def active_feature(root: Path, ids: list[str]) -> str | None:
    """Spec Kit's active feature: `.specify/feature.json`, else a branch named like a feature."""
    path = root / ".specify" / "feature.json"
    try:
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            directory = data.get("feature_directory") if isinstance(data, dict) else None
            if isinstance(directory, str) and directory.strip():
                name = Path(directory.strip().rstrip("/")).name
                if name in ids:
                    return name
    except (OSError, ValueError):
        pass
    branch = current_branch(root)
    if branch:
        name = branch.rsplit("/", 1)[-1]
        if name in ids:
            return name
    return None


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
