"""What a newcomer met in the terminal: the header at 80 columns, the outline's headings, one
maximise entry in the palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.ui import make_app, wait_for
from rich.text import Text
from textual.app import App, ComposeResult

from sdd_tui.operations.stage import feature_stage
from sdd_tui.ui.screens.outline import plain
from sdd_tui.ui.widgets.header import WorkbenchHeader
from sdd_tui.workspace.loader import load


class HeaderApp(App[None]):
    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()


@pytest.mark.anyio
@pytest.mark.parametrize("width", [80, 100, 160])
async def test_the_header_keeps_the_branch_and_the_stage_yields(sample: Path, width: int) -> None:
    feature = load(sample).workspace.feature("002-meal-planner")
    assert feature is not None
    branch = Text("⎇ 002-meal-planner-with-a-long-name")
    app = HeaderApp()
    async with app.run_test(size=(width, 5)) as pilot:
        header = app.query_one(WorkbenchHeader)
        header.show("sample", feature, feature_stage(feature), extra=branch)
        await pilot.pause()
        shown = header.render().plain if hasattr(header.render(), "plain") else str(header.render())
        assert "⎇ 002-meal-planner-with-a-long-name" in shown
        assert "…" not in shown
        if width >= 160:
            assert "Specify → " in shown  # the whole flow when there is room
        if width == 80:
            assert "Specify" not in shown and "→" not in shown


def test_outline_headings_without_markup() -> None:
    assert plain("User Scenarios & Testing *(mandatory)*") == "User Scenarios & Testing (mandatory)"
    assert plain("**Bold**, _it_, `code`, ~~gone~~") == "Bold, it, code, gone"
    assert plain("See [the spec](spec.md)") == "See the spec"
    assert plain("snake_case_name and 2 * 3") == "snake_case_name and 2 * 3"


@pytest.mark.anyio
async def test_the_palette_has_one_maximise_entry(sample: Path) -> None:
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.focused is not None, what="focus")
        titles = [c.title for c in app.get_system_commands(app.screen)]
    assert [t for t in titles if "axim" in t] == ["Maximise / restore pane"]


@pytest.mark.anyio
async def test_the_switcher_filters_as_you_type_and_keeps_long_ids_aligned(
    sample: Path,
) -> None:
    from textual.widgets import OptionList

    from sdd_tui.ui.screens.switcher import FeatureSwitcher

    long_id = "2025-11-30-add-recipe-import-from-several-sites"  # 47 characters
    for change in (long_id, "add-tags"):
        folder = sample / "openspec" / "changes" / change
        folder.mkdir(parents=True)
        (folder / "proposal.md").write_text("# Proposal\n\n## Why\n\nBecause.\n")
        (folder / "tasks.md").write_text("## 1. Do\n\n- [ ] 1.1 It\n")
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeatureSwitcher), what="switcher")
        features = app.screen.query_one(OptionList)
        rows = [str(features.get_option_at_index(i).prompt) for i in range(features.option_count)]
        layout_at = {row.index(" openspec ") for row in rows if " openspec " in row}
        assert len(layout_at) == 1  # the layout column lines up, long ID or not
        assert any(long_id[:43] + "…" in row for row in rows)
        await pilot.press(*"meal")
        ids = [features.get_option_at_index(i).id for i in range(features.option_count)]
        assert ids == ["002-meal-planner"]
        await pilot.press("escape")  # clears the filter, stays open
        assert isinstance(app.screen, FeatureSwitcher) and features.option_count >= 5
        await pilot.press(*"open tags", "enter")
        await wait_for(pilot, lambda: app.workbench.feature_id == "add-tags", what="switch")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        (None, "No task list yet."),
        (b"# Tasks\n\nNothing to do yet.\n", "has no task boxes yet"),
        (b"- [ ] T001 \x00 binary\n", "could not be read:"),
    ],
)
async def test_an_empty_board_says_why_and_what_next(
    tmp_path: Path, tasks: bytes | None, expected: str
) -> None:
    from helpers.files import write_tree
    from helpers.ui import screen_text

    files: dict[str, str | bytes] = {"specs/001-x/spec.md": "# Spec\n\n## Requirements\n"}
    if tasks is not None:
        files["specs/001-x/tasks.md"] = tasks
    root = write_tree(tmp_path / "ws", files)
    app = make_app(root)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: expected in screen_text(app), what=expected)


@pytest.mark.anyio
async def test_a_filter_that_hides_every_card_says_so(sample: Path) -> None:
    from helpers.ui import screen_text

    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzzz")
        await wait_for(pilot, lambda: "No card matches “zzzz”" in screen_text(app), what="msg")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "No card matches" not in screen_text(app), what="cleared")


@pytest.mark.anyio
async def test_the_requirements_view_shows_tags_and_withdrawn_requirements(tmp_path: Path) -> None:
    from helpers.files import write_tree
    from helpers.ui import screen_text

    from sdd_tui.ui.screens.requirements import RequirementsScreen

    spec = (
        "# Spec\n\n## Requirements\n\n"
        "- **FR-001**: System MUST list recipes.\n"
        "- **FR-030** [OUT OF SCOPE - MVP]: System MUST sync to the cloud.\n"
        "- ~~**FR-035**: System MUST [NEEDS CLARIFICATION: x]~~ **[DEFERRED]**\n"
    )
    root = write_tree(
        tmp_path / "ws",
        {
            "specs/001-x/spec.md": spec,
            "specs/001-x/tasks.md": "- [ ] T001 List recipes (FR-001)\n",
        },
    )
    app = make_app(root)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RequirementsScreen), what="reqs")
        text = screen_text(app)
        assert "FR-030  OUT OF SCOPE - MVP " in text
        assert "FR-035  withdrawn  [DEFERRED]" in text
        await pilot.press("g")  # gaps only: the withdrawn one is none
        assert "FR-035" not in screen_text(app)


def test_struck_text_is_shown_struck_and_its_marker_is_no_open_question() -> None:
    from sdd_tui.ui.markdown_lines import Palette, inline

    text = inline("- ~~**FR-035**: MUST [NEEDS CLARIFICATION: x]~~ **[DEFERRED]**", Palette())
    assert text.plain == "- **FR-035**: MUST [NEEDS CLARIFICATION: x] [DEFERRED]"
    struck = [s for s in text.spans if "strike" in str(s.style)]
    assert struck and text.plain[struck[0].start : struck[0].end].endswith(
        "[NEEDS CLARIFICATION: x]"
    )
    assert not any(str(s.style) == Palette().clarify for s in text.spans)
