"""A real terminal for the end-to-end tests: a detached tmux session on a private server
(``-L``), read with ``capture-pane`` and driven with ``send-keys``.  Every wait polls with a
timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from helpers.ui import poll

TMUX = shutil.which("tmux")
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
            env=dict(os.environ),  # explicit: see the COLUMNS note in e2e/conftest.py
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
