"""The workbench's first snapshot, read by a forked process while this one imports the UI.

The first frame waits for two things that do not depend on each other: importing Textual
and the UI, and reading the feature it opens on (importing the loader and the parsers, then
reading).  On two CPUs they run side by side: a child forked before the UI is imported
reads the snapshot and sends it back pickled.  Only the snapshot and what it was read from
travel (with the loader's memo of the features read, so that reading the rest reuses them);
the caches start empty here and fill after the first frame, so this process imports no
parser before it paints.

Trying costs nothing: without ``os.fork``, with other threads running or a single CPU, or
when the child fails in any way, ``result`` reads the workspace here as before.  A workspace
error the child meets is raised here with the same message.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from sdd_tui.workspace import forked
from sdd_tui.workspace.snapshot import Loaded, WorkspaceError

_ERROR, _SNAPSHOT = "error", "snapshot"


class EarlyLoad:
    """``load(path, first=first)``, started now in a child process when that pays."""

    def __init__(self, path: str | None, *, first: str | bool | None) -> None:
        self.path, self.first = path, first
        self._child = forked.Child.start(self._read) if forked.can_fork() else None
        self.forked = self._child is not None

    def result(self) -> Loaded:
        """The snapshot; raises ``WorkspaceError`` when the workspace cannot be opened."""
        if self._child is not None:
            got = self._collect(self._child)
            if isinstance(got, Loaded):
                return got
            if got is not None:
                raise WorkspaceError(got)
        from sdd_tui.workspace.loader import load

        return load(self.path, first=self.first)

    # -- the child ---------------------------------------------------------------------

    def _read(self) -> bytes:
        from sdd_tui.workspace.loader import load

        try:
            loaded = load(self.path, first=self.first)
        except WorkspaceError as exc:
            return pickle.dumps((_ERROR, str(exc)))
        parts = (
            loaded.workspace,
            loaded.root,
            loaded.board,
            loaded.board_raw,
            loaded.config,
            loaded.sources,
            loaded.discovered,
            loaded.facts.store,
            loaded.memo,  # the features read, reused as they are when the rest is read
        )
        return pickle.dumps((_SNAPSHOT, parts), protocol=pickle.HIGHEST_PROTOCOL)

    # -- the parent --------------------------------------------------------------------

    def _collect(self, child: forked.Child) -> Loaded | str | None:
        """The child's snapshot, its error message, or ``None`` when it sent neither."""
        blob = child.result()
        self._child = None
        if not blob:
            return None
        try:
            kind, value = pickle.loads(blob)
            if kind == _ERROR and isinstance(value, str):
                return value
            if kind == _SNAPSHOT:
                return _snapshot(*value)
        except Exception:  # anything unexpected: read it here instead
            return None
        return None


def _snapshot(
    workspace: Any,
    root: Path,
    board: dict[str, Any],
    board_raw: bytes | None,
    config: Any,
    sources: list[Any],
    discovered: list[Any],
    store: Path | None,
    memo: dict[str, Any],
) -> Loaded:
    from sdd_tui.workspace.documents import DocumentCache
    from sdd_tui.workspace.facts import FactsCache

    return Loaded(
        workspace,
        root,
        board,
        board_raw,
        config,
        DocumentCache(),
        sources,
        FactsCache(store),
        memo,
        discovered,
    )
