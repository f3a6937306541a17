"""``sdd-tui check``: the CI gate.

Prints one linter-style line per finding (``path:line: rule-id: message``) and a summary, or
JSON with ``--json``.  Exit 1 when any finding is an error, or when no feature was read but
files that look like SDD documents were found; 0 otherwise, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import sys

from sdd_tui.cli.common import CliError, load_workspace, parser, print_json
from sdd_tui.operations.checks import RULES, CheckReport, run_checks
from sdd_tui.textsafe import safe
from sdd_tui.workspace.discover import UNREAD

_EPILOG_WIDTH = 28


def check(argv: list[str]) -> int:
    rules = "\n".join(f"  {r.id:<{_EPILOG_WIDTH}} {r.severity:<8} {r.summary}" for r in RULES)
    p = parser(
        "check",
        "Check that specs are ready: clarifications, checklists, requirements, tasks, tests.",
    )
    p.epilog = (
        "rules (id, default severity; set per rule in .sdd/config.yaml 'checks:' to "
        f'error, warning or "off"):\n{rules}\n\n'
        "exit status: 1 when any finding is an error or when no feature was read but files\n"
        "look like SDD documents, 0 otherwise, 2 for usage errors"
    )
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--feature", help="only this feature (id); archived features too")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    p.add_argument("--no-git", action="store_true", help="skip the git-based rule")
    args = p.parse_args(argv)
    loaded = load_workspace(args.path)
    try:
        report = run_checks(loaded, feature=args.feature, use_git=not args.no_git)
    except KeyError:
        raise CliError(f"unknown feature '{args.feature}'") from None
    if args.json:
        print_json(report.to_json())
    else:
        _print_report(report)
    problems = list(loaded.workspace.problems) + report.problems
    if problems and not args.json:
        print(f"{len(problems)} problem(s):", file=sys.stderr)
        for pr in problems:
            print(f"  {safe(str(pr))}", file=sys.stderr)
    unread = [p for p in loaded.workspace.problems if p.message.endswith(UNREAD)]
    if unread and not loaded.workspace.features:
        # "0 features, no findings" would pass CI on a layout sdd-tui cannot read
        n = len(unread)
        print(
            f"sdd-tui check: no feature read, but {n} file{'s' if n != 1 else ''} look like "
            f"SDD documents (first: {safe(unread[0].path)})",
            file=sys.stderr,
        )
        return max(report.exit_code, 1)
    return report.exit_code


def _print_report(report: CheckReport) -> None:
    colour = sys.stdout.isatty()
    out = sys.stdout
    for f in report.findings:
        rule = f.rule
        if colour:
            code = "31" if f.severity == "error" else "33"
            rule = f"\x1b[{code}m{rule}\x1b[0m"
        out.write(f"{safe(f.location())}: {rule}: {safe(f.message)}\n")
    n = len(report.features)
    where = f"{n} feature{'s' if n != 1 else ''}"
    if report.findings:
        out.write(
            f"{report.errors} error{'s' if report.errors != 1 else ''}, "
            f"{report.warnings} warning{'s' if report.warnings != 1 else ''} in {where}\n"
        )
    else:
        out.write(f"no findings in {where}\n")
