"""The workbench on a partial first snapshot (``load_root(first=…)``): it completes the
snapshot itself, keys that need every feature wait for it, and a failed read of the rest
falls back to reading everything.  (The partial load itself:
``tests/unit/test_first_feature_load.py``.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.ui import wait_for

from sdd_tui.workspace.loader import load_root


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
        await wait_for(
            pilot, lambda: not app.session.loaded.partial, what="the rest of the features"
        )
        await wait_for(
            pilot, lambda: isinstance(app.screen, FeatureSwitcher), what="the feature list"
        )
        assert app.workbench.feature_id == "002-meal-planner"
        assert len(app.session.loaded.workspace.features) == 3


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
    # no watcher: its first full re-read would complete the snapshot before the rest is read
    monkeypatch.setenv("SDD_TUI_NO_WATCH", "1")
    app = SddApp(partial)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f")
        await wait_for(pilot, lambda: not app.session.loaded.partial, what="the whole workspace")
        assert calls == ["rest"]
        assert len(app.session.loaded.workspace.features) == 3
