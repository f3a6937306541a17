"""The architecture, executable: layer contracts, and keys that never shadow each other.

The contracts live in pyproject.toml (``[tool.importlinter]``); the subprocess test that the
headless path imports no Textual at run time is tests/unit/test_import_hygiene.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(lint).exists():
        pytest.fail("lint-imports is not installed (pip install -e '.[test]')")
    out = subprocess.run(
        [lint, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_no_code_outside_the_layouts_compares_layout_names() -> None:
    """Layout knowledge lives behind the layout protocol (sdd_tui/layouts/)."""
    import re

    names = "kiro|speckit|openspec|zencoder"
    compare = re.compile(
        rf"""(==|!=)\s*["']({names})["']|["']({names})["']\s*(==|!=)"""
        rf"""|\bin\s*[\(\[{{]\s*["']({names})["']|["']({names})["']\s*:"""
    )
    offenders = []
    for path in (REPO / "sdd_tui").rglob("*.py"):
        if "layouts" in path.relative_to(REPO / "sdd_tui").parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if compare.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert offenders == []


def _screens() -> list[type]:
    """Every screen class of the UI (imported, so their modules are checked too)."""
    import importlib
    import pkgutil

    from textual.screen import Screen

    import sdd_tui.ui.screens as package

    found: list[type] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Screen)
                and value.__module__ == (module.__name__)
            ):
                found.append(value)
    return found


def _keys(bindings: list[object]) -> list[tuple[str, str]]:
    from textual.binding import Binding

    out = []
    for b in bindings:
        if isinstance(b, Binding):
            out += [(k.strip(), b.action) for k in b.key.split(",")]
        else:
            keys, action = b[0], b[1]  # type: ignore[index]
            out += [(k.strip(), action) for k in keys.split(",")]
    return out


def test_no_key_is_bound_twice_on_a_screen_or_shadows_an_app_key() -> None:
    from sdd_tui.ui.app import SddApp

    app_keys = dict(_keys(SddApp.BINDINGS))
    screens = _screens()
    assert {s.__name__ for s in screens} >= {"WorkbenchScreen", "ReviewScreen", "HelpScreen"}
    for screen in screens:
        seen: dict[str, str] = {}
        for key, action in _keys(screen.BINDINGS):
            assert key not in seen, f"{screen.__name__}: {key} is bound to {seen[key]} and {action}"
            seen[key] = action
        # a screen may take an app key only to close itself (q closes review mode and the
        # dialogs, as escape does); never for anything else
        shadowed = {
            k
            for k, action in seen.items()
            if k in app_keys
            and action != app_keys[k]
            and not action.startswith(("close", "dismiss"))
        }
        assert not shadowed, f"{screen.__name__} shadows the app's {sorted(shadowed)}"


def test_no_module_imports_itself_back() -> None:
    """No import cycle, counting the imports made inside functions too."""
    import grimp

    graph = grimp.build_graph("sdd_tui", exclude_type_checking_imports=True)
    modules = set(graph.modules)
    cycles = [
        (a, b)
        for a in sorted(modules)
        for b in graph.find_modules_directly_imported_by(a)
        if b in modules and a != b and graph.chain_exists(importer=b, imported=a)
    ]
    assert cycles == []
