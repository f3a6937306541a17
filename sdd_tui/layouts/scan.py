"""Listing folders for discovery: a problem for a folder that cannot be listed, never a raise.

Plain ``os`` calls on root-relative ``/`` paths; every layout's discovery uses these.
"""

from __future__ import annotations

import os
from pathlib import Path

from sdd_tui.model.workspace import Problem

SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", ".hg", ".svn"})


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def entries(folder: Path, problems: list[Problem], root: Path) -> list[os.DirEntry[str]]:
    """The folder's entries by name; a folder that cannot be listed is a problem."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(rel(root, folder), f"cannot list folder: {exc.strerror}"))
        return []


def subfolders(folder: Path, problems: list[Problem], root: Path) -> list[Path]:
    """The folder's visible subfolders (no dot-folders), by name."""
    return [
        folder / e.name
        for e in entries(folder, problems, root)
        if not e.name.startswith(".") and is_dir(folder / e.name)
    ]


def present(root: Path, path: Path) -> str | None:
    """``path`` relative to the root when something is there (a dangling link counts)."""
    return rel(root, path) if os.path.lexists(path) else None


def first_present(root: Path, folder: Path, *names: str) -> str | None:
    for name in names:
        found = present(root, folder / name)
        if found:
            return found
    return None


def walk_md(root: Path, folder: Path, problems: list[Problem]) -> list[str]:
    """Markdown files below ``folder`` (symlinked folders are not followed)."""
    out: list[str] = []
    if not is_dir(folder):
        return out
    prefix = os.path.join(os.fspath(root), "")
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.lower().endswith(".md"):
                if dirpath.startswith(prefix):  # the common case, on strings
                    out.append(f"{dirpath[len(prefix) :]}/{name}")
                else:
                    out.append(rel(root, Path(dirpath) / name))
    return out


def other_markdown(
    root: Path, folder: Path, standard: frozenset[str], problems: list[Problem]
) -> list[tuple[str, str]]:
    """(name, path) of the folder's own ``.md`` files that are not its layout's standard ones."""
    return [
        (e.name, rel(root, folder / e.name))
        for e in entries(folder, problems, root)
        if e.name.endswith(".md") and e.name not in standard
    ]
