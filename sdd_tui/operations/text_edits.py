"""Edits of a file's text that history can undo and redo byte for byte.

An edit that is more than a box character (a clarification answered, later a task added or
renamed) is recorded as hunks: at a byte offset of the file as it was, ``old`` bytes became
``new`` bytes, with a few bytes of context on each side.  Undo applies the inverse hunks to
the file as it is now: each hunk is found at its recorded place, or else by its context when
someone edited elsewhere in the file since; when it cannot be found exactly once, nothing is
written and the user is told why.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sdd_tui.model.record import record
from sdd_tui.operations.boxes import OperationError
from sdd_tui.workspace.fsread import ReadProblem, read_file
from sdd_tui.workspace.writer import Conflict, WriteRefused, atomic_write, workspace_lock

CONTEXT = 24  # bytes of context kept on each side of a hunk, to find it again


@record
class Hunk:
    """At byte ``at`` of the file before the edit, ``old`` became ``new``."""

    at: int
    old: bytes
    new: bytes
    before: bytes = b""  # the bytes just before ``at`` (context)
    after: bytes = b""  # the bytes just after ``old`` (context)


def hunk(data: bytes, at: int, old: bytes, new: bytes) -> Hunk:
    """A hunk replacing ``old`` at ``at`` of ``data`` by ``new``, with its context."""
    if data[at : at + len(old)] != old:
        raise ValueError(f"expected {old!r} at byte {at}")
    end = at + len(old)
    return Hunk(at, old, new, data[max(0, at - CONTEXT) : at], data[end : end + CONTEXT])


def apply(data: bytes, hunks: Sequence[Hunk]) -> bytes:
    """``data`` with ``hunks`` (at offsets of ``data``, not overlapping) applied."""
    out = data
    for h in sorted(hunks, key=lambda h: h.at, reverse=True):
        out = out[: h.at] + h.new + out[h.at + len(h.old) :]
    return out


def invert(hunks: Sequence[Hunk]) -> list[Hunk]:
    """The hunks that take the edited file back, at offsets of the edited file."""
    out: list[Hunk] = []
    shift = 0
    for h in sorted(hunks, key=lambda h: h.at):
        out.append(Hunk(h.at + shift, h.new, h.old, h.before, h.after))
        shift += len(h.new) - len(h.old)
    return out


def relocate(data: bytes, h: Hunk) -> Hunk:
    """``h`` at its place in ``data`` now: where it was recorded, else the one place its
    context and bytes are found; OperationError when there is none or more than one."""
    if data[h.at : h.at + len(h.old)] == h.old and data[: h.at].endswith(h.before):
        return h
    needle = h.before + h.old + h.after
    first = data.find(needle)
    if first < 0 or data.find(needle, first + 1) >= 0:
        raise OperationError("the text it changed was edited since; not undone")
    return Hunk(first + len(h.before), h.old, h.new, h.before, h.after)


def rewrite(
    root: Path, relpath: str, edit: Callable[[bytes], list[Hunk]], *, attempts: int = 5
) -> tuple[bytes, list[Hunk]]:
    """Compute hunks on the file's current bytes and write them atomically, recomputing on
    the new bytes if the file changes between the read and the rename.  Returns (the bytes
    written, the hunks at offsets of the bytes read)."""
    for _ in range(attempts):
        try:
            read = read_file(root, root / relpath)
        except ReadProblem as exc:
            raise OperationError(f"{relpath}: {exc}") from None
        if read.outside:
            raise OperationError(f"{relpath} is a symlink out of the workspace; read-only")
        hunks = edit(read.data)
        data = apply(read.data, hunks)
        if data == read.data:
            return data, []
        try:
            with workspace_lock(root):
                atomic_write(root, root / relpath, data, expected=read.data)
        except Conflict:
            continue
        except WriteRefused as exc:
            raise OperationError(str(exc)) from None
        except OSError as exc:
            raise OperationError(f"cannot write {relpath}: {exc.strerror or exc}") from None
        return data, hunks
    raise OperationError(f"{relpath} keeps changing; nothing written")


def replay(root: Path, relpath: str, hunks: Sequence[Hunk]) -> None:
    """Apply ``hunks`` (recorded on an earlier state of the file) to its current bytes."""
    rewrite(root, relpath, lambda data: [relocate(data, h) for h in hunks])


# -- in history.jsonl ---------------------------------------------------------------------


def _text(value: bytes) -> str | dict[str, str]:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(value).decode("ascii")}


def _bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, dict) and isinstance(value.get("base64"), str):
        return base64.b64decode(value["base64"])
    raise OperationError("history entry with a malformed hunk; cannot undo")


def to_json(hunks: Sequence[Hunk]) -> list[dict[str, Any]]:
    return [
        {
            "at": h.at,
            "old": _text(h.old),
            "new": _text(h.new),
            "before": _text(h.before),
            "after": _text(h.after),
        }
        for h in hunks
    ]


def from_json(value: Any) -> list[Hunk]:
    if not isinstance(value, list):
        raise OperationError("history entry without its hunks; cannot undo")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("at"), int):
            raise OperationError("history entry with a malformed hunk; cannot undo")
        out.append(
            Hunk(
                item["at"],
                _bytes(item.get("old", "")),
                _bytes(item.get("new", "")),
                _bytes(item.get("before", "")),
                _bytes(item.get("after", "")),
            )
        )
    return out
