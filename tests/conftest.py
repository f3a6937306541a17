"""What every test level shares: private user folders, a private temp folder, the sample.

Layout: ``unit/`` (the core and the UI's pure helpers, called directly), ``functional/``
(the workbench under Pilot, the CLI in subprocesses), ``snapshots/`` (SVG screenshots),
``e2e/`` (the installed command in tmux).  Helpers live in ``helpers/`` (one copy of each);
no test module imports another.  The suite runs under pytest-xdist (``-n 4`` in
``pyproject.toml``): nothing here is shared between workers but the read-only repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.git import init_repo
from helpers.history import build_history, story
from helpers.sample import copy_sample

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session", autouse=True)
def _private_session_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each run (each xdist worker) gets its own cache folder and its own system temp folder.

    The real user's cache (parse caches of workspaces without ``.sdd/``, the theme cache) is
    never read or written.  Whatever the code under test puts in the temp folder
    (``tempfile``, ``$TMPDIR`` of the children it starts) lands here, and the folder must be
    empty again at the end: a test that leaves something behind fails the run instead of
    littering the machine's ``/tmp``.  Tests keep their own files in ``tmp_path``.
    """
    cache = tmp_path_factory.mktemp("user-cache")
    temp = tmp_path_factory.mktemp("system-temp")
    saved = {k: os.environ.get(k) for k in ("SDD_TUI_CACHE_DIR", "TMPDIR")}
    saved_tempdir = tempfile.tempdir
    os.environ["SDD_TUI_CACHE_DIR"] = str(cache)
    os.environ["TMPDIR"] = str(temp)
    tempfile.tempdir = str(temp)
    try:
        yield
    finally:
        tempfile.tempdir = saved_tempdir
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    # A pytest the tests start (the sample workspace's own suite) keeps its tmp_path folders in
    # pytest-of-<user>/, as it would in /tmp: its own, and removed with this folder.
    left = sorted(p.name for p in temp.iterdir() if not p.name.startswith("pytest-of-"))
    shutil.rmtree(temp, ignore_errors=True)
    assert not left, f"the tests left these in the system temp folder: {left}"


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


@pytest.fixture(scope="module")
def story_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``helpers.history.story()`` as a repository (read-only for the tests sharing it: one
    per module, built by one ``git fast-import``)."""
    root = tmp_path_factory.mktemp("story") / "repo"
    build_history(root, story())
    return root
