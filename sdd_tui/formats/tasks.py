"""From checkbox items to board tasks and checklist items: keys, parents and columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sdd_tui.formats.boxes import BoxTuple
from sdd_tui.formats.task_grammar import TaskText, checklist_tags, parse_task_text, slug
from sdd_tui.model.items import DONE_MARKS, BoxItem, ChecklistItem, Task
from sdd_tui.model.workspace import Columns, Problem


def board_key(feature: str, task_key: str) -> str:
    return f"{feature}/{task_key}"


def column_for(
    mark: str,
    stored: str | None,
    columns: Columns,
    *,
    native_in_progress: bool = False,
    in_progress_default: bool = False,
) -> str:
    """The board column of a task: the box decides done; board.json the columns between.

    ``native_in_progress``: the layout's own tools write ``[-]`` for a task in progress."""
    if mark in DONE_MARKS:
        return columns.done
    between = stored if stored is not None and columns.between(stored) else None
    if native_in_progress:
        if mark == "-":
            return between or columns.in_progress
        if mark == " ":
            return columns.first
        return between or columns.first
    if between:
        return between
    if in_progress_default and stored != columns.first:
        return columns.in_progress
    return columns.first


# A task as its file defines it, before the board assigns a column:
# (key, id, title, text, mark, path, line, end_line, parent, story, parallel, optional,
#  requirements, section, body, subtasks).  Plain tuples: cheap to cache and to rebuild.
TaskRow = tuple[Any, ...]


def task_rows(
    boxes: Sequence[BoxItem],
    texts: Sequence[TaskText] | None = None,
    *,
    taken: dict[str, int] | None = None,
) -> tuple[list[TaskRow], list[Problem]]:
    """Keys, parents and sub-tasks of one file's tasks (independent of the board)."""
    tuples = [
        (b.path, b.line, b.end_line, b.box_offset, b.mark, b.depth, b.parent_index, b.text,
         b.section, b.body)
        for b in boxes
    ]  # fmt: skip
    return task_rows_of(tuples, texts, taken=taken)


def task_rows_of(
    boxes: Sequence[BoxTuple],
    texts: Sequence[TaskText] | None = None,
    *,
    taken: dict[str, int] | None = None,
) -> tuple[list[TaskRow], list[Problem]]:
    """``task_rows`` on ``boxes.box_tuples``."""
    problems: list[Problem] = []
    taken = {} if taken is None else taken
    first_line: dict[str, int] = {}
    keys: list[str] = []
    parsed = list(texts) if texts is not None else [parse_task_text(b[7], b[9]) for b in boxes]
    for box, tt in zip(boxes, parsed, strict=True):
        base = tt.id or slug(tt.title)
        count = taken.get(base, 0) + 1
        taken[base] = count
        if count == 1:
            key = base
            first_line[base] = box[1] + 1
        else:
            key = f"{base}#{count}"
            if tt.id:
                where = f"line {first_line[base]}" if base in first_line else "another file"
                problems.append(
                    Problem(
                        box[0],
                        f"duplicate task ID {tt.id} (first at {where}); this one is {key}",
                        box[1] + 1,
                    )
                )
        keys.append(key)
    last_with_id: dict[str, str] = {}
    parents: list[str | None] = []
    children: dict[str, list[str]] = {}
    for box, tt, key in zip(boxes, parsed, keys, strict=True):
        tid = tt.id
        parent = keys[box[6]] if box[6] is not None else None
        if parent is None and tid and "." in tid.strip("."):
            parent = last_with_id.get(tid.rsplit(".", 1)[0])
        if tid:
            last_with_id[tid] = key
        if parent is not None:
            children.setdefault(parent, []).append(key)
        parents.append(parent)
    rows: list[TaskRow] = []
    for box, tt, key, parent in zip(boxes, parsed, keys, parents, strict=True):
        path, line, end_line, _offset, mark, _depth, _parent_index, text, section, body = box
        rows.append(
            (
                key,
                tt.id,
                tt.title,
                text,
                mark,
                path,
                line + 1,
                end_line,
                parent,
                tt.story,
                tt.parallel,
                tt.optional,
                tt.requirements,
                section,
                body,
                tuple(children[key]) if key in children else (),
            )
        )
    return rows, problems


def tasks_from_rows(
    feature: str,
    rows: Sequence[TaskRow],
    board: dict[str, Any],
    columns: Columns,
    *,
    native_in_progress: bool = False,
    in_progress_sections: tuple[str, ...] = (),
) -> list[Task]:
    """Place each row on the board: its column (box + board.json) and custom rank.

    The common case (no board entry, no progress.md section) is inlined: this runs for
    every task of every feature on each load.
    """
    board_tasks = board.get("tasks", {})
    prefix = f"{feature}/"
    first, done = columns.first, columns.done
    in_progress = columns.in_progress
    new = tuple.__new__  # Task(...) goes through a Python-level __new__: twice the cost
    out: list[Task] = []
    append = out.append
    for r in rows:
        (key, tid, title, text, mark, path, line, end, parent, story, par, opt, reqs, section,
         body, subtasks) = r  # fmt: skip
        entry = board_tasks.get(prefix + key) if board_tasks else None
        rank = None
        if entry is None and not in_progress_sections:
            if mark == "x" or mark == "X":
                column = done
            elif native_in_progress and mark == "-":
                column = in_progress
            else:
                column = first
        else:
            stored = None
            if isinstance(entry, dict):
                stored = entry.get("column")
                rank = entry.get("rank")
                if not isinstance(rank, int | float) or isinstance(rank, bool):
                    rank = None
                else:
                    rank = float(rank)
            column = column_for(
                mark,
                stored if isinstance(stored, str) else None,
                columns,
                native_in_progress=native_in_progress,
                in_progress_default=bool(
                    section and section.strip().lower() in in_progress_sections
                ),
            )
        fields = (feature, key, tid, title, text, mark, column, path, line, end, parent, story,
                  par, opt, reqs, section, body, subtasks, rank)  # fmt: skip
        append(new(Task, fields))
    return out


def build_tasks(
    feature: str,
    boxes: Sequence[BoxItem],
    board: dict[str, Any],
    columns: Columns,
    *,
    native_in_progress: bool = False,
    in_progress_sections: tuple[str, ...] = (),
    taken: dict[str, int] | None = None,
) -> tuple[list[Task], list[Problem]]:
    """Tasks of one file; ``taken`` carries keys already used in the feature."""
    rows, problems = task_rows(boxes, taken=taken)
    tasks = tasks_from_rows(
        feature,
        rows,
        board,
        columns,
        native_in_progress=native_in_progress,
        in_progress_sections=in_progress_sections,
    )
    return tasks, problems


def build_checklist(
    feature: str,
    boxes: Sequence[BoxItem],
    *,
    taken: dict[str, int] | None = None,
    texts: Sequence[TaskText] | None = None,
) -> list[ChecklistItem]:
    tuples = [
        (b.path, b.line, b.end_line, b.box_offset, b.mark, b.depth, b.parent_index, b.text,
         b.section, b.body)
        for b in boxes
    ]  # fmt: skip
    return checklist_from_rows(feature, checklist_rows(tuples, texts), taken=taken)


# A checklist item as its file defines it, before the feature gives it a key:
# (base key, id, text, mark, path, 1-based line, section, tags, refs).
CheckRow = tuple[Any, ...]


def checklist_rows(
    boxes: Sequence[BoxTuple], texts: Sequence[TaskText] | None = None
) -> list[CheckRow]:
    out: list[CheckRow] = []
    for i, box in enumerate(boxes):
        tt = texts[i] if texts is not None else parse_task_text(box[7])
        tags, refs = checklist_tags(tt.title)
        path = box[0]
        stem = path.rsplit("/", 1)[-1].removesuffix(".md")
        base = f"{stem}:{tt.id or slug(tt.title)}"
        out.append((base, tt.id, tt.title, box[4], path, box[1] + 1, box[8], tags, refs))
    return out


def checklist_from_rows(
    feature: str, rows: Sequence[CheckRow], *, taken: dict[str, int] | None = None
) -> list[ChecklistItem]:
    """Checklist items of one file; ``taken`` carries keys already used in the feature."""
    taken = {} if taken is None else taken
    out: list[ChecklistItem] = []
    for base, tid, text, mark, path, line, section, tags, refs in rows:
        count = taken.get(base, 0) + 1
        taken[base] = count
        key = base if count == 1 else f"{base}#{count}"
        out.append(ChecklistItem(feature, key, tid, text, mark, path, line, section, tags, refs))
    return out
