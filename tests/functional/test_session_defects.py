"""Regression tests for the defects a new user found at the seams of the UI's state.

1. Undo in review mode undid nothing (or the board move before it): ticks never reached
   history.  2. The review screen replaced the snapshot itself, so its own write came back
   through the watcher as an outside change.  3. A change written right after the first frame
   was never shown: the watcher armed after the snapshot had been read.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from helpers.live import Probe, watcher_ready
from helpers.sample import BOARD_JSON, FEATURE, HISTORY, TASKS_MD
from helpers.ui import column_keys, make_app, wait_for

pytestmark = pytest.mark.anyio

SIZE = (160, 48)
UX = Path("specs") / FEATURE / "checklists" / "ux.md"


def history(root: Path) -> list[dict[str, object]]:
    path = root / HISTORY
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def open_review_on_unchecked(pilot, app) -> None:  # type: ignore[no-untyped-def]
    """``c``, then the first unchecked item is highlighted (review mode opens on it)."""
    from sdd_tui.ui.screens.review import ReviewScreen

    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="review mode")
    row = app.screen.current_row()
    assert row is not None and row.item is not None and not row.item.checked


async def test_tick_in_review_then_ctrl_z_gives_the_original_bytes(sample: Path) -> None:
    app = make_app(sample, feature=FEATURE)
    before = {p: (sample / p).read_bytes() for p in (UX, Path("specs") / FEATURE / "spec.md")}
    reqs = sample / "specs" / FEATURE / "checklists" / "requirements.md"
    before[reqs.relative_to(sample)] = reqs.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await open_review_on_unchecked(pilot, app)
        item = app.screen.current_row().item
        await pilot.press("space")
        await pilot.pause()
        assert (sample / item.path).read_bytes() != before[Path(item.path)]
        ticks = [e for e in history(sample) if e["op"] == "tick"]
        assert [(e["task"], e["from_mark"], e["to_mark"]) for e in ticks] == [(item.key, " ", "x")]
        await pilot.press("ctrl+z")
        await pilot.pause()
        for path, data in before.items():
            assert (sample / path).read_bytes() == data, path
        assert f"undo: unticked {item.id}" in notes(app)
        row = next(r for r in app.screen.rows if r.item is not None and r.item.key == item.key)
        assert not row.item.checked  # the screen shows the undo
        await pilot.press("U")  # redo, from review mode too
        await pilot.pause()
        assert f"redo: ticked {item.id}" in notes(app)
        assert [e["op"] for e in history(sample)] == ["tick", "undo", "redo"]


async def test_move_then_tick_then_two_undos_undo_both_in_order(sample: Path) -> None:
    app = make_app(sample, feature=FEATURE)
    tasks_before = (sample / TASKS_MD).read_bytes()
    board_before = (sample / BOARD_JSON).read_bytes() if (sample / BOARD_JSON).exists() else None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        key = app.workbench.query_one("BoardView").selected_key
        await pilot.press("L")  # the selected todo card to in progress
        await pilot.pause()
        assert key in column_keys(app, "in_progress")
        await open_review_on_unchecked(pilot, app)
        item = app.screen.current_row().item
        ux_before = (sample / item.path).read_bytes()
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("ctrl+z")  # the tick, the most recent edit
        await pilot.pause()
        assert (sample / item.path).read_bytes() == ux_before
        assert key in column_keys(app, "in_progress")  # the move is still there
        await pilot.press("ctrl+z")  # then the board move, from review mode
        await pilot.pause()
        assert f"undo: {key} back to todo" in notes(app)
        await pilot.press("escape")
        await pilot.pause()
        assert key in column_keys(app, "todo")
    assert (sample / TASKS_MD).read_bytes() == tasks_before
    if board_before is not None:
        assert (sample / BOARD_JSON).read_bytes() == board_before
    ops = [(e["op"], e.get("ref") is not None) for e in history(sample)]
    assert ops == [("move", False), ("tick", False), ("undo", True), ("undo", True)]


async def test_a_review_tick_is_read_once_not_again_from_the_watcher(sample: Path) -> None:
    app = make_app(sample, feature=FEATURE)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, sample / UX)
        await open_review_on_unchecked(pilot, app)
        item = app.screen.current_row().item
        generation = app.session.generation
        since = len(probe.batches)
        await pilot.press("space")
        await probe.wait(pilot, lambda: probe.seen(item.path, since), what="the watcher's echo")
        await probe.wait(pilot, probe.settled, what="the echo to be handled")
        await asyncio.sleep(0.2)
        await pilot.pause()
        # one snapshot for the tick (the session re-read its own write); the watcher's report
        # of that same write was recognised as the app's own and not read again
        assert app.session.generation == generation + 1
        assert not [w for w in app.workers if w.group == "reload" and not w.is_finished]


@pytest.mark.parametrize("delay_ms", [-1, 0, 50, 100, 200, 500])
async def test_a_write_right_after_the_first_frame_is_shown(sample: Path, delay_ms: int) -> None:
    """Rewrite a visible card in place (open r+b, write, truncate) after the snapshot was
    read — before the app starts (-1), or 0-500 ms after it started: the board shows it
    however the write and the watcher's set-up interleave (how fast: bench/live.py)."""
    from helpers.ui import screen_text

    path = sample / TASKS_MD
    data = path.read_bytes()
    new_data = data.replace(b"slot removal", b"slot REMOVAL")
    assert new_data != data

    def rewrite() -> None:
        with open(path, "r+b") as fh:
            fh.write(new_data)
            fh.truncate()

    app = make_app(sample, feature=FEATURE)  # the snapshot is read here
    if delay_ms < 0:
        rewrite()
    async with app.run_test(size=SIZE) as pilot:
        if delay_ms >= 0:
            await asyncio.sleep(delay_ms / 1000)
            rewrite()
        await wait_for(pilot, lambda: "REMOVAL" in screen_text(app), timeout=5, what="the write")


async def test_an_answer_in_review_is_in_history_and_undone_from_there(sample: Path) -> None:
    from sdd_tui.ui.screens.answer import AnswerScreen
    from sdd_tui.ui.screens.review import ReviewList, ReviewScreen

    spec = sample / "specs" / "003-nutrition-labels" / "spec.md"
    before = spec.read_bytes()
    app = make_app(sample, feature="003-nutrition-labels")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="review mode")
        screen = app.screen
        await pilot.press("a")  # on a checklist item: nothing to answer
        assert not isinstance(app.screen, AnswerScreen)
        rows = [r.id for r in screen.rows]
        screen.query_one(ReviewList).highlighted = rows.index("clar:1")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AnswerScreen), what="the question")
        await pilot.press(*"EU 14", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="review again")
        assert b"System MUST show allergens EU 14\n" in spec.read_bytes()
        assert len(app.session.workspace.feature("003-nutrition-labels").clarifications) == 2
        assert [r.id for r in screen.rows].count("clar:1") == 1  # 2 open left: clar:0, clar:1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert spec.read_bytes() == before
        assert any(n.startswith("undo: answer to “which allergen list") for n in notes(app))
        assert len(app.session.workspace.feature("003-nutrition-labels").clarifications) == 3
    assert [e["op"] for e in history(sample)] == ["answer", "undo"]
