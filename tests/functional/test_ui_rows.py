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
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sdd_tui.ui.widgets.rows import Rows, Wrapped

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
    text = Text.assemble(*parts)
    expected = Content.from_rich_text(text).get_height({}, width)
    assert Wrapped(text).get_height({}, width) == expected
    again = Wrapped(text)
    again.get_height({}, width + 7)  # the height is remembered per width, not once
    assert again.get_height({}, width) == expected


def test_a_wrapped_card_follows_the_list_rules() -> None:
    text = Text("a long title that wraps " * 3)
    nowrap = {"text_wrap": "nowrap", "text_overflow": "ellipsis"}
    assert (
        Wrapped(text).get_height(nowrap, 10)
        == 1
        == Content.from_rich_text(text).get_height(nowrap, 10)
    )
    assert Wrapped(text).get_height({}, 10) > 1
