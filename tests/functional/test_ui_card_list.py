"""``CardList`` on its own: keys, scrolling, the mouse and re-wrapping, driven with Pilot.

30 cards of two lines each (three with the separator under each but the last: 89 lines) in
a list ten lines high; the workbench tests cover the board built on it.
"""

from __future__ import annotations

import pytest
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult

from sdd_tui.ui.widgets.card_list import Card, CardList
from sdd_tui.ui.widgets.rows import Wrapped

pytestmark = pytest.mark.anyio

HEIGHT = 10


class ListApp(App[None]):
    CSS = f"CardList {{ height: {HEIGHT}; width: 30; }}"

    def __init__(self, count: int = 30) -> None:
        super().__init__()
        self.count = count
        self.highlighted: list[str] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield CardList("todo", "Todo", id="cards")

    def on_mount(self) -> None:
        cards = self.query_one(CardList)
        cards.set_cards(
            [Card(Wrapped(Text(f"Card {i}\nsecond line {i}")), f"K{i}") for i in range(self.count)]
        )
        cards.highlighted = 0
        cards.focus()

    def on_card_list_highlighted(self, event: CardList.Highlighted) -> None:
        self.highlighted.append(event.key)

    def on_card_list_selected(self, event: CardList.Selected) -> None:
        self.selected.append(event.key)


async def wheel(pilot, down: bool) -> None:  # type: ignore[no-untyped-def]
    """One step of the mouse wheel over the list (Pilot has no public wheel in this
    Textual: its own helper posts the event where a real one would arrive)."""
    event = events.MouseScrollDown if down else events.MouseScrollUp
    await pilot._post_mouse_events([event], CardList, offset=(5, 3))
    await pilot.pause()


def shown(cards: CardList) -> list[str]:
    """The text of each line the list shows now (cards, separators, scrollbar cut off)."""
    return [cards.render_line(y).text[1:-2].strip() for y in range(cards.size.height)]


async def test_keys_move_the_highlight_and_the_view_follows() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        cards = app.query_one(CardList)
        await pilot.pause()
        assert (cards.highlighted, app.highlighted) == (0, ["K0"])
        await pilot.press("down", "j")
        assert cards.highlighted == 2 and app.highlighted[-2:] == ["K1", "K2"]
        await pilot.press("up", "k", "k")  # no further than the first card
        assert cards.highlighted == 0 and shown(cards)[0] == "Card 0"
        await pilot.press("end")
        assert cards.highlighted == 29
        assert shown(cards)[-2:] == ["Card 29", "second line 29"]  # scrolled to the bottom
        await pilot.press("home")
        assert cards.highlighted == 0 and shown(cards)[0] == "Card 0"
        await pilot.press("pagedown")
        assert cards.highlighted == 3  # a page is ten lines: three cards and a bit
        assert "Card 3" in shown(cards)
        await pilot.press("pageup")
        assert cards.highlighted == 0
        await pilot.press("enter")
        assert app.selected == ["K0"]


async def test_the_wheel_scrolls_without_moving_the_highlight() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        cards = app.query_one(CardList)
        await pilot.pause()
        first = shown(cards)
        for _ in range(3):
            await wheel(pilot, down=True)
        assert cards.highlighted == 0
        assert shown(cards) != first and shown(cards)[0] == "Card 2"  # 3 × 2 lines down
        cards._scroll_by(1000)  # as many wheel steps as it takes
        await wheel(pilot, down=True)
        assert shown(cards)[-1] == "second line 29"  # never past the last line
        cards._scroll_by(-1000)
        await wheel(pilot, down=False)
        assert shown(cards) == first


async def test_click_double_click_and_the_scrollbar() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        cards = app.query_one(CardList)
        await pilot.pause()
        # line 3 (0-based) is "Card 1"; the list's content starts one cell in
        assert await pilot.click(CardList, offset=(3, 3))
        assert cards.highlighted == 1 and app.selected == []
        assert await pilot.double_click(CardList, offset=(3, 6))
        assert cards.highlighted == 2 and app.selected == ["K2"]
        # the bar is the last cell but one; below the thumb a click pages down
        bar_x = cards.size.width - 2
        assert await pilot.click(CardList, offset=(bar_x, HEIGHT - 1))
        assert shown(cards)[0] != "Card 0" and cards.highlighted == 2


async def test_a_narrower_list_wraps_again_and_keeps_the_highlight_in_view() -> None:
    app = ListApp(count=6)
    async with app.run_test(size=(40, 20)) as pilot:
        cards = app.query_one(CardList)
        await pilot.pause()
        cards.set_cards(
            [
                Card(Wrapped(Text(f"Card {i} " + "word " * 8)), f"K{i}")
                for i in range(6)  # a 46-character title: two lines at 26 cells
            ]
        )
        cards.highlighted = 5
        await pilot.pause()
        wide = cards._lines_width, len(cards._lines)
        cards.styles.width = 16
        await pilot.pause()
        assert cards._lines_width < wide[0] and len(cards._lines) > wide[1]
        assert any(line.startswith("Card 5") for line in shown(cards))


async def test_an_empty_list_draws_blank_and_ignores_keys() -> None:
    app = ListApp(count=0)
    async with app.run_test(size=(40, 20)) as pilot:
        cards = app.query_one(CardList)
        await pilot.pause()
        await pilot.press("down", "end", "pagedown", "enter")
        assert cards.highlighted is None and app.selected == [] and app.highlighted == []
        assert set(shown(cards)) == {""}
