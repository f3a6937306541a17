"""End to end: the installed ``sdd-tui`` console script in a real terminal (tmux).

Each test starts the app on a private copy of sample_workspace in a detached tmux session on
a private tmux server (``-L``), reads the screen with ``capture-pane``, sends keys, and checks
the files on disk.  Every wait polls with a timeout; the server is killed in ``finally``.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from ui_helpers import BOARD_JSON, TASKS_MD, changed_lines, poll, task_line

pytestmark = pytest.mark.e2e

TMUX = shutil.which("tmux")
SDD_TUI = Path(sys.executable).parent / "sdd-tui"
START_TIMEOUT = 60.0  # a cold start on a busy CI machine
STEP_TIMEOUT = 20.0


@dataclass
class Terminal:
    socket: str
    session: str

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
            env=dict(os.environ),  # explicit: see the COLUMNS note in `terminal`
        )

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", "-t", self.session, check=False)
        return result.stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.session, check=False).returncode == 0

    def wait_screen(self, *needles: str, timeout: float = STEP_TIMEOUT) -> str:
        if not poll(lambda: all(n in self.screen() for n in needles), timeout=timeout):
            raise AssertionError(f"{needles} not on screen after {timeout}s:\n{self.screen()}")
        return self.screen()

    def wait_exit(self, timeout: float = STEP_TIMEOUT) -> None:
        if not poll(lambda: not self.alive(), timeout=timeout):
            raise AssertionError(f"sdd-tui still running after {timeout}s:\n{self.screen()}")


@pytest.fixture
def terminal(sample: Path, tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    """``sdd-tui`` running in tmux (160×48) on ``sample``; yields (terminal, workspace)."""
    if TMUX is None:
        pytest.skip("tmux is not installed (CI installs it: .ci/run)")
    if not SDD_TUI.exists():
        pytest.skip(f"the sdd-tui console script is not installed at {SDD_TUI}")
    term = Terminal(socket=f"sdd-e2e-{uuid.uuid4().hex[:10]}", session="sdd")
    env = {
        "TEXTUAL_ANIMATIONS": "none",
        "SDD_TUI_CONFIG_DIR": str(tmp_path / "config"),
        "SDD_TUI_NO_GIT": "1",
        "EDITOR": os.environ.get("SDD_E2E_EDITOR", "true"),
        "TERM": "xterm-256color",
    }
    # pytest imports readline, which exports COLUMNS=80 LINES=24 into the process's C-level
    # environment (not os.environ); a child that inherits them takes them for the terminal
    # size.  So the app is started with them unset and tmux with os.environ as it is.
    # VISUAL is unset too: it would win over the EDITOR given here.
    command = " ".join(
        [
            "env", "-u", "COLUMNS", "-u", "LINES", "-u", "VISUAL",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            shlex.quote(str(SDD_TUI)),
        ]
    )  # fmt: skip
    try:
        term.tmux(
            "-f", "/dev/null",  # no user tmux.conf
            "new-session", "-d", "-s", term.session, "-x", "160", "-y", "48",
            "-c", str(sample), command,
        )  # fmt: skip
        yield term, sample
    finally:
        term.tmux("kill-server", check=False)


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
    line = task_line(tasks0, "T009")
    assert changed_lines(tasks0, tasks1) == [(line, line.replace(b"[ ]", b"[x]", 1))]
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


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An $EDITOR that records its argv and ticks the box on the line it is given."""
    record = tmp_path / "editor-argv.json"
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import json, sys\n"
        "line, path = int(sys.argv[1].lstrip('+')), sys.argv[2]\n"
        "data = open(path, 'rb').read().split(b'\\n')\n"
        "data[line - 1] = data[line - 1].replace(b'[ ]', b'[x]', 1)\n"
        "open(path, 'wb').write(b'\\n'.join(data))\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    monkeypatch.setenv("SDD_E2E_EDITOR", f"{sys.executable} {script}")
    return record


def test_e_suspends_runs_editor_at_the_line_and_reloads(
    editor: Path, terminal: tuple[Terminal, Path]
) -> None:
    term, root = terminal
    tasks0 = (root / TASKS_MD).read_bytes()
    line = 1 + tasks0.split(b"\n").index(task_line(tasks0, "T007b"))
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
    old = task_line(tasks0, "T007b")
    assert changed_lines(tasks0, tasks1) == [(old, old.replace(b"[ ]", b"[x]", 1))]
