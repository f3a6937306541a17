"""Zencoder-style: ``.zencoder/specs/<name>.md`` with plans in ``.zencoder/plans/`` and one
``progress.md`` task list (at the root or in ``.zencoder/``) for the workspace."""

from __future__ import annotations

from pathlib import Path

from sdd_tui.layouts.base import Layout, NewFeature, PaneDocuments
from sdd_tui.layouts.scan import entries, first_present, is_dir, rel
from sdd_tui.layouts.speckit import SPECKIT, speckit_panes
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature, Problem

# progress.md sections whose open tasks are in progress
IN_PROGRESS_SECTIONS = ("current task", "current tasks", "in progress")


class Zencoder(Layout):
    name = "zencoder"
    title = "Zencoder"
    new_task_sections = ("Upcoming",)
    tasks_hint = "progress.md's Upcoming Tasks section holds the task list; the board follows."
    root_markers = (".zencoder",)
    territory = (".zencoder",)
    spec_is_checklist = True
    requirement_reader = "prefixed"
    template = (
        "Overview",
        "Functional Requirements",
        "Non-Functional Requirements",
        "Technical Constraints",
        "Architecture",
        "Testing Requirements",
        "Success Criteria",
    )

    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        base = root / ".zencoder"
        if not is_dir(base):
            return []
        progress = first_present(root, root, "progress.md") or first_present(
            root, base, "progress.md"
        )
        test_status = first_present(root, root, "test-status.json") or first_present(
            root, base, "test-status.json"
        )
        out: list[FeatureSource] = []
        specs = base / "specs"
        if is_dir(specs):
            for e in entries(specs, problems, root):
                if not e.name.endswith(".md") or e.name.startswith("."):
                    continue
                stem = e.name[:-3]
                plan = first_present(root, base / "plans", f"{stem}-plan.md", f"{stem}.md")
                spec = rel(root, specs / e.name)
                f = FeatureSource(stem, self.name, spec)
                f.documents = {
                    "spec": spec,
                    "plan": plan,
                    "tasks": None,
                    "test_status": test_status,
                }
                f.requirement_files = [spec]
                out.append(f)
        if progress:
            if len(out) == 1:
                target = out[0]
            else:
                target = FeatureSource("progress", self.name, progress)
                target.documents = {
                    "spec": None,
                    "plan": None,
                    "tasks": None,
                    "test_status": test_status,
                }
                out.append(target)
            target.documents["tasks"] = progress
            target.in_progress_sections = IN_PROGRESS_SECTIONS
        return out

    def new_feature(self, root: Path, slug: str) -> NewFeature:
        """One spec file in ``.zencoder/specs/``; its tasks go to progress.md."""
        return NewFeature(slug, "", {f".zencoder/specs/{slug}.md": "spec.md"})

    def claims_specs_folder(self, folder: Path) -> bool:
        return folder.name == ".zencoder"

    def pane_documents(self, feature: Feature) -> PaneDocuments:
        return speckit_panes(feature)

    def defines_id(self, key: str) -> bool:
        return SPECKIT.defines_id(key)  # the same FR-001 style reader


ZENCODER = Zencoder()
