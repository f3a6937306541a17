"""Repositories for the portfolio's tests: branches, worktrees, remotes, built with few git
processes (each branch is one ``checkout -b``, one ``add``, one ``commit``)."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree
from helpers.git import commit_all, git, init_repo

T0 = 1_700_000_000


def speckit(fid: str, tasks: str, *, spec: str = "# Spec\n", plan: str = "# Plan\n") -> dict:
    base = f"specs/{fid}"
    return {
        f"{base}/spec.md": spec,
        f"{base}/plan.md": plan,
        f"{base}/tasks.md": f"# Tasks\n\n{tasks}",
    }


KIRO = {
    ".kiro/specs/login/requirements.md": "# Requirements\n\n## Requirement 1\n",
    ".kiro/specs/login/design.md": "# Design\n",
    ".kiro/specs/login/tasks.md": "# Tasks\n\n- [x] 1. Form\n- [ ] 2. Session\n",
}
OPENSPEC = {
    "openspec/project.md": "# Project\n",
    "openspec/changes/add-export/proposal.md": "# Proposal\n",
    "openspec/changes/add-export/tasks.md": "## 1. Export\n- [ ] 1.1 CSV\n- [ ] 1.2 JSON\n",
}

ZENCODER = {
    ".zencoder/specs/notify.md": "# Notify\n",
    "progress.md": "# Progress\n\n## Completed Tasks\n- [x] Core models\n\n"
    "## Upcoming Tasks\n- [ ] SMS\n- [ ] Queue\n",
}


def branch(
    root: Path,
    name: str,
    files: dict[str, str | bytes],
    *,
    date: int | None = None,
    back: str = "main",
) -> str:
    """Commit ``files`` on a new branch ``name`` (from the checked-out one), return to
    ``back``; returns the commit."""
    git(root, "checkout", "-qb", name)
    write_tree(root, files)
    sha = commit_all(root, f"work on {name}", date=date)
    git(root, "checkout", "-q", back)
    return sha


def repo_with(root: Path, files: dict[str, str | bytes], *, date: int = T0) -> Path:
    """A repository on ``main`` whose first commit holds ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    init_repo(root, commit=False)
    write_tree(root, files)
    commit_all(root, "base", date=date)
    return root
