"""List prompts measured cheaply.  Test-case rows: their height is known without measuring,
and a long line is cut, not wrapped (the tests pane of a 20,000-task workspace lists ~6,000
cases).  Board cards: their height, counted from the plain text, is the one ``Content`` wraps
them to."""

from __future__ import annotations

import pytest
from helpers.examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.style import Style
from textual.visual import RenderOptions
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sdd_tui.ui.widgets.rows import Rows, Wrapped, break_spans

pytestmark = pytest.mark.anyio


class _List(App[None]):
    def __init__(self, options: list[Option]) -> None:
        super().__init__()
        self.options = options

    def compose(self) -> ComposeResult:
        yield OptionList(*self.options)


def test_height_is_one_row_per_line_at_any_width() -> None:
    rows = Rows(Text("✘ test_something_long " * 10 + "\n  AssertionError: [bold]x[/]"))
    assert rows.get_height({}, 10) == 2
    assert rows.get_height({}, 500) == 2
    assert rows.plain.startswith("✘ test_something_long")


async def test_a_long_case_is_cut_with_an_ellipsis_and_markup_stays_text() -> None:
    long = "✘ test_" + "x" * 200
    app = _List([Option(Rows(Text(long)), id="a"), Option(Rows(Text("✔ [b]ok[/b]")), id="b")])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        lines = [s.text for s in app.screen._compositor.render_strips()]
        first = next(line for line in lines if "test_x" in line)
        assert "x… " in first  # cut at the width, inside the border
        assert not any("xxx" in line for line in lines[lines.index(first) + 1 :])
        assert any("✔ [b]ok[/b]" in line for line in lines)
        options = app.query_one(OptionList)
        assert options._lines[:2] == [(0, 0), (1, 0)]  # one row each, measured from the Rows


# --------------------------------------------------------------------------- board cards

_PIECES = st.sampled_from([*"ab xyz-_/.()\n\t界🙂é", "  ", "word ", "\n\n"])
_CHUNKS = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=examples(150, 400), deadline=None)
@given(
    parts=st.lists(st.tuples(_CHUNKS, st.sampled_from(["", "bold", "dim"]))),
    width=st.integers(min_value=1, max_value=60),
)
def test_a_wrapped_card_is_exactly_as_tall_as_its_content(parts, width) -> None:  # type: ignore[no-untyped-def]
    """The height counted from the plain text is the number of lines drawn; no line is
    wider than the list; nothing but the spaces at a break is lost, nothing reordered."""
    text = Text.assemble(*parts)
    card = Wrapped(text)
    height = card.get_height({}, width)
    strips = card.render_strips(width, None, Style(), RenderOptions(lambda _: Style(), {}))
    assert len(strips) == height
    assert all(strip.cell_length <= width for strip in strips)
    if width < 2:
        return  # a wide character cannot be drawn one cell wide at all
    drawn = "".join(strip.text for strip in strips)
    expected = text.plain.expandtabs(8) if "\t" in text.plain else text.plain
    assert drawn.replace(" ", "") == expected.replace(" ", "").replace("\n", "")
    again = Wrapped(text)
    again.get_height({}, width + 7)  # the height is remembered per width, not once
    assert again.get_height({}, width) == height


def test_a_card_wraps_at_spaces_then_after_path_separators() -> None:
    def lines(text: str, width: int) -> list[str]:
        return [text[s:e].rstrip() for s, e in break_spans(text, width)]

    title = "Implement slot removal in recipebox/planner.py (FR-003)"
    assert lines(title, 20) == ["Implement slot", "removal in", "recipebox/planner.py", "(FR-003)"]
    assert lines(title, 17) == [
        "Implement slot",
        "removal in",
        "recipebox/",
        "planner.py",
        "(FR-003)",
    ]
    assert lines("Create a module in tests/test_planner.py", 20) == [
        "Create a module in",
        "tests/",
        "test_planner.py",
    ]
    # what is left of a line is used when a break fits there
    assert lines("see recipebox/planner.py", 19) == ["see recipebox/", "planner.py"]
    assert lines("one clear_day_and_night.py", 14) == ["one clear_day_", "and_night.py"]
    assert lines("averyveryverylongword here", 10) == ["averyveryv", "erylongwor", "d here"]


def test_a_wrapped_card_follows_the_list_rules() -> None:
    text = Text("a long title that wraps " * 3)
    nowrap = {"text_wrap": "nowrap", "text_overflow": "ellipsis"}
    assert (
        Wrapped(text).get_height(nowrap, 10)
        == 1
        == Content.from_rich_text(text).get_height(nowrap, 10)
    )
    assert Wrapped(text).get_height({}, 10) > 1
