"""Import hygiene: the headless core (and status/tasks/move) never imports Textual, gitpython
or the MCP SDK.

Runs in a fresh interpreter, since this test process may already have imported the UI.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.files import REPO, SAMPLE

HEADLESS_PACKAGES = ("sdd_tui.model", "sdd_tui.formats", "sdd_tui.workspace", "sdd_tui.operations")

PROBE = """
import importlib, io, json, pkgutil, sys, contextlib
import sdd_tui.model, sdd_tui.cli
imported = []
for pkg_name in {packages!r}:
    pkg = importlib.import_module(pkg_name)
    imported.append(pkg_name)
    for info in pkgutil.iter_modules(pkg.__path__, pkg_name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
from sdd_tui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    codes = [main(argv) for argv in {argvs!r}]
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"textual", "git", "mcp"}})
json.dump({{"imported": imported, "codes": codes, "heavy": heavy,
           "out": out.getvalue()[:200]}}, sys.__stdout__)
"""


def probe(argvs: list[list[str]]) -> dict:
    code = PROBE.format(packages=HEADLESS_PACKAGES, argvs=argvs)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_headless_core_does_not_import_textual_or_git(tmp_path: Path) -> None:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(SAMPLE, ws)
    result = probe(
        [
            ["status", "--json", str(ws)],
            ["status", str(ws)],
            ["tasks", "--json", str(ws)],
            ["move", "--path", str(ws), "002-meal-planner/T009", "done"],
        ]
    )
    assert result["codes"] == [0, 0, 0, 0]
    assert result["heavy"] == [], f"imported: {result['heavy']}"
    # every headless module was really imported (the probe is not vacuous)
    assert "sdd_tui.workspace.loader" in result["imported"]
    assert "sdd_tui.operations.history" in result["imported"]
    assert "sdd_tui.formats.markdown" in result["imported"]
    assert any(m.startswith("sdd_tui.model.") for m in result["imported"])


def _imports(tree: ast.AST, *, top_level_only: bool) -> set[str]:
    """Module names imported in ``tree`` (only outside functions when ``top_level_only``)."""
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if top_level_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(child, ast.Import):
                out.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                out.add(child.module)
            visit(child)

    visit(tree)
    return out


@pytest.mark.parametrize("pkg", HEADLESS_PACKAGES)
def test_no_headless_module_imports_the_ui(pkg: str) -> None:
    """A static guard beside the runtime one: nothing below the UI imports Textual or the UI,
    and gitpython is only ever imported lazily (inside a function)."""
    folder = REPO / pkg.replace(".", "/")
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        anywhere = _imports(tree, top_level_only=False)
        top = _imports(tree, top_level_only=True)
        roots = {m.split(".")[0] for m in anywhere}
        assert "textual" not in roots, path
        assert not any(m == "sdd_tui.ui" or m.startswith("sdd_tui.ui.") for m in anywhere), path
        assert "git" not in {m.split(".")[0] for m in top}, path


def test_the_first_frame_does_not_wait_for_the_panes_modules() -> None:
    """What only the spec, plan and tests panes (mounted after the first frame), the help
    screen and the diff view need is imported when they are used, not with the app.

    Nor does the workbench import the loader, the parsers or the operations before its first
    frame: its first snapshot comes from a forked reader (``early_load``) as the same
    ``Loaded`` with empty caches, and they are imported when the app reads or writes."""
    code = (
        "import json, sys; import sdd_tui.ui.app, sdd_tui.cli.workbench; "
        "import sdd_tui.workspace.early_load, sdd_tui.workspace.documents, "
        "sdd_tui.workspace.facts; "
        "print(json.dumps(sorted(m for m in sys.modules if m in {!r})))"
    ).format(
        {
            "sdd_tui.ui.widgets.tests_pane",
            "sdd_tui.ui.widgets.doc_pane",
            "sdd_tui.ui.widgets.document_view",
            "sdd_tui.ui.markdown_lines",
            "sdd_tui.ui.screens.help",
            "sdd_tui.formats.junit",
            "textual.widgets._tabs",
            "sdd_tui.workspace.loader",
            "sdd_tui.workspace.discover",
            "sdd_tui.workspace.writer",
            "sdd_tui.layouts",
            "sdd_tui.ui.screens.review",
            "sdd_tui.ui.screens.lanes",
            "sdd_tui.ui.screens.problems",
            "sdd_tui.formats.markdown",
            "sdd_tui.formats.task_grammar",
            "sdd_tui.formats.requirements",
            "sdd_tui.formats.tasks",
            "sdd_tui.formats.board_state",
            "sdd_tui.operations.board",
            "sdd_tui.operations.history",
            "sdd_tui.operations.boxes",
            "argparse",
            "hmac",
        }
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
