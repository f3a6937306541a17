"""git for tests: run without the user's or the system's configuration, with a fixed identity.

Commit dates can be pinned (``date=``) so rules that compare commit times (the stale-plan
rule) see a known order.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers.sample import PLAN_MD, SPEC_MD, TASKS_MD

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
}
T0 = 1_700_000_000  # epoch second of the first commit of ``dated_repo``


def git_env() -> dict[str, str]:
    """This process's environment without ``GIT_*`` variables and without the user's and the
    system's git config (so neither a hook nor an alias of the machine can change a result)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


def git(cwd: Path, *args: str, date: int | str | None = None) -> str:
    """Run git in ``cwd``; returns its stdout.  ``date``: commit at this epoch second (int)
    or at this ISO 8601 time (str)."""
    env = {**git_env(), **IDENTITY}
    if date is not None:
        stamp = f"@{date} +0000" if isinstance(date, int) else date
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
    out = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env
    )
    return out.stdout


def commit_all(root: Path, message: str, *, date: int | str | None = None) -> str:
    """``git add -A && git commit``; returns the new commit's sha."""
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, date=date)
    return git(root, "rev-parse", "HEAD").strip()


def init_repo(root: Path, *, commit: bool = True, branch: str = "main") -> None:
    """``git init`` in ``root`` with a local identity (sdd-tui's own commits need one);
    commits everything when asked."""
    git(root, "init", "-q", "-b", branch)
    git(root, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(root, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(root, "config", "commit.gpgsign", "false")
    if commit:
        commit_all(root, "init")


def outside_any_repo(path: Path) -> bool:
    """True when ``path`` is in no git repository (a temp folder inside one would be)."""
    probe = subprocess.run(
        ["git", "rev-parse", "--git-dir"], cwd=path, capture_output=True, env=git_env()
    )
    return probe.returncode != 0


# --------------------------------------------------------------------------- the sample in git

SPEC = SPEC_MD.as_posix()
PLAN = PLAN_MD.as_posix()
TASKS = TASKS_MD.as_posix()


def dated_repo(root: Path, order: list[tuple[str, int]]) -> None:
    """Commit the sample's files at ``T0``, then append to each path in ``order`` and commit
    it ``second`` seconds after ``T0``."""
    init_repo(root, commit=False)
    commit_all(root, "init", date=T0)
    for path, at in order:
        with (root / path).open("a", encoding="utf-8") as fh:
            fh.write(f"\nedited at {at}\n")
        commit_all(root, f"edit {path}", date=T0 + at)


def add_branch_feature(root: Path, branch: str, name: str, tasks: str) -> None:
    """Create ``branch`` holding a new feature folder, commit it, go back to ``main``."""
    git(root, "checkout", "-qb", branch)
    folder = root / "specs" / name
    folder.mkdir()
    (folder / "spec.md").write_text(f"# Feature Specification: {name}\n", encoding="utf-8")
    (folder / "plan.md").write_text("# Plan\n", encoding="utf-8")
    (folder / "tasks.md").write_text(f"# Tasks\n\n{tasks}", encoding="utf-8")
    commit_all(root, f"add {name}")
    git(root, "checkout", "-q", "main")
    assert not folder.exists()


def tick(root: Path, task_id: str, tasks: Path = TASKS_MD) -> None:
    """Tick ``task_id``'s box in ``tasks`` (root-relative) as an editor would."""
    path = root / tasks
    data = path.read_bytes()
    needle = b"- [ ] " + task_id.encode() + b" "
    assert needle in data, task_id
    path.write_bytes(data.replace(needle, b"- [x] " + task_id.encode() + b" ", 1))


def places_repo(base: Path) -> tuple[Path, Path]:
    """The sample in a repository at ``base/repo`` (branch ``main``) with a branch
    ``tick-t007`` where T007 is done, and a worktree ``base/wt-other`` (branch ``other``)
    where T008 is ticked but not committed; returns (repo, worktree)."""
    from helpers.sample import copy_sample

    repo = copy_sample(base / "repo")
    init_repo(repo)
    git(repo, "checkout", "-qb", "tick-t007")
    tick(repo, "T007")
    commit_all(repo, "T007 done")
    git(repo, "checkout", "-q", "main")
    worktree = base / "wt-other"
    git(repo, "worktree", "add", "-q", "-b", "other", str(worktree))
    tick(worktree, "T008")
    return repo, worktree
