"""Where a feature stands in the flow Specify → Plan → Tasks → Implement → Verify."""

from __future__ import annotations

from sdd_tui.model.record import record
from sdd_tui.model.workspace import Feature

STAGES = ("Specify", "Plan", "Tasks", "Implement", "Verify")


@record
class Stage:
    index: int  # the stage the feature is in (0..4)
    complete: bool  # every stage done: tasks done and tests passing

    @property
    def name(self) -> str:
        return STAGES[self.index]


def feature_stage(feature: Feature, *, tests_passing: bool | None = None) -> Stage:
    """Derived from which documents exist, open clarifications, tasks done and tests.

    ``tests_passing``: True when results exist and nothing failed, False when something
    failed, None when there are no results.
    """
    docs = feature.documents
    if not docs.get("spec") or feature.clarifications:
        return Stage(0, False)
    if not docs.get("plan"):
        return Stage(1, False)
    if not feature.tasks:
        return Stage(2, False)
    if not feature.finished:
        return Stage(3, False)
    return Stage(4, tests_passing is True)
