"""Functional tests: the workbench driven with Textual's Pilot (``App.run_test``) and the
``sdd-tui`` commands run in subprocesses, on private copies of the sample workspace and on
workspaces built to break things (bad input, hostile files, concurrent writers).

``async def`` tests are marked ``pytest.mark.anyio`` (asyncio, see ``anyio_backend``).  They
wait with ``helpers.ui.wait_for`` / ``helpers.live.Probe.wait``: polling with a timeout, never
a fixed sleep.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A Pilot test that forgot ``pytest.mark.anyio`` would not run at all (pytest skips an
    un-awaited coroutine with a warning): mark every ``async def`` test of this folder.
    (The hook sees the items of every folder, hence the path test.)"""
    for item in items:
        function = getattr(item, "function", None)
        if (
            item.path.is_relative_to(HERE)
            and inspect.iscoroutinefunction(function)
            and item.get_closest_marker("anyio") is None
        ):
            item.add_marker(pytest.mark.anyio)
