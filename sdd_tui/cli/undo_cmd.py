"""``sdd-tui undo`` and ``sdd-tui redo``: the history's undo stack, headless.

The same stack as the workbench's ``u`` / ``U``: whoever made the last edit (the board, the
CLI, an agent over MCP) it is the one undone.
"""

from __future__ import annotations

import sys

from sdd_tui.cli.common import CliError, load_workspace, parser, safe_stdio
from sdd_tui.textsafe import safe


def undo(argv: list[str]) -> int:
    return _step(argv, "undo")


def redo(argv: list[str]) -> int:
    return _step(argv, "redo")


def _step(argv: list[str], how: str) -> int:
    safe_stdio()
    p = parser(how, f"{how.capitalize()} the last {'undone ' if how == 'redo' else ''}edit "
               "recorded in .sdd/history.jsonl (moves, ticks, answers).")  # fmt: skip
    p.add_argument("--path", help="workspace folder (default: current, searched upwards)")
    args = p.parse_args(argv)
    loaded = load_workspace(args.path, one_shot=True)
    from sdd_tui.operations import history
    from sdd_tui.operations.boxes import OperationError
    from sdd_tui.workspace.writer import WriteRefused

    warning = None
    try:
        change = history.undo(loaded) if how == "undo" else history.redo(loaded)
    except history.HistoryNotRecorded as exc:  # the files are written; the log line is not
        change, warning = exc.change, str(exc)
    except (OperationError, WriteRefused) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise CliError(f"cannot write: {where}{exc.strerror or exc}", 1) from None
    if change is None:
        raise CliError(f"nothing to {how}", 1)
    print(f"{how}: {safe(change.feature)}: {safe(change.describe(how))}")
    if warning:
        print(f"sdd-tui: warning: {warning}", file=sys.stderr)
    return 0
