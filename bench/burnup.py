"""Burn-up benchmark (issue 18): 500 commits of a 2,000-task tasks.md replayed through git.

    python bench/burnup.py [--commits 500] [--tasks 2000] [--runs 3] [--keep PATH]

Builds the repository with one ``git fast-import`` (each commit ticks a few tasks; every 50th
adds 20 tasks; every 10th moves a task to "in progress" in board.json), then times:

- **cold**: the replay with no cache (``operations.timeline.replay``, the workspace already
  loaded), target ≤ 2 s;
- **warm**: ``read_progress`` in a new process once the cache holds the replay (the child's
  own timer around the call: loading the workspace, one ``git rev-parse``, the cache read and
  the burn-up, cycle times and forecast), target ≤ 100 ms; and the whole ``sdd-tui progress
  --json`` process beside it (interpreter start and imports included);
- **one more commit**: the replay after a new commit on top of the cached one.

Medians of ``--runs``.  A script, not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_TARGET = 2.0
WARM_TARGET = 0.100
T0 = 1_700_000_000
FEATURE = "001-big-feature"
TASKS = f"specs/{FEATURE}/tasks.md"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


def tasks_text(count: int, done: set[int]) -> str:
    lines = ["# Tasks: Big feature", "", "## Phase 1: Setup", ""]
    for n in range(1, count + 1):
        if n % 250 == 1 and n > 1:
            lines += ["", f"## Phase {n // 250 + 1}: Story {n // 250}", ""]
        mark = "x" if n in done else " "
        par = " [P]" if n % 3 == 0 else ""
        lines.append(f"- [{mark}] T{n:04d}{par} [US{n % 7 + 1}] Implement part {n} in "
                     f"src/module_{n % 40}.py")  # fmt: skip
    return "\n".join(lines) + "\n"


def _data(raw: bytes) -> bytes:
    return b"data %d\n" % len(raw) + raw + b"\n"


def build(root: Path, commits: int, tasks: int) -> None:
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=_env())
    count = tasks - (commits // 50) * 20  # grows to ``tasks`` by the last commit
    done: set[int] = set()
    board: dict[str, dict[str, str]] = {}
    out: list[bytes] = []
    nxt = 1
    for n in range(1, commits + 1):
        files: dict[str, bytes] = {}
        if n == 1:
            files[f"specs/{FEATURE}/spec.md"] = b"# Feature Specification: Big feature\n"
        else:
            for _ in range(3):
                if nxt <= count:
                    done.add(nxt)
                    board.pop(f"{FEATURE}/T{nxt:04d}", None)
                    nxt += 1
            if n % 50 == 0:
                count += 20
            if n % 10 == 0 and nxt + 2 <= count:
                board[f"{FEATURE}/T{nxt + 2:04d}"] = {"column": "in_progress"}
                data = {"tasks": board, "version": 1}
                text = json.dumps(data, indent=2, sort_keys=True) + "\n"
                files[".sdd/board.json"] = text.encode()
        files[TASKS] = tasks_text(count, done).encode()
        who = f"Dev {n % 3} <dev{n % 3}@example.com> {T0 + n * 3600} +0000".encode()
        out.append(f"commit refs/heads/main\nmark :{n}\n".encode())
        out.append(b"author " + who + b"\ncommitter " + who + b"\n" + _data(b"work"))
        if n > 1:
            out.append(f"from :{n - 1}\n".encode())
        for path, raw in files.items():
            out.append(f"M 100644 inline {path}\n".encode() + _data(raw))
        out.append(b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(out), check=True,
                   env=_env())  # fmt: skip
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True, env=_env())
    (root / ".sdd").mkdir(exist_ok=True)


CHILD = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from sdd_tui.operations.progress_history import read_progress
t1 = time.perf_counter()
report = read_progress(Path(sys.argv[1]))
t2 = time.perf_counter()
assert report.features and report.features[0].points, report.messages
print(t1 - t0, t2 - t1)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", type=int, default=500)
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = ap.parse_args()
    from sdd_tui.operations import timeline
    from sdd_tui.workspace.loader import load_root
    from sdd_tui.workspace.replay_cache import history_store

    tmp = None
    if args.keep:
        root = args.keep
        shutil.rmtree(root, ignore_errors=True)
    else:
        tmp = tempfile.mkdtemp(prefix="sdd-burnup-")
        root = Path(tmp) / "repo"
    try:
        t = time.perf_counter()
        build(root, args.commits, args.tasks)
        print(f"built {args.commits} commits of a {args.tasks:,}-task tasks.md "
              f"in {time.perf_counter() - t:.1f} s ({root})")  # fmt: skip
        loaded = load_root(root)
        colds = []
        for _ in range(args.runs):
            history_store(root).unlink(missing_ok=True)
            before = dict(timeline.STATS)
            t = time.perf_counter()
            tl = timeline.replay(root, loaded=loaded)
            colds.append(time.perf_counter() - t)
        stats = {k: timeline.STATS[k] - before[k] for k in before}
        (rep,) = tl.replays
        print(f"versions {len(rep.versions)}: {stats['parsed']} parsed in full, "
              f"{stats['patched']} read through the skeleton")  # fmt: skip
        cold = statistics.median(colds)
        print(f"cold replay      {cold * 1000:7.0f} ms   (target ≤ {COLD_TARGET * 1000:.0f} ms)")
        warms, imports, walls = [], [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(root)], capture_output=True,
                                 text=True, check=True)  # fmt: skip
            walls.append(time.perf_counter() - t)
            imp, call = map(float, out.stdout.split())
            imports.append(imp)
            warms.append(call)
        warm = statistics.median(warms)
        print(f"warm open        {warm * 1000:7.0f} ms   (target ≤ {WARM_TARGET * 1000:.0f} ms; "
              f"read_progress in a new process, cache on disk)")  # fmt: skip
        print(f"  its imports    {statistics.median(imports) * 1000:7.0f} ms   "
              f"whole process {statistics.median(walls) * 1000:.0f} ms")  # fmt: skip
        cmd = [sys.executable, "-m", "sdd_tui", "progress", str(root), "--json"]
        cli = []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            cli.append(time.perf_counter() - t)
        cli_ms = statistics.median(cli) * 1000
        print(f"sdd-tui progress --json (whole process, warm) {cli_ms:.0f} ms")
        text = (root / TASKS).read_text(encoding="utf-8").replace("- [ ]", "- [x]", 1)
        (root / TASKS).write_text(text, encoding="utf-8")
        env = {**_env(), "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "d@example.com"}
        author = "--author=Dev <d@example.com>"
        subprocess.run(["git", "commit", "-qam", "one more", author], cwd=root, check=True, env=env)
        loaded = load_root(root)
        before = dict(timeline.STATS)
        t = time.perf_counter()
        timeline.replay(root, loaded=loaded)
        one = time.perf_counter() - t
        added = timeline.STATS["commits"] - before["commits"]
        print(f"one more commit  {one * 1000:7.0f} ms   ({added} replayed, the rest cached)")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
