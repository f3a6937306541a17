"""The workbench's widgets.  The panes that mount after the first frame are imported when
first used (see ``sdd_tui.lazy``)."""

from typing import TYPE_CHECKING

from sdd_tui.lazy import lazy_names

if TYPE_CHECKING:
    from sdd_tui.ui.widgets import tests_pane
    from sdd_tui.ui.widgets.doc_pane import DocPane
    from sdd_tui.ui.widgets.tests_pane import TestsPane, case_matches_file, case_options

__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "DocPane": "doc_pane",
        "TestsPane": "tests_pane",
        "case_matches_file": "tests_pane",
        "case_options": "tests_pane",
    },
    modules=("tests_pane",),
)
__all__ = ["DocPane", "TestsPane", "case_matches_file", "case_options", "tests_pane"]
