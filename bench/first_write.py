"""A change written right after the first frame: how long until the screen shows it.

    python bench/first_write.py [--size 2k] [--delays 0 50 100 200 500] [--runs 3]

``sdd-tui`` starts in tmux on a generated workspace; as soon as the first card is on screen,
and then ``delay`` ms later, a visible card's title is rewritten in place (open ``r+b``,
write, truncate).  The figure is the time from that write to the new title on screen.  The
watcher is set up after the first frame; a write made before it listens is caught by the
full re-read it asks for once it does (target: every delay shows within 1 s).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import PRESETS, card_title, generate
from tmux_probe import Session

BIN = Path(sys.executable).parent


def once(root: Path, delay_ms: int) -> float:
    """Seconds from the write to the new title on screen (``inf`` when never shown)."""
    title = card_title(1, 1)
    tasks = root / "specs" / "001-feature-1" / "tasks.md"
    data = tasks.read_bytes()
    new_title = title.replace("Card", "CARD")
    assert title.encode() in data
    session = Session(str(BIN / "sdd-tui") + " --feature 001-feature-1", cwd=root)
    try:
        session.wait_for(lambda screen: title in screen)
        time.sleep(delay_ms / 1000)
        with open(tasks, "r+b") as fh:
            fh.write(data.replace(title.encode(), new_title.encode()))
            fh.truncate()
        written = time.perf_counter()
        try:
            return session.wait_for(lambda screen: new_title in screen, timeout=5) - written
        except TimeoutError:
            return float("inf")
    finally:
        session.kill()
        tasks.write_bytes(data)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="2k", choices=sorted(PRESETS))
    p.add_argument("--delays", type=int, nargs="+", default=[0, 50, 100, 200, 500])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="sdd-bench-") as tmp:
        root = generate(Path(tmp) / "ws", *PRESETS[args.size])
        print(f"write after the first frame → on screen ({args.size}, {args.runs} runs each)")
        worst = 0.0
        for delay in args.delays:
            times = [once(root, delay) for _ in range(args.runs)]
            worst = max(worst, *times)
            shown = ", ".join("never" if t == float("inf") else f"{t * 1000:.0f}" for t in times)
            print(
                f"  +{delay:>4} ms: median {statistics.median(times) * 1000:6.0f} ms"
                f"  (each: {shown} ms)"
            )
        print(
            f"worst: {'never' if worst == float('inf') else f'{worst * 1000:.0f} ms'}"
            f" (target ≤ 1000 ms)"
        )


if __name__ == "__main__":
    main()
