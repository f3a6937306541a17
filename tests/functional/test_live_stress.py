"""Stress: an agent rewrites tasks.md 200 times while the user moves cards 200 times.

A background thread edits ``specs/002-meal-planner/tasks.md`` 200 times — appending tasks,
inserting tasks and notes near the top (so every line below moves), ticking the boxes of
tasks it added — alternating atomic saves (temp file + ``os.replace``) and in-place writes
(truncate + write, append).  Meanwhile the test drives the running app (real watcher) with
``L``/``H``/``space`` on the sample's own tasks, on whatever snapshot the app has at that
moment.  At the end:

- every move the app reports as done is in ``history.jsonl``, in order, exactly as the test
  asked for it, and the final tasks.md/board.json put each card where the last move left it;
- every edit of the agent is in the final tasks.md exactly once;
- the board on screen matches the files (the watcher did not go stale).

Keys are sent to the app as the terminal driver sends them, and the test polls (short
``asyncio.sleep`` steps, with a timeout) until the app has handled each one, then lets the
widgets drain their queues (``Pilot._wait_for_screen``): ``pilot.press`` and ``pilot.pause``
also wait for the process to be idle (up to 1 s per call), which it never is while an agent
writes every few tens of milliseconds.

The agent takes the workspace lock (``.sdd/.lock``) around each read-modify-write, as another
sdd-tui process or a cooperating tool does.  Without it, an editor that reads, waits and writes
back can always erase a write made in between — by anyone; that race is the editor's, and no
reader can close it.  What this test checks is the app's side: moves computed on stale
snapshots land on the right task, nothing is lost, and the screen ends up right.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers.live import Probe, board_keys, watcher_ready
from helpers.sample import FEATURE, HISTORY, tasks_path
from helpers.ui import make_app

from sdd_tui.workspace.loader import load
from sdd_tui.workspace.writer import workspace_lock

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

WRITES = 200
MOVES = 200
POOL = ("T009", "T011", "T012", "T013", "T014", "T015", "T016")  # all todo at the start
CYCLE = ("L", "L", "space", "space", "L", "H")  # todo→ip→review→done→todo→ip→todo
COLUMNS = ("todo", "in_progress", "review", "done")
# The board pane alone (narrow layout): the board is what this test is about, and the
# four-pane layout re-renders two documents on every refresh.
STRESS_SIZE = (100, 30)


@dataclass
class Agent:
    """The background writer and what it did."""

    path: Path
    root: Path
    seed: int = 4
    added: list[str] = field(default_factory=list)
    ticked: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    writes: int = 0
    error: BaseException | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    progress: Callable[[], int] = lambda: MOVES  # moves done so far (paces the agent)

    def run(self) -> None:
        rng = random.Random(self.seed)
        try:
            for i in range(WRITES):
                # keep pace with the user's moves, so both run interleaved to the end
                while self.progress() < i * MOVES // WRITES - 5 and not self.stop.is_set():
                    time.sleep(0.005)
                if self.stop.is_set():
                    return
                time.sleep(rng.uniform(0.0, 0.06))
                with workspace_lock(self.root):
                    self._edit(i, rng)
                self.writes += 1
        except BaseException as exc:
            self.error = exc

    def _edit(self, i: int, rng: random.Random) -> None:
        text = self.path.read_text(encoding="utf-8")
        kind = i % 4
        if kind == 0:  # append a task, in place (O_APPEND)
            tid = f"T{1000 + i}"
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(f"- [ ] {tid} Appended by the agent {i}\n")
            self.added.append(tid)
            return
        if kind == 1:  # insert a task near the top: every line below moves (atomic save)
            tid = f"T{1000 + i}"
            text = _after_line(text, "## Phase 1: Setup", f"\n- [ ] {tid} Inserted by the agent\n")
            self.added.append(tid)
            self._atomic(text)
        elif kind == 2:  # tick one of its own tasks (in place: truncate + write)
            open_ones = [t for t in self.added if t not in self.ticked]
            if open_ones:
                tid = rng.choice(open_ones)
                new = re.sub(rf"^- \[ \] {tid} ", f"- [x] {tid} ", text, count=1, flags=re.M)
                assert new != text, tid
                self.ticked.add(tid)
                text = new
            with self.path.open("w", encoding="utf-8") as fh:
                fh.write(text)
        else:  # a note under Phase 3's heading (atomic save)
            note = f"Agent note {i}."
            text = _after_line(text, "## Phase 3: User Story 1", f"\n{note}\n")
            self.notes.append(note)
            self._atomic(text)

    def _atomic(self, text: str) -> None:
        tmp = self.path.with_name(f".tasks.md.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)


def _after_line(text: str, anchor: str, extra: str) -> str:
    i = text.index(anchor)
    j = text.index("\n", i) + 1
    return text[:j] + extra + text[j:]


async def poll(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Let the app's loop run until ``condition()`` holds (fail after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.005)


def focused_on(app: Any, key: str) -> bool:
    from sdd_tui.ui.widgets.board import BoardView, CardList

    focused = app.focused
    task = app.query_one(BoardView).selected_task
    return (
        isinstance(focused, CardList)
        and task is not None
        and task.key == key
        and focused.column == task.column
        and focused.highlighted is not None
        and focused.keys[focused.highlighted] == key
    )


KEY_EVENTS = {"L": ("L", "L"), "H": ("H", "H"), "space": ("space", " ")}


def send_key(app: Any, press: str) -> None:
    """What the terminal driver does for a key (``Pilot.press`` minus its idle waits)."""
    from textual import events

    event = events.Key(*KEY_EVENTS[press])
    event.set_sender(app)
    app._driver.send_message(event)


def expected_column(column: str, key: str) -> str:
    if key == "L":
        return COLUMNS[COLUMNS.index(column) + 1]
    if key == "H":
        return COLUMNS[COLUMNS.index(column) - 1]
    return "todo" if column == "done" else "done"


def history(root: Path) -> list[dict[str, Any]]:
    path = root / HISTORY
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def columns_on_disk(root: Path) -> dict[str, str]:
    feature = load(root).workspace.feature(FEATURE)
    assert feature is not None
    return {t.key: t.column for t in feature.tasks}


async def test_agent_and_user_edit_tasks_md_at_once(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textual.screen

    from sdd_tui.ui.widgets.board import BoardView

    monkeypatch.setenv("SDD_TUI_NO_GIT", "1")
    # Paint 10 times a second instead of 60: what is checked here is what the board holds
    # and what lands on disk; repainting a 60 fps screen would only slow the test down.
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 0.1)
    root = sample
    path = tasks_path(root)
    app = make_app(root)
    probe = Probe.attach(app)
    agent = Agent(path, root)
    model = {key: "todo" for key in POOL}
    done: list[tuple[str, str, str]] = []  # (task, from, to) of every successful move
    step = dict.fromkeys(POOL, 0)
    handled = {"perform": 0, "bell": 0}
    perform, bell = app.workbench.perform, app.bell

    def counting_perform(action: Any) -> None:
        try:
            perform(action)
        finally:
            handled["perform"] += 1

    def counting_bell() -> None:
        handled["bell"] += 1
        bell()

    app.workbench.perform, app.bell = counting_perform, counting_bell
    agent.progress = lambda: len(done)
    attempts = 0
    started = time.monotonic()
    async with app.run_test(size=STRESS_SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        thread = threading.Thread(target=agent.run, name="agent", daemon=True)
        thread.start()
        board = app.query_one(BoardView)
        rng = random.Random(7)
        try:
            while len(done) < MOVES:
                key = rng.choice(POOL)
                # select the card as a click would, once per visit; it must be on the board
                await poll(
                    lambda k=key: (
                        app.workbench.feature is not None
                        and app.workbench.feature.task(k) is not None
                    ),
                    f"{key} on the board",
                )
                board.show(app.session.loaded.workspace, app.workbench.feature, select=key)
                # let the board handle what that posted (focus, highlight messages), as it
                # has long done by the time a person presses the next key
                await pilot._wait_for_screen()
                # then 1-6 presses in a row on that card; the selection follows it
                for _ in range(rng.randint(1, 6)):
                    if len(done) == MOVES:
                        break
                    attempts += 1
                    assert attempts < MOVES * 2, f"too many failed presses: {attempts}"
                    try:
                        await poll(lambda k=key: focused_on(app, k), f"focus on {key}", 5)
                    except AssertionError:
                        break  # the card is not where the test thought: select it again
                    press = CYCLE[step[key] % len(CYCLE)]
                    before = len(history(root))
                    seen = dict(handled)
                    send_key(app, press)
                    await poll(lambda s=seen: handled != s, f"{press} on {key} handled", 30)
                    entries = history(root)
                    if len(entries) == before:
                        break  # not done (the user was told why); the model stays
                    assert len(entries) == before + 1
                    e = entries[-1]
                    want = expected_column(model[key], press)
                    assert (e["task"], e["from"], e["to"]) == (key, model[key], want), e
                    done.append((key, model[key], want))
                    model[key] = want
                    step[key] += 1
        finally:
            deadline = time.monotonic() + 60
            while thread.is_alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            agent.stop.set()
            thread.join(5)
        assert agent.error is None, repr(agent.error)
        assert agent.writes == WRITES

        # -- every successful move is in history.jsonl and in the final files
        assert [(e["task"], e["from"], e["to"]) for e in history(root)] == done
        on_disk = columns_on_disk(root)
        for key in POOL:
            assert on_disk[key] == model[key], (key, on_disk[key], model[key])

        # -- every edit of the agent is in the final tasks.md, once
        final = path.read_text(encoding="utf-8")
        for tid in agent.added:
            lines = [ln for ln in final.splitlines() if re.match(rf"- \[[ x]\] {tid} ", ln)]
            assert len(lines) == 1, (tid, lines)
            assert lines[0].startswith("- [x]" if tid in agent.ticked else "- [ ]"), lines[0]
            assert on_disk[tid] == ("done" if tid in agent.ticked else "todo")
        for note in agent.notes:
            assert final.count(note) == 1, note
        assert len(agent.added) == WRITES // 2 and len(agent.notes) == WRITES // 4

        # -- and the screen caught up with the files
        def board_matches() -> bool:
            shown = board_keys(app)
            disk = columns_on_disk(root)
            return all(
                sorted(shown[c]) == sorted(k for k, col in disk.items() if col == c)
                for c in COLUMNS
            )

        await probe.wait(pilot, board_matches, timeout=15, what="the board to match the files")
    elapsed = time.monotonic() - started
    print(f"\n{len(done)} moves ({attempts} presses), {agent.writes} agent writes, {elapsed:.1f}s")
