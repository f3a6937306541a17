"""The workspace model: plain, immutable data with no I/O and no UI.

Parse results are immutable: ``@record`` classes (frozen dataclasses with slots, see
``record``), and NamedTuples for the per-task records a 20,000-task workspace builds on
every load.  Validation belongs at the
edges (config, board state, themes), which use pydantic.
"""

from sdd_tui.model.items import BoxItem, ChecklistItem, Task
from sdd_tui.model.spec import Clarification, Heading, Requirement
from sdd_tui.model.workspace import Feature, Problem, Workspace

__all__ = [
    "BoxItem",
    "ChecklistItem",
    "Clarification",
    "Feature",
    "Heading",
    "Problem",
    "Requirement",
    "Task",
    "Workspace",
]
