"""The workbench's test results and runs, and the screens its Tests pane opens.

The results are read and linked in a worker thread once the writes pause (``RESULTS_DELAY``)
and shown in the Tests pane and as the cards' dots.

``t`` runs ``tests.command`` (after a first-time confirmation remembered in the user's config
dir) as an async subprocess; its output streams into
:class:`~sdd_tui.ui.screens.tests_run.TestRunScreen`; when it ends the session reads the
results again and the run is added to ``.sdd/cache/test-runs.jsonl`` for the sparkline.
No command from the workspace runs without the user asking (see ``SECURITY.md``).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from sdd_tui import gcpolicy, operations, workspace
from sdd_tui.operations.stage import feature_stage
from sdd_tui.textsafe import safe
from sdd_tui.ui import screens, widgets
from sdd_tui.ui.widgets.board import BoardView

RESULTS_DELAY = 0.3  # seconds without changes before the test results are linked again

if TYPE_CHECKING:
    from textual.widgets.option_list import Option

    from sdd_tui.model.workspace import Feature
    from sdd_tui.operations.test_runner import RunState
    from sdd_tui.ui.session import Session
    from sdd_tui.ui.widgets.tests_pane import TestsPane, TestsView
    from sdd_tui.workspace.snapshot import Loaded


class WorkbenchTests:
    """Mixin for the workbench screen: the test results, ``t``, ``m`` and the Tests pane's
    choices."""

    __test__ = False

    session: Session
    run_state: RunState | None = None
    _tests_notice: Text | None = None
    _results_loading: bool

    def _tests_view(self) -> TestsView:
        results = self.session.results
        notice = self._tests_notice
        if notice is None and results.failure:
            notice = Text(f"⚠ {results.failure}", "yellow")
        return widgets.tests_pane.TestsView(
            results.snapshot,
            tuple(results.rates),
            self._results_loading,
            notice,
            results.command,
            self.run_state,
        )

    def _show_run_status(self) -> None:
        status = widgets.tests_pane.status_text(self._tests_view())
        for pane in self.query(widgets.TestsPane):  # type: ignore[attr-defined]
            pane.view = self._tests_view()
            pane.show_status(status)
        screen = self._run_screen()
        if screen is not None:
            screen.set_status(status)

    def action_run_tests(self) -> None:
        """``t``: show the running log, or confirm (first time) and start the command."""
        from sdd_tui.ui import preferences  # pydantic: not before the first frame

        runner = operations.test_runner
        if self._when_ready(self.action_run_tests):  # type: ignore[attr-defined]
            return
        if self.run_state is not None and self.run_state.running:
            self._open_log()
            return
        try:
            command = runner.require_command(self.session.results.command)
        except runner.NoCommand as exc:
            self._tests_notice = Text(f"⚠ {exc}", "yellow")
            self._show_run_status()
            self.app.notify(str(exc), severity="warning", timeout=8, markup=False)  # type: ignore[attr-defined]
            return
        self._tests_notice = None
        root = self.session.loaded.root
        if preferences.is_command_trusted(root, command):
            self._start(command)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self.app.notify("Tests not run.", timeout=3)  # type: ignore[attr-defined]
                return
            try:
                preferences.trust_command(root, command)
            except OSError as exc:
                self.app.notify(  # type: ignore[attr-defined]
                    f"could not remember the answer ({exc.strerror or exc}); "
                    "sdd-tui will ask again next time",
                    severity="warning",
                    markup=False,
                )
            self._start(command)

        question = screens.run_command_question(root, command, preferences.trusted_commands_path())
        self.app.push_screen(screens.ConfirmScreen("Run the tests?", question, yes="Run"), answered)  # type: ignore[attr-defined]

    def _start(self, command: str) -> None:
        self.run_state = operations.test_runner.RunState(command)
        self._open_log()
        self._run(command)  # type: ignore[attr-defined]
        self._show_run_status()

    def _open_log(self) -> None:
        if self.run_state is None or isinstance(self.app.screen, screens.TestRunScreen):  # type: ignore[attr-defined]
            return
        self.app.push_screen(  # type: ignore[attr-defined]
            screens.TestRunScreen(
                self.run_state,
                widgets.tests_pane.status_text(self._tests_view()),
                on_cancel=self.cancel_run,
            )
        )

    def cancel_run(self) -> None:
        run = self.run_state
        if run is not None and run.runner is not None and run.running:
            run.runner.cancel()
            self._show_run_status()

    def _run_screen(self) -> screens.TestRunScreen | None:
        for screen in self.app.screen_stack:  # type: ignore[attr-defined]
            if isinstance(screen, screens.TestRunScreen) and screen.run is self.run_state:
                return screen
        return None

    @work(exclusive=True, group="tests-run", exit_on_error=False, description="tests-run")
    async def _run(self, command: str) -> None:
        runner_ops = operations.test_runner
        run = self.run_state
        results = self.session.results
        root, globs = self.session.loaded.root, results.globs
        if run is None:
            return
        before = await asyncio.to_thread(workspace.results.fingerprint, root, globs)
        runner = runner_ops.TestRunner(root, command, on_output=run.add)
        run.runner = runner
        timer = self.set_interval(0.5, self._show_run_status)  # type: ignore[attr-defined]
        try:
            result = await runner.run()
        finally:
            timer.stop()
        summary = await asyncio.to_thread(
            runner_ops.summarize, root, result, before, globs, cache=results.cache
        )
        run.note = await asyncio.to_thread(runner_ops.append_history, root, summary)
        run.summary = summary
        self._show_run_status()
        severity = "information" if summary.outcome == "passed" else "warning"
        self.app.notify(f"tests {summary.line()}", severity=severity, timeout=5, markup=False)  # type: ignore[attr-defined]
        self._refresh_results()  # type: ignore[attr-defined]

    # -- what the Tests pane asks for -----------------------------------------------------

    # Named handlers, not ``@on``: Textual collects decorated handlers from the class being
    # created only, not from a plain mixin like this one.
    def on_tests_pane_case_chosen(self, event: TestsPane.CaseChosen) -> None:
        snap = self.session.results.snapshot
        if snap is None or not 0 <= event.index < len(snap.results.cases):
            return
        full = self.session.results.full_trace()
        links = full.case_links[event.index] if full is not None else []
        self.app.push_screen(screens.FailureScreen(snap.results.cases[event.index], links))  # type: ignore[attr-defined]

    def on_tests_pane_criterion_chosen(self, event: TestsPane.CriterionChosen) -> None:
        snap = self.session.results.snapshot
        si, ci = event.status_index, event.criterion_index
        if snap is None or si >= len(snap.status) or ci >= len(snap.status[si].criteria):
            return
        status = snap.status[si]
        criterion = status.criteria[ci]
        junit = [c for c in snap.results.cases if widgets.case_matches_file(c, criterion.tests)]
        self.app.push_screen(  # type: ignore[attr-defined]
            screens.TextScreen(
                f"Acceptance criterion · {safe(criterion.key)[:60]}",
                screens.criterion_text(criterion, status.path, junit),
            )
        )

    # -- results ------------------------------------------------------------------------

    def _load_results(self) -> None:
        """Read and link the results on the UI thread (for a key that needs them now);
        large changed files are read in a thread, and the pane says so meanwhile."""
        results = self.session.results
        if results.needs_thread(self.loaded):
            self._results_loading = True
            self._refresh_results()
            return
        results.refresh(self.loaded, self.feature)
        self._take_task_status()

    def _take_task_status(self) -> None:
        """The cards' test dots and unproven marks, from the results (and git) now."""
        board = self.query_one(BoardView)
        status = self.session.results.task_status(self.feature)
        unproven = frozenset(self.session.unproven(self.feature))
        if status != board.test_status or unproven != board.unproven:  # redraw the board
            board.test_status, board.unproven = status, unproven
            board.show(self.loaded.workspace, self.feature)

    def _show_results(self) -> None:
        snap = self.session.results.snapshot
        prepared = self._case_options
        if prepared is None or prepared[0] is not snap:
            prepared = self._case_options = (snap, widgets.case_options(snap))
        self._tests_pane().show(self._tests_view(), prepared[1])

    def _schedule_results(self, delay: float = RESULTS_DELAY) -> None:
        if self._results_timer is not None:
            self._results_timer.stop()
        self._results_timer = self.set_timer(delay, self._refresh_results)

    def _refresh_results(self) -> None:
        """Read and link the test results in a thread; ``_apply_results`` shows them.

        Linking thousands of test cases to a feature's tasks takes tens of milliseconds: on
        the UI thread that would hold up the keys typed after a move."""
        if not (self._ready and self._panes_ready):
            return
        self._results_generation += 1
        self._results_worker(self.loaded, self.feature, self._results_generation)

    @work(thread=True, group="results", exit_on_error=False, description="results")
    def _results_worker(self, loaded: Loaded, feature: Feature | None, generation: int) -> None:
        if generation != self._results_generation:
            return  # a newer request is already queued
        results = self.session.results
        results.refresh(loaded, feature)
        snap = results.snapshot
        options = (snap, widgets.case_options(snap))  # thousands of rows: built here, not on the UI
        self.app.call_from_thread(self._apply_results, generation, options)

    def _apply_results(self, generation: int, options: tuple[object, list[Option]]) -> None:
        if generation != self._results_generation or not self._ready:
            return  # a newer read is on its way (it shows the same or fresher results)
        self._results_loading = False
        self._case_options = options
        gcpolicy.freeze_alive()
        self._take_task_status()
        self._show_results()
        feature = self.feature
        passing = self.session.results.passing()
        if passing is not None and feature is not None:
            self._stage = feature_stage(feature, tests_passing=passing)
            self._show_header()
        if self.loaded.partial:
            return  # keys typed meanwhile wait for the whole workspace
        pending, self._pending = self._pending, []
        for fn in pending:  # keys typed before the panes were there
            fn()

    def action_trace(self) -> None:
        if self._when_ready(self.action_trace):
            return
        results = self.session.results
        if results.trace is None:
            self._load_results()
        if results.trace is not None:
            has_results = bool(results.results is not None and results.results.cases)
            self.app.push_screen(
                screens.TraceScreen(
                    results.trace, self.feature, has_results=has_results, full=results.full_trace
                )
            )
