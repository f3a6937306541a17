"""A hostile workspace, built on disk for the security tests (``from helpers.hostile import``).

Everything an untrusted repository can put where sdd-tui looks: markup and terminal escape
sequences in task titles and spec text, BIDI overrides, NUL bytes, a 10 MB single line, a
50,000-line file, symlinks out of the workspace and in cycles, FIFOs and devices named like
SDD files, a planted parse cache and git HEAD that are FIFOs, and a test command that would
leave a mark if it ever ran.
"""

from __future__ import annotations

import os
from pathlib import Path

ACTIVE = "001-hostile"

# key → raw title in tasks.md
TITLES = {
    "T001": "[bold]B[/bold] markup",
    "T002": "[@click=app.quit]go[/] action",
    "T003": "\x1b[31mred\x1b[0m csi",
    "T004": "\x1b]0;pwned-title\x07 osc0",
    "T005": "\x1b]2;title2\x1b\\ osc2",
    "T006": "\x1b]52;c;cHduZWQ=\x07 osc52",
    "T007": "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ osc8",
    "T008": "\u202eevil\u202c bidi \u2066iso\u2069",
    "T009": "\x9b31m c1-csi \x07 bel \x7f del",
    "T010": "[link=https://evil.example]l[/link] [red on red]hidden[/]",
}
# What must be visible on screen for each (control characters shown as escapes).
SHOWN = {
    "T001": "[bold]B[/bold] markup",
    "T002": "[@click=app.quit]go[/] action",
    "T003": "\\x1b[31mred\\x1b[0m csi",
    "T004": "\\x1b]0;pwned-title\\x07 osc0",
    "T005": "\\x1b]2;title2\\x1b\\ osc2",
    "T006": "\\x1b]52;c;cHduZWQ=\\x07 osc52",
    "T007": "\\x1b]8;;https://evil.example\\x1b\\link",
    "T008": "\\u202eevil\\u202c bidi \\u2066iso\\u2069",
    "T009": "\\x9b31m c1-csi \\x07 bel \\x7f del",
    "T010": "[link=https://evil.example]l[/link] [red on red]hidden[/]",
}
SPEC = (
    "# Spec [@click=app.quit]quit[/]\n\n"
    "Some [bold]not bold[/bold] text, \x1b[2J\x1b[H cleared? \x1b]0;spec-title\x07 and "
    "\x1b]52;c;Y2xpcA==\x07 clip, \u202eflip\u202c.\n\n"
    "- **FR-001**: System MUST [@click=app.quit]stay[/] open.\n"
)
SPEC_SHOWN = ("[@click=app.quit]stay[/]", "[bold]not bold[/bold]", "\\x1b]0;spec-title\\x07")
MARKER = "ran-unasked"  # the test command creates this file if it ever runs
COMMAND = f"touch {MARKER} && echo pwned"
CONFIG = (
    "columns: [todo, in_progress, review, done]\n"
    f"tests:\n  command: \"{COMMAND}\"\n  junit: ['.sdd/results/**/*.xml']\n"
)
BIG_LINE = 10 * 1024 * 1024
LONG_LINES = 50_000


def _write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def build(root: Path, outside: Path) -> Path:
    """Create the hostile workspace at ``root``; ``outside`` holds the files links point to."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "tasks.md").write_text("- [ ] T001 outside the workspace\n")
    (outside / "board.json").write_text('{"tasks": {}, "version": 1}\n')
    tasks = "# Tasks\n\n## Phase 1\n\n" + "".join(f"- [ ] {k} {t}\n" for k, t in TITLES.items())
    _write(root, ".specify/feature.json", f'{{"feature_directory": "specs/{ACTIVE}"}}\n')
    _write(root, ".sdd/config.yaml", CONFIG)
    _write(root, f"specs/{ACTIVE}/tasks.md", tasks)
    _write(root, f"specs/{ACTIVE}/spec.md", SPEC)
    # NUL bytes: refused as binary.
    _write(root, "specs/002-nul/tasks.md", b"- [ ] T001 a\x00b\n")
    # FIFO named like tasks.md; devices behind spec.md / plan.md.
    (root / "specs/003-fifo").mkdir(parents=True)
    os.mkfifo(root / "specs/003-fifo/tasks.md")
    os.mkfifo(root / "specs/003-fifo/spec.md")
    _write(root, "specs/004-devices/tasks.md", "- [ ] T001 devices around me\n")
    os.symlink("/dev/zero", root / "specs/004-devices/spec.md")
    os.symlink("/dev/urandom", root / "specs/004-devices/plan.md")
    os.symlink("/dev/zero", root / "specs/004-devices/research.md")
    # Symlink out of the workspace: readable, never written through.
    (root / "specs/005-outside").mkdir(parents=True)
    os.symlink(outside / "tasks.md", root / "specs/005-outside/tasks.md")
    # Symlink cycles: a file loop and a folder loop.
    (root / "specs/006-cycle").mkdir(parents=True)
    os.symlink("b.md", root / "specs/006-cycle/tasks.md")
    os.symlink("tasks.md", root / "specs/006-cycle/b.md")
    os.symlink("..", root / "specs/007-loop")
    # A 10 MB single line and a 50,000-line file.
    _write(root, "specs/008-big/tasks.md", "- [ ] T001 " + "y" * BIG_LINE + "\n")
    _write(root, "specs/008-big/spec.md", "# Big\n\n" + "z" * BIG_LINE + "\n")
    _write(
        root,
        "specs/009-long/tasks.md",
        "".join(
            f"- [ ] T{i:05d} task {i}\n" if i % 100 == 0 else f"line {i}\n"
            for i in range(LONG_LINES)
        ),
    )
    # Planted files sdd-tui reads on its own: a git HEAD and the parse cache as FIFOs.
    (root / ".git").mkdir()
    os.mkfifo(root / ".git/HEAD")
    (root / ".sdd/cache").mkdir(parents=True)
    os.mkfifo(root / ".sdd/cache/parse-cache.bin")
    return root


def build_links_out(root: Path, outside: Path) -> Path:
    """A small workspace whose board.json and history.jsonl are symlinks out of it."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "board.json").write_text('{"tasks": {}, "version": 1}\n')
    (outside / "history.jsonl").write_text("")
    _write(root, "specs/001-a/tasks.md", "- [ ] T001 one\n- [ ] T002 two\n")
    (root / ".sdd").mkdir(parents=True, exist_ok=True)
    os.symlink(outside / "board.json", root / ".sdd/board.json")
    os.symlink(outside / "history.jsonl", root / ".sdd/history.jsonl")
    return root
