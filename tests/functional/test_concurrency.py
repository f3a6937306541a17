"""Concurrency (issue 8): two sdd-tui processes and an external writer, 500 operations.

Two workers each run ``sdd-tui move`` as separate processes, one after the other, on their
own tasks of one ``tasks.md`` (so every move flips a box in the shared file and/or writes an
entry of the shared ``.sdd/board.json``); meanwhile an external writer — an agent, in a
thread — rewrites ``tasks.md`` atomically, inserting note lines near the top (every task moves
down a line) and appending new tasks.  Like any cooperating tool it takes ``.sdd/.lock``
around its read-modify-write; sdd-tui takes the same lock and, inside it, re-reads the file and
re-locates the task by key, so moves computed on a stale load land on the right line.

At the end, every move reported successful (exit 0) is in the final state (the task's column
is the last successful move of it), every board.json entry of both processes is there
(updates merged by key), and every line the writer added is in tasks.md exactly once.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sdd_tui.workspace.loader import load
from sdd_tui.workspace.writer import workspace_lock

pytestmark = pytest.mark.slow

FEATURE = "001-race"
REL = f"specs/{FEATURE}/tasks.md"
MOVES_PER_PROCESS = 100
WRITER_OPS = 300  # 2 x 100 CLI moves + 300 writes = 500 operations
COLUMNS = ("todo", "in_progress", "review", "done")
WORKER_TASKS = (("T001", "T002", "T003", "T004"), ("T005", "T006", "T007", "T008"))


def _workspace(root: Path) -> Path:
    lines = ["# Tasks", "", "## Phase 1", ""]
    lines += [f"- [ ] T00{i} task number {i}" for i in range(1, 9)]
    (root / "specs" / FEATURE).mkdir(parents=True)
    (root / ".sdd").mkdir()
    (root / REL).write_text("\n".join(lines) + "\n")
    return root


def _replace(path: Path, data: bytes) -> None:
    """How an agent saves: its own temp file, then rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".agent-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class Writer(threading.Thread):
    """The agent: ``WRITER_OPS`` locked read-modify-writes spread over the CLI run.

    It keeps pace with the movers (``moves_done``) instead of sleeping a fixed time per write:
    its writes land between and during the moves however fast the machine runs them, and the
    test takes as long as the moves do."""

    def __init__(
        self, root: Path, moves_done: Callable[[], int], movers_alive: Callable[[], bool]
    ) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.moves_done = moves_done
        self.movers_alive = movers_alive
        self.notes: list[str] = []
        self.appended: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        rng = random.Random(2)
        path = self.root / REL
        try:
            for n in range(WRITER_OPS):
                with workspace_lock(self.root, timeout=30):
                    lines = path.read_bytes().decode().split("\n")
                    if n % 2:
                        line = f"- [ ] A{n:04d} appended by the agent"
                        self.appended.append(line)
                        lines.insert(len(lines) - 1, line)  # before the final ''
                    else:
                        line = f"Agent note {n:04d}"
                        self.notes.append(line)
                        lines.insert(1, line)  # near the top: every task moves down
                    _replace(path, "\n".join(lines).encode())
                # pacing: the next write waits for its share of the moves, plus a jitter so
                # it lands anywhere inside a move (before, during or after its lock)
                due = (n + 1) * 2 * MOVES_PER_PROCESS // WRITER_OPS
                while self.moves_done() < due and self.movers_alive():
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.02))
        except BaseException as exc:  # reported by the test
            self.error = exc


# One sdd-tui process per move, as agents and users run them: ``main(["move", ...])`` in a
# process forked for that move alone.  The parent imported sdd-tui once, so a move costs what
# the move does, not an interpreter start and its imports (~0.2 s of CPU each, 200 times).
_MOVER = r"""
import json, os, random, sys
import sdd_tui.cli.board_cmds, sdd_tui.formats.config, sdd_tui.operations.board
import sdd_tui.operations.history, sdd_tui.workspace.loader, sdd_tui.workspace.writer
from sdd_tui.cli import main

root, feature, tasks, columns, seed, count = json.loads(sys.argv[1])
rng = random.Random(seed)
for _ in range(count):
    task, column = rng.choice(tasks), rng.choice(columns)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        os.dup2(write_end, 1)
        os.dup2(write_end, 2)
        code = main(["move", "--path", root, f"{feature}/{task}", column])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as out:
        text = out.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print(json.dumps([task, column, code, text]), flush=True)
"""


def _mover(root: Path, tasks: tuple[str, ...], seed: int, log: list) -> None:
    """Run ``MOVES_PER_PROCESS`` moves of random ``tasks`` to random columns, one process
    each; ``log`` gets (task, column, exit code, output) as each move ends."""
    plan = [str(root), FEATURE, list(tasks), list(COLUMNS), seed, MOVES_PER_PROCESS]
    with subprocess.Popen(
        [sys.executable, "-c", _MOVER, json.dumps(plan)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    ) as driver:
        assert driver.stdout is not None
        for line in driver.stdout:
            log.append(tuple(json.loads(line)))
    assert driver.returncode == 0


def test_two_processes_and_an_agent_lose_nothing(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    logs: list[list] = [[], []]
    movers = [
        threading.Thread(target=_mover, args=(root, WORKER_TASKS[i], 10 + i, logs[i]))
        for i in range(2)
    ]
    writer = Writer(
        root,
        moves_done=lambda: len(logs[0]) + len(logs[1]),
        movers_alive=lambda: any(m.is_alive() for m in movers),
    )
    start = time.monotonic()
    writer.start()
    for m in movers:
        m.start()
    for m in movers:
        m.join(timeout=300)
    writer.join(timeout=300)
    elapsed = time.monotonic() - start
    assert not writer.is_alive() and not any(m.is_alive() for m in movers)
    assert writer.error is None, writer.error

    ops = [entry for log in logs for entry in log]
    failed = [entry for entry in ops if entry[2] != 0]
    # Every move can be done (the lock serialises writers): none may fail.
    assert failed == [], failed[:5]
    last: dict[str, str] = {}
    for log in logs:
        for task, column, code, _out in log:
            if code == 0:
                last[task] = column

    loaded = load(root)
    assert loaded.workspace.problems == ()
    feature = loaded.workspace.feature(FEATURE)
    assert feature is not None
    columns = {t.key: t.column for t in feature.tasks}
    lost = {k: (v, columns.get(k)) for k, v in last.items() if columns.get(k) != v}
    assert lost == {}, lost

    text = (root / REL).read_text()
    lines = text.split("\n")
    missing = [ln for ln in writer.notes + writer.appended if lines.count(ln) != 1]
    assert missing == [], missing[:5]
    assert [ln for ln in lines if ln.startswith("Agent note")] == writer.notes[::-1]
    assert [ln for ln in lines if ln.startswith("- [ ] A")] == writer.appended
    for i in range(1, 9):
        assert sum(1 for ln in lines if f"] T00{i} task number {i}" in ln) == 1

    board = root / ".sdd" / "board.json"
    raw = board.read_bytes()
    data = json.loads(raw)
    assert raw == (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()
    for task, column in last.items():  # both processes' entries survived: merged by key
        stored = data["tasks"].get(f"{FEATURE}/{task}", {}).get("column")
        assert stored == (column if column in ("in_progress", "review") else None), task
    total = len(ops) + len(writer.notes) + len(writer.appended)
    assert total == 500
    print(
        f"operations={total} cli-moves={len(ops)} failed={len(failed)} lost={len(lost)} "
        f"elapsed={elapsed:.1f}s"
    )
