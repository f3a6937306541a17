"""The portfolio's core (issue 18): every feature in every place of a real repository built
in a temp folder — branches, worktrees (one detached, one with an uncommitted edit),
remote-tracking branches, a shallow clone, a repository without commits, a workspace in a
subfolder — read without a checkout, git trouble as messages, parses cached by blob id."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.git import git, init_repo, outside_any_repo
from helpers.portfolio import KIRO, OPENSPEC, T0, ZENCODER, branch, repo_with, speckit

from sdd_tui.model.places import Portfolio, PortfolioRow
from sdd_tui.operations.portfolio import place_root, read_document_at, read_portfolio
from sdd_tui.workspace import git_places, tree_features

OPEN = "- [ ] T001 a\n- [ ] T002 b\n- [x] T003 c\n"
DONE = "- [x] T001 a\n- [x] T002 b\n- [x] T003 c\n"
TASKS = "specs/001-login/tasks.md"


def rows_at(p: Portfolio, place: str, feature: str | None = None) -> list[PortfolioRow]:
    return [
        r for r in p.rows if r.place.name == place and (feature is None or r.feature.id == feature)
    ]


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """main; branches all-done, layouts (Kiro + OpenSpec), stale (spec after plan); a
    worktree on wt-branch with an uncommitted edit, a detached worktree, a remote."""
    base = tmp_path_factory.mktemp("team")
    root = repo_with(base / "repo", {**speckit("001-login", OPEN), ".sdd/.gitignore": "cache/\n"})
    done = branch(root, "all-done", speckit("001-login", DONE), date=T0 + 100)
    branch(root, "layouts", {**KIRO, **OPENSPEC, **ZENCODER}, date=T0 + 200)
    branch(root, "stale", {"specs/001-login/spec.md": "# Spec\n\nChanged.\n"}, date=T0 + 300)
    wt, det = base / "wt", base / "det"
    git(root, "worktree", "add", "-q", "-b", "wt-branch", str(wt), "main")
    (wt / TASKS).write_text(f"# Tasks\n\n{DONE}", encoding="utf-8")  # uncommitted
    git(root, "worktree", "add", "-q", "--detach", str(det), done)
    git(root, "update-ref", "refs/remotes/origin/shared", done)
    git(root, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/shared")
    plain = read_portfolio(root)
    remotes = read_portfolio(root, remotes=True)
    return {"root": root, "wt": wt, "det": det, "done": done, "plain": plain, "remotes": remotes}


def test_a_feature_on_two_branches_is_two_rows_never_merged(team: dict) -> None:
    p: Portfolio = team["plain"]
    assert p.in_git and p.messages == ()
    (here,) = rows_at(p, "main", "001-login")
    (there,) = rows_at(p, "all-done", "001-login")
    assert here.place.current and not here.read_only and here.feature.branch is None
    assert (here.done, here.total, here.stage) == (1, 3, "Implement")
    assert there.place.kind == "branch" and not there.place.live
    assert (there.done, there.total, there.stage) == (3, 3, "Verify")
    assert there.feature.read_only and there.feature.branch == "all-done"
    assert there.feature.documents["tasks"] == TASKS
    assert there.changed_at == T0 + 100 and there.changed_by == "Test Author"
    assert there.failing_tests is None  # no results read from git objects


def test_kiro_openspec_and_zencoder_features_on_a_branch(team: dict) -> None:
    rows = {r.feature.id: r for r in rows_at(team["plain"], "layouts")}
    assert rows["login"].feature.layout == "kiro"
    assert (rows["login"].done, rows["login"].total) == (1, 2)
    assert rows["add-export"].feature.layout == "openspec"
    assert (rows["add-export"].done, rows["add-export"].total) == (0, 2)
    assert rows["notify"].feature.layout == "zencoder"  # its tasks in the root's progress.md
    assert (rows["notify"].done, rows["notify"].total) == (1, 3)
    assert rows["001-login"].done == 1  # the branch has main's feature too
    assert all(r.feature.branch == "layouts" and r.read_only for r in rows.values())


def test_a_plan_older_than_its_spec_may_be_stale(team: dict) -> None:
    p = team["plain"]
    assert rows_at(p, "stale", "001-login")[0].plan_stale is True
    assert rows_at(p, "all-done", "001-login")[0].plan_stale is False


def test_another_worktree_is_read_live_from_its_folder_and_left_untouched(team: dict) -> None:
    (row,) = rows_at(team["plain"], "wt-branch", "001-login")
    assert row.place.kind == "worktree" and row.place.live and not row.place.current
    assert row.read_only and row.feature.read_only and row.feature.branch == "wt-branch"
    assert (row.done, row.total) == (3, 3)  # the uncommitted edit
    assert row.changed_by == ""  # uncommitted: the file's time, by the user
    wt: Path = team["wt"]
    assert place_root(team["root"], row.place) == Path(row.place.path or "") == wt
    assert place_root(team["root"], rows_at(team["plain"], "all-done")[0].place) is None
    assert not (wt / ".sdd" / "cache").exists()
    assert git(wt, "status", "--porcelain") == f" M {TASKS}\n"


def test_a_detached_worktree(team: dict) -> None:
    name = f"(detached {team['done'][:7]})"
    (row,) = rows_at(team["plain"], name, "001-login")
    assert row.place.kind == "worktree" and row.place.commit == team["done"]
    assert row.done == 3


def test_remote_tracking_branches_only_when_asked(team: dict) -> None:
    assert not [pl for pl in team["plain"].places if pl.kind == "remote"]
    remote = [pl for pl in team["remotes"].places if pl.kind == "remote"]
    assert [pl.name for pl in remote] == ["origin/shared"]  # origin/HEAD is a pointer
    (row,) = rows_at(team["remotes"], "origin/shared", "001-login")
    assert row.done == 3 and row.feature.read_only


def test_branches_checked_out_in_a_worktree_are_read_there(team: dict) -> None:
    names = [(pl.kind, pl.name) for pl in team["plain"].places]
    assert names[0] == ("worktree", "main")
    assert ("branch", "wt-branch") not in names and ("worktree", "wt-branch") in names
    assert len(names) == len(set(names))


def test_a_document_at_any_commit(team: dict) -> None:
    root = team["root"]
    for commit in ("all-done", team["done"], "origin/shared"):
        doc = read_document_at(root, commit, TASKS)
        assert doc is not None and "[x] T001" in doc.src.text and doc.path == TASKS
    assert "[ ] T001" in read_document_at(root, "main", TASKS).src.text  # type: ignore[union-attr]
    assert read_document_at(root, "all-done", "specs/nope.md") is None
    assert read_document_at(root, "no-such-branch", TASKS) is None
    assert read_document_at(root, "--output=/tmp/x", TASKS) is None


def test_a_repository_without_commits(tmp_path: Path) -> None:
    init_repo(tmp_path, commit=False)
    (tmp_path / "specs" / "001-a").mkdir(parents=True)
    (tmp_path / "specs" / "001-a" / "tasks.md").write_text(f"# Tasks\n\n{OPEN}", "utf-8")
    p = read_portfolio(tmp_path)
    assert p.in_git and any("no commits" in m for m in p.messages)
    (row,) = p.rows
    assert row.place.current and row.place.commit is None and row.done == 1
    assert row.changed_by == ""  # untracked: its mtime


def test_a_shallow_clone(team: dict, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{team['root']}", str(clone))
    p = read_portfolio(clone, remotes=True)
    assert any("shallow" in m for m in p.messages)
    assert rows_at(p, "main", "001-login")[0].done == 1
    assert rows_at(p, "origin/main", "001-login")[0].changed_at == T0


def test_a_branch_deleted_while_it_is_read(tmp_path: Path, monkeypatch) -> None:
    root = repo_with(tmp_path / "r", speckit("001-login", OPEN))
    branch(root, "doomed", speckit("001-login", DONE))
    listed = git_places.list_places

    def list_then_delete(top: Path, remotes: bool):  # type: ignore[no-untyped-def]
        found = listed(top, remotes)
        git(root, "branch", "-qD", "doomed")
        git(root, "reflog", "expire", "--expire=now", "--all")
        git(root, "gc", "-q", "--prune=now")
        return found

    monkeypatch.setattr(git_places, "list_places", list_then_delete)
    p = read_portfolio(root)
    assert any("doomed" in m and "gone" in m for m in p.messages)
    assert not rows_at(p, "doomed") and "doomed" not in [pl.name for pl in p.places]
    assert rows_at(p, "main", "001-login")


def test_a_workspace_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    files = {f"app/{k}": v for k, v in speckit("001-x", OPEN).items()}
    root = repo_with(tmp_path / "r", {**files, "app/.sdd/.gitignore": "cache/\n"})
    branch(root, "b", {"app/specs/001-x/tasks.md": f"# Tasks\n\n{DONE}"}, date=T0 + 5)
    p = read_portfolio(root / "app")
    (row,) = rows_at(p, "b", "001-x")
    assert row.done == 3 and row.feature.documents["tasks"] == "specs/001-x/tasks.md"
    assert row.changed_at == T0 + 5
    doc = read_document_at(root / "app", "b", "specs/001-x/tasks.md")
    assert doc is not None and "[x] T001" in doc.src.text


def test_outside_any_repository(tmp_path: Path) -> None:
    if not outside_any_repo(tmp_path):
        pytest.skip("the temp folder is inside a git repository")
    p = read_portfolio(tmp_path)
    assert not p.in_git and p.rows == () and p.messages
    assert read_document_at(tmp_path, "main", "x.md") is None


def test_an_unchanged_feature_is_not_parsed_again(tmp_path: Path, monkeypatch) -> None:
    root = repo_with(
        tmp_path / "r",
        {**speckit("001-a", OPEN), **speckit("002-b", OPEN), ".sdd/.gitignore": "cache/\n"},
    )
    branch(root, "one", speckit("001-a", DONE))
    parsed: list[str] = []
    real = tree_features._parse

    def counting(relpath: str, data: bytes, kind: str | None):  # type: ignore[no-untyped-def]
        parsed.append(relpath)
        return real(relpath, data, kind)

    monkeypatch.setattr(tree_features, "_parse", counting)
    read_portfolio(root)
    # the branch's files: 002-b's three and 001-a's spec and plan as on main, 001-a's tasks
    assert sorted(parsed) == sorted([*speckit("001-a", ""), *speckit("002-b", "")])
    tree_features._CACHES.clear()  # as a second process: the cache on disk only
    parsed.clear()
    first = read_portfolio(root)
    assert parsed == []
    git(root, "checkout", "-q", "one")
    branch(root, "two", speckit("002-b", DONE))  # one file differs from all seen before
    tree_features._CACHES.clear()
    second = read_portfolio(root)
    assert parsed == ["specs/002-b/tasks.md"]
    assert len(second.rows) == len(first.rows) + 2
    assert (root / ".sdd" / "cache" / tree_features.CACHE_NAME).is_file()


def test_git_trouble_is_a_message(tmp_path: Path, monkeypatch) -> None:
    root = repo_with(tmp_path / "r", speckit("001-a", OPEN))

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise git_places.GitTrouble("fatal: something odd")

    monkeypatch.setattr(git_places, "list_places", broken)
    p = read_portfolio(root)
    assert p.in_git and p.rows == () and p.messages == ("git: fatal: something odd",)


def test_no_git_program(tmp_path: Path, monkeypatch) -> None:
    root = repo_with(tmp_path / "r", speckit("001-a", OPEN))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    p = read_portfolio(root)
    assert not p.in_git and p.rows == () and "git is not installed" in p.messages[0]


def test_a_worktree_whose_folder_is_gone(tmp_path: Path) -> None:
    import shutil

    root = repo_with(tmp_path / "r", speckit("001-login", OPEN))
    git(root, "worktree", "add", "-q", "-b", "lost", str(tmp_path / "lost"), "main")
    shutil.rmtree(tmp_path / "lost")
    p = read_portfolio(root)
    assert any("lost" in m and "gone" in m for m in p.messages)
    (row,) = rows_at(p, "lost", "001-login")  # its branch, from git objects
    assert row.place.kind == "branch" and row.read_only


def test_the_callers_snapshot_is_not_loaded_again(tmp_path: Path, monkeypatch) -> None:
    from sdd_tui.workspace import loader

    root = repo_with(tmp_path / "r", speckit("001-login", OPEN))
    held = loader.load_root(root)

    def no_load(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("loaded again")

    monkeypatch.setattr(loader, "load_root", no_load)
    (row,) = read_portfolio(root, current=held).rows
    assert row.feature is held.workspace.features[0]


def test_a_plugin_layout_on_a_branch(tmp_path: Path) -> None:
    from helpers.toy_layout import TOY

    from sdd_tui.layouts import registered

    root = repo_with(tmp_path / "r", speckit("001-login", OPEN))
    toy = {".toy/game/brief.md": "# Brief\n", ".toy/game/todo.md": "- [x] a\n- [ ] b\n"}
    branch(root, "toy", toy)
    with registered(TOY):
        (row,) = rows_at(read_portfolio(root), "toy", "game")
    assert row.feature.layout == "toy" and (row.done, row.total) == (1, 2)
    assert row.feature.documents["tasks"] == ".toy/game/todo.md"


def test_a_history_too_long_to_walk(tmp_path: Path, monkeypatch) -> None:
    root = repo_with(tmp_path / "r", speckit("001-login", OPEN))
    branch(root, "b", speckit("001-login", DONE), date=T0 + 9)
    monkeypatch.setattr(git_places, "WALK_LIMIT", 1)
    p = read_portfolio(root)
    assert any("history longer than 1 commits" in m for m in p.messages)
    assert rows_at(p, "b", "001-login")[0].done == 3  # the rows are all there


def junit(name: str, failed: bool) -> str:
    failure = '<failure message="no">x</failure>' if failed else ""
    case = f'<testcase classname="tests.test_export" name="{name}">{failure}</testcase>'
    return f'<?xml version="1.0"?><testsuite name="t" tests="1">{case}</testsuite>'


def test_failing_linked_tests_where_results_exist(tmp_path: Path) -> None:
    spec = "# Spec\n\n## Requirements\n\n- **FR-001**: Export.\n"
    tasks = "- [x] T001 Write export tests in tests/test_export.py (FR-001)\n- [ ] T002 Ship\n"
    root = repo_with(tmp_path / "r", speckit("001-x", tasks, spec=spec))
    branch(root, "b", {"specs/001-x/plan.md": "# Plan\n\nMore.\n"})
    git(root, "worktree", "add", "-q", str(tmp_path / "wt"), "b")
    (root / ".sdd" / "results").mkdir(parents=True)  # results are not committed
    (root / ".sdd" / "results" / "junit.xml").write_text(junit("test_fr_001_export", True))
    (tmp_path / "wt" / ".sdd" / "results").mkdir(parents=True)
    (tmp_path / "wt" / ".sdd" / "results" / "junit.xml").write_text(
        junit("test_fr_001_export", False)
    )
    p = read_portfolio(root)
    assert rows_at(p, "main", "001-x")[0].failing_tests == 1
    (there,) = rows_at(p, "b", "001-x")
    assert there.place.live and there.failing_tests == 0
    git(root, "worktree", "remove", "--force", str(tmp_path / "wt"))
    assert rows_at(read_portfolio(root), "b", "001-x")[0].failing_tests is None  # git objects


def test_this_worktree_on_a_detached_head(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "r", speckit("001-login", OPEN))
    sha = branch(root, "b", speckit("001-login", DONE))
    git(root, "checkout", "-q", "--detach", sha)
    p = read_portfolio(root)
    here = p.places[0]
    assert here.current and here.name == f"(detached {sha[:7]})" and here.commit == sha
    assert rows_at(p, here.name, "001-login")[0].done == 3
    assert rows_at(p, "b", "001-login")[0].place.kind == "branch"  # not checked out: a branch
