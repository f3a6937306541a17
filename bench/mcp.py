"""MCP server speed over stdio on a generated workspace: a real ``sdd-tui mcp`` subprocess
driven by the SDK's client, the way an agent drives it.

    python bench/mcp.py [--preset 2k|20k] [--moves 40] [--lists 40]

Prints the median and p95 of a ``move_task`` round trip (request sent → result back, the
file and history written, the workspace re-read) and of ``list_tasks`` for one feature;
targets: ≤ 20 ms and ≤ 30 ms at 20,000 tasks.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# `python bench/mcp.py` puts bench/ first on the path, where this file would hide the SDK.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
_spec = importlib.util.spec_from_file_location("generate", HERE / "generate.py")
assert _spec is not None and _spec.loader is not None
_generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_generate)
PRESETS, generate = _generate.PRESETS, _generate.generate


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def measure(root: Path, feature: str, moves: int, lists: int) -> dict[str, list[float]]:
    from mcp import Client, StdioServerParameters
    from mcp.types import Implementation

    exe = Path(sys.executable).with_name("sdd-tui")
    params = StdioServerParameters(command=str(exe), args=["mcp", str(root)], env=dict(os.environ))
    times: dict[str, list[float]] = {"start": [], "move_task": [], "list_tasks": []}
    started = time.perf_counter()
    async with Client(params, client_info=Implementation(name="bench", version="1")) as client:
        await client.call_tool("status", {})
        times["start"].append((time.perf_counter() - started) * 1000)
        tasks = await client.call_tool("list_tasks", {"feature": feature, "column": "todo"})
        ids = [t["id"] for t in json.loads(tasks.content[0].text) if t["parent"] is None]
        columns = ("in_progress", "todo")
        for i in range(moves):
            task = ids[(i // 2) % len(ids)]
            t0 = time.perf_counter()
            r = await client.call_tool(
                "move_task", {"feature": feature, "task": task, "column": columns[i % 2]}
            )
            times["move_task"].append((time.perf_counter() - t0) * 1000)
            assert not r.is_error, r.content
        for _ in range(lists):
            t0 = time.perf_counter()
            r = await client.call_tool("list_tasks", {"feature": feature})
            times["list_tasks"].append((time.perf_counter() - t0) * 1000)
            assert not r.is_error
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--preset", choices=sorted(PRESETS), default="20k")
    p.add_argument("--moves", type=int, default=40)
    p.add_argument("--lists", type=int, default=40)
    args = p.parse_args()
    features, per = PRESETS[args.preset]
    with tempfile.TemporaryDirectory(prefix="sdd-bench-mcp-") as tmp:
        root = generate(Path(tmp) / "ws", features, per)
        # Files written in the last 3 s are re-read on every look (the parse cache's "racily
        # clean" rule); a workspace an agent works in was not all written a moment ago.
        time.sleep(3.5)
        times = asyncio.run(measure(root, f"{features // 2:03d}", args.moves, args.lists))
    print(f"{features * per:,} tasks ({features} features × {per}), over stdio:")
    print(f"  server start → first status result: {times['start'][0]:.0f} ms")
    for name in ("move_task", "list_tasks"):
        v = times[name]
        print(
            f"  {name:<10} median {statistics.median(v):5.1f} ms   p95 {_p95(v):5.1f} ms"
            f"   ({len(v)} calls)"
        )


if __name__ == "__main__":
    main()
