"""Every real tasks file of ../shared/corpus, on a private copy (the corpus is never written):
a task added then removed, and a task renamed then undone, give back the original bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.files import CORPUS

from sdd_tui.operations import history, task_edits
from sdd_tui.operations.boxes import OperationError
from sdd_tui.workspace.loader import load

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus folder {CORPUS} is absent")

REPOS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("repo", REPOS)
def test_add_then_remove_and_rename_then_undo_give_the_original_bytes(
    repo: str, tmp_path: Path
) -> None:
    root = tmp_path / repo
    shutil.copytree(CORPUS / repo, root, symlinks=True)
    features = [
        f
        for f in load(root).workspace.features
        if f.tasks and not f.read_only and f.documents.get("tasks")
    ]
    edited, refused = 0, []
    for feature in features:
        path = root / str(feature.documents["tasks"])
        before = path.read_bytes()
        try:
            added = task_edits.add_task(load(root, only=feature.id), feature.id, "Corpus check")
        except OperationError as exc:  # a file sdd-tui does not write (bad bytes): untouched
            assert path.read_bytes() == before, exc
            refused.append(f"{feature.id}: {exc}")
            continue
        assert added.hunks and len(added.hunks) == 1 and added.hunks[0].old == b""
        task_edits.remove_task(load(root, only=feature.id), feature.id, added.task)
        assert path.read_bytes() == before, f"{feature.id}: add then remove"
        first = feature.tasks[0]
        history.apply_and_record(
            load(root, only=feature.id), task_edits.rename_task, feature.id, first.key, "Renamed"
        )
        assert history.undo(load(root, only=feature.id)) is not None
        assert (root / first.path).read_bytes() == (CORPUS / repo / first.path).read_bytes()
        edited += 1
    # only a file that cannot be written back exactly is refused: never most of them
    assert len(refused) <= len(features) // 10, refused
    assert edited == len(features) - len(refused)
