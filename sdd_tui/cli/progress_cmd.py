"""``sdd-tui progress``: burn-up, cycle time and a forecast per feature, from git history."""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING

from sdd_tui.cli.common import CliError, load_workspace, parser, print_json, safe_stdio
from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sdd_tui.model.places import BurnPoint, FeatureProgress, Forecast
    from sdd_tui.workspace.snapshot import Loaded


def feature_or_error(loaded: Loaded, ref: str | None) -> str | None:
    """The feature id ``ref`` names, or a CliError naming the close ones."""
    if ref is None:
        return None
    f = loaded.workspace.feature(ref)
    if f is None:
        import difflib

        ids = [x.id for x in loaded.workspace.features]
        close = difflib.get_close_matches(ref, ids, n=3, cutoff=0.5)
        hint = f" (did you mean: {', '.join(safe(c) for c in close)}?)" if close else ""
        raise CliError(f"unknown feature '{safe(ref)}'{hint}")
    return f.id


def progress(argv: list[str]) -> int:
    safe_stdio()
    p = parser(
        "progress",
        "Burn-up (done and scope over time), cycle time per task (median, p90) and a "
        "forecast of the finish, replayed from the git history of each task file.",
    )
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--feature", help="only this feature (id)")
    p.add_argument("--json", action="store_true", help="print JSON for agents and CI")
    p.add_argument("--width", type=int, help="chart width in columns (default: the terminal's)")
    args = p.parse_args(argv)
    loaded = load_workspace(args.path, one_shot=True)
    feature = feature_or_error(loaded, args.feature)
    from sdd_tui.operations.progress_history import progress_json, read_progress

    report = read_progress(loaded.root, feature, loaded=loaded)
    if not report.in_git:
        raise CliError("progress needs a git repository (this folder is not in one)")
    if args.json:
        print_json(progress_json(report))
        return 0
    for m in report.messages:
        print(f"sdd-tui: {safe(m)}", file=sys.stderr)
    width = args.width or min(shutil.get_terminal_size((80, 24)).columns, 120)
    out = sys.stdout
    shown = [f for f in report.features if f.points]
    if not shown:
        out.write("no task file with a history to show\n")
        return 0
    for f in shown:
        _print_feature(f, width, report.now)
    if feature is None and len(shown) > 1:
        out.write("\nportfolio (all features)\n")
        last = report.portfolio[-1]
        out.write(f"  done {last.done}/{last.total}\n")
        _print_forecast(report.portfolio_forecast)
        _print_chart(report.portfolio, width, report.now, report.portfolio_forecast)
    return 0


def _print_feature(f: FeatureProgress, width: int, now: float) -> None:
    out = sys.stdout
    last = f.points[-1]
    head = f"\n{safe(f.feature)}  {safe(f.path)}"
    if f.renamed_from:
        head += f" (earlier: {', '.join(safe(p) for p in f.renamed_from)})"
    out.write(head + "\n")
    state = " (uncommitted)" if last.commit is None else ""
    out.write(f"  done {last.done}/{last.total}{state}\n")
    if f.cycle_times:
        out.write(
            f"  cycle time: median {f.median_days:.1f} d, p90 {f.p90_days:.1f} d "
            f"({len(f.cycle_times)} task{'s' if len(f.cycle_times) != 1 else ''})\n"
        )
    else:
        out.write("  cycle time: no task finished in the history yet\n")
    _print_forecast(f.forecast)
    _print_chart(f.points, width, now, f.forecast)
    for m in f.messages:
        out.write(f"  note: {safe(m)}\n")


def _print_forecast(fc: Forecast | None) -> None:
    from sdd_tui.operations.progress_history import iso

    if fc is None:
        return
    out = sys.stdout
    rate = f"{fc.rate_per_day * 7:.1f} tasks/week over the last {fc.window_days} days"
    if fc.remaining == 0:
        out.write("  forecast: nothing left to do\n")
    elif fc.finish is None:
        out.write(f"  forecast: no finish in sight ({fc.remaining} left, no progress in "
                  f"the last {fc.window_days} days)\n")  # fmt: skip
    else:
        day = (iso(fc.finish) or "")[:10]
        out.write(f"  forecast: finish around {day} ({fc.remaining} left at {rate})\n")


def _print_chart(points: Sequence[BurnPoint], width: int, now: float, fc: Forecast | None) -> None:
    from sdd_tui.operations.burnup_chart import render_burnup

    chart = render_burnup(points, width - 2, 10, now, fc)
    for line in chart.lines:
        sys.stdout.write("  " + line.rstrip() + "\n")
    sys.stdout.write("  ─ scope  █ done" + ("  ╌ forecast" if fc and fc.finish else "") + "\n")
