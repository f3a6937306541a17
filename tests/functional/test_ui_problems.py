"""The Problems view (``p``): every problem of every feature, live, each showing its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.ui import make_app, screen_text, wait_for

pytestmark = pytest.mark.anyio

SIZE = (160, 48)
SPEC3 = Path("specs") / "003-nutrition-labels" / "spec.md"
SPEC2 = Path("specs") / "002-meal-planner" / "spec.md"


def break_files(root: Path) -> None:
    (root / SPEC3).write_bytes(b"# Spec\x00binary")  # a binary file: not read
    (root / ".sdd" / "config.yaml").write_text("columns: [unclosed\n", encoding="utf-8")


async def test_every_problem_is_listed_and_the_list_follows_the_disk(sample: Path) -> None:
    from sdd_tui.ui.screens.problems import ProblemsScreen

    break_files(sample)
    app = make_app(sample, feature="001-recipe-sharing")  # the broken spec is another feature's
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen), what="problems")
        text = screen_text(app)
        assert "⚠ 2 problems" in text
        assert "003-nutrition-labels" in text and "binary file" in text
        assert ".sdd/config.yaml" in text
        # fixed on disk while the view is open: it leaves the list
        (sample / SPEC3).write_text("# Spec\n\nFine again.\n", encoding="utf-8")
        app.workbench.files_changed({SPEC3.as_posix()})
        await wait_for(pilot, lambda: "⚠ 1 problem" in screen_text(app), what="one left")
        assert "binary file" not in screen_text(app)


async def test_enter_shows_the_file_in_its_features_pane(sample: Path) -> None:
    from sdd_tui.ui.screens.problems import ProblemsScreen
    from sdd_tui.ui.widgets.doc_pane import DocPane

    (sample / SPEC2).write_bytes(b"# Spec\x00 binary\n")
    app = make_app(sample, feature="001-recipe-sharing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen), what="problems")
        rows = [o.id for o in app.screen.query_one("OptionList")._options if o.id]
        assert rows, "the binary spec is a problem"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ProblemsScreen), what="closed")
        assert app.workbench.feature_id == "002-meal-planner"  # the feature that holds it
        spec = app.query_one("#spec", DocPane)
        assert spec.current == SPEC2.as_posix()
        assert app.query_one("#pane-spec").has_class("-active")


async def test_no_problems_says_so(sample: Path) -> None:
    from sdd_tui.ui.screens.problems import ProblemsScreen

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen), what="problems")
        assert "No problems: every file was read." in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ProblemsScreen), what="closed")


async def test_the_start_toast_counts_every_features_problems(sample: Path) -> None:
    from sdd_tui.ui.app import SddApp
    from sdd_tui.workspace.loader import load

    break_files(sample)
    partial = load(sample, first="001-recipe-sharing")
    assert partial.partial  # the first frame had only 001's problems
    app = SddApp(partial, feature="001-recipe-sharing")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.session.loaded.partial, what="the rest")
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any(n.startswith("2 problem(s) while loading") for n in notes), notes
