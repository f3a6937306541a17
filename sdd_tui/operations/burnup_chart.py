"""A burn-up chart as text for a terminal: scope and done over days, and the forecast dashed.

Pure (no Textual, no Rich): the CLI prints ``chart.lines``; the UI colours each cell by the
tag at the same place in ``chart.tags`` (``SCOPE``, ``DONE``, ``FORECAST``, ``AXIS``, or a
space for nothing).  Time runs left to right (one column is a slice of days, dates under the
axis), counts bottom to top (0 at the axis, the largest scope at the top).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sdd_tui.model.places import BurnPoint, Forecast
from sdd_tui.model.record import record

SCOPE, DONE, FORECAST, AXIS = "s", "d", "f", "a"
CHARS = {SCOPE: "─", DONE: "█", FORECAST: "╌"}
DAY = 86400.0
MIN_WIDTH, MIN_HEIGHT = 20, 5


@record
class BurnupChart:
    lines: tuple[str, ...]
    tags: tuple[str, ...]  # one tag per character of ``lines``
    start: float  # the time at the left edge
    end: float  # the time at the right edge


def _date(t: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(t))


def render_burnup(
    points: Sequence[BurnPoint],
    width: int,
    height: int,
    now: float,
    forecast: Forecast | None = None,
) -> BurnupChart:
    """The chart of ``points`` in ``width`` × ``height`` cells (at least 20 × 5), up to
    ``now``; the forecast from the last point to its finish, dashed and labelled."""
    width, height = max(width, MIN_WIDTH), max(height, MIN_HEIGHT)
    if not points:
        line = "no history to draw".ljust(width)[:width]
        return BurnupChart((line,), (" " * len(line),), now, now)
    t0 = points[0].time
    last = points[-1]
    t1 = max(now, last.time)
    finish = forecast.finish if forecast is not None else None
    if finish is not None and finish > t1:
        # a far finish is drawn up to the edge: the span shown at most doubles
        t1 = min(finish, t1 + max(t1 - t0, 14 * DAY))
    if t1 <= t0:
        t1 = t0 + DAY
    top = max(max(p.total for p in points), 1)
    label_w = len(str(top))
    plot_w = width - label_w - 1  # labels, then the axis character
    plot_h = height - 2  # the x axis and the dates under it

    def col_time(c: int) -> float:
        return t0 + (t1 - t0) * c / max(plot_w - 1, 1)

    def row_of(v: float) -> int:  # 0 = the top row of the plot
        return plot_h - 1 - round(v / top * (plot_h - 1))

    grid = [[" "] * plot_w for _ in range(plot_h)]
    tags = [[" "] * plot_w for _ in range(plot_h)]

    def put(r: int, c: int, tag: str) -> None:
        if 0 <= r < plot_h and 0 <= c < plot_w and (tags[r][c] == " " or tag == DONE):
            grid[r][c] = CHARS[tag]
            tags[r][c] = tag

    # A column stands for the days around its time: it shows the last point before its
    # slice ends, and nothing once its slice starts after the last point and now.
    half = (t1 - t0) / max(plot_w - 1, 1) / 2
    i = -1
    for c in range(plot_w):
        tc = col_time(c)
        while i + 1 < len(points) and points[i + 1].time < tc + half:
            i += 1
        if i < 0 or tc - half > max(now, last.time):
            continue
        p = points[i]
        put(row_of(p.total), c, SCOPE)
        put(row_of(p.done), c, DONE)
    label_at: tuple[int, int] | None = None
    if forecast is not None and finish is not None and finish > last.time:
        start = max(now, last.time)
        for c in range(plot_w):
            tc = col_time(c)
            if tc <= start or tc > finish + 1e-6:
                continue
            v = last.done + (last.total - last.done) * (tc - start) / (finish - start)
            r = row_of(v)
            put(r, c, FORECAST)
            label_at = (r, c)
    if label_at is not None:
        word = "forecast" if finish is not None and finish <= t1 else "forecast →"
        end_r, end_c = label_at
        # beside the dashed line's end if there is room, else the free place nearest to it
        spots = [
            (r, c)
            for r in sorted(range(plot_h), key=lambda r: (abs(r - end_r) != 1, abs(r - end_r)))
            for c in range(max(0, min(end_c - len(word) + 1, plot_w - len(word))), -1, -1)
        ]
        for r, c in spots:
            if c + len(word) <= plot_w and all(tags[r][c + k] == " " for k in range(len(word))):
                for k, ch in enumerate(word):
                    grid[r][c + k] = ch
                    tags[r][c + k] = FORECAST
                break
    lines: list[str] = []
    line_tags: list[str] = []
    marks = {0: str(top), plot_h - 1: "0", (plot_h - 1) // 2: str(round(top / 2))}
    for r in range(plot_h):
        label = marks.get(r, "").rjust(label_w)
        lines.append(label + "│" + "".join(grid[r]))
        line_tags.append(AXIS * (label_w + 1) + "".join(tags[r]))
    lines.append(" " * label_w + "└" + "─" * plot_w)
    line_tags.append(" " * label_w + AXIS * (plot_w + 1))
    left, right = _date(t0), _date(t1)
    dates = " " * (label_w + 1) + left
    if len(left) + len(right) + 1 <= plot_w:
        dates = dates.ljust(label_w + 1 + plot_w - len(right)) + right
    lines.append(dates)
    line_tags.append(" " * (label_w + 1) + AXIS * (len(dates) - label_w - 1))
    return BurnupChart(tuple(lines), tuple(line_tags), t0, t1)
