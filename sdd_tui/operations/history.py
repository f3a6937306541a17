"""`.sdd/history.jsonl`: the append-only log behind undo, redo and progress charts.

Each line is one JSON object.  Operations (``move``, ``reorder``, and ``tick`` for a checklist
item) carry an ``id``; ``undo`` and ``redo`` lines name the operation they reverse or repeat in
``ref``.  Every edit the workbench, the CLI or an agent makes goes through here, so undo is one
stack whoever made the last edit and whatever it was.  Replaying the log
gives the undo and redo stacks, so both survive a restart and merge (``merge=union``) in git.
Lines that do not parse are skipped, never rewritten.
"""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from typing import Any

from sdd_tui.operations import text_edits
from sdd_tui.operations.board import Change, move, set_rank
from sdd_tui.operations.boxes import OperationError
from sdd_tui.operations.history_log import read_history
from sdd_tui.workspace.snapshot import HISTORY_PATH, Loaded
from sdd_tui.workspace.writer import WriteRefused, append_line

OPERATIONS = ("move", "reorder", "tick", "answer", "add", "rename", "remove", "split")


def stacks(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(undo stack, redo stack) after replaying ``entries``; the top is the last element."""
    by_id: dict[str, dict[str, Any]] = {}
    undo: list[dict[str, Any]] = []
    redo: list[dict[str, Any]] = []
    for e in entries:
        op = e.get("op")
        if op in OPERATIONS and e.get("id"):
            by_id[str(e["id"])] = e
            undo.append(e)
            redo.clear()
        elif op == "undo":
            ref = by_id.get(str(e.get("ref")))
            if ref is not None and undo and undo[-1] is ref:
                undo.pop()
                redo.append(ref)
        elif op == "redo":
            ref = by_id.get(str(e.get("ref")))
            if ref is not None and redo and redo[-1] is ref:
                redo.pop()
                undo.append(ref)
    return undo, redo


def record(
    loaded: Loaded,
    change: Change,
    *,
    op: str | None = None,
    ref: str | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    """Append ``change`` to the history; returns the entry written.  ``author``: who made
    it (``agent:<client>`` for an MCP client); default the git user."""
    entry: dict[str, Any] = {
        "id": os.urandom(6).hex(),  # 12 random hex digits, as uuid4().hex[:12] gave
        "time": _utc_now(),
        "op": op or change.op,
        "feature": change.feature,
        "task": change.task,
        "from": change.from_column,
        "to": change.to_column,
        "from_mark": change.from_mark,
        "to_mark": change.to_mark,
        "author": author or git_author(str(loaded.root)),
    }
    if change.op == "reorder" or change.from_rank is not None or change.to_rank is not None:
        entry["from_rank"] = change.from_rank
        entry["to_rank"] = change.to_rank
    if change.label and change.label != change.task:
        entry["label"] = change.label
    if change.op == "tick" or change.hunks:
        entry["path"] = change.path
    if change.hunks:
        entry["hunks"] = text_edits.to_json(change.hunks)
    if ref is not None:
        entry["ref"] = ref
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    append_line(loaded.root, loaded.root / HISTORY_PATH, line.encode("utf-8"))
    return entry


def _utc_now() -> str:
    """Now in UTC, ISO 8601 to the millisecond: ``2026-03-01T09:30:00.123Z``.

    (``datetime`` and ``uuid`` are ~5 ms of imports for a one-shot ``sdd-tui move``.)
    """
    now = time.time()
    ms = int(now * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{ms:03d}Z"


class HistoryNotRecorded(OperationError):
    """The operation was done (its files are written) but its history line was not."""

    def __init__(self, change: Change, reason: str) -> None:
        super().__init__(f"{HISTORY_PATH} not written ({reason}); undo will not see this change")
        self.change = change


def _record(
    loaded: Loaded,
    change: Change,
    *,
    op: str | None = None,
    ref: str | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    try:
        entry = record(loaded, change, op=op, ref=ref, author=author)
    except (WriteRefused, OSError) as exc:
        raise HistoryNotRecorded(change, str(exc).splitlines()[0] if str(exc) else "") from None
    _autocommit(loaded, change)
    return entry


def _autocommit(loaded: Loaded, change: Change) -> None:
    """With ``git.autocommit: true``, commit exactly the files this operation changed."""
    config = loaded.config
    if config is None or not config.git.autocommit or change.noop:
        return
    from sdd_tui.workspace.git import autocommit

    if change.op == "tick":
        message = f"sdd: {change.feature}/{change.name} {change.describe().split()[0]}"
    elif change.op in ("move", "reorder"):
        message = f"sdd: {change.feature}/{change.task} {change.from_column} → {change.to_column}"
    else:
        message = f"sdd: {change.feature}: {change.describe()}"
    error = autocommit(loaded.root, [*change.files, HISTORY_PATH], message)
    if error is not None:
        raise OperationError(f"done, but the autocommit failed: {error}")


def apply_and_record(
    loaded: Loaded, change_fn, *args: Any, author: str | None = None, **kwargs: Any
) -> Change:
    """Run an operation and append it to the history (``author``: see :func:`record`).

    Raises HistoryNotRecorded (with ``.change``) when the operation was done but the history
    could not be appended (e.g. ``.sdd/history.jsonl`` is a directory or a FIFO).
    """
    change: Change = change_fn(loaded, *args, **kwargs)
    if not change.noop:
        _record(loaded, change, author=author)
    return change


def undo(loaded: Loaded, *, author: str | None = None) -> Change | None:
    """Reverse the last operation; ``None`` when there is nothing to undo."""
    undo_stack, _ = stacks(read_history(loaded.root))
    if not undo_stack:
        return None
    e = undo_stack[-1]
    change = _replay(loaded, e, reverse=True)
    _record(loaded, change, op="undo", ref=str(e["id"]), author=author)
    return change


def redo(loaded: Loaded, *, author: str | None = None) -> Change | None:
    _, redo_stack = stacks(read_history(loaded.root))
    if not redo_stack:
        return None
    e = redo_stack[-1]
    change = _replay(loaded, e, reverse=False)
    _record(loaded, change, op="redo", ref=str(e["id"]), author=author)
    return change


def can_undo(loaded: Loaded) -> bool:
    return bool(stacks(read_history(loaded.root))[0])


def _replay(loaded: Loaded, e: dict[str, Any], *, reverse: bool) -> Change:
    feature, task = str(e.get("feature")), str(e.get("task"))
    column = e.get("from") if reverse else e.get("to")
    mark = e.get("from_mark") if reverse else e.get("to_mark")
    if "hunks" in e:
        return _replay_text(loaded, e, reverse=reverse)
    if e.get("op") == "tick":
        from sdd_tui.operations.review import tick

        if not (isinstance(mark, str) and len(mark) == 1):
            raise OperationError("history entry without a box mark; cannot undo")
        return tick(loaded, feature, task, mark=mark)
    has_rank = "from_rank" in e or "to_rank" in e
    rank = e.get("from_rank") if reverse else e.get("to_rank")
    if not isinstance(column, str):
        raise OperationError("history entry without a column; cannot undo")
    if e.get("op") == "reorder":
        return set_rank(loaded, feature, task, rank if isinstance(rank, int | float) else None)
    kwargs: dict[str, Any] = {}
    if isinstance(mark, str) and len(mark) == 1:
        kwargs["mark"] = mark
    if has_rank:
        kwargs["rank"] = rank if isinstance(rank, int | float) else None
    # Undo and redo put back what was recorded, also on an archived feature whose task was
    # moved with --force: refusing would leave that forced change the only one not undoable.
    return move(loaded, feature, task, column, force=True, **kwargs)


def _replay_text(loaded: Loaded, e: dict[str, Any], *, reverse: bool) -> Change:
    """Undo (``reverse``) or redo a text edit from its recorded hunks."""
    path = e.get("path")
    if not isinstance(path, str) or not path:
        raise OperationError("history entry without a path; cannot undo")
    hunks = text_edits.from_json(e["hunks"])
    todo = text_edits.invert(hunks) if reverse else hunks
    entry = _board_side(e, reverse=reverse)
    if entry is not None and not reverse:
        _set_entry(loaded, *entry)  # a task added to a column: its entry first, as add does
    text_edits.replay(loaded.root, path, todo)
    if entry is not None and reverse:
        _set_entry(loaded, *entry)
    if loaded.cache is not None:
        loaded.cache.forget(path)
    label = e.get("label") if isinstance(e.get("label"), str) else ""
    return Change(
        str(e.get("op")),
        str(e.get("feature")),
        str(e.get("task")),
        "",
        "",
        "",
        "",
        files=(path,),
        label=label,
        path=path,
        hunks=tuple(todo),
    )


def _board_side(e: dict[str, Any], *, reverse: bool) -> tuple[str, str, Any] | None:
    """(board key, column, rank) a text edit also set in board.json (an ``add`` to a column
    the box cannot express), on the side undo or redo goes to; None when it set none."""
    if e.get("op") != "add" or (e.get("from") == e.get("to") and "from_rank" not in e):
        return None
    column = e.get("from") if reverse else e.get("to")
    rank = e.get("from_rank") if reverse else e.get("to_rank")
    key = f"{e.get('feature')}/{e.get('task')}"
    return key, column if isinstance(column, str) else "", rank


def _set_entry(loaded: Loaded, key: str, column: str, rank: Any) -> None:
    from sdd_tui.operations.board import _update_board_entries
    from sdd_tui.workspace.writer import workspace_lock

    value = rank if isinstance(rank, int | float) and not isinstance(rank, bool) else None
    with workspace_lock(loaded.root):
        _update_board_entries(loaded.root, {key: {"column": column or None, "rank": value}})


@lru_cache(maxsize=8)
def git_author(root: str) -> str | None:
    """The user's name from git config (or GIT_AUTHOR_NAME); ``None`` when unknown."""
    name = os.environ.get("GIT_AUTHOR_NAME")
    if name:
        return name
    import subprocess

    try:
        out = subprocess.run(
            ["git", "config", "user.name"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None
