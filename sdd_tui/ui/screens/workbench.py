"""The workbench: spec, plan, board and tests side by side, driven from the keyboard.

The app's default screen.  It shows the session's snapshot (``ui/session.py``) and asks the
session for every change: board operations, undo and redo, reloads.  It never replaces the
snapshot itself; the session tells it when the snapshot changed (``_snapshot_changed``), and it
redraws in place, keeping selection and scroll.

The first frame holds the header, the board and empty pane frames; the documents, the tests
pane, the watcher and git follow right after it (``_after_first_paint``).  Keys that need them
wait in ``_pending`` and run once they are there, never dropped.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Input

from sdd_tui import gcpolicy, operations, workspace
from sdd_tui.model.workspace import Feature, Problem
from sdd_tui.operations.stage import feature_stage
from sdd_tui.textsafe import safe
from sdd_tui.ui import screens, widgets
from sdd_tui.ui.live import LiveWorkspace
from sdd_tui.ui.screens.common import pane_documents, undo_or_redo
from sdd_tui.ui.screens.workbench_edits import WRITES, WorkbenchEdits
from sdd_tui.ui.screens.workbench_places import WorkbenchPlaces
from sdd_tui.ui.screens.workbench_tests import WorkbenchTests
from sdd_tui.ui.screens.workbench_views import WorkbenchViews
from sdd_tui.ui.session import Session, SnapshotChanged
from sdd_tui.ui.widgets.board import BoardAction, BoardView
from sdd_tui.ui.widgets.header import WorkbenchHeader
from sdd_tui.ui.widgets.key_bar import KeyBar
from sdd_tui.ui.widgets.quiet import set_border_subtitle
from sdd_tui.workspace.snapshot import Loaded

# The loader, parsers, operations and the other screens are reached through their packages'
# lazy names (``sdd_tui.lazy``): the first frame is painted from a snapshot read by another
# process (``workspace.early_load``) and needs none of them.
if TYPE_CHECKING:
    from textual.widgets import Tabs
    from textual.widgets.option_list import Option

    from sdd_tui.ui.markdown_lines import Palette
    from sdd_tui.workspace.documents import ParsedDoc

PANES = ("board", "spec", "plan", "tests")
PANE_TITLES = {"board": "Board", "spec": "Spec", "plan": "Plan", "tests": "Tests"}
WIDE = (120, 32)  # four panes at once from this size up
REST_FALLBACK = 2.0  # seconds: read the rest if the watcher's first re-read has not come


class Pane(Vertical):
    """A titled, maximisable frame around one of the four panes."""

    ALLOW_MAXIMIZE = True

    def __init__(self, name: str, number: int, *, active: bool = False) -> None:
        super().__init__(id=f"pane-{name}", classes="pane -active" if active else "pane")
        self.pane_name = name
        self.border_title = f"{number} {PANE_TITLES[name]}"


class WorkbenchScreen(
    WorkbenchEdits, WorkbenchTests, WorkbenchViews, WorkbenchPlaces, LiveWorkspace, Screen[None]
):
    """Board, spec, plan and tests of one feature."""

    BINDINGS = [
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
        Binding(
            "p", "problems", "Problems", show=False, tooltip="Every file that could not be read"
        ),
        Binding(
            "w", "lanes", "Lanes", show=False, tooltip="Waves of tasks that can run side by side"
        ),
        Binding("P", "portfolio", "Portfolio", show=False, tooltip="Every feature on every branch"),
        Binding("B", "progress", "Progress", show=False, tooltip="Burn-up, cycle time, forecast"),
        Binding("i", "activity", "Activity", show=False, tooltip="Who moved which task, in git"),
    ]

    def __init__(self, session: Session, *, feature: str | None = None) -> None:
        super().__init__()  # no fixed id: another worktree's workbench replaces this one
        self.session = session
        self.feature_id = session.initial_feature(feature)
        self._stage: str | None = None
        self._ready = False  # mounted and not closing
        self._panes_ready = False  # the spec, plan and tests panes mount after the first paint
        self._pending: list[Callable[[], object]] = []  # keys that wait for those panes
        self._results_timer = None
        self._results_generation = 0
        self._results_loading = False
        self._case_options: tuple[object, list[Option]] | None = None
        self._problems_announced = False

    # -- what it shows -------------------------------------------------------------------

    @property
    def loaded(self) -> Loaded:
        return self.session.loaded

    @property
    def feature(self) -> Feature | None:
        return self.session.feature(self.feature_id)

    # -- set-up --------------------------------------------------------------------------

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

    def on_mount(self) -> None:
        self.session.subscribe(self._snapshot_changed)
        self._apply_size(self.app.size)
        self._activate_pane("board")
        self.refresh_all(keep=False, results=False, documents=False)
        self.query_one(BoardView).select_first_todo()
        self.call_after_refresh(self._after_first_paint)
        self._ready = True
        self._announce_problems()

    def _announce_problems(self) -> None:
        """Once, when the whole workspace is in (the first frame may hold one feature)."""
        if self._problems_announced or self.loaded.partial:
            return
        self._problems_announced = True
        problems = self.loaded.workspace.problems
        if problems:
            self.notify(
                f"{len(problems)} problem(s) while loading; first: {safe(str(problems[0]))}"
                " (p lists them all)",
                severity="warning",
                timeout=6,
                markup=False,
            )

    async def _mount_panes(self) -> None:
        from textual.widgets import Tab, Tabs  # not before the first frame

        await self.query_one("#pane-board", Pane).mount(
            Input(placeholder="filter cards…", id="filter")
        )
        await self.query_one("#pane-spec", Pane).mount(widgets.DocPane("spec", id="spec"))
        await self.query_one("#pane-tests", Pane).mount(widgets.TestsPane(id="tests"))
        await self.query_one("#pane-plan", Pane).mount(widgets.DocPane("plan", id="plan"))
        tabs = Tabs(
            *[Tab(f"{i} {PANE_TITLES[p]}", id=f"tab-{p}") for i, p in enumerate(PANES, 1)],
            id="pane-tabs",
        )
        await self.mount(tabs, before="#panes")
        self._panes_ready = True

    async def _after_first_paint(self) -> None:
        if not self._ready:
            return  # closed before its first frame
        # The watcher first: until it listens, a change on disk is only caught by the full
        # re-read it asks for once it does (see ``workspace.watcher``).
        self.start_live()
        await self._mount_panes()
        active = next((p.pane_name for p in self.query(Pane) if p.has_class("-active")), "board")
        self._activate_pane(active)
        self._show_documents(keep=False)
        self._show_git_marks()
        gcpolicy.resume()
        if not self.loaded.partial:
            self.call_after_refresh(self._refresh_results)
        elif self.watching:
            # The watcher's first full re-read (once it listens) reads the rest too; reading
            # it here as well would do the work twice.  In case that read never comes:
            self.set_timer(REST_FALLBACK, self._rest_if_still_partial)
        else:
            self._load_rest(self.loaded)  # the results follow the whole snapshot

    def _rest_if_still_partial(self) -> None:
        reading = any(w.group == "reload" and not w.is_finished for w in self.workers)
        if self.loaded.partial and not reading:
            self._load_rest(self.loaded)

    @work(thread=True, group="reload", exit_on_error=False, description="load the rest")
    def _load_rest(self, base: Loaded) -> None:
        """Read the features the first frame did not need (``load_root(first=…)``)."""
        try:
            loaded = workspace.load_root(base.root, previous=base, persist=False, changed=())
        except Exception:  # the keys waiting for it must not wait forever: read it all here
            self.app.call_from_thread(self._reload_all)
            return
        self.app.call_from_thread(self.session.complete, base, loaded)

    def _reload_all(self) -> None:
        self.session.reload(select=self.query_one(BoardView).selected_key)

    def on_unmount(self) -> None:
        self._ready = False
        self.stop_live()
        self.session.unsubscribe(self._snapshot_changed)

    def _when_ready(self, fn: Callable[[], object]) -> bool:
        """False if the panes are mounted; else ``fn`` runs once they are and hold the test
        results (a key typed during the first frame is not lost)."""
        if self._panes_ready and not self.loaded.partial:
            return False
        self._pending.append(fn)
        return True

    # -- the snapshot changed ------------------------------------------------------------

    def _snapshot_changed(self, change: SnapshotChanged) -> None:
        """The session took a new snapshot: redraw in place, keeping selection and scroll."""
        if not self._ready:
            return
        if (
            change.reason in ("undo", "redo")
            and change.feature
            and change.feature != self.feature_id
            and self.loaded.workspace.feature(change.feature) is not None
        ):
            self.feature_id = change.feature  # show where the undo happened
        if self.feature is None:
            self.feature_id = self.session.initial_feature(None)
        if change.workspace_changed or change.reason != "outside":
            board = self.query_one(BoardView)
            select = change.select if change.select is not None else board.selected_key
            # The board first: the results are re-linked in a thread once the writes pause
            # (an agent saving every few hundred milliseconds would otherwise keep one running).
            self.refresh_all(keep=True, select=select, results=False)
            self._refresh_detail()
        self._announce_problems()
        if change.reason == "rest" or not change.workspace_changed:
            self._refresh_results()
        else:
            self._schedule_results()

    def git_changed(self) -> None:
        self._show_header()
        self._show_git_marks()
        if self._panes_ready:
            self._take_task_status()  # what changed on the branch is evidence too

    def _refresh_detail(self) -> None:
        screen = self.app.screen
        feature = self.feature
        if isinstance(screen, screens.DetailScreen) and feature is not None:
            task = feature.task(screen.task_.key)
            if task is not None:
                screen.update_task(task, feature, self._unproven_reasons(task.key))

    # -- drawing -------------------------------------------------------------------------

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
        passing = self.session.results.passing()
        self._stage = feature_stage(feature, tests_passing=passing) if feature else None
        self._show_header()
        self.query_one(BoardView).show(ws, feature, select=select)
        if documents:
            self._show_documents(keep=keep)
        if results:
            self._show_results()
        self.sub_title = feature.id if feature else ""
        self.app.sub_title = self.sub_title
        if documents:
            self._show_git_marks()

    def _show_header(self) -> None:
        name = Path(self.loaded.workspace.root).name
        self.query_one(WorkbenchHeader).show(
            name, self.feature, self._stage, extra=self.git_header()
        )

    def _show_documents(self, *, keep: bool) -> None:
        pal = self.palette()
        spec_docs, plan_docs = pane_documents(self.feature)
        self._doc_pane("spec").set_documents(
            spec_docs, self.read_document, pal, empty="No spec for this feature yet.", keep=keep
        )
        self._doc_pane("plan").set_documents(
            plan_docs, self.read_document, pal, empty="No plan yet (run /plan).", keep=keep
        )

    def _show_git_marks(self) -> None:
        info = self.session.git
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

    def palette(self) -> Palette:
        from sdd_tui.ui.markdown_lines import Palette

        theme = self.app.current_theme
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

    def read_document(self, path: str) -> ParsedDoc | Problem:
        feature = self.feature
        if feature is not None and feature.branch is not None:
            revision = self.session.revision_of(feature) or feature.branch
            doc = operations.portfolio.read_document_at(self.loaded.root, revision, path)
            return doc if doc is not None else Problem(path, f"not readable on {feature.branch}")
        return self.loaded.cache.load(self.loaded.root, path)

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

    def _tests_pane(self) -> widgets.TestsPane:
        return self.query_one("#tests", widgets.TestsPane)

    def _doc_pane(self, name: str) -> widgets.DocPane:
        return self.query_one(f"#{name}", widgets.DocPane)

    # -- layout --------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size)

    def _apply_size(self, size: Size) -> None:
        width, height = size
        self.set_class(width < WIDE[0] or height < WIDE[1], "-narrow")

    def _activate_pane(self, name: str) -> None:
        for p in PANES:
            self.query_one(f"#pane-{p}").set_class(p == name, "-active")
        if not self._panes_ready:
            return
        from textual.widgets import Tabs

        tabs = self.query_one("#pane-tabs", Tabs)
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
        if self.maximized is not None:
            self.minimize()
        if name == "board":
            self.query_one(BoardView).focus_board()
        elif self._when_ready(lambda: self.action_pane(name)):
            return
        elif name == "tests":
            self.set_focus(self.query_one("#tests-cases"))
        else:
            self.set_focus(self._doc_pane(name).view)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for node in event.widget.ancestors_with_self:
            if isinstance(node, Pane):
                self._activate_pane(node.pane_name)
                break

    def action_toggle_maximize(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused)

    # -- board operations ----------------------------------------------------------------

    @on(BoardView.Request)
    def _board_request(self, message: BoardView.Request) -> None:
        self.perform(message.action)

    def perform(self, action: BoardAction) -> None:
        board_ops = operations.board
        feature = self.feature
        if feature is None:
            return
        if action.name in WRITES:
            self.write_request(action, feature)
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
        session = self.session
        try:
            if action.name == "move":
                columns = self.loaded.workspace.columns
                idx = columns.index(task.column) + action.arg
                if not 0 <= idx < len(columns):
                    self.app.bell()
                    return
                session.edit(board_ops.move, feature.id, task.key, columns[idx], select=task.key)
            elif action.name == "toggle":
                session.edit(board_ops.toggle, feature.id, task.key, select=task.key)
            elif action.name == "reorder":
                session.edit(board_ops.reorder, feature.id, task.key, action.arg, select=task.key)
        except operations.OperationError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def action_undo(self) -> None:
        undo_or_redo(self, self.session, "undo")

    def action_redo(self) -> None:
        undo_or_redo(self, self.session, "redo")

    def _show_detail(self, key: str) -> None:
        feature = self.feature
        task = feature.task(key) if feature else None
        if feature is None or task is None:
            return

        def after(result: str | None) -> None:
            if result == "edit":
                self._edit(task.path, task.line)

        detail = screens.DetailScreen(task, feature, self._unproven_reasons(task.key))
        self.app.push_screen(detail, after)

    def _unproven_reasons(self, key: str) -> tuple[str, ...]:
        found = self.session.unproven(self.feature).get(key)
        return found.reasons if found is not None else ()

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
            with self.app.suspend():
                subprocess.run(cmd, check=False)
        except (OSError, Exception) as exc:  # SuspendNotSupported in headless tests too
            self.notify(
                f"cannot run editor '{safe(editor)}': {exc}", severity="error", markup=False
            )
        self._reload_all()

    # -- filter --------------------------------------------------------------------------

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

    def on_key(self, event: events.Key) -> None:
        if not self._panes_ready:
            return
        box = self.query_one("#filter", Input)
        if event.key == "escape" and box.has_focus:
            event.stop()
            box.value = ""
            box.remove_class("-shown")
            self.query_one(BoardView).focus_board()
