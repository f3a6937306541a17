"""``status``, ``tasks`` and ``move``: the workspace and its board, headless."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from sdd_tui.cli.common import CliError, load_workspace, parser, print_json, safe_stdio
from sdd_tui.model.progress import percent
from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.operations.report import status_json, tasks_json
from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from sdd_tui.workspace.snapshot import Loaded


def status(argv: list[str]) -> int:
    safe_stdio()
    p = parser("status", "Features of the workspace with their progress.")
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    args = p.parse_args(argv)
    ws = load_workspace(args.path, one_shot=True).workspace
    if args.json:
        print_json(status_json(ws))
    else:
        _print_status(ws)
    return 0


def tasks(argv: list[str]) -> int:
    safe_stdio()
    p = parser("tasks", "Tasks of every feature (or one) with their board column.")
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--feature", help="only this feature (id)")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    args = p.parse_args(argv)
    loaded = load_workspace(args.path, one_shot=True)
    ws = loaded.workspace
    features = list(ws.features)
    if args.feature is not None:
        f = ws.feature(args.feature)
        if f is None:
            raise CliError(f"unknown feature '{args.feature}'")
        features = [f]
    if args.json:
        print_json(tasks_json(features, _unproven(loaded, features)))
    else:
        _print_tasks(ws, features)
    return 0


def _unproven(loaded: Loaded, features: list[Feature]) -> dict[str, dict[str, Any]]:
    """Feature id → done task key → why it lacks evidence (test results and git)."""
    if not any(t.done for f in features for t in f.tasks):
        return {f.id: {} for f in features}
    from sdd_tui.operations.checks import tracing
    from sdd_tui.operations.evidence import branch_changes, unproven
    from sdd_tui.workspace.results import load_results

    config = loaded.config
    globs = config.tests.junit if config is not None and config.tests.junit else None
    results, _problems = load_results(loaded.root, globs)
    traced = tracing(loaded.workspace, results)
    changes = branch_changes(loaded.root)
    return {
        f.id: unproven(f, traced.trace, changes, have_results=traced.have_results) for f in features
    }


def move(argv: list[str]) -> int:
    safe_stdio()
    p = parser("move", "Move a task to a board column (writes tasks.md / .sdd/board.json).")
    p.add_argument("--path", help="workspace folder (default: current, searched upwards)")
    p.add_argument("ref", metavar="FEATURE/TASK", help="e.g. 002-meal-planner/T009")
    p.add_argument("column", metavar="COLUMN", help="e.g. todo, in_progress, review, done")
    p.add_argument(
        "--force",
        action="store_true",
        help="move a task of an archived feature too (archives are history: refused otherwise)",
    )
    args = p.parse_args(argv)
    feature_ref, sep, task_ref = args.ref.partition("/")
    if not sep or not feature_ref or not task_ref:
        raise CliError(f"expected FEATURE/TASK, got '{args.ref}'")
    loaded = load_workspace(args.path, one_shot=True, only=feature_ref)
    from sdd_tui.operations.board import move as move_op
    from sdd_tui.operations.boxes import ArchivedFeature, OperationError
    from sdd_tui.operations.history import HistoryNotRecorded, apply_and_record
    from sdd_tui.workspace.writer import WriteRefused

    warning = None
    try:
        change = apply_and_record(
            loaded, move_op, feature_ref, task_ref, args.column, force=args.force
        )
    except HistoryNotRecorded as exc:  # the move itself is done
        change, warning = exc.change, str(exc)
    except ArchivedFeature as exc:
        raise CliError(f"{exc}; nothing written (--force to move it anyway)") from None
    except (OperationError, WriteRefused) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise CliError(f"cannot write: {where}{exc.strerror or exc}", 1) from None
    what = f"{change.feature}/{change.task}"
    if change.noop:
        print(f"{what} is already in {change.to_column}; nothing written")
    else:
        print(
            f"moved {what}: {change.from_column} → {change.to_column} ({', '.join(change.files)})"
        )
    for note in change.notes:
        print(f"sdd-tui: warning: {note}", file=sys.stderr)
    if warning:
        print(f"sdd-tui: warning: {warning}", file=sys.stderr)
    return 0


def _print_status(ws: Workspace) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    console.print(Text.assemble(("Workspace ", "bold"), safe(ws.root)))
    if ws.active_feature:
        console.print(Text.assemble(("Active feature ", "bold"), safe(ws.active_feature)))
    table = Table(show_edge=False, header_style="bold")
    for col in (
        "Feature",
        "Layout",
        "Done",
        *[c.replace("_", " ") for c in ws.columns[:-1]],
        "Checklist",
        "Clarif.",
        "Reqs",
    ):
        table.add_column(col, justify="left" if col in ("Feature", "Layout") else "right")
    for f in sorted(ws.features, key=lambda f: f.archived):
        counts = {c: 0 for c in ws.columns}
        for t in f.tasks:
            counts[t.column] = counts.get(t.column, 0) + 1
        name = Text(safe(f.id), style="dim" if f.archived else "")
        if f.id == ws.active_feature:
            name.stylize("bold")
        checked = sum(1 for c in f.checklist if c.checked)
        table.add_row(
            name,
            f.layout + (" (archived)" if f.archived else ""),
            _progress(f),
            *[str(counts[c]) for c in ws.columns[:-1]],
            f"{checked}/{len(f.checklist)}" if f.checklist else "-",
            str(len(f.clarifications)) if f.clarifications else "-",
            str(sum(1 for r in f.requirements if r.functional and r.active)),
        )
    if ws.features:
        _print_table(console, table)
    else:
        from sdd_tui.layouts import all_layouts

        places = ", ".join(f"{t}/" for layout in all_layouts() for t in layout.territory)
        console.print(f"No features found (looked for {safe(places)}).")
    _print_problems(ws)


def _progress(f: Feature) -> str:
    total = len(f.tasks)
    if not total:
        return "-"
    return f"{f.done_count}/{total} {percent(f.done_count, total)}%"


def _print_tasks(ws: Workspace, features: list[Feature]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    for f in features:
        if not f.tasks:
            continue
        table = Table(title=Text(safe(f.id), style="bold"), show_edge=False, header_style="bold")
        table.add_column("Key")
        table.add_column("Column")
        table.add_column("Title", overflow="fold")
        table.add_column("Where", style="dim")
        for t in f.tasks:
            indent = "  " if t.parent else ""
            table.add_row(
                Text(indent + safe(t.key)),
                t.column,
                Text(safe(t.title)),
                Text(f"{safe(t.path)}:{t.line}"),
            )
        _print_table(console, table)
    _print_problems(ws)


_PIPE_WIDTH = 400


def _print_table(console: Console, table: Table) -> None:
    """Print ``table``; piped output gets the width it needs so ids are never cut short."""
    if not console.is_terminal:
        from rich.measure import Measurement

        wide = console.options.update(max_width=_PIPE_WIDTH)
        needed = Measurement.get(console, wide, table).maximum
        console.width = max(console.width, min(needed, _PIPE_WIDTH))
    console.print(table)


def _print_problems(ws: Workspace) -> None:
    if not ws.problems:
        return
    print(f"{len(ws.problems)} problem(s):", file=sys.stderr)
    for pr in ws.problems:
        print(f"  {safe(str(pr))}", file=sys.stderr)
