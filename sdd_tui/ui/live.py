"""The live workspace: follow edits from agents, editors and git while the app runs.

A watchfiles worker reports changed paths; a thread worker waits until those files stop
changing (an agent may be half-way through a write), re-loads the snapshot (unchanged files
come from the parse cache) and hands it to the UI, which refreshes only when the snapshot
differs — so the app's own writes, seen again by the watcher, do not flicker.  Git state is
read in thread workers too.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.textsafe import safe
from sdd_tui.workspace.snapshot import Loaded
from sdd_tui.workspace.stability import _stat, wait_until_stable

if TYPE_CHECKING:
    from sdd_tui.workspace.git import GitInfo


def keep_out_of_gc() -> None:
    """Move every object alive now out of the cyclic collector's reach (``gc.freeze``).

    A snapshot of a 20,000-task workspace is ~10⁶ objects; each full collection walked them
    all (~0.2 s), and the allocations of a redraw triggered one after most moves, holding up
    the next key.  Snapshots hold no reference cycles, so when a later reload replaces one,
    reference counting frees it all the same.  Called after each snapshot or result set is
    taken in; freezing is a constant-time list splice.
    """
    gc.freeze()


def collect_from_now_on() -> None:
    """End the start-up pause of the cyclic collector (``run_workbench`` switched it off),
    with everything alive so far frozen out of its reach."""
    gc.freeze()
    gc.enable()


class DiffScreen(ModalScreen[None]):
    """A document's diff against HEAD, coloured; the text is shown literally."""

    BINDINGS = [Binding("escape,q,d", "dismiss", "Close")]
    DEFAULT_CSS = """
    DiffScreen { align: center middle; }
    DiffScreen > DocumentView {
        width: 95%; height: 90%; border: round $primary; background: $surface;
    }
    """

    def __init__(self, title: str, diff: str) -> None:
        super().__init__()
        self.title_ = title
        self.diff = diff

    def compose(self) -> ComposeResult:
        from sdd_tui.ui.widgets.document_view import DocumentView  # not before the first frame

        yield DocumentView(id="diff-view")

    def on_mount(self) -> None:
        from sdd_tui.ui.widgets.document_view import DocumentView

        view = self.query_one(DocumentView)
        view.border_title = self.title_
        lines: list[tuple[int, Text]] = []
        if not self.diff.strip():
            view.set_message("No changes against HEAD.")
        else:
            for i, line in enumerate(self.diff.splitlines()):
                style = ""
                if line.startswith("+") and not line.startswith("+++"):
                    style = "green"
                elif line.startswith("-") and not line.startswith("---"):
                    style = "red"
                elif line.startswith("@@"):
                    style = "cyan"
                elif line.startswith(("diff ", "index ", "+++", "---")):
                    style = "bold"
                lines.append((i, Text(safe(line) or " ", style=style)))
            view.set_lines(lines)
        view.focus()

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)


class LiveWorkspace:
    """Mixin for SddApp: watcher, reload workers and git state."""

    loaded: Loaded
    git: GitInfo | None = None
    branch_features: tuple[Feature, ...] = ()
    stale_plans: frozenset[str] = frozenset()
    _generation = 0
    _git_generation = 0
    _git_branches_due = False
    _stop_watch: threading.Event | None = None

    # -- watcher -----------------------------------------------------------------------

    def start_live(self) -> None:
        if not os.environ.get("SDD_TUI_NO_WATCH"):
            self._stop_watch = threading.Event()
            self._watch_loop(self._stop_watch)  # type: ignore[attr-defined]
        self.refresh_git(branches=True)  # SDD_TUI_NO_GIT alone turns git off

    def stop_live(self) -> None:
        if self._stop_watch is not None:
            self._stop_watch.set()

    @work(exclusive=True, group="watch", exit_on_error=False, description="watch")
    async def _watch_loop(self, stop: threading.Event) -> None:
        from sdd_tui.workspace.watcher import watch_workspace

        async for batch in watch_workspace(self.loaded.root, stop):
            self.files_changed(batch)

    def note_own_writes(self, paths: Iterable[str]) -> None:
        """Remember the files the app itself just wrote, as they are now (call it before
        re-reading them): the watcher's report of that same write is then not a change."""
        root = self.loaded.root
        own = self.__dict__.setdefault("_own_writes", {})
        for path in paths:
            own[path] = _stat(root / path)

    def _not_own(self, paths: set[str]) -> set[str]:
        """``paths`` minus the files still exactly as the app wrote them (same size, mtime
        and inode: another writer's rename or in-place write changes one of them)."""
        own: dict[str, tuple[int, int, int] | None] = self.__dict__.get("_own_writes", {})
        if not own:
            return paths
        root = self.loaded.root
        return {p for p in paths if p not in own or own[p] is None or _stat(root / p) != own[p]}

    def files_changed(self, paths: set[str]) -> None:
        """Called with root-relative paths (``.`` = anything) after a change on disk."""
        paths = self._not_own(paths)
        if not paths:
            return  # only the app's own write, already re-read (moves, undo, ticks)
        self._generation += 1
        self._reload_in_thread(set(paths), self._generation)  # type: ignore[attr-defined]

    @work(thread=True, group="reload", exit_on_error=False, description="reload")
    def _reload_in_thread(self, paths: set[str], generation: int) -> None:
        base = self.loaded
        root = base.root
        wait_until_stable(root, paths, lambda: generation != self._generation)
        if generation != self._generation:
            return  # a newer batch will reload
        # "." means "anything": walk the folders again; else only the reported files changed
        changed = None if "." in paths else paths
        from sdd_tui.workspace.loader import load_root

        loaded = load_root(root, previous=base, persist=False, changed=changed)
        self.call_from_thread(self._deliver_snapshot, loaded, generation, paths, base)  # type: ignore[attr-defined]

    def _deliver_snapshot(
        self, loaded: Loaded, generation: int, paths: set[str], base: Loaded
    ) -> None:
        if generation != self._generation:
            return
        if self.loaded is not base:
            # The app re-read the files itself meanwhile (after its own write): this read may
            # predate that write, and showing it would put moved cards back for a moment.
            self.files_changed(paths)
            return
        git_changed = "." in paths or any(p.startswith(".git/") for p in paths)
        self.apply_snapshot(loaded, generation, git_changed)

    def apply_snapshot(self, loaded: Loaded, generation: int, git_changed: bool) -> None:
        if generation != self._generation:
            return
        old = self.loaded
        self.loaded = loaded
        keep_out_of_gc()
        if loaded.workspace != old.workspace or loaded.board != old.board:
            self.snapshot_changed()  # type: ignore[attr-defined]
        else:
            self.results_may_have_changed()  # type: ignore[attr-defined]
        self.refresh_git(branches=git_changed)

    # -- git ---------------------------------------------------------------------------

    def refresh_git(self, *, branches: bool = False) -> None:
        if os.environ.get("SDD_TUI_NO_GIT"):
            return
        self._git_generation += 1
        # a branch scan asked for earlier is still owed if a newer plain refresh replaces it
        self._git_branches_due = self._git_branches_due or branches
        self._git_worker(self._git_generation, self._git_branches_due)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="git", exit_on_error=False, description="git")
    def _git_worker(self, generation: int, branches: bool) -> None:
        from sdd_tui.workspace import git as gitmod

        root = self.loaded.root
        info = gitmod.git_info(root)
        stale: set[str] = set()
        feats = self.branch_features
        if info is not None:
            for f in self.loaded.workspace.features:
                if f.layout != "kiro" and gitmod.stale_plan(root, f, info):
                    stale.add(f.id)
            if branches:
                existing = {f.id for f in self.loaded.workspace.features}
                feats = tuple(gitmod.branch_features(root, existing, self.loaded.columns))
        elif branches:
            feats = ()
        self.call_from_thread(  # type: ignore[attr-defined]
            self._apply_git, generation, branches, info, frozenset(stale), feats
        )

    def _apply_git(
        self,
        generation: int,
        branches: bool,
        info: GitInfo | None,
        stale: frozenset[str],
        feats: tuple[Feature, ...],
    ) -> None:
        if generation != self._git_generation:
            return  # an older read finishing late (e.g. from before a branch switch)
        if branches:
            self._git_branches_due = False
        changed = info != self.git or stale != self.stale_plans or feats != self.branch_features
        self.git, self.stale_plans, self.branch_features = info, stale, feats
        if changed:
            self.git_changed()  # type: ignore[attr-defined]

    def all_features(self) -> Workspace:
        """The workspace plus read-only features found only on other branches."""
        ws = self.loaded.workspace
        if not self.branch_features:
            return ws
        return replace(ws, features=ws.features + self.branch_features)

    def git_header(self) -> Text | None:
        info = self.git
        text = Text()
        if info is not None:
            text.append("⎇ ", "dim")
            text.append(safe(info.branch or "detached"), "bold")
            if info.upstream:
                text.append(f" ↑{info.ahead} ↓{info.behind}", "dim")
            if not info.has_commits:
                text.append(" (no commits)", "dim")
        feature_id = getattr(self, "feature_id", None)
        if feature_id in self.stale_plans:
            if text:
                text.append("  ")
            text.append(" plan may be stale ", "bold black on yellow")
        return text or None

    def action_diff(self) -> None:
        path = self.focused_document()  # type: ignore[attr-defined]
        if path is None or self.git is None:
            self.bell()  # type: ignore[attr-defined]
            return
        self._diff_worker(path)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False, description="diff")
    def _diff_worker(self, path: str) -> None:
        from sdd_tui.workspace.git import diff

        text = diff(self.loaded.root, path)
        self.call_from_thread(self.push_screen, DiffScreen(f"{path} vs HEAD", text))  # type: ignore[attr-defined]
