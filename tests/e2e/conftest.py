"""End-to-end tests: the installed ``sdd-tui`` console script in a real terminal (tmux).

Each test gets ``sdd-tui`` running in a detached tmux session (160×48) on a private copy of
the sample workspace; the tmux server is private to the test and killed afterwards.  Without
tmux (``.ci/run`` installs it) or without the console script the tests are skipped.
"""

from __future__ import annotations

import os
import shlex
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cli import SDD_TUI_SCRIPT
from helpers.tmux import TMUX, Terminal


@pytest.fixture
def terminal(sample: Path, tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    """``sdd-tui`` running in tmux (160×48) on ``sample``; yields (terminal, workspace)."""
    if TMUX is None:
        pytest.skip("tmux is not installed (CI installs it: .ci/run)")
    if not SDD_TUI_SCRIPT.exists():
        pytest.skip(f"the sdd-tui console script is not installed at {SDD_TUI_SCRIPT}")
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
            shlex.quote(str(SDD_TUI_SCRIPT)),
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
