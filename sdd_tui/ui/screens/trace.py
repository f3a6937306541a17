"""The traceability view (key ``m``): requirement → tasks → tests → status, gaps marked.

Every requirement of the current feature is listed, tested or not; ``a`` switches to the
requirements of every feature that some test links to.  Gaps are marked: no task, no test,
failing.  ``enter`` shows a requirement's tasks and tests in full.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from sdd_tui.model.workspace import Feature
from sdd_tui.operations.trace import Trace, TraceRow
from sdd_tui.textsafe import safe

STATUS = {
    "passed": ("✔ passed", "green"),
    "failed": ("✘ failed", "bold red"),
    "untested": ("○ untested", "yellow"),
}
GAP_STYLE = {"failing": "bold red", "no test": "yellow", "no task": "yellow"}


def _join(items: list[str], limit: int = 6) -> str:
    more = f" +{len(items) - limit}" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def row_cells(row: TraceRow, *, with_feature: bool) -> list[Text]:
    label, style = STATUS[row.status]
    gaps = Text()
    for i, gap in enumerate(row.gaps):
        if i:
            gaps.append(", ")
        gaps.append(f"⚠ {gap}", GAP_STYLE.get(gap, "yellow"))
    req = Text(safe(row.requirement.id), "bold")
    if with_feature:
        req = Text.assemble((safe(row.feature) + "/", "dim"), req)
    tests = list(row.tests)
    failing = sum(1 for c in tests if c.failing)
    tests_cell = Text(f"{len(tests)}" if tests else "-")
    if failing:
        tests_cell.append(f" ({failing} failing)", "red")
    return [
        req,
        Text(label, style),
        Text(_join([safe(t.id or t.key) for t in row.tasks], 4) or "-"),
        tests_cell,
        gaps,
        Text(safe(row.requirement.text)[:70]),
    ]


def row_detail(row: TraceRow) -> Text:
    text = Text()
    text.append(f"{safe(row.feature)}/{safe(row.requirement.id)}", "bold")
    label, style = STATUS[row.status]
    text.append(f"   {label}", style)
    text.append(f"\n{safe(row.requirement.text)}")
    text.append(f"\n{safe(row.requirement.path)}:{row.requirement.line}", "dim")
    text.append("\n\ntasks:", "bold")
    if not row.tasks:
        text.append(" none reference it", "yellow")
    for t in row.tasks:
        text.append(f"\n  {'☑' if t.done else '☐'} {safe(t.id or t.key)} ", "")
        text.append(safe(t.title)[:160])
    text.append("\n\ntests:", "bold")
    if not row.tests:
        text.append(" none link to it", "yellow")
    for c in row.tests:
        icon, style = {
            "passed": ("✔", "green"),
            "failed": ("✘", "red"),
            "error": ("!", "red"),
            "skipped": ("○", "dim"),
        }.get(c.status, ("?", ""))
        text.append(f"\n  {icon} ", style)
        text.append(safe(c.id))
        if c.failing and c.message:
            text.append(f"\n      {safe(c.message.splitlines()[0])[:200]}", "red")
    if row.gaps:
        text.append("\n\ngaps: ", "bold")
        text.append(", ".join(row.gaps), "yellow")
    return text


class TraceScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,m", "close", "Close"),
        Binding("a", "toggle_all", "This feature / all tested"),
        Binding("g", "toggle_gaps", "Gaps only"),
    ]
    DEFAULT_CSS = """
    TraceScreen { align: center middle; }
    TraceScreen > Vertical {
        width: 95%; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    TraceScreen #trace-summary { height: auto; margin-bottom: 1; }
    TraceScreen DataTable { height: 1fr; }
    TraceScreen #trace-keys { height: 1; }
    """

    def __init__(
        self,
        trace: Trace,
        feature: Feature | None,
        *,
        has_results: bool,
        full: Callable[[], Trace | None] | None = None,
    ) -> None:
        super().__init__()
        self.trace = trace
        self._full = full  # links into every feature, computed when "all" is first asked for
        self.feature = feature
        self.has_results = has_results
        self.all_features = feature is None
        self.gaps_only = False
        self.rows: list[TraceRow] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Traceability"
            yield Static(id="trace-summary")
            yield DataTable(id="trace-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                Text("enter details · a this feature / all · g gaps only · esc close", "dim"),
                id="trace-keys",
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for name in ("Requirement", "Status", "Tasks", "Tests", "Gaps", "Text"):
            table.add_column(name)
        if self.feature is None and self.trace.partial:
            full = self._full_trace()
            self.trace = full if full is not None else self.trace
        if self.all_features or self.feature is None:
            rows = self.trace.tested_rows()
        else:
            rows = self.trace.rows(self.feature)
        if self.gaps_only:
            rows = [r for r in rows if r.gaps]
        self.rows = rows
        for i, row in enumerate(rows):
            table.add_row(*row_cells(row, with_feature=self.all_features), key=str(i))
        self.query_one("#trace-summary", Static).update(self._summary())

    def _summary(self) -> Text:
        text = Text()
        if self.all_features or self.feature is None:
            text.append("Requirements of every feature that a test links to", "bold")
        else:
            text.append(safe(self.feature.id), "bold")
            text.append(": every requirement, tested or not", "")
        counts = {"passed": 0, "failed": 0, "untested": 0}
        for r in self.rows:
            counts[r.status] += 1
        text.append(f"\n✔ {counts['passed']} passed", "green")
        text.append(f"  ✘ {counts['failed']} failing", "bold red" if counts["failed"] else "dim")
        text.append(f"  ○ {counts['untested']} untested", "yellow")
        no_task = sum(1 for r in self.rows if "no task" in r.gaps)
        text.append(f"  · {no_task} without a task", "dim")
        if self.gaps_only:
            text.append("  (gaps only)", "italic")
        if not self.has_results:
            text.append(
                "\nNo test results yet: press t to run the tests (tests.command), or write JUnit "
                "XML to .sdd/results/.",
                "yellow",
            )
        if not self.rows and self.gaps_only:
            text.append("\nNo gaps.", "green")
        return text

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        from sdd_tui.ui.screens.failure import TextScreen

        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.app.push_screen(TextScreen(f"Trace · {safe(row.requirement.id)}", row_detail(row)))

    def action_toggle_all(self) -> None:
        if self.feature is None:
            return
        self.all_features = not self.all_features
        if self.all_features and self.trace.partial:  # linked into this feature only so far
            full = self._full() if self._full is not None else None
            if full is not None:
                self.trace = full
        self._fill()

    def action_toggle_gaps(self) -> None:
        self.gaps_only = not self.gaps_only
        self._fill()

    def action_close(self) -> None:
        self.dismiss(None)
