"""Crash safety (issue 8): kill -9 a writer mid-write 100 times; never a torn file.

A child process (``kill_writer_child.py``) rewrites ``specs/001-crash/tasks.md`` with
``atomic_write`` in a loop, alternating two large contents A and B; the test SIGKILLs it at a
random moment, 100 times.  After every kill:

- the file holds exactly A or exactly B — never a mix, never empty, never truncated;
- the temp files a kill may leave behind (``.tasks.md.*.sdd-tmp``) do not break the next start:
  ``load`` reports no problem, finds the feature with all its tasks (nothing lost), and a move
  through the normal write path still works afterwards.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.files import REPO

from sdd_tui.workspace.loader import load

pytestmark = pytest.mark.slow

KILLS = 100
CHILD = Path(__file__).with_name("kill_writer_child.py")
REL = "specs/001-crash/tasks.md"
PAD_LINES = 12_000  # ~0.7 MB per content: a write takes long enough to be interrupted


def _content(mark: str, fill: str) -> bytes:
    head = f"# Tasks\n\n- [{mark}] T001 first\n- [{mark}] T002 second\n- [{mark}] T003 third\n\n"
    pad = "".join(f"{fill * 48} line {i}\n" for i in range(PAD_LINES))
    return (head + "## Notes\n\n```text\n" + pad + "```\n").encode()


def test_kill_9_mid_write_never_tears_the_file(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "specs" / "001-crash").mkdir(parents=True)
    (root / ".sdd").mkdir()
    a, b = _content(" ", "a"), _content("x", "b")
    (tmp_path / "A").write_bytes(a)
    (tmp_path / "B").write_bytes(b)
    target = root / REL
    target.write_bytes(a)
    rng = random.Random(8)
    seen = {a: 0, b: 0}
    left_temp = 0
    mid_write = 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for i in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(root), REL, str(tmp_path / "A"), str(tmp_path / "B")],
            stdout=subprocess.PIPE,
            env=env,
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == b"ready\n"
            time.sleep(rng.uniform(0.0, 0.06))  # a random moment in the write loop
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
            child.stdout.close()  # type: ignore[union-attr]
        assert child.returncode == -signal.SIGKILL, f"iteration {i}: child ended on its own"
        data = target.read_bytes()
        assert data in seen, f"iteration {i}: torn file ({len(data)} bytes)"
        seen[data] += 1
        temps = [p for p in target.parent.iterdir() if p.name.endswith(".sdd-tmp")]
        mid_write += len(temps) > left_temp  # this kill interrupted a write
        left_temp = len(temps)
        assert all(p.name.startswith(".tasks.md.") for p in temps)

    # Kills landed in the middle of writes: temp files were left behind ...
    assert mid_write > 0
    # ... and the next start ignores them and loses nothing.
    loaded = load(root)
    assert loaded.workspace.problems == ()
    assert [f.id for f in loaded.workspace.features] == ["001-crash"]
    feature = loaded.workspace.features[0]
    assert [t.key for t in feature.tasks] == ["T001", "T002", "T003"]
    done = target.read_bytes() == b
    assert all(t.done == done for t in feature.tasks)
    assert stray_features(root) == []

    from sdd_tui.operations.board import move

    move(loaded, "001-crash", "T002", "in_progress")
    after = load(root)
    assert after.workspace.problems == ()
    assert {t.key: t.column for t in after.workspace.features[0].tasks}["T002"] == "in_progress"
    print(
        f"kills={KILLS} ended-as-A={seen[a]} ended-as-B={seen[b]} "
        f"mid-write={mid_write} temp-files-left={left_temp}"
    )


def stray_features(root: Path) -> list[str]:
    """Anything sdd-tui would list that came from a temp file."""
    return [p.path for p in load(root).workspace.problems if "sdd-tmp" in p.path]
