"""A fifth layout, written the way a new one is added: one module, one ``Layout`` subclass.

Features live in ``.toy/<name>/``: ``brief.md`` is the spec, ``todo.md`` the task list.
Tests register it with ``sdd_tui.layouts.registered(TOY)``; a subprocess sees it through
``SDD_TUI_LAYOUTS=helpers.toy_layout:TOY`` (with ``tests/`` on ``PYTHONPATH``).
"""

from __future__ import annotations

from pathlib import Path

from sdd_tui.layouts.base import Layout
from sdd_tui.layouts.scan import present, rel, subfolders
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Problem


class Toy(Layout):
    name = "toy"
    title = "Toy"
    root_markers = (".toy",)
    territory = (".toy",)
    plan_required = False

    def discover(self, root: Path, problems: list[Problem]) -> list[FeatureSource]:
        base = root / ".toy"
        out = []
        for folder in subfolders(base, problems, root) if base.is_dir() else []:
            f = FeatureSource(folder.name, self.name, rel(root, folder))
            f.documents = {
                "spec": present(root, folder / "brief.md"),
                "plan": None,
                "tasks": present(root, folder / "todo.md"),
            }
            out.append(f)
        return out


TOY = Toy()
