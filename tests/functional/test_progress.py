"""Progress that doesn't lie (issue 16, item 13): full only when all are done, empty only
when none are, in the board's bars, the CLI's percentages and the pass-rate sparkline."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.cli import main
from sdd_tui.model.progress import filled, fraction_steps, percent
from sdd_tui.operations.test_runner import SPARK, sparkline
from sdd_tui.ui.cards import progress_bar


def cells(bar: object) -> tuple[int, int]:
    text = str(bar)
    return text.count("▰"), text.count("▱")


@pytest.mark.parametrize("width", [1, 2, 3, 10, 12, 16])
@pytest.mark.parametrize("total", [1, 2, 3, 7, 27, 200, 10_001])
def test_full_only_when_all_done_and_empty_only_when_none(width: int, total: int) -> None:
    for done in sorted({0, 1, 2, total // 2, total - 2, total - 1, total} & set(range(total + 1))):
        n = filled(done, total, width)
        assert 0 <= n <= width
        assert (n == width) == (done == total or width == 0), (done, total, width)
        if width > 1:
            assert (n == 0) == (done == 0), (done, total, width)
        full, empty = cells(progress_bar(done, total, width))
        assert (full, full + empty) == (n, width)


def test_the_issue_examples() -> None:
    assert cells(progress_bar(26, 27, 12)) == (11, 1)  # round() drew 12 of 12
    assert cells(progress_bar(27, 27, 12)) == (12, 0)
    assert cells(progress_bar(1, 200, 10)) == (1, 9)  # round() drew 0 of 10
    assert cells(progress_bar(0, 200, 10)) == (0, 10)
    assert str(progress_bar(0, 0, 4)) == "────"  # nothing to do: no bar


def test_bars_grow_with_done() -> None:
    for total in (5, 27, 99):
        got = [filled(d, total, 12) for d in range(total + 1)]
        assert got == sorted(got)


def test_percent_and_sparkline() -> None:
    assert percent(26, 27) == 96
    assert percent(199, 200) == 99  # not "100%" with a task left
    assert percent(1, 200) == 1  # not "0%" with a task done
    assert percent(200, 200) == 100 and percent(0, 200) == 0
    assert fraction_steps(0.999, 7) == 6 and fraction_steps(0.001, 7) == 1
    assert sparkline([1.0, 0.99, 0.01, 0.0]) == SPARK[-1] + SPARK[-2] + SPARK[1] + SPARK[0]


def test_cli_status_percentage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def tasks(done: int, total: int) -> str:
        marks = ["x"] * done + [" "] * (total - done)
        return "# Tasks\n\n" + "".join(f"- [{m}] T{i:03} t\n" for i, m in enumerate(marks, 1))

    write_tree(
        tmp_path,
        {"specs/001-a/tasks.md": tasks(199, 200), "specs/002-b/tasks.md": tasks(1, 200)},
    )
    assert main(["status", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "199/200 99%" in out and "100%" not in out
    assert "1/200 1%" in out  # floor division printed 0% with a task done
