"""Live workspace figures: external write → screen updated, and idle CPU with the watcher on.

    python bench/live.py [--writes 50] [--idle 10] [--no-tmux] [--no-pilot]

On a synthetic Spec Kit workspace of 20 features × 100 tasks (bench/generate.py):

- **tmux** (from outside, the real terminal path): ``sdd-tui`` runs in a private tmux server;
  the bench rewrites the active feature's tasks.md (an in-place ``write_text``, as agents do)
  renaming the first todo card to a fresh token, and times until the token reaches the
  terminal: ``pipe-pane`` copies everything the app writes to the pane into a file the bench
  tails every 2 ms (polling ``capture-pane`` instead would spawn a process every few
  milliseconds and steal the CPU being measured); ``capture-pane`` then confirms the token
  is on screen.
- **pilot** (in-process probe): the same write with the app under ``App.run_test``; the time
  until the board's card list holds the new text (no terminal rendering).
- **idle CPU**: utime+stime of the tmux-run ``sdd-tui`` process (``/proc/PID/stat``) over 10 s
  without input or file changes, with the watcher on and, for comparison, off.

Each latency is measured for both kinds of tasks.md: one that ends with a newline, and one
that does not (issue 16: such a file was taken for "maybe cut off" on every change and waited
0.3 s; now only a file that had a final newline before the change is suspect).

Targets (issue 4): median < 100 ms, p95 < 250 ms; idle CPU < 2 %; both kinds (issue 16).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402
from tmux_probe import SOCKET, Session  # noqa: E402

FEATURE = "001-feature-1"
TICKS = os.sysconf("SC_CLK_TCK")


def first_todo(root: Path) -> tuple[str, str]:
    """(task key, card title) of the first todo card of the active feature."""
    from sdd_tui.workspace.loader import load

    loaded = load(root)
    feature = loaded.workspace.feature(FEATURE)
    assert feature is not None
    task = feature.column_tasks("todo")[0]
    return task.key, task.text


def tasks_path(root: Path) -> Path:
    return root / "specs" / FEATURE / "tasks.md"


def workspace(dest: Path, *, final_newline: bool) -> Path:
    """The generated 20 × 100 workspace; its active tasks.md without the final newline when
    ``final_newline`` is false (so written before the app reads it)."""
    root = generate(dest, 20, 100)
    if not final_newline:
        path = tasks_path(root)
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
    return root


KINDS = (("final newline", True), ("no final newline", False))


class Writer:
    """Rewrites the first todo card's title with a new token each time."""

    def __init__(self, root: Path) -> None:
        self.path = tasks_path(root)
        self.key, _title = first_todo(root)
        # bytes kept as they are: a file without a final newline stays without one
        self.original = self.path.read_bytes().decode("utf-8")
        line = next(ln for ln in self.original.splitlines() if f" {self.key} " in ln)
        self.line = line
        self.n = 0

    def write(self) -> str:
        self.n += 1
        token = f"Probe{self.n:04d}"
        new_line = self.line.replace(f" {self.key} ", f" {self.key} {token} ", 1)
        self.path.write_bytes(self.original.replace(self.line, new_line, 1).encode("utf-8"))
        return token


def percentile(values: list[float], q: float) -> float:
    data = sorted(values)
    k = (len(data) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def summary(name: str, ms: list[float]) -> str:
    return (
        f"{name:<42} n={len(ms):<3} median {statistics.median(ms):6.1f} ms   "
        f"p95 {percentile(ms, 0.95):6.1f} ms   min {min(ms):6.1f}   max {max(ms):6.1f}"
    )


# --------------------------------------------------------------------------- tmux


def app_pid(session: Session) -> int:
    """The sdd-tui process under the pane's shell."""
    shell = session.pid()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for pid in _descendants(shell):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"sdd-tui" in cmd or b"sdd_tui" in cmd:
                return pid
        time.sleep(0.05)
    return shell


def _descendants(pid: int) -> list[int]:
    out: list[int] = [pid]
    i = 0
    while i < len(out):
        p = out[i]
        i += 1
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                kids = Path(f"/proc/{p}/task/{task}/children").read_text().split()
                out += [int(k) for k in kids]
        except OSError:
            pass
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


class PaneStream:
    """Everything the app writes to its tmux pane, appended to a file by ``pipe-pane``."""

    def __init__(self, session: Session, folder: Path) -> None:
        self.path = folder / f"{session.name}.out"
        self.path.touch()
        subprocess.run(
            ["tmux", "-L", SOCKET, "pipe-pane", "-t", session.name, "-o", f"cat >> {self.path}"],
            check=True,
        )
        self.fh = self.path.open("rb")
        self.fh.seek(0, os.SEEK_END)
        self.tail = b""

    def mark(self) -> None:
        """Forget what was written so far."""
        self.fh.seek(0, os.SEEK_END)
        self.tail = b""

    def wait_for(self, token: str, timeout: float = 10.0) -> float:
        needle = token.encode()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            chunk = self.fh.read()
            if chunk:
                data = self.tail + chunk
                if needle in data:
                    return time.perf_counter()
                self.tail = data[-len(needle) :]
            time.sleep(POLL)
        raise TimeoutError(token)


POLL = 0.002


def tmux_latency(root: Path, writes: int, *, idle: float) -> tuple[list[float], float]:
    exe = shutil.which("sdd-tui", path=str(Path(sys.executable).parent)) or "sdd-tui"
    env = "SDD_TUI_NO_GIT=1"  # the synthetic workspace is no repository; keep it quiet
    session = Session(f"env {env} {exe}", cwd=root)
    try:
        session.wait_for(lambda s: "T0" in s and "Todo" in s, timeout=60)
        writer = Writer(root)
        pid = app_pid(session)
        stream = PaneStream(session, root.parent)
        time.sleep(1.5)  # start-up work (results, git) done; the watcher is listening
        rng = random.Random(1)
        ms: list[float] = []
        for _ in range(writes):
            stream.mark()
            t0 = time.perf_counter()
            token = writer.write()
            t1 = stream.wait_for(token)
            ms.append((t1 - t0) * 1000)
            assert token in session.screen(), f"{token} written to the pane but not on screen"
            time.sleep(0.15 + rng.random() * 0.1)  # separate writes, not one burst
        time.sleep(1.0)
        c0, w0 = cpu_seconds(pid), time.monotonic()
        time.sleep(idle)
        c1, w1 = cpu_seconds(pid), time.monotonic()
        return ms, (c1 - c0) / (w1 - w0) * 100
    finally:
        session.kill()


def tmux_idle_without_watcher(root: Path, idle: float) -> float:
    exe = shutil.which("sdd-tui", path=str(Path(sys.executable).parent)) or "sdd-tui"
    session = Session(f"env SDD_TUI_NO_GIT=1 SDD_TUI_NO_WATCH=1 {exe}", cwd=root)
    try:
        session.wait_for(lambda s: "T0" in s and "Todo" in s, timeout=60)
        pid = app_pid(session)
        time.sleep(2.5)
        c0, w0 = cpu_seconds(pid), time.monotonic()
        time.sleep(idle)
        c1, w1 = cpu_seconds(pid), time.monotonic()
        return (c1 - c0) / (w1 - w0) * 100
    finally:
        session.kill()


# --------------------------------------------------------------------------- pilot


async def pilot_latency(root: Path, writes: int) -> list[float]:
    from sdd_tui.ui.app import SddApp
    from sdd_tui.ui.widgets.board import CardList
    from sdd_tui.workspace.loader import load

    os.environ["SDD_TUI_NO_GIT"] = "1"
    app = SddApp(load(root))
    writer = Writer(root)

    def card_text() -> str:
        cards = app.query_one("#cards-todo", CardList)
        for i in range(cards.card_count):
            card = cards.card(i)
            if card.key == writer.key:
                return card.prompt.text.plain
        return ""

    ms: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await asyncio.sleep(1.5)  # the watcher is listening
        for _ in range(writes):
            t0 = time.perf_counter()
            token = writer.write()
            deadline = t0 + 10
            while token not in card_text():
                if time.perf_counter() > deadline:
                    raise TimeoutError(token)
                await asyncio.sleep(0.002)
            ms.append((time.perf_counter() - t0) * 1000)
            await asyncio.sleep(0.15)
    return ms


# --------------------------------------------------------------------------- main


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--writes", type=int, default=50)
    p.add_argument("--idle", type=float, default=10.0)
    p.add_argument("--no-tmux", action="store_true")
    p.add_argument("--no-pilot", action="store_true")
    args = p.parse_args()
    os.environ.setdefault("SDD_TUI_CONFIG_DIR", tempfile.mkdtemp(prefix="sdd-bench-config-"))
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    print(f"live workspace bench · 20 features × 100 tasks · {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="sdd-live-") as tmp:
        if not args.no_tmux and shutil.which("tmux"):
            for n, (kind, newline) in enumerate(KINDS):
                root = workspace(Path(tmp) / f"ws-{n}", final_newline=newline)
                idle = args.idle if n == 0 else 0.0
                ms, cpu = tmux_latency(root, args.writes, idle=idle)
                print(summary(f"write → screen (tmux), {kind}", ms))
                if n == 0:
                    print(f"{'idle CPU, watcher on':<42} {cpu:5.2f} % over {args.idle:.0f} s")
            root = workspace(Path(tmp) / "ws-idle", final_newline=True)
            cpu_off = tmux_idle_without_watcher(root, args.idle)
            print(f"{'idle CPU, watcher off':<42} {cpu_off:5.2f} % over {args.idle:.0f} s")
        elif not args.no_tmux:
            print("tmux not found: skipping the terminal measurement")
        if not args.no_pilot:
            for n, (kind, newline) in enumerate(KINDS):
                root = workspace(Path(tmp) / f"ws-pilot-{n}", final_newline=newline)
                ms = asyncio.run(pilot_latency(root, args.writes))
                print(summary(f"write → board (pilot), {kind}", ms))
    print("targets: median < 100 ms, p95 < 250 ms, idle CPU < 2 %")


if __name__ == "__main__":
    main()
