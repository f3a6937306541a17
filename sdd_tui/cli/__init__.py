"""The ``sdd-tui`` command: the workbench, plus headless subcommands for agents and CI.

Headless commands never import Textual; ``sdd-tui [PATH]`` imports the UI on demand.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from sdd_tui.cli.common import CliError

Command = Callable[[list[str]], int]


# command -> (module, function); each module is imported only when its command runs, so
# `status --json` pays for neither pydantic (init/check) nor the test runner.
_COMMANDS: dict[str, tuple[str, str]] = {
    "status": ("board_cmds", "status"),
    "tasks": ("board_cmds", "tasks"),
    "move": ("board_cmds", "move"),
    "add": ("task_cmds", "add"),
    "rename": ("task_cmds", "rename"),
    "remove": ("task_cmds", "remove"),
    "new": ("new_cmd", "new"),
    "check": ("check_cmd", "check"),
    "init": ("init_cmd", "init"),
    "demo": ("demo", "demo"),
    "tests": ("tests_cmd", "tests"),
}
COMMAND_NAMES = tuple(_COMMANDS)

# One line each for ``sdd-tui --help`` (each command's own --help says the rest).
SUMMARIES: dict[str, str] = {
    "status": "features with their progress (--json for agents and CI)",
    "tasks": "tasks with their board column (--json)",
    "move": "move a task to a column: sdd-tui move FEATURE/TASK COLUMN",
    "add": 'add a task: sdd-tui add FEATURE "title" [--column C] [--after ID] [--json]',
    "rename": 'rename a task: sdd-tui rename FEATURE/TASK "title"',
    "remove": "remove a task and its own lines: sdd-tui remove FEATURE/TASK",
    "new": 'start a feature from templates: sdd-tui new "Recipe import" [PATH] [--layout L]',
    "check": "check that specs are ready (exit 1 on errors)",
    "init": "set a repository up: .sdd/config.yaml, .gitattributes, .gitignore",
    "demo": "the workbench on a throwaway copy of the sample (--keep keeps it)",
    "tests": "test results traced to requirements and tasks (--run runs them first)",
}


def _command(name: str) -> Command:
    from importlib import import_module

    module, function = _COMMANDS[name]
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
