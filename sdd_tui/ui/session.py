"""The workbench's state, owned in one place.

The session is the only holder and replacer of the snapshot (``loaded``), the test results
and their trace, and the git state.  Every road that changes them runs through one of its
methods — a board operation, a checklist tick, undo and redo, the rest of the workspace read
after the first frame, a change made outside (the watcher), a branch switch, a reload — and
every such road ends in :meth:`Session._take`, which

- bumps the generation, so a read started before it and finishing late is dropped;
- freezes the new snapshot out of the cyclic collector's reach (:mod:`sdd_tui.gcpolicy`);
- announces one :class:`SnapshotChanged` to its listeners (the app publishes it to its
  screens as a Textual ``Signal``).

Edits go through ``operations`` and ``history`` here, so undo covers every edit the UI makes,
and the files an edit wrote are remembered as they are after the write: the watcher's report
of that same write is then not a change.

The session imports no Textual; threads are the UI's business (its workers call
:meth:`read_outside` and hand the result to :meth:`deliver` on the UI thread).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sdd_tui import gcpolicy, operations, workspace
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.operations.linked_results import LinkedResults
from sdd_tui.workspace.snapshot import HISTORY_PATH, Loaded

if TYPE_CHECKING:
    from sdd_tui.operations.board import Change
    from sdd_tui.operations.evidence import Changes, Evidence
    from sdd_tui.workspace.git import GitInfo

StatKey = tuple[int, int, int] | None


@record
class SnapshotChanged:
    """What the last replacement of the snapshot was about."""

    reason: str  # edit | undo | redo | rest | outside | reload | results | git
    workspace_changed: bool = True  # False: same workspace and board (results may differ)
    select: str | None = None  # the task key an edit or undo acted on
    feature: str | None = None  # the feature an undo went back to (it may not be shown)
    message: str | None = None  # what an edit, undo or redo did, for a toast


Listener = Callable[[SnapshotChanged], None]


def stat_key(path: os.PathLike[str] | str) -> StatKey:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


class Session:
    """The snapshot, the test results and the git state of one workbench."""

    def __init__(self, loaded: Loaded) -> None:
        self._loaded = loaded
        self.generation = 0
        self.results = LinkedResults()
        self.git: GitInfo | None = None
        self.stale_plans: frozenset[str] = frozenset()
        self.branch_features: tuple[Feature, ...] = ()
        self.changes: Changes | None = None  # files changed on this branch since its base
        # Features opened read-only from another place (the portfolio's Enter on a branch
        # row): shown ID -> (feature, the commit its documents are read at).
        self.opened: dict[str, tuple[Feature, str | None]] = {}
        self._own_writes: dict[str, StatKey] = {}
        self._pending: set[str] = set()  # reported by the watcher, not yet delivered
        self._ticket = 0  # the newest watcher batch
        self._listeners: list[Listener] = []

    @property
    def loaded(self) -> Loaded:
        return self._loaded

    @property
    def workspace(self) -> Workspace:
        return self._loaded.workspace

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` (on the UI thread) after each replacement of the snapshot."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _announce(self, change: SnapshotChanged) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- the one place the snapshot is replaced ------------------------------------------

    def _take(self, loaded: Loaded, change: SnapshotChanged | None) -> None:
        old = self._loaded
        self._loaded = loaded
        self.generation += 1  # a read still in flight is older than this one
        gcpolicy.freeze_alive()
        if change is None:
            return
        if loaded.workspace == old.workspace and loaded.board == old.board:
            change = replace(change, workspace_changed=False)
        self._announce(change)

    def _read(self, changed: Iterable[str] | None) -> Loaded:
        base = self._loaded
        return workspace.load_root(base.root, previous=base, persist=False, changed=changed)

    def reload(
        self,
        *,
        changed: Iterable[str] | None = None,
        reason: str = "reload",
        select: str | None = None,
        feature: str | None = None,
        message: str | None = None,
    ) -> None:
        """Re-read the workspace on this thread: only ``changed`` paths when the caller
        knows what it wrote (they are remembered as own writes), else every file's stat."""
        if changed is not None:
            changed = list(changed)
            self._note_own_writes(changed)
        loaded = self._read(changed)
        self._take(loaded, SnapshotChanged(reason, True, select, feature, message))

    def complete(self, base: Loaded, loaded: Loaded) -> bool:
        """Take the whole workspace read after the first frame from the partial ``base``;
        False when the snapshot moved on meanwhile (that read was a whole one already)."""
        if self._loaded is not base:
            return False
        self._take(loaded, SnapshotChanged("rest"))
        return True

    # -- changes made outside ------------------------------------------------------------

    def _note_own_writes(self, paths: Iterable[str]) -> None:
        root = self._loaded.root
        for path in paths:
            self._own_writes[path] = stat_key(root / path)

    def outside_change(self, paths: set[str]) -> tuple[int, frozenset[str]] | None:
        """The watcher reported ``paths``: (a ticket, the paths to read now), or None when
        they are all still exactly as the app wrote them (same size, mtime and inode:
        another writer changes one of them).

        Reported paths stay pending until a read of them is delivered, and each read takes
        every pending path: a newer batch supersedes an older read without losing it."""
        root = self._loaded.root
        own = self._own_writes
        news = {p for p in paths if p not in own or own[p] is None or stat_key(root / p) != own[p]}
        if not news:
            return None
        self._pending |= news
        self._ticket += 1
        return self._ticket, frozenset(self._pending)

    def read_outside(self, paths: frozenset[str], ticket: int) -> tuple[Loaded, Loaded] | None:
        """Read ``paths`` once they are stable (call it in a worker thread): (the snapshot
        it started from, the new one), or None when a newer batch superseded it."""
        base = self._loaded
        workspace.wait_until_stable(base.root, set(paths), lambda: ticket != self._ticket)
        if ticket != self._ticket:
            return None
        # "." means "anything": walk the folders again; else only the reported files changed
        changed = None if "." in paths else paths
        loaded = workspace.load_root(base.root, previous=base, persist=False, changed=changed)
        if "." in paths:
            # How every document ends now: a later write that leaves one without its final
            # newline is then judged against this, not taken for a writer cut off mid-line.
            workspace.stability.SEEN.remember(_document_paths(loaded))
        return base, loaded

    def deliver(self, base: Loaded, loaded: Loaded, ticket: int, paths: frozenset[str]) -> bool:
        """Take a snapshot read by :meth:`read_outside`.  False when it must be read again:
        the app re-read files itself meanwhile (after its own write) and this read may
        predate that write — showing it would put moved cards back for a moment."""
        if ticket != self._ticket:
            return True  # a newer read, of these paths too, is on its way
        if self._loaded is not base:
            return False
        self._pending -= paths
        self._take(loaded, SnapshotChanged("outside"))
        return True

    # -- edits ---------------------------------------------------------------------------

    def edit(
        self, operation: Callable[..., Change], *args: object, select: str | None = None
    ) -> Change:
        """Run a board or checklist operation, record it in history and take the new
        snapshot; raises ``OperationError`` (after re-reading what may have changed)."""
        history = operations.history
        try:
            change = history.apply_and_record(self._loaded, operation, *args)
        except history.HistoryNotRecorded as exc:
            self.reload(changed=[*exc.change.files, HISTORY_PATH], reason="edit", select=select)
            raise
        except operations.OperationError:
            self.reload(reason="edit", select=select)
            raise
        self.reload(
            changed=[*change.files, HISTORY_PATH],
            reason="edit",
            select=select,
            message=None if change.noop else change.describe(),
        )
        return change

    def undo(self) -> Change | None:
        return self._history("undo")

    def redo(self) -> Change | None:
        return self._history("redo")

    def _history(self, how: str) -> Change | None:
        """Undo or redo the most recent edit of any kind, whoever made it; None when there
        is nothing to undo (nothing is announced then)."""
        history = operations.history
        # Another process (the CLI, an agent) may have edited since the last read.
        self._take(self._read(None), None)
        try:
            change = history.undo(self._loaded) if how == "undo" else history.redo(self._loaded)
        except operations.OperationError:
            self.reload(reason=how)
            raise
        if change is None:
            return None
        select = change.task if change.op != "tick" else None
        self.reload(
            changed=[*change.files, HISTORY_PATH],
            reason=how,
            select=select,
            feature=change.feature,
            message=f"{how}: {change.describe(how)}",
        )
        return change

    # -- git -----------------------------------------------------------------------------

    def set_git(
        self,
        info: GitInfo | None,
        stale_plans: frozenset[str],
        branch_features: tuple[Feature, ...] | None,
        changes: Changes | None = None,
    ) -> bool:
        """Take what a git read found (``branch_features`` None: not scanned this time);
        True when anything shown changed."""
        feats = self.branch_features if branch_features is None else branch_features
        changed = (
            info != self.git
            or stale_plans != self.stale_plans
            or feats != self.branch_features
            or changes != self.changes
        )
        self.git, self.stale_plans, self.branch_features = info, stale_plans, feats
        self.changes = changes
        return changed

    def unproven(self, feature: Feature | None) -> dict[str, Evidence]:
        """The done tasks of ``feature`` without evidence (``operations.evidence``)."""
        if feature is None:
            return {}
        results = self.results
        have = results.results is not None and bool(results.results.cases)
        return operations.evidence.unproven(feature, results.trace, self.changes, have_results=have)

    def all_features(self) -> Workspace:
        """The workspace plus read-only features found only on other branches, and those
        opened from another place."""
        ws = self._loaded.workspace
        others = self.branch_features + tuple(f for f, _ in self.opened.values())
        if not others:
            return ws
        return replace(ws, features=ws.features + others)

    def open_elsewhere(self, feature: Feature, commit: str | None) -> str:
        """Show ``feature`` as a branch has it (read-only, documents read at ``commit``);
        returns the ID it is shown under: ``<id>@<branch>``, apart from the workspace's own
        feature of that ID."""
        shown = f"{feature.id}@{feature.branch}" if feature.branch else feature.id
        self.opened[shown] = (replace(feature, id=shown, read_only=True), commit)
        return shown

    def revision_of(self, feature: Feature) -> str | None:
        """Where a read-only branch feature's documents are read: a commit, else its branch."""
        opened = self.opened.get(feature.id)
        if opened is not None and opened[1]:
            return opened[1]
        return feature.branch

    def feature(self, feature_id: str | None) -> Feature | None:
        """``feature_id`` in the workspace, else among the other branches' features."""
        if feature_id is None:
            return None
        found = self._loaded.workspace.feature(feature_id)
        if found is None:
            found = next((f for f in self.branch_features if f.id == feature_id), None)
        if found is None and feature_id in self.opened:
            found = self.opened[feature_id][0]
        return found

    def initial_feature(self, wanted: str | None) -> str | None:
        """The feature a board opens on: ``wanted``, else the active one, else the first
        unfinished one, else the first not archived."""
        ws = self._loaded.workspace
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


def _document_paths(loaded: Loaded) -> list[Path]:
    root = loaded.root
    paths: set[str] = set()
    for f in loaded.workspace.features:
        paths.update(p for p in f.documents.values() if p)
        paths.update(f.checklist_files)
    return [root / p for p in sorted(paths)]
