"""From checkbox items to board tasks and checklist items: keys, parents and columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sdd_tui.formats.task_grammar import TaskText, checklist_tags, parse_task_text, slug
from sdd_tui.model.items import DONE_MARKS, BoxItem, ChecklistItem, Task
from sdd_tui.model.workspace import Problem


@dataclass(frozen=True, slots=True)
class Columns:
    """The configured columns and the roles sdd-tui gives them."""

    ids: tuple[str, ...]

    @property
    def first(self) -> str:
        return self.ids[0]

    @property
    def done(self) -> str:
        return "done"

    @property
    def in_progress(self) -> str:
        if "in_progress" in self.ids:
            return "in_progress"
        return self.ids[1] if len(self.ids) > 2 else self.ids[0]

    def between(self, column: str) -> bool:
        """A column that the Markdown box cannot express (neither first nor done)."""
        return column in self.ids and column not in (self.first, self.done)


def board_key(feature: str, task_key: str) -> str:
    return f"{feature}/{task_key}"


def column_for(
    mark: str,
    layout: str,
    stored: str | None,
    columns: Columns,
    *,
    in_progress_default: bool = False,
) -> str:
    """The board column of a task: the box decides done; board.json the columns between."""
    if mark in DONE_MARKS:
        return columns.done
    between = stored if stored is not None and columns.between(stored) else None
    if layout == "kiro":
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
    problems: list[Problem] = []
    taken = {} if taken is None else taken
    first_line: dict[str, int] = {}
    keys: list[str] = []
    parsed = list(texts) if texts is not None else [parse_task_text(b.text, b.body) for b in boxes]
    for box, tt in zip(boxes, parsed, strict=True):
        base = tt.id or slug(tt.title)
        count = taken.get(base, 0) + 1
        taken[base] = count
        key = base if count == 1 else f"{base}#{count}"
        if count == 1:
            first_line[base] = box.line + 1
        elif tt.id:
            where = f"line {first_line[base]}" if base in first_line else "another file"
            problems.append(
                Problem(
                    box.path,
                    f"duplicate task ID {tt.id} (first at {where}); this one is {key}",
                    box.line + 1,
                )
            )
        keys.append(key)
    last_with_id: dict[str, str] = {}
    parents: list[str | None] = []
    children: dict[str, list[str]] = {}
    for box, tt, key in zip(boxes, parsed, keys, strict=True):
        parent = keys[box.parent_index] if box.parent_index is not None else None
        if parent is None and tt.id and "." in tt.id.strip("."):
            parent = last_with_id.get(tt.id.rsplit(".", 1)[0])
        if tt.id:
            last_with_id[tt.id] = key
        if parent is not None:
            children.setdefault(parent, []).append(key)
        parents.append(parent)
    rows: list[TaskRow] = []
    for box, tt, key, parent in zip(boxes, parsed, keys, parents, strict=True):
        rows.append(
            (
                key,
                tt.id,
                tt.title,
                box.text,
                box.mark,
                box.path,
                box.line + 1,
                box.end_line,
                parent,
                tt.story,
                tt.parallel,
                tt.optional,
                tt.requirements,
                box.section,
                box.body,
                tuple(children.get(key, ())),
            )
        )
    return rows, problems


def tasks_from_rows(
    feature: str,
    layout: str,
    rows: Sequence[TaskRow],
    board: dict[str, Any],
    columns: Columns,
    *,
    in_progress_sections: tuple[str, ...] = (),
) -> list[Task]:
    """Place each row on the board: its column (box + board.json) and custom rank.

    The common case (no board entry, no progress.md section) is inlined: this runs for
    every task of every feature on each load.
    """
    board_tasks = board.get("tasks", {})
    prefix = f"{feature}/"
    first, done = columns.first, columns.done
    kiro = layout == "kiro"
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
            elif kiro and mark == "-":
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
                layout,
                stored if isinstance(stored, str) else None,
                columns,
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
    layout: str,
    boxes: Sequence[BoxItem],
    board: dict[str, Any],
    columns: Columns,
    *,
    in_progress_sections: tuple[str, ...] = (),
    taken: dict[str, int] | None = None,
) -> tuple[list[Task], list[Problem]]:
    """Tasks of one file; ``taken`` carries keys already used in the feature."""
    rows, problems = task_rows(boxes, taken=taken)
    tasks = tasks_from_rows(
        feature, layout, rows, board, columns, in_progress_sections=in_progress_sections
    )
    return tasks, problems


def build_checklist(
    feature: str,
    boxes: Sequence[BoxItem],
    *,
    taken: dict[str, int] | None = None,
    texts: Sequence[TaskText] | None = None,
) -> list[ChecklistItem]:
    taken = {} if taken is None else taken
    out: list[ChecklistItem] = []
    for i, box in enumerate(boxes):
        tt = texts[i] if texts is not None else parse_task_text(box.text)
        tags, refs = checklist_tags(tt.title)
        stem = box.path.rsplit("/", 1)[-1].removesuffix(".md")
        base = f"{stem}:{tt.id or slug(tt.title)}"
        count = taken.get(base, 0) + 1
        taken[base] = count
        key = base if count == 1 else f"{base}#{count}"
        out.append(
            ChecklistItem(
                feature=feature,
                key=key,
                id=tt.id,
                text=tt.title,
                mark=box.mark,
                path=box.path,
                line=box.line + 1,
                section=box.section,
                tags=tags,
                refs=refs,
            )
        )
    return out
