"""The workbench's screens.  Each is imported when first used (see ``sdd_tui.lazy``): the
first frame needs only the workbench itself."""

from typing import TYPE_CHECKING

from sdd_tui.lazy import lazy_names

if TYPE_CHECKING:
    from sdd_tui.ui.screens.activity import ActivityScreen
    from sdd_tui.ui.screens.answer import AnswerScreen, TextInputScreen
    from sdd_tui.ui.screens.confirm import ConfirmScreen, run_command_question
    from sdd_tui.ui.screens.detail import DetailScreen
    from sdd_tui.ui.screens.diff import DiffScreen
    from sdd_tui.ui.screens.failure import FailureScreen, TextScreen, criterion_text
    from sdd_tui.ui.screens.help import HelpScreen, binding_rows
    from sdd_tui.ui.screens.lanes import LanesScreen
    from sdd_tui.ui.screens.outline import OutlineScreen, open_outline
    from sdd_tui.ui.screens.portfolio import PortfolioScreen
    from sdd_tui.ui.screens.problems import ProblemsScreen
    from sdd_tui.ui.screens.progress import ProgressScreen
    from sdd_tui.ui.screens.requirements import RequirementsScreen
    from sdd_tui.ui.screens.review import ReviewScreen
    from sdd_tui.ui.screens.switcher import FeatureSwitcher
    from sdd_tui.ui.screens.tests_run import TestRunScreen
    from sdd_tui.ui.screens.trace import TraceScreen

__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "ActivityScreen": "activity",
        "AnswerScreen": "answer",
        "TextInputScreen": "answer",
        "ConfirmScreen": "confirm",
        "run_command_question": "confirm",
        "DetailScreen": "detail",
        "DiffScreen": "diff",
        "FailureScreen": "failure",
        "TextScreen": "failure",
        "criterion_text": "failure",
        "HelpScreen": "help",
        "binding_rows": "help",
        "LanesScreen": "lanes",
        "OutlineScreen": "outline",
        "open_outline": "outline",
        "PortfolioScreen": "portfolio",
        "ProblemsScreen": "problems",
        "ProgressScreen": "progress",
        "RequirementsScreen": "requirements",
        "ReviewScreen": "review",
        "FeatureSwitcher": "switcher",
        "TestRunScreen": "tests_run",
        "TraceScreen": "trace",
    },
)
__all__ = [
    "ActivityScreen",
    "AnswerScreen",
    "ConfirmScreen",
    "DetailScreen",
    "DiffScreen",
    "FailureScreen",
    "FeatureSwitcher",
    "HelpScreen",
    "LanesScreen",
    "OutlineScreen",
    "PortfolioScreen",
    "ProblemsScreen",
    "ProgressScreen",
    "RequirementsScreen",
    "ReviewScreen",
    "TestRunScreen",
    "TextInputScreen",
    "TextScreen",
    "TraceScreen",
    "binding_rows",
    "criterion_text",
    "open_outline",
    "run_command_question",
]
