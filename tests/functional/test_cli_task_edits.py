"""``sdd-tui add``, ``rename`` and ``remove``: the edit on disk, one line on stdout, one-line
errors with exit 2 as ``move`` gives them, and undo back to the identical bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.cli import run_cli
from helpers.files import read
from helpers.sample import BOARD_JSON, FEATURE, TASKS_MD

from sdd_tui.operations import history
from sdd_tui.workspace.loader import load


def test_add_rename_remove_and_undo_them_all(sample: Path) -> None:
    before = read(sample, TASKS_MD)
    added = run_cli("add", "--path", str(sample), FEATURE, "Import recipes", "--after", "T003",
                    "--parallel", "--story", "US1")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout == f"added {FEATURE}/T017 ({TASKS_MD.as_posix()})\n"
    assert b"- [x] T003 Define Day and Slot enums in recipebox/planner.py (FR-001)\n" \
        b"- [ ] T017 [P] [US1] Import recipes\n" in read(sample, TASKS_MD)  # fmt: skip
    renamed = run_cli("rename", "--path", str(sample), f"{FEATURE}/T017", "Import the recipes")
    assert renamed.returncode == 0 and renamed.stdout.startswith(f"renamed {FEATURE}/T017 (")
    assert b"- [ ] T017 [P] [US1] Import the recipes\n" in read(sample, TASKS_MD)
    removed = run_cli("remove", "--path", str(sample), f"{FEATURE}/T001")
    assert removed.returncode == 0 and removed.stdout.startswith(f"removed {FEATURE}/T001 (")
    assert b"T001" not in read(sample, TASKS_MD)
    for _ in range(3):
        assert history.undo(load(sample)) is not None
    assert read(sample, TASKS_MD) == before


def test_add_json_names_the_new_task_and_its_column(sample: Path) -> None:
    board0 = read(sample, BOARD_JSON)
    out = run_cli("add", "--path", str(sample), FEATURE, "Review it", "--column", "review",
                  "--json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["key"] == "T017" and data["column"] == "review" and data["title"] == "Review it"
    assert data["path"] == TASKS_MD.as_posix()
    history.undo(load(sample))
    assert read(sample, BOARD_JSON) == board0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "nope", "x"), "unknown feature 'nope'"),
        (("add", FEATURE, "x", "--column", "later"), "unknown column 'later'"),
        (("add", FEATURE, "x", "--section", "Phase 9"), "no section 'Phase 9'"),
        (("add", FEATURE, "x", "--story", "story1"), "not a user story label"),
        (("add", FEATURE, "x", "--after", "T1", "--section", "Phase 2"), "give one"),
        (("add", FEATURE, "   "), "the title is empty"),
        (("rename", f"{FEATURE}/T999", "x"), "unknown task 'T999'"),
        (("rename", FEATURE, "x"), "expected FEATURE/TASK"),
        (("remove", f"{FEATURE}/"), "expected FEATURE/TASK"),
        (("remove",), "required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(
    sample: Path, args: tuple[str, ...], message: str
) -> None:
    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    out = run_cli(args[0], "--path", str(sample), *args[1:])
    assert out.returncode == 2
    assert message in out.stderr and out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert (read(sample, TASKS_MD), read(sample, BOARD_JSON)) == before


def test_an_archived_feature_is_not_written(tmp_path: Path) -> None:
    from helpers.files import write_tree

    tasks = "openspec/changes/archive/2025-01-01-old/tasks.md"
    write_tree(tmp_path, {tasks: "## 1. A\n\n- [x] 1.1 Done\n"})
    feature = load(tmp_path).workspace.features[0].id
    out = run_cli("rename", "--path", str(tmp_path), f"{feature}/1.1", "Other")
    assert out.returncode == 2 and "archived" in out.stderr
    assert read(tmp_path, tasks) == b"## 1. A\n\n- [x] 1.1 Done\n"
