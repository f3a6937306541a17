"""``sdd-tui tests``: test results, traceability and a headless run of the test command."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sdd_tui.cli.common import CliError, load_workspace, parser, print_json
from sdd_tui.model.workspace import Feature, Problem
from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from sdd_tui.operations.test_runner import RunSummary
    from sdd_tui.operations.trace import Trace
    from sdd_tui.workspace.results import ResultSnapshot

CONFIG_PATH = ".sdd/config.yaml"


def tests(argv: list[str]) -> int:
    p = parser(
        "tests",
        "Test results (JUnit XML, test-status.json) traced to requirements and tasks; "
        "--run runs tests.command from .sdd/config.yaml first.",
    )
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    p.add_argument("--feature", help="trace every requirement of this feature (id)")
    p.add_argument(
        "--run",
        action="store_true",
        help="run tests.command in the workspace root first (typing it is the confirmation); "
        "exit 1 when tests fail",
    )
    args = p.parse_args(argv)
    loaded = load_workspace(args.path)
    ws = loaded.workspace
    feature: Feature | None = None
    if args.feature is not None:
        feature = ws.feature(args.feature)
        if feature is None:
            raise CliError(f"unknown feature '{args.feature}'")
    config = loaded.config
    globs = config.tests.junit if config is not None and config.tests.junit else None
    summary = None
    if args.run:
        summary = _run(loaded.root, config.tests.command if config else None, globs, args.json)

    from sdd_tui.operations.trace import build_trace, tests_json
    from sdd_tui.workspace.results import load_snapshot

    snap = load_snapshot(loaded.root, globs)
    problems = list(snap.problems)
    if summary is not None and summary.run.error is not None:
        problems.append(Problem(CONFIG_PATH, f"tests.command: {summary.run.error}"))
    trace = build_trace(ws, snap.results.cases)
    if args.json:
        print_json(tests_json(ws, snap.results.cases, problems, feature=feature, trace=trace))
    elif summary is None:
        _print_report(snap, problems, trace, feature)
    else:
        _print_problems(problems)
    if summary is not None:
        print(f"sdd-tui: {summary.line()}", file=sys.stderr if args.json else sys.stdout)
        return 0 if summary.outcome == "passed" else 1
    return 0


def _run(root: Path, command: str | None, globs: list[str] | None, to_json: bool) -> RunSummary:
    from sdd_tui.operations.test_runner import (
        NoCommand,
        TestRunner,
        append_history,
        require_command,
        summarize,
    )
    from sdd_tui.workspace.results import fingerprint

    try:
        command = require_command(command)
    except NoCommand as exc:
        raise CliError(str(exc)) from None
    out: TextIO = sys.stderr if to_json else sys.stdout
    print(f"$ {safe(command)}", file=out, flush=True)

    def show(lines: list[str]) -> None:
        for line in lines:
            out.write(safe(line) + "\n")
        out.flush()

    before = fingerprint(root, globs)
    runner = TestRunner(root, command, on_output=show)
    result = asyncio.run(runner.run())  # ctrl+c cancels it: the process group is stopped
    summary = summarize(root, result, before, globs)
    warning = append_history(root, summary)
    if warning:
        print(f"sdd-tui: warning: {warning}", file=sys.stderr)
    return summary


def _print_report(
    snap: ResultSnapshot, problems: list[Problem], trace: Trace, feature: Feature | None
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    results = snap.results
    if not results.cases and not snap.status:
        console.print(
            "No test results (looked for JUnit XML in .sdd/results/, junit.xml, test-results/, "
            "reports/, build/test-results/, target/surefire-reports/ and tests.junit)."
        )
    if results.cases:
        t = results.totals()
        console.print(
            Text.assemble(
                (f"{t['passed']} passed", "bold green"),
                ", ",
                (f"{t['failed']} failed", "bold red" if t["failed"] else ""),
                ", ",
                (f"{t['errors']} errors", "bold red" if t["errors"] else ""),
                ", ",
                (f"{t['skipped']} skipped", "dim"),
                ("  " + ", ".join(safe(f) for f in results.files), "dim"),
            )
        )
        for case in results.cases:
            if case.failing:
                line = Text.assemble(
                    ("✘ " if case.status == "failed" else "! ", "red"), (safe(case.id), "bold")
                )
                if case.message:
                    line.append(f"\n    {safe(case.message.splitlines()[0])[:300]}", "red")
                console.print(line)
    for status in snap.status:
        console.print(Text(f"\n{safe(status.path)}", style="bold"))
        for c in status.criteria:
            console.print(
                Text.assemble(
                    f"  {safe(c.status or '?'):<12} ",
                    (safe(c.key), "bold"),
                    f"  {safe(c.requirement)}",
                )
            )
    if feature is not None:
        table = Table(
            title=Text(f"{safe(feature.id)}: traceability", style="bold"),
            show_edge=False,
            header_style="bold",
        )
        for col in ("Requirement", "Tasks", "Tests", "Status", "Gaps"):
            table.add_column(col, overflow="fold")
        for row in trace.rows(feature):
            table.add_row(
                safe(row.requirement.id),
                ", ".join(safe(t.id or t.key) for t in row.tasks) or "-",
                str(len(row.tests)) if row.tests else "-",
                row.status,
                ", ".join(row.gaps),
            )
        console.print(table)
    _print_problems(problems)


def _print_problems(problems: list[Problem]) -> None:
    if not problems:
        return
    print(f"{len(problems)} problem(s):", file=sys.stderr)
    for pr in problems:
        print(f"  {safe(str(pr))}", file=sys.stderr)
