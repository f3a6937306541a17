"""``FeatureSource``: where one feature's files are, as a layout's discovery finds them."""

from __future__ import annotations

from dataclasses import field

from sdd_tui.model.record import record


@record(frozen=False)
class FeatureSource:
    """Where a feature's files are; every path is relative to the root, with ``/``.

    ``layout`` is the name of the layout that found it (``sdd_tui.layouts.get`` gives it back).
    """

    id: str
    layout: str
    path: str
    archived: bool = False
    documents: dict[str, str | None] = field(default_factory=dict)
    extras: list[tuple[str, str]] = field(default_factory=list)
    checklist_files: list[str] = field(default_factory=list)
    requirement_files: list[str] = field(default_factory=list)
    in_progress_sections: tuple[str, ...] = ()
