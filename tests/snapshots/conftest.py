"""Snapshot tests: SVG screenshots of the workbench compared by pytest-textual-snapshot.

The expected SVGs are in ``__snapshots__/<test module>/<test name>.svg`` beside the module
(so a module keeps its name, or its snapshots are not found).  Regenerate after an intended
change with ``pytest tests/snapshots --snapshot-update`` and look at every changed SVG.

Determinism: the workspace is a copy of sample_workspace in a folder named ``sample`` (the
header shows the folder's name), the user config dir is private and empty, and the file
watcher and the git reader are off, so nothing on screen depends on timing.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _still(no_watch: None) -> None:
    """Every snapshot is taken of a workbench that read the workspace once."""
