"""Spec Kit: ``specs/NNN-name/`` with ``spec.md``, ``plan.md``, ``tasks.md`` and friends."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sdd_tui.layouts.base import Layout, NewFeature, PaneDocuments, add
from sdd_tui.layouts.scan import entries, is_dir, walk_md
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
SPECS_ROOTS = ("specs", ".specify/specs")
# A feature's folder is at most this many folders below ``specs/`` (``specs/<group>/<feature>``);
# deeper documents are reported as belonging to no feature, not read.
MAX_LEVEL = 2
_DEFINABLE = re.compile(r"(?:FR|NFR|SC|TC)-\d|US\d")


class SpecKit(Layout):
    name = "speckit"
    title = "Spec Kit"
    first_task_id = "T001"
    tasks_hint = "/speckit.tasks writes tasks.md from the plan; the board follows as it appears."
    root_markers = (".specify", "specs")
    territory = SPECS_ROOTS
    spec_is_checklist = True
    requirement_reader = "prefixed"
    template = ("User Scenarios & Testing", "Requirements", "Success Criteria")

    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        """Features in ``specs/`` and ``.specify/specs/``: ``NNN-name/`` folders (or any folder
        holding a spec, plan or tasks file), also one level down in a group folder
        (``specs/<group>/NNN-name/``) and inside a feature (``specs/auth/NNN-name/``).

        A folder name is the feature's ID; names found more than once are qualified by the
        folders above them (``feature:016-user-dashboard``), a plain ``specs/`` one keeps it.
        """
        out: list[FeatureSource] = []
        for specs_root in SPECS_ROOTS:
            specs = root / specs_root
            if not is_dir(specs):
                continue
            for e in entries(specs, problems, root):
                if e.name.startswith("."):
                    continue
                found = _feature_at(root, specs_root, e.name, problems)
                if found:
                    out += found
                elif found is None and is_dir(specs / e.name):
                    for sub in _group_members(root, specs / e.name, problems):
                        group = f"{specs_root}/{e.name}"
                        out += _feature_at(root, group, sub, problems, 2) or []
        _qualify_clashes(out)
        return out

    own_templates = {
        "spec.md": ".specify/templates/spec-template.md",
        "plan.md": ".specify/templates/plan-template.md",
        "tasks.md": ".specify/templates/tasks-template.md",
    }

    def new_feature(self, root: Path, slug: str) -> NewFeature:
        """``specs/NNN-slug/``, numbered after the highest ``NNN-`` folder in ``specs/``."""
        specs = root / "specs"
        numbered = [
            p.name
            for p in (specs.iterdir() if is_dir(specs) else ())
            if p.name[:3].isdigit() and p.name[3:4] == "-"
        ]
        same = next((n for n in numbered if n[4:] == slug), None)  # the name is taken
        name = same or f"{max((int(n[:3]) for n in numbered), default=0) + 1:03d}-{slug}"
        docs = ("spec.md", "plan.md", "tasks.md", "checklists/requirements.md")
        return NewFeature(name, f"specs/{name}", {f"specs/{name}/{d}": d for d in docs})

    def claims_specs_folder(self, folder: Path) -> bool:
        return folder.name == ".specify"  # .specify/specs/ holds features, it is no root

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


def _feature_at(
    root: Path, parent: str, name: str, problems: list[Problem], level: int = 1
) -> list[FeatureSource] | None:
    """The feature at ``parent/name`` (with the features nested in it), from one listing of
    the folder; None when it is no feature folder.  ``level``: folders below ``specs/``."""
    base = f"{parent}/{name}"
    folder = os.path.join(os.fspath(root), parent, name)
    if not os.path.isdir(folder):
        return None
    try:
        with os.scandir(folder) as it:
            names = sorted(entry.name for entry in it)
    except OSError as exc:  # still a feature when named like one: shown with its problem
        problems.append(Problem(base, f"cannot list folder: {exc.strerror}"))
        names = []
    listed = set(names)
    known = "spec.md" in listed or "plan.md" in listed or "tasks.md" in listed
    if not (FEATURE_DIR.fullmatch(name) or known):
        return None
    f = FeatureSource(name, SPECKIT.name, base)
    for role, doc in DOCS:
        f.documents[role] = f"{base}/{doc}" if doc in listed else None
    depth = base.count("/")
    if "checklists" in listed:
        f.checklist_files = [
            p
            for p in walk_md(root, Path(folder, "checklists"), problems)
            if p.count("/") == depth + 2
        ]
    if "contracts" in listed:
        for p in walk_md(root, Path(folder, "contracts"), problems):
            f.extras.append((p[len(base) + 1 :], p))
    for entry in names:
        if entry.endswith(".md") and entry not in STANDARD:
            f.extras.append((entry, f"{base}/{entry}"))
    if f.documents["spec"]:
        f.requirement_files = [f.documents["spec"]]
    out = [f]
    if level < MAX_LEVEL:
        for entry in names:  # a feature that groups features: specs/auth/001-login/
            if FEATURE_DIR.fullmatch(entry):
                out += _feature_at(root, base, entry, problems, level + 1) or []
    return out


def _group_members(root: Path, group: Path, problems: list[Problem]) -> list[str]:
    """The names in a group folder that may be features (not dot-folders)."""
    return [e.name for e in entries(group, problems, root) if not e.name.startswith(".")]


def _qualify_clashes(features: list[FeatureSource]) -> None:
    """Give every feature whose folder name is used more than once an ID made of the folders
    above it (``feature:016-user-dashboard``, ``specify:016-user-dashboard``); a feature
    straight in ``specs/`` keeps the plain name."""
    counts: dict[str, int] = {}
    for f in features:
        counts[f.id] = counts.get(f.id, 0) + 1
    for f in features:
        if counts[f.id] > 1 and f.path != f"specs/{f.id}":
            parts = f.path.split("/")[:-1]
            if parts[:2] == [".specify", "specs"]:
                parts = ["specify", *parts[2:]]
            elif parts[:1] == ["specs"]:
                parts = parts[1:]
            f.id = ":".join([*parts, f.id])


SPECKIT = SpecKit()
