"""``sdd-tui portfolio``: every feature on every branch and worktree, one row per place.

Exit codes: 0 with the portfolio (git's notes, such as a shallow clone, on stderr); 2 when
the folder is in no git repository (a one-line message; with ``--json`` the object is still
printed, ``"in_git": false``, so that an agent reads why) or does not exist.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from sdd_tui.cli.common import CliError, parser, print_json, safe_stdio
from sdd_tui.model.places import Place, Portfolio, PortfolioRow
from sdd_tui.textsafe import safe


def portfolio(argv: list[str]) -> int:
    safe_stdio()
    p = parser(
        "portfolio",
        "Every feature in every place of the repository: this worktree, the other worktrees "
        "(read from their folders), each local branch (read from git objects, nothing checked "
        "out); one row per feature per place, never merged.",
    )
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--remotes", action="store_true", help="remote-tracking branches too")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    args = p.parse_args(argv)
    from sdd_tui import gcpolicy
    from sdd_tui.workspace.discover import find_root
    from sdd_tui.workspace.snapshot import WorkspaceError

    start = Path.cwd() if args.path is None else Path(args.path)
    if not start.exists():
        raise CliError(f"no such file or directory: {start}")
    gcpolicy.off()  # a one-shot command: no garbage worth a collection
    try:
        root = find_root(start)
    except WorkspaceError as exc:
        raise CliError(str(exc)) from None
    from sdd_tui.operations.portfolio import read_portfolio

    found = read_portfolio(root, remotes=args.remotes)
    if args.json:
        print_json(portfolio_json(found))
        return 0 if found.in_git else 2
    if not found.in_git:
        raise CliError(found.messages[0])
    sys.stdout.write(table(found, now=time.time()))
    for message in found.messages:
        print(f"sdd-tui: {safe(message)}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------- JSON


def portfolio_json(found: Portfolio) -> dict[str, Any]:
    return {
        "in_git": found.in_git,
        "places": [place_json(p) for p in found.places],
        "rows": [row_json(r) for r in found.rows],
        "messages": list(found.messages),
    }


def place_json(place: Place) -> dict[str, Any]:
    return {
        "kind": place.kind,
        "name": place.name,
        "path": place.path,
        "current": place.current,
        "live": place.live,
        "commit": place.commit,
    }


def row_json(row: PortfolioRow) -> dict[str, Any]:
    f = row.feature
    return {
        "place": place_json(row.place),
        "feature": {
            "id": f.id,
            "layout": f.layout,
            "path": f.path,
            "branch": f.branch,
            "documents": dict(f.documents),
        },
        "read_only": row.read_only,
        "stage": row.stage,
        "done": row.done,
        "total": row.total,
        "in_progress": row.in_progress,
        "open_clarifications": row.open_clarifications,
        "failing_tests": row.failing_tests,
        "plan_stale": row.plan_stale,
        "changed_at": iso_utc(row.changed_at),
        "changed_at_epoch": row.changed_at,
        "changed_by": row.changed_by,
    }


def iso_utc(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


# ---------------------------------------------------------------------------- table

HEADERS = ("PLACE", "FEATURE", "STAGE", "DONE", "DOING", "CLAR", "FAILING", "STALE", "CHANGED")


def table(found: Portfolio, *, now: float) -> str:
    """Aligned columns for people; every text from the repository passed through ``safe``."""
    if not found.rows:
        return "no features in any place\n"
    rows = [HEADERS] + [_cells(r, now) for r in found.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS) - 1)]
    out = []
    for r in rows:
        pairs = enumerate(zip(r[:-1], widths, strict=True))
        cells = [c.ljust(w) if i <= 2 else c.rjust(w) for i, (c, w) in pairs]
        out.append("  ".join([*cells, r[-1]]).rstrip())
    out.append("")
    out.append("* this worktree   (wt) another worktree   others: branches, from git; read-only")
    return "\n".join(out) + "\n"


def place_label(place: Place) -> str:
    if place.current:
        return f"* {safe(place.name)}"
    if place.live:
        return f"{safe(place.name)} (wt)"
    return safe(place.name)


def _cells(r: PortfolioRow, now: float) -> tuple[str, ...]:
    changed = "-"
    if r.changed_at is not None:
        who = "you (uncommitted)" if r.changed_by == "" else safe(r.changed_by or "")
        changed = f"{ago(r.changed_at, now)}, {who}" if who else ago(r.changed_at, now)
    return (
        place_label(r.place),
        safe(r.feature.id),
        r.stage,
        f"{r.done}/{r.total}",
        str(r.in_progress),
        str(r.open_clarifications),
        "-" if r.failing_tests is None else str(r.failing_tests),
        {True: "stale?", False: "", None: "?"}[r.plan_stale],
        changed,
    )


def ago(epoch: float, now: float) -> str:
    """A relative time for people ("5 min ago"); a date past two months."""
    seconds = now - epoch
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 86400 * 60:
        return f"{int(seconds // 86400)} d ago"
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))
