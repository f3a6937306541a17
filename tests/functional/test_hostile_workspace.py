"""Hostile workspaces (issue 8): everything renders literally or is refused, nothing reaches
the terminal raw, nothing blocks, nothing is written through a link out of the workspace, and
the app stays responsive.  The workspace is built by ``hostile.build``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers.hostile import ACTIVE, MARKER, SHOWN, SPEC_SHOWN, TITLES, build, build_links_out
from helpers.ui import card_plain, screen_text, selected, wait_for

RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")
SIZE = (160, 48)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return build(tmp_path / "ws", tmp_path / "outside")


def _load_within(root: Path, seconds: float = 60.0):  # type: ignore[no-untyped-def]
    """``load(root)`` in a thread: a FIFO opened for reading would block it forever."""
    from sdd_tui.workspace.loader import load

    result: list = []
    thread = threading.Thread(target=lambda: result.append(load(root)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "load blocked (a FIFO or a device was opened?)"
    assert result, "load raised"
    return result[0]


def _cli(root: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sdd_tui", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,  # a blocking read would hang here: TimeoutExpired fails the test
        env=env,
        errors="surrogateescape",
    )


# --------------------------------------------------------------------------- headless


def test_hostile_workspace_loads_with_problems_and_never_blocks(hostile: Path) -> None:
    loaded = _load_within(hostile)
    ws = loaded.workspace
    problems = {p.path: p.message for p in ws.problems}
    assert "binary" in problems["specs/002-nul/tasks.md"]
    assert "FIFO" in problems["specs/003-fifo/tasks.md"]
    assert "not opened" in problems["specs/004-devices/spec.md"]
    assert "outside the workspace" in problems["specs/005-outside/tasks.md"]
    assert "symlink loop" in problems["specs/006-cycle/tasks.md"]
    for message in problems.values():
        assert "\n" not in message
    features = {f.id: f for f in ws.features}
    assert ws.active_feature == ACTIVE or ws.active_feature is None
    assert [t.key for t in features[ACTIVE].tasks] == list(TITLES)
    assert [t.title for t in features[ACTIVE].tasks] == [t.strip() for t in TITLES.values()]
    assert features["005-outside"].read_only
    assert len(features["008-big"].tasks) == 1
    assert len(features["009-long"].tasks) == 500
    assert not (hostile / MARKER).exists()


@pytest.mark.slow
def test_cli_on_a_hostile_workspace_prints_nothing_raw(hostile: Path) -> None:
    for args in (
        ["status"],
        ["tasks", "--feature", ACTIVE],
        ["tasks", "--json"],
        ["check", "--json"],
    ):
        proc = _cli(hostile, *args)
        out = proc.stdout + proc.stderr
        assert proc.returncode in (0, 1, 2), (args, out[-2000:])
        for raw in RAW:
            assert raw not in out, (args, raw)
        if "tasks" in args and "--json" not in args:
            assert "[@click=app.quit]go[/] action" in out
        if args == ["tasks", "--json"]:
            data = json.loads(proc.stdout)
            titles = {t["key"]: t["title"] for t in data if t["feature"] == ACTIVE}
            assert titles["T001"] == "[bold]B[/bold] markup"
            assert titles["T009"] == TITLES["T009"]  # escaped in the output, value intact
    assert not (hostile / MARKER).exists()


def test_no_write_through_a_symlink_out_of_the_workspace(hostile: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "tasks.md"
    before = outside.read_bytes()
    for column in ("done", "in_progress", "review"):
        proc = _cli(hostile, "move", "005-outside/T001", column)
        assert proc.returncode != 0
        assert "read-only" in proc.stderr
    assert outside.read_bytes() == before
    assert not (hostile / ".sdd/board.json").exists()  # a refused move is whole or nothing


def test_board_and_history_links_out_are_never_written(tmp_path: Path) -> None:
    root = build_links_out(tmp_path / "ws", tmp_path / "outside")
    outside = tmp_path / "outside"
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    md = (root / "specs/001-a/tasks.md").read_bytes()
    for ref, column in (("001-a/T001", "in_progress"), ("001-a/T002", "done")):
        proc = _cli(root, "move", ref, column)
        assert proc.returncode != 0, proc.stdout
        assert "outside the workspace" in proc.stderr
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    assert (root / "specs/001-a/tasks.md").read_bytes() == md  # refused before the Markdown
    assert (root / ".sdd/board.json").is_symlink() and (root / ".sdd/history.jsonl").is_symlink()


def test_lock_file_planted_as_a_fifo_or_link_never_blocks(tmp_path: Path) -> None:
    root = build_links_out(tmp_path / "ws", tmp_path / "outside")
    (root / ".sdd/board.json").unlink()
    (root / ".sdd/history.jsonl").unlink()
    os.mkfifo(root / ".sdd/.lock")
    proc = _cli(root, "move", "001-a/T001", "done", timeout=60)
    assert proc.returncode in (0, 1, 2)
    os.unlink(root / ".sdd/.lock")
    os.symlink(tmp_path / "outside" / "board.json", root / ".sdd/.lock")
    before = (tmp_path / "outside" / "board.json").read_bytes()
    proc = _cli(root, "move", "001-a/T002", "done", timeout=60)
    assert proc.returncode in (0, 1, 2)
    assert (tmp_path / "outside" / "board.json").read_bytes() == before


# --------------------------------------------------------------------------- the workbench


def _flat(text: str) -> str:
    """Screen text without borders and whitespace: titles wrap inside their card."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│╭╮╰╯─")


def _on_screen(app, needles) -> bool:  # type: ignore[no-untyped-def]
    flat = _flat(screen_text(app))
    return all(_flat(n) in flat for n in needles)


def _strip_segments(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [seg.text for strip in app.screen._compositor.render_strips() for seg in strip]


# A hang detector, not a latency bound: with a 10 MB line and a 50,000-line file on screen, a
# repaint takes seconds of CPU, and under xdist on a busy machine the app gets a fraction of one.
WAIT = 30


@pytest.mark.anyio
async def test_workbench_renders_hostile_text_literally_and_stays_responsive(
    hostile: Path,
) -> None:
    loaded = _load_within(hostile)
    from sdd_tui.ui.app import SddApp
    from sdd_tui.ui.cards import card_text  # noqa: F401  (the card renderer under test)

    app = SddApp(loaded, feature=ACTIVE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.workbench.feature_id == ACTIVE, timeout=30, what="board")
        for key, shown in SHOWN.items():
            assert shown in card_plain(app, key).replace("\n", ""), key
        await pilot.press("f10")  # wide columns: each title on one line
        await wait_for(
            pilot,
            lambda: _on_screen(app, SHOWN.values()),
            timeout=WAIT,
            what="literal titles on screen",
        )
        for segment in _strip_segments(app):
            for raw in RAW:
                assert raw not in segment
        for y in range(SIZE[1]):
            for x in range(0, SIZE[0], 4):
                assert "@click" not in app.screen.get_style_at(x, y).meta

        # responsive: a key press still moves the selection
        first, _ = selected(app)
        await pilot.press("down")
        await wait_for(
            pilot,
            lambda: selected(app)[0] not in (None, first),
            timeout=WAIT,
            what="selection to move",
        )
        assert app.is_running

        # the spec pane shows the spec text literally
        await pilot.press("2")
        await wait_for(
            pilot,
            lambda: _on_screen(app, SPEC_SHOWN),
            timeout=WAIT,
            what="literal spec text",
        )
        for segment in _strip_segments(app):
            for raw in RAW:
                assert raw not in segment
        await pilot.press("1")
        await pilot.press("up")
        await wait_for(
            pilot,
            lambda: app.is_running and selected(app)[0] is not None,
            timeout=WAIT,
            what="board again",
        )
    assert not (hostile / MARKER).exists()
