"""The workbench under test: building it, reading what the screen shows, waiting for it.

Textual is imported inside the functions, so a module importing these helpers stays light.
``async def`` tests are marked ``pytest.mark.anyio``; the ``anyio_backend`` fixture
(``tests/conftest.py``) runs them on asyncio, as Textual.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path


def make_app(root: Path, *, feature: str | None = None):  # type: ignore[no-untyped-def]
    """A workbench on ``root``, loaded the way ``sdd-tui`` loads it."""
    from sdd_tui.ui.app import SddApp
    from sdd_tui.workspace.loader import load

    return SddApp(load(root, first=feature), feature=feature)


# --------------------------------------------------------------------------- screen state


def board(app):  # type: ignore[no-untyped-def]
    from sdd_tui.ui.widgets.board import BoardView

    return app.query_one(BoardView)


def column_titles(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The column titles as shown (each card list's border title), left to right."""
    from textual.content import Content

    from sdd_tui.ui.widgets.board import CardList

    return [Content.from_markup(cards.border_title or "").plain for cards in app.query(CardList)]


def column_keys(app, column: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Task keys shown in ``column``, top to bottom, read from the card list itself."""
    from sdd_tui.ui.widgets.board import CardList

    cards = app.query_one(f"#cards-{column}", CardList)
    return [cards.card(i).key for i in range(cards.card_count)]


def column_of(app, key: str) -> str | None:  # type: ignore[no-untyped-def]
    for column in ("todo", "in_progress", "review", "done"):
        if key in column_keys(app, column):
            return column
    return None


def selected(app) -> tuple[str | None, str | None]:  # type: ignore[no-untyped-def]
    """(selected task key, its column) as the board shows it (highlight + focus)."""
    from sdd_tui.ui.widgets.board import CardList

    view = board(app)
    task = view.selected_task
    focused = app.focused
    if isinstance(focused, CardList) and task is not None:
        assert focused.highlighted is not None
        highlighted = focused.card(focused.highlighted).key
        assert highlighted == task.key, (highlighted, task.key)
        assert focused.column == view.current_column
    return (task.key if task else None), view.current_column


def option_text(option) -> str:  # type: ignore[no-untyped-def]
    prompt = option.prompt
    return prompt.plain if hasattr(prompt, "plain") else str(prompt)


def card_plain(app, key: str) -> str:  # type: ignore[no-untyped-def]
    """The plain text of the card ``key`` (markup is never parsed from it)."""
    from sdd_tui.ui.widgets.board import CardList

    for cards in app.query(CardList):
        for i in range(cards.card_count):
            card = cards.card(i)
            if card.key == key:
                return option_text(card)
    raise AssertionError(f"no card {key}")


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Everything the terminal shows now (the top screen over the ones below), as text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def find_on_screen(app, needle: str, within=None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Screen (x, y) where ``needle`` starts, optionally inside widget ``within``'s region."""
    region = within.region if within is not None else None
    for y, row in enumerate(screen_text(app).splitlines()):
        if region is not None and not region.y <= y < region.bottom:
            continue
        start = region.x if region is not None else 0
        end = region.right if region is not None else len(row)
        x = row.find(needle, start, end)
        if x >= 0:
            return x, y
    raise AssertionError(f"{needle!r} is not on screen")


# --------------------------------------------------------------------------- waiting


async def wait_for(
    pilot,  # type: ignore[no-untyped-def]
    condition: Callable[[], bool],
    *,
    timeout: float = 5.0,
    what: str = "condition",
) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds.  A widget
    the condition looks for that is not mounted yet (the panes mount after the first frame)
    counts as "not yet"."""
    from textual.css.query import NoMatches

    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        try:
            if condition():
                return
        except NoMatches:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.01)


def poll(condition: Callable[[], bool], *, timeout: float, interval: float = 0.05) -> bool:
    """Synchronous polling: True as soon as ``condition()`` holds, False after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
