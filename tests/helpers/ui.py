"""Helpers shared by the workbench (Textual) tests.

``tests/`` has no ``__init__.py``, so pytest puts this folder on ``sys.path`` and the UI test
modules import it as ``from ui_helpers import ...``; ``async def`` tests are marked
``pytest.mark.anyio`` and import the ``anyio_backend`` fixture from here (asyncio, as Textual).
conftest.py gives every test a private, empty user config dir (theme preference).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_workspace"

FEATURE = "002-meal-planner"
TASKS_MD = Path("specs") / FEATURE / "tasks.md"
BOARD_JSON = Path(".sdd") / "board.json"
HISTORY = Path(".sdd") / "history.jsonl"


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (``pytest.mark.anyio``, anyio's pytest plugin) run on asyncio, as Textual."""
    return "asyncio"


def copy_sample(dest: Path) -> Path:
    """A private copy of the sample workspace at ``dest`` (its name shows in the header)."""
    shutil.copytree(SAMPLE, dest)
    return dest


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path → text or bytes) below ``root``; returns ``root``."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
    return root


def make_app(root: Path, *, feature: str | None = None):  # type: ignore[no-untyped-def]
    """A workbench on ``root``, loaded the way ``sdd-tui`` loads it."""
    from sdd_tui.ui.app import SddApp
    from sdd_tui.workspace.loader import load

    return SddApp(load(root, first=feature), feature=feature)


# --------------------------------------------------------------------------- files on disk


def read(root: Path, rel: Path) -> bytes:
    path = root / rel
    return path.read_bytes() if path.exists() else b""


def state(root: Path) -> tuple[bytes, bytes]:
    """(tasks.md bytes, board.json bytes) of the active sample feature."""
    return read(root, TASKS_MD), read(root, BOARD_JSON)


def changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    """The (old, new) pairs of lines that differ; both texts must have as many lines."""
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new), "a line was added or removed"
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def task_line(tasks_md: bytes, task_id: str) -> bytes:
    """The one line of ``tasks_md`` that holds task ``task_id``."""
    box = re.compile(rb"^\s*[-*+] \[.\] " + re.escape(task_id.encode()) + rb"\b")
    hits = [ln for ln in tasks_md.split(b"\n") if box.match(ln)]
    assert len(hits) == 1, hits
    return hits[0]


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
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        if condition():
            return
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


AsyncFn = Callable[[], Awaitable[None]]
