"""Command palette entries: switch feature, switch theme, reload, panes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from sdd_tui.ui.screens.workbench import WorkbenchScreen


def workbench_commands(bench: WorkbenchScreen) -> Iterator[SystemCommand]:
    app = bench.app
    ws = bench.loaded.workspace
    for f in ws.features:
        label = f"Feature: {safe(f.id)}"
        help_text = f"{f.layout}, {f.done_count}/{len(f.tasks)} tasks" + (
            ", archived" if f.archived else ""
        )
        yield SystemCommand(label, help_text, lambda fid=f.id: bench.switch_feature(fid))
    yield SystemCommand(
        "Switch feature…", "Open the feature switcher (f)", bench.action_switch_feature
    )
    yield SystemCommand(
        "New feature…",
        "Start a feature from templates, as sdd-tui new does",
        bench.action_new_feature,
    )
    for name in sorted(app.available_themes):
        yield SystemCommand(
            f"Theme: {name}", "Switch the colour theme", lambda n=name: setattr(app, "theme", n)
        )
    yield SystemCommand(
        "Reload workspace", "Re-read every file from disk (ctrl+r)", bench.action_reload
    )
    yield SystemCommand(
        "Review spec (checklists, clarifications)",
        "Tick checklist items, resolve clarifications, check spec sections (c)",
        bench.action_review,
    )
    yield SystemCommand(
        "Requirements",
        "Each requirement with its tasks and test status (r)",
        bench.action_requirements,
    )
    yield SystemCommand(
        "Traceability", "Requirement → tasks → tests, with the gaps (m)", bench.action_trace
    )
    yield SystemCommand(
        "Run the tests", "Run tests.command from .sdd/config.yaml (t)", bench.action_run_tests
    )
    yield SystemCommand(
        "Lanes",
        "Waves of tasks that can run side by side, the critical path (w)",
        bench.action_lanes,
    )
    yield SystemCommand(
        "Problems", "Every file that could not be read, and why (p)", bench.action_problems
    )
    yield SystemCommand(
        "Portfolio",
        "Every feature on every branch and worktree, side by side (P)",
        bench.action_portfolio,
    )
    yield SystemCommand(
        "Progress: burn-up and cycle time",
        "Done and scope over time from git, cycle times, a forecast (B)",
        bench.action_progress,
    )
    yield SystemCommand(
        "Activity",
        "Who moved which task where, commit by commit; agents marked (i)",
        bench.action_activity,
    )
    yield from _task_edit_commands(bench)
    yield SystemCommand(
        "Undo", "Undo the last edit: a move, a tick, an added task (u)", bench.action_undo
    )
    yield SystemCommand("Redo", "Redo the last undone edit (U)", bench.action_redo)
    yield SystemCommand(
        "Filter cards", "Show only the cards matching a text (/)", bench.action_filter
    )
    yield SystemCommand(
        "Diff against HEAD", "The focused document's changes since HEAD (d)", bench.action_diff
    )
    yield SystemCommand(
        "Maximise / restore pane",
        "Toggle the focused pane full screen (f10)",
        bench.action_toggle_maximize,
    )
    for i, pane in enumerate(("board", "spec", "plan", "tests"), 1):
        yield SystemCommand(
            f"Show pane {i}: {pane}", f"Focus the {pane} pane", lambda p=pane: bench.action_pane(p)
        )


def _task_edit_commands(bench: WorkbenchScreen) -> Iterator[SystemCommand]:
    """Writing tasks: the board's keys, on the focused column and the selected card."""
    from sdd_tui.ui.widgets.board import BoardView

    board = bench.query_one(BoardView)
    for label, help_text, action in (
        ("Add a task", "Add a card to the focused column (a)", board.action_add),
        ("Add a task below", "Add a card below the selected one (A)", board.action_add_below),
        ("Rename the task", "Change the selected card's title (R, f2)", board.action_rename),
        ("Remove the task", "Remove the selected card's task (x)", board.action_remove),
        ("Split the task", "Split the selected task into sub-tasks (s)", board.action_split),
    ):
        yield SystemCommand(label, help_text, action)
