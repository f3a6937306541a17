"""``sdd-tui activity``: who moved which tasks where, commit by commit, agents marked."""

from __future__ import annotations

import sys

from sdd_tui.cli.common import CliError, load_workspace, parser, print_json, safe_stdio
from sdd_tui.cli.progress_cmd import feature_or_error
from sdd_tui.textsafe import safe


def activity(argv: list[str]) -> int:
    safe_stdio()
    p = parser(
        "activity",
        "Every commit that moved tasks between columns (when, who, which tasks went where), "
        "newest first, uncommitted moves on top; coding agents are named.",
    )
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--feature", help="only this feature (id)")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    p.add_argument("--limit", type=int, default=0, help="show at most this many entries")
    args = p.parse_args(argv)
    loaded = load_workspace(args.path, one_shot=True)
    feature = feature_or_error(loaded, args.feature)
    from sdd_tui.operations.activity import activity_json, read_activity
    from sdd_tui.operations.progress_history import iso

    feed = read_activity(loaded.root, feature, loaded=loaded)
    if not feed.in_git:
        raise CliError("activity needs a git repository (this folder is not in one)")
    entries = feed.entries[: args.limit] if args.limit > 0 else feed.entries
    if args.json:
        data = activity_json(feed)
        data["entries"] = data["entries"][: len(entries)]
        print_json(data)
        return 0
    for m in feed.messages:
        print(f"sdd-tui: {safe(m)}", file=sys.stderr)
    out = sys.stdout
    if not entries:
        out.write("no task has moved yet\n")
        return 0
    for e in entries:
        when = (iso(e.time) or "")[:16].replace("T", " ")
        where = "uncommitted" if e.commit is None else e.commit[:10]
        who = safe(e.author) or "(you)"
        if e.agent:
            who += f" [agent: {safe(e.agent)}]"
        frm = safe(e.from_column) if e.from_column else "(new)"
        to = safe(e.to_column) if e.to_column else "(gone)"
        out.write(
            f"{when}  {where:<11}  {who}\n"
            f"    {safe(e.feature)}/{safe(e.task)}  {frm} → {to}  {safe(e.title)}\n"
        )
    return 0
