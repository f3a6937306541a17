"""The session, the one owner of the workbench's state, as a plain object (no app)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.sample import FEATURE, HISTORY, TASKS_MD

from sdd_tui.operations import board as board_ops
from sdd_tui.operations.boxes import OperationError
from sdd_tui.operations.review import tick
from sdd_tui.ui.session import Session, SnapshotChanged
from sdd_tui.workspace.loader import load

TASKS = TASKS_MD.as_posix()


@pytest.fixture
def session(sample: Path) -> Session:
    return Session(load(sample))


def record(session: Session) -> list[SnapshotChanged]:
    seen: list[SnapshotChanged] = []
    session.subscribe(seen.append)
    return seen


def first_todo(session: Session) -> str:
    feature = session.workspace.feature(FEATURE)
    assert feature is not None
    return feature.column_tasks("todo")[0].key


def test_an_edit_is_recorded_announced_and_its_echo_is_not_a_change(session: Session) -> None:
    seen = record(session)
    key = first_todo(session)
    change = session.edit(board_ops.move, FEATURE, key, "in_progress", select=key)
    assert change.to_column == "in_progress" and not change.noop
    assert [(c.reason, c.select, c.message) for c in seen] == [
        ("edit", key, f"{key} todo → in_progress")
    ]
    assert session.workspace.feature(FEATURE).task(key).column == "in_progress"
    # the watcher's report of the files the edit wrote: the app's own write, not read again
    assert session.outside_change({*change.files, HISTORY.as_posix()}) is None
    generation = session.generation
    assert session.outside_change({"specs/other.md"}) is not None
    assert session.generation == generation  # a ticket, not a new snapshot yet


def test_a_file_written_again_by_someone_else_is_a_change(session: Session) -> None:
    key = first_todo(session)
    session.edit(board_ops.move, FEATURE, key, "done", select=key)
    path = session.loaded.root / TASKS
    data = path.read_bytes()
    path.write_bytes(data + b"- [ ] T900 Added by an agent\n")
    ticket = session.outside_change({TASKS})
    assert ticket is not None and TASKS in ticket[1]


def test_pending_paths_survive_a_superseded_read(session: Session) -> None:
    first = session.outside_change({"a.md"})
    second = session.outside_change({"b.md"})
    assert first is not None and second is not None
    assert first[1] == {"a.md"} and second[1] == {"a.md", "b.md"}  # the newer read takes both
    assert session.read_outside(first[1], first[0]) is None  # superseded: nothing read
    read = session.read_outside(second[1], second[0])
    assert read is not None
    base, loaded = read
    assert session.deliver(base, loaded, second[0], second[1])
    third = session.outside_change({"c.md"})
    assert third is not None and third[1] == {"c.md"}  # a and b were delivered


def test_a_read_that_predates_the_apps_own_write_is_read_again(session: Session) -> None:
    seen = record(session)
    ticket, paths = session.outside_change({"specs/x.md"}) or (0, frozenset())
    read = session.read_outside(paths, ticket)
    assert read is not None
    key = first_todo(session)
    session.edit(board_ops.move, FEATURE, key, "review", select=key)  # meanwhile
    base, stale = read
    assert not session.deliver(base, stale, ticket, paths)
    assert session.loaded is not stale
    assert session.workspace.feature(FEATURE).task(key).column == "review"
    again = session.outside_change(set(paths))
    assert again is not None and "specs/x.md" in again[1]  # still pending
    assert [c.reason for c in seen] == ["edit"]


def test_undo_takes_back_the_most_recent_edit_of_any_kind(session: Session) -> None:
    root = session.loaded.root
    tasks_before = (root / TASKS).read_bytes()
    board_path = root / ".sdd" / "board.json"
    board_before = board_path.read_bytes() if board_path.exists() else None
    key = first_todo(session)
    session.edit(board_ops.move, FEATURE, key, "in_progress", select=key)
    item = next(i for i in session.workspace.feature(FEATURE).checklist if not i.checked)
    item_before = (root / item.path).read_bytes()
    session.edit(tick, FEATURE, item.key, select=item.key)
    assert (root / item.path).read_bytes() != item_before

    seen = record(session)
    undone = session.undo()
    assert undone is not None and undone.op == "tick"
    assert seen[-1].message == f"undo: unticked {item.id}"
    undone = session.undo()
    assert undone is not None and undone.op == "move"
    assert seen[-1].message == f"undo: {key} back to todo"
    assert session.undo() is None  # nothing announced for nothing done
    assert len(seen) == 2
    assert (root / TASKS).read_bytes() == tasks_before
    assert (root / item.path).read_bytes() == item_before
    if board_before is not None:
        assert board_path.read_bytes() == board_before
    ops = [json.loads(line)["op"] for line in (root / HISTORY).read_text().splitlines()]
    assert ops == ["move", "tick", "undo", "undo"]
    # redo goes forward again in the same order, across a new session (a restart)
    again = Session(load(root))
    assert again.redo().op == "move"
    assert again.redo().op == "tick"


def test_a_refused_edit_rereads_and_raises(session: Session) -> None:
    seen = record(session)
    with pytest.raises(OperationError):
        session.edit(board_ops.move, FEATURE, "T999", "done", select="T999")
    assert [c.reason for c in seen] == ["edit"]  # re-read: the board shows what is on disk


def test_unsubscribed_listeners_hear_nothing(session: Session) -> None:
    seen: list[SnapshotChanged] = []
    session.subscribe(seen.append)
    session.unsubscribe(seen.append)
    session.reload()
    assert seen == []


def test_complete_takes_the_rest_only_from_the_partial_it_started_from(sample: Path) -> None:
    from sdd_tui.workspace.loader import load_root

    partial = load(sample, first=FEATURE)
    session = Session(partial)
    rest = load_root(sample, previous=partial, persist=False, changed=())
    session.reload()  # the snapshot moved on (a key, an outside change)
    assert not session.complete(partial, rest)
    assert session.loaded is not rest
    fresh = Session(partial)
    assert fresh.complete(partial, rest) and fresh.loaded is rest


def test_own_write_of_a_file_that_vanished_is_still_a_change(session: Session) -> None:
    key = first_todo(session)
    change = session.edit(board_ops.move, FEATURE, key, "done", select=key)
    os.remove(session.loaded.root / change.files[0])
    assert session.outside_change({change.files[0]}) is not None


def test_the_first_full_reread_remembers_how_each_document_ends(sample: Path) -> None:
    """A document without a final newline is not taken for a writer cut off mid-line the
    first time it changes (the full re-read the watcher asks for once it listens)."""
    from sdd_tui.workspace.stability import SEEN

    path = sample / TASKS
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    session = Session(load(sample))
    ticket = session.outside_change({"."})
    assert ticket is not None
    assert session.read_outside(ticket[1], ticket[0]) is not None
    assert SEEN.had_newline(path) is False
    assert SEEN.had_newline(sample / f"specs/{FEATURE}/spec.md") is True
