"""Spec Kit's active feature, for features of a group (``specs/<group>/NNN-name/``)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.files import write_tree

from sdd_tui.workspace.discover import active_feature


def test_feature_json_names_a_grouped_feature(tmp_path: Path) -> None:
    ids = ["web:016-x", "api:016-x", "017-y"]
    root = write_tree(
        tmp_path / "ws",
        {".specify/feature.json": json.dumps({"feature_directory": "specs/api/016-x"})},
    )
    assert active_feature(root, ids) == "api:016-x"
    (root / ".specify" / "feature.json").write_text(json.dumps({"feature_directory": "017-y"}))
    assert active_feature(root, ids) == "017-y"


def test_a_branch_names_the_one_grouped_feature_of_that_name(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", {".git/HEAD": "ref: refs/heads/feature/018-z\n"})
    assert active_feature(root, ["web:018-z", "017-y"]) == "web:018-z"
    assert active_feature(root, ["web:018-z", "api:018-z"]) is None  # ambiguous: none
