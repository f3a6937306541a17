"""Git awareness: branch and upstream, dirty files, diffs, stale plans, other branches' features.

gitpython is imported on first use (``import git`` costs ~80 ms) and every function here is
blocking: the UI calls them from thread workers.  A folder outside any repository, or a
machine without git, gives ``None`` / empty results and the UI hides git features.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from pathlib import Path
from typing import Any

from sdd_tui.formats.tasks import build_tasks
from sdd_tui.formats.text import DecodeProblem
from sdd_tui.layouts.speckit import SPECKIT
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Columns, Feature
from sdd_tui.workspace.documents import parse_document

_FEATURE_DIR = re.compile(r"\d+-.+|\d{8}-\d{6}-.+")


@record
class GitInfo:
    branch: str | None  # None when HEAD is detached
    upstream: str | None
    ahead: int
    behind: int
    status: dict[str, str] = field(default_factory=dict)  # root-relative path -> XY code
    has_commits: bool = True

    def mark(self, path: str | None) -> str | None:
        """``M`` modified, ``A`` added, ``?`` untracked, ``D`` deleted (or None when clean)."""
        if path is None:
            return None
        code = self.status.get(path)
        if code is None:
            return None
        if code == "??":
            return "?"
        for ch in code:
            if ch in "MADRCU":
                return "M" if ch in "RCU" else ch
        return "M"


_SAFE_GIT_ENV = {
    "GIT_CONFIG_COUNT": "2",
    "GIT_CONFIG_KEY_0": "core.fsmonitor",
    "GIT_CONFIG_VALUE_0": "false",
    "GIT_CONFIG_KEY_1": "core.untrackedCache",
    "GIT_CONFIG_VALUE_1": "false",
}


def git_files_regular(root: Path) -> bool:
    """False when the nearest ``.git`` holds a FIFO or a device where git keeps a file
    (gitpython, or a git process, would block reading it: for ever, or until a timeout)."""
    import stat

    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if not os.path.lexists(dot_git):
            continue
        names = (
            (dot_git,)
            if not dot_git.is_dir()
            else tuple(dot_git / n for n in ("HEAD", "config", "index", "commondir", "packed-refs"))
        )
        for path in names:
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    return False
            except FileNotFoundError:
                continue
            except OSError:
                return False
        return True
    return True


def open_repo(root: Path) -> Any | None:
    """The gitpython Repo holding ``root``, or None (no repo, no git, no gitpython)."""
    if not git_files_regular(root):
        return None
    try:
        import git
    except Exception:
        return None
    try:
        repo = git.Repo(root, search_parent_directories=True)
        # A repository's own config can name programs git runs on a read (core.fsmonitor on
        # status): switch them off at command-line precedence for every git call made here.
        repo.git.update_environment(**_SAFE_GIT_ENV)
        return repo
    except Exception:
        return None


def _prefix(repo: Any, root: Path) -> str:
    """``root`` relative to the repository's working tree, with a trailing ``/`` (or '')."""
    work = Path(repo.working_tree_dir).resolve()
    rel = root.resolve().relative_to(work).as_posix()
    return "" if rel == "." else rel + "/"


def git_info(root: Path) -> GitInfo | None:
    repo = open_repo(root)
    if repo is None:
        return None
    try:
        return _info(repo, root)
    except Exception:
        return None
    finally:
        repo.close()


def _info(repo: Any, root: Path) -> GitInfo:
    prefix = _prefix(repo, root)
    try:
        branch = repo.active_branch.name
    except TypeError:
        branch = None
    has_commits = True
    try:
        repo.head.commit  # noqa: B018 - raises on an unborn branch
    except ValueError:
        has_commits = False
    upstream, ahead, behind = None, 0, 0
    if branch is not None and has_commits:
        tracking = repo.active_branch.tracking_branch()
        if tracking is not None:
            upstream = tracking.name
            try:
                counts = repo.git.rev_list("--left-right", "--count", f"{branch}...{upstream}")
                a, b = counts.split()
                ahead, behind = int(a), int(b)
            except Exception:
                pass
    status: dict[str, str] = {}
    out = repo.git.status("--porcelain=v1", "-z", "--untracked-files=all", "--", prefix or ".")
    for path, code in status_entries(out):
        if prefix and not path.startswith(prefix):
            continue
        status[path[len(prefix) :]] = code
    return GitInfo(branch, upstream, ahead, behind, status, has_commits)


def status_entries(out: str) -> list[tuple[str, str]]:
    """(path, XY code) of each entry of ``git status --porcelain=v1 -z`` output (a rename's
    or copy's source path, which follows its entry, is skipped)."""
    entries = out.split("\0")
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        if entry[0] in "RC":
            i += 1  # the rename's source path follows
        found.append((entry[3:], entry[:2]))
    return found


def diff(root: Path, path: str) -> str:
    """Unified diff of ``path`` against HEAD (a whole-file diff when untracked)."""
    repo = open_repo(root)
    if repo is None:
        return ""
    try:
        full = _prefix(repo, root) + path
        tracked = bool(repo.git.ls_files("--", full))
        if tracked and _has_head(repo):
            # no external diff drivers or textconv filters named by the repository
            return repo.git.diff("--no-ext-diff", "--no-textconv", "HEAD", "--", full)
        from sdd_tui.workspace.fsread import read_file  # never a FIFO/device, size-capped

        text = read_file(root.resolve(), root / path).data.decode("utf-8", errors="replace")
        lines = text.splitlines()
        body = "\n".join("+" + line for line in lines)
        return f"--- /dev/null\n+++ b/{full}\n@@ -0,0 +1,{len(lines)} @@\n{body}"
    except Exception as exc:
        return f"(git diff failed: {exc})"
    finally:
        repo.close()


def _has_head(repo: Any) -> bool:
    try:
        repo.head.commit  # noqa: B018
    except ValueError:
        return False
    return True


def change_time(root: Path, path: str, info: GitInfo, repo: Any | None = None) -> float | None:
    """When ``path`` last changed: its mtime when dirty/untracked, else its last commit."""
    if info.mark(path) is not None or repo is None:
        try:
            return os.stat(root / path).st_mtime
        except OSError:
            return None
    try:
        out = repo.git.log("-1", "--format=%ct", "--", _prefix(repo, root) + path)
    except Exception:
        return None
    return float(out) if out.strip() else None


def stale_plan(root: Path, feature: Feature, info: GitInfo) -> bool:
    """True when the spec changed after the plan or the tasks (the plan may be stale)."""
    spec = feature.documents.get("spec")
    later = [feature.documents.get("plan"), feature.documents.get("tasks")]
    if not spec or not any(later):
        return False
    repo = open_repo(root)
    try:
        spec_time = change_time(root, spec, info, repo)
        if spec_time is None:
            return False
        for doc in later:
            if doc:
                t = change_time(root, doc, info, repo)
                if t is not None and spec_time > t:
                    return True
        return False
    finally:
        if repo is not None:
            repo.close()


def branch_features(root: Path, existing: set[str], columns: Columns) -> list[Feature]:
    """Spec Kit features whose folder exists only on another local branch (read-only)."""
    repo = open_repo(root)
    if repo is None:
        return []
    out: list[Feature] = []
    try:
        prefix = _prefix(repo, root)
        try:
            current = repo.active_branch.name
        except TypeError:
            current = None
        for head in repo.heads:
            if head.name == current:
                continue
            try:
                tree = head.commit.tree / f"{prefix}specs"
            except KeyError:
                continue
            for sub in tree.trees:
                if sub.name in existing or not _FEATURE_DIR.fullmatch(sub.name):
                    continue
                existing.add(sub.name)
                out.append(_branch_feature(head.name, prefix, sub, columns))
    except Exception:
        return out
    finally:
        repo.close()
    return out


def _branch_feature(branch: str, prefix: str, tree: Any, columns: Columns) -> Feature:
    base = f"specs/{tree.name}"
    names = {b.name for b in tree.blobs}
    docs: dict[str, str | None] = {
        "spec": f"{base}/spec.md" if "spec.md" in names else None,
        "plan": f"{base}/plan.md" if "plan.md" in names else None,
        "tasks": f"{base}/tasks.md" if "tasks.md" in names else None,
    }
    tasks = ()
    if "tasks.md" in names:
        raw = (tree / "tasks.md").data_stream.read()
        try:
            doc = parse_document(f"{base}/tasks.md", raw)
            built, _ = build_tasks(tree.name, doc.boxes, {}, columns)
            tasks = tuple(built)
        except DecodeProblem:
            pass
    return Feature(
        id=tree.name,
        layout=SPECKIT.name,
        path=base,
        read_only=True,
        branch=branch,
        documents=docs,
        tasks=tasks,
    )


def autocommit(root: Path, files: list[str], message: str) -> str | None:
    """Commit exactly ``files`` (root-relative) with ``message``; returns an error or None."""
    repo = open_repo(root)
    if repo is None:
        return "not a git repository"
    try:
        prefix = _prefix(repo, root)
        paths = [prefix + f for f in files if (root / f).exists()]
        if not paths:
            return None
        repo.git.add("--", *paths)
        repo.git.commit("-m", message, "--only", "--", *paths)
        return None
    except Exception as exc:
        return str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    finally:
        repo.close()
