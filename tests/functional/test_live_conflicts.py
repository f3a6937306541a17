"""Moves computed on a stale snapshot: re-applied by task key on the file's current content.

The board shows what the app loaded; an agent edits tasks.md before the user's key press
reaches the disk.  The move must land on the task it names (by key, wherever its line is
now) without undoing the agent's edit, and a task that vanished must be reported with
nothing written.  Most tests turn the watcher off (``SDD_TUI_NO_WATCH``) so the snapshot is
guaranteed stale when the key is pressed; one races the running watcher.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.files import read
from helpers.live import SIZE, Probe, watcher_ready
from helpers.sample import (
    BOARD_JSON,
    FEATURE,
    HISTORY,
    insert_after,
    line_of_task,
    new_task_lines,
    tasks_path,
)
from helpers.ui import column_keys, make_app, selected

pytestmark = pytest.mark.anyio


def capture_notifications(app: Any) -> list[tuple[str, str]]:
    """(message, severity) of every notification the app raises from now on."""
    seen: list[tuple[str, str]] = []
    notify = app.notify

    def wrapper(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append((str(message), str(kwargs.get("severity", "information"))))
        notify(message, *args, **kwargs)

    app.notify = wrapper
    return seen


def history(root: Path) -> list[dict[str, Any]]:
    data = read(root, HISTORY).decode()
    return [json.loads(line) for line in data.splitlines() if line.strip()]


async def test_toggle_on_stale_snapshot_lands_on_the_task_by_key(
    sample: Path, no_watch: None
) -> None:
    path = tasks_path(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert selected(app) == ("T007b", "todo")
        # An agent inserts three tasks near the top and rewords one, after the app loaded.
        edited = insert_after(
            path.read_text(encoding="utf-8"), "- [x] T002 ", new_task_lines(40, 3)
        )
        edited = edited.replace("Add a servings override", "Add a portion override")
        path.write_text(edited, encoding="utf-8")
        assert "T040" not in column_keys(app, "todo")  # the board is stale
        await pilot.press("space")  # T007b -> done: its box is ticked on disk
        await pilot.pause()
        after = path.read_text(encoding="utf-8")
        # exactly the agent's content with one box ticked
        assert after == edited.replace("- [ ] T007b ", "- [x] T007b ")
        assert "T040" in column_keys(app, "todo")  # the app reloaded after its write
        assert "T007b" in column_keys(app, "done")
        assert selected(app) == ("T007b", "done")
        entries = history(sample)
        assert [(e["task"], e["from"], e["to"]) for e in entries] == [("T007b", "todo", "done")]


async def test_move_on_stale_snapshot_keeps_the_outside_edit(sample: Path, no_watch: None) -> None:
    """review -> done writes tasks.md and board.json; an agent edited both meanwhile."""
    path = tasks_path(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right", "right")
        assert selected(app) == ("T008", "review")
        edited = insert_after(
            path.read_text(encoding="utf-8"), "## Phase 1: Setup", "\n" + new_task_lines(70, 2)
        )
        edited = edited.replace("- [ ] T013 ", "- [x] T013 ")  # the agent finished T013
        path.write_text(edited, encoding="utf-8")
        board = json.loads(read(sample, BOARD_JSON))
        board["tasks"][f"{FEATURE}/T011"] = {"column": "review"}  # and moved T011 to review
        (sample / BOARD_JSON).write_text(json.dumps(board, indent=2), encoding="utf-8")
        await pilot.press("L")
        await pilot.pause()
        after = path.read_text(encoding="utf-8")
        assert after == edited.replace("- [ ] T008 ", "- [x] T008 ")
        board_after = json.loads(read(sample, BOARD_JSON))
        assert board_after["tasks"][f"{FEATURE}/T011"] == {"column": "review"}
        assert f"{FEATURE}/T008" not in board_after["tasks"]  # done needs no entry
        assert selected(app) == ("T008", "done")
        assert column_keys(app, "review") == ["T011"]
        assert "T013" in column_keys(app, "done")
        assert [(e["task"], e["to"]) for e in history(sample)] == [("T008", "done")]


@pytest.mark.parametrize("key", ["L", "space"])  # a move (board.json), a toggle (the box)
async def test_move_of_a_vanished_task_writes_nothing(
    sample: Path, no_watch: None, key: str
) -> None:
    path = tasks_path(sample)
    app = make_app(sample)
    notes = capture_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")
        assert selected(app) == ("T009", "todo")
        line = line_of_task(path.read_bytes(), "T009")
        path.write_bytes(path.read_bytes().replace(line + b"\n", b""))
        before = (path.read_bytes(), read(sample, BOARD_JSON), read(sample, HISTORY))
        await pilot.press(key)
        await pilot.pause()
        assert (path.read_bytes(), read(sample, BOARD_JSON), read(sample, HISTORY)) == before
        errors = [m for m, severity in notes if severity == "error"]
        assert len(errors) == 1, notes
        assert "T009" in errors[0] and "nothing written" in errors[0], errors
        assert all("T009" not in column_keys(app, c) for c in COLS)  # the board caught up
        assert not (sample / HISTORY).exists()


COLS = ("todo", "in_progress", "review", "done")


async def select_todo(pilot: Any, app: Any, key: str) -> None:
    """Put the selection on todo card ``key`` with the keyboard."""
    await pilot.press("left", "left", "left")
    for _ in range(len(column_keys(app, "todo")) + 1):
        if selected(app) == (key, "todo"):
            return
        await pilot.press("down")
    raise AssertionError(f"{key} not reachable in todo: {column_keys(app, 'todo')}")


async def test_key_press_racing_the_watcher(sample: Path) -> None:
    """With the watcher on: edit, press at once (the reload may or may not have landed)."""
    path = tasks_path(sample)
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        expected = path.read_text(encoding="utf-8")
        for n, key in enumerate(("T007b", "T009", "T011", "T012")):
            await select_todo(pilot, app, key)
            expected = insert_after(expected, "- [x] T001 ", new_task_lines(30 + n, 1))
            path.write_text(expected, encoding="utf-8")
            await pilot.press("space")  # -> done, on whatever snapshot the app has now
            expected = expected.replace(f"- [ ] {key} ", f"- [x] {key} ")
            assert path.read_text(encoding="utf-8") == expected
            await probe.wait(
                pilot,
                lambda k=key, n=n: (
                    k in column_keys(app, "done")
                    and f"T{30 + n:03d}" in column_keys(app, "todo")
                    and probe.settled()
                ),
                what=f"{key} done",
            )
        assert [e["task"] for e in history(sample)] == ["T007b", "T009", "T011", "T012"]
        assert column_keys(app, "todo")[:4] == ["T033", "T032", "T031", "T030"]


# --------------------------------------------------------------------------- late reloads


async def test_a_reload_read_before_the_apps_own_move_is_not_shown(
    sample: Path, no_watch: None
) -> None:
    """A watcher reload that read the files before a move, and finishes after it, would put
    the moved card back for a moment (and the next key would act on that stale board)."""
    from sdd_tui.workspace.loader import load_root

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        base = app.session.loaded
        stale = load_root(sample, cache=base.cache)  # read before the move
        await pilot.press("L")  # T007b -> in progress; the app reloads itself
        await pilot.pause()
        assert "T007b" in column_keys(app, "in_progress")
        reloads: list[set[str]] = []
        app.workbench.files_changed = lambda paths: reloads.append(set(paths))  # type: ignore[method-assign]
        app.session._ticket += 1  # the watcher's batch that started the late reload
        app.workbench._deliver(base, stale, app.session._ticket, frozenset({TASKS}))
        await pilot.pause()
        assert app.session.loaded is not stale
        assert "T007b" in column_keys(app, "in_progress")
        assert reloads == [{TASKS}]  # read again instead


async def test_a_late_git_read_does_not_replace_a_newer_one(sample: Path, no_watch: None) -> None:
    from sdd_tui.workspace.git import GitInfo

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        newer = GitInfo("feature-b", None, 0, 0)
        older = GitInfo("main", None, 0, 0)
        app.workbench._git_generation = 7
        app.workbench._apply_git(7, False, newer, frozenset(), ())
        app.workbench._apply_git(6, True, older, frozenset(), ())  # started earlier, finished later
        assert app.session.git == newer


TASKS = f"specs/{FEATURE}/tasks.md"
