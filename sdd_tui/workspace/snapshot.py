"""``Loaded``: a workspace snapshot plus what it was computed from (caches, board, sources).

Kept apart from ``loader`` so that holding one imports no parser: the workbench's first
frame gets its snapshot from a forked reader (``early_load``) and must not pay for the
parsers' imports before it paints.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd_tui.model.record import record
from sdd_tui.model.source import FeatureSource  # re-exported: it lived here
from sdd_tui.model.workspace import Columns, Feature, Problem, Workspace

if TYPE_CHECKING:
    from sdd_tui.formats.config_view import ConfigView
    from sdd_tui.workspace.documents import DocumentCache
    from sdd_tui.workspace.facts import FactsCache

CONFIG_PATH = ".sdd/config.yaml"
BOARD_PATH = ".sdd/board.json"
HISTORY_PATH = ".sdd/history.jsonl"
DEFAULT_COLUMNS = ("todo", "in_progress", "review", "done")


__all__ = [
    "BOARD_PATH",
    "CONFIG_PATH",
    "DEFAULT_COLUMNS",
    "HISTORY_PATH",
    "FeatureSource",
    "Loaded",
    "WorkspaceError",
]


class WorkspaceError(Exception):
    """The workspace cannot be opened at all (e.g. the path does not exist)."""


@record(frozen=False)
class Loaded:
    """A snapshot plus what it was computed from, for operations and reloads."""

    workspace: Workspace
    root: Path
    board: dict[str, Any]
    board_raw: bytes | None
    config: ConfigView | None
    cache: DocumentCache
    sources: list[FeatureSource]
    facts: FactsCache
    memo: dict[str, tuple[Any, Feature, list[Problem]]] = field(default_factory=dict)
    discovered: list[Problem] = field(default_factory=list)  # what discover() reported

    @property
    def columns(self) -> Columns:
        return Columns(self.workspace.columns)

    @property
    def partial(self) -> bool:
        """Only the features up to the one to show first were read (``load_root(first=…)``):
        discovery found more sources than there are features."""
        return len(self.workspace.features) < len(self.sources)
