"""The live workspace: follow edits from agents, editors and git while the workbench runs.

A watchfiles worker reports changed paths to the session, which keeps them pending until a
read of them is delivered; a thread worker waits until those files stop changing (an agent
may be half-way through a write, see ``workspace.stability``), reads them (unchanged files
come from the parse cache) and hands the snapshot to the session on the UI thread.  The
watcher announces itself once it listens, and that first announcement re-reads every file's
stat: whatever was written between the first snapshot and the watch being set up is seen.
Git state is read in thread workers too and kept by the session.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from sdd_tui import workspace
from sdd_tui.textsafe import safe
from sdd_tui.ui import screens

if TYPE_CHECKING:
    from sdd_tui.model.workspace import Feature
    from sdd_tui.operations.evidence import Changes
    from sdd_tui.ui.session import Session
    from sdd_tui.workspace.git import GitInfo
    from sdd_tui.workspace.snapshot import Loaded


class LiveWorkspace:
    """Mixin for the workbench screen: the watcher, reads of outside changes, git state."""

    session: Session
    _git_generation = 0
    _git_branches_due = False
    _stop_watch: threading.Event | None = None

    # -- watcher -----------------------------------------------------------------------

    def start_live(self) -> None:
        if not os.environ.get("SDD_TUI_NO_WATCH"):
            self._stop_watch = threading.Event()
            self._watch_loop(self._stop_watch)  # type: ignore[attr-defined]
        self.refresh_git(branches=True)  # SDD_TUI_NO_GIT alone turns git off

    @property
    def watching(self) -> bool:
        return self._stop_watch is not None and not self._stop_watch.is_set()

    def stop_live(self) -> None:
        if self._stop_watch is not None:
            self._stop_watch.set()

    @work(exclusive=True, group="watch", exit_on_error=False, description="watch")
    async def _watch_loop(self, stop: threading.Event) -> None:
        async for batch in workspace.watch_workspace(self.session.loaded.root, stop):
            self.files_changed(batch)

    def files_changed(self, paths: set[str]) -> None:
        """Called with root-relative paths (``.`` = anything) after a change on disk."""
        ticket = self.session.outside_change(paths)
        if ticket is not None:  # else only the app's own write, already re-read
            self._read_outside(*ticket)  # type: ignore[attr-defined]

    @work(thread=True, group="reload", exit_on_error=False, description="reload")
    def _read_outside(self, ticket: int, paths: frozenset[str]) -> None:
        read = self.session.read_outside(paths, ticket)
        if read is not None:
            base, loaded = read
            self.app.call_from_thread(self._deliver, base, loaded, ticket, paths)  # type: ignore[attr-defined]

    def _deliver(self, base: Loaded, loaded: Loaded, ticket: int, paths: frozenset[str]) -> None:
        if not self.session.deliver(base, loaded, ticket, paths):
            self.files_changed(set(paths))  # the app wrote meanwhile: read them again
            return
        if "." in paths or any(p.startswith(".git/") for p in paths):
            self.refresh_git(branches=True)
        else:
            self.refresh_git()

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
        from sdd_tui.layouts import layout_of  # the registry: not before the first frame

        gitmod = workspace.git
        loaded = self.session.loaded
        root = loaded.root
        info = gitmod.git_info(root)
        stale: set[str] = set()
        feats: tuple[Feature, ...] | None = None
        changes = None
        if info is not None:
            from sdd_tui.operations.evidence import branch_changes

            changes = branch_changes(root)
            for f in loaded.workspace.features:
                if layout_of(f).plan_can_go_stale and gitmod.stale_plan(root, f, info):
                    stale.add(f.id)
            if branches:
                existing = {f.id for f in loaded.workspace.features}
                feats = tuple(gitmod.branch_features(root, existing, loaded.columns))
        elif branches:
            feats = ()
        self.app.call_from_thread(  # type: ignore[attr-defined]
            self._apply_git, generation, branches, info, frozenset(stale), feats, changes
        )

    def _apply_git(
        self,
        generation: int,
        branches: bool,
        info: GitInfo | None,
        stale: frozenset[str],
        feats: tuple[Feature, ...] | None,
        changes: Changes | None = None,
    ) -> None:
        if generation != self._git_generation:
            return  # an older read finishing late (e.g. from before a branch switch)
        if branches:
            self._git_branches_due = False
        if self.session.set_git(info, stale, feats, changes):
            self.git_changed()  # type: ignore[attr-defined]

    def git_header(self) -> Text | None:
        info = self.session.git
        text = Text()
        if info is not None:
            text.append("⎇ ", "dim")
            text.append(safe(info.branch or "detached"), "bold")
            if info.upstream:
                text.append(f" ↑{info.ahead} ↓{info.behind}", "dim")
            if not info.has_commits:
                text.append(" (no commits)", "dim")
        feature_id = getattr(self, "feature_id", None)
        if feature_id in self.session.stale_plans:
            if text:
                text.append("  ")
            text.append(" plan may be stale ", "bold black on yellow")
        return text or None

    def action_diff(self) -> None:
        path = self.focused_document()  # type: ignore[attr-defined]
        if path is None or self.session.git is None:
            self.app.bell()  # type: ignore[attr-defined]
            return
        self._diff_worker(path)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False, description="diff")
    def _diff_worker(self, path: str) -> None:
        text = workspace.git.diff(self.session.loaded.root, path)
        self.app.call_from_thread(self.app.push_screen, screens.DiffScreen(f"{path} vs HEAD", text))  # type: ignore[attr-defined]
