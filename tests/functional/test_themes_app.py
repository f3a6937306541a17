"""Themes in a running app: every bundled and built-in theme registers and switches, a user
theme's colours apply, and a saved theme is the one of the first frame.  (Theme files,
preferences and trusted commands without an app: ``tests/unit/test_themes.py``.)"""

from __future__ import annotations

import asyncio

from helpers.files import SAMPLE
from helpers.themes import GOOD_THEME, ThemedApp, write_user_theme
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widgets import Static

from sdd_tui.resources import user_config_dir
from sdd_tui.ui import preferences as prefs
from sdd_tui.ui.themes import bundled_themes, register_all


def test_bundled_themes_register_and_switch_without_crash() -> None:
    app = ThemedApp()
    messages = register_all(app)
    assert messages == []
    themes, _ = bundled_themes()

    async def run() -> None:
        async with app.run_test() as pilot:
            for name in [*(theme.name for theme in themes), *BUILTIN_THEMES]:
                app.theme = name
                await pilot.pause()
                assert app.current_theme.name == name
                assert app.theme_variables["sdd-card-background"]
            app.theme = "sdd-dark"
            await pilot.pause()
            story = app.query_one("#v3", Static).styles.color
            assert story == Color.parse(app.current_theme.variables["sdd-badge-story"])

    asyncio.run(run())


def test_user_theme_applies() -> None:
    write_user_theme(user_config_dir(), "good.yaml", GOOD_THEME)
    app = ThemedApp()
    register_all(app)

    async def run() -> None:
        async with app.run_test() as pilot:
            app.theme = "my-theme"
            await pilot.pause()
            assert app.query_one("#v3", Static).styles.color == Color.parse("#ffcc00")

    asyncio.run(run())


def test_a_saved_light_theme_is_there_from_the_first_frame() -> None:
    """The start theme is chosen without Textual's theme watcher (which would parse all the
    CSS a second time before the first frame): the stylesheet, the classes and the colours
    must be the theme's all the same."""
    from sdd_tui.ui.app import SddApp
    from sdd_tui.workspace.loader import load

    sample = SAMPLE
    prefs.save_theme("sdd-light")
    app = SddApp(load(sample))
    assert app.theme == "sdd-light"

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            theme = app.current_theme
            assert not theme.dark
            assert app.has_class("-light-mode") and not app.has_class("-dark-mode")
            assert app.stylesheet._variables == app.get_css_variables()
            assert app.screen.styles.background == Color.parse(theme.background or "")

    asyncio.run(run())
