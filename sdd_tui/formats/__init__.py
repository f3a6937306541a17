"""Readers and minimal-edit writers for the files of an SDD workspace (no I/O here).

Each module is imported when first used (see ``sdd_tui.lazy``): markdown-it-py and the
parsers are needed only on a parse-cache miss, never by a warm start's first frame."""

from typing import TYPE_CHECKING

from sdd_tui.lazy import lazy_names

if TYPE_CHECKING:
    from sdd_tui.formats import (
        board_state,
        boxes,
        clarifications,
        completeness,
        junit,
        markdown,
        requirements,
        task_grammar,
        tasks,
        test_status,
        text,
    )

__getattr__, __dir__ = lazy_names(
    __name__,
    {},
    modules=(
        "board_state",
        "boxes",
        "clarifications",
        "completeness",
        "junit",
        "markdown",
        "requirements",
        "task_grammar",
        "tasks",
        "test_status",
        "text",
    ),
)
__all__ = [
    "board_state",
    "boxes",
    "clarifications",
    "completeness",
    "junit",
    "markdown",
    "requirements",
    "task_grammar",
    "tasks",
    "test_status",
    "text",
]
