"""Operations on a loaded workspace: board moves, task edits, checklist ticks, answers,
history (undo/redo), checks, traceability.  Each module is imported when first used (see
``sdd_tui.lazy``): the workbench's first frame needs none of them."""

from typing import TYPE_CHECKING

from sdd_tui.lazy import lazy_names

if TYPE_CHECKING:
    from sdd_tui.operations import board as board
    from sdd_tui.operations import clarify as clarify
    from sdd_tui.operations import evidence as evidence
    from sdd_tui.operations import history as history
    from sdd_tui.operations import lanes as lanes
    from sdd_tui.operations import new_feature as new_feature
    from sdd_tui.operations import portfolio as portfolio
    from sdd_tui.operations import review as review
    from sdd_tui.operations import stage as stage
    from sdd_tui.operations import task_edits as task_edits
    from sdd_tui.operations import test_runner as test_runner
    from sdd_tui.operations import trace as trace
    from sdd_tui.operations.boxes import OperationError as OperationError

_MODULES = (
    "board",
    "clarify",
    "evidence",
    "history",
    "lanes",
    "new_feature",
    "portfolio",
    "review",
    "stage",
    "task_edits",
    "test_runner",
    "trace",
)
__getattr__, __dir__ = lazy_names(
    __name__,
    {"OperationError": "boxes"},
    modules=_MODULES,
)
__all__ = ["OperationError", *_MODULES]
