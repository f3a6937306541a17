"""The test runner: async subprocess in its own process group, live output with escape
sequences stripped, cancel, missing/broken commands, and the run history (issue "Test
status", Run and Bad input)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import pytest

from sdd_tui.operations.test_runner import (
    HISTORY_PATH,
    NoCommand,
    OutputCleaner,
    RunResult,
    RunSummary,
    TestRunner,
    append_history,
    clean_line,
    pass_rates,
    read_history,
    require_command,
    sparkline,
    summarize,
)
from sdd_tui.workspace.results import fingerprint

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")

PY = sys.executable


def py(code: str) -> str:
    """A shell command running ``code`` with this interpreter."""
    return f"{PY} -c '{code}'"


def group_alive(pgid: int) -> bool:
    """Whether a live (not zombie) process of group ``pgid`` remains.

    ``killpg(pgid, 0)`` also counts zombies, which a container's init may never reap.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def group_ends(pgid: int, timeout: float = 10.0) -> bool:
    """Poll until the group has no live member (a killed process takes a moment to go)."""
    deadline = time.monotonic() + timeout
    while group_alive(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


async def run_collect(root: Path, command: str) -> tuple[RunResult, list[str]]:
    lines: list[str] = []
    runner = TestRunner(root, command, on_output=lines.extend)
    result = await runner.run()
    return result, lines


# --------------------------------------------------------------------------- output


def test_cleaner_joins_chunks_and_splits_lines() -> None:
    cleaner = OutputCleaner()
    out = cleaner.feed(b"one\ntw")
    out += cleaner.feed(b"o\n\xe2\x9c")  # a UTF-8 character cut between two reads
    out += cleaner.feed(b"\x94 three")
    out += cleaner.flush()
    assert out == ["one", "two", "✔ three"]


def test_cleaner_strips_escape_sequences_and_progress_redraws() -> None:
    cleaner = OutputCleaner()
    out = cleaner.feed(
        b"\x1b[32m.....\x1b[0m [100%]\n"
        b"\x1b]0;pytest\x07\x1b[?25lrunning 1/3\rrunning 2/3\rrunning 3/3\r\n"
        b"\x1b[2J\x1b[Hcleared\n"
        b"bad \xff byte\n"
    )
    assert out == [".....  [100%]".replace("  ", " "), "running 3/3", "cleared", "bad \ufffd byte"]


def test_cleaner_cuts_endless_lines() -> None:
    cleaner = OutputCleaner()
    out = cleaner.feed(b"x" * 40_000)
    assert out and all(len(line) < 4100 for line in out)
    assert out[0].endswith("more characters)")
    assert clean_line("a" * 10) == "a" * 10


# --------------------------------------------------------------------------- running


def test_runs_in_the_root_and_streams_output(tmp_path: Path) -> None:
    (tmp_path / "marker.txt").write_text("here", encoding="utf-8")
    result, lines = asyncio.run(
        run_collect(tmp_path, py('import os; print(open("marker.txt").read()); print(1)'))
    )
    assert result.ok and result.returncode == 0 and not result.cancelled
    assert lines == ["here", "1"]
    assert result.error is None


def test_stderr_is_merged_and_exit_code_kept(tmp_path: Path) -> None:
    result, lines = asyncio.run(
        run_collect(
            tmp_path, py('import sys; print("out"); sys.stderr.write("err\\n"); sys.exit(3)')
        )
    )
    assert result.returncode == 3 and not result.ok and result.error is None
    assert sorted(lines) == ["err", "out"]


def test_stdin_is_closed(tmp_path: Path) -> None:
    result, lines = asyncio.run(
        run_collect(tmp_path, py("import sys; print(repr(sys.stdin.read()))"))
    )
    assert result.ok and lines == ["''"]


def test_missing_command_is_reported(tmp_path: Path) -> None:
    result, lines = asyncio.run(run_collect(tmp_path, "sdd-tui-no-such-command-xyz --flag"))
    assert result.returncode == 127
    assert result.error == "the shell could not find the command (exit 127)"
    assert any("not found" in line for line in lines)
    summary = RunSummary(result, None, False)
    assert summary.outcome == "error"
    assert "could not find the command" in summary.line()


def test_unstartable_command(tmp_path: Path) -> None:
    result = asyncio.run(TestRunner(tmp_path / "gone", "true").run())
    assert result.error is not None and result.error.startswith("cannot start the command")
    assert RunSummary(result, None, False).outcome == "error"


@pytest.mark.parametrize("command", [None, "", "   ", "a\0b"])
def test_require_command(command: str | None) -> None:
    with pytest.raises(NoCommand):
        require_command(command)
    assert require_command("pytest -q") == "pytest -q"


def test_output_full_of_escape_sequences(tmp_path: Path) -> None:
    noisy = py(
        "import sys; w = sys.stdout.write; "
        '[w("\\x1b[3%dmline %d\\x1b[0m\\x1b]0;t\\x07\\n" % (i % 8, i)) for i in range(500)]'
    )
    result, lines = asyncio.run(run_collect(tmp_path, noisy))
    assert result.ok
    assert lines == [f"line {i}" for i in range(500)]


def test_a_flood_of_output_completes(tmp_path: Path) -> None:
    result, lines = asyncio.run(
        run_collect(tmp_path, py('import sys; sys.stdout.write("y\\n" * 200000)'))
    )
    assert result.ok and len(lines) == 200_000


def test_cancel_kills_the_whole_process_group(tmp_path: Path) -> None:
    async def scenario() -> tuple[RunResult, int, list[str]]:
        started = asyncio.Event()
        lines: list[str] = []

        def output(new: list[str]) -> None:
            lines.extend(new)
            started.set()

        # a background grandchild and a foreground sleep that never end on their own
        runner = TestRunner(
            tmp_path, "sleep 1000 & echo started; sleep 1000", on_output=output, grace=1.0
        )
        task = asyncio.ensure_future(runner.run())
        await asyncio.wait_for(started.wait(), 30)
        assert runner.running and runner.pid is not None
        assert group_alive(runner.pid)
        runner.cancel()
        result = await asyncio.wait_for(task, 30)
        return result, runner.pid, lines

    result, pgid, lines = asyncio.run(scenario())
    assert result.cancelled and not result.ok
    assert lines == ["started"]
    assert group_ends(pgid)
    summary = RunSummary(result, None, False)
    assert summary.outcome == "cancelled"
    assert "process group stopped" in summary.line()


def test_a_command_ignoring_sigterm_is_killed(tmp_path: Path) -> None:
    async def scenario() -> tuple[RunResult, int]:
        started = asyncio.Event()
        runner = TestRunner(
            tmp_path,
            py(
                "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                'print("ready", flush=True); time.sleep(1000)'
            ),
            on_output=lambda _lines: started.set(),
            grace=0.2,
        )
        task = asyncio.ensure_future(runner.run())
        await asyncio.wait_for(started.wait(), 30)
        runner.cancel()
        result = await asyncio.wait_for(task, 30)
        assert runner.pid is not None
        return result, runner.pid

    result, pgid = asyncio.run(scenario())
    assert result.cancelled and result.returncode is not None and result.returncode < 0
    assert group_ends(pgid)


def test_cancelling_the_awaiting_task_stops_the_group(tmp_path: Path) -> None:
    """ctrl+c in ``sdd-tui tests --run`` or quitting the app cancels the awaiting task."""

    async def scenario() -> int:
        started = asyncio.Event()
        runner = TestRunner(
            tmp_path, "echo go; sleep 1000", on_output=lambda _l: started.set(), grace=1.0
        )
        task = asyncio.ensure_future(runner.run())
        await asyncio.wait_for(started.wait(), 30)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert runner.pid is not None
        return runner.pid

    pgid = asyncio.run(scenario())
    assert group_ends(pgid)


def test_a_background_child_holding_the_pipe_does_not_hang_the_run(tmp_path: Path) -> None:
    async def scenario() -> tuple[RunResult, int | None]:
        runner = TestRunner(tmp_path, "sleep 1000 & echo done", drain=0.5)
        result = await asyncio.wait_for(runner.run(), 60)
        return result, runner.pid

    result, pgid = asyncio.run(scenario())
    assert result.returncode == 0 and not result.cancelled
    assert pgid is not None and group_ends(pgid)


# --------------------------------------------------------------------------- summary, history


def _result(code: int | None = 0, *, cancelled: bool = False) -> RunResult:
    return RunResult("pytest", code, cancelled, 1.5, "2026-01-01T00:00:00+00:00")


def test_summary_outcomes() -> None:
    t = {"passed": 3, "failed": 1, "errors": 0, "skipped": 1}
    assert RunSummary(_result(1), t, True).outcome == "failed"
    assert RunSummary(_result(0), t, True).outcome == "failed"  # results say so
    ok = {"passed": 3, "failed": 0, "errors": 0, "skipped": 1}
    passed = RunSummary(_result(0), ok, True)
    assert passed.outcome == "passed" and passed.pass_rate == 1.0
    assert passed.line() == "passed · 3 passed, 0 failed, 0 errors, 1 skipped · 1.5 s"
    assert RunSummary(_result(0), None, False).line() == "passed · no new results written · 1.5 s"
    assert RunSummary(_result(None, cancelled=True), None, False).outcome == "cancelled"
    assert RunSummary(_result(2), t, True).line().startswith("failed · exit 2 · 3 passed")


def test_summarize_reads_only_fresh_results(tmp_path: Path) -> None:
    (tmp_path / "junit.xml").write_bytes(b'<testsuite><testcase name="a"/></testsuite>')
    before = fingerprint(tmp_path)
    stale = summarize(tmp_path, _result(0), before)
    assert not stale.fresh and stale.totals is None
    (tmp_path / "junit.xml").write_bytes(
        b'<testsuite><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>'
    )
    os.utime(tmp_path / "junit.xml", ns=(1, 1))
    fresh = summarize(tmp_path, _result(1), before)
    assert fresh.fresh and fresh.totals == {"passed": 1, "failed": 1, "errors": 0, "skipped": 0}
    assert fresh.pass_rate == 0.5


def test_history_is_appended_in_a_self_ignoring_cache(tmp_path: Path) -> None:
    rates = [1.0, 0.5, 0.0]
    for rate in rates:
        passed = int(rate * 4)
        totals = {"passed": passed, "failed": 4 - passed, "errors": 0, "skipped": 0}
        assert append_history(tmp_path, RunSummary(_result(0), totals, True)) is None
    assert append_history(tmp_path, RunSummary(_result(None, cancelled=True), None, False)) is None
    assert (tmp_path / ".sdd" / "cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    lines = (tmp_path / HISTORY_PATH).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert set(first) == {"time", "command", "exit", "outcome", "duration", "totals"}
    history = read_history(tmp_path)
    assert [h["outcome"] for h in history] == ["passed", "failed", "failed", "cancelled"]
    assert pass_rates(history) == rates
    assert sparkline(pass_rates(history)) == "█▅▁"
    assert read_history(tmp_path, limit=2)[0]["outcome"] == "failed"


def test_history_tolerates_garbage_and_trims(tmp_path: Path) -> None:
    path = tmp_path / HISTORY_PATH
    path.parent.mkdir(parents=True)
    path.write_text('not json\n{"totals": "x"}\n[1]\n', encoding="utf-8")
    assert pass_rates(read_history(tmp_path)) == []
    totals = {"passed": 1, "failed": 0, "errors": 0, "skipped": 0}
    for _ in range(3000):
        append_history(tmp_path, RunSummary(_result(0), totals, True))
    assert len(path.read_text(encoding="utf-8").splitlines()) < 3000
    assert path.stat().st_size < 300 * 1024
    assert pass_rates(read_history(tmp_path)) == [1.0] * 20


def test_history_never_written_through_a_link_out_of_the_workspace(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "ws"
    (root / ".sdd").mkdir(parents=True)
    os.symlink(outside, root / ".sdd" / "cache")
    message = append_history(root, RunSummary(_result(0), None, False))
    assert message is not None and "outside the workspace" in message
    assert list(outside.iterdir()) == []
