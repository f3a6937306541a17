"""Instructions to the first frame, sdd-tui against the bare Textual app: a figure that does
not move from run to run, for judging a change to the start (wall-clock starts on a shared
2-core machine move ±30%).

    python bench/instructions.py [--size 2k] [--runs 2]

Each app runs under ``valgrind --tool=callgrind`` in tmux (a real terminal) and exits the
moment its first frame with a card (or the bare app's text) is written; the figure is the
instructions of that process (the forked reader, which runs beside it, is counted apart).
Needs valgrind; the first run of each also compiles bytecode, so the last run is reported.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import PRESETS, generate
from run import BARE
from tmux_probe import tmux

# Runs the app (or the bare one) and leaves at its first frame: the driver's first write
# that holds the text the tmux benchmark waits for.
STOP_AT_FIRST_FRAME = """
import importlib.abc, importlib.util, os, sys
WANT = os.environ["FIRST_FRAME_TEXT"]
class Hook(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "textual.drivers.linux_driver":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            write = module.LinuxDriver.write
            def first_frame(self, data):
                if WANT in data:
                    os._exit(0)
                return write(self, data)
            module.LinuxDriver.write = first_frame
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Hook())
if os.environ.get("BARE"):
    exec(compile(os.environ["BARE"], "bare", "exec"))
else:
    from sdd_tui.cli import main
    sys.argv = ["sdd-tui"]
    main()
"""


def count(ws: Path, out: Path, *, bare: bool, config: Path) -> int:
    """Instructions of the app's own process up to its first frame."""
    script = out / "first_frame.py"
    script.write_text(STOP_AT_FIRST_FRAME)
    for old in out.glob("callgrind.*"):
        old.unlink()
    env = {
        "FIRST_FRAME_TEXT": "BARE APP READY" if bare else "Card F001 T",
        "SDD_TUI_CONFIG_DIR": str(config),
    }
    if bare:
        env["BARE"] = BARE
    exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
    name = f"instr-{os.getpid()}-{int(time.time() * 1000)}"
    command = (
        f"cd {_quote(str(ws))} && env -u PYTHONDONTWRITEBYTECODE {exports} "
        f"valgrind --tool=callgrind --callgrind-out-file={out}/callgrind.%p "
        f"{sys.executable} {script} 2>/dev/null"
    )
    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "48", command)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and name in tmux("list-sessions", "-F", "#S").split():
        time.sleep(0.5)
    tmux("kill-session", "-t", name)
    totals = []
    for path in out.glob("callgrind.*"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                totals.append(int(line.split()[1]))
                break
    if not totals:
        raise SystemExit("no callgrind output: did the app start?")
    return max(totals)  # the app itself; the forked reader does far less


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="2k", choices=sorted(PRESETS))
    p.add_argument("--runs", type=int, default=2)
    args = p.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("bench/instructions.py needs valgrind (apt-get install valgrind)")
    tmp = Path(tempfile.mkdtemp(prefix="sdd-instr-"))
    ws = tmp / "ws"
    generate(ws, *PRESETS[args.size])
    subprocess.run([sys.executable, "-m", "sdd_tui", "status", str(ws)], capture_output=True)
    config = tmp / "config"
    figures = {}
    for bare in (True, False):
        for _ in range(args.runs):
            figures[bare] = count(ws, tmp, bare=bare, config=config)
    base, app = figures[True], figures[False]
    print(f"instructions to the first frame ({args.size}, last of {args.runs} runs):")
    print(f"  bare Textual app  {base / 1e6:8.1f} M")
    print(f"  sdd-tui           {app / 1e6:8.1f} M   ratio {app / base:.3f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
