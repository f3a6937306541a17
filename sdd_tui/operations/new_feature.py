"""Starting a feature: its folder and documents from templates (``sdd-tui new``).

Where the feature goes and which documents it starts with is the layout's
(``Layout.new_feature``).  Each document comes from the first template found of:
``.sdd/templates/<layout>/<name>`` in the workspace, the layout's own templates when the
workspace has them (Spec Kit's ``.specify/templates/spec-template.md``…), and the templates
shipped in ``sdd_tui/templates/<layout>/``.  Nothing is ever overwritten: an existing folder
or document is an error and nothing is written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sdd_tui.formats.task_grammar import slug as slug_of
from sdd_tui.layouts import Layout, all_layouts, get
from sdd_tui.layouts.base import NewFeature
from sdd_tui.operations.boxes import OperationError
from sdd_tui.workspace.fsread import ReadProblem, read_optional
from sdd_tui.workspace.writer import Conflict, WriteRefused, atomic_write, workspace_lock

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
OVERRIDES = ".sdd/templates"
MAX_NAME = 80  # characters of a feature's name


def layout_for(root: Path, name: str | None) -> Layout:
    """The layout named, else the first whose root marker the workspace has, else Spec Kit's
    (the first registered)."""
    if name is not None:
        try:
            return get(name)
        except Exception as exc:  # LayoutError: its message lists the known names
            raise OperationError(str(exc)) from None
    layouts = all_layouts()
    for layout in layouts:
        if any((root / marker).is_dir() for marker in layout.root_markers):
            return layout
    return layouts[0]


def plan(root: Path, title: str, layout: Layout) -> NewFeature:
    """Where a feature titled ``title`` goes; OperationError when it cannot be started."""
    clean = " ".join(title.split())
    if not clean or len(clean) > MAX_NAME:
        raise OperationError(f"a feature name is 1 to {MAX_NAME} characters")
    slug = slug_of(clean)
    if slug == "item" and "item" not in clean.casefold():
        raise OperationError(f"'{clean}' has no letters or digits to name a folder with")
    where = layout.new_feature(root, slug)
    if where is None:
        raise OperationError(f"sdd-tui cannot start a {layout.title} feature")
    taken = [p for p in ([where.folder] if where.folder else []) + list(where.documents)]
    existing = next((p for p in taken if (root / p).exists()), None)
    if existing is not None:
        raise OperationError(f"{existing} already exists; nothing written")
    return where


def create(
    root: Path, title: str, *, layout_name: str | None = None, today: date | None = None
) -> tuple[NewFeature, Layout]:
    """Create the feature's folder and documents; returns where they went."""
    layout = layout_for(root, layout_name)
    where = plan(root, title, layout)
    values = {
        "title": " ".join(title.split()),
        "feature": where.id,
        "date": (today or date.today()).isoformat(),
    }
    texts = {
        path: _render(_template(root, layout, name), values)
        for path, name in where.documents.items()
    }
    written: list[Path] = []
    with workspace_lock(root):
        try:
            for path, text in texts.items():
                target = root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(root, target, text.encode("utf-8"), expected=None)
                written.append(target)
        except (Conflict, WriteRefused, OSError) as exc:
            for done in written:  # whole or nothing: no half a feature left behind
                done.unlink(missing_ok=True)
            reason = "it appeared meanwhile" if isinstance(exc, Conflict) else str(exc)
            raise OperationError(f"cannot create {where.folder or path}: {reason}") from None
    return where, layout


def _template(root: Path, layout: Layout, name: str) -> str:
    candidates = [root / OVERRIDES / layout.name / name]
    own = layout.own_templates.get(name)
    if own is not None:
        candidates.append(root / own)
    for path in candidates:
        try:
            found = read_optional(root, path)
        except ReadProblem as exc:
            raise OperationError(f"template {path.relative_to(root)}: {exc}") from None
        if found is not None:
            try:
                return found.data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise OperationError(f"template {path.relative_to(root)} is not UTF-8") from None
    return (TEMPLATES / layout.name / name).read_text(encoding="utf-8")


# Spec Kit's own templates' placeholders, beside sdd-tui's ``{{name}}`` ones.
_SPEC_KIT_PLACEHOLDERS = {
    "[FEATURE NAME]": "title",
    "[FEATURE]": "title",
    "[###-feature-name]": "feature",
    "[DATE]": "date",
    "$ARGUMENTS": "title",
}


def _render(template: str, values: dict[str, str]) -> str:
    text = template
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    for placeholder, key in _SPEC_KIT_PLACEHOLDERS.items():
        text = text.replace(placeholder, values[key])
    return text
