"""Board operations: move a card, toggle done, reorder, all landing in the repo's files.

One code path for the UI and the CLI.  A move writes the smallest change that expresses it:
the box character in the Markdown when done-ness (or Kiro's ``[-]``) changes, one entry in
``.sdd/board.json`` for the columns a box cannot express, and one line in
``.sdd/history.jsonl``.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from pathlib import Path
from typing import Any

from sdd_tui.formats.board_state import (
    BoardStateError,
    dump_board,
    edit_dump,
    empty_board,
    parse_board,
    update_entry,
)
from sdd_tui.formats.tasks import board_key, build_tasks
from sdd_tui.layouts import layout_of
from sdd_tui.model.items import DONE_MARKS, BoxItem, Task
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Columns, Feature
from sdd_tui.operations.boxes import OperationError, check_writable, done_char, set_box
from sdd_tui.workspace.documents import ParsedDoc
from sdd_tui.workspace.fsread import ReadProblem, read_optional
from sdd_tui.workspace.snapshot import BOARD_PATH, Loaded
from sdd_tui.workspace.writer import (
    Conflict,
    WriteRefused,
    atomic_write,
    workspace_lock,
    write_target,
)


@record
class Change:
    """What one operation did, as recorded in history."""

    op: str  # move | reorder
    feature: str
    task: str
    from_column: str
    to_column: str
    from_mark: str
    to_mark: str
    from_rank: float | None = None
    to_rank: float | None = None
    files: tuple[str, ...] = ()

    @property
    def noop(self) -> bool:
        return not self.files


def resolve(loaded: Loaded, feature_ref: str, task_ref: str) -> tuple[Feature, Task]:
    ws = loaded.workspace
    feature = ws.feature(feature_ref)
    if feature is None:
        raise OperationError(f"unknown feature '{feature_ref}'")
    task = feature.task(task_ref)
    if task is None:
        raise OperationError(f"unknown task '{task_ref}' in feature '{feature.id}'")
    return feature, task


def _sort_key(feature: Feature, task: Task) -> float:
    if task.rank is not None:
        return task.rank
    return float(feature.tasks.index(task))


def move(
    loaded: Loaded,
    feature_ref: str,
    task_ref: str,
    column: str,
    *,
    mark: str | None = None,
    rank: float | object | None = ...,
    force: bool = False,
) -> Change:
    """Move a task to ``column``; ``mark`` forces the box character (used by undo/redo);
    ``force`` moves a task of an archived feature (refused otherwise)."""
    columns = loaded.columns
    if column not in columns.ids:
        raise OperationError(f"unknown column '{column}' (columns: {', '.join(columns.ids)})")
    feature, task = resolve(loaded, feature_ref, task_ref)
    check_writable(feature, force=force)
    root = loaded.root
    native = layout_of(feature).native_in_progress  # [-] is the box of "in progress"
    files: list[str] = []
    with workspace_lock(root):
        _check_board(root)  # before the Markdown changes: a move is whole or nothing
        old_mark, new_mark = set_box(
            root,
            task.path,
            _locator(feature, task.key, loaded),
            lambda doc, box: (
                mark if mark is not None else _target_mark(native, box.mark, column, columns, doc)
            ),
            what=f"task {task.key}",
            cache=loaded.cache,
        )
        if new_mark != old_mark:
            files.append(task.path)
        from_column = task.column
        stored: str | None = column if columns.between(column) else None
        if native and column == columns.in_progress:
            stored = None
        if column == columns.first and _defaults_in_progress(loaded, feature, task):
            stored = column
        changes: dict[str, Any] = {"column": stored}
        if rank is not ...:
            changes["rank"] = rank
        elif column != from_column:
            changes["rank"] = None
        if _update_board(root, board_key(feature.id, task.key), changes):
            files.append(BOARD_PATH)
    return Change(
        "move",
        feature.id,
        task.key,
        from_column,
        column,
        old_mark,
        new_mark,
        from_rank=task.rank,
        to_rank=changes.get("rank", task.rank),
        files=tuple(files),
    )


def toggle(loaded: Loaded, feature_ref: str, task_ref: str, *, force: bool = False) -> Change:
    """Done ⇄ the first column."""
    _, task = resolve(loaded, feature_ref, task_ref)
    columns = loaded.columns
    target = columns.first if task.done else columns.done
    return move(loaded, feature_ref, task_ref, target, force=force)


def reorder(loaded: Loaded, feature_ref: str, task_ref: str, delta: int) -> Change:
    """Move a card up (``delta`` < 0) or down inside its column; writes only its rank."""
    feature, task = resolve(loaded, feature_ref, task_ref)
    check_writable(feature)
    cards = feature.column_tasks(task.column)
    pos = cards.index(task)
    new_pos = max(0, min(len(cards) - 1, pos + delta))
    if new_pos == pos:
        return Change(
            "reorder",
            feature.id,
            task.key,
            task.column,
            task.column,
            task.mark,
            task.mark,
            task.rank,
            task.rank,
        )
    others = [c for c in cards if c is not task]
    before = others[new_pos - 1] if new_pos > 0 else None
    after = others[new_pos] if new_pos < len(others) else None
    lo = _sort_key(feature, before) if before is not None else None
    hi = _sort_key(feature, after) if after is not None else None
    if lo is None and hi is not None:
        new_rank = hi - 1.0
    elif hi is None and lo is not None:
        new_rank = lo + 1.0
    else:
        assert lo is not None and hi is not None
        new_rank = (lo + hi) / 2.0
    entries = {board_key(feature.id, task.key): {"rank": new_rank}}
    if lo is not None and hi is not None and not lo < new_rank < hi:
        # Neighbours tie (hand-written ranks, or ranks halved too often): renumber the column.
        order = [*others[:new_pos], task, *others[new_pos:]]
        entries = {board_key(feature.id, c.key): {"rank": float(i)} for i, c in enumerate(order)}
        new_rank = float(new_pos)
    with workspace_lock(loaded.root):
        _update_board_entries(loaded.root, entries)
    return Change(
        "reorder",
        feature.id,
        task.key,
        task.column,
        task.column,
        task.mark,
        task.mark,
        task.rank,
        new_rank,
        files=(BOARD_PATH,),
    )


def set_rank(loaded: Loaded, feature_ref: str, task_ref: str, rank: float | None) -> Change:
    feature, task = resolve(loaded, feature_ref, task_ref)
    with workspace_lock(loaded.root):
        changed = _update_board(loaded.root, board_key(feature.id, task.key), {"rank": rank})
    return Change(
        "reorder",
        feature.id,
        task.key,
        task.column,
        task.column,
        task.mark,
        task.mark,
        task.rank,
        rank,
        files=(BOARD_PATH,) if changed else (),
    )


def _defaults_in_progress(loaded: Loaded, feature: Feature, task: Task) -> bool:
    for src in loaded.sources:
        if src.id == feature.id and src.in_progress_sections:
            section = (task.section or "").strip().lower()
            return section in src.in_progress_sections
    return False


def _locator(feature: Feature, key: str, loaded: Loaded):
    """Find the box of task ``key`` in a fresh parse of the feature's tasks file."""
    src = next((s for s in loaded.sources if s.id == feature.id), None)
    sections = src.in_progress_sections if src is not None else ()

    def locate(doc: ParsedDoc) -> BoxItem | None:
        tasks, _ = build_tasks(
            feature.id,
            doc.boxes,
            {},
            loaded.columns,
            native_in_progress=layout_of(feature).native_in_progress,
            in_progress_sections=sections,
        )
        for t, box in zip(tasks, doc.boxes, strict=True):
            if t.key == key:
                return box
        return None

    return locate


def _target_mark(
    native_in_progress: bool, current: str, column: str, columns: Columns, doc: ParsedDoc
) -> str:
    if column == columns.done:
        return current if current in DONE_MARKS else done_char(doc)
    if native_in_progress:
        return " " if column == columns.first else "-"
    if current in DONE_MARKS:
        return " "
    return current


def _check_board(root: Path) -> None:
    """Refuse early when board.json could be neither read nor replaced."""
    path = root / BOARD_PATH
    try:
        if read_optional(root, path) is not None:
            write_target(root, path)
    except ReadProblem as exc:
        raise OperationError(f"{BOARD_PATH}: {exc}; nothing written") from None
    except WriteRefused as exc:
        raise OperationError(f"{BOARD_PATH}: {exc}; nothing written") from None


def _update_board(root: Path, key: str, changes: dict[str, Any]) -> bool:
    """Apply one entry's change to the current board.json (caller holds the lock)."""
    return _update_board_entries(root, {key: changes})


def _update_board_entries(root: Path, entries: dict[str, dict[str, Any]]) -> bool:
    """Apply entry changes to the current board.json in one write (caller holds the lock).

    Another program may be rewriting board.json at this moment: a read that does not parse
    is retried until the same bytes are read twice (only then is the file corrupt, backed up
    and replaced), and a write refused because the file changed is recomputed on the new
    content.
    """
    path = root / BOARD_PATH
    for _ in range(BOARD_ATTEMPTS):
        raw, data, corrupt = _read_board(root, path)
        new = data
        for key, changes in entries.items():
            new = update_entry(new, key, **changes)
        if not corrupt and new == data and (raw is not None or not new.get("tasks")):
            return False
        if corrupt:
            _backup_corrupt(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data_out = _board_bytes(path, raw, data, new, entries) if not corrupt else dump_board(new)
        try:
            atomic_write(root, path, data_out, expected=raw)
        except WriteRefused as exc:
            raise OperationError(str(exc)) from None
        except Conflict:
            continue  # changed under us: merge our entries into the new content
        _WRITTEN[str(path)] = data_out
        return True
    raise OperationError(f"{BOARD_PATH} keeps changing; not written")


BOARD_ATTEMPTS = 5

# The last board.json bytes this process wrote, per file: bytes read back equal to them are
# known to be canonical (``dump_board`` made them), so the next write can edit them.
_WRITTEN: dict[str, bytes] = {}


def _board_bytes(
    path: Path,
    raw: bytes | None,
    old: dict[str, Any],
    new: dict[str, Any],
    entries: dict[str, dict[str, Any]],
) -> bytes:
    """``dump_board(new)``: by editing the changed entries of ``raw`` when it is our own
    last write (see ``edit_dump``), else by dumping it whole."""
    if raw is not None and _WRITTEN.get(str(path)) == raw:
        text = edit_dump(raw.decode("utf-8"), old, new, entries)
        if text is not None:
            return text.encode("utf-8")
    return dump_board(new)


def _read_board(root: Path, path: Path) -> tuple[bytes | None, dict[str, Any], bool]:
    """(raw bytes, parsed board, corrupt?) — a half-written file is read again, not reset."""
    last: bytes | None = None
    for attempt in range(BOARD_ATTEMPTS):
        try:
            read = read_optional(root, path)
        except ReadProblem as exc:
            raise OperationError(f"{BOARD_PATH}: {exc}; not written") from None
        raw = None if read is None else read.data
        if raw is None:
            return None, empty_board(), False
        try:
            return raw, parse_board(raw), False
        except BoardStateError:
            if attempt and raw == last:
                return raw, empty_board(), True  # the same bad bytes twice: really corrupt
            last = raw
            time.sleep(0.02)
    return last, empty_board(), True


def _backup_corrupt(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    with contextlib.suppress(FileNotFoundError):
        shutil.copy2(path, backup)
    return backup
