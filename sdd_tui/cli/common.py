"""Shared pieces of the subcommands: argument parsing, loading, JSON output."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn

from sdd_tui import __version__, gcpolicy

if TYPE_CHECKING:
    import argparse

# argparse, json and re are imported when used: ``sdd-tui`` with no arguments (the
# workbench) needs none of them before its first frame.


class CliError(Exception):
    """A usage error or unknown reference: one line on stderr and exit ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    """An argparse parser that reports errors as CliError (exit 2, one line, no usage)."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            words = self.prog.split()
            where = f"{words[-1]}: " if len(words) > 1 else ""  # main adds "sdd-tui: "
            raise CliError(f"{where}{message} (see --help)")

    p = Parser(prog=f"sdd-tui {prog}".strip(), description=description)
    p.add_argument("--version", action="version", version=f"sdd-tui {__version__}")
    return p


def load_workspace(path: str | None, *, one_shot: bool = False, only: str | None = None):
    """Load the workspace for a command; ``one_shot``: the process exits after this command;
    ``only``: the command needs just this feature (the others are not read).

    A one-shot command makes no garbage worth a cyclic collection, so the collector is
    switched off for good (a collection walks every object of the snapshot, ~10 per task),
    and a cold load of many features may parse in a forked second process.
    """
    from sdd_tui.workspace.loader import WorkspaceError, load

    if one_shot:
        gcpolicy.off()
    try:
        return load(path, parallel=one_shot and only is None, only=only)
    except WorkspaceError as exc:
        raise CliError(str(exc)) from None


def _utf8(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "") == "utf8"


def safe_stdio() -> None:
    """Never die on text the terminal's encoding cannot show (``PYTHONIOENCODING=ascii``,
    a cp1252 console): unencodable characters are printed as backslash escapes instead."""
    for stream in (sys.stdout, sys.stderr):
        if not _utf8(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


_JSON_UNSAFE = "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def print_json(data: Any) -> None:
    """JSON on stdout; ASCII escapes where stdout is not UTF-8, so it always parses."""
    import json
    import re

    text = json.dumps(data, indent=2, ensure_ascii=not _utf8(sys.stdout))
    # json leaves DEL, C1 controls (0x9b is a CSI) and BIDI overrides raw: escape them too,
    # so workspace text never reaches a terminal as a control sequence (same JSON value).
    text = re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group(0)):04x}", text)
    sys.stdout.write(text + "\n")
