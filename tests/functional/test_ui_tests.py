"""The Tests pane, test runs and the traceability view in the workbench (Pilot).

Covers issue "Test status": the first-run confirmation (remembered in the user config dir,
never in the workspace), a real run of the sample's pytest suite with live output, cancel,
a missing command, failures first and their literal text, card dots and the done-but-failing
flag, test-status.json beside the JUnit results, bad result files and the ``m`` view.
Waiting is always a bounded poll (``wait_for``), never a fixed sleep.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from helpers.files import JUNIT_FIXTURES as FIXTURES
from helpers.ui import card_plain, make_app, screen_text, wait_for

from sdd_tui.ui import preferences

pytestmark = pytest.mark.anyio

SAMPLE_COMMAND = "python -m pytest -q --junitxml=.sdd/results/junit.xml"
SIZE = (160, 48)


@pytest.fixture(autouse=True)
def _quiet(no_watch: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # the sample's command is `python -m pytest`: this interpreter (with pytest) first
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])


def pane(app):  # type: ignore[no-untyped-def]
    from sdd_tui.ui.widgets.tests_pane import TestsPane

    return app.query_one(TestsPane)


def pane_text(app) -> str:  # type: ignore[no-untyped-def]
    p = pane(app)
    status = p.query_one("#tests-status").render()
    summary = p.query_one("#tests-summary").render()
    return f"{getattr(status, 'plain', status)}\n{getattr(summary, 'plain', summary)}"


def case_rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.widgets import OptionList

    cases = pane(app).query_one("#tests-cases", OptionList)
    out = []
    for i in range(cases.option_count):
        prompt = cases.get_option_at_index(i).prompt
        out.append(getattr(prompt, "plain", str(prompt)))
    return out


def set_command(root: Path, command: str | None) -> None:
    text = "columns: [todo, in_progress, review, done]\n"
    if command is not None:
        text += f"tests:\n  command: {json.dumps(command)}\n"
    (root / ".sdd" / "config.yaml").write_text(text, encoding="utf-8")


def failing_results(root: Path) -> None:
    """Results where 001's FR-001 test fails, with colours in its text."""
    (root / ".sdd" / "results" / "junit.xml").write_text(
        """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.test_recipes" name="test_fr_001_create_recipe" time="0.01">
<failure message="AssertionError: [bold]assert[/bold] 1 == 2">def test_fr_001_create_recipe():
&gt;       assert #x1B[31m1 == 2#x1B[0m
E       AssertionError: [@click=app.quit]click me[/]

tests/test_recipes.py:30: AssertionError</failure></testcase>
<testcase classname="tests.test_recipes" name="test_fr_005_share_slug" time="0.01"/>
<testcase classname="tests.test_recipes" name="test_unicode" time="0">
<skipped message="later"/></testcase>
</testsuite></testsuites>
""",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- the pane


async def test_pane_shows_the_recorded_results_and_card_dots(sample: Path) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "13 passed" in pane_text(app), what="results")
        text = pane_text(app)
        assert f"t runs: {SAMPLE_COMMAND}" in text
        assert ".sdd/results/junit.xml" in text
        rows = case_rows(app)
        assert len(rows) == 13 and all(r.startswith("✔ ") for r in rows)
        # 002's T002 names tests/test_planner.py, whose tests pass: a dot on its card
        assert "●" in card_plain(app, "T002").splitlines()[0]
        assert "●" not in card_plain(app, "T001").splitlines()[0]


async def test_failures_first_and_the_full_text_literal(sample: Path) -> None:
    from sdd_tui.ui.screens.failure import FailureScreen

    failing_results(sample)
    app = make_app(sample, feature="001")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "1 failed" in pane_text(app), what="results")
        rows = case_rows(app)
        assert rows[0].startswith("✘ test_fr_001_create_recipe")
        assert "AssertionError: [bold]assert[/bold] 1 == 2" in rows[0]  # message, literal
        assert rows[-1].startswith("✔ ") or rows[-1].startswith("○ ")
        # a done card whose tests fail is flagged
        assert "⚑" in card_plain(app, "T005").splitlines()[0]
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FailureScreen), what="failure")
        shown = screen_text(app)
        assert "[@click=app.quit]click me[/]" in shown  # markup never acts
        assert "assert 1 == 2" in shown and "#x1B" not in shown and "\x1b" not in shown
        assert "links: 001-recipe-sharing/FR-001, 001-recipe-sharing/T005" in shown
        assert "tests/test_recipes.py:30: AssertionError" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, FailureScreen), what="closed")
        assert app.is_running


async def test_test_status_json_beside_the_junit_results(sample: Path) -> None:
    from sdd_tui.ui.screens.failure import TextScreen

    (sample / ".zencoder").mkdir()
    (sample / ".zencoder" / "test-status.json").write_text(
        json.dumps(
            {
                "lastUpdated": "2026-11-20T10:00:00Z",
                "acceptanceCriteria": {
                    "planner_tests": {
                        "requirement": "The planner is tested",
                        "status": "passing",
                        "tests": ["tests/test_planner.py"],
                        "metrics": {"cases": 4},
                    },
                    "shopping": {"requirement": "Shopping list", "status": "in_progress"},
                },
            }
        ),
        encoding="utf-8",
    )
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(case_rows(app)) == 16, what="criteria rows")
        rows = case_rows(app)
        assert rows[13].startswith("Acceptance criteria · .zencoder/test-status.json")
        assert "1 passing, 0 failing, 1 in progress" in rows[13]
        assert rows[14].startswith("✔ planner_tests  The planner is tested")
        assert rows[15].startswith("◐ shopping")
        await pilot.press("4", "end", "up", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), what="criterion")
        shown = screen_text(app)
        assert "cases = 4" in shown
        assert "✔ passed tests.test_planner::test_us1_assign_recipe_to_slot" in shown


async def test_bad_result_files_are_shown_and_the_app_stays_responsive(sample: Path) -> None:
    results = sample / ".sdd" / "results"
    (results / "broken.xml").write_bytes((FIXTURES / "malformed.xml").read_bytes())
    (results / "bomb.xml").write_bytes((FIXTURES / "bomb.xml").read_bytes())
    with open(results / "huge.xml", "wb") as fh:
        fh.seek(100 * 1024 * 1024)
        fh.write(b"x")
    if hasattr(os, "mkfifo"):
        os.mkfifo(results / "pipe.xml")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "13 passed" in pane_text(app), what="results")
        text = pane_text(app)
        assert "⚠ .sdd/results/broken.xml:5: malformed XML" in text
        assert "⚠ .sdd/results/bomb.xml: refused: the XML declares a DTD" in text
        assert "⚠ .sdd/results/huge.xml: results file too large" in text
        if hasattr(os, "mkfifo"):
            assert "⚠ .sdd/results/pipe.xml: not a regular file (FIFO); not opened" in text
        await pilot.press("2")
        await wait_for(pilot, lambda: app.query_one("#pane-spec").has_class("-active"), what="2")


async def test_large_results_are_read_off_the_event_loop(sample: Path) -> None:
    many = "".join(
        f'<testcase classname="tests.test_big" name="test_fr_001_case_{i}" time="0.001">'
        f"<system-out>{'x' * 400}</system-out></testcase>"
        for i in range(6000)
    )
    (sample / ".sdd" / "results" / "junit.xml").write_text(
        f"<testsuites><testsuite name='big'>{many}</testsuite></testsuites>", encoding="utf-8"
    )
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "6000 passed" in pane_text(app), what="results", timeout=30)
        assert len(case_rows(app)) == 6000


# --------------------------------------------------------------------------- running


async def test_confirmation_then_a_real_run_of_the_sample_suite(sample: Path) -> None:
    from sdd_tui.ui.screens.confirm import ConfirmScreen
    from sdd_tui.ui.screens.tests_run import TestRunScreen

    before = (sample / ".sdd/results/junit.xml").read_bytes()
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "13 passed" in pane_text(app), what="results")
        # first time: the exact command is shown and nothing runs on "no"
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        shown = screen_text(app)
        assert f"$ {SAMPLE_COMMAND}" in shown
        assert str(sample) in shown
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="no")
        assert app.workbench.run_state is None
        assert not preferences.is_command_trusted(sample, SAMPLE_COMMAND)
        # yes: it runs, the output streams into the log, the results reload
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TestRunScreen), what="log")
        run = app.workbench.run_state
        await wait_for(pilot, lambda: not run.running, what="the run to end", timeout=120)
        screen = app.screen
        assert isinstance(screen, TestRunScreen)
        await wait_for(pilot, lambda: "13 passed" in screen.log_text, what="output")
        assert "generated xml file" in screen.log_text
        assert "passed · 13 passed, 0 failed" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TestRunScreen), what="close")
        assert "✔ last run: passed · 13 passed, 0 failed, 0 errors, 0 skipped" in pane_text(app)
        assert "pass rate █ 100% (the last run)" in pane_text(app)
        assert (sample / ".sdd/results/junit.xml").read_bytes() != before
        # remembered in the user's config dir, for this workspace and command only
        assert preferences.is_command_trusted(sample, SAMPLE_COMMAND)
        assert not preferences.is_command_trusted(sample, SAMPLE_COMMAND + " -x")
        config_dir = Path(os.environ["SDD_TUI_CONFIG_DIR"])
        assert SAMPLE_COMMAND in (config_dir / "trusted-commands.json").read_text("utf-8")
        assert not any("trusted" in p.name for p in sample.rglob("*"))
        history = (sample / ".sdd/cache/test-runs.jsonl").read_text("utf-8").splitlines()
        assert json.loads(history[-1])["totals"]["passed"] == 13
        # second time: no question
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TestRunScreen), what="log")
        run = app.workbench.run_state
        await wait_for(pilot, lambda: not run.running, what="second run", timeout=120)


async def test_a_changed_command_asks_again(sample: Path) -> None:
    from sdd_tui.ui.screens.confirm import ConfirmScreen

    preferences.trust_command(sample, SAMPLE_COMMAND)
    set_command(sample, SAMPLE_COMMAND + " -x")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        assert f"$ {SAMPLE_COMMAND} -x" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="no")
        assert app.workbench.run_state is None


async def test_cancel_a_command_that_never_ends(sample: Path) -> None:
    from sdd_tui.ui.screens.tests_run import TestRunScreen

    command = "printf '\\033[31mstarted\\033[0m\\n'; sleep 1000"
    set_command(sample, command)
    preferences.trust_command(sample, command)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TestRunScreen), what="log")
        screen = app.screen
        await wait_for(pilot, lambda: "started" in screen.log_text, what="output", timeout=30)
        assert "\x1b" not in screen.log_text and "[31m" not in screen.log_text
        run = app.workbench.run_state
        pid = run.runner.pid
        assert run.running and "● running" in pane_text(app)
        await pilot.press("escape")  # cancels, the view stays to show it
        await wait_for(pilot, lambda: not run.running, what="cancel", timeout=30)
        assert isinstance(app.screen, TestRunScreen)
        assert run.summary.outcome == "cancelled"
        with pytest.raises(ProcessLookupError):
            _signal_live_group(pid)
        await pilot.press("escape")  # now it closes
        await wait_for(pilot, lambda: not isinstance(app.screen, TestRunScreen), what="close")
        assert "■ last run: cancelled" in pane_text(app)
        await pilot.press("1")
        assert app.is_running


async def test_ctrl_c_cancels_and_b_hides_a_run(sample: Path) -> None:
    from sdd_tui.ui.screens.tests_run import TestRunScreen

    command = "echo started; sleep 1000"
    set_command(sample, command)
    preferences.trust_command(sample, command)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TestRunScreen), what="log")
        screen = app.screen
        await wait_for(pilot, lambda: "started" in screen.log_text, what="output", timeout=30)
        await pilot.press("b")  # hide: the run goes on
        await wait_for(pilot, lambda: not isinstance(app.screen, TestRunScreen), what="hidden")
        run = app.workbench.run_state
        assert run.running
        await pilot.press("t")  # shows the log again instead of starting another run
        await wait_for(pilot, lambda: isinstance(app.screen, TestRunScreen), what="log again")
        assert app.workbench.run_state is run
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not run.running, what="cancel", timeout=30)
        assert run.summary.outcome == "cancelled"


async def test_missing_command(sample: Path) -> None:
    set_command(sample, None)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "13 passed" in pane_text(app), what="results")
        assert "t runs tests.command from .sdd/config.yaml (none set)" in pane_text(app)
        await pilot.press("t")
        await wait_for(pilot, lambda: "no test command" in pane_text(app), what="message")
        assert app.workbench.run_state is None
        assert type(app.screen).__name__ == "WorkbenchScreen"


async def test_a_command_the_shell_cannot_find(sample: Path) -> None:
    from sdd_tui.ui.screens.tests_run import TestRunScreen

    command = "sdd-tui-no-such-runner -q"
    set_command(sample, command)
    preferences.trust_command(sample, command)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TestRunScreen), what="log")
        run = app.workbench.run_state
        await wait_for(pilot, lambda: not run.running, what="end", timeout=30)
        assert "could not find the command" in pane_text(app)
        assert "not found" in app.screen.log_text


def _signal_live_group(pgid: int) -> None:
    """Raise ProcessLookupError unless a live (non-zombie) member of ``pgid`` remains."""
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        live = False
        for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
            except OSError:
                continue
            if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
                live = True
                break
        if not live:
            raise ProcessLookupError(pgid)
        time.sleep(0.02)


# --------------------------------------------------------------------------- traceability


async def test_traceability_view(sample: Path) -> None:
    from textual.widgets import DataTable

    from sdd_tui.ui.screens.failure import TextScreen
    from sdd_tui.ui.screens.trace import TraceScreen

    failing_results(sample)
    app = make_app(sample, feature="001")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "1 failed" in pane_text(app), what="results")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen), what="trace")
        screen = app.screen
        table = screen.query_one(DataTable)
        rows = [[getattr(c, "plain", str(c)) for c in table.get_row_at(i)] for i in range(13)]
        by_id = {r[0]: r for r in rows}
        assert list(by_id)[:4] == ["US1", "US2", "US3", "FR-001"]
        assert by_id["FR-001"][1] == "✘ failed" and "⚠ failing" in by_id["FR-001"][4]
        assert by_id["FR-001"][2] == "T005, T006"
        assert by_id["FR-005"][1] == "✔ passed"
        assert by_id["FR-002"][1] == "○ untested" and "⚠ no test" in by_id["FR-002"][4]
        assert "⚠ no task" in by_id["SC-001"][4]
        assert "001-recipe-sharing: every requirement" in screen_text(app)
        await pilot.press("g")  # gaps only
        assert all(r.gaps for r in screen.rows)
        await pilot.press("g", "a")  # every feature's tested requirements
        assert {r.feature for r in screen.rows} == {"001-recipe-sharing"}
        ids = [r.requirement.id for r in screen.rows]
        assert "FR-001" in ids and "FR-005" in ids and "SC-001" not in ids  # linked ones only
        await pilot.press("a", "down", "down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), what="detail")
        shown = screen_text(app)
        assert "001-recipe-sharing/FR-001" in shown
        assert "✘ tests.test_recipes::test_fr_001_create_recipe" in shown
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkbenchScreen", what="closed")


async def test_results_written_by_another_process_update_the_pane(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI or another terminal writes the results: the watcher reloads, the pane follows."""
    monkeypatch.delenv("SDD_TUI_NO_WATCH")
    app = make_app(sample, feature="001")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "13 passed" in pane_text(app), what="results")
        failing_results(sample)
        await wait_for(pilot, lambda: "1 failed" in pane_text(app), what="reload", timeout=20)
        await wait_for(pilot, lambda: "⚑" in card_plain(app, "T005"), what="flag", timeout=5)


async def test_quitting_during_a_run_stops_the_command(sample: Path) -> None:
    from sdd_tui.ui.screens.tests_run import TestRunScreen

    command = "echo started; sleep 1000"
    set_command(sample, command)
    preferences.trust_command(sample, command)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TestRunScreen), what="log")
        screen = app.screen
        await wait_for(pilot, lambda: "started" in screen.log_text, what="output", timeout=30)
        pid = app.workbench.run_state.runner.pid
        app.exit()
    with pytest.raises(ProcessLookupError):
        _signal_live_group(pid)
