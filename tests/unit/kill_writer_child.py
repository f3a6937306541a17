"""Child process for test_crash_safety.py: rewrite one file with sdd-tui's atomic_write forever.

Usage: python kill_writer_child.py ROOT RELPATH A_FILE B_FILE

Alternates the contents of A_FILE and B_FILE (so every write changes the file) until it is
killed; prints ``ready`` once the contents are loaded, so the parent can time its SIGKILL
against writes that are really in progress.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sdd_tui.workspace.writer import atomic_write


def main() -> None:
    root, rel, a_file, b_file = sys.argv[1:5]
    contents = (Path(a_file).read_bytes(), Path(b_file).read_bytes())
    target = Path(root) / rel
    print("ready", flush=True)
    i = 1
    while True:
        atomic_write(Path(root), target, contents[i % 2])
        i += 1


if __name__ == "__main__":
    main()
