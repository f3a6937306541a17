"""OpenSpec: ``openspec/changes/<id>/`` with ``proposal.md``, ``design.md``, ``tasks.md`` (or
``task.md``) and delta specs under ``specs/``; ``changes/archive/`` and ``openspec/archive/``
hold archived changes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sdd_tui.layouts.base import Layout, NewFeature, PaneDocuments, Reader, add
from sdd_tui.layouts.scan import (
    entries,
    first_present,
    is_dir,
    other_markdown,
    present,
    rel,
    walk_md,
)
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature, Problem

if TYPE_CHECKING:
    from sdd_tui.formats.completeness import CriterionBlock, SectionStatus

STANDARD = frozenset({"proposal.md", "design.md"})
OLD_ARCHIVE = "openspec/archive"  # where archived changes went before changes/archive/


class OpenSpec(Layout):
    name = "openspec"
    title = "OpenSpec"
    first_task_id = "1.1"
    tasks_hint = "A change lists its steps in tasks.md beside proposal.md; the board follows."
    root_markers = ("openspec",)
    territory = ("openspec/changes", OLD_ARCHIVE)
    plan_required = False  # design.md is optional in OpenSpec
    requirement_reader = "named"
    named_requirements = True
    template = ("Why", "What Changes")
    review_criteria_label = "scenarios"

    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        out: list[FeatureSource] = []
        base = root / "openspec" / "changes"
        if is_dir(base):
            for e in entries(base, problems, root):
                folder = base / e.name
                if e.name.startswith(".") or not is_dir(folder):
                    continue
                if e.name == "archive":  # in name order among the changes, as before
                    out += self._archive(root, folder, problems)
                else:
                    out.append(self._change(root, folder, False, problems))
        if is_dir(root / OLD_ARCHIVE):
            out += self._archive(root, root / OLD_ARCHIVE, problems)
        return out

    def _archive(self, root: Path, folder: Path, problems: list[Problem]) -> list[FeatureSource]:
        return [
            self._change(root, folder / e.name, True, problems)
            for e in entries(folder, problems, root)
            if not e.name.startswith(".") and is_dir(folder / e.name)
        ]

    def _change(
        self, root: Path, folder: Path, archived: bool, problems: list[Problem]
    ) -> FeatureSource:
        f = FeatureSource(folder.name, self.name, rel(root, folder), archived=archived)
        f.documents = {
            "spec": present(root, folder / "proposal.md"),
            "plan": present(root, folder / "design.md"),
            "tasks": first_present(root, folder, "tasks.md", "task.md"),
        }
        deltas = walk_md(root, folder / "specs", problems)
        for p in deltas:
            f.extras.append((p.split("/specs/", 1)[-1], p))
        f.requirement_files = [p for p in deltas if not p.lower().endswith("readme.md")]
        tasks = f.documents["tasks"]
        standard = STANDARD | {tasks.rsplit("/", 1)[-1]} if tasks else STANDARD
        f.extras += other_markdown(root, folder, standard, problems)
        return f

    def new_feature(self, root: Path, slug: str) -> NewFeature:
        """``openspec/changes/add-slug/``: a change is named by what it does."""
        name = f"add-{slug}"
        folder = f"openspec/changes/{name}"
        docs = ("proposal.md", "tasks.md", "design.md")
        return NewFeature(name, folder, {f"{folder}/{d}": d for d in docs})

    def claims_specs_folder(self, folder: Path) -> bool:
        if folder.name == "openspec":
            return True
        return any(p.name == "changes" and p.parent.name == "openspec" for p in folder.parents)

    def pane_documents(self, feature: Feature) -> PaneDocuments:
        docs = feature.documents
        spec: list[tuple[str, str]] = []
        plan: list[tuple[str, str]] = []
        add(spec, "proposal.md", docs.get("spec"))
        for label, path in feature.extra_documents:
            if "/specs/" in path:
                spec.append((label, path))
        add(plan, "design.md", docs.get("plan"))
        return spec, plan

    def completeness(self, feature: Feature, read: Reader) -> list[SectionStatus]:
        from sdd_tui.formats.completeness import delta_spec_gaps

        out = super().completeness(feature, read)
        for path in delta_specs(feature):
            doc = read(path)
            if doc is not None:
                out += delta_spec_gaps(path, doc.src, doc.md)
        return out

    def review_criteria(self, feature: Feature, read: Reader) -> list[CriterionBlock]:
        from sdd_tui.formats.completeness import openspec_blocks

        blocks: list[CriterionBlock] = []
        for path in delta_specs(feature):
            doc = read(path)
            if doc is not None:
                blocks += openspec_blocks(path, doc.src, doc.md)
        return blocks


def delta_specs(feature: Feature) -> list[str]:
    """The change's delta specs (``specs/**.md`` but READMEs)."""
    return [
        path
        for _, path in feature.extra_documents
        if "/specs/" in path and not path.lower().endswith("readme.md")
    ]


OPENSPEC = OpenSpec()
