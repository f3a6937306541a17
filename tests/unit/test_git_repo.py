"""sdd_tui.workspace.git on real temporary repositories (``git`` run through subprocess).

Branch and upstream (a bare clone as the remote), modified/untracked/added/deleted marks, the
diff of a changed and of an untracked document, the "plan may be stale" rule (commit times,
mtime when dirty), features that exist only on another local branch (read from git objects,
no checkout), autocommit through ``sdd-tui move``, a repository without commits and a
folder outside any repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.files import SAMPLE
from helpers.git import add_branch_feature, commit_all, git, git_env, init_repo
from helpers.sample import BOARD_JSON, FEATURE, HISTORY, TASKS_MD, new_task_lines

from sdd_tui.operations.portfolio import read_document_at
from sdd_tui.workspace import git as gitmod
from sdd_tui.workspace.loader import load

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SPEC = f"specs/{FEATURE}/spec.md"
PLAN = f"specs/{FEATURE}/plan.md"
TASKS = TASKS_MD.as_posix()
T0 = 1_700_000_000  # commit dates (epoch seconds) for the stale-plan tests


def info(root: Path) -> gitmod.GitInfo:
    result = gitmod.git_info(root)
    assert result is not None
    return result


# --------------------------------------------------------------------------- branch, upstream


def test_branch_and_clean_tree(repo: Path) -> None:
    i = info(repo)
    assert (i.branch, i.upstream, i.ahead, i.behind, i.has_commits) == ("main", None, 0, 0, True)
    assert i.status == {}
    assert i.mark(SPEC) is None and i.mark(None) is None
    git(repo, "checkout", "-qb", "002-meal-planner")
    assert info(repo).branch == "002-meal-planner"


def test_detached_head_has_no_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    i = info(repo)
    assert i.branch is None and i.upstream is None and i.has_commits


def test_ahead_and_behind_an_upstream(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "fetch", "-q", "origin")
    git(repo, "branch", "-q", "--set-upstream-to=origin/main", "main")
    i = info(repo)
    assert (i.upstream, i.ahead, i.behind) == ("origin/main", 0, 0)
    # two local commits …
    for n in range(2):
        (repo / "README.md").write_text(f"local {n}\n", encoding="utf-8")
        commit_all(repo, f"local {n}")
    # … and one pushed by a teammate from another clone
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, "config", "user.name", "Teammate")
    git(other, "config", "user.email", "mate@example.com")
    (other / "notes.txt").write_text("theirs\n", encoding="utf-8")
    commit_all(other, "theirs")
    git(other, "push", "-q", "origin", "main")
    assert (info(repo).ahead, info(repo).behind) == (2, 0)  # not fetched yet
    git(repo, "fetch", "-q", "origin")
    i = info(repo)
    assert (i.branch, i.upstream, i.ahead, i.behind) == ("main", "origin/main", 2, 1)


# --------------------------------------------------------------------------- marks


def test_dirty_and_untracked_marks(repo: Path) -> None:
    (repo / SPEC).write_text("# Changed spec\n", encoding="utf-8")
    research = f"specs/{FEATURE}/research.md"
    (repo / research).write_text("# Research\n", encoding="utf-8")
    staged = f"specs/{FEATURE}/quickstart.md"
    (repo / staged).write_text("# Quickstart\n", encoding="utf-8")
    git(repo, "add", staged)
    (repo / PLAN).unlink()
    i = info(repo)
    assert i.mark(SPEC) == "M"
    assert i.mark(research) == "?"
    assert i.mark(staged) == "A"
    assert i.mark(PLAN) == "D"
    assert i.mark(TASKS) is None
    # staged and then modified again: still "modified"
    git(repo, "add", SPEC)
    (repo / SPEC).write_text("# Changed twice\n", encoding="utf-8")
    assert info(repo).mark(SPEC) == "M"


def test_marks_for_a_workspace_in_a_subfolder_of_the_repo(tmp_path: Path) -> None:
    """Paths stay workspace-relative when the repository root is a parent folder."""
    outer = tmp_path / "mono"
    outer.mkdir()
    root = outer / "apps" / "recipes"
    shutil.copytree(SAMPLE, root)
    (outer / "elsewhere.txt").write_text("x\n", encoding="utf-8")
    init_repo(outer)
    (root / SPEC).write_text("# Changed\n", encoding="utf-8")
    (outer / "elsewhere.txt").write_text("y\n", encoding="utf-8")
    i = info(root)
    assert i.status == {SPEC: " M"}  # nothing from outside the workspace
    assert "+# Changed" in gitmod.diff(root, SPEC)


# --------------------------------------------------------------------------- diff


def test_diff_of_a_modified_document(repo: Path) -> None:
    text = (repo / TASKS).read_text(encoding="utf-8")
    (repo / TASKS).write_text(
        text.replace("- [ ] T009 ", "- [x] T009 ") + new_task_lines(90, 1), encoding="utf-8"
    )
    out = gitmod.diff(repo, TASKS)
    assert out.startswith("diff --git")
    minus = [ln for ln in out.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln for ln in out.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    assert minus == [ln for ln in minus if "T009" in ln] and len(minus) == 1
    assert any("- [x] T009 " in ln for ln in plus)
    assert any("T090" in ln for ln in plus)
    assert gitmod.diff(repo, SPEC) == ""  # unchanged


def test_diff_of_an_untracked_document(repo: Path) -> None:
    research = f"specs/{FEATURE}/research.md"
    (repo / research).write_text("# Research\n\nline two\n", encoding="utf-8")
    out = gitmod.diff(repo, research)
    assert out.splitlines() == [
        "--- /dev/null",
        f"+++ b/{research}",
        "@@ -0,0 +1,3 @@",
        "+# Research",
        "+",
        "+line two",
    ]


# --------------------------------------------------------------------------- stale plan


def dated_repo(root: Path, order: list[tuple[str, int]]) -> None:
    """Commit the sample's files, then each (path, second) in order with that commit date."""
    init_repo(root, commit=False)
    commit_all(root, "init", date=T0)
    for path, at in order:
        with (root / path).open("a", encoding="utf-8") as fh:
            fh.write(f"\nedited at {at}\n")
        commit_all(root, f"edit {path}", date=T0 + at)


def feature(root: Path):  # type: ignore[no-untyped-def]
    f = load(root).workspace.feature(FEATURE)
    assert f is not None
    return f


def test_stale_plan_when_spec_committed_after_plan(sample: Path) -> None:
    dated_repo(sample, [(PLAN, 100), (TASKS, 110), (SPEC, 200)])
    assert gitmod.stale_plan(sample, feature(sample), info(sample)) is True


def test_plan_not_stale_when_committed_after_spec(sample: Path) -> None:
    dated_repo(sample, [(SPEC, 100), (PLAN, 200), (TASKS, 210)])
    assert gitmod.stale_plan(sample, feature(sample), info(sample)) is False


def test_spec_newer_than_tasks_only_is_stale(sample: Path) -> None:
    dated_repo(sample, [(TASKS, 100), (SPEC, 150), (PLAN, 200)])
    assert gitmod.stale_plan(sample, feature(sample), info(sample)) is True


def test_dirty_spec_uses_its_mtime(sample: Path) -> None:
    dated_repo(sample, [(SPEC, 100), (PLAN, 200), (TASKS, 210)])
    (sample / SPEC).write_text("# Spec rewritten by an agent\n", encoding="utf-8")
    os.utime(sample / SPEC, (T0 + 150, T0 + 150))  # dirty, but older than the plan commit
    assert gitmod.stale_plan(sample, feature(sample), info(sample)) is False
    os.utime(sample / SPEC, (T0 + 300, T0 + 300))  # dirty and newer
    assert gitmod.stale_plan(sample, feature(sample), info(sample)) is True


def test_feature_without_plan_or_tasks_is_never_stale(repo: Path) -> None:
    f = load(repo).workspace.feature("003-nutrition-labels")
    assert f is not None
    assert gitmod.stale_plan(repo, f, info(repo)) is False


# --------------------------------------------------------------------------- other branches


def test_features_only_on_other_branches_are_read_only(repo: Path) -> None:
    add_branch_feature(
        repo,
        "004-export",
        "004-export",
        "- [x] T001 Done on the branch\n- [ ] T002 Still to do\n- [ ] T003 Also to do\n",
    )
    # a branch that only changes an existing feature adds nothing
    git(repo, "checkout", "-qb", "tweak")
    (repo / SPEC).write_text("# tweaked\n", encoding="utf-8")
    commit_all(repo, "tweak")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("dirty\n", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    status = git(repo, "status", "--porcelain")
    loaded = load(repo)
    existing = {f.id for f in loaded.workspace.features}
    found = gitmod.branch_features(repo, set(existing), loaded.columns)
    assert [f.id for f in found] == ["004-export"]
    f = found[0]
    assert (f.read_only, f.branch, f.layout, f.path) == (True, "004-export", "speckit", f.path)
    assert f.documents["tasks"] == "specs/004-export/tasks.md"
    assert [(t.key, t.done) for t in f.tasks] == [("T001", True), ("T002", False), ("T003", False)]
    assert f.done_count == 1
    doc = read_document_at(repo, "004-export", "specs/004-export/spec.md")
    assert doc is not None and doc.src.raw.startswith(b"# Feature Specification: 004-export")
    assert read_document_at(repo, "004-export", "specs/004-export/missing.md") is None
    # no checkout happened: same HEAD, same working tree, no new folder
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(repo, "status", "--porcelain") == status
    assert not (repo / "specs" / "004-export").exists()


def test_branch_feature_already_checked_out_is_not_duplicated(repo: Path) -> None:
    add_branch_feature(repo, "004-export", "004-export", "- [ ] T001 x\n")
    git(repo, "checkout", "-q", "004-export")
    loaded = load(repo)
    existing = {f.id for f in loaded.workspace.features}
    assert "004-export" in existing
    assert gitmod.branch_features(repo, set(existing), loaded.columns) == []


# --------------------------------------------------------------------------- autocommit


def sdd_tui(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sdd_tui", *args, "--path", str(root)],
        capture_output=True,
        text=True,
        env=git_env(),
        check=False,
        timeout=60,
    )


def test_autocommit_commits_exactly_the_operation(repo: Path) -> None:
    config = repo / ".sdd" / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("autocommit: false", "autocommit: true"),
        encoding="utf-8",
    )
    commit_all(repo, "turn autocommit on")
    # the user's own work in progress: must stay uncommitted
    (repo / "README.md").write_text("work in progress\n", encoding="utf-8")
    (repo / "scratch.txt").write_text("untracked\n", encoding="utf-8")
    (repo / SPEC).write_text("# half-edited spec\n", encoding="utf-8")
    before = int(git(repo, "rev-list", "--count", "HEAD"))

    out = sdd_tui(repo, "move", f"{FEATURE}/T009", "done")
    assert out.returncode == 0, out.stderr
    assert int(git(repo, "rev-list", "--count", "HEAD")) == before + 1
    assert git(repo, "log", "-1", "--format=%s") == f"sdd: {FEATURE}/T009 todo → done\n"
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted([TASKS, HISTORY.as_posix()])

    out = sdd_tui(repo, "move", f"{FEATURE}/T011", "in_progress")
    assert out.returncode == 0, out.stderr
    assert int(git(repo, "rev-list", "--count", "HEAD")) == before + 2
    assert git(repo, "log", "-1", "--format=%s") == f"sdd: {FEATURE}/T011 todo → in_progress\n"
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted([BOARD_JSON.as_posix(), HISTORY.as_posix()])

    status = {line[3:]: line[:2] for line in git(repo, "status", "--porcelain").splitlines()}
    status.pop(".sdd/.lock", None)  # the writers' lock file (``sdd-tui init`` ignores it)
    assert status == {"README.md": " M", "scratch.txt": "??", SPEC: " M"}
    assert (repo / "README.md").read_text(encoding="utf-8") == "work in progress\n"


def test_no_autocommit_by_default(repo: Path) -> None:
    before = git(repo, "rev-parse", "HEAD")
    out = sdd_tui(repo, "move", f"{FEATURE}/T009", "done")
    assert out.returncode == 0, out.stderr
    assert git(repo, "rev-parse", "HEAD") == before
    assert info(repo).mark(TASKS) == "M"


def test_autocommit_in_a_repo_without_commits(sample: Path) -> None:
    init_repo(sample, commit=False)
    config = sample / ".sdd" / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("autocommit: false", "autocommit: true"),
        encoding="utf-8",
    )
    out = sdd_tui(sample, "move", f"{FEATURE}/T009", "done")
    assert out.returncode == 0, out.stderr
    assert git(sample, "log", "--format=%s") == f"sdd: {FEATURE}/T009 todo → done\n"
    committed = git(sample, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(committed) == sorted([TASKS, HISTORY.as_posix()])


# --------------------------------------------------------------------------- edge cases


def test_repo_without_commits(sample: Path) -> None:
    init_repo(sample, commit=False)
    i = info(sample)
    assert (i.branch, i.has_commits, i.upstream, i.ahead, i.behind) == ("main", False, None, 0, 0)
    assert i.mark(SPEC) == "?"
    loaded = load(sample)
    assert gitmod.branch_features(sample, set(), loaded.columns) == []
    assert gitmod.stale_plan(sample, feature(sample), i) in (True, False)
    out = gitmod.diff(sample, SPEC)  # untracked: the whole file as added lines
    assert out.startswith("--- /dev/null")
    git(sample, "add", SPEC)  # staged, still no HEAD
    assert info(sample).mark(SPEC) == "A"
    assert gitmod.diff(sample, SPEC).startswith("--- /dev/null")


def outside_any_repo(path: Path) -> bool:
    probe = subprocess.run(
        ["git", "rev-parse", "--git-dir"], cwd=path, capture_output=True, env=git_env()
    )
    return probe.returncode != 0


def test_folder_without_git(sample: Path) -> None:
    if not outside_any_repo(sample):
        pytest.skip("the temporary folder lies inside a git repository")
    assert gitmod.git_info(sample) is None
    assert gitmod.diff(sample, SPEC) == ""
    assert gitmod.branch_features(sample, set(), load(sample).columns) == []
    assert read_document_at(sample, "main", SPEC) is None
    assert gitmod.autocommit(sample, [TASKS], "x") == "not a git repository"


def test_without_gitpython_everything_is_hidden(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "git", None)  # ``import git`` raises ImportError
    assert gitmod.open_repo(repo) is None
    assert gitmod.git_info(repo) is None
    assert gitmod.diff(repo, SPEC) == ""
