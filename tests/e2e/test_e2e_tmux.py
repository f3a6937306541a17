"""End to end: the installed ``sdd-tui`` console script in a real terminal (tmux).

Each test drives the app the ``terminal`` fixture (``conftest.py``) starts on a private copy
of sample_workspace: it reads the screen with ``capture-pane``, sends keys, and checks the
files on disk.  Every wait polls with a timeout.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.files import changed_line_pairs
from helpers.sample import BOARD_JSON, TASKS_MD, line_of_task
from helpers.tmux import START_TIMEOUT, STEP_TIMEOUT, Terminal
from helpers.ui import poll

pytestmark = pytest.mark.e2e


def test_keys_in_a_real_terminal_move_cards_on_disk(terminal: tuple[Terminal, Path]) -> None:
    term, root = terminal
    tasks0 = (root / TASKS_MD).read_bytes()
    board0 = (root / BOARD_JSON).read_bytes()

    # the board is painted with the first todo card (T007b) selected
    term.wait_screen("MealPlan.clear_day", "Todo  8", "In Progress  2", timeout=START_TIMEOUT)

    # L: T007b todo → in progress; only board.json changes
    term.send("L")
    term.wait_screen("Todo  7", "In Progress  3")
    assert poll(lambda: b"T007b" in (root / BOARD_JSON).read_bytes(), timeout=STEP_TIMEOUT)
    board = json.loads((root / BOARD_JSON).read_bytes())
    assert board["tasks"]["002-meal-planner/T007b"] == {"column": "in_progress"}
    assert (root / TASKS_MD).read_bytes() == tasks0

    # h: back to todo on the same row (T011); k: up to T009; space ticks its box
    term.send("h", "k", "Space")
    term.wait_screen("Todo  6", "Done  8")
    assert poll(lambda: (root / TASKS_MD).read_bytes() != tasks0, timeout=STEP_TIMEOUT)

    term.send("q")
    term.wait_exit()

    tasks1 = (root / TASKS_MD).read_bytes()
    line = line_of_task(tasks0, "T009")
    assert changed_line_pairs(tasks0, tasks1) == [(line, line.replace(b"[ ]", b"[x]", 1))]
    expected = json.loads(board0)
    expected["tasks"]["002-meal-planner/T007b"] = {"column": "in_progress"}
    assert (root / BOARD_JSON).read_bytes() == (
        json.dumps(expected, indent=2, sort_keys=True) + "\n"
    ).encode()
    history = [json.loads(x) for x in (root / ".sdd/history.jsonl").read_text().splitlines()]
    assert [(e["task"], e["from"], e["to"]) for e in history] == [
        ("T007b", "todo", "in_progress"),
        ("T009", "todo", "done"),
    ]


def test_e_suspends_runs_editor_at_the_line_and_reloads(
    editor: Path, terminal: tuple[Terminal, Path]
) -> None:
    term, root = terminal
    tasks0 = (root / TASKS_MD).read_bytes()
    line = 1 + tasks0.split(b"\n").index(line_of_task(tasks0, "T007b"))
    term.wait_screen("MealPlan.clear_day", "Todo  8", timeout=START_TIMEOUT)

    term.send("e")
    assert poll(editor.exists, timeout=STEP_TIMEOUT), term.screen()
    assert json.loads(editor.read_text()) == [f"+{line}", str(root / TASKS_MD)]
    # back in the app, which shows what the editor changed
    term.wait_screen("Todo  7", "Done  8")
    assert term.alive()
    term.send("q")
    term.wait_exit()
    tasks1 = (root / TASKS_MD).read_bytes()
    old = line_of_task(tasks0, "T007b")
    assert changed_line_pairs(tasks0, tasks1) == [(old, old.replace(b"[ ]", b"[x]", 1))]


def test_a_write_the_moment_the_first_card_shows_reaches_the_screen(
    terminal: tuple[Terminal, Path],
) -> None:
    """The watcher is set up after the first frame: a card rewritten in place (``r+b``,
    write, truncate) as soon as the board shows is still shown (it used to stay stale)."""
    term, root = terminal
    path = root / TASKS_MD
    data = path.read_bytes()
    term.wait_screen("MealPlan.clear_day", timeout=START_TIMEOUT)
    with open(path, "r+b") as fh:
        fh.write(data.replace(b"MealPlan.clear_day", b"MealPlan.CLEAR_DAY"))
        fh.truncate()
    term.wait_screen("MealPlan.CLEAR_DAY")
    term.send("q")
    term.wait_exit()
