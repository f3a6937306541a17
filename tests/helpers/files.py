"""Paths of the repository, file trees written by tests, and line-by-line comparisons."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_workspace"
UI_SOURCES = REPO / "sdd_tui" / "ui"
JUNIT_FIXTURES = REPO / "tests" / "fixtures" / "junit"
# The real-world corpus lives beside the checkout on the team's machines, not in the repo.
CORPUS = REPO.parent / "shared" / "corpus"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path → text or bytes) below ``root``; returns ``root``.

    Text is written as UTF-8 bytes exactly as given (no newline translation)."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def read(root: Path, rel: Path | str) -> bytes:
    """The bytes of ``root/rel``, or ``b""`` when it does not exist."""
    path = root / rel
    return path.read_bytes() if path.exists() else b""


def changed_line_pairs(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    """The (old, new) pairs of ``\\n``-separated lines that differ; fails when a line was
    added or removed (an edit in place must keep the line structure)."""
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new), "a line was added or removed"
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def count_changed_lines(a: bytes, b: bytes) -> int:
    """How many lines differ (any line ending); when the line counts differ, the larger one."""
    la = a.splitlines(keepends=True)
    lb = b.splitlines(keepends=True)
    if len(la) != len(lb):
        return max(len(la), len(lb))
    return sum(1 for x, y in zip(la, lb, strict=True) if x != y)
