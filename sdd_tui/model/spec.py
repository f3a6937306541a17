"""What a spec defines: headings, requirements and open clarifications."""

from __future__ import annotations

from sdd_tui.model.record import record


@record
class Heading:
    line: int  # 1-based
    level: int
    text: str


@record
class Requirement:
    """A requirement, success criterion or acceptance criterion defined in a spec.

    ``kind`` is one of ``functional`` (FR-…, Kiro N.M criteria, OpenSpec requirement blocks),
    ``nonfunctional`` (NFR-…), ``success`` (SC-…), ``testcase`` (TC-…) or ``story`` (US<n>).
    ``tag`` is what the author wrote between the ID and its text, without its brackets
    (``- **FR-030** [OUT OF SCOPE - MVP]: …`` → ``OUT OF SCOPE - MVP``; ``(P2)`` → ``P2``).
    A ``withdrawn`` requirement is struck through (``~~**FR-035**: …~~ **[DEFERRED]**``, the
    text after the strike being its tag): shown, but nothing need implement or prove it.
    """

    feature: str
    id: str
    kind: str
    text: str
    path: str
    line: int  # 1-based
    tag: str | None = None
    withdrawn: bool = False

    @property
    def active(self) -> bool:
        return not self.withdrawn

    @property
    def functional(self) -> bool:
        return self.kind == "functional"


@record
class Clarification:
    feature: str
    text: str
    path: str
    line: int  # 1-based
