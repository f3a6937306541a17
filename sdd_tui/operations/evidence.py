"""Done that needs evidence: which done tasks are *unproven*, and why.

A task ticked by an agent is not always done.  A done task is unproven when

- **tests** (where test results exist): a test linked to it fails, or it names test files of
  which no test is in the results;
- **files** (in a git repository, on a branch other than the default one): it names files
  and none of them changed since the branch left its base (the merge-base with the default
  branch; uncommitted changes count).

A task that names no file and links no test gives no evidence either way: it is not flagged.
Used by the workbench (the card's mark, the detail's explanation), ``sdd-tui tasks --json``
and the ``done-without-evidence`` check.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from sdd_tui.model.record import record
from sdd_tui.operations.trace import CODE_EXT, path_tokens, task_test_files

if TYPE_CHECKING:
    from sdd_tui.model.items import Task
    from sdd_tui.model.workspace import Feature
    from sdd_tui.operations.trace import Trace

# no fsmonitor hook, no untracked cache: reading a repository runs nothing of the repository's
_GIT_ENV = {
    "GIT_CONFIG_COUNT": "2",
    "GIT_CONFIG_KEY_0": "core.fsmonitor",
    "GIT_CONFIG_VALUE_0": "false",
    "GIT_CONFIG_KEY_1": "core.untrackedCache",
    "GIT_CONFIG_VALUE_1": "false",
    "GIT_OPTIONAL_LOCKS": "0",
}


@record
class Evidence:
    """Why a done task is unproven (no reasons: it is proven, or there is nothing to judge)."""

    key: str
    reasons: tuple[str, ...]

    @property
    def proven(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, object]:
        return {"proven": self.proven, "reasons": list(self.reasons)}


@record
class Changes:
    """Files changed on this branch since it left ``base`` (``committed`` since the merge-base
    and ``uncommitted`` now), root-relative."""

    base: str
    files: frozenset[str]


def named_files(task: Task) -> list[str]:
    """Source files a task names (``recipebox/planner.py``, ``src/app.ts``), test files too."""
    out: list[str] = []
    for line in (task.text, *task.body):
        for token in path_tokens(line):
            path = token.strip("`'\"()[]{}<>,;:").removeprefix("./")
            name = path.rsplit("/", 1)[-1]
            stem, dot, ext = name.rpartition(".")
            if dot and stem and ext.lower() in CODE_EXT and path not in out:
                out.append(path)
    return out


def branch_changes(root: Path) -> Changes | None:
    """What changed since this branch left the default branch; None outside git, on the
    default branch itself, with no default branch or no common history (nothing to judge)."""
    from sdd_tui.workspace.git import git_files_regular

    if not git_files_regular(root):
        return None  # a FIFO where git keeps a file: git would block on it
    top = _git(root, "rev-parse", "--show-prefix")
    if top is None:
        return None
    prefix = top.strip()
    current = (_git(root, "rev-parse", "--abbrev-ref", "HEAD") or "").strip()
    default = _default_branch(root)
    if default is None or current in ("", "HEAD", default):
        return None
    base = (_git(root, "merge-base", "HEAD", default) or "").strip()
    if not base:
        return None
    committed = _git(root, "diff", "--name-only", "-z", base, "HEAD", "--", ".") or ""
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ".")
    files = {p for p in committed.split("\0") if p}
    entries = (status or "").split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            files.add(entry[3:])
            if entry[0] in "RC":  # a rename is followed by its old name
                i += 1
        i += 1
    rel = frozenset(p.removeprefix(prefix) for p in files if p.startswith(prefix))
    return Changes(default, rel)


def _default_branch(root: Path) -> str | None:
    head = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if head and head.strip():
        return head.strip()
    for name in ("main", "master", "trunk", "develop"):
        if _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}") is not None:
            return name
    return None


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={**os.environ, **_GIT_ENV},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def unproven(
    feature: Feature,
    trace: Trace | None,
    changes: Changes | None,
    *,
    have_results: bool,
    failing: bool = True,
) -> dict[str, Evidence]:
    """Task key → why, for the done tasks of ``feature`` that lack evidence (``failing``:
    failing linked tests count; ``check`` reports those under a rule of their own)."""
    out: dict[str, Evidence] = {}
    for task in feature.tasks:
        if not task.done:
            continue
        reasons: list[str] = []
        if have_results and trace is not None:
            tests = list(trace.task_tests(feature, task))
            fails = [c.name for c in tests if c.failing]
            named_tests = task_test_files(task)
            if fails:
                if failing:
                    shown = ", ".join(fails[:3]) + (" …" if len(fails) > 3 else "")
                    reasons.append(f"its linked tests fail: {shown}")
            elif named_tests and not tests:
                shown = ", ".join(named_tests[:3])
                reasons.append(f"no result for the tests it names ({shown})")
        if changes is not None:
            files = named_files(task)
            if files and not any(f in changes.files for f in files):
                shown = ", ".join(files[:3]) + (" …" if len(files) > 3 else "")
                reasons.append(f"none of the files it names changed since {changes.base}: {shown}")
        if reasons:
            out[task.key] = Evidence(task.key, tuple(reasons))
    return out
