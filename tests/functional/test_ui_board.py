"""The board's keys, driven with Pilot: what the screen shows and what lands on disk.

Every test runs the real app on a private copy of sample_workspace, whose active feature
002-meal-planner has T001–T006 and T007a done, T007 and T010 in progress, T008 in review and
the rest (T007b first) todo.  Each move is checked twice: on the board (which column the
card is in, which card is selected) and in the files (the exact bytes of tasks.md and
board.json before and after).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.files import changed_line_pairs
from helpers.sample import line_of_task, state
from helpers.ui import (
    column_keys,
    column_of,
    column_titles,
    find_on_screen,
    make_app,
    selected,
    wait_for,
)

pytestmark = pytest.mark.anyio

SIZE = (160, 48)
TODO = ["T007b", "T009", "T011", "T012", "T013", "T014", "T015", "T016"]
IN_PROGRESS = ["T007", "T010"]
REVIEW = ["T008"]
DONE = ["T001", "T002", "T003", "T004", "T005", "T006", "T007a"]


def board_with(before: bytes, key: str, entry: dict | None) -> bytes:
    """``before`` (board.json) with the entry of ``002-meal-planner/<key>`` set or removed,
    written the canonical way (sorted keys, 2-space indent, trailing newline)."""
    data = json.loads(before)
    full = f"002-meal-planner/{key}"
    if entry is None:
        data["tasks"].pop(full, None)
    else:
        data["tasks"][full] = entry
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


# --------------------------------------------------------------------------- start


async def test_start_focuses_board_with_first_todo_card_selected(sample: Path) -> None:
    from sdd_tui.ui.widgets.board import CardList
    from sdd_tui.ui.widgets.header import WorkbenchHeader

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, CardList)
        assert app.focused.column == "todo"
        assert selected(app) == ("T007b", "todo")
        assert column_keys(app, "todo") == TODO
        assert column_keys(app, "in_progress") == IN_PROGRESS
        assert column_keys(app, "review") == REVIEW
        assert column_keys(app, "done") == DONE
        header = app.query_one(WorkbenchHeader).render().plain
        assert "sample" in header  # the workspace folder name
        assert "002-meal-planner" in header
        assert "7/18" in header
        # the stage flow, with the feature's current stage: tasks exist, not all done
        assert "Specify" in header and "Verify" in header
        assert "✓Tasks → Implement" in header
        titles = column_titles(app)
        assert titles == ["Todo  8", "In Progress  2", "Review  1", "Done  7"]


# --------------------------------------------------------------------------- selection


async def test_arrows_and_hjkl_move_the_selection(sample: Path) -> None:
    before = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        steps = [
            ("j", ("T009", "todo")),
            ("down", ("T011", "todo")),
            ("k", ("T009", "todo")),
            ("up", ("T007b", "todo")),
            ("l", ("T007", "in_progress")),
            ("right", ("T008", "review")),
            ("l", ("T001", "done")),
            ("right", ("T001", "done")),  # no column to the right: stays (bell)
            ("j", ("T002", "done")),
            ("down", ("T003", "done")),
            ("h", ("T008", "review")),  # row 2 → the last card of a shorter column
            ("left", ("T007", "in_progress")),
            ("j", ("T010", "in_progress")),
            ("h", ("T009", "todo")),  # keeps the row: row 1
            ("left", ("T009", "todo")),  # no column to the left
        ]
        for key, expected in steps:
            await pilot.press(key)
            await pilot.pause()
            assert selected(app) == expected, key
    assert state(sample) == before  # moving the selection writes nothing
    assert not (sample / ".sdd" / "history.jsonl").exists()


async def test_keys_typed_faster_than_the_app_go_to_the_new_column(sample: Path) -> None:
    """Keys that arrive in one burst (a fast typist, tmux send-keys) are queued before the
    first one is handled: the column change must not leave the next key in the old column."""
    from textual import events

    before = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def burst(*keys: str) -> None:
            for key in keys:
                app._driver.send_message(events.Key(key, key if len(key) == 1 else None))

        burst("l", "j")
        await wait_for(pilot, lambda: selected(app) == ("T010", "in_progress"), what="l j")
        burst("h", "k", "j", "j")
        await wait_for(pilot, lambda: selected(app) == ("T011", "todo"), what="h k j j")
        burst("l", "l", "k")
        await wait_for(pilot, lambda: selected(app) == ("T008", "review"), what="l l k")
    assert state(sample) == before


async def test_click_selects_a_card_and_double_click_opens_it(sample: Path) -> None:
    from sdd_tui.ui.screens.detail import DetailScreen

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def at(card: str, column: str) -> tuple[int, int]:
            return find_on_screen(app, card, within=app.query_one(f"#cards-{column}"))

        assert await pilot.click(offset=at("T008", "review"))
        await pilot.pause()
        assert selected(app) == ("T008", "review")
        assert not isinstance(app.screen, DetailScreen)  # a single click only selects
        x, y = at("T002", "done")
        assert await pilot.click(offset=(x + 2, y + 1))  # on the card's title
        await pilot.pause()
        assert selected(app) == ("T002", "done")
        # the selected card is the one keys act on
        await pilot.press("j")
        await pilot.pause()
        assert selected(app) == ("T003", "done")
        assert await pilot.double_click(offset=at("T010", "in_progress"))
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), what="detail")
        assert app.screen.task_.key == "T010"
        await pilot.press("escape")
        await pilot.pause()
        assert selected(app) == ("T010", "in_progress")


# --------------------------------------------------------------------------- moves


@pytest.mark.parametrize(("right", "left"), [("L", "H"), ("shift+right", "shift+left")])
async def test_move_card_through_every_column_and_back(sample: Path, right: str, left: str) -> None:
    tasks0, board0 = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert selected(app) == ("T007b", "todo")

        # todo → in_progress: only board.json changes (a box cannot say "in progress")
        await pilot.press(right)
        await pilot.pause()
        assert selected(app) == ("T007b", "in_progress")
        assert column_keys(app, "in_progress") == ["T007", "T007b", "T010"]
        assert "T007b" not in column_keys(app, "todo")
        tasks1, board1 = state(sample)
        assert tasks1 == tasks0
        assert board1 == board_with(board0, "T007b", {"column": "in_progress"})

        # in_progress → review: board.json again
        await pilot.press(right)
        await pilot.pause()
        assert selected(app) == ("T007b", "review")
        assert column_keys(app, "review") == ["T007b", "T008"]
        tasks2, board2 = state(sample)
        assert tasks2 == tasks0
        assert board2 == board_with(board0, "T007b", {"column": "review"})

        # review → done: the box is ticked in tasks.md (one character), board.json entry gone
        await pilot.press(right)
        await pilot.pause()
        assert selected(app) == ("T007b", "done")
        assert column_keys(app, "done")[-1] == "T007b"
        tasks3, board3 = state(sample)
        assert changed_line_pairs(tasks0, tasks3) == [
            (
                b"  - [ ] T007b [US1] Implement MealPlan.clear_day emptying all three slots in"
                b" recipebox/planner.py",
                b"  - [x] T007b [US1] Implement MealPlan.clear_day emptying all three slots in"
                b" recipebox/planner.py",
            )
        ]
        assert board3 == board0

        # done is the last column: nothing happens, nothing is written
        await pilot.press(right)
        await pilot.pause()
        assert selected(app) == ("T007b", "done")
        assert state(sample) == (tasks3, board3)

        # and all the way back: done → review unticks the box again
        await pilot.press(left)
        await pilot.pause()
        assert selected(app) == ("T007b", "review")
        assert state(sample) == (tasks0, board2)
        await pilot.press(left)
        await pilot.pause()
        assert selected(app) == ("T007b", "in_progress")
        assert state(sample) == (tasks0, board1)
        await pilot.press(left)
        await pilot.pause()
        assert selected(app) == ("T007b", "todo")
        assert column_keys(app, "todo") == TODO
        assert state(sample) == (tasks0, board0)
        await pilot.press(left)  # todo is the first column
        await pilot.pause()
        assert state(sample) == (tasks0, board0)
    history = (sample / ".sdd" / "history.jsonl").read_text().splitlines()
    assert [(e["task"], e["from"], e["to"]) for e in map(json.loads, history)] == [
        ("T007b", "todo", "in_progress"),
        ("T007b", "in_progress", "review"),
        ("T007b", "review", "done"),
        ("T007b", "done", "review"),
        ("T007b", "review", "in_progress"),
        ("T007b", "in_progress", "todo"),
    ]


async def test_move_an_in_progress_card_to_done_and_back(sample: Path) -> None:
    """T007 is in progress through board.json; moving it on to done ticks its box."""
    tasks0, board0 = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")  # T007
        await pilot.press("L")
        await pilot.pause()
        assert selected(app) == ("T007", "review")
        assert state(sample) == (tasks0, board_with(board0, "T007", {"column": "review"}))
        await pilot.press("L")
        await pilot.pause()
        assert selected(app) == ("T007", "done")
        tasks2, board2 = state(sample)
        assert changed_line_pairs(tasks0, tasks2) == [
            (
                b"- [ ] T007 [US1] Implement slot removal in recipebox/planner.py (FR-003)",
                b"- [x] T007 [US1] Implement slot removal in recipebox/planner.py (FR-003)",
            )
        ]
        assert board2 == board_with(board0, "T007", None)


@pytest.mark.parametrize(("down", "up"), [("J", "K"), ("shift+down", "shift+up")])
async def test_reorder_inside_a_column(sample: Path, down: str, up: str) -> None:
    tasks0, board0 = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert selected(app) == ("T009", "todo")

        await pilot.press(down)
        await pilot.pause()
        assert column_keys(app, "todo") == [
            "T007b", "T011", "T009", "T012", "T013", "T014", "T015", "T016"
        ]  # fmt: skip
        assert selected(app) == ("T009", "todo")
        tasks1, board1 = state(sample)
        assert tasks1 == tasks0  # order lives in board.json only
        rank = json.loads(board1)["tasks"]["002-meal-planner/T009"]["rank"]
        assert board1 == board_with(board0, "T009", {"rank": rank})

        await pilot.press(down)
        await pilot.pause()
        assert column_keys(app, "todo")[:4] == ["T007b", "T011", "T012", "T009"]
        assert selected(app) == ("T009", "todo")

        await pilot.press(up, up, up)
        await pilot.pause()
        assert column_keys(app, "todo")[:3] == ["T009", "T007b", "T011"]
        assert selected(app) == ("T009", "todo")
        await pilot.press(up)  # already first: no write
        await pilot.pause()
        assert column_keys(app, "todo")[:3] == ["T009", "T007b", "T011"]
        assert state(sample)[0] == tasks0

    # the order survives a restart: it is read back from board.json
    app2 = make_app(sample)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert column_keys(app2, "todo")[:3] == ["T009", "T007b", "T011"]
        assert selected(app2) == ("T009", "todo")


async def test_space_toggles_done_and_back_byte_exact(sample: Path) -> None:
    tasks0, board0 = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")  # T009
        await pilot.press("space")
        await pilot.pause()
        assert selected(app) == ("T009", "done")
        assert "T009" in column_keys(app, "done")
        assert "T009" not in column_keys(app, "todo")
        tasks1, board1 = state(sample)
        assert board1 == board0
        assert changed_line_pairs(tasks0, tasks1) == [
            (line_of_task(tasks0, "T009"), line_of_task(tasks0, "T009").replace(b"[ ]", b"[x]", 1))
        ]
        await pilot.press("space")
        await pilot.pause()
        assert selected(app) == ("T009", "todo")
        assert column_keys(app, "todo") == TODO
        assert state(sample) == (tasks0, board0)


# --------------------------------------------------------------------------- undo / redo


async def test_undo_redo_restore_exact_bytes_and_follow_the_card(sample: Path) -> None:
    s0 = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        s1 = state(sample)
        await pilot.press("L")
        await pilot.pause()
        s2 = state(sample)
        await pilot.press("L")
        await pilot.pause()
        s3 = state(sample)
        assert len({s0, s1, s2, s3}) == 4
        # move the selection away: undo must bring it back to the card it moves
        await pilot.press("h", "h")
        await pilot.pause()
        assert selected(app)[1] == "in_progress"

        for key, want, column in [
            ("u", s2, "review"),
            ("ctrl+z", s1, "in_progress"),
            ("u", s0, "todo"),
        ]:
            await pilot.press(key)
            await pilot.pause()
            assert state(sample) == want, key
            assert selected(app) == ("T007b", column), key
            assert column_of(app, "T007b") == column
        await pilot.press("u")  # nothing left to undo
        await pilot.pause()
        assert state(sample) == s0
        assert any("nothing to undo" in n.message for n in app._notifications)

        for key, want, column in [
            ("U", s1, "in_progress"),
            ("ctrl+y", s2, "review"),
            ("U", s3, "done"),
        ]:
            await pilot.press(key)
            await pilot.pause()
            assert state(sample) == want, key
            assert selected(app) == ("T007b", column), key
        await pilot.press("U")  # nothing left to redo
        await pilot.pause()
        assert state(sample) == s3


async def test_undo_and_redo_work_across_a_restart(sample: Path) -> None:
    s0 = state(sample)
    first = make_app(sample)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j", "space")  # T009 → done: its box in tasks.md
        await pilot.pause()
        assert selected(first) == ("T009", "done")
        s1 = state(sample)
        await pilot.press("h", "h", "j")
        await pilot.pause()
        assert selected(first) == ("T010", "in_progress")
        await pilot.press("L")  # T010 → review: board.json
        await pilot.pause()
        s2 = state(sample)
        assert s2[0] == s1[0] and s2[1] != s1[1]
        await pilot.press("q")
    assert s1[0] != s0[0] and s1[1] == s0[1]

    second = make_app(sample)  # a new instance on the same folder
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert column_of(second, "T010") == "review"
        await pilot.press("u")
        await pilot.pause()
        assert state(sample) == s1
        assert selected(second) == ("T010", "in_progress")
        await pilot.press("u")
        await pilot.pause()
        assert state(sample) == s0
        assert selected(second) == ("T009", "todo")
        await pilot.press("q")

    third = make_app(sample)  # redo survives a restart too
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("U")
        await pilot.pause()
        assert state(sample) == s1
        assert selected(third) == ("T009", "done")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert state(sample) == s2
        assert selected(third) == ("T010", "review")


# --------------------------------------------------------------------------- filter


async def test_slash_filters_cards_and_escape_clears(sample: Path) -> None:
    from textual.widgets import Input

    before = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        box = app.query_one("#filter", Input)
        assert box.display and box.has_focus
        await pilot.press(*"shopping")
        await pilot.pause()
        assert column_keys(app, "todo") == ["T011", "T012", "T013", "T014"]
        assert column_keys(app, "in_progress") == ["T010"]
        assert column_keys(app, "review") == []
        assert column_keys(app, "done") == []
        titles = column_titles(app)
        assert titles == ["Todo  4/8", "In Progress  1/2", "Review  0/1", "Done  0/7"]

        # enter goes back to the board, still filtered; keys work on the filtered cards
        await pilot.press("enter")
        await pilot.pause()
        assert selected(app) == ("T011", "todo")
        assert column_keys(app, "todo") == ["T011", "T012", "T013", "T014"]
        await pilot.press("j")
        await pilot.pause()
        assert selected(app) == ("T012", "todo")

        # the filter matches IDs and requirement references too
        await pilot.press("slash")
        await pilot.pause()
        box.value = ""
        await pilot.press(*"fr-003")
        await pilot.pause()
        assert column_keys(app, "todo") == []
        assert column_keys(app, "in_progress") == ["T007"]
        assert column_keys(app, "done") == ["T005"]

        await pilot.press("escape")
        await pilot.pause()
        assert not box.display
        assert box.value == ""
        assert column_keys(app, "todo") == TODO
        assert column_keys(app, "in_progress") == IN_PROGRESS
        assert column_keys(app, "done") == DONE
        key, _ = selected(app)
        assert key is not None and app.focused is not None
        assert app.focused.id and app.focused.id.startswith("cards-")
    assert state(sample) == before


async def test_filter_with_no_match_then_a_key_does_nothing(sample: Path) -> None:
    before = state(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzz-no-such-card", "enter")
        await pilot.pause()
        for column in ("todo", "in_progress", "review", "done"):
            assert column_keys(app, column) == []
        await pilot.press("L", "space", "J", "enter")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
    assert state(sample) == before
