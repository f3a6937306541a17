"""The key bar (one widget instead of Textual's Footer) and guards that keep the UI thread
free: keys typed before the panes are mounted still act, worker descriptions never repr
their (workspace-sized) arguments, and snapshots stay out of the cyclic collector."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import pytest
from helpers.files import UI_SOURCES as UI
from helpers.ui import make_app, wait_for

pytestmark = pytest.mark.anyio

SIZE = (160, 48)


async def test_key_bar_shows_the_focused_bindings_and_a_click_presses_the_key(
    sample: Path,
) -> None:
    from sdd_tui.ui.screens.help import HelpScreen
    from sdd_tui.ui.widgets.key_bar import KeyBar

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        text = bar.render().plain
        # the board's bindings (focused) and the app's, once per action, palette at the end
        assert "Move ←" in text and "Done" in text and "Quit" in text and "Help" in text
        assert text.count("Move →") == 1
        assert text.rstrip().endswith("palette")
        help_x = next(start for start, _end, key in bar._hits if key == "question_mark")
        await pilot.click(KeyBar, offset=(help_x + 1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help screen")


async def test_key_bar_follows_focus_into_a_document(sample: Path) -> None:
    from sdd_tui.ui.widgets.key_bar import KeyBar

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board_hints = app.query_one(KeyBar).render().plain
        await pilot.press("2")
        await pilot.pause()
        doc_hints = app.query_one(KeyBar).render().plain
        assert "Move ←" in board_hints and "Move ←" not in doc_hints
        assert "Quit" in doc_hints


async def test_keys_typed_before_the_panes_mount_are_not_lost(sample: Path) -> None:
    from sdd_tui.ui.screens.requirements import RequirementsScreen

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        # no pause: the spec, plan and tests panes mount after the first frame
        await pilot.press("r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, RequirementsScreen), what="requirements"
        )


def test_every_worker_has_a_description() -> None:
    """Textual's @work builds a description from repr() of every argument unless one is
    given: repr() of a 20,000-task snapshot took ~0.2 s on the UI thread per call."""
    missing = []
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "work"
                and not any(k.arg == "description" for k in node.keywords)
            ):
                missing.append(f"{path.name}:{node.lineno}")
    assert not missing, missing


async def test_snapshots_are_kept_out_of_the_cyclic_collector(sample: Path) -> None:
    app = make_app(sample)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.session.reload()
            ws = app.session.loaded.workspace
            assert gc.is_tracked(ws) and gc.get_freeze_count() > 0
            # frozen objects are in no generation the collector walks
            assert not any(o is ws for o in gc.get_objects())
    finally:
        gc.unfreeze()
