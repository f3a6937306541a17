"""The ``sdd-tui`` command: the workbench, plus headless subcommands for agents and CI.

Headless commands never import Textual; ``sdd-tui [PATH]`` imports the UI on demand.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from sdd_tui.cli.common import CliError
from sdd_tui.cli.registry import COMMAND_NAMES, COMMANDS

Command = Callable[[list[str]], int]


def _command(name: str) -> Command:
    from importlib import import_module

    module, function = COMMANDS[name]
    return getattr(import_module(f"sdd_tui.cli.{module}"), function)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMAND_NAMES:
            return _command(args[0])(args[1:])
        from sdd_tui.cli.workbench import run_workbench

        return run_workbench(args)
    except CliError as exc:
        print(f"sdd-tui: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line for the user, the trace on request
        if os.environ.get("SDD_TUI_DEBUG"):
            raise
        print(
            f"sdd-tui: internal error: {type(exc).__name__}: {exc} "
            "(set SDD_TUI_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return 1
