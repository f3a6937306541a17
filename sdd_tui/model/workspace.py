"""A loaded workspace: its features and the problems met while reading it."""

from __future__ import annotations

from dataclasses import field

from sdd_tui.model.items import ChecklistItem, Task
from sdd_tui.model.record import record
from sdd_tui.model.spec import Clarification, Heading, Requirement


@record
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


@record
class Problem:
    """Something that could not be read; ``path`` is relative to the root, ``line`` 1-based."""

    path: str
    message: str
    line: int | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"path": self.path, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        return data

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@record
class Feature:
    """One feature of one layout.

    ``documents`` maps a role (spec, plan, tasks, research, design, proposal, …) to a
    root-relative path, or ``None`` when the layout knows the role but the file is absent.
    ``extra_documents`` lists further readable documents (contracts, delta specs) in order.
    """

    id: str
    layout: str
    path: str
    archived: bool = False
    read_only: bool = False
    branch: str | None = None
    documents: dict[str, str | None] = field(default_factory=dict)
    extra_documents: tuple[tuple[str, str], ...] = ()
    checklist_files: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    clarifications: tuple[Clarification, ...] = ()
    headings: dict[str, tuple[Heading, ...]] = field(default_factory=dict)

    @property
    def done_count(self) -> int:
        return sum(1 for t in self.tasks if t.done)

    @property
    def finished(self) -> bool:
        return bool(self.tasks) and all(t.done for t in self.tasks)

    def column_tasks(self, column: str) -> list[Task]:
        """The cards of one column in board order (board.json rank, else document order)."""
        keyed = [
            (t.rank if t.rank is not None else float(i), i, t)
            for i, t in enumerate(self.tasks)
            if t.column == column
        ]
        keyed.sort(key=lambda k: (k[0], k[1]))
        return [t for _, _, t in keyed]

    def task(self, ref: str) -> Task | None:
        """Find a task by key, then by id (case-insensitive); ``None`` if absent."""
        for t in self.tasks:
            if t.key == ref:
                return t
        low = ref.lower()
        for t in self.tasks:
            if t.key.lower() == low or (t.id is not None and t.id.lower() == low):
                return t
        return None


@record
class Workspace:
    root: str
    columns: tuple[str, ...]
    features: tuple[Feature, ...]
    active_feature: str | None
    problems: tuple[Problem, ...]
    column_titles: dict[str, str] = field(default_factory=dict)

    def feature(self, ref: str) -> Feature | None:
        found = match_feature_id([f.id for f in self.features], ref)
        return None if found is None else next(f for f in self.features if f.id == found)


def match_feature_id(ids: list[str], ref: str) -> str | None:
    """The feature ``ref`` names among ``ids``: exactly, case-insensitively, or by its number
    alone (``001`` for ``001-photo-albums``) when only one feature has that number."""
    if ref in ids:
        return ref
    low = ref.lower()
    for i in ids:
        if i.lower() == low:
            return i
    matches = [i for i in ids if i.split("-", 1)[0] == ref]
    return matches[0] if len(matches) == 1 else None
