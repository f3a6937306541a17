"""A move that writes tasks.md and board.json is never seen half-done (issue 16, item 9).

Two proofs: every state the files pass through between a move's writes reads as the move's
before or after (for readers that know nothing of sdd-tui's write generation), and a reader
looping the loader in another process during 200 moves sees only columns the task had.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.files import write_tree

from sdd_tui.operations import board as board_ops
from sdd_tui.operations import boxes as box_ops
from sdd_tui.operations.board import move
from sdd_tui.operations.history import apply_and_record, redo, undo
from sdd_tui.workspace import loader as loader_mod
from sdd_tui.workspace.generation import read_generation
from sdd_tui.workspace.loader import load_root

COLUMNS = ("todo", "in_progress", "review", "done")

LAYOUTS: dict[str, tuple[dict[str, str], str, str]] = {
    # name: (files, feature id, task key)
    "speckit": (
        {
            "specs/001-a/spec.md": "# Spec\n",
            "specs/001-a/tasks.md": "# Tasks\n\n- [ ] T001 First\n- [X] T002 Second\n",
        },
        "001-a",
        "T001",
    ),
    "kiro": (
        {
            ".kiro/specs/alpha/requirements.md": "# Requirements\n",
            ".kiro/specs/alpha/tasks.md": "# Plan\n\n- [ ] 1. First\n- [-] 2. Second\n",
        },
        "alpha",
        "1",
    ),
    "zencoder": (
        {
            ".zencoder/specs/notify.md": "# Notify\n",
            "progress.md": "# Progress\n\n## Current Task\n- [ ] Send SMS\n\n"
            "## Upcoming Tasks\n- [ ] Queue\n",
        },
        "notify",
        "send-sms",
    ),
}


def _state(root: Path, feature: str, key: str) -> tuple[str, str]:
    """(column, mark) as a reader that ignores the write generation reads them now."""
    ws = loader_mod._load_root(root, cache=None, previous=None, persist=False).workspace
    f = ws.feature(feature)
    assert f is not None
    task = f.task(key)
    assert task is not None, [t.key for t in f.tasks]
    return task.column, task.mark


def _watch_writes(monkeypatch: pytest.MonkeyPatch, seen: Callable[[], None]) -> None:
    """Call ``seen`` after every file a move writes."""
    real = board_ops.atomic_write

    def atomic_write(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        seen()

    monkeypatch.setattr(board_ops, "atomic_write", atomic_write)
    monkeypatch.setattr(box_ops, "atomic_write", atomic_write)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("start,end", list(itertools.permutations(COLUMNS, 2)))
def test_every_state_between_the_writes_is_before_or_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str, start: str, end: str
) -> None:
    files, feature, key = LAYOUTS[layout]
    root = write_tree(tmp_path / "ws", files)
    move(load_root(root), feature, key, start)
    before = _state(root, feature, key)
    assert before[0] == start
    states: list[tuple[str, str]] = []
    with monkeypatch.context() as m:
        _watch_writes(m, lambda: states.append(_state(root, feature, key)))
        change = move(load_root(root), feature, key, end)
    after = _state(root, feature, key)
    assert after[0] == end
    assert len(states) == len(change.files)
    assert set(states) <= {before, after}, (change.files, before, after, states)
    # and back, as undo does it (the recorded mark and rank)
    states.clear()
    with monkeypatch.context() as m:
        _watch_writes(m, lambda: states.append(_state(root, feature, key)))
        move(load_root(root), feature, key, start, mark=change.from_mark, rank=change.from_rank)
    assert _state(root, feature, key) == before
    assert set(states) <= {before, after}, states


def test_the_generation_is_odd_only_while_both_files_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, feature, key = LAYOUTS["speckit"]
    root = write_tree(tmp_path / "ws", files)
    move(load_root(root), feature, key, "review")  # board.json only
    start = read_generation(root)
    assert start[0] % 2 == 0 and not start[1]
    during: list[tuple[int, bool]] = []
    with monkeypatch.context() as m:
        _watch_writes(m, lambda: during.append(read_generation(root)))
        change = move(load_root(root), feature, key, "done")
    assert len(change.files) == 2
    assert during == [(start[0] + 1, True)] * 2
    assert read_generation(root) == (start[0] + 2, False)
    move(load_root(root), feature, key, "todo")  # tasks.md only: no bracket
    assert read_generation(root) == (start[0] + 2, False)


def test_a_failed_second_write_puts_board_json_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, feature, key = LAYOUTS["speckit"]
    root = write_tree(tmp_path / "ws", files)
    move(load_root(root), feature, key, "done")
    board_before = (
        (root / ".sdd/board.json").read_bytes() if (root / ".sdd/board.json").exists() else None
    )
    tasks_before = (root / "specs/001-a/tasks.md").read_bytes()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise box_ops.WriteRefused("tasks.md: not a regular file; not written")

    monkeypatch.setattr(box_ops, "atomic_write", refuse)
    with pytest.raises(box_ops.OperationError):
        move(load_root(root), feature, key, "review")  # board first (leaving done)
    assert (root / "specs/001-a/tasks.md").read_bytes() == tasks_before
    board_now = (
        (root / ".sdd/board.json").read_bytes() if (root / ".sdd/board.json").exists() else None
    )
    assert board_now == board_before


def test_undo_and_redo_stay_byte_exact(tmp_path: Path) -> None:
    files, feature, key = LAYOUTS["speckit"]
    root = write_tree(tmp_path / "ws", files)
    move(load_root(root), feature, key, "review")
    snapshot = {p: (root / p).read_bytes() for p in ("specs/001-a/tasks.md", ".sdd/board.json")}
    apply_and_record(load_root(root), move, feature, key, "done")
    undo(load_root(root))
    assert {p: (root / p).read_bytes() for p in snapshot} == snapshot
    redo(load_root(root))
    undo(load_root(root))
    assert {p: (root / p).read_bytes() for p in snapshot} == snapshot


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from sdd_tui.operations.report import status_json
    from sdd_tui.workspace.loader import load_root

    root, feature, stop = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    seen = {}
    reads = 0
    while not stop.exists():
        ws = load_root(root, persist=False).workspace
        summary = next(f for f in status_json(ws)["features"] if f["id"] == feature)
        state = json.dumps(summary["tasks"]["columns"], sort_keys=True)
        seen[state] = seen.get(state, 0) + 1
        reads += 1
    print(json.dumps({"reads": reads, "seen": seen}))
    """
)


def test_a_reader_looping_status_json_during_200_moves_sees_only_before_or_after(
    tmp_path: Path,
) -> None:
    files, feature, key = LAYOUTS["speckit"]
    root = write_tree(tmp_path / "ws", files)
    move(load_root(root), feature, key, "review")
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(root), feature, str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.3)  # the reader is looping
        loaded = load_root(root)
        for n in range(200):
            # review → done writes tasks.md and board.json; done → review too (the redo of
            # a done → review undo read as "todo" for a moment before)
            move(loaded, feature, key, "done" if n % 2 == 0 else "review")
            loaded = load_root(root, previous=loaded)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    result: dict[str, Any] = json.loads(out)
    review = json.dumps({"todo": 0, "in_progress": 0, "review": 1, "done": 1}, sort_keys=True)
    done = json.dumps({"todo": 0, "in_progress": 0, "review": 0, "done": 2}, sort_keys=True)
    assert result["reads"] > 20, result
    assert set(result["seen"]) <= {review, done}, result


def test_a_lock_planted_as_a_fifo_does_not_stop_a_move_of_two_files(tmp_path: Path) -> None:
    import os

    files, feature, key = LAYOUTS["speckit"]
    root = write_tree(tmp_path / "ws", files)
    move(load_root(root), feature, key, "review")
    (root / ".sdd/.lock").unlink()
    os.mkfifo(root / ".sdd/.lock")  # no generation can be kept in it
    change = move(load_root(root), feature, key, "done")
    assert len(change.files) == 2
    assert _state(root, feature, key) == ("done", "X")  # the file's own done mark


def test_a_load_that_a_move_overlapped_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdd_tui.workspace.writer import workspace_lock

    files, feature, _key = LAYOUTS["speckit"]
    root = write_tree(tmp_path / "ws", files)
    previous = load_root(root)
    real = loader_mod._load_root
    calls: list[object] = []

    def load_once_overlapped(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("changed"))
        if len(calls) == 1:  # another process's move of two files, while this load reads
            with workspace_lock(root) as lock, lock.several_files():
                pass
        return real(*args, **kwargs)

    monkeypatch.setattr(loader_mod, "_load_root", load_once_overlapped)
    loaded = load_root(root, previous=previous, changed=["specs/001-a/tasks.md"])
    assert calls == [["specs/001-a/tasks.md"], None]  # read again, every file looked at
    assert loaded.workspace.feature(feature) is not None
