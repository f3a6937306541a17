"""`.sdd/history.jsonl`: one line per operation, undo/redo from the log, across restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.sample import state

from sdd_tui.operations.board import move, reorder
from sdd_tui.operations.boxes import OperationError
from sdd_tui.operations.history import (
    apply_and_record,
    can_undo,
    read_history,
    redo,
    stacks,
    undo,
)
from sdd_tui.workspace.loader import load

TASKS = "specs/002-meal-planner/tasks.md"
BOARD = ".sdd/board.json"
HISTORY = ".sdd/history.jsonl"
F = "002-meal-planner"


@pytest.fixture(autouse=True)
def _author(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada Tester")


def history_lines(root: Path) -> list[str]:
    path = root / HISTORY
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def do_move(root: Path, task: str, column: str):
    return apply_and_record(load(root), move, F, task, column)


def column(root: Path, task: str) -> str:
    return load(root).workspace.feature(F).task(task).column


def test_every_move_appends_one_line(sample: Path) -> None:
    assert history_lines(sample) == []
    do_move(sample, "T009", "done")
    do_move(sample, "T009", "review")
    do_move(sample, "T011", "in_progress")
    lines = history_lines(sample)
    assert len(lines) == 3
    entries = [json.loads(line) for line in lines]
    first = entries[0]
    assert first["op"] == "move"
    assert first["feature"] == F
    assert first["task"] == "T009"
    assert (first["from"], first["to"]) == ("todo", "done")
    assert (first["from_mark"], first["to_mark"]) == (" ", "x")
    assert first["author"] == "Ada Tester"
    assert first["time"].endswith("Z")
    assert len({e["id"] for e in entries}) == 3
    assert (entries[1]["from"], entries[1]["to"]) == ("done", "review")
    # each line is a canonical JSON object (sorted keys) so union merges stay clean
    for line in lines:
        assert line == json.dumps(json.loads(line), ensure_ascii=False, sort_keys=True)


def test_noop_and_failed_moves_are_not_recorded(sample: Path) -> None:
    do_move(sample, "T008", "review")  # already there
    with pytest.raises(OperationError):
        do_move(sample, "T999", "done")
    assert history_lines(sample) == []


def test_undo_restores_exact_bytes(sample: Path) -> None:
    original = state(sample)
    do_move(sample, "T009", "done")
    after_first = state(sample)
    do_move(sample, "T009", "review")
    do_move(sample, "T010", "done")
    change = undo(load(sample))
    assert change is not None and change.task == "T010"
    change = undo(load(sample))
    assert change is not None and change.task == "T009"
    assert state(sample) == after_first
    assert undo(load(sample)) is not None
    assert state(sample) == original
    assert undo(load(sample)) is None  # nothing left
    assert not can_undo(load(sample))


def test_undo_restores_board_columns_and_ranks(sample: Path) -> None:
    original = state(sample)
    apply_and_record(load(sample), reorder, F, "T016", -3)
    ranked = state(sample)
    assert ranked[0] == original[0]
    do_move(sample, "T016", "review")  # leaving the column drops the rank
    assert "rank" not in json.loads(state(sample)[1])["tasks"][f"{F}/T016"]
    undo(load(sample))
    assert state(sample) == ranked
    undo(load(sample))
    assert state(sample) == original


def test_redo_reapplies(sample: Path) -> None:
    do_move(sample, "T009", "done")
    do_move(sample, "T012", "review")
    final = state(sample)
    undo(load(sample))
    undo(load(sample))
    change = redo(load(sample))
    assert change is not None and change.task == "T009"
    assert column(sample, "T009") == "done"
    assert redo(load(sample)) is not None
    assert state(sample) == final
    assert redo(load(sample)) is None


def test_undo_redo_survive_a_restart(sample: Path) -> None:
    original = state(sample)
    loaded = load(sample)
    apply_and_record(loaded, move, F, "T013", "done")
    moved = state(sample)
    del loaded
    # a new process: only the files on disk know what happened
    fresh = load(sample)
    undo_stack, redo_stack = stacks(read_history(sample))
    assert [e["task"] for e in undo_stack] == ["T013"] and redo_stack == []
    assert undo(fresh) is not None
    assert state(sample) == original
    fresh = load(sample)
    assert stacks(read_history(sample))[1][-1]["task"] == "T013"
    assert redo(fresh) is not None
    assert state(sample) == moved
    assert len(history_lines(sample)) == 3  # move, undo, redo


def test_a_new_move_after_undo_clears_redo(sample: Path) -> None:
    do_move(sample, "T009", "done")
    undo(load(sample))
    assert stacks(read_history(sample))[1]
    do_move(sample, "T011", "review")
    undo_stack, redo_stack = stacks(read_history(sample))
    assert redo_stack == []
    assert [e["task"] for e in undo_stack] == ["T011"]
    assert redo(load(sample)) is None
    assert column(sample, "T009") == "todo"


def test_undo_with_a_stale_snapshot(sample: Path) -> None:
    """The UI keeps one Loaded around: undo must still work on the files as they are."""
    original = state(sample)
    loaded = load(sample)
    apply_and_record(loaded, move, F, "T009", "done")
    apply_and_record(loaded, move, F, "T011", "review")
    assert undo(loaded) is not None
    assert undo(loaded) is not None
    assert state(sample) == original


def test_garbage_lines_are_skipped(sample: Path) -> None:
    do_move(sample, "T009", "done")
    with (sample / HISTORY).open("ab") as fh:
        fh.write(b'not json at all\n\xff\xfe\n[1, 2]\n{"op": "undo", "ref": "nope"}\n\n')
        fh.write(b'{"op": "move"}\n"a string"\n{"op": "move", "id": "x1", "feature"')
    before = (sample / HISTORY).read_bytes()
    undo_stack, _ = stacks(read_history(sample))
    assert [e["task"] for e in undo_stack] == ["T009"]
    assert undo(load(sample)) is not None
    assert column(sample, "T009") == "todo"
    # the garbage is left as it was; new lines go after it, each on a line of its own
    after = (sample / HISTORY).read_bytes()
    assert after.startswith(before)
    assert after[len(before) : len(before) + 1] == b"\n"
    assert json.loads(after.splitlines()[-1])["op"] == "undo"


def test_undo_of_an_entry_whose_task_is_gone(sample: Path) -> None:
    do_move(sample, "T009", "done")
    path = sample / TASKS
    path.write_bytes(path.read_bytes().replace(b"- [x] T009 ", b"- [x] T099 "))
    with pytest.raises(OperationError):
        undo(load(sample))


def test_history_lines_are_appended_not_rewritten(sample: Path) -> None:
    do_move(sample, "T009", "done")
    first = (sample / HISTORY).read_bytes()
    undo(load(sample))
    redo(load(sample))
    data = (sample / HISTORY).read_bytes()
    assert data.startswith(first)
    ops = [json.loads(line)["op"] for line in data.splitlines()]
    assert ops == ["move", "undo", "redo"]
    refs = [json.loads(line).get("ref") for line in data.splitlines()]
    assert refs[1] == refs[2] == json.loads(first)["id"]
