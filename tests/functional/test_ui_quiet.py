"""Widgets repaint only when what they show changes (a board move used to repaint the
header, the four pane frames, the key bar and the test summary on every key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.ui import make_app
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from sdd_tui.ui.widgets.quiet import set_border_subtitle, update_static

pytestmark = pytest.mark.anyio


class _Counting(Static):
    repaints = 0

    def refresh(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.repaints += 1
        return super().refresh(*args, **kwargs)


class _One(App[None]):
    def compose(self) -> ComposeResult:
        yield _Counting(id="s")


async def test_update_static_repaints_only_on_a_change() -> None:
    app = _One()
    async with app.run_test() as pilot:
        s = app.query_one(_Counting)
        update_static(s, Text("a", "bold"))
        await pilot.pause()
        before = s.repaints
        update_static(s, Text("a", "bold"))
        assert s.repaints == before
        update_static(s, Text("a", "italic"))  # same words, other style: a change
        assert s.repaints > before
        assert s.render().plain == "a"


async def test_border_subtitle_is_plain_text_and_set_once() -> None:
    app = _One()
    async with app.run_test() as pilot:
        s = app.query_one(_Counting)
        set_border_subtitle(s, "tasks[bold].md modified")
        await pilot.pause()
        # kept literally (the getter hands it back as escaped markup)
        assert Content.from_markup(s.border_subtitle or "").plain == "tasks[bold].md modified"
        before = s.repaints
        set_border_subtitle(s, "tasks[bold].md modified")
        assert s.repaints == before
        set_border_subtitle(s, "")
        assert not s.border_subtitle


async def test_a_board_move_repaints_only_the_two_columns(sample: Path) -> None:
    from sdd_tui.ui.widgets.board import CardList

    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.pause(0.05)
        # Which widgets ask to be drawn again (the screen itself repaints on any focus
        # change, from its cached widget renders: Textual's ``Screen.focused`` reactive).
        from textual.widget import Widget

        asked: list[str] = []
        original = Widget.refresh

        def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            if kwargs.get("repaint", True) and self is not app.screen:
                asked.append(type(self).__name__)
            return original(self, *args, **kwargs)

        Widget.refresh = spy  # type: ignore[method-assign]
        try:
            await pilot.press("L")
            await pilot.pause()
        finally:
            Widget.refresh = original  # type: ignore[method-assign]
        seen = set(asked)
        assert "CardList" in seen
        assert not seen & {"Pane", "KeyBar", "WorkbenchHeader"}, seen
        assert len(app.query(CardList)) == 4
