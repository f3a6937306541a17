"""Portfolio benchmark (issue 18): 50 branches × 20 features, cold and warm.

    python bench/portfolio.py [--branches 50] [--features 20] [--tasks 30] [--runs 5]

A repository like a team's: one base commit holding ``--features`` Spec Kit features
(bench/generate.py's, with specs, plans, checklists and ``--tasks`` tasks each), then
``--branches`` branches from it, each changing a few features (tasks ticked, a spec edited,
sometimes a new feature) in one or two commits.  Each figure is the median of ``--runs``
fresh processes timing ``read_portfolio`` inside them (the interpreter's start and imports
are apart: ``import``), cold (no ``.sdd/cache``) and warm (the cache of the run before),
beside the targets of issue 18: cold ≤ 1 s, warm ≤ 150 ms.  The wall time of
``sdd-tui portfolio --json`` (a new process) is printed too.  A script, not a test: figures
depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COLD_TARGET = 1.0
WARM_TARGET = 0.150

_PROBE = """
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from sdd_tui.operations.portfolio import read_portfolio
t1 = time.perf_counter()
p = read_portfolio(Path(sys.argv[1]))
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, len(p.rows), len(p.places), len(p.messages))
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="b@example.invalid",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="b@example.invalid",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _git(ws: Path, *args: str, data: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=ws, env=_env(), input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def build(dest: Path, branches: int, features: int, tasks: int, seed: int = 18) -> Path:
    """The repository: the base commit, then every branch written by one ``fast-import``."""
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    ws = generate(dest, features, tasks)
    shutil.rmtree(ws / ".sdd" / "results", ignore_errors=True)  # results are not committed
    _git(ws, "init", "-q", "-b", "main")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "base")
    base = _git(ws, "rev-parse", "HEAD").strip()
    rng = random.Random(seed)
    ids = sorted(p.name for p in (ws / "specs").iterdir())
    stream: list[bytes] = []
    when = 1_750_000_000
    for b in range(branches):
        parent = base
        for c in range(rng.choice((1, 2))):
            when += 600
            mark = f":{b * 4 + c + 1}"
            stream.append(f"commit refs/heads/feature-{b:02d}\nmark {mark}\n".encode())
            stream.append(f"committer Dev {b} <d{b}@example.invalid> {when} +0000\n".encode())
            msg = f"work on branch {b}"
            stream.append(f"data {len(msg)}\n{msg}\nfrom {parent}\n".encode())
            for fid in rng.sample(ids, 3):  # a few features change on each branch
                path = f"specs/{fid}/tasks.md"
                text = (ws / path).read_text()
                text = text.replace("- [ ]", "- [x]", rng.randint(1, 8))
                body = text.encode()
                stream.append(f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
            if rng.random() < 0.3:  # a spec edited after its plan: "plan may be stale"
                path = f"specs/{rng.choice(ids)}/spec.md"
                body = (ws / path).read_bytes() + f"\n- **FR-900**: branch {b} adds one.\n".encode()
                stream.append(f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
            if rng.random() < 0.2:  # a feature only this branch has
                body = f"# Tasks\n\n- [ ] T001 new on branch {b}\n".encode()
                path = f"specs/{900 + b:03d}-branch-{b}/tasks.md"
                stream.append(f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
            stream.append(b"\n")
            parent = mark
    _git(ws, "fast-import", "--quiet", data=b"".join(stream))
    return ws


def probe(ws: Path) -> tuple[float, float, str]:
    """(import s, read_portfolio s, what it found) in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ws)],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    ).stdout.split()
    return float(out[0]), float(out[1]), f"{out[2]} rows, {out[3]} places, {out[4]} notes"


def cli_wall(ws: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sdd_tui", "portfolio", "--json", str(ws)],
        capture_output=True,
        env=_env(),
        check=False,
    )
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument("--features", type=int, default=20)
    ap.add_argument("--tasks", type=int, default=30)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sdd-bench-portfolio-") as tmp:
        t0 = time.perf_counter()
        ws = build(Path(tmp) / "repo", args.branches, args.features, args.tasks)
        print(
            f"repository: {args.branches} branches × {args.features} features, "
            f"{args.tasks} tasks each (built in {time.perf_counter() - t0:.1f} s)"
        )
        cache = ws / ".sdd" / "cache"
        probe(ws)  # bytecode, OS caches
        cold, cold_cli, warm, warm_cli, imports = [], [], [], [], []
        found = ""
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            imp, t, found = probe(ws)
            cold.append(t)
            imports.append(imp)
            shutil.rmtree(cache, ignore_errors=True)
            cold_cli.append(cli_wall(ws))
        time.sleep(3.5)  # the parse cache trusts a file's stat once it is 3 s old
        probe(ws)
        for _ in range(args.runs):
            imp, t, found = probe(ws)
            warm.append(t)
            warm_cli.append(cli_wall(ws))
        med = statistics.median
        print(f"found: {found}")
        print(f"imports (fresh process):        {med(imports) * 1000:7.0f} ms")
        verdict = "ok" if med(cold) <= COLD_TARGET else "OVER TARGET"
        print(
            f"read_portfolio cold:            {med(cold) * 1000:7.0f} ms  "
            f"(target ≤ {COLD_TARGET * 1000:.0f} ms: {verdict})"
        )
        verdict = "ok" if med(warm) <= WARM_TARGET else "OVER TARGET"
        print(
            f"read_portfolio warm:            {med(warm) * 1000:7.0f} ms  "
            f"(target ≤ {WARM_TARGET * 1000:.0f} ms: {verdict})"
        )
        print(f"sdd-tui portfolio --json cold:  {med(cold_cli) * 1000:7.0f} ms wall")
        print(f"sdd-tui portfolio --json warm:  {med(warm_cli) * 1000:7.0f} ms wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
