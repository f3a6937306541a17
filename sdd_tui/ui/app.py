"""The workbench: spec, plan, board and tests side by side, driven from the keyboard."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.geometry import Size
from textual.widgets import Input

from sdd_tui.model.workspace import Feature, Problem
from sdd_tui.operations.stage import feature_stage
from sdd_tui.textsafe import safe
from sdd_tui.ui.live import LiveWorkspace, collect_from_now_on, keep_out_of_gc
from sdd_tui.ui.widgets.board import BoardAction, BoardView
from sdd_tui.ui.widgets.header import WorkbenchHeader
from sdd_tui.ui.widgets.key_bar import KeyBar
from sdd_tui.ui.widgets.quiet import set_border_subtitle
from sdd_tui.workspace.snapshot import HISTORY_PATH, Loaded

# The loader, parsers and operations are imported where they are used, not here: the first
# frame is painted from a snapshot read by another process (``workspace.early_load``).
if TYPE_CHECKING:  # imported when the panes mount, after the first frame
    from textual.widgets import Tabs

    from sdd_tui.formats.junit import TestResults
    from sdd_tui.ui.markdown_lines import Palette
    from sdd_tui.ui.widgets.doc_pane import DocPane
    from sdd_tui.ui.widgets.tests_pane import TestsPane
    from sdd_tui.workspace.documents import ParsedDoc

PANES = ("board", "spec", "plan", "tests")
PANE_TITLES = {"board": "Board", "spec": "Spec", "plan": "Plan", "tests": "Tests"}
WIDE = (120, 32)  # four panes at once from this size up
SWITCH_INTERVAL = 0.0005  # seconds; see run_app


class Pane(Vertical):
    """A titled, maximisable frame around one of the four panes."""

    ALLOW_MAXIMIZE = True

    def __init__(self, name: str, number: int, *, active: bool = False) -> None:
        super().__init__(id=f"pane-{name}", classes="pane -active" if active else "pane")
        self.pane_name = name
        self.border_title = f"{number} {PANE_TITLES[name]}"


class SddApp(LiveWorkspace, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "sdd-tui"

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("f", "switch_feature", "Features"),
        Binding("1", "pane('board')", "Board", show=False),
        Binding("2", "pane('spec')", "Spec", show=False),
        Binding("3", "pane('plan')", "Plan", show=False),
        Binding("4", "pane('tests')", "Tests", show=False),
        Binding("f10", "toggle_maximize", "Maximise"),
        Binding("slash", "filter", "Filter"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("U,ctrl+y", "redo", "Redo"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("d", "diff", "Diff", show=False, tooltip="Diff of the focused document vs HEAD"),
        Binding("c", "review", "Review"),
        Binding("r", "requirements", "Reqs", show=False, tooltip="Requirements view"),
        Binding("t", "run_tests", "Tests"),
        Binding("m", "trace", "Trace", show=False, tooltip="Traceability: requirement → tests"),
    ]

    def __init__(self, loaded: Loaded, *, feature: str | None = None) -> None:
        super().__init__()
        self.loaded = loaded
        self.feature_id = self._initial_feature(feature)
        self.results, self.result_problems = None, []
        self._theme_problems: list[str] = []
        self._workbench_ready = False
        self._panes_ready = False  # the spec, plan and tests panes mount after the first paint
        self._pending: list[Callable[[], object]] = []  # keys that wait for those panes
        # Before anything is mounted: choosing the theme later would restyle every widget.
        self._register_themes()

    # -- set-up ------------------------------------------------------------------------

    def _initial_feature(self, wanted: str | None) -> str | None:
        ws = self.loaded.workspace
        if wanted is not None:
            f = ws.feature(wanted)
            if f is not None:
                return f.id
        if ws.active_feature:
            return ws.active_feature
        for f in ws.features:
            if not f.archived and f.tasks and not f.finished:
                return f.id
        for f in ws.features:
            if not f.archived:
                return f.id
        return ws.features[0].id if ws.features else None

    def compose(self) -> ComposeResult:
        # The first frame holds the header, the board and the pane frames; the rest mounts
        # right after it (``_mount_panes``): every widget costs time before that frame.
        ws = self.loaded.workspace
        yield WorkbenchHeader(id="header")
        with Container(id="panes"):
            with Pane("board", 1, active=True):
                yield BoardView(ws.columns, ws.column_titles, id="board")
            yield Pane("spec", 2)
            yield Pane("tests", 4)
            yield Pane("plan", 3)
        yield KeyBar(id="keys")

    async def _mount_panes(self) -> None:
        from textual.widgets import Tab, Tabs

        from sdd_tui.ui.widgets.doc_pane import DocPane
        from sdd_tui.ui.widgets.tests_pane import TestsPane

        screen = self.default_screen  # a screen pushed meanwhile must not receive them
        await screen.query_one("#pane-board", Pane).mount(
            Input(placeholder="filter cards…", id="filter")
        )
        await screen.query_one("#pane-spec", Pane).mount(DocPane("spec", id="spec"))
        await screen.query_one("#pane-tests", Pane).mount(TestsPane(id="tests"))
        await screen.query_one("#pane-plan", Pane).mount(DocPane("plan", id="plan"))
        tabs = Tabs(
            *[Tab(f"{i} {PANE_TITLES[p]}", id=f"tab-{p}") for i, p in enumerate(PANES, 1)],
            id="pane-tabs",
        )
        await screen.mount(tabs, before="#panes")
        self._panes_ready = True

    def on_mount(self) -> None:
        """The first paint shows the header and the board; the documents, test results,
        watcher and git follow right after it (``_after_first_paint``)."""
        ws = self.loaded.workspace
        board = self.query_one(BoardView)
        self._apply_size()
        self._activate_pane("board")
        self.refresh_all(keep=False, results=False, documents=False)
        board.select_first_todo()
        self.call_after_refresh(self._after_first_paint)
        self._workbench_ready = True
        if ws.problems:
            self.notify(
                f"{len(ws.problems)} problem(s) while loading; first: {safe(str(ws.problems[0]))}",
                severity="warning",
                timeout=6,
                markup=False,
            )
        for message in self._theme_problems:
            self.notify(message, severity="warning", timeout=8, markup=False)

    async def _after_first_paint(self) -> None:
        if not self._workbench_ready:
            return  # closed before its first frame
        await self._mount_panes()
        panes = self.default_screen.query(Pane)
        active = next((p.pane_name for p in panes if p.has_class("-active")), "board")
        self._activate_pane(active)
        self._show_documents(keep=False)
        self._show_git_marks()
        self.start_live()
        collect_from_now_on()
        if self.loaded.partial:
            self._load_rest(self.loaded)  # the results follow the whole snapshot
        else:
            self.call_after_refresh(self._refresh_results)

    @work(thread=True, group="reload", exit_on_error=False, description="load the rest")
    def _load_rest(self, base: Loaded) -> None:
        """Read the features the first frame did not need (``load_root(first=…)``)."""
        from sdd_tui.workspace.loader import load_root

        try:
            loaded = load_root(base.root, previous=base, persist=False, changed=())
        except Exception:  # the keys waiting for it must not wait forever: read it all here
            self.call_from_thread(self.reload)
            return
        self.call_from_thread(self._take_rest, base, loaded)

    def _take_rest(self, base: Loaded, loaded: Loaded) -> None:
        if self.loaded is not base or not self._workbench_ready:
            return  # a reload (after a key or a change on disk) read everything already
        self.loaded = loaded
        keep_out_of_gc()
        self.refresh_all(keep=True, select=self.query_one(BoardView)._selected_key, results=False)
        self._refresh_results()

    def _tests_pane(self) -> TestsPane:
        from sdd_tui.ui.widgets.tests_pane import TestsPane

        return self.query_one("#tests", TestsPane)

    def _doc_pane(self, name: str) -> DocPane:
        from sdd_tui.ui.widgets.doc_pane import DocPane

        return self.query_one(f"#{name}", DocPane)

    def _when_ready(self, fn: Callable[[], object]) -> bool:
        """False if the panes are mounted; else ``fn`` runs once they are and hold the test
        results (a key typed during the first frame is not lost)."""
        if self._panes_ready and not self.loaded.partial:
            return False
        self._pending.append(fn)
        return True

    def on_unmount(self) -> None:
        self._workbench_ready = False
        self.stop_live()
        self.loaded.facts.save()

    # -- live updates (see ui/live.py) ---------------------------------------------------

    def snapshot_changed(self) -> None:
        """The files changed on disk: redraw in place, keeping selection and scroll."""
        if self.feature is None:
            self.feature_id = self._initial_feature(None)
        # The board first; the results are re-linked in a thread once the writes pause (an
        # agent saving every few hundred milliseconds would otherwise keep one running).
        self.refresh_all(keep=True, select=self.query_one(BoardView)._selected_key, results=False)
        self._schedule_results()
        self._refresh_detail()

    def results_may_have_changed(self) -> None:
        self._refresh_results()

    def git_changed(self) -> None:
        self._show_header()
        self._show_git_marks()

    def _refresh_detail(self) -> None:
        from sdd_tui.ui.screens.detail import DetailScreen

        screen = self.screen
        feature = self.feature
        if isinstance(screen, DetailScreen) and feature is not None:
            task = feature.task(screen.task_.key)
            if task is not None:
                screen.update_task(task, feature)

    def focused_document(self) -> str | None:
        """The root-relative path of the document in the focused (or active) pane."""
        focused = self.focused
        for name in ("spec", "plan") if self._panes_ready else ():
            pane = self._doc_pane(name)
            if focused is not None and focused in pane.query("*"):
                return pane.current
        feature = self.feature
        if feature is not None:
            return feature.documents.get("tasks")
        return None

    def _show_git_marks(self) -> None:
        info = self.git
        feature = self.feature
        for name in PANES:
            pane = self.query_one(f"#pane-{name}", Pane)
            path: str | None = None
            if name in ("spec", "plan"):
                if not self._panes_ready:
                    continue
                path = self._doc_pane(name).current
            elif name == "board" and feature is not None:
                path = feature.documents.get("tasks")
            mark = info.mark(path) if info is not None else None
            label = {"M": "modified", "A": "added", "?": "untracked", "D": "deleted"}.get(
                mark or "", ""
            )
            set_border_subtitle(pane, f"{Path(path).name} {label}" if (label and path) else "")

    def _register_themes(self) -> None:
        from sdd_tui.ui import theme_cache

        cached = theme_cache.load()
        if cached is None:
            from sdd_tui.ui import themes  # validates with pydantic

            found, problems = [], []
            for source in (themes.bundled_themes, themes.user_themes):
                ok, bad = source()
                found += ok
                problems += bad
            self._theme_problems = [str(p) for p in problems]
            if not problems:
                theme_cache.save(found)
        else:
            found = cached
        for theme in found:
            self.register_theme(theme)
        preferred = theme_cache.preferred_theme()
        for name in (preferred, "sdd-dark", "textual-dark"):
            if name and name in self.available_themes:
                self._start_theme(name)
                break

    def _start_theme(self, name: str) -> None:
        """Choose the theme before the stylesheet is first read.  Setting ``self.theme`` now
        would run Textual's theme watcher, which queues a second parse of all the CSS (~8 ms
        before the first frame); this does what the watcher does, minus that."""
        try:
            self.set_reactive(App.theme, name)
            dark = self.current_theme.dark
            self.set_class(dark, "-dark-mode", update=False)
            self.set_class(not dark, "-light-mode", update=False)
            self.set_class(True, f"-theme-{name}", update=False)
            self._refresh_truecolor_filter(self.ansi_theme)
            self.stylesheet.set_variables(self.get_css_variables())  # not parsed yet: cheap
        except AttributeError:  # a Textual without these: let its watcher do it all
            self.theme = name

    def get_css_variables(self) -> dict[str, str]:
        """Textual's CSS variables, derived once per theme: each call builds the whole colour
        system (~1 ms), and it is asked for three times before the first frame."""
        if "loaded" not in self.__dict__:
            # Asked for by ``App.__init__`` (for the default theme), before this app has
            # chosen its own: ``_start_theme`` sets the real ones before any CSS is read.
            return {}
        theme = self.current_theme
        cached = self.__dict__.get("_css_variables")
        if cached is None or cached[0] is not theme:
            cached = (theme, super().get_css_variables())
            self.__dict__["_css_variables"] = cached
        self.theme_variables = cached[1]
        return dict(cached[1])

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from sdd_tui.ui.theme_vars import theme_variable_defaults

        try:
            theme = self.current_theme
        except Exception:  # asked for before the app has its themes
            theme = None
        key = theme.name if theme is not None else ""
        cache = self.__dict__.setdefault("_variable_defaults", {})
        if key not in cache:
            cache[key] = theme_variable_defaults(theme)
        return cache[key]

    def watch_theme(self, theme: str) -> None:
        if self._workbench_ready:  # not the theme chosen at start: no pydantic before paint
            from sdd_tui.ui import preferences

            preferences.save_theme(theme)
            self.refresh_all(keep=True)

    # -- state -------------------------------------------------------------------------

    @property
    def feature(self) -> Feature | None:
        if self.feature_id is None:
            return None
        found = self.loaded.workspace.feature(self.feature_id)
        if found is None:
            found = next((f for f in self.branch_features if f.id == self.feature_id), None)
        return found

    def palette(self) -> Palette:
        from sdd_tui.ui.markdown_lines import Palette

        theme = self.current_theme
        fg = theme.foreground or "white"
        panel = theme.panel or theme.surface or "black"
        return Palette(
            heading=f"bold {theme.primary}",
            heading1=f"bold {theme.primary} underline",
            code=f"{theme.success or 'green'}",
            code_block=f"{fg} on {panel}",
            muted="dim",
            accent=f"bold {theme.accent or theme.secondary or theme.primary}",
            clarify=f"bold {theme.background or 'black'} on {theme.warning or 'yellow'}",
            link=f"underline {theme.secondary or theme.primary}",
            done=f"{theme.success or 'green'}",
        )

    def reload(self, *, select: str | None = None, changed: Iterable[str] | None = None) -> None:
        """Re-read the workspace (only ``changed`` paths, when the app knows what it wrote)."""
        self._generation += 1  # a watcher reload still in flight would be older than this
        if changed is not None:
            changed = list(changed)
            self.note_own_writes(changed)  # the watcher will report them: not a change
        from sdd_tui.workspace.loader import load_root

        self.loaded = load_root(
            self.loaded.root, previous=self.loaded, persist=False, changed=changed
        )
        keep_out_of_gc()
        if self.feature_id is not None and self.loaded.workspace.feature(self.feature_id) is None:
            self.feature_id = self._initial_feature(None)
        # The board first: re-linking test results waits until the keys stop coming.
        self.refresh_all(keep=True, select=select, results=False)
        self._schedule_results()

    def refresh_all(
        self,
        *,
        keep: bool,
        select: str | None = None,
        results: bool = True,
        documents: bool = True,
    ) -> None:
        """Redraw every pane from the current snapshot.

        ``results=False`` skips reading test results and ``documents=False`` the spec and
        plan panes (the first paint shows the board alone; they follow right after it).
        """
        ws = self.loaded.workspace
        feature = self.feature
        results = results and self._panes_ready
        documents = documents and self._panes_ready
        if results:
            self._load_results()
        passing = None
        if self.results is not None and self.results.cases:
            t = self.results.totals()
            passing = t["failed"] == 0 and t["errors"] == 0
        self._stage = feature_stage(feature, tests_passing=passing) if feature else None
        self._show_header()
        self.query_one(BoardView).show(ws, feature, select=select)
        if documents:
            self._show_documents(keep=keep)
        if results:
            self._tests_pane().show(self.results, self.result_problems)
        self.sub_title = feature.id if feature else ""
        if documents:
            self._show_git_marks()

    def _show_documents(self, *, keep: bool) -> None:
        pal = self.palette()
        spec_docs, plan_docs = _pane_documents(self.feature)
        self._doc_pane("spec").set_documents(
            spec_docs, self.read_document, pal, empty="No spec for this feature yet.", keep=keep
        )
        self._doc_pane("plan").set_documents(
            plan_docs, self.read_document, pal, empty="No plan yet (run /plan).", keep=keep
        )

    def _schedule_results(self, delay: float = 0.3) -> None:
        timer = getattr(self, "_results_timer", None)
        if timer is not None:
            timer.stop()
        self._results_timer = self.set_timer(delay, self._refresh_results)

    _results_generation = 0

    def _refresh_results(self) -> None:
        """Read and link the test results in a thread; ``_apply_results`` shows them.

        Linking thousands of test cases to a feature's tasks takes tens of milliseconds: on
        the UI thread that would hold up the keys typed after a move."""
        if not (self._workbench_ready and self._panes_ready):
            return
        panes = self.default_screen.query("#tests")
        if not panes:
            return  # the app is closing
        self._results_generation += 1
        self._results_worker(panes.first(), self.loaded, self.feature, self._results_generation)

    @work(thread=True, group="results", exit_on_error=False, description="results")
    def _results_worker(
        self, pane: TestsPane, loaded: Loaded, feature: Feature | None, generation: int
    ) -> None:
        if generation != self._results_generation:
            return  # a newer request is already queued
        results, problems = pane.load(loaded, feature, blocking=True)
        status = pane.task_status(feature)
        pane.prepare()
        self.call_from_thread(self._apply_results, generation, results, problems, status)

    def _apply_results(
        self,
        generation: int,
        results: TestResults | None,
        problems: list[Problem],
        status: dict[str, str],
    ) -> None:
        if generation != self._results_generation or not self._workbench_ready:
            return  # a newer read is on its way (it shows the same or fresher results)
        self._take_results(results, problems, status)
        keep_out_of_gc()
        self._tests_pane().show(self.results, self.result_problems)
        feature = self.feature
        if self.results is not None and self.results.cases and feature is not None:
            t = self.results.totals()
            self._stage = feature_stage(feature, tests_passing=not (t["failed"] or t["errors"]))
            self._show_header()
        if self.loaded.partial:
            return  # keys typed meanwhile wait for the whole workspace
        pending, self._pending = self._pending, []
        for fn in pending:  # keys typed before the panes were there
            fn()

    def _show_header(self) -> None:
        name = Path(self.loaded.workspace.root).name
        self.query_one(WorkbenchHeader).show(
            name, self.feature, getattr(self, "_stage", None), extra=self.git_header()
        )

    def _load_results(self) -> None:
        """Read and link the results on the UI thread (for a key that needs them now)."""
        pane = self._tests_pane()
        results, problems = pane.load(self.loaded, self.feature)
        self._take_results(results, problems, pane.task_status(self.feature))

    def _take_results(
        self, results: TestResults | None, problems: list[Problem], status: dict[str, str]
    ) -> None:
        self.results, self.result_problems = results, problems
        board = self.query_one(BoardView)
        if status != board.test_status:  # card dots changed: redraw the board
            board.test_status = status
            board.show(self.loaded.workspace, self.feature)

    def on_tests_pane_changed(self) -> None:
        """Results read in a thread, or a test run ended: refresh what shows them."""
        self.refresh_all(keep=True)

    def action_run_tests(self) -> None:
        if not self._when_ready(self.action_run_tests):
            self._tests_pane().request_run()

    def action_trace(self) -> None:
        from sdd_tui.ui.screens.trace import TraceScreen

        if self._when_ready(self.action_trace):
            return
        pane = self._tests_pane()
        if pane.trace is None:
            self._load_results()
        if pane.trace is not None:
            has_results = bool(pane.results is not None and pane.results.cases)
            self.push_screen(TraceScreen(pane.trace, self.feature, has_results=has_results))

    def read_document(self, path: str) -> ParsedDoc | Problem:
        feature = self.feature
        if feature is not None and feature.branch is not None:
            from sdd_tui.workspace.git import read_blob

            doc = read_blob(self.loaded.root, feature.branch, path)
            return doc if doc is not None else Problem(path, f"not readable on {feature.branch}")
        return self.loaded.cache.load(self.loaded.root, path)

    # -- layout ------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size)

    def _apply_size(self, size: Size | None = None) -> None:
        width, height = size if size is not None else self.size
        narrow = width < WIDE[0] or height < WIDE[1]
        self.screen.set_class(narrow, "-narrow")

    def _activate_pane(self, name: str) -> None:
        screen = self.default_screen
        for p in PANES:
            screen.query_one(f"#pane-{p}").set_class(p == name, "-active")
        if not self._panes_ready:
            return
        from textual.widgets import Tabs

        tabs = screen.query_one("#pane-tabs", Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tabs.id != "pane-tabs":
            return
        name = (event.tab.id or "tab-board").removeprefix("tab-")
        if name in PANES:
            self.action_pane(name)

    def action_pane(self, name: str) -> None:
        self._activate_pane(name)
        if self.screen.maximized is not None:
            self.screen.minimize()
        if name == "board":
            self.query_one(BoardView).focus_board()
        elif self._when_ready(lambda: self.action_pane(name)):
            return
        elif name == "tests":
            self.screen.set_focus(self.query_one("#tests-cases"))
        else:
            self.screen.set_focus(self._doc_pane(name).view)

    def on_descendant_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        for node in event.widget.ancestors_with_self:
            if isinstance(node, Pane):
                self._activate_pane(node.pane_name)
                break

    def action_toggle_maximize(self) -> None:
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
        elif screen.focused is not None:
            screen.maximize(screen.focused)

    # -- board operations --------------------------------------------------------------

    @on(BoardView.Request)
    def _board_request(self, message: BoardView.Request) -> None:
        self.perform(message.action)

    def perform(self, action: BoardAction) -> None:
        feature = self.feature
        if feature is None:
            return
        task = feature.task(action.task_key)
        if task is None:
            self.notify(f"task {action.task_key} is gone", severity="warning", markup=False)
            return
        if action.name == "detail":
            self._show_detail(task.key)
            return
        if action.name == "edit":
            self._edit(task.path, task.line)
            return
        if feature.read_only:
            where = f" (on branch {feature.branch})" if feature.branch else ""
            self.notify(f"{feature.id} is read-only{where}", severity="warning", markup=False)
            return
        from sdd_tui.operations import board as board_ops
        from sdd_tui.operations import history
        from sdd_tui.operations.boxes import OperationError

        columns = self.loaded.workspace.columns
        changed: list[str] | None = None
        try:
            change = None
            if action.name == "move":
                idx = columns.index(task.column) + action.arg
                if not 0 <= idx < len(columns):
                    self.bell()
                    return
                change = history.apply_and_record(
                    self.loaded, board_ops.move, feature.id, task.key, columns[idx]
                )
            elif action.name == "toggle":
                change = history.apply_and_record(
                    self.loaded, board_ops.toggle, feature.id, task.key
                )
            elif action.name == "reorder":
                change = history.apply_and_record(
                    self.loaded, board_ops.reorder, feature.id, task.key, action.arg
                )
            if change is not None:
                changed = [*change.files, HISTORY_PATH]
        except OperationError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.reload(select=task.key, changed=changed)

    def action_undo(self) -> None:
        self._history("undo")

    def action_redo(self) -> None:
        self._history("redo")

    def _history(self, what: str) -> None:
        from sdd_tui.operations import history
        from sdd_tui.operations.boxes import OperationError
        from sdd_tui.workspace.loader import load_root

        self.loaded = load_root(self.loaded.root, previous=self.loaded, persist=False)
        try:
            change = history.undo(self.loaded) if what == "undo" else history.redo(self.loaded)
        except OperationError as exc:
            self.notify(f"cannot {what}: {exc}", severity="error", markup=False)
            self.reload()
            return
        if change is None:
            self.notify(f"nothing to {what}", timeout=2)
            return
        if change.feature != self.feature_id and self.loaded.workspace.feature(change.feature):
            self.feature_id = change.feature
        self.reload(select=change.task, changed=[*change.files, HISTORY_PATH])
        self.notify(
            f"{what}: {change.task} {change.from_column} → {change.to_column}",
            timeout=2,
            markup=False,
        )

    def _show_detail(self, key: str) -> None:
        from sdd_tui.ui.screens.detail import DetailScreen

        feature = self.feature
        task = feature.task(key) if feature else None
        if feature is None or task is None:
            return

        def after(result: str | None) -> None:
            if result == "edit":
                self._edit(task.path, task.line)

        self.push_screen(DetailScreen(task, feature), after)

    def _edit(self, path: str, line: int) -> None:
        import shlex

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        cmd = shlex.split(editor)
        target = str(self.loaded.root / path)
        name = Path(cmd[0]).name if cmd else ""
        if name in ("code", "codium", "code-insiders"):
            cmd += ["-g", f"{target}:{line}", "--wait"]
        elif name in ("subl", "zed"):
            cmd += [f"{target}:{line}"]
        else:
            cmd += [f"+{line}", target]
        try:
            with self.suspend():
                subprocess.run(cmd, check=False)
        except (OSError, Exception) as exc:  # SuspendNotSupported in headless tests too
            self.notify(
                f"cannot run editor '{safe(editor)}': {exc}", severity="error", markup=False
            )
        self.reload(select=self.query_one(BoardView)._selected_key)

    # -- filter ------------------------------------------------------------------------

    def action_filter(self) -> None:
        if self._when_ready(self.action_filter):
            return
        self._activate_pane("board")
        box = self.query_one("#filter", Input)
        box.add_class("-shown")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        board = self.query_one(BoardView)
        board.filter_text = event.value.strip()
        board.show(self.loaded.workspace, self.feature)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        box = self.query_one("#filter", Input)
        if not box.value:
            box.remove_class("-shown")
        self.query_one(BoardView).focus_board()

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self._panes_ready:
            return
        box = self.query_one("#filter", Input)
        if event.key == "escape" and box.has_focus:
            event.stop()
            box.value = ""
            box.remove_class("-shown")
            self.query_one(BoardView).focus_board()

    # -- screens -----------------------------------------------------------------------

    def action_help(self) -> None:
        from sdd_tui.ui.screens.help import HelpScreen, binding_rows
        from sdd_tui.ui.widgets.board import CardList
        from sdd_tui.ui.widgets.doc_pane import DocPane

        sections = [
            (
                "Board",
                binding_rows(BoardView.BINDINGS) + binding_rows(CardList.BINDINGS),
            ),
            (
                "Documents",
                binding_rows(DocPane.BINDINGS)
                + [("j,k,pageup,pagedown", "Scroll"), ("g,G", "Top / bottom")],
            ),
            (
                "Workbench",
                binding_rows(self.BINDINGS)
                + [
                    ("ctrl+p", "Command palette"),
                    ("tab,shift+tab", "Next / previous pane"),
                    ("escape", "Close a screen, clear the filter"),
                ],
            ),
        ]
        self.push_screen(HelpScreen(sections))

    def action_switch_feature(self) -> None:
        from sdd_tui.ui.screens.switcher import FeatureSwitcher

        if self._when_ready(self.action_switch_feature):
            return  # the list needs every feature

        def chosen(feature_id: str | None) -> None:
            if feature_id:
                self.switch_feature(feature_id)

        self.push_screen(FeatureSwitcher(self.all_features(), self.feature_id), chosen)

    def switch_feature(self, feature_id: str) -> None:
        if feature_id not in {f.id for f in self.all_features().features}:
            return
        self.feature_id = feature_id
        board = self.query_one(BoardView)
        board.filter_text = ""
        if self._panes_ready:
            self.query_one("#filter", Input).value = ""
        self.refresh_all(keep=False)
        board.select_first_todo()

    def action_reload(self) -> None:
        self.reload(select=self.query_one(BoardView)._selected_key)
        self.notify("reloaded", timeout=1)

    def action_review(self) -> None:
        from sdd_tui.ui.screens.review import open_review

        if self._when_ready(self.action_review):
            return
        open_review(self)

    def action_requirements(self) -> None:
        from sdd_tui.ui.screens.requirements import open_requirements

        if self._when_ready(self.action_requirements):
            return
        open_requirements(self)

    def get_system_commands(self, screen):  # type: ignore[no-untyped-def]
        from sdd_tui.ui.commands import workbench_commands

        yield from super().get_system_commands(screen)
        yield from workbench_commands(self)

    def status_text(self) -> Text:
        return Text(self.feature_id or "")


def _pane_documents(feature: Feature | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(spec pane documents, plan pane documents) as (label, path)."""
    if feature is None:
        return [], []
    docs = feature.documents
    spec: list[tuple[str, str]] = []
    plan: list[tuple[str, str]] = []

    def add(target: list[tuple[str, str]], label: str, path: str | None) -> None:
        if path:
            target.append((label, path))

    if feature.layout == "kiro":
        add(spec, Path(docs.get("spec") or "requirements.md").name, docs.get("spec"))
        add(plan, "design.md", docs.get("plan"))
    elif feature.layout == "openspec":
        add(spec, "proposal.md", docs.get("spec"))
        for label, path in feature.extra_documents:
            if "/specs/" in path:
                spec.append((label, path))
        add(plan, "design.md", docs.get("plan"))
    else:
        add(spec, Path(docs.get("spec") or "spec.md").name, docs.get("spec"))
        add(plan, "plan.md", docs.get("plan"))
        add(plan, "research.md", docs.get("research"))
        add(plan, "data-model.md", docs.get("data_model"))
        add(plan, "quickstart.md", docs.get("quickstart"))
        for label, path in feature.extra_documents:
            if label.startswith("contracts/") or "/contracts/" in path:
                plan.append((label, path))
    return spec, plan


def run_app(loaded: Loaded, *, feature: str | None = None) -> int:
    # Reloads and result links run in threads.  With CPython's default 5 ms switch interval
    # the event loop, which gives up the GIL at every system call, waits up to 5 ms to get
    # it back each time: a key pressed while a thread works took 100-300 ms to be handled.
    sys.setswitchinterval(SWITCH_INTERVAL)
    keep_out_of_gc()
    SddApp(loaded, feature=feature).run()
    return 0
