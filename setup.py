"""Build hook: ship ``themes/`` and ``sample_workspace/`` inside the wheel.

Everything else about the package lives in ``pyproject.toml``. The two resource folders sit at
the top of the repository (so they are easy to find and edit); a wheel build copies them into
``sdd_tui/_bundled/`` of the build tree, dot-folders (``.sdd/``, ``.specify/``) included and
caches left out. ``sdd_tui.resources`` finds them there in a normal install and uses the
top-level folders in a source checkout or an editable install.

The ignore rules mirror ``sdd_tui/resources.py`` (this file must not import the package: its
dependencies are not installed in an isolated build environment).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RESOURCES = ("themes", "sample_workspace")
IGNORED_NAMES = {
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".hypothesis",
    ".git",
    ".DS_Store",
}
IGNORED_SUFFIXES = (".pyc", ".pyo")
IGNORED_SDD_NAMES = {".lock", "cache"}


def _ignored(relative: Path) -> bool:
    name = relative.name
    if name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES):
        return True
    parts = relative.parts
    return len(parts) == 2 and parts[0] == ".sdd" and name in IGNORED_SDD_NAMES


def _copy_tree(src: Path, dest: Path) -> list[str]:
    """Copy ``src`` to ``dest`` without ignored entries; return the files written."""
    written: list[str] = []
    for path in sorted(src.rglob("*")):
        relative = path.relative_to(src)
        if any(_ignored(Path(*relative.parts[: i + 1])) for i in range(len(relative.parts))):
            continue
        target = dest / relative
        if path.is_dir() and not path.is_symlink():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            written.append(str(target))
    return written


class build_py_with_resources(build_py):
    """``build_py`` that also copies the resource folders into ``sdd_tui/_bundled/``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the top-level folders directly
        bundled = Path(self.build_lib) / "sdd_tui" / "_bundled"
        if bundled.exists():
            shutil.rmtree(bundled)  # no stale files from an earlier build
        for name in RESOURCES:
            src = HERE / name
            if not src.is_dir():
                raise SystemExit(f"setup.py: resource folder {src} is missing")
            self._bundled_outputs.extend(_copy_tree(src, bundled / name))

    def initialize_options(self) -> None:
        super().initialize_options()
        self._bundled_outputs: list[str] = []

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *self._bundled_outputs]


setup(cmdclass={"build_py": build_py_with_resources})
