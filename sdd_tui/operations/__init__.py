"""Operations on a loaded workspace: board moves, checklist ticks, history (undo/redo),
checks, traceability.  Each module is imported when first used (see ``sdd_tui.lazy``): the
workbench's first frame needs none of them."""

from typing import TYPE_CHECKING

from sdd_tui.lazy import lazy_names

if TYPE_CHECKING:
    from sdd_tui.operations import (
        board,
        clarify,
        evidence,
        history,
        new_feature,
        review,
        stage,
        task_edits,
        test_runner,
        trace,
    )
    from sdd_tui.operations.boxes import OperationError

__getattr__, __dir__ = lazy_names(
    __name__,
    {"OperationError": "boxes"},
    modules=(
        "board",
        "clarify",
        "evidence",
        "history",
        "new_feature",
        "review",
        "stage",
        "task_edits",
        "test_runner",
        "trace",
    ),
)
__all__ = [
    "OperationError",
    "board",
    "clarify",
    "evidence",
    "history",
    "new_feature",
    "review",
    "stage",
    "task_edits",
    "test_runner",
    "trace",
]
