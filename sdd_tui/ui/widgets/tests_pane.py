"""The Tests pane: run status, totals, pass-rate sparkline, failures first, test-status.json.

The pane owns the test-results side of the workbench:

- **results**: JUnit XML (cached per file, large files parsed in a thread), the
  ``test-status.json`` acceptance criteria, and the traceability links computed from them
  (:mod:`sdd_tui.operations.trace`), which also give the board its card dots;
- **runs**: ``t`` runs ``tests.command`` (after a first-time confirmation remembered in the
  user's config dir) as an async subprocess; its output streams into
  :class:`~sdd_tui.ui.screens.tests_run.TestRunScreen`; when it ends the results reload and
  the run is added to ``.sdd/cache/test-runs.jsonl`` for the sparkline.

The app calls :meth:`TestsPane.load` when it refreshes and :meth:`TestsPane.request_run` on
``t``; the pane posts :class:`TestsPane.Changed` when results changed behind the app's back
(a large file parsed in a thread, a run that ended), and the app refreshes.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.formats.junit import TestCase, TestResults
from sdd_tui.formats.test_status import TestStatus
from sdd_tui.model.workspace import Feature, Problem, Workspace
from sdd_tui.textsafe import safe
from sdd_tui.ui.widgets.quiet import update_static
from sdd_tui.ui.widgets.rows import Rows
from sdd_tui.workspace.results import ResultsCache, ResultSnapshot

if TYPE_CHECKING:
    from sdd_tui.operations.trace import CaseFacts, IndexCache, Trace
    from sdd_tui.ui.screens.tests_run import RunState, TestRunScreen
    from sdd_tui.workspace.snapshot import Loaded

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
SYNC_BYTES = 2 * 1024 * 1024  # result files up to this much are parsed on the spot


class TestsPane(Vertical):
    """Totals, sparkline, run status and test cases (failures first)."""

    __test__ = False

    DEFAULT_CSS = """
    TestsPane > #tests-status { height: auto; padding: 0 1; }
    TestsPane > #tests-summary { height: auto; padding: 0 1; }
    TestsPane > OptionList { height: 1fr; border: none; }
    """

    class Changed(Message):
        """Results or run status changed outside an app refresh: refresh what depends on it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cache = ResultsCache()
        self._load_lock = threading.Lock()
        self.snapshot: ResultSnapshot | None = None
        self.trace: Trace | None = None
        self._trace_for: tuple[Workspace, Feature | None, ResultSnapshot | None] | None = None
        self._full: Trace | None = None
        self._indexes: IndexCache | None = None  # per-feature indexes kept between links
        self._filled_for: tuple[ResultSnapshot | None] | None = None
        self._prepared: tuple[ResultSnapshot | None, list[Option]] | None = None
        self._facts: tuple[ResultSnapshot | None, list[CaseFacts]] | None = None
        self._root: Path | None = None
        self._globs: list[str] | None = None
        self._command: str | None = None
        self._loading = False
        self._failed: str | None = None  # fingerprint of results that could not be read
        self._rates: list[float] = []
        self.run_state: RunState | None = None
        self.notice: Text | None = None  # a message for the status line (bad command, …)

    def compose(self) -> ComposeResult:
        yield Static(id="tests-status")
        yield Static(id="tests-summary")
        yield OptionList(id="tests-cases")

    # -- loading -----------------------------------------------------------------------

    def load(
        self, loaded: Loaded, feature: Feature | None = None, *, blocking: bool = False
    ) -> tuple[TestResults | None, list[Problem]]:
        """Read results now (cached; large changed files go to a thread unless ``blocking``,
        for a caller already off the UI thread) and link them."""
        with self._load_lock:  # the app's results worker and a key's own read
            return self._load(loaded, feature, blocking)

    def _load(
        self, loaded: Loaded, feature: Feature | None, blocking: bool
    ) -> tuple[TestResults | None, list[Problem]]:
        from sdd_tui.operations.test_runner import pass_rates, read_history
        from sdd_tui.workspace.results import fingerprint, load_snapshot, unread_bytes

        config = loaded.config
        self._root = loaded.root
        self._globs = config.tests.junit if config is not None and config.tests.junit else None
        self._command = config.tests.command if config is not None else None
        fp = fingerprint(loaded.root, self._globs)
        if (self.snapshot is not None and self.snapshot.fingerprint == fp) or fp == self._failed:
            pass  # nothing changed on disk: keep the snapshot (and the links built on it)
        elif not blocking and unread_bytes(loaded.root, self._globs, self.cache) > SYNC_BYTES:
            if not self._loading:
                self._loading = True
                self._load_in_thread(loaded.root, self._globs, fp)
        else:
            self.snapshot = load_snapshot(loaded.root, self._globs, cache=self.cache)
        self._rates = pass_rates(read_history(loaded.root))
        self._link(loaded.workspace, feature)
        if self.snapshot is None:
            return None, []
        return self.snapshot.results, list(self.snapshot.problems)

    @work(
        thread=True,
        exclusive=True,
        group="tests-load",
        exit_on_error=False,
        description="tests-load",
    )
    def _load_in_thread(self, root: Path, globs: list[str] | None, fp: str) -> None:
        from sdd_tui.workspace.results import load_snapshot

        try:
            snap: ResultSnapshot | None = load_snapshot(root, globs, cache=self.cache)
        except Exception as exc:  # a bug: say so in the pane, keep the app going
            self.notice = Text(f"⚠ could not read the test results: {exc}", "yellow")
            self._failed = fp  # not again until the files change
            snap = None
        self.app.call_from_thread(self._loaded, snap)

    def _loaded(self, snap: ResultSnapshot | None) -> None:
        self._loading = False
        if snap is not None:
            self.snapshot = snap
        self.post_message(self.Changed())

    def _link(self, ws: Workspace, feature: Feature | None = None) -> None:
        """Link the results into ``feature`` (the one on screen): the board's dots and its
        trace need no more.  Scoping still looks at every feature's tasks, and features the
        loader kept unchanged are not indexed again, so a board move in a 20,000-task
        monorepo re-links one feature, not all of them."""
        from sdd_tui.operations.trace import IndexCache, analyse_cases, build_trace

        if self._indexes is None:
            self._indexes = IndexCache()
        snap = self.snapshot
        cases = snap.results.cases if snap is not None else []
        done = self._trace_for
        if (
            done is not None
            and (done[0] is ws or done[0] == ws)  # a reload that changed nothing
            and done[1] is feature
            and done[2] is snap
        ):
            return
        if self._facts is None or self._facts[0] is not snap:  # new results: read the names
            self._facts = (snap, analyse_cases(cases, ws.root))
        self.trace = build_trace(ws, cases, self._facts[1], only=feature, indexes=self._indexes)
        self._trace_for = (ws, feature, snap)
        self._full = None

    def full_trace(self) -> Trace | None:
        """Links into every feature (the traceability view's "all", a test's links)."""
        from sdd_tui.operations.trace import build_trace

        if self.trace is None or not self.trace.partial:
            return self.trace
        if self._full is None and self._facts is not None and self._trace_for is not None:
            ws, _feature, snap = self._trace_for
            cases = snap.results.cases if snap is not None else []
            self._full = build_trace(ws, cases, self._facts[1], indexes=self._indexes)
        return self._full

    def task_status(self, feature: Feature | None) -> dict[str, str]:
        """Task key → passed | failed | skipped for the cards of ``feature``."""
        if self.trace is None:
            return {}
        return self.trace.task_status(feature)

    @property
    def results(self) -> TestResults | None:
        return self.snapshot.results if self.snapshot is not None else None

    # -- rendering ---------------------------------------------------------------------

    def show(
        self, results: TestResults | None = None, problems: list[Problem] | None = None
    ) -> None:
        """Render the pane (from what :meth:`load` read; the arguments are for callers that
        read results themselves)."""
        snap = self.snapshot
        if snap is None and results is not None:
            snap = ResultSnapshot(results, [], list(problems or []), "")
        update_static(self.query_one("#tests-status", Static), self.status_text())
        update_static(self.query_one("#tests-summary", Static), self._summary(snap))
        self._fill(snap)

    def status_text(self) -> Text:
        """The run status line: running / passed / failed, counts and duration."""
        from sdd_tui.operations.test_runner import format_duration

        text = Text(no_wrap=False, overflow="fold")
        run = self.run_state
        if self.notice is not None:
            text.append_text(self.notice)
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
        elif self._command:
            text.append("t runs: ", "dim")
            text.append(safe(self._command.replace("\n", " ⏎ "))[:200], "dim italic")
        else:
            text.append("t runs tests.command from .sdd/config.yaml (none set)", "dim")
        return text

    def _summary(self, snap: ResultSnapshot | None) -> Text:
        text = Text(no_wrap=False, overflow="fold")
        if snap is None:
            text.append("Reading test results…" if self._loading else "No test results", "bold")
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
        if self._rates:
            from sdd_tui.operations.test_runner import sparkline

            rates = self._rates[-20:]
            text.append("\npass rate ", "dim")
            text.append(sparkline(rates), "green" if rates[-1] == 1 else "yellow")
            runs = "the last run" if len(rates) == 1 else f"the last {len(rates)} runs"
            text.append(f" {round(rates[-1] * 100)}% ({runs})", "dim")
        if self._loading:
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

    def prepare(self) -> None:
        """Build the case list's rows for the current results (safe in a worker thread:
        thousands of cases took the UI thread ~0.1 s)."""
        snap = self.snapshot
        if self._prepared is None or self._prepared[0] is not snap:
            self._prepared = (snap, _case_options(snap))

    def _fill(self, snap: ResultSnapshot | None) -> None:
        if self._filled_for is not None and self._filled_for[0] is snap:
            return  # the same results: keep the list (a board move refreshes everything)
        self._filled_for = (snap,)
        cases_list = self.query_one("#tests-cases", OptionList)
        highlighted = cases_list.highlighted
        prepared = self._prepared
        options = prepared[1] if prepared is not None and prepared[0] is snap else None
        if options is None:
            options = _case_options(snap)
        cases_list.set_options(options)
        if options:
            start = 0 if highlighted is None else min(highlighted, len(options) - 1)
            while start < len(options) - 1 and options[start].disabled:
                start += 1
            cases_list.highlighted = start

    # -- details -----------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#tests-cases")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        snap = self.snapshot
        if snap is None:
            return
        if option_id.startswith("case-"):
            index = int(option_id.removeprefix("case-"))
            if 0 <= index < len(snap.results.cases):
                self.show_case(index)
        elif option_id.startswith("crit-"):
            si, ci = (int(x) for x in option_id.removeprefix("crit-").split("-"))
            self._show_criterion(si, ci)

    def show_case(self, index: int) -> None:
        from sdd_tui.ui.screens.failure import FailureScreen

        snap = self.snapshot
        if snap is None:
            return
        case = snap.results.cases[index]
        full = self.full_trace()
        links = full.case_links[index] if full is not None else []
        self.app.push_screen(FailureScreen(case, links))

    def _show_criterion(self, si: int, ci: int) -> None:
        from sdd_tui.ui.screens.failure import TextScreen, criterion_text

        snap = self.snapshot
        if snap is None or si >= len(snap.status) or ci >= len(snap.status[si].criteria):
            return
        status = snap.status[si]
        criterion = status.criteria[ci]
        junit = [c for c in snap.results.cases if _case_matches_file(c, criterion.tests)]
        self.app.push_screen(
            TextScreen(
                f"Acceptance criterion · {safe(criterion.key)[:60]}",
                criterion_text(criterion, status.path, junit),
            )
        )

    # -- running -----------------------------------------------------------------------

    def request_run(self) -> None:
        """``t``: show the running log, or confirm (first time) and start the command."""
        from sdd_tui.operations.test_runner import NoCommand, require_command
        from sdd_tui.ui import preferences
        from sdd_tui.ui.screens.confirm import ConfirmScreen, run_command_question

        if self.run_state is not None and self.run_state.running:
            self._open_log()
            return
        if self._root is None:
            return
        try:
            command = require_command(self._command)
        except NoCommand as exc:
            self.notice = Text(f"⚠ {exc}", "yellow")
            self.show()
            self.app.notify(str(exc), severity="warning", timeout=8, markup=False)
            return
        self.notice = None
        root = self._root
        if preferences.is_command_trusted(root, command):
            self._start(command)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self.app.notify("Tests not run.", timeout=3)
                return
            try:
                preferences.trust_command(root, command)
            except OSError as exc:
                self.app.notify(
                    f"could not remember the answer ({exc.strerror or exc}); "
                    "sdd-tui will ask again next time",
                    severity="warning",
                    markup=False,
                )
            self._start(command)

        question = run_command_question(root, command, preferences.trusted_commands_path())
        self.app.push_screen(ConfirmScreen("Run the tests?", question, yes="Run"), answered)

    def _start(self, command: str) -> None:
        from sdd_tui.ui.screens.tests_run import RunState

        self.run_state = RunState(command)
        self._open_log()
        self._run(command)
        self.show()

    def _open_log(self) -> None:
        from sdd_tui.ui.screens.tests_run import TestRunScreen

        if self.run_state is None:
            return
        if isinstance(self.app.screen, TestRunScreen):
            return
        self.app.push_screen(
            TestRunScreen(self.run_state, self.status_text(), on_cancel=self.cancel_run)
        )

    def cancel_run(self) -> None:
        run = self.run_state
        if run is not None and run.runner is not None and run.running:
            run.runner.cancel()
            self._update_status()

    def _run_screen(self) -> TestRunScreen | None:
        from sdd_tui.ui.screens.tests_run import TestRunScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, TestRunScreen) and screen.run is self.run_state:
                return screen
        return None

    def _update_status(self) -> None:
        status = self.status_text()
        update_static(self.query_one("#tests-status", Static), status)
        screen = self._run_screen()
        if screen is not None:
            screen.set_status(status)

    @work(exclusive=True, group="tests-run", exit_on_error=False, description="tests-run")
    async def _run(self, command: str) -> None:
        import asyncio

        from sdd_tui.operations.test_runner import TestRunner, append_history, summarize
        from sdd_tui.workspace.results import fingerprint

        run = self.run_state
        root, globs = self._root, self._globs
        if run is None or root is None:
            return
        before = await asyncio.to_thread(fingerprint, root, globs)
        runner = TestRunner(root, command, on_output=run.add)
        run.runner = runner
        timer = self.set_interval(0.5, self._update_status)
        try:
            result = await runner.run()
        finally:
            timer.stop()
        summary = await asyncio.to_thread(summarize, root, result, before, globs, cache=self.cache)
        run.note = await asyncio.to_thread(append_history, root, summary)
        run.summary = summary
        self._update_status()
        severity = "information" if summary.outcome == "passed" else "warning"
        self.app.notify(f"tests {summary.line()}", severity=severity, timeout=5, markup=False)
        self.post_message(self.Changed())


def _case_options(snap: ResultSnapshot | None) -> list[Option]:
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


def _case_matches_file(case: TestCase, files: tuple[str, ...]) -> bool:
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
