"""Measure a terminal app from outside: start it in tmux, poll the screen for a text."""

from __future__ import annotations

import atexit
import os
import shlex
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

POLL = 0.005
SOCKET = f"sddbench-{os.getpid()}"  # a private tmux server: never touches the user's


_server_up = False


def _ensure_server() -> None:
    """Keep one idle session so the private server does not exit between measurements
    (a new session racing a server that is shutting down fails with "server exited")."""
    global _server_up
    if _server_up:
        return
    subprocess.run(
        ["tmux", "-L", SOCKET, "new-session", "-d", "-s", "keepalive", "sleep 86400"], check=True
    )
    atexit.register(lambda: tmux("kill-server"))
    _server_up = True


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    ).stdout


class Session:
    """A detached tmux session running one command."""

    def __init__(self, command: str, *, cwd: Path, size: tuple[int, int] = (160, 48)) -> None:
        self.name = f"sddbench-{uuid.uuid4().hex[:8]}"
        # as installed: bytecode cached (a developer's PYTHONDONTWRITEBYTECODE would make
        # every start compile sdd-tui's sources again)
        config = os.environ.get("SDD_TUI_CONFIG_DIR", "/tmp/sdd-bench-config")
        env = "-u PYTHONDONTWRITEBYTECODE TEXTUAL_ANIMATIONS=none SDD_TUI_CONFIG_DIR=" + (
            shlex.quote(config)
        )
        _ensure_server()
        self.started = time.perf_counter()
        subprocess.run(
            [
                "tmux",
                "-L",
                SOCKET,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                f"cd {shlex.quote(str(cwd))} && exec env {env} {command}",
            ],
            check=True,
        )

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> float:
        """Seconds from start (or from ``since``) until ``predicate(screen)`` holds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if predicate(self.screen()):
                return time.perf_counter()
            time.sleep(POLL)
        raise TimeoutError("screen never matched")

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", SOCKET, "send-keys", "-t", self.name, *keys], check=True)

    def pid(self) -> int:
        return int(tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def kill(self) -> None:
        tmux("kill-session", "-t", self.name)


def time_to_text(command: str, cwd: Path, text: str, *, size: tuple[int, int] = (160, 48)) -> float:
    s = Session(command, cwd=cwd, size=size)
    try:
        return s.wait_for(lambda screen: text in screen) - s.started
    finally:
        s.kill()
