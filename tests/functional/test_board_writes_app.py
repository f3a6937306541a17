"""Writing tasks from the board: ``a``, ``A``, ``R``/``F2``, ``x`` and ``s``, each checked
on the file's bytes, and ``u`` undoing it to the identical bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.files import read
from helpers.sample import BOARD_JSON, FEATURE, TASKS_MD
from helpers.ui import column_keys, make_app, screen_text, selected, wait_for

SIZE = (160, 48)


async def select_card(pilot: Any, app: Any, key: str, column: str = "todo") -> None:
    """Put the selection on card ``key`` of ``column`` with the keyboard."""
    columns = ("todo", "in_progress", "review", "done")
    await pilot.press(*["left"] * 3, *["right"] * columns.index(column))
    for _ in range(len(column_keys(app, column)) + 1):
        if selected(app) == (key, column):
            return
        await pilot.press("down")
    raise AssertionError(f"{key} not reachable in {column}: {column_keys(app, column)}")


async def type_line(pilot: Any, app: Any, text: str, *, clear: bool = False) -> None:
    from textual.widgets import Input

    from sdd_tui.ui.screens.answer import TextInputScreen

    await wait_for(pilot, lambda: isinstance(app.screen, TextInputScreen), what="the input")
    if clear:
        app.screen.query_one(Input).value = ""
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, TextInputScreen), what="closed")


async def undo_to(pilot: Any, app: Any, sample: Path, before: tuple[bytes, bytes]) -> None:
    await pilot.press("u")
    await wait_for(
        pilot,
        lambda: (read(sample, TASKS_MD), read(sample, BOARD_JSON)) == before,
        what="the undo",
    )


async def test_a_adds_to_the_focused_column_with_its_board_entry(sample: Path) -> None:
    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await select_card(pilot, app, "T008", "review")
        await pilot.press("a")
        await type_line(pilot, app, "Check the printout")
        await wait_for(pilot, lambda: "T017" in column_keys(app, "review"), what="the card")
        assert selected(app) == ("T017", "review")
        assert b"- [ ] T017 Check the printout\n" in read(sample, TASKS_MD)
        assert b'"002-meal-planner/T017"' in read(sample, BOARD_JSON)
        await undo_to(pilot, app, sample, before)
        await wait_for(pilot, lambda: "T017" not in column_keys(app, "review"), what="gone")


async def test_shift_a_adds_below_with_the_cards_labels_offered(sample: Path) -> None:
    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await select_card(pilot, app, "T011")
        task = app.session.workspace.feature(FEATURE).task("T011")
        await pilot.press("A")
        await type_line(pilot, app, "Guard the slot")
        await wait_for(pilot, lambda: "T017" in column_keys(app, "todo"), what="the card")
        lines = read(sample, TASKS_MD).decode().splitlines()
        at = next(i for i, line in enumerate(lines) if " T011 " in line)
        labels = ("[P] " if task.parallel else "") + (f"[{task.story}] " if task.story else "")
        assert lines[at + 1] == f"- [ ] T017 {labels}Guard the slot"
        await undo_to(pilot, app, sample, before)


async def test_rename_with_r_and_f2_changes_only_the_title(sample: Path) -> None:
    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    old_line = next(ln for ln in before[0].split(b"\n") if b" T009 " in ln)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await select_card(pilot, app, "T009")
        for key, title in (("R", "Renamed once"), ("f2", "Renamed twice")):
            await pilot.press(key)
            await type_line(pilot, app, title, clear=True)
            await wait_for(
                pilot,
                lambda t=title: t.encode() in read(sample, TASKS_MD),
                what="the rename",
            )
        new_line = next(ln for ln in read(sample, TASKS_MD).split(b"\n") if b" T009 " in ln)
        assert new_line.startswith(old_line[: old_line.index(b"T009") + 5])
        assert b"Renamed twice" in new_line
        assert selected(app) == ("T009", "todo")
        await pilot.press("u")
        await wait_for(pilot, lambda: b"Renamed once" in read(sample, TASKS_MD), what="undo")
        await undo_to(pilot, app, sample, before)


async def test_x_removes_after_a_confirmation_naming_the_task(sample: Path) -> None:
    from sdd_tui.ui.screens.confirm import ConfirmScreen

    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await select_card(pilot, app, "T012")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert "Remove T012?" in screen_text(app)
        await pilot.press("n")  # no: nothing written
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="closed")
        assert (read(sample, TASKS_MD), read(sample, BOARD_JSON)) == before
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: "T012" not in column_keys(app, "todo"), what="removed")
        assert b" T012 " not in read(sample, TASKS_MD)
        await undo_to(pilot, app, sample, before)
        await wait_for(pilot, lambda: "T012" in column_keys(app, "todo"), what="back")


async def test_x_on_a_task_with_sub_tasks_asks_twice(sample: Path) -> None:
    from sdd_tui.ui.screens.confirm import ConfirmScreen

    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await select_card(pilot, app, "T007", "in_progress")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: "nested sub-task" in screen_text(app), what="the second")
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="closed")
        assert (read(sample, TASKS_MD), read(sample, BOARD_JSON)) == before
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: "nested sub-task" in screen_text(app), what="the second")
        await pilot.press("y")
        await wait_for(pilot, lambda: b"T007" not in read(sample, TASKS_MD), what="removed")
        await undo_to(pilot, app, sample, before)


async def test_s_splits_into_sub_tasks(sample: Path) -> None:
    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await select_card(pilot, app, "T013")
        await pilot.press("s")
        await type_line(pilot, app, "Parse; Render")
        await wait_for(pilot, lambda: "T013b" in column_keys(app, "todo"), what="the sub-tasks")
        text = read(sample, TASKS_MD).decode()
        assert "T013a Parse" in text and "T013b Render" in text
        await undo_to(pilot, app, sample, before)


async def test_escape_cancels_and_writes_nothing(sample: Path) -> None:
    from sdd_tui.ui.screens.answer import TextInputScreen

    before = read(sample, TASKS_MD), read(sample, BOARD_JSON)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await select_card(pilot, app, "T009")
        for key in ("a", "A", "R", "s"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, TextInputScreen), what="input")
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, TextInputScreen), what="x")
    assert (read(sample, TASKS_MD), read(sample, BOARD_JSON)) == before
    assert not (sample / ".sdd" / "history.jsonl").exists()


async def test_the_palettes_new_feature_starts_one_and_shows_it(tmp_path: Path) -> None:
    from helpers.files import write_tree

    from sdd_tui.ui.screens.answer import TextInputScreen

    write_tree(tmp_path, {"specs/001-first/tasks.md": "# Tasks\n\n- [ ] T001 One\n"})
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.workbench.action_new_feature()
        await wait_for(pilot, lambda: isinstance(app.screen, TextInputScreen), what="input")
        await pilot.press(*"Recipe import", "enter")
        await wait_for(pilot, lambda: app.workbench.feature_id == "002-recipe-import", what="it")
        assert column_keys(app, "todo") == ["T001"]
    assert (tmp_path / "specs/002-recipe-import/checklists/requirements.md").is_file()
    assert (tmp_path / "specs/001-first/tasks.md").read_bytes() == b"# Tasks\n\n- [ ] T001 One\n"
