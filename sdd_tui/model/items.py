"""Checkbox items: tasks on the board and checklist items under review."""

from __future__ import annotations

from typing import NamedTuple

from sdd_tui.model.record import record

DONE_MARKS = frozenset("xX")


@record
class BoxItem:
    """A Markdown list item that starts with a task box, as found in one file.

    ``line`` and ``end_line`` are 0-based, ``end_line`` exclusive (the item's whole extent,
    nested items included).  ``box_offset`` is the character offset of the box character in
    the decoded text (BOM excluded).
    """

    path: str
    line: int
    end_line: int
    box_offset: int
    mark: str
    depth: int
    parent_index: int | None
    text: str
    section: str | None
    body: tuple[str, ...]

    @property
    def checked(self) -> bool:
        return self.mark in DONE_MARKS


class Task(NamedTuple):
    """One card on the board.

    A NamedTuple rather than a frozen dataclass: every load builds one per task (20,000 in
    a big monorepo) and a frozen dataclass's ``__init__`` costs five times as much.
    """

    feature: str
    key: str
    id: str | None
    title: str
    text: str
    mark: str
    column: str
    path: str
    line: int  # 1-based
    end_line: int  # 1-based, inclusive
    parent: str | None  # key of the parent task
    story: str | None
    parallel: bool
    optional: bool
    requirements: tuple[str, ...]
    section: str | None
    body: tuple[str, ...]
    subtasks: tuple[str, ...] = ()
    rank: float | None = None

    @property
    def done(self) -> bool:
        return self.mark in DONE_MARKS

    @property
    def known_mark(self) -> bool:
        return self.mark in " xX-"


@record
class ChecklistItem:
    """One item of a review checklist (a checklists/*.md file or a checkbox list in a spec)."""

    feature: str
    key: str
    id: str | None
    text: str
    mark: str
    path: str
    line: int  # 1-based
    section: str | None
    tags: tuple[str, ...]
    refs: tuple[str, ...]

    @property
    def checked(self) -> bool:
        return self.mark in DONE_MARKS
