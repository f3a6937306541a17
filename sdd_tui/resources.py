"""Where sdd-tui's bundled resources and the user's configuration live.

Two resources ship with sdd-tui: the theme files (``themes/``) and the sample workspace
(``sample_workspace/``). In a source checkout or an editable install they are the repository's
own top-level folders, so an edit shows at once; a normal (wheel) install carries copies inside
the package, under ``sdd_tui/_bundled/`` (``setup.py``'s ``build_py`` puts them there).

Headless: this module never imports Textual.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "sdd-tui"
CONFIG_DIR_ENV = "SDD_TUI_CONFIG_DIR"
"""Environment variable that overrides the user config directory (tests, portable setups)."""

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED_DIR = _PACKAGE_DIR / "_bundled"
_CHECKOUT_DIR = _PACKAGE_DIR.parent

# Names never copied out of a resource tree (the wheel build and ``sdd-tui demo`` share them).
IGNORED_NAMES = frozenset(
    {
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
        ".hypothesis",
        ".git",
        ".DS_Store",
    }
)
IGNORED_SUFFIXES = (".pyc", ".pyo")
IGNORED_SDD_NAMES = frozenset({".lock", "cache", ".gitignore"})
"""Local, never-shipped entries directly inside a workspace's ``.sdd/`` folder."""


class ResourceError(FileNotFoundError):
    """A bundled resource is missing: a broken install."""


def _is_checkout() -> bool:
    """True when the package runs from the repository (source tree or editable install)."""
    pyproject = _CHECKOUT_DIR / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return 'name = "sdd-tui"' in text


def _locate(name: str) -> Path:
    candidates = (
        [_CHECKOUT_DIR / name, _BUNDLED_DIR / name]
        if _is_checkout()
        else [_BUNDLED_DIR / name, _CHECKOUT_DIR / name]
    )
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise ResourceError(f"sdd-tui's bundled '{name}' folder is missing (looked in {tried})")


def themes_dir() -> Path:
    """The folder holding sdd-tui's own theme files (``*.yaml``)."""
    return _locate("themes")


def sample_workspace_dir() -> Path:
    """The bundled sample workspace (read-only: copy it before use, as ``sdd-tui demo`` does)."""
    return _locate("sample_workspace")


def user_config_dir() -> Path:
    """The user's sdd-tui config folder (``$SDD_TUI_CONFIG_DIR`` or the platform's own).

    The folder is not created here; writers create it when they first save.
    """
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir as platform_config_dir  # ~3 ms: when needed

    return Path(platform_config_dir(APP_NAME, appauthor=False))


def is_ignored(relative: Path) -> bool:
    """True for cache, lock and VCS entries that a copy of a resource tree leaves out.

    ``relative`` is the entry's path relative to the resource's root folder.
    """
    parts = relative.parts
    if not parts:
        return False
    name = parts[-1]
    if name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES):
        return True
    return len(parts) == 2 and parts[0] == ".sdd" and name in IGNORED_SDD_NAMES
