"""``load_root(first=…)``: the workbench's first frame waits for the features up to the one
it opens on, not for all of them; completing that snapshot gives what a full load gives."""

from __future__ import annotations

import json
from pathlib import Path

from sdd_tui.workspace.loader import load_root

# sample_workspace: 001 (finished), 002-meal-planner (active: .specify/feature.json), 003


def ids(loaded) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.id for f in loaded.workspace.features]


def test_stops_at_the_active_feature_and_completes_to_a_full_load(sample: Path) -> None:
    full = load_root(sample, persist=False)
    first = load_root(sample, persist=False, first=None)
    assert first.partial and ids(first) == ["001-recipe-sharing", "002-meal-planner"]
    assert first.workspace.active_feature == "002-meal-planner"
    rest = load_root(sample, previous=first, persist=False, changed=())
    assert not rest.partial
    assert rest.sources is first.sources  # no second walk
    assert rest.workspace == full.workspace
    assert rest.workspace.feature("002-meal-planner") is first.workspace.feature(
        "002-meal-planner"
    )  # the feature read first is reused, not read again


def test_a_named_feature_first_an_unknown_one_falls_back_to_the_active(sample: Path) -> None:
    named = load_root(sample, persist=False, first="001")
    assert named.partial and ids(named) == ["001-recipe-sharing"]
    unknown = load_root(sample, persist=False, first="999-nope")  # the CLI refuses it
    assert ids(unknown) == ["001-recipe-sharing", "002-meal-planner"]
    assert unknown.workspace.feature("999-nope") is None
    last = load_root(sample, persist=False, first="003-nutrition-labels")
    assert not last.partial and len(ids(last)) == 3  # the last one: nothing left to defer


def test_without_an_active_feature_the_first_with_open_tasks(sample: Path) -> None:
    (sample / ".specify" / "feature.json").write_text(json.dumps({}), encoding="utf-8")
    first = load_root(sample, persist=False, first=None)
    assert ids(first) == ["001-recipe-sharing", "002-meal-planner"]  # 001 is finished
    assert first.workspace.active_feature is None
