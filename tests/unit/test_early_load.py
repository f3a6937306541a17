"""``EarlyLoad``: the workbench's first snapshot read by a forked process gives exactly what
reading it here gives, and any failure of the child falls back to reading it here."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdd_tui.workspace import early_load, forked
from sdd_tui.workspace.early_load import EarlyLoad
from sdd_tui.workspace.loader import load, load_root
from sdd_tui.workspace.snapshot import Loaded, WorkspaceError


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even though the test runner may run threads (the child only reads and exits)."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)


def same_snapshot(got: Loaded, want: Loaded) -> None:
    assert got.workspace == want.workspace
    assert (got.root, got.board, got.board_raw, got.config) == (
        want.root,
        want.board,
        want.board_raw,
        want.config,
    )
    assert got.sources == want.sources
    assert got.discovered == want.discovered
    assert got.partial == want.partial
    assert got.facts.store == want.facts.store


def test_the_forked_read_gives_the_snapshot_a_read_here_gives(sample: Path, forking: None) -> None:
    early = EarlyLoad(str(sample), first=None)
    assert early.forked
    got = early.result()
    same_snapshot(got, load(str(sample), first=None))
    assert got.partial  # the first frame's share only: 002 is active, 003 is not read yet
    # Reading the rest reuses the features the child read, as a read here would.
    rest = load_root(got.root, previous=got, persist=False, changed=())
    assert not rest.partial
    assert rest.workspace == load(str(sample)).workspace
    assert rest.workspace.feature("002-meal-planner") is got.workspace.feature("002-meal-planner")
    # The caches start empty and work: a document is parsed on demand.
    doc = got.cache.load(got.root, "specs/002-meal-planner/spec.md")
    assert not hasattr(doc, "message"), doc


def test_a_named_feature_and_the_workspace_from_a_subfolder(sample: Path, forking: None) -> None:
    got = EarlyLoad(str(sample / "specs"), first="001").result()
    assert [f.id for f in got.workspace.features] == ["001-recipe-sharing"]
    assert got.root == sample.resolve()


def test_a_workspace_error_in_the_child_is_raised_here(tmp_path: Path, forking: None) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(WorkspaceError) as here:
        load(str(missing))
    early = EarlyLoad(str(missing), first=None)
    assert early.forked
    with pytest.raises(WorkspaceError) as there:
        early.result()
    assert str(there.value) == str(here.value)


def test_a_child_that_fails_is_replaced_by_a_read_here(
    sample: Path, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: EarlyLoad) -> bytes:
        raise RuntimeError("the child met a bug")

    monkeypatch.setattr(early_load.EarlyLoad, "_read", broken)
    early = EarlyLoad(str(sample), first=None)
    assert early.forked
    same_snapshot(early.result(), load(str(sample), first=None))

    def garbage(self: EarlyLoad) -> bytes:
        return b"not a pickle"

    monkeypatch.setattr(early_load.EarlyLoad, "_read", garbage)
    same_snapshot(EarlyLoad(str(sample), first=None).result(), load(str(sample), first=None))


def test_no_fork_where_it_is_not_safe(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    early = EarlyLoad(str(sample), first=None)
    assert not early.forked
    same_snapshot(early.result(), load(str(sample), first=None))
