"""How the workbench looks: SVG snapshots (pytest-textual-snapshot) of the main screen at
160×48 and 80×24, the help screen, a card detail, the feature switcher and two more themes.

How they are kept deterministic and regenerated: ``conftest.py``.  ``snap_compare`` runs the
app itself with ``asyncio.run``, so these tests are plain ``def``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.ui import make_app

WIDE = (160, 48)
NARROW = (80, 24)


def _until(condition, what: str):  # type: ignore[no-untyped-def]
    """A run_before that waits (bounded) until ``condition(app)`` holds."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from helpers.ui import wait_for

        await wait_for(pilot, lambda: condition(pilot.app), what=what)

    return run_before


def _keys_then(keys: tuple[str, ...], condition, what: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from helpers.ui import wait_for

        await pilot.pause()
        await pilot.press(*keys)
        await wait_for(pilot, lambda: condition(pilot.app), what=what)

    return run_before


def _board_ready(app) -> bool:  # type: ignore[no-untyped-def]
    from helpers.ui import selected

    return selected(app) == ("T007b", "todo")


def test_main_screen_wide(snap_compare, sample: Path) -> None:
    assert snap_compare(
        make_app(sample), terminal_size=WIDE, run_before=_until(_board_ready, "the board")
    )


def test_main_screen_narrow(snap_compare, sample: Path) -> None:
    def ready(app) -> bool:  # type: ignore[no-untyped-def]
        return app.screen.has_class("-narrow") and _board_ready(app)

    assert snap_compare(
        make_app(sample), terminal_size=NARROW, run_before=_until(ready, "the narrow board")
    )


def test_help_screen(snap_compare, sample: Path) -> None:
    from sdd_tui.ui.screens.help import HelpScreen

    assert snap_compare(
        make_app(sample),
        terminal_size=WIDE,
        run_before=_keys_then(
            ("question_mark",), lambda app: isinstance(app.screen, HelpScreen), "help"
        ),
    )


def test_card_detail(snap_compare, sample: Path) -> None:
    from sdd_tui.ui.screens.detail import DetailScreen

    def ready(app) -> bool:  # type: ignore[no-untyped-def]
        return isinstance(app.screen, DetailScreen) and app.screen.task_.key == "T008"

    assert snap_compare(
        make_app(sample),
        terminal_size=WIDE,
        run_before=_keys_then(("l", "l", "enter"), ready, "the detail of T008"),
    )


def test_feature_switcher(snap_compare, sample: Path) -> None:
    from sdd_tui.ui.screens.switcher import FeatureSwitcher

    assert snap_compare(
        make_app(sample),
        terminal_size=WIDE,
        run_before=_keys_then(
            ("f",), lambda app: isinstance(app.screen, FeatureSwitcher), "the switcher"
        ),
    )


@pytest.mark.parametrize("theme", ["sdd-light", "sdd-high-contrast"])
def test_theme(snap_compare, sample: Path, theme: str) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from helpers.ui import wait_for

        await wait_for(pilot, lambda: _board_ready(pilot.app), what="the board")
        assert theme in pilot.app.available_themes
        pilot.app.theme = theme
        await wait_for(pilot, lambda: pilot.app.current_theme.name == theme, what=theme)

    assert snap_compare(make_app(sample), terminal_size=WIDE, run_before=run_before)
