"""What every test level shares: private user folders, the sample workspace.

Layout: ``unit/`` (the core and the UI's pure helpers, called directly), ``functional/``
(the workbench under Pilot, the CLI in subprocesses), ``snapshots/`` (SVG screenshots),
``e2e/`` (the installed command in tmux).  Helpers live in ``helpers/`` (one copy of each);
no test module imports another.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from helpers.git import init_repo
from helpers.sample import copy_sample

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
# Never read or write the real user's preferences, themes or trusted commands.
os.environ["SDD_TUI_CONFIG_DIR"] = tempfile.mkdtemp(prefix="sdd-tui-test-config-")
# ... nor the user's cache folder (parse caches of workspaces without .sdd/, theme cache).
os.environ["SDD_TUI_CACHE_DIR"] = tempfile.mkdtemp(prefix="sdd-tui-test-cache-")


@pytest.fixture(autouse=True)
def _private_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets an empty user config dir (theme, trusted test commands)."""
    monkeypatch.setenv("SDD_TUI_CONFIG_DIR", str(tmp_path_factory.mktemp("user-config")))


@pytest.fixture
def anyio_backend() -> str:
    """``async def`` tests (``pytest.mark.anyio``) run on asyncio, as Textual does."""
    return "asyncio"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of sample_workspace (tests never edit the bundled one), in a folder
    named ``sample`` (the header shows the folder's name)."""
    return copy_sample(tmp_path / "sample")


@pytest.fixture
def repo(sample: Path) -> Path:
    """The sample workspace as a git repository with one commit on ``main``."""
    init_repo(sample)
    return sample


@pytest.fixture
def no_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbench reads the workspace once: no file watcher, no git reader (nothing on
    screen then depends on timing)."""
    monkeypatch.setenv("SDD_TUI_NO_WATCH", "1")
    monkeypatch.setenv("SDD_TUI_NO_GIT", "1")
