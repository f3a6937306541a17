"""Adding, renaming, removing and splitting tasks: the lines asked for, in the file's own
style, nothing else; undone to the exact earlier bytes from a fresh load (as after a restart)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.files import read, write_tree
from helpers.sample import BOARD_JSON, FEATURE, TASKS_MD

from sdd_tui.operations import history, task_edits
from sdd_tui.operations.boxes import OperationError
from sdd_tui.workspace.loader import load


def run(root: Path, op, *args, **kwargs):  # type: ignore[no-untyped-def]
    return history.apply_and_record(load(root), op, *args, **kwargs)


def undo(root: Path):  # type: ignore[no-untyped-def]
    change = history.undo(load(root))
    assert change is not None
    return change


def added_lines(before: bytes, after: bytes) -> list[bytes]:
    """The lines ``after`` has beyond ``before`` (which must be ``after`` minus them)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    extra = list(new)
    for line in old:
        extra.remove(line)
    return extra


# -- Spec Kit (the sample workspace) --------------------------------------------------------


def test_add_after_a_task_takes_the_next_free_id_with_the_labels_asked(sample: Path) -> None:
    before = read(sample, TASKS_MD)
    change = run(
        sample, task_edits.add_task, FEATURE, "Import recipes", after="T003", parallel=True,
        story="US2",
    )  # fmt: skip
    after = read(sample, TASKS_MD)
    assert change.op == "add" and change.task == "T017" and change.describe() == "added T017"
    lines = after.split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"- [x] T003 "))
    assert lines[at + 1] == b"- [ ] T017 [P] [US2] Import recipes"
    assert added_lines(before, after) == [b"- [ ] T017 [P] [US2] Import recipes\n"]
    task = load(sample).workspace.feature(FEATURE).task("T017")
    assert task is not None and task.parallel and task.story == "US2" and task.column == "todo"
    assert undo(sample).describe("undo") == "took back T017"
    assert read(sample, TASKS_MD) == before


def test_add_to_a_phase_goes_after_its_last_task(sample: Path) -> None:
    before = read(sample, TASKS_MD)
    run(sample, task_edits.add_task, FEATURE, "Check enum names", section="Phase 2")
    text = read(sample, TASKS_MD).decode()
    phase2 = text.split("## Phase 2", 1)[1].split("\n## ", 1)[0]
    assert "- [x] T004 Define PlannedMeal and MealPlan dataclasses in recipebox/planner.py\n" \
        "- [ ] T017 Check enum names\n" in phase2  # fmt: skip
    undo(sample)
    assert read(sample, TASKS_MD) == before
    with pytest.raises(OperationError, match="no section 'Phase 9'"):
        run(sample, task_edits.add_task, FEATURE, "x", section="Phase 9")


def test_add_to_review_writes_its_board_entry_and_undo_takes_both_back(sample: Path) -> None:
    tasks0, board0 = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    change = run(sample, task_edits.add_task, FEATURE, "Review me", column="review")
    assert set(change.files) == {TASKS_MD.as_posix(), BOARD_JSON.as_posix()}
    assert load(sample).workspace.feature(FEATURE).task("T017").column == "review"
    undo(sample)
    assert (read(sample, TASKS_MD), read(sample, BOARD_JSON)) == (tasks0, board0)
    history.redo(load(sample))
    assert load(sample).workspace.feature(FEATURE).task("T017").column == "review"


def test_add_to_done_writes_a_ticked_box(sample: Path) -> None:
    run(sample, task_edits.add_task, FEATURE, "Already did it", column="done")
    task = load(sample).workspace.feature(FEATURE).task("T017")
    assert task is not None and task.column == "done" and task.mark == "x"


def test_a_stale_board_entry_under_the_new_key_is_cleared_and_put_back(sample: Path) -> None:
    entry = '"002-meal-planner/T017": {"column": "review", "rank": 3}'
    write_tree(sample, {BOARD_JSON.as_posix(): '{"tasks": {' + entry + '}, "version": 1}\n'})
    board0 = read(sample, BOARD_JSON)
    run(sample, task_edits.add_task, FEATURE, "Fresh task")
    assert load(sample).workspace.feature(FEATURE).task("T017").column == "todo"
    undo(sample)
    assert b'"column": "review"' in read(sample, BOARD_JSON)
    assert b'"rank": 3' in read(sample, BOARD_JSON) or read(sample, BOARD_JSON) == board0


def test_rename_changes_only_the_title_bytes(sample: Path) -> None:
    before = read(sample, TASKS_MD)
    change = run(sample, task_edits.rename_task, FEATURE, "T003", "Define the enums")
    after = read(sample, TASKS_MD)
    assert change.describe() == "renamed T003"
    assert before.replace(b"T003 Define Day and Slot enums in recipebox/planner.py (FR-001)",
                          b"T003 Define the enums (FR-001)") == after  # fmt: skip
    task = load(sample).workspace.feature(FEATURE).task("T003")
    assert task.title == "Define the enums (FR-001)" and task.requirements == ("FR-001",)
    undo(sample)
    assert read(sample, TASKS_MD) == before


def test_rename_keeps_labels(sample: Path) -> None:
    before = read(sample, TASKS_MD)
    run(sample, task_edits.rename_task, FEATURE, "T002", "Planner tests")
    assert b"- [x] T002 [P] Planner tests\n" in read(sample, TASKS_MD)
    undo(sample)
    assert read(sample, TASKS_MD) == before


def test_a_title_that_would_read_as_something_else_is_refused(tmp_path: Path) -> None:
    write_tree(tmp_path, {"specs/001-a/tasks.md": "# Tasks\n\n- [ ] Plain task\n"})
    with pytest.raises(OperationError, match="would not read back"):
        run(tmp_path, task_edits.rename_task, "001-a", "Plain task", "T001 sneaky")
    assert read(tmp_path, "specs/001-a/tasks.md") == b"# Tasks\n\n- [ ] Plain task\n"
    with pytest.raises(OperationError, match="empty"):
        run(tmp_path, task_edits.add_task, "001-a", " \x1b[31m \n")


def test_remove_takes_the_line_and_its_own_lines_only(tmp_path: Path) -> None:
    text = (
        "# Tasks\n\n- [ ] T001 First\n  - note under it\n  - [ ] T001a nested\n"
        "    _Requirements: FR-001_\n\n- [ ] T002 Second\n"
    )
    write_tree(tmp_path, {"specs/001-a/tasks.md": text})
    assert task_edits.nested_tasks(load(tmp_path), "001-a", "T001") == 1
    change = run(tmp_path, task_edits.remove_task, "001-a", "T001")
    assert change.describe() == "removed T001"
    assert read(tmp_path, "specs/001-a/tasks.md") == b"# Tasks\n\n\n- [ ] T002 Second\n"
    undo(tmp_path)
    assert read(tmp_path, "specs/001-a/tasks.md") == text.encode()


def test_remove_of_the_last_line_keeps_the_missing_final_newline(tmp_path: Path) -> None:
    text = b"\xef\xbb\xbf# Tasks\r\n\r\n- [ ] T001 First\r\n- [ ] T002 Last"
    write_tree(tmp_path, {"specs/001-a/tasks.md": text})
    run(tmp_path, task_edits.remove_task, "001-a", "T002")
    assert read(tmp_path, "specs/001-a/tasks.md") == b"\xef\xbb\xbf# Tasks\r\n\r\n- [ ] T001 First"
    run(tmp_path, task_edits.add_task, "001-a", "Again")
    assert read(tmp_path, "specs/001-a/tasks.md") == text.replace(b"T002 Last", b"T002 Again")
    undo(tmp_path)
    undo(tmp_path)
    assert read(tmp_path, "specs/001-a/tasks.md") == text


def test_an_edit_made_meanwhile_is_kept(sample: Path) -> None:
    loaded = load(sample)
    path = sample / TASKS_MD
    path.write_bytes(b"# Added on top\n\n" + path.read_bytes())
    meanwhile = path.read_bytes()
    history.apply_and_record(loaded, task_edits.rename_task, FEATURE, "T004", "Dataclasses")
    assert path.read_bytes().startswith(b"# Added on top\n\n")
    assert b"- [x] T004 Dataclasses\n" in path.read_bytes()
    undo(sample)
    assert path.read_bytes() == meanwhile


def test_split_a_spec_kit_task_into_lettered_sub_tasks(sample: Path) -> None:
    before = read(sample, TASKS_MD)
    change = run(sample, task_edits.split_task, FEATURE, "T004", ["Day", "Meal"])
    assert change.describe() == "split T004"
    new = added_lines(before, read(sample, TASKS_MD))
    assert [line.strip() for line in new] == [b"- [ ] T004a Day", b"- [ ] T004b Meal"]
    feature = load(sample).workspace.feature(FEATURE)
    assert feature.task("T004a") is not None
    undo(sample)
    assert read(sample, TASKS_MD) == before


# -- Kiro, OpenSpec, Zencoder ---------------------------------------------------------------

KIRO = (
    "# Implementation Plan\n\n"
    "- [ ] 1. Set up\n  - [ ] 1.1 Create models\n    - detail\n    - _Requirements: 1.1_\n"
    "  - [ ]* 1.2 Optional tests\n\n"
    "- [ ] 2. Build\n  - [ ] 2.1 Service\n"
)


def test_kiro_ids_follow_the_parent_and_top_level(tmp_path: Path) -> None:
    write_tree(tmp_path, {".kiro/specs/a/tasks.md": KIRO, ".kiro/specs/a/requirements.md": "# R\n"})
    run(tmp_path, task_edits.add_task, "a", "Repository", after="1.1")
    text = read(tmp_path, ".kiro/specs/a/tasks.md").decode()
    assert "    - _Requirements: 1.1_\n  - [ ] 1.3 Repository\n  - [ ]* 1.2" in text
    run(tmp_path, task_edits.add_task, "a", "Ship")
    assert text + "- [ ] 3. Ship\n" == read(tmp_path, ".kiro/specs/a/tasks.md").decode()
    run(tmp_path, task_edits.split_task, "a", "2", ["Client"])
    assert (
        "  - [ ] 2.1 Service\n  - [ ] 2.2 Client\n"
        in read(tmp_path, ".kiro/specs/a/tasks.md").decode()
    )
    for _ in range(3):
        undo(tmp_path)
    assert read(tmp_path, ".kiro/specs/a/tasks.md") == KIRO.encode()


def test_kiro_rename_keeps_the_optional_marker_and_metadata(tmp_path: Path) -> None:
    write_tree(tmp_path, {".kiro/specs/a/tasks.md": KIRO, ".kiro/specs/a/requirements.md": "# R\n"})
    run(tmp_path, task_edits.rename_task, "a", "1.2", "Property tests")
    assert "  - [ ]* 1.2 Property tests\n" in read(tmp_path, ".kiro/specs/a/tasks.md").decode()
    run(tmp_path, task_edits.rename_task, "a", "1.1", "Models")
    assert (
        "  - [ ] 1.1 Models\n    - detail\n    - _Requirements: 1.1_\n"
        in read(tmp_path, ".kiro/specs/a/tasks.md").decode()
    )


OPENSPEC = "# Tasks\n\n## 1. Setup\n\n- [ ] 1.1 Scaffold\n- [x] 1.2 Wire\n\n## 2. Build\n\n"


def test_openspec_adds_in_the_section_with_its_number(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"openspec/changes/add-x/tasks.md": OPENSPEC, "openspec/changes/add-x/proposal.md": "P"},
    )
    run(tmp_path, task_edits.add_task, "add-x", "Endpoint", section="2. Build")
    run(tmp_path, task_edits.add_task, "add-x", "Lint", section="Setup")
    assert read(tmp_path, "openspec/changes/add-x/tasks.md").decode() == (
        "# Tasks\n\n## 1. Setup\n\n- [ ] 1.1 Scaffold\n- [x] 1.2 Wire\n- [ ] 1.3 Lint\n\n"
        "## 2. Build\n\n- [ ] 2.1 Endpoint\n"
    )


PROGRESS = (
    "# Progress\n\n## Completed\n\n- [x] Set up repo\n\n## Upcoming Tasks\n\n- [ ] Auth\n\n"
    "## Notes\n\nfree text\n"
)


def test_zencoder_adds_a_line_to_the_upcoming_section(tmp_path: Path) -> None:
    write_tree(tmp_path, {".zencoder/specs/app.md": "# App\n", "progress.md": PROGRESS})
    change = run(tmp_path, task_edits.add_task, "app", "Billing")
    assert change.label == "Billing"
    assert read(tmp_path, "progress.md").decode() == PROGRESS.replace(
        "- [ ] Auth\n", "- [ ] Auth\n- [ ] Billing\n"
    )
    undo(tmp_path)
    assert read(tmp_path, "progress.md").decode() == PROGRESS


def test_a_feature_without_a_tasks_file_gets_a_clear_message(tmp_path: Path) -> None:
    write_tree(tmp_path, {"specs/001-a/spec.md": "# Spec\n"})
    with pytest.raises(OperationError, match="has no tasks file"):
        run(tmp_path, task_edits.add_task, "001-a", "x")


def test_an_empty_tasks_file_starts_with_the_layouts_first_id(tmp_path: Path) -> None:
    write_tree(tmp_path, {"specs/001-a/tasks.md": "# Tasks\n"})
    run(tmp_path, task_edits.add_task, "001-a", "First")
    assert read(tmp_path, "specs/001-a/tasks.md") == b"# Tasks\n- [ ] T001 First\n"
