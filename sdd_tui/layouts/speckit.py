"""Spec Kit: ``specs/NNN-name/`` with ``spec.md``, ``plan.md``, ``tasks.md`` and friends."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sdd_tui.layouts.base import Layout, PaneDocuments, add
from sdd_tui.layouts.scan import entries, is_dir, other_markdown, present, rel, walk_md
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature, Problem

FEATURE_DIR = re.compile(r"\d+-.+|\d{8}-\d{6}-.+")
DOCS = (
    ("spec", "spec.md"),
    ("plan", "plan.md"),
    ("tasks", "tasks.md"),
    ("research", "research.md"),
    ("data_model", "data-model.md"),
    ("quickstart", "quickstart.md"),
)
STANDARD = frozenset(name for _, name in DOCS)
_DEFINABLE = re.compile(r"(?:FR|NFR|SC|TC)-\d|US\d")


class SpecKit(Layout):
    name = "speckit"
    title = "Spec Kit"
    root_markers = (".specify", "specs")
    territory = ("specs",)
    spec_is_checklist = True
    requirement_reader = "prefixed"
    template = ("User Scenarios & Testing", "Requirements", "Success Criteria")

    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        specs = root / "specs"
        if not is_dir(specs):
            return []
        out = []
        for e in entries(specs, problems, root):
            if e.name.startswith("."):
                continue
            fast = _listed(root, e.name, problems)
            if fast is not False:
                if fast is not None:
                    out.append(fast)
                continue
            folder = specs / e.name
            if not is_dir(folder):
                continue
            known = any(os.path.lexists(folder / n) for n in ("spec.md", "plan.md", "tasks.md"))
            if not (FEATURE_DIR.fullmatch(e.name) or known):
                continue
            f = FeatureSource(e.name, self.name, rel(root, folder))
            for role, name in DOCS:
                f.documents[role] = present(root, folder / name)
            f.checklist_files = [
                p for p in walk_md(root, folder / "checklists", problems) if p.count("/") == 3
            ]
            for p in walk_md(root, folder / "contracts", problems):
                f.extras.append((p.split("/", 2)[2], p))
            f.extras += other_markdown(root, folder, STANDARD, problems)
            if f.documents["spec"]:
                f.requirement_files = [f.documents["spec"]]
            out.append(f)
        return out

    def pane_documents(self, feature: Feature) -> PaneDocuments:
        return speckit_panes(feature)

    def defines_id(self, key: str) -> bool:
        return bool(_DEFINABLE.match(key))


def speckit_panes(feature: Feature) -> PaneDocuments:
    """Spec Kit's panes: the spec; the plan with research, data model, quickstart, contracts."""
    docs = feature.documents
    spec: list[tuple[str, str]] = []
    plan: list[tuple[str, str]] = []
    add(spec, Path(docs.get("spec") or "spec.md").name, docs.get("spec"))
    add(plan, "plan.md", docs.get("plan"))
    add(plan, "research.md", docs.get("research"))
    add(plan, "data-model.md", docs.get("data_model"))
    add(plan, "quickstart.md", docs.get("quickstart"))
    for label, path in feature.extra_documents:
        if label.startswith("contracts/") or "/contracts/" in path:
            plan.append((label, path))
    return spec, plan


def _listed(root: Path, name: str, problems: list[Problem]) -> FeatureSource | bool | None:
    """``discover``'s work for ``specs/<name>`` from one listing of the folder, on strings.

    None: not a feature folder; False: the folder cannot be listed (the caller then takes
    the long way, which reports it).
    """
    base = f"specs/{name}"
    folder = os.path.join(os.fspath(root), "specs", name)
    try:
        if not os.path.isdir(folder):
            return None
        with os.scandir(folder) as it:
            names = sorted(entry.name for entry in it)
    except OSError:
        return False
    listed = set(names)
    known = "spec.md" in listed or "plan.md" in listed or "tasks.md" in listed
    if not (FEATURE_DIR.fullmatch(name) or known):
        return None
    f = FeatureSource(name, SPECKIT.name, base)
    for role, doc in DOCS:
        f.documents[role] = f"{base}/{doc}" if doc in listed else None
    if "checklists" in listed:
        f.checklist_files = [
            p for p in walk_md(root, Path(folder, "checklists"), problems) if p.count("/") == 3
        ]
    if "contracts" in listed:
        for p in walk_md(root, Path(folder, "contracts"), problems):
            f.extras.append((p.split("/", 2)[2], p))
    for entry in names:
        if entry.endswith(".md") and entry not in STANDARD:
            f.extras.append((entry, f"{base}/{entry}"))
    if f.documents["spec"]:
        f.requirement_files = [f.documents["spec"]]
    return f


SPECKIT = SpecKit()
