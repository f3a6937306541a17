"""The performance table: sdd-tui against a bare Textual app, at 2,000 and 20,000 tasks.

    python bench/run.py [--sizes 2k 20k] [--runs 5]

Everything is measured from outside, the way a user meets it: the app runs in tmux (a
private server) and the screen is polled with ``capture-pane`` until a card title shows.
Figures (median of ``--runs``):

- start: process start → first board card painted; the bare one-line Textual app is timed in
  the same run and the ratio printed (targets: ≤ 1.3× at 2k, ≤ 2× at 20k);
- peak RSS of the running app (target ≤ 250 MB at 20k);
- move: key press → tasks.md / board.json written (target median < 20 ms);
- external write → the new card on screen (target median < 100 ms);
- ``status --json`` wall time with the parse cache cold and warm (targets < 0.5 s / 0.25 s at
  20k); memory per 1,000 tasks from the status process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from generate import PRESETS, generate
from tmux_probe import Session

BIN = Path(sys.executable).parent
SDD = str(BIN / "sdd-tui")
BARE = """from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE APP READY")
Bare().run()
"""


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))] if xs else float("nan")


def peak_rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def start_times(ws: Path, runs: int, bare: Path) -> tuple[list[float], list[float], int]:
    """(bare app seconds, sdd-tui seconds, sdd-tui peak RSS KB) over ``runs`` starts."""
    bare_t, app_t, rss = [], [], 0
    for _ in range(runs):
        s = Session(f"{sys.executable} {bare}", cwd=ws)
        try:
            bare_t.append(s.wait_for(lambda scr: "BARE APP READY" in scr) - s.started)
        finally:
            s.kill()
        s = Session(f"{SDD}", cwd=ws)
        try:
            app_t.append(s.wait_for(lambda scr: "Card F001 T" in scr) - s.started)
            s.wait_for(lambda scr: "Done" in scr)
            rss = max(rss, peak_rss_kb(s.pid()))
        finally:
            s.kill()
    return bare_t, app_t, rss


def move_and_external(ws: Path, moves: int, writes: int) -> tuple[list[float], list[float]]:
    """Key → file written for ``moves`` moves; external write → on screen for ``writes``."""
    tasks = ws / "specs" / "001-feature-1" / "tasks.md"
    board = ws / ".sdd" / "board.json"
    s = Session(f"{SDD}", cwd=ws)
    move_t: list[float] = []
    ext_t: list[float] = []
    try:
        s.wait_for(lambda scr: "Card F001 T" in scr)
        time.sleep(1.0)  # let the watcher and git workers settle
        for i in range(moves):
            before = (tasks.stat().st_mtime_ns, board.stat().st_mtime_ns)
            key = "L" if i % 2 == 0 else "H"
            t0 = time.perf_counter()
            s.send(key)
            deadline = t0 + 5
            while time.perf_counter() < deadline:
                if (tasks.stat().st_mtime_ns, board.stat().st_mtime_ns) != before:
                    move_t.append(time.perf_counter() - t0)
                    break
                time.sleep(0.0005)
            time.sleep(0.15)
        for i in range(writes):
            title = f"Ext{i:03d}q"
            lines = tasks.read_text(encoding="utf-8").split("\n")
            # An agent rewords the first open task: the card the board selected at start,
            # so it is on screen (a card added above it would push earlier ones off).
            at = next(n for n, line in enumerate(lines) if line.startswith("- [ ] T"))
            task_id = lines[at].split()[3]
            lines[at] = f"- [ ] {task_id} {title} in src/x.py"
            t0 = time.perf_counter()
            with open(tasks, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines))
            with contextlib.suppress(TimeoutError):
                ext_t.append(s.wait_for(lambda scr, t=title: t in scr, timeout=5) - t0)
            time.sleep(0.1)
    finally:
        s.kill()
    return move_t, ext_t


def status_times(ws: Path, runs: int) -> tuple[float, float, int]:
    """(cold s, warm s, peak RSS KB) of `sdd-tui status --json`."""

    def one() -> tuple[float, int]:
        t0 = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", SDD, "status", "--json", str(ws)],
            capture_output=True,
            text=True,
            check=True,
        )
        return time.perf_counter() - t0, int(proc.stderr.strip().splitlines()[-1])

    cold, warm, rss = [], [], 0
    cache = ws / ".sdd" / "cache"
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        t, r = one()
        cold.append(t)
        rss = max(rss, r)
    time.sleep(3.2)  # let the files age past the cache's racy window
    one()
    for _ in range(runs):
        t, r = one()
        warm.append(t)
    return median(cold), median(warm), rss


def main() -> None:
    p = argparse.ArgumentParser(description="sdd-tui performance table")
    p.add_argument("--sizes", nargs="+", default=["2k", "20k"], choices=sorted(PRESETS))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--moves", type=int, default=20)
    p.add_argument("--writes", type=int, default=20)
    args = p.parse_args()
    os.environ.setdefault("SDD_TUI_CONFIG_DIR", tempfile.mkdtemp(prefix="sdd-bench-config-"))
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
    tmp = Path(tempfile.mkdtemp(prefix="sdd-bench-"))
    # Measure the app as pip installs it: with its bytecode compiled.
    import compileall

    import sdd_tui

    compileall.compile_dir(str(Path(sdd_tui.__file__).parent), quiet=1)
    bare = tmp / "bare.py"
    bare.write_text(BARE)
    rows = []
    status_rss: dict[str, int] = {}
    for size in args.sizes:
        features, tasks = PRESETS[size]
        ws = generate(tmp / size, features, tasks)
        cold, warm, srss = status_times(ws, args.runs)
        status_rss[size] = srss
        bare_t, app_t, rss = start_times(ws, args.runs, bare)
        move_t, ext_t = move_and_external(ws, args.moves, args.writes)
        rows.append(
            (size, features * tasks, median(bare_t), median(app_t), rss, move_t, ext_t, cold, warm)
        )
    print(
        f"\nsdd-tui performance ({os.cpu_count()} cores, median of {args.runs}; "
        "start = process start → first card painted, from tmux)\n"
    )
    print(
        "| tasks | bare app | sdd-tui | ratio | peak RSS | move key→file (med/p95) "
        "| external write→screen (med/p95) | status --json cold | warm |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for size, n, b, a, rss, mv, ex, cold, warm in rows:
        print(
            f"| {n:,} ({size}) | {b * 1000:.0f} ms | {a * 1000:.0f} ms | {a / b:.2f}× "
            f"| {rss / 1024:.0f} MB | {median(mv) * 1000:.1f} / {p95(mv) * 1000:.1f} ms "
            f"| {median(ex) * 1000:.0f} / {p95(ex) * 1000:.0f} ms ({len(ex)} writes) "
            f"| {cold * 1000:.0f} ms | {warm * 1000:.0f} ms |"
        )
    if "2k" in status_rss and "20k" in status_rss:
        per_k = (status_rss["20k"] - status_rss["2k"]) / 18
        print(f"\nmemory per 1,000 tasks (status --json peak RSS, 2k→20k): {per_k / 1024:.1f} MB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
