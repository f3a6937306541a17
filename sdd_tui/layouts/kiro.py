"""Kiro: ``.kiro/specs/<name>/`` with ``requirements.md`` (or ``bugfix.md``), ``design.md``
and ``tasks.md``; folders whose name starts with ``_`` hold archived specs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sdd_tui.layouts.base import Layout, NewFeature, PaneDocuments, Reader, add
from sdd_tui.layouts.scan import entries, first_present, is_dir, other_markdown, present, rel
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature, Problem

if TYPE_CHECKING:
    from sdd_tui.formats.completeness import CriterionBlock, SectionStatus
    from sdd_tui.formats.markdown import MdStructure
    from sdd_tui.formats.text import SourceText

STANDARD = frozenset({"requirements.md", "bugfix.md", "design.md", "tasks.md"})
_DOTTED = re.compile(r"\d+(?:\.\d+)*")


class Kiro(Layout):
    name = "kiro"
    title = "Kiro"
    first_task_id = "1"
    tasks_hint = (
        "Kiro writes tasks.md once requirements and design are approved; the board follows."
    )
    root_markers = (".kiro",)
    territory = (".kiro/specs",)
    native_in_progress = True
    requirement_reader = "numbered"
    # Kiro rewrites design.md and tasks.md together: "plan older than spec" says nothing.
    plan_can_go_stale = False
    template = ("Introduction", "Requirements")
    review_criteria_label = "acceptance criteria"

    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        base = root / ".kiro" / "specs"
        if not is_dir(base):
            return []
        out = []
        for e in entries(base, problems, root):
            folder = base / e.name
            if not is_dir(folder) or e.name.startswith("."):
                continue
            if e.name.startswith("_"):
                for e2 in entries(folder, problems, root):
                    sub = folder / e2.name
                    if is_dir(sub) and not e2.name.startswith((".", "_")):
                        out.append(self._feature(root, sub, archived=True, problems=problems))
                continue
            out.append(self._feature(root, folder, archived=False, problems=problems))
        return out

    def _feature(
        self, root: Path, folder: Path, *, archived: bool, problems: list[Problem]
    ) -> FeatureSource:
        f = FeatureSource(folder.name, self.name, rel(root, folder), archived=archived)
        spec = first_present(root, folder, "requirements.md", "bugfix.md")
        f.documents = {
            "spec": spec,
            "plan": present(root, folder / "design.md"),
            "tasks": present(root, folder / "tasks.md"),
        }
        f.extras += other_markdown(root, folder, STANDARD, problems)
        if spec:
            f.requirement_files = [spec]
        return f

    def new_feature(self, root: Path, slug: str) -> NewFeature:
        docs = ("requirements.md", "design.md", "tasks.md")
        folder = f".kiro/specs/{slug}"
        return NewFeature(slug, folder, {f"{folder}/{d}": d for d in docs})

    def claims_specs_folder(self, folder: Path) -> bool:
        return folder.name == ".kiro"

    def pane_documents(self, feature: Feature) -> PaneDocuments:
        docs = feature.documents
        spec: list[tuple[str, str]] = []
        plan: list[tuple[str, str]] = []
        add(spec, Path(docs.get("spec") or "requirements.md").name, docs.get("spec"))
        add(plan, "design.md", docs.get("plan"))
        return spec, plan

    def defines_id(self, key: str) -> bool:
        return bool(_DOTTED.fullmatch(key))

    def spec_completeness(self, path: str, src: SourceText, md: MdStructure) -> list[SectionStatus]:
        if path.rsplit("/", 1)[-1].lower() == "bugfix.md":
            return []  # bugfix specs follow another template
        from sdd_tui.formats.completeness import kiro_gaps

        return super().spec_completeness(path, src, md) + kiro_gaps(path, src, md)

    def review_criteria(self, feature: Feature, read: Reader) -> list[CriterionBlock]:
        from sdd_tui.formats.completeness import kiro_blocks

        spec = feature.documents.get("spec")
        doc = read(spec) if spec else None
        if doc is None or not spec:
            return []
        return kiro_blocks(spec, doc.src, doc.md)


KIRO = Kiro()
