"""Every key of the workbench is listed by ``?`` and has a palette entry that names it."""

from __future__ import annotations

from pathlib import Path

from helpers.ui import make_app

from sdd_tui.ui.screens.help import binding_rows
from sdd_tui.ui.screens.workbench import WorkbenchScreen


async def test_every_workbench_key_is_in_help_and_the_palette(sample: Path) -> None:
    """Each key of the workbench is listed by ``?`` and has a palette entry that names it."""
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        help_keys = {k for _, rows in app.workbench.help_sections() for k, _ in rows}
        palette = " ".join(c.help for c in app.workbench.commands())
    for key, _ in binding_rows(WorkbenchScreen.BINDINGS):
        assert key in help_keys, key
    for binding in WorkbenchScreen.BINDINGS:
        first = binding.key.split(",")[0]
        if first.isdigit():
            assert f"Focus the {binding.action.split(chr(39))[1]} pane" in palette
            continue
        shown = {"slash": "/"}.get(first, first)
        assert f"({shown})" in palette, f"{binding.key} ({binding.action}) not in the palette"
