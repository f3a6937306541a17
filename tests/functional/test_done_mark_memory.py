"""A task that leaves done and comes back gets its own mark back (issue 16, item 8), not the
file's majority; the file's style is used only when the history knows nothing of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.cli import main
from sdd_tui.operations.board import move
from sdd_tui.operations.history import apply_and_record, redo, undo
from sdd_tui.operations.history_log import last_done_mark
from sdd_tui.workspace.loader import load

F = "specs/001-pub"
TASKS = (
    b"# Tasks\r\n\r\n"
    b"- [x] T001 one\r\n"
    b"- [x] T002 two\r\n"
    b"- [X] T003 three\r\n"
    b"- [ ] T004 four\r\n"
    b"- [X] T005 five\r\n"
    b"- [x] T006 six\r\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path, {f"{F}/tasks.md": TASKS, ".sdd/config.yaml": "columns: [todo, done]\n"}
    )


def line_of(root: Path, task: str) -> bytes:
    return next(x for x in (root / F / "tasks.md").read_bytes().splitlines() if task.encode() in x)


def cli_move(root: Path, task: str, column: str) -> None:
    assert main(["move", "--path", str(root), f"001-pub/{task}", column]) == 0


def test_upper_case_task_gets_its_upper_case_back(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_move(root, "T003", "todo")
    assert line_of(root, "T003") == b"- [ ] T003 three"
    cli_move(root, "T003", "done")
    assert line_of(root, "T003") == b"- [X] T003 three"
    # the other lines never moved
    assert (root / F / "tasks.md").read_bytes() == TASKS
    capsys.readouterr()


def test_lower_case_task_in_an_upper_case_file_keeps_lower_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upper = TASKS.replace(b"[x] T001", b"[X] T001").replace(b"[x] T002", b"[X] T002")
    root = write_tree(tmp_path, {f"{F}/tasks.md": upper})
    cli_move(root, "T006", "todo")
    cli_move(root, "T006", "done")
    assert line_of(root, "T006") == b"- [x] T006 six"
    capsys.readouterr()


def test_a_task_never_done_takes_the_file_style(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_move(root, "T004", "done")
    assert line_of(root, "T004") == b"- [x] T004 four"  # 3 x against 2 X
    capsys.readouterr()


def test_the_last_done_mark_wins(root: Path) -> None:
    """Undo, redo and moves in between: the mark the task last had when done."""
    loaded = load(root)
    apply_and_record(loaded, move, "001-pub", "T003", "todo")
    assert last_done_mark(root, "001-pub", "T003") == "X"
    undo(load(root))  # back to done, as X
    assert line_of(root, "T003") == b"- [X] T003 three"
    redo(load(root))  # to todo again
    apply_and_record(load(root), move, "001-pub", "T003", "done")
    assert line_of(root, "T003") == b"- [X] T003 three"
    assert last_done_mark(root, "001-pub", "T004") is None
    assert last_done_mark(root, "001-pub", "T03") is None  # another task's name inside


def test_unreadable_history_falls_back_to_the_file_style(root: Path) -> None:
    loaded = load(root)
    apply_and_record(loaded, move, "001-pub", "T003", "todo")
    (root / ".sdd" / "history.jsonl").write_bytes(b'not json\n{"task": "T003"\n')
    apply_and_record(load(root), move, "001-pub", "T003", "done")
    assert line_of(root, "T003") == b"- [x] T003 three"
