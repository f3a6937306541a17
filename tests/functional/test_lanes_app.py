"""The lanes view (``w``): waves of the feature's open tasks; moves from there are history."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree
from helpers.ui import column_keys, make_app, screen_text, wait_for

TASKS = """\
# Tasks

## Phase 1: Setup

- [ ] T001 Create the project in src/app.py

## Phase 2: User Story 1

- [ ] T002 [P] [US1] Implement export in src/export.py
- [ ] T003 [P] [US1] Implement export options in src/export.py
- [ ] T004 [US1] Wire export into the CLI (depends on T002)
"""


async def test_waves_the_critical_path_a_clash_and_a_move_from_there(tmp_path: Path) -> None:
    from sdd_tui.ui.screens.lanes import LanesScreen

    root = write_tree(
        tmp_path / "ws", {"specs/001-x/spec.md": "# Spec\n", "specs/001-x/tasks.md": TASKS}
    )
    before = (root / "specs/001-x/tasks.md").read_bytes()
    app = make_app(root)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, LanesScreen), what="lanes")
        text = screen_text(app)
        assert "critical path: 3 waves" in text
        assert "Wave 1 · now · 1 task(s)" in text and "Wave 3 · later" in text
        assert "T002, T003 may run side by side and both name src/export.py" in text
        await pilot.press("space")  # T001 done, from the lanes view
        await wait_for(pilot, lambda: "critical path: 2 waves" in screen_text(app), what="2")
        assert b"- [x] T001" in (root / "specs/001-x/tasks.md").read_bytes()
        await pilot.press("u")  # undone like on the board
        await wait_for(pilot, lambda: "critical path: 3 waves" in screen_text(app), what="3")
        assert (root / "specs/001-x/tasks.md").read_bytes() == before
        moved = app.screen._highlighted_key()  # the highlight stayed on the next open task
        await pilot.press("L")  # to in progress, like on the board
        await pilot.press("escape")
        await wait_for(pilot, lambda: moved in column_keys(app, "in_progress"), what="board")
