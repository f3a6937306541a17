from pathlib import Path

from sdd_tui.workspace.loader import load


def test_sample_workspace_loads(sample: Path) -> None:
    ws = load(sample).workspace
    assert [f.id for f in ws.features] == [
        "001-recipe-sharing",
        "002-meal-planner",
        "003-nutrition-labels",
    ]
    assert ws.active_feature == "002-meal-planner"
    assert ws.problems == ()
