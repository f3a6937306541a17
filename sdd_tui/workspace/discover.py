"""Finding the workspace root and the features of every layout present in it."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.snapshot import FeatureSource

ROOT_MARKERS = (".sdd", ".specify", "specs", ".kiro", "openspec", ".zencoder")
_SPECKIT_DIR = re.compile(r"\d+-.+|\d{8}-\d{6}-.+")
_SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".hg", ".svn"}


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding an SDD marker, else the git root."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for d in (start, *start.parents):
        if any((d / m).is_dir() and not _layout_specs(d, m) for m in ROOT_MARKERS):
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
    if folder.name in (".kiro", "openspec", ".zencoder"):
        return True
    return any(p.name == "changes" and p.parent.name == "openspec" for p in folder.parents)


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _entries(folder: Path, problems: list[Problem], root: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(rel(root, folder), f"cannot list folder: {exc.strerror}"))
        return []


def _present(root: Path, path: Path) -> str | None:
    return rel(root, path) if os.path.lexists(path) else None


def _walk_md(root: Path, folder: Path, problems: list[Problem]) -> list[str]:
    """Markdown files below ``folder`` (symlinked folders are not followed)."""
    out: list[str] = []
    if not _is_dir(folder):
        return out
    prefix = os.path.join(os.fspath(root), "")
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            if name.lower().endswith(".md"):
                if dirpath.startswith(prefix):  # the common case, on strings
                    out.append(f"{dirpath[len(prefix) :]}/{name}")
                else:
                    out.append(rel(root, Path(dirpath) / name))
    return out


def discover(root: Path) -> tuple[list[FeatureSource], list[Problem]]:
    problems: list[Problem] = []
    features: list[FeatureSource] = []
    features += _speckit(root, problems)
    features += _kiro(root, problems)
    features += _openspec(root, problems)
    features += _zencoder(root, problems)
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


_SPECKIT_DOCS = (
    ("spec", "spec.md"),
    ("plan", "plan.md"),
    ("tasks", "tasks.md"),
    ("research", "research.md"),
    ("data_model", "data-model.md"),
    ("quickstart", "quickstart.md"),
)
_SPECKIT_STANDARD = frozenset(name for _, name in _SPECKIT_DOCS)


def _speckit(root: Path, problems: list[Problem]) -> list[FeatureSource]:
    specs = root / "specs"
    if not _is_dir(specs):
        return []
    out = []
    for e in _entries(specs, problems, root):
        if e.name.startswith("."):
            continue
        fast = _speckit_listed(root, e.name, problems)
        if fast is not False:
            if fast is not None:
                out.append(fast)
            continue
        folder = specs / e.name
        if not _is_dir(folder):
            continue
        known = any(os.path.lexists(folder / n) for n in ("spec.md", "plan.md", "tasks.md"))
        if not (_SPECKIT_DIR.fullmatch(e.name) or known):
            continue
        f = FeatureSource(e.name, "speckit", rel(root, folder))
        for role, name in _SPECKIT_DOCS:
            f.documents[role] = _present(root, folder / name)
        f.checklist_files = [
            p for p in _walk_md(root, folder / "checklists", problems) if p.count("/") == 3
        ]
        for p in _walk_md(root, folder / "contracts", problems):
            f.extras.append((p.split("/", 2)[2], p))
        standard = {
            "spec.md",
            "plan.md",
            "tasks.md",
            "research.md",
            "data-model.md",
            "quickstart.md",
        }
        for e2 in _entries(folder, problems, root):
            if e2.name.endswith(".md") and e2.name not in standard:
                f.extras.append((e2.name, rel(root, folder / e2.name)))
        if f.documents["spec"]:
            f.requirement_files = [f.documents["spec"]]
        out.append(f)
    return out


def _speckit_listed(root: Path, name: str, problems: list[Problem]) -> FeatureSource | bool | None:
    """``_speckit``'s work for ``specs/<name>`` from one listing of the folder, on strings.

    None: not a feature folder; False: the folder cannot be listed (the caller then takes
    the long way, which reports it).
    """
    base = f"specs/{name}"
    folder = os.path.join(os.fspath(root), "specs", name)
    try:
        if not os.path.isdir(folder):
            return None
        with os.scandir(folder) as it:
            names = sorted(entry.name for entry in it)
    except OSError:
        return False
    listed = set(names)
    known = "spec.md" in listed or "plan.md" in listed or "tasks.md" in listed
    if not (_SPECKIT_DIR.fullmatch(name) or known):
        return None
    f = FeatureSource(name, "speckit", base)
    for role, doc in _SPECKIT_DOCS:
        f.documents[role] = f"{base}/{doc}" if doc in listed else None
    if "checklists" in listed:
        f.checklist_files = [
            p for p in _walk_md(root, Path(folder, "checklists"), problems) if p.count("/") == 3
        ]
    if "contracts" in listed:
        for p in _walk_md(root, Path(folder, "contracts"), problems):
            f.extras.append((p.split("/", 2)[2], p))
    for entry in names:
        if entry.endswith(".md") and entry not in _SPECKIT_STANDARD:
            f.extras.append((entry, f"{base}/{entry}"))
    if f.documents["spec"]:
        f.requirement_files = [f.documents["spec"]]
    return f


def _kiro(root: Path, problems: list[Problem]) -> list[FeatureSource]:
    base = root / ".kiro" / "specs"
    if not _is_dir(base):
        return []
    out = []
    for e in _entries(base, problems, root):
        folder = base / e.name
        if not _is_dir(folder) or e.name.startswith("."):
            continue
        if e.name.startswith("_"):
            for e2 in _entries(folder, problems, root):
                sub = folder / e2.name
                if _is_dir(sub) and not e2.name.startswith((".", "_")):
                    out.append(_kiro_feature(root, sub, archived=True, problems=problems))
            continue
        out.append(_kiro_feature(root, folder, archived=False, problems=problems))
    return out


def _kiro_feature(
    root: Path, folder: Path, *, archived: bool, problems: list[Problem]
) -> FeatureSource:
    f = FeatureSource(folder.name, "kiro", rel(root, folder), archived=archived)
    spec = _present(root, folder / "requirements.md") or _present(root, folder / "bugfix.md")
    f.documents = {
        "spec": spec,
        "plan": _present(root, folder / "design.md"),
        "tasks": _present(root, folder / "tasks.md"),
    }
    standard = {"requirements.md", "bugfix.md", "design.md", "tasks.md"}
    for e in _entries(folder, problems, root):
        if e.name.endswith(".md") and e.name not in standard:
            f.extras.append((e.name, rel(root, folder / e.name)))
    if spec:
        f.requirement_files = [spec]
    return f


def _openspec(root: Path, problems: list[Problem]) -> list[FeatureSource]:
    base = root / "openspec" / "changes"
    if not _is_dir(base):
        return []
    out = []
    for e in _entries(base, problems, root):
        folder = base / e.name
        if not _is_dir(folder) or e.name.startswith("."):
            continue
        if e.name == "archive":
            for e2 in _entries(folder, problems, root):
                if _is_dir(folder / e2.name) and not e2.name.startswith("."):
                    out.append(_openspec_change(root, folder / e2.name, True, problems))
            continue
        out.append(_openspec_change(root, folder, False, problems))
    return out


def _openspec_change(
    root: Path, folder: Path, archived: bool, problems: list[Problem]
) -> FeatureSource:
    f = FeatureSource(folder.name, "openspec", rel(root, folder), archived=archived)
    f.documents = {
        "spec": _present(root, folder / "proposal.md"),
        "plan": _present(root, folder / "design.md"),
        "tasks": _present(root, folder / "tasks.md"),
    }
    deltas = _walk_md(root, folder / "specs", problems)
    for p in deltas:
        f.extras.append((p.split("/specs/", 1)[-1], p))
    f.requirement_files = [p for p in deltas if not p.lower().endswith("readme.md")]
    for e in _entries(folder, problems, root):
        if e.name.endswith(".md") and e.name not in {"proposal.md", "design.md", "tasks.md"}:
            f.extras.append((e.name, rel(root, folder / e.name)))
    return f


def _zencoder(root: Path, problems: list[Problem]) -> list[FeatureSource]:
    base = root / ".zencoder"
    if not _is_dir(base):
        return []
    progress = _present(root, root / "progress.md") or _present(root, base / "progress.md")
    test_status = _present(root, root / "test-status.json") or _present(
        root, base / "test-status.json"
    )
    out: list[FeatureSource] = []
    specs = base / "specs"
    if _is_dir(specs):
        for e in _entries(specs, problems, root):
            if not e.name.endswith(".md") or e.name.startswith("."):
                continue
            stem = e.name[:-3]
            plan = _present(root, base / "plans" / f"{stem}-plan.md") or _present(
                root, base / "plans" / f"{stem}.md"
            )
            spec = rel(root, specs / e.name)
            f = FeatureSource(stem, "zencoder", spec)
            f.documents = {"spec": spec, "plan": plan, "tasks": None, "test_status": test_status}
            f.requirement_files = [spec]
            out.append(f)
    if progress:
        if len(out) == 1:
            target = out[0]
        else:
            target = FeatureSource("progress", "zencoder", progress)
            target.documents = {
                "spec": None,
                "plan": None,
                "tasks": None,
                "test_status": test_status,
            }
            out.append(target)
        target.documents["tasks"] = progress
        target.in_progress_sections = ("current task", "current tasks", "in progress")
    return out


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
