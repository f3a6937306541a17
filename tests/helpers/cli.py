"""``sdd-tui`` run the way a user or a CI job runs it: in a subprocess, with a timeout (a read
that blocks fails the test instead of hanging it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The console script pip installed beside this interpreter (``pip install -e .`` makes it).
SDD_TUI_SCRIPT = Path(sys.executable).with_name("sdd-tui")


def cli_env(**extra: str) -> dict[str, str]:
    """This process's environment for a child ``sdd-tui``, plus ``extra``.  Without
    ``SDD_TUI_DEBUG`` (a traceback instead of the one-line message would change what the
    tests read) and with a git author (``--autocommit`` needs an identity)."""
    env = {k: v for k, v in os.environ.items() if k != "SDD_TUI_DEBUG"}
    env["GIT_AUTHOR_NAME"] = "test"
    env.update(extra)
    return env


def run_cli(
    *args: str,
    script: bool = False,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    errors: str = "strict",
) -> subprocess.CompletedProcess[str]:
    """``python -m sdd_tui ARGS`` (or the installed console script with ``script=True``);
    output that is not UTF-8 fails the test unless ``errors`` says otherwise."""
    cmd = [str(SDD_TUI_SCRIPT)] if script else [sys.executable, "-m", "sdd_tui"]
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env() if env is None else env,
        cwd=cwd,
        check=False,
        errors=errors,
    )
