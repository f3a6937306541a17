"""Test results read and linked to a snapshot, kept between refreshes.

The workbench's session owns one :class:`LinkedResults`.  It reads the JUnit files and
``test-status.json`` (parsed files cached by their stat, see :mod:`sdd_tui.workspace.results`)
and links the cases to requirements and tasks (:mod:`sdd_tui.operations.trace`).  Reading is
skipped while the result files' fingerprint is unchanged, and linking while the workspace,
the feature and the results are the ones linked last, so a board move re-links one feature at
most.  ``refresh`` may run in a worker thread while the UI thread asks for the current trace:
a lock keeps the two apart.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sdd_tui import workspace
from sdd_tui.model.workspace import Feature, Problem, Workspace

if TYPE_CHECKING:  # the results' modules are imported with the first read, not at start
    from sdd_tui.formats.junit import TestResults
    from sdd_tui.operations.trace import CaseFacts, IndexCache, Trace
    from sdd_tui.workspace.results import ResultsCache, ResultSnapshot
    from sdd_tui.workspace.snapshot import Loaded

SYNC_BYTES = 2 * 1024 * 1024  # changed result files up to this much are read on the spot


class LinkedResults:
    """The results of one workspace and their links into its features."""

    def __init__(self) -> None:
        self._cache: ResultsCache | None = None
        self.snapshot: ResultSnapshot | None = None
        self.trace: Trace | None = None
        self.rates: list[float] = []  # pass rates of the recorded test runs, oldest first
        self.command: str | None = None  # tests.command from the config
        self.root: Path | None = None
        self.globs: list[str] | None = None
        self.failure: str | None = None  # why the last read failed (a bug), for the pane
        self._failed: str | None = None  # fingerprint of results that could not be read
        self._lock = threading.Lock()
        self._linked_for: tuple[Workspace, Feature | None, ResultSnapshot | None] | None = None
        self._full: Trace | None = None
        self._indexes: IndexCache | None = None  # per-feature indexes kept between links
        self._facts: tuple[ResultSnapshot | None, list[CaseFacts]] | None = None

    @property
    def cache(self) -> ResultsCache:
        """Parsed result files by path, reused while their stat holds."""
        if self._cache is None:
            self._cache = workspace.results.ResultsCache()
        return self._cache

    # -- reading -------------------------------------------------------------------------

    def needs_thread(self, loaded: Loaded) -> bool:
        """Reading now would parse more than ``SYNC_BYTES`` of changed files."""
        from sdd_tui.workspace.results import fingerprint, unread_bytes

        self._configure(loaded)
        fp = fingerprint(loaded.root, self.globs)
        if (self.snapshot is not None and self.snapshot.fingerprint == fp) or fp == self._failed:
            return False
        return unread_bytes(loaded.root, self.globs, self.cache) > SYNC_BYTES

    def refresh(self, loaded: Loaded, feature: Feature | None) -> None:
        """Read what changed on disk and link the results into ``feature`` (thread-safe)."""
        from sdd_tui.operations.test_runner import pass_rates, read_history
        from sdd_tui.workspace.results import fingerprint, load_snapshot

        with self._lock:
            self._configure(loaded)
            fp = fingerprint(loaded.root, self.globs)
            unchanged = self.snapshot is not None and self.snapshot.fingerprint == fp
            if not unchanged and fp != self._failed:
                try:
                    self.snapshot = load_snapshot(loaded.root, self.globs, cache=self.cache)
                    self.failure = None
                except Exception as exc:  # a bug: say so in the pane, keep the app going
                    self.failure = f"could not read the test results: {exc}"
                    self._failed = fp  # not again until the files change
            self.rates = pass_rates(read_history(loaded.root))
            self._link(loaded.workspace, feature)

    def _configure(self, loaded: Loaded) -> None:
        config = loaded.config
        self.root = loaded.root
        self.globs = config.tests.junit if config is not None and config.tests.junit else None
        self.command = config.tests.command if config is not None else None

    def _link(self, ws: Workspace, feature: Feature | None) -> None:
        """Link the results into ``feature`` (the one on screen): the board's dots and its
        trace need no more.  Scoping still looks at every feature's tasks, and features the
        loader kept unchanged are not indexed again, so a board move in a 20,000-task
        monorepo re-links one feature, not all of them."""
        from sdd_tui.operations.trace import IndexCache, analyse_cases, build_trace

        if self._indexes is None:
            self._indexes = IndexCache()
        snap = self.snapshot
        done = self._linked_for
        if (
            done is not None
            and (done[0] is ws or done[0] == ws)  # a reload that changed nothing
            and done[1] is feature
            and done[2] is snap
        ):
            return
        cases = snap.results.cases if snap is not None else []
        if self._facts is None or self._facts[0] is not snap:  # new results: read the names
            self._facts = (snap, analyse_cases(cases, ws.root))
        self.trace = build_trace(ws, cases, self._facts[1], only=feature, indexes=self._indexes)
        self._linked_for = (ws, feature, snap)
        self._full = None

    # -- what the UI asks for -------------------------------------------------------------

    @property
    def results(self) -> TestResults | None:
        return self.snapshot.results if self.snapshot is not None else None

    @property
    def problems(self) -> list[Problem]:
        return list(self.snapshot.problems) if self.snapshot is not None else []

    def passing(self) -> bool | None:
        """True when every case passed, False when one failed, None without results."""
        results = self.results
        if results is None or not results.cases:
            return None
        t = results.totals()
        return t["failed"] == 0 and t["errors"] == 0

    def full_trace(self) -> Trace | None:
        """Links into every feature (the traceability view's "all", a test's links)."""
        from sdd_tui.operations.trace import build_trace

        with self._lock:
            if self.trace is None or not self.trace.partial:
                return self.trace
            if self._full is None and self._facts is not None and self._linked_for is not None:
                ws, _feature, snap = self._linked_for
                cases = snap.results.cases if snap is not None else []
                self._full = build_trace(ws, cases, self._facts[1], indexes=self._indexes)
            return self._full

    def task_status(self, feature: Feature | None) -> dict[str, str]:
        """Task key → passed | failed | skipped for the cards of ``feature``."""
        trace = self.trace
        return trace.task_status(feature) if trace is not None else {}
