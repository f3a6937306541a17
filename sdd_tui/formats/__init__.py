"""Readers and minimal-edit writers for the files of an SDD workspace (no I/O here).

Each module is imported when first used (see ``sdd_tui.lazy``): markdown-it-py and the
parsers are needed only on a parse-cache miss, never by a warm start's first frame."""

from typing import TYPE_CHECKING

from sdd_tui.lazy import lazy_names

if TYPE_CHECKING:
    from sdd_tui.formats import board_state as board_state
    from sdd_tui.formats import boxes as boxes
    from sdd_tui.formats import clarifications as clarifications
    from sdd_tui.formats import completeness as completeness
    from sdd_tui.formats import junit as junit
    from sdd_tui.formats import markdown as markdown
    from sdd_tui.formats import requirements as requirements
    from sdd_tui.formats import task_grammar as task_grammar
    from sdd_tui.formats import tasks as tasks
    from sdd_tui.formats import test_status as test_status
    from sdd_tui.formats import text as text

_MODULES = (
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
)
__getattr__, __dir__ = lazy_names(
    __name__,
    {},
    modules=_MODULES,
)
__all__ = list(_MODULES)
