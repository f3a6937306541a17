"""Board operations: move a card, toggle done, reorder, all landing in the repo's files.

One code path for the UI and the CLI.  A move writes the smallest change that expresses it:
the box character in the Markdown when done-ness (or Kiro's ``[-]``) changes, one entry in
``.sdd/board.json`` for the columns a box cannot express, and one line in
``.sdd/history.jsonl``.

A move that changes both files (review → done, done → review, Kiro's todo ⇄ review) cannot
replace them at one instant, and no reader may see a state that is neither the move's before
nor its after.  Two measures, one for each kind of reader:

- **The order of the writes** (for readers that read both files at once and know nothing of
  sdd-tui: git, an editor, an older sdd-tui).  Between the writes the files hold one side's
  box and the other side's board entry.  The loader derives a task's column from that pair
  (``formats.tasks.column_for``): a done box wins over any entry, Kiro's ``[ ]`` ignores
  the entry.  So the order is chosen whose mixed pair reads as a real state: the box first
  when (new box, old entry) gives the new column (moves *to* done: the box alone says done),
  else board.json first, whose (old box, new entry) then gives the old column (moves *from*
  done: the old box still says done; Kiro todo → review: ``[ ]`` is todo whatever the entry
  says).  ``_write_order`` computes this from the files as they are, for every layout.
  Should the second write fail, board.json gets back the bytes it had (whole or nothing).
- **The write generation** (for sdd-tui's loader, which reads board.json and then each
  feature, possibly a move apart): the two writes are bracketed by an odd counter in
  ``.sdd/.lock`` (``HeldLock.several_files``); a load that saw the counter move reads again
  (``workspace/generation.py``, ``loader.load_root``).  This also covers what the order
  cannot: a card's rank between the writes.

Each write is still the one it was (the same bytes, one box or one entry), so the files after
a move and after its undo are what they were without this.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdd_tui.formats.board_state import (
    BoardStateError,
    dump_board,
    edit_dump,
    empty_board,
    entry,
    parse_board,
    update_entry,
)
from sdd_tui.formats.tasks import board_key, build_tasks, column_for
from sdd_tui.layouts import layout_of
from sdd_tui.model.items import DONE_MARKS, BoxItem, Task
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Columns, Feature
from sdd_tui.operations.boxes import (
    Locator,
    OperationError,
    check_writable,
    current_doc,
    done_char,
    set_box,
)
from sdd_tui.operations.history_log import last_done_mark
from sdd_tui.operations.text_edits import Hunk
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
    """What one operation did, as recorded in history.

    Board operations move or reorder a task; a checklist tick (``operations.review``) is a
    ``tick`` of one item, whose columns are empty and whose ``task`` is the item's key."""

    op: str  # move | reorder | tick
    feature: str
    task: str
    from_column: str
    to_column: str
    from_mark: str
    to_mark: str
    from_rank: float | None = None
    to_rank: float | None = None
    files: tuple[str, ...] = ()
    label: str = ""  # the ID the user knows (T009, CHK012) when it is not the key
    path: str = ""  # the file holding the box (ticks) or the text edited (answers)
    hunks: tuple[Hunk, ...] = ()  # a text edit's bytes, for undo (operations.text_edits)
    # What the user should know beyond the move itself (a corrupt board.json set aside).
    notes: tuple[str, ...] = ()

    @property
    def noop(self) -> bool:
        return not self.files

    @property
    def name(self) -> str:
        return self.label or self.task

    def describe(self, how: str = "") -> str:
        """One line for a toast: what this change did (``how``: "", "undo" or "redo";
        an undo's change already runs from the undone state back)."""
        if self.op == "tick":
            return f"{'ticked' if self.to_mark in DONE_MARKS else 'unticked'} {self.name}"
        if self.op == "answer":
            return (
                f"answer to “{self.name}” taken back"
                if how == "undo"
                else (f"answered “{self.name}”")
            )
        if self.op in _TEXT_EDITS:
            done, undone = _TEXT_EDITS[self.op]
            return f"{undone if how == 'undo' else done} {self.name}"
        if self.op == "reorder" or self.from_column == self.to_column:
            return f"reordered {self.name}"
        if how == "undo":
            return f"{self.name} back to {self.to_column}"
        return f"{self.name} {self.from_column} → {self.to_column}"


# operations.task_edits' operations: (what a toast says, what it says of their undo)
_TEXT_EDITS = {
    "add": ("added", "took back"),
    "rename": ("renamed", "name back on"),
    "remove": ("removed", "put back"),
    "split": ("split", "unsplit"),
}


def resolve(loaded: Loaded, feature_ref: str, task_ref: str) -> tuple[Feature, Task]:
    """The feature and task the user named: a task by key or ID, else by its title (tasks
    without an ID, like a Zencoder ``progress.md``'s, are known by their title); an unknown
    name gets the close matches in its message."""
    ws = loaded.workspace
    feature = ws.feature(feature_ref)
    if feature is None:
        hint = _close(feature_ref, {f.id: f.id for f in ws.features})
        raise OperationError(f"unknown feature '{feature_ref}'{hint}")
    task = feature.task(task_ref) or _task_by_title(feature, task_ref)
    if task is None:
        # a task without an ID is known by its title; its key (the title's slug) finds it too
        names = {t.key: t.key if t.id else t.title for t in feature.tasks}
        names.update((t.title, t.title) for t in feature.tasks if not t.id)
        hint = _close(task_ref, names)
        raise OperationError(f"unknown task '{task_ref}' in feature '{feature.id}'{hint}")
    return feature, task


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _task_by_title(feature: Feature, ref: str) -> Task | None:
    """The one task whose title (or its slug, the key of a task without an ID) is ``ref``."""
    from sdd_tui.formats.task_grammar import slug
    from sdd_tui.textsafe import safe

    want = _words(ref)
    found = [t for t in feature.tasks if _words(t.title) == want]
    if not found:
        key = slug(ref)
        found = [t for t in feature.tasks if key and t.key.split("#")[0] == key]
    if len(found) > 1:
        keys = ", ".join(safe(t.key) for t in found[:5])
        raise OperationError(
            f"'{ref}' names {len(found)} tasks in feature '{feature.id}' ({keys}); use a key"
        )
    return found[0] if found else None


def _close(ref: str, names: dict[str, str]) -> str:
    """`` (did you mean: a, b?)`` for the names closest to ``ref`` (``names``: what may be
    typed → what to show for it), or ``""``."""
    import difflib

    from sdd_tui.textsafe import safe  # titles are workspace text: no terminal controls

    shown: dict[str, str] = {}
    for name, show in names.items():
        shown.setdefault(name.casefold(), show)
    near = difflib.get_close_matches(ref.casefold(), list(shown), n=5, cutoff=0.6)
    picks = list(dict.fromkeys(shown[n] for n in near))[:3]
    return f" (did you mean: {', '.join(safe(p) for p in picks)}?)" if picks else ""


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
    locate = _locator(feature, task.key, loaded)

    # the task's own done mark when it comes back to done (history), else the file's style
    own_done = (
        last_done_mark(root, feature.id, task.key)
        if column == columns.done and mark is None
        else None
    )

    def target(doc: ParsedDoc, box: BoxItem) -> str:
        if mark is not None:
            return mark
        return _target_mark(native, box.mark, column, columns, doc, own_done)

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
    key = board_key(feature.id, task.key)

    def write_box() -> tuple[str, str]:
        return set_box(root, task.path, locate, target, what=f"task {task.key}", cache=loaded.cache)

    notes: list[str] = []
    with workspace_lock(root) as lock:
        _check_board(root)  # before the Markdown changes: a move is whole or nothing
        both, box_first = _write_order(loaded, feature, task, locate, target, key, changes)
        with lock.several_files() if both else contextlib.nullcontext():
            if box_first:
                old_mark, new_mark = write_box()
                board_written = _update_board(root, key, changes, notes)
            else:
                written = _update_board_bytes(root, {key: changes}, notes)
                board_written = written is not None
                try:
                    old_mark, new_mark = write_box()
                except BaseException:
                    if written is not None:  # whole or nothing: put board.json back
                        _restore_board(root, *written)
                    raise
    files = ((task.path,) if new_mark != old_mark else ()) + (
        (BOARD_PATH,) if board_written else ()
    )
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
        files=files,
        notes=tuple(notes),
        label=task.id or "",
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
            label=task.id or "",
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
        label=task.id or "",
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
        label=task.id or "",
    )


def _defaults_in_progress(loaded: Loaded, feature: Feature, task: Task) -> bool:
    for src in loaded.sources:
        if src.id == feature.id and src.in_progress_sections:
            section = (task.section or "").strip().lower()
            return section in src.in_progress_sections
    return False


def _column(
    loaded: Loaded, feature: Feature, task: Task, mark: str, board_entry: dict[str, Any]
) -> str:
    """The column the loader derives for ``task`` from a box ``mark`` and a board entry."""
    stored = board_entry.get("column")
    return column_for(
        mark,
        stored if isinstance(stored, str) else None,
        loaded.columns,
        native_in_progress=layout_of(feature).native_in_progress,
        in_progress_default=_defaults_in_progress(loaded, feature, task),
    )


def _write_order(
    loaded: Loaded,
    feature: Feature,
    task: Task,
    locate: Locator,
    target: Callable[[ParsedDoc, BoxItem], str],
    key: str,
    changes: dict[str, Any],
) -> tuple[bool, bool]:
    """(both files change, the box is written first) for a move, from the files as they are.

    Between the two writes the files hold one side's box and the other side's entry; the
    order is the one whose mixed pair the loader reads as the move's before or after (see
    the module docstring).
    """
    root = loaded.root
    doc = current_doc(root, task.path, loaded.cache)
    box = locate(doc)
    if box is None:
        return False, True  # set_box says why
    old_mark, new_mark = box.mark, target(doc, box)
    _, board, _ = _read_board(root, root / BOARD_PATH)
    before = entry(board, key)
    after = entry(update_entry(board, key, **changes), key)
    if old_mark == new_mark or before == after:
        return False, True
    box_first = _column(loaded, feature, task, new_mark, before) == _column(
        loaded, feature, task, new_mark, after
    )
    return True, box_first


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
    native_in_progress: bool,
    current: str,
    column: str,
    columns: Columns,
    doc: ParsedDoc,
    own_done: str | None,
) -> str:
    if column == columns.done:
        if current in DONE_MARKS:
            return current
        # the task's own mark when it comes back to done; the file's style when it never was
        return own_done if own_done is not None else done_char(doc)
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


def _update_board(
    root: Path, key: str, changes: dict[str, Any], notes: list[str] | None = None
) -> bool:
    """Apply one entry's change to the current board.json (caller holds the lock)."""
    return _update_board_entries(root, {key: changes}, notes)


def _update_board_entries(
    root: Path, entries: dict[str, dict[str, Any]], notes: list[str] | None = None
) -> bool:
    """Apply entry changes to the current board.json in one write (caller holds the lock)."""
    return _update_board_bytes(root, entries, notes) is not None


def _update_board_bytes(
    root: Path, entries: dict[str, dict[str, Any]], notes: list[str] | None = None
) -> tuple[bytes | None, bytes] | None:
    """Apply entry changes to the current board.json in one write (caller holds the lock);
    (the bytes replaced, the bytes written), or ``None`` when nothing needed writing.

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
            return None
        if corrupt:
            backup = _backup_corrupt(path)
            if notes is not None:
                notes.append(
                    f"{BOARD_PATH} could not be read: set aside as .sdd/{backup.name} "
                    "and written afresh (the columns only it held are reset)"
                )
        path.parent.mkdir(parents=True, exist_ok=True)
        data_out = _board_bytes(path, raw, data, new, entries) if not corrupt else dump_board(new)
        try:
            atomic_write(root, path, data_out, expected=raw)
        except WriteRefused as exc:
            raise OperationError(str(exc)) from None
        except Conflict:
            continue  # changed under us: merge our entries into the new content
        _WRITTEN[str(path)] = data_out
        return raw, data_out
    raise OperationError(f"{BOARD_PATH} keeps changing; not written")


def _restore_board(root: Path, replaced: bytes | None, written: bytes) -> None:
    """Put back the board.json bytes a move replaced, unless someone changed them since."""
    path = root / BOARD_PATH
    with contextlib.suppress(Conflict, WriteRefused, OSError):
        if replaced is None:
            current = read_optional(root, path)
            if current is not None and current.data == written:
                path.unlink()
        else:
            atomic_write(root, path, replaced, expected=written)
            _WRITTEN.pop(str(path), None)


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
