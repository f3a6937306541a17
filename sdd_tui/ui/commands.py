"""Command palette entries: switch feature, switch theme, reload, panes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from sdd_tui.ui.app import SddApp


def workbench_commands(app: SddApp) -> Iterator[SystemCommand]:
    ws = app.loaded.workspace
    for f in ws.features:
        label = f"Feature: {safe(f.id)}"
        help_text = f"{f.layout}, {f.done_count}/{len(f.tasks)} tasks" + (
            ", archived" if f.archived else ""
        )
        yield SystemCommand(label, help_text, lambda fid=f.id: app.switch_feature(fid))
    yield SystemCommand("Switch feature…", "Open the feature switcher", app.action_switch_feature)
    for name in sorted(app.available_themes):
        yield SystemCommand(
            f"Theme: {name}", "Switch the colour theme", lambda n=name: setattr(app, "theme", n)
        )
    yield SystemCommand("Reload workspace", "Re-read every file from disk", app.action_reload)
    yield SystemCommand(
        "Review spec (checklists, clarifications)",
        "Tick checklist items, resolve clarifications, check spec sections (c)",
        app.action_review,
    )
    yield SystemCommand(
        "Requirements",
        "Each requirement with its tasks and test status (r)",
        app.action_requirements,
    )
    yield SystemCommand(
        "Maximise / restore pane", "Toggle the focused pane full screen", app.action_toggle_maximize
    )
    for i, pane in enumerate(("board", "spec", "plan", "tests"), 1):
        yield SystemCommand(
            f"Show pane {i}: {pane}", f"Focus the {pane} pane", lambda p=pane: app.action_pane(p)
        )
