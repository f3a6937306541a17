"""Shared fixtures: temporary copies of the sample workspace and small workspaces."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
# Never read or write the real user's preferences, themes or trusted commands.
os.environ["SDD_TUI_CONFIG_DIR"] = tempfile.mkdtemp(prefix="sdd-tui-test-config-")
# ... nor the user's cache folder (parse caches of workspaces without .sdd/, theme cache).
os.environ["SDD_TUI_CACHE_DIR"] = tempfile.mkdtemp(prefix="sdd-tui-test-cache-")

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_workspace"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of sample_workspace (tests never edit the bundled one)."""
    dest = tmp_path / "sample"
    shutil.copytree(SAMPLE, dest)
    return dest


@pytest.fixture(autouse=True)
def _private_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets an empty user config dir (theme, trusted test commands)."""
    monkeypatch.setenv("SDD_TUI_CONFIG_DIR", str(tmp_path_factory.mktemp("user-config")))
