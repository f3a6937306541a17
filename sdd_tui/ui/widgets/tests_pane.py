"""The Tests pane: run status, totals, pass-rate sparkline, failures first, test-status.json.

The pane renders what the workbench screen hands it (:class:`TestsView`: the results the
session read and linked, the run in progress) and owns nothing else: no cache, no lock, no
trace.  Choosing a case or an acceptance criterion posts :class:`TestsPane.CaseChosen` or
:class:`TestsPane.CriterionChosen`; the screen decides what opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.formats.junit import TestCase
from sdd_tui.formats.test_status import TestStatus
from sdd_tui.model.progress import fraction_steps
from sdd_tui.model.record import record
from sdd_tui.textsafe import safe
from sdd_tui.ui.widgets.quiet import update_static
from sdd_tui.ui.widgets.rows import Rows
from sdd_tui.workspace.results import ResultSnapshot

if TYPE_CHECKING:
    from sdd_tui.operations.test_runner import RunState

_ICON = {
    "passed": ("✔", "green"),
    "failed": ("✘", "red"),
    "error": ("!", "red"),
    "skipped": ("○", "dim"),
}
_ORDER = {"failed": 0, "error": 1, "skipped": 2, "passed": 3}
_CRITERION = {
    "passing": ("✔", "green"),
    "failing": ("✘", "red"),
    "in_progress": ("◐", "yellow"),
}


@record
class TestsView:
    """What the pane shows, read at one moment."""

    snapshot: ResultSnapshot | None = None
    rates: tuple[float, ...] = ()  # pass rates of the recorded runs, oldest first
    loading: bool = False  # changed result files are being read in a thread
    notice: Text | None = None  # a message for the status line (bad command, read failure)
    command: str | None = None  # tests.command from the config
    run: RunState | None = None


class TestsPane(Vertical):
    """Totals, sparkline, run status and test cases (failures first)."""

    __test__ = False

    DEFAULT_CSS = """
    TestsPane > #tests-status { height: auto; padding: 0 1; }
    TestsPane > #tests-summary { height: auto; padding: 0 1; }
    TestsPane > OptionList { height: 1fr; border: none; }
    """

    class CaseChosen(Message):
        """Enter on a test case: ``index`` into the results' cases."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class CriterionChosen(Message):
        """Enter on an acceptance criterion of test-status.json."""

        def __init__(self, status_index: int, criterion_index: int) -> None:
            super().__init__()
            self.status_index = status_index
            self.criterion_index = criterion_index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = TestsView()
        self._filled_with: list[Option] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="tests-status")
        yield Static(id="tests-summary")
        yield OptionList(id="tests-cases")

    # -- rendering ---------------------------------------------------------------------

    def show(self, view: TestsView, options: list[Option]) -> None:
        """Render ``view``; ``options`` are its case rows (built off the UI thread)."""
        self.view = view
        self.show_status()
        update_static(self.query_one("#tests-summary", Static), self._summary(view))
        self._fill(options)

    def show_status(self, run_status: Text | None = None) -> None:
        update_static(self.query_one("#tests-status", Static), run_status or self.status_text())

    def status_text(self) -> Text:
        """The run status line: running / passed / failed, counts and duration."""
        return status_text(self.view)

    def _summary(self, view: TestsView) -> Text:
        snap = view.snapshot
        text = Text(no_wrap=False, overflow="fold")
        if snap is None:
            text.append("Reading test results…" if view.loading else "No test results", "bold")
            return text
        results = snap.results
        if results.cases:
            t = results.totals()
            text.append(f"✔ {t['passed']} passed", "bold green")
            text.append("  ")
            text.append(f"✘ {t['failed']} failed", "bold red" if t["failed"] else "dim")
            text.append("  ")
            text.append(f"! {t['errors']} errors", "bold red" if t["errors"] else "dim")
            text.append("  ")
            text.append(f"○ {t['skipped']} skipped", "dim")
        else:
            text.append("No test results", "bold")
            if not snap.status:
                text.append(
                    "\nsdd-tui reads JUnit XML from .sdd/results/, junit.xml, test-results/, "
                    "reports/, build/test-results/ or target/surefire-reports/ "
                    "(or tests.junit in .sdd/config.yaml).",
                    "dim",
                )
        if view.rates:
            from sdd_tui.operations.test_runner import sparkline

            rates = list(view.rates[-20:])
            text.append("\npass rate ", "dim")
            text.append(sparkline(rates), "green" if rates[-1] == 1 else "yellow")
            runs = "the last run" if len(rates) == 1 else f"the last {len(rates)} runs"
            text.append(f" {fraction_steps(rates[-1], 100)}% ({runs})", "dim")
        if view.loading:
            text.append("\nreading changed results…", "italic dim")
        if results.files:
            files = ", ".join(safe(f) for f in results.files[:4])
            more = f" +{len(results.files) - 4}" if len(results.files) > 4 else ""
            text.append(f"\n{files}{more}", "dim")
        for p in snap.problems[:5]:
            text.append(f"\n⚠ {safe(str(p))}", "yellow")
        if len(snap.problems) > 5:
            text.append(f"\n⚠ … {len(snap.problems) - 5} more problems", "yellow")
        return text

    def _fill(self, options: list[Option]) -> None:
        if options is self._filled_with:
            return  # the same results: keep the list (a board move refreshes everything)
        self._filled_with = options
        cases_list = self.query_one("#tests-cases", OptionList)
        highlighted = cases_list.highlighted
        cases_list.set_options(options)
        if options:
            start = 0 if highlighted is None else min(highlighted, len(options) - 1)
            while start < len(options) - 1 and options[start].disabled:
                start += 1
            cases_list.highlighted = start

    @on(OptionList.OptionSelected, "#tests-cases")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("case-"):
            self.post_message(self.CaseChosen(int(option_id.removeprefix("case-"))))
        elif option_id.startswith("crit-"):
            si, ci = (int(x) for x in option_id.removeprefix("crit-").split("-"))
            self.post_message(self.CriterionChosen(si, ci))


def status_text(view: TestsView) -> Text:
    """The run status line: running / passed / failed, counts and duration."""
    from sdd_tui.operations.test_runner import format_duration

    text = Text(no_wrap=False, overflow="fold")
    run = view.run
    if view.notice is not None:
        text.append_text(view.notice)
    elif run is not None and run.running:
        elapsed = run.runner.elapsed() if run.runner is not None else 0.0
        text.append("● running ", "bold yellow")
        text.append(f"{format_duration(elapsed)} · {run.line_count} lines of output", "yellow")
        text.append("  (t shows the log, esc there cancels)", "dim")
    elif run is not None and run.summary is not None:
        outcome = run.summary.outcome
        icon, style = {
            "passed": ("✔", "bold green"),
            "failed": ("✘", "bold red"),
            "cancelled": ("■", "bold yellow"),
            "error": ("⚠", "bold red"),
        }[outcome]
        text.append(f"{icon} last run: ", style)
        text.append(safe(run.summary.line()), style.replace("bold ", ""))
        if run.note:
            text.append(f"\n⚠ {safe(run.note)}", "yellow")
    elif view.command:
        text.append("t runs: ", "dim")
        text.append(safe(view.command.replace("\n", " ⏎ "))[:200], "dim italic")
    else:
        text.append("t runs tests.command from .sdd/config.yaml (none set)", "dim")
    return text


def case_options(snap: ResultSnapshot | None) -> list[Option]:
    """The case list: failures first, then the acceptance criteria of test-status.json."""
    options: list[Option] = []
    cases = snap.results.cases if snap is not None else []
    order = sorted(range(len(cases)), key=lambda i: (_ORDER.get(cases[i].status, 9), i))
    for i in order:
        options.append(Option(Rows(_case_text(cases[i])), id=f"case-{i}"))
    if snap is not None:
        for si, status in enumerate(snap.status):
            options.append(Option(Rows(_status_heading(status)), disabled=True))
            for ci, criterion in enumerate(status.criteria):
                options.append(Option(Rows(_criterion_text(criterion)), id=f"crit-{si}-{ci}"))
    return options


def _case_text(case: TestCase) -> Text:
    icon, style = _ICON.get(case.status, ("?", ""))
    text = Text(no_wrap=False, overflow="fold")
    text.append(f"{icon} ", style)
    text.append(safe(case.name) or "(unnamed)", "bold" if case.failing else "")
    if case.classname:
        text.append(f"  {safe(case.classname)}", "dim")
    if case.message and case.failing:
        first = case.message.strip().splitlines()[0] if case.message.strip() else ""
        text.append(f"\n  {safe(first)[:200]}", "red")
    return text


def _status_heading(status: TestStatus) -> Text:
    text = Text()
    text.append(f"Acceptance criteria · {safe(status.path)}", "bold")
    counts = status.counts()
    text.append(
        f"  {counts['passing']} passing, {counts['failing']} failing, "
        f"{counts['in_progress']} in progress",
        "dim",
    )
    if status.last_updated:
        text.append(f" · updated {safe(status.last_updated)}", "dim")
    return text


def _criterion_text(c) -> Text:  # type: ignore[no-untyped-def]
    icon, style = _CRITERION.get(c.status, ("?", "yellow"))
    text = Text(no_wrap=False, overflow="fold")
    text.append(f"{icon} ", style)
    text.append(safe(c.key), "bold")
    if c.requirement:
        text.append(f"  {safe(c.requirement)[:160]}")
    if not c.known:
        text.append(f"  [{safe(c.status or 'no status')}]", "yellow")
    if c.notes:
        text.append(f"\n  {safe(c.notes.splitlines()[0])[:160]}", "dim italic")
    return text


def case_matches_file(case: TestCase, files: tuple[str, ...]) -> bool:
    """A JUnit case from one of a criterion's test files (by file attribute or module)."""
    for f in files:
        stem = f.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
        if not stem:
            continue
        if case.file and case.file.replace("\\", "/").endswith(f.replace("\\", "/")):
            return True
        parts = [p for p in case.classname.replace("::", ".").replace("/", ".").split(".") if p]
        if stem in parts:
            return True
    return False
