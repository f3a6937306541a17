"""Done that needs evidence (``operations.evidence``): failing or missing tests, files that
did not change on the feature's branch."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree
from helpers.git import git

from sdd_tui.operations.checks import tracing
from sdd_tui.operations.evidence import Changes, branch_changes, named_files, unproven
from sdd_tui.workspace.loader import load
from sdd_tui.workspace.results import load_results

TASKS = """\
# Tasks

- [x] T001 Write export tests in tests/test_export.py (FR-001)
- [x] T002 Implement export in src/export.py (FR-001)
- [x] T003 Implement import in src/importer.py and src/formats.py (FR-002)
- [x] T004 Write the release notes
- [ ] T005 Implement sharing in src/share.py
"""
SPEC = "# Spec\n\n## Requirements\n\n- **FR-001**: Export.\n- **FR-002**: Import.\n"


def junit(*cases: tuple[str, str]) -> str:
    body = "".join(
        f'<testcase classname="tests.test_export" name="{name}">'
        + ('<failure message="no">x</failure>' if status == "failed" else "")
        + "</testcase>"
        for name, status in cases
    )
    return f'<?xml version="1.0"?><testsuite name="t" tests="{len(cases)}">{body}</testsuite>'


def workspace(root: Path, results: str | None = None) -> Path:
    files = {"specs/001-x/spec.md": SPEC, "specs/001-x/tasks.md": TASKS}
    if results is not None:
        files[".sdd/results/junit.xml"] = results
    return write_tree(root, files)


def evidence(root: Path, changes: Changes | None = None) -> dict[str, tuple[str, ...]]:
    loaded = load(root)
    results, _ = load_results(root)
    traced = tracing(loaded.workspace, results)
    feature = loaded.workspace.feature("001-x")
    assert feature is not None
    found = unproven(feature, traced.trace, changes, have_results=traced.have_results)
    return {key: e.reasons for key, e in found.items()}


def test_named_files_are_the_source_files_a_task_names() -> None:
    class T:
        text = "Implement import in src/importer.py, `lib/x.ts` and docs/notes.md (FR-002)"
        body = ("  - also tests/test_importer.py",)

    task = T()
    assert named_files(task) == ["src/importer.py", "lib/x.ts", "tests/test_importer.py"]  # type: ignore[arg-type]


def test_failing_and_missing_tests_leave_a_done_task_unproven(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", junit(("test_fr_001_export", "failed")))
    found = evidence(root)
    assert found["T001"][0].startswith("its linked tests fail: test_fr_001_export")
    assert "T004" not in found and "T005" not in found  # no evidence either way; not done
    passing = workspace(tmp_path / "ok", junit(("test_fr_002_import", "passed")))
    assert evidence(passing)["T001"] == ("no result for the tests it names (tests/test_export.py)",)


def test_without_results_tests_are_not_judged(tmp_path: Path) -> None:
    assert evidence(workspace(tmp_path / "ws")) == {}


def test_files_that_did_not_change_on_the_branch(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    changes = Changes("main", frozenset({"src/export.py", "src/formats.py"}))
    found = evidence(root, changes)
    assert "T002" not in found  # its file changed
    assert "T003" not in found  # one of its two files changed
    assert found["T001"] == ("none of the files it names changed since main: tests/test_export.py",)
    assert "T004" not in found  # names no file


def test_branch_changes_from_git(tmp_path: Path) -> None:
    repo = workspace(tmp_path / "repo")
    write_tree(repo, {"src/export.py": "x = 1\n", "src/importer.py": "y = 1\n"})
    assert branch_changes(repo) is None  # not a repository yet
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base", date=1_700_000_000)
    assert branch_changes(repo) is None  # on the default branch: nothing to judge
    git(repo, "checkout", "-q", "-b", "001-x")
    (repo / "src" / "export.py").write_text("x = 2\n")
    git(repo, "commit", "-q", "-am", "export", date=1_700_000_100)
    (repo / "src" / "importer.py").write_text("y = 2\n")  # uncommitted counts too
    (repo / "src" / "new.py").write_text("z = 1\n")  # so does an untracked file
    changes = branch_changes(repo)
    assert changes is not None and changes.base == "main"
    assert {"src/export.py", "src/importer.py", "src/new.py"} <= changes.files
    assert "specs/001-x/tasks.md" not in changes.files


def test_a_workspace_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    root = workspace(repo / "app")
    write_tree(root, {"src/export.py": "x = 1\n"})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base", date=1_700_000_000)
    git(repo, "checkout", "-q", "-b", "feature")
    (root / "src" / "export.py").write_text("x = 2\n")
    changes = branch_changes(root)
    assert changes is not None and changes.files == {"src/export.py"}  # root-relative


def test_a_fifo_where_git_keeps_a_file_is_not_waited_on(tmp_path: Path) -> None:
    import os
    import time

    from sdd_tui.operations.checks import git_times

    root = workspace(tmp_path / "ws")
    (root / ".git").mkdir()
    os.mkfifo(root / ".git" / "HEAD")  # git would block reading it
    started = time.monotonic()
    assert branch_changes(root) is None
    assert git_times(root, ["specs/001-x/spec.md"]) is None
    assert time.monotonic() - started < 5
