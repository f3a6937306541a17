"""The interface every layout implements: what sdd-tui needs to know about one way of laying
out spec-driven-development documents on disk.

A layout is a ``Layout`` subclass instance, registered once (``sdd_tui.layouts.register``).
The facts it holds are plain attributes; what depends on files is a method.  The defaults fit
a layout with one spec, one plan and one tasks file per feature: a new layout overrides
``discover`` and whatever differs.

Layering: ``layouts`` sits between ``formats`` and ``workspace``.  It imports ``model`` at
module level and ``formats`` only inside methods (parsers stay out of the first frame's
imports); ``workspace`` (discovery's orchestration, the loader) and everything above import
it.  ``formats`` never imports it: a parser that needs a layout fact takes it as a parameter
(``native_in_progress=``, the template's ``sections``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature, Problem

if TYPE_CHECKING:
    from sdd_tui.formats.completeness import CriterionBlock, SectionStatus
    from sdd_tui.formats.markdown import MdStructure
    from sdd_tui.formats.text import SourceText

PaneDocuments = tuple[list[tuple[str, str]], list[tuple[str, str]]]


class NewFeature(NamedTuple):
    """Where ``sdd-tui new`` starts a feature: its ID, the folder it creates (root-relative;
    "" when its documents go into folders that may exist) and each document it writes
    (root-relative path → the name of its template, ``sdd_tui/templates/<layout>/<name>``)."""

    id: str
    folder: str
    documents: dict[str, str]


class Parsed(Protocol):
    """A parsed document (``workspace.documents.ParsedDoc`` is one)."""

    @property
    def src(self) -> SourceText: ...

    @property
    def md(self) -> MdStructure: ...


Reader = Callable[[str], Parsed | None]  # a root-relative path to its parse, None if unreadable


class Layout(ABC):
    name: str  # as in ``Feature.layout`` and ``status --json``
    title: str  # for people
    root_markers: tuple[str, ...] = ()  # folders at a workspace root that announce the layout
    # root-relative folders its documents live in: searched for SDD documents no feature holds
    territory: tuple[str, ...] = ()
    native_in_progress: bool = False  # ``[-]`` means in progress in the layout's own tools
    spec_is_checklist: bool = False  # the spec's check boxes are review checklist items
    plan_required: bool = True  # a spec without a plan is a finding
    plan_can_go_stale: bool = True  # a plan older than its spec in git is flagged
    # ``formats.requirements.READERS`` key for its spec documents (None: it defines none)
    requirement_reader: str | None = None
    named_requirements: bool = False  # requirements are named (not FR-001): matched by name
    template: tuple[str, ...] = ()  # the sections a finished spec holds
    review_criteria_label: str | None = None  # what review lists instead of checklists
    # where a feature's task list comes from, for a board that has none yet
    tasks_hint: str = "It is written once the plan is done; the board follows as it appears."
    # The ID of the first task added to a tasks file that has none yet (later ones follow
    # the file's own style); None: its tasks have no IDs.
    first_task_id: str | None = None
    # Sections (heading starts) a task added without a place goes to, when the file has one.
    new_task_sections: tuple[str, ...] = ()
    # The layout's own templates a new feature uses when the workspace has them (template
    # name → root-relative path), before sdd-tui's; ``.sdd/templates/`` wins over both.
    own_templates: dict[str, str] = {}

    @abstractmethod
    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        """The features of this layout under ``root`` (paths root-relative, ``/``)."""

    def new_feature(self, root: Path, slug: str) -> NewFeature | None:
        """Where a new feature named ``slug`` goes (``sdd-tui new``); None: sdd-tui cannot
        start one in this layout."""
        return None

    def claims_specs_folder(self, folder: Path) -> bool:
        """Whether ``folder/specs`` is this layout's (then ``folder`` is no workspace root)."""
        return False

    def pane_documents(self, feature: Feature) -> PaneDocuments:
        """(spec pane, plan pane) documents of ``feature`` as (label, path)."""
        docs = feature.documents
        spec: list[tuple[str, str]] = []
        plan: list[tuple[str, str]] = []
        add(spec, Path(docs.get("spec") or "spec.md").name, docs.get("spec"))
        add(plan, Path(docs.get("plan") or "plan.md").name, docs.get("plan"))
        return spec, plan

    def defines_id(self, key: str) -> bool:
        """Whether its requirement reader can define a (canonical) ID of this form, so that a
        task naming an undefined one is a finding."""
        return False

    def spec_completeness(self, path: str, src: SourceText, md: MdStructure) -> list[SectionStatus]:
        """The template sections of the spec document ``path``."""
        if not self.template:
            return []
        from sdd_tui.formats.completeness import check_sections

        return check_sections(self.template, path, src, md)

    def completeness(self, feature: Feature, read: Reader) -> list[SectionStatus]:
        """Template sections (and criteria gaps) of all of the feature's spec documents."""
        spec = feature.documents.get("spec")
        doc = read(spec) if spec else None
        if spec and doc is not None:
            return self.spec_completeness(spec, doc.src, doc.md)
        return []

    def review_criteria(self, feature: Feature, read: Reader) -> list[CriterionBlock]:
        """Requirements with their criteria, listed by review when there are no checklists
        (only when ``review_criteria_label`` is set)."""
        return []

    def __repr__(self) -> str:
        return f"<layout {self.name}>"


def add(target: list[tuple[str, str]], label: str, path: str | None) -> None:
    if path:
        target.append((label, path))
