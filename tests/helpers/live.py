"""The running workbench's live machinery, recorded (watcher, conflict, git, stress tests).

The app under test runs its real watcher.  ``Probe`` wraps the app's live hooks on the
instance (``files_changed``, the session's ``deliver``, ``_snapshot_changed``, ``git_changed``) to
record what the watcher reported, what the board showed after every refresh and any error
raised while applying a change (workers run with ``exit_on_error=False``, so such an error
would otherwise only show as a timeout).  ``watcher_ready`` pokes a file until the watcher
reports it, so a test never writes before the watcher listens.  ``Probe.wait`` polls with
``pilot.pause()`` and a timeout — never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIZE = (160, 48)
COLUMNS = ("todo", "in_progress", "review", "done")


@dataclass
class Probe:
    """What the live machinery of one app did, recorded as it happened."""

    app: Any
    batches: list[set[str]] = field(default_factory=list)
    applied: list[int] = field(default_factory=list)  # watcher batches the session took
    refreshes: list[dict[str, list[str]]] = field(default_factory=list)  # board after each
    git_updates: int = 0
    errors: list[BaseException] = field(default_factory=list)

    @classmethod
    def attach(cls, app: Any) -> Probe:
        probe = cls(app)
        bench, session = app.workbench, app.session
        files_changed = bench.files_changed
        deliver = session.deliver
        snapshot_changed = bench._snapshot_changed
        git_changed = bench.git_changed

        def on_files(paths: set[str]) -> None:
            probe.batches.append(set(paths))
            files_changed(paths)

        def on_deliver(base: Any, loaded: Any, ticket: int, paths: Any) -> bool:
            try:
                taken = deliver(base, loaded, ticket, paths)
            except BaseException as exc:
                probe.errors.append(exc)
                raise
            if taken:
                probe.applied.append(ticket)
            return taken

        def on_changed(change: Any) -> None:
            try:
                snapshot_changed(change)
            except BaseException as exc:
                probe.errors.append(exc)
                raise
            if change.reason == "outside" and change.workspace_changed:
                probe.refreshes.append(board_keys(app))

        def on_git() -> None:
            try:
                git_changed()
            except BaseException as exc:
                probe.errors.append(exc)
                raise
            probe.git_updates += 1

        bench.files_changed = on_files
        session.deliver = on_deliver
        bench._snapshot_changed = on_changed
        bench.git_changed = on_git
        return probe

    async def wait(
        self,
        pilot: Any,
        condition: Callable[[], bool],
        *,
        timeout: float = 10.0,
        what: str = "condition",
    ) -> None:
        """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds, or at
        once with the original exception when applying a change on disk raised one."""
        deadline = time.monotonic() + timeout
        while True:
            if self.errors:
                raise AssertionError(f"applying a change raised: {self.errors[0]!r}") from (
                    self.errors[0]
                )
            if condition():
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            # a widget stuck on a failed mount would hold pause() for 30 s
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(pilot.pause(), timeout=min(remaining, 2.0) + 0.05)
            await asyncio.sleep(0.005)

    def seen(self, rel: str, since: int = 0) -> bool:
        """The watcher reported ``rel`` (root-relative, posix) in a batch from ``since`` on."""
        return any(rel in b for b in self.batches[since:])

    def settled(self) -> bool:
        """The newest batch has been reloaded and handed to the UI, or no reload is under
        way (the app re-read its own write itself, and the watcher's report of that write
        is not a change)."""
        ticket = self.app.session._ticket  # the newest watcher batch
        if ticket <= 0:
            return False
        if ticket in self.applied:
            return True
        return not any(w.group == "reload" and not w.is_finished for w in self.app.workers)


def board_keys(app: Any) -> dict[str, list[str]]:
    """Task keys per column, as the board's card lists hold them now."""
    from sdd_tui.ui.widgets.board import CardList

    return {c.column: list(c.keys) for c in app.query(CardList)}


def card_count(app: Any) -> int:
    return sum(len(keys) for keys in board_keys(app).values())


def feature_ids(app: Any) -> set[str]:
    return {f.id for f in app.session.all_features().features}


async def watcher_ready(pilot: Any, probe: Probe, poke: Path, *, timeout: float = 10.0) -> None:
    """Touch ``poke`` until the watcher reports it: from then on no change is missed."""
    rel = poke.relative_to(probe.app.session.loaded.root).as_posix()
    since = len(probe.batches)
    n = 0

    def reported() -> bool:
        nonlocal n
        if probe.seen(rel, since):
            return True
        n += 1
        if n % 5 == 1:
            os.utime(poke)
        return False

    await probe.wait(pilot, reported, timeout=timeout, what=f"the watcher to report {rel}")
    await probe.wait(pilot, probe.settled, timeout=timeout, what="the probe batch to be applied")
