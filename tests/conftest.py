"""Shared fixtures: temporary copies of the sample workspace and small workspaces."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_workspace"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of sample_workspace (tests never edit the bundled one)."""
    dest = tmp_path / "sample"
    shutil.copytree(SAMPLE, dest)
    return dest
