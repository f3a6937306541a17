"""From checkbox items to board tasks and checklist items: keys, parents and columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sdd_tui.formats.task_grammar import checklist_tags, parse_task_text, slug
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
    problems: list[Problem] = []
    taken = {} if taken is None else taken
    first_line: dict[str, int] = {}
    keys: list[str] = []
    parsed = []
    board_tasks = board.get("tasks", {})
    for box in boxes:
        tt = parse_task_text(box.text, box.body)
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
        parsed.append(tt)
    last_with_id: dict[str, str] = {}
    tasks: list[Task] = []
    children: dict[str, list[str]] = {}
    for box, tt, key in zip(boxes, parsed, keys, strict=True):
        parent = keys[box.parent_index] if box.parent_index is not None else None
        if parent is None and tt.id and "." in tt.id.strip("."):
            parent = last_with_id.get(tt.id.rsplit(".", 1)[0])
        if tt.id:
            last_with_id[tt.id] = key
        if parent is not None:
            children.setdefault(parent, []).append(key)
        entry = board_tasks.get(board_key(feature, key))
        stored = entry.get("column") if isinstance(entry, dict) else None
        rank = entry.get("rank") if isinstance(entry, dict) else None
        section = box.section
        tasks.append(
            Task(
                feature=feature,
                key=key,
                id=tt.id,
                title=tt.title,
                text=box.text,
                mark=box.mark,
                column=column_for(
                    box.mark,
                    layout,
                    stored if isinstance(stored, str) else None,
                    columns,
                    in_progress_default=bool(
                        section and section.strip().lower() in in_progress_sections
                    ),
                ),
                path=box.path,
                line=box.line + 1,
                end_line=box.end_line,
                parent=parent,
                story=tt.story,
                parallel=tt.parallel,
                optional=tt.optional,
                requirements=tt.requirements,
                section=section,
                body=box.body,
                rank=float(rank) if isinstance(rank, int | float) else None,
            )
        )
    if children:
        tasks = [
            _with_subtasks(t, tuple(children[t.key])) if t.key in children else t for t in tasks
        ]
    return tasks, problems


def _with_subtasks(task: Task, subtasks: tuple[str, ...]) -> Task:
    return replace(task, subtasks=subtasks)


def build_checklist(
    feature: str, boxes: Sequence[BoxItem], *, taken: dict[str, int] | None = None
) -> list[ChecklistItem]:
    taken = {} if taken is None else taken
    out: list[ChecklistItem] = []
    for box in boxes:
        tt = parse_task_text(box.text)
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
