"""Burn-up, cycle time and a forecast per feature and for the portfolio, from the replay of
the task files through git (``operations.timeline``).

- **Burn-up**: one point per version whose done or scope (total) differs from the one before
  (the first version always), the working tree last (``commit=None``) when it differs.
- **Cycle time** of a task: from the first version where it was in progress — Kiro's ``[-]``
  (``started_by="in-progress"``) or a between column from board.json (``"board"``) — else
  from its first appearance (``"appeared"``), to the commit that ticked it.  A task unticked
  later is not finished (ticked again: the last tick counts); a task that appeared already
  ticked has no observed cycle and is left out; an uncommitted tick is not a commit yet.
- **Median** is the middle value (the mean of the two middle ones for an even count, as
  ``statistics.median``); **p90** is the nearest-rank 90th percentile: the
  ``ceil(0.9 × n)``-th smallest value, always one of the observed cycle times.
- **Forecast**: the tasks done in the last ``WINDOW_DAYS`` days (done now minus done at the
  window's start) per day; the finish is now + remaining / rate, ``None`` when the rate is
  not positive.  Always shown labelled as a forecast.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sdd_tui.model.places import BurnPoint, CycleTime, FeatureProgress, Forecast
from sdd_tui.model.record import record
from sdd_tui.operations.timeline import Replay, Timeline, replay
from sdd_tui.workspace.snapshot import Loaded

WINDOW_DAYS = 14
PERCENTILE_METHOD = (
    "median: the middle value (the mean of the two middle ones); "
    "p90: nearest rank (the ceil(0.9 n)-th smallest)"
)
DAY = 86400.0


@record
class ProgressReport:
    """What ``sdd-tui progress`` and the Progress pane show."""

    features: tuple[FeatureProgress, ...]
    portfolio: tuple[BurnPoint, ...]  # the features' step series summed over time
    portfolio_forecast: Forecast | None
    now: float
    messages: tuple[str, ...] = ()
    in_git: bool = True


def read_progress(
    root: Path,
    feature: str | None = None,
    *,
    loaded: Loaded | None = None,
    now: float | None = None,
) -> ProgressReport:
    """Burn-up, cycle times and forecasts of the worktree's features (or ``feature``'s).
    Blocking (git and the replay cache); never raises for git's trouble: it is in
    ``messages``, and outside a repository ``in_git`` is False."""
    now = time.time() if now is None else now
    timeline = replay(root, feature, loaded=loaded)
    return progress_of(timeline, now)


def progress_of(timeline: Timeline, now: float) -> ProgressReport:
    features = tuple(feature_progress(r, now) for r in timeline.replays)
    portfolio = portfolio_points([f.points for f in features])
    return ProgressReport(
        features,
        portfolio,
        forecast(portfolio, now) if portfolio else None,
        now,
        timeline.messages,
        timeline.in_git,
    )


def feature_progress(rep: Replay, now: float) -> FeatureProgress:
    points = burn_points(rep)
    cycles = cycle_times(rep)
    median, p90 = percentiles([c.days for c in cycles])
    return FeatureProgress(
        feature=rep.feature,
        path=rep.path,
        points=points,
        cycle_times=cycles,
        median_days=median,
        p90_days=p90,
        forecast=forecast(points, now) if points else None,
        renamed_from=rep.renamed_from,
        messages=rep.messages,
    )


def burn_points(rep: Replay) -> tuple[BurnPoint, ...]:
    out: list[BurnPoint] = []
    for v in rep.versions:
        if out and (out[-1].done, out[-1].total) == (v.done, v.total):
            continue
        out.append(BurnPoint(v.time, v.commit, v.done, v.total))
    return tuple(out)


def cycle_times(rep: Replay) -> tuple[CycleTime, ...]:
    """Each task's cycle, in the order the tasks were finished."""
    columns = rep.columns
    appeared: dict[str, float] = {}
    started: dict[str, tuple[float, str]] = {}
    finished: dict[str, float] = {}
    for v in rep.versions:
        if v.commit is None:
            continue  # an uncommitted tick is not the commit that ticked it
        for key, _title, frm, to, mark in v.moves:
            if frm is None:
                appeared.setdefault(key, v.time)
            if to is None:
                started.pop(key, None)
                finished.pop(key, None)
                appeared.pop(key, None)
                continue
            if columns.between(to) and key not in started:
                how = "in-progress" if rep.native_in_progress and mark == "-" else "board"
                started[key] = (v.time, how)
            if to == columns.done:
                finished.pop(key, None)  # re-inserted: dicts keep the order of finishing
                finished[key] = v.time
            elif frm == columns.done:
                finished.pop(key, None)  # unticked: not finished (until ticked again)
    out: list[CycleTime] = []
    for key, end in finished.items():
        begin = started.get(key)
        if begin is not None and begin[0] <= end:
            out.append(CycleTime(rep.feature, key, begin[0], end, begin[1]))
            continue
        first = appeared.get(key)
        if first is not None and first < end:
            out.append(CycleTime(rep.feature, key, first, end, "appeared"))
    return tuple(out)


def percentiles(days: Sequence[float]) -> tuple[float | None, float | None]:
    """(median, nearest-rank p90) of ``days``; (None, None) when empty."""
    if not days:
        return None, None
    ordered = sorted(days)
    n = len(ordered)
    mid = n // 2
    # (statistics.median, without its imports: a few ms of every headless run)
    median = ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    rank = max(1, math.ceil(0.9 * n))
    return median, ordered[rank - 1]


def done_at(points: Sequence[BurnPoint], t: float) -> int:
    """Done at time ``t``: the last point at or before it (0 before the first)."""
    done = 0
    for p in points:
        if p.time > t:
            break
        done = p.done
    return done


def forecast(
    points: Sequence[BurnPoint], now: float, window_days: int = WINDOW_DAYS
) -> Forecast | None:
    """The finish at the last ``window_days``' rate (a projection, never a promise)."""
    if not points:
        return None
    seen = [p for p in points if p.time <= now] or [points[0]]
    last = seen[-1]
    remaining = max(0, last.total - last.done)
    rate = (last.done - done_at(points, now - window_days * DAY)) / window_days
    if remaining == 0:
        finish: float | None = last.time
    elif rate > 0:
        finish = now + remaining / rate * DAY
    else:
        finish = None
    return Forecast(remaining, rate, finish, window_days)


def portfolio_points(series: Iterable[Sequence[BurnPoint]]) -> tuple[BurnPoint, ...]:
    """The step series summed: at each time a feature changed, every feature's latest."""
    events = sorted(
        ((p.time, n, i, p) for n, s in enumerate(series) for i, p in enumerate(s)),
        key=lambda e: (e[0], e[1], e[2]),
    )
    current: dict[int, tuple[int, int]] = {}
    out: list[BurnPoint] = []
    for t, n, _i, p in events:
        current[n] = (p.done, p.total)
        done = sum(d for d, _ in current.values())
        total = sum(tt for _, tt in current.values())
        point = BurnPoint(t, p.commit, done, total)
        if out and out[-1].time == t:
            out[-1] = point
        elif not out or (out[-1].done, out[-1].total) != (done, total):
            out.append(point)
    return tuple(out)


# -- JSON ---------------------------------------------------------------------------------


def iso(t: float | None) -> str | None:
    """ISO 8601 in UTC to the second (``2026-03-01T09:30:00Z``)."""
    if t is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _points_json(points: Sequence[BurnPoint]) -> list[dict[str, Any]]:
    return [
        {"time": iso(p.time), "commit": p.commit or "uncommitted", "done": p.done,
         "total": p.total}
        for p in points
    ]  # fmt: skip


def forecast_json(f: Forecast | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "label": "forecast",
        "remaining": f.remaining,
        "rate_per_day": round(f.rate_per_day, 4),
        "finish": iso(f.finish),
        "window_days": f.window_days,
    }


def _days(d: float | None) -> float | None:
    return None if d is None else round(d, 3)


def _cycle_json(c: CycleTime) -> dict[str, Any]:
    return {
        "task": c.task,
        "started": iso(c.started),
        "finished": iso(c.finished),
        "days": _days(c.days),
        "started_by": c.started_by,
    }


def progress_json(report: ProgressReport) -> dict[str, Any]:
    days = _days

    return {
        "in_git": report.in_git,
        "now": iso(report.now),
        "messages": list(report.messages),
        "percentile_method": PERCENTILE_METHOD,
        "features": [
            {
                "feature": f.feature,
                "path": f.path,
                "renamed_from": list(f.renamed_from),
                "points": _points_json(f.points),
                "cycle_times": [_cycle_json(c) for c in f.cycle_times],
                "median_days": days(f.median_days),
                "p90_days": days(f.p90_days),
                "forecast": forecast_json(f.forecast),
                "messages": list(f.messages),
            }
            for f in report.features
        ],
        "portfolio": {
            "points": _points_json(report.portfolio),
            "forecast": forecast_json(report.portfolio_forecast),
        },
    }
