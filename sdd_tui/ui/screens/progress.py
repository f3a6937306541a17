"""Progress over time: key ``B``.

The burn-up of the open feature — scope and done after every commit that touched its task
file (renames followed) and the working tree — or of all features (``a``), with cycle times
(median, 90th percentile, the slowest tasks) and a forecast of the finish date at the last 14
days' rate, always labelled a forecast.  Read in a thread (``operations.progress_history``),
again when the session's snapshot changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sdd_tui.model.places import BurnPoint, FeatureProgress, Forecast
from sdd_tui.textsafe import safe
from sdd_tui.ui import timefmt
from sdd_tui.ui.screens.common import ReadsInThread, warnings_text
from sdd_tui.ui.session import Session

if TYPE_CHECKING:
    from sdd_tui.operations.progress_history import ProgressReport
    from sdd_tui.workspace.snapshot import Loaded

SLOWEST = 5  # tasks listed under the cycle-time figures


def chart_text(
    points: tuple[BurnPoint, ...], forecast: Forecast | None, width: int, height: int, at: float
) -> Text:
    """The burn-up drawn by ``operations.burnup_chart``, each cell coloured by its tag."""
    from sdd_tui.operations import burnup_chart as chart_mod

    chart = chart_mod.render_burnup(points, width, height, at, forecast)
    styles = {
        chart_mod.SCOPE: "bold blue",
        chart_mod.DONE: "bold green",
        chart_mod.FORECAST: "yellow",
        chart_mod.AXIS: "dim",
    }
    text = Text(no_wrap=True, overflow="crop")
    for i, (line, tags) in enumerate(zip(chart.lines, chart.tags, strict=True)):
        if i:
            text.append("\n")
        start = 0
        for j in range(1, len(line) + 1):  # one span per run of equal tags
            if j == len(line) or tags[j] != tags[start]:
                text.append(line[start:j], styles.get(tags[start], ""))
                start = j
    return text


def summary_text(progress: FeatureProgress | None, points: tuple[BurnPoint, ...]) -> Text:
    """Where it stands, its cycle times and the forecast, in a few lines."""
    text = Text()
    if points:
        last = points[-1]
        text.append(f"{last.done}/{last.total} done", "bold")
        text.append(f"  since {timefmt.day(points[0].time)}, {len(points)} versions", "dim")
    if progress is None:
        return text
    if progress.renamed_from:
        text.append("\nthe task file was also ", "dim")
        text.append(", ".join(safe(p) for p in progress.renamed_from), "dim")
    text.append("\n")
    if progress.median_days is None:
        text.append("cycle time: no task finished in the history yet", "dim")
    else:
        text.append("cycle time ", "bold")
        text.append(f"median {progress.median_days:.1f} d")
        if progress.p90_days is not None:
            text.append(f" · 90th percentile {progress.p90_days:.1f} d")
        text.append(f"  ({len(progress.cycle_times)} tasks)", "dim")
        slowest = sorted(progress.cycle_times, key=lambda c: -c.days)[:SLOWEST]
        for c in slowest:
            text.append(f"\n  {safe(c.task):<10} {c.days:6.1f} d", "")
            span = f"{timefmt.day(c.started)} → {timefmt.day(c.finished)}"
            text.append(f"  {span} (from {c.started_by})", "dim")
    text.append("\n")
    text.append_text(forecast_text(progress.forecast))
    return text


def forecast_text(forecast: Forecast | None) -> Text:
    text = Text()
    text.append("forecast ", "bold yellow")
    if forecast is None:
        text.append("none: no history to project from", "dim")
    elif forecast.remaining == 0:
        text.append("nothing left to do", "green")
    elif forecast.finish is None:
        text.append(
            f"no finish in sight: nothing was done in the last {forecast.window_days} days "
            f"({forecast.remaining} left)",
            "yellow",
        )
    else:
        text.append(
            f"finish ≈ {timefmt.day(forecast.finish)} at {forecast.rate_per_day:.1f} tasks/day "
            f"(the last {forecast.window_days} days' rate; {forecast.remaining} left) — "
            "a projection, not a promise",
            "yellow",
        )
    return text


class ProgressScreen(ReadsInThread, ModalScreen[None]):
    """The burn-up of one feature or of all, with cycle times and a forecast.  Every
    feature is replayed in one read; ``a`` only changes which series is drawn."""

    BINDINGS = [
        Binding("escape,q,B", "close", "Close"),
        Binding("a", "scope", "This feature / all"),
        Binding("ctrl+r", "refresh", "Read again", show=False),
    ]
    DEFAULT_CSS = """
    ProgressScreen { align: center middle; }
    ProgressScreen > Vertical {
        width: 100%; height: 100%; border: round $primary; background: $surface;
    }
    ProgressScreen #progress-title { padding: 0 1; text-style: bold; }
    ProgressScreen #progress-chart { padding: 0 1; height: auto; }
    ProgressScreen #progress-summary { padding: 0 1; height: auto; }
    ProgressScreen #progress-messages { padding: 0 1; color: $warning; height: auto; }
    ProgressScreen .hint { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: Session, feature_id: str | None) -> None:
        super().__init__()
        self.session = session
        self.feature_id = feature_id
        self.all_features = feature_id is None
        self.report: ProgressReport | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Progress — replaying the task files' history…", id="progress-title")
            with VerticalScroll():
                yield Static(id="progress-chart")
                yield Static(id="progress-summary")
                yield Static(id="progress-messages")
            yield Static(
                "a this feature / all · esc close   "
                "scope (blue) · done (green) · forecast (yellow, dashed)",
                classes="hint",
            )

    def on_mount(self) -> None:
        self._read()

    def on_resize(self) -> None:
        if self.report is not None:
            self._draw()

    @property
    def scope(self) -> str | None:
        return None if self.all_features else self.feature_id

    def _start_read(self, asked: int) -> None:
        self._read_progress(asked, self.session.loaded)

    @work(
        thread=True, exclusive=True, group="progress", exit_on_error=False, description="progress"
    )
    def _read_progress(self, asked: int, loaded: Loaded) -> None:
        from sdd_tui.operations.progress_history import read_progress

        report, error = None, None
        try:
            report = read_progress(loaded.root, loaded=loaded)
        except Exception as exc:  # never a traceback on screen
            error = f"cannot replay the history: {exc}"
        self.app.call_from_thread(self._show, asked, report, error)

    def _show(self, asked: int, report: ProgressReport | None, error: str | None) -> None:
        if self._is_newest(asked):
            self.report, self.error = report, error
            self._draw()

    def _draw(self) -> None:
        report = self.report
        title = Text()
        chart = Text()
        summary = Text()
        messages = [self.error] if self.error else list(report.messages if report else ())
        where = "all features" if self.scope is None else safe(self.scope)
        if report is not None and not report.in_git:
            title.append("Progress over time needs a git repository", "bold yellow")
            title.append("   it is replayed from the commits of each task file", "dim")
        elif report is not None:
            title.append(f"Progress — {where}", "bold")
            progress, points, forecast = self._series(report)
            width = max(30, (self.size.width or 100) - 6)
            height = max(8, min(18, (self.size.height or 30) - 16))
            if points:
                chart = chart_text(points, forecast, width, height, timefmt.now())
            else:
                chart = Text("No history yet: no commit touched a task file.", "dim")
            summary = summary_text(progress, points)
            if progress is None and points:
                summary.append("\n")
                summary.append_text(forecast_text(forecast))
        self.query_one("#progress-title", Static).update(title)
        self.query_one("#progress-chart", Static).update(chart)
        self.query_one("#progress-summary", Static).update(summary)
        self.query_one("#progress-messages", Static).update(warnings_text(messages))

    def _series(
        self, report: ProgressReport
    ) -> tuple[FeatureProgress | None, tuple[BurnPoint, ...], Forecast | None]:
        """(the feature's progress, its points, its forecast), or for all features (None,
        the portfolio's points, its forecast)."""
        if self.scope is not None:
            found = next((f for f in report.features if f.feature == self.scope), None)
            if found is None:
                return None, (), None
            return found, found.points, found.forecast
        return None, report.portfolio, report.portfolio_forecast

    def action_scope(self) -> None:
        if self.feature_id is None:
            self.notify("no feature is open: showing all of them", timeout=2)
            return
        self.all_features = not self.all_features
        self._draw()
