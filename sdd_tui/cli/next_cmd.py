"""``sdd-tui next``: the tasks that can start now, in order, with why each is ready."""

from __future__ import annotations

import sys

from sdd_tui.cli.common import CliError, load_workspace, parser, print_json, safe_stdio
from sdd_tui.textsafe import safe


def next_command(argv: list[str]) -> int:
    safe_stdio()
    p = parser(
        "next",
        "Tasks that can start now: every dependency done (phases, [P] markers, sub-tasks, "
        "'depends on T005'), not started yet.",
    )
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--feature", help="only this feature (id); archived features too")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    args = p.parse_args(argv)
    ws = load_workspace(args.path, one_shot=True).workspace
    from sdd_tui.operations.next import next_json, next_tasks

    features = None
    if args.feature is not None:
        f = ws.feature(args.feature)
        if f is None:
            raise CliError(f"unknown feature '{args.feature}'")
        features = [f]
    ready = next_tasks(ws, features)
    if args.json:
        print_json(next_json(ready))
        return 0
    out = sys.stdout
    if not ready:
        out.write("no task can start now\n")
    for r in ready:
        t = r.task
        out.write(f"{safe(t.feature)}/{safe(t.id or t.key)}  {safe(t.title)}\n")
        out.write(f"    {safe(t.path)}:{t.line}: {safe('; '.join(r.why))}\n")
    for pr in ws.problems:
        if "depends on" in pr.message or pr.message.startswith("dependency cycle"):
            print(f"sdd-tui: {safe(str(pr))}", file=sys.stderr)
    return 0
