"""``load_root(first=…)``: the workbench's first frame waits for the features up to the one
it opens on, not for all of them; completing that snapshot gives what a full load gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_helpers import anyio_backend, wait_for  # noqa: F401  (fixture)

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


@pytest.mark.anyio
async def test_the_workbench_completes_a_partial_snapshot_and_keys_wait_for_it(
    sample: Path,
) -> None:
    from sdd_tui.ui.app import SddApp
    from sdd_tui.ui.screens.switcher import FeatureSwitcher

    partial = load_root(sample, first=None)
    app = SddApp(partial)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f")  # the feature list needs every feature: it waits for them
        await wait_for(pilot, lambda: not app.loaded.partial, what="the rest of the features")
        await wait_for(
            pilot, lambda: isinstance(app.screen, FeatureSwitcher), what="the feature list"
        )
        assert app.feature_id == "002-meal-planner"
        assert len(app.loaded.workspace.features) == 3


@pytest.mark.anyio
async def test_if_reading_the_rest_fails_the_app_reads_everything_itself(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sdd_tui.workspace.loader as loader_module
    from sdd_tui.ui.app import SddApp

    partial = load_root(sample, first=None)
    real = loader_module.load_root
    calls: list[str] = []

    def flaky(root, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("changed") == () and not calls:
            calls.append("rest")
            raise OSError("the disk went away for a moment")
        return real(root, **kwargs)

    monkeypatch.setattr(loader_module, "load_root", flaky)
    app = SddApp(partial)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f")
        await wait_for(pilot, lambda: not app.loaded.partial, what="the whole workspace")
        assert calls == ["rest"]
        assert len(app.loaded.workspace.features) == 3
