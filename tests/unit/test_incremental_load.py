"""``load_root(..., changed=paths)``: a reload told which files were written skips walking
the folders, yet gives the same snapshot as a full load, and walks again whenever the
layout may have changed (a new or deleted file, an unknown path)."""

from __future__ import annotations

import time
from pathlib import Path

from sdd_tui.workspace.loader import load_root
from sdd_tui.workspace.snapshot import BOARD_PATH

FEATURE = "002-meal-planner"
TASKS = f"specs/{FEATURE}/tasks.md"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    time.sleep(0.01)  # a new mtime even on coarse clocks
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_known_file_reloads_without_a_walk_and_matches_a_full_load(sample: Path) -> None:
    first = load_root(sample)
    _edit(sample, TASKS, "- [ ] T009", "- [x] T009")
    partial = load_root(sample, previous=first, persist=False, changed=[TASKS])
    assert partial.sources is first.sources  # the folders were not walked again
    full = load_root(sample, persist=False)
    assert partial.workspace == full.workspace
    task = partial.workspace.feature(FEATURE).task("T009")  # type: ignore[union-attr]
    assert task is not None and task.done


def test_state_files_never_need_a_walk(sample: Path) -> None:
    first = load_root(sample)
    again = load_root(sample, previous=first, persist=False, changed=[BOARD_PATH])
    assert again.sources is first.sources
    assert again.workspace == first.workspace


def test_a_new_file_or_folder_is_discovered(sample: Path) -> None:
    first = load_root(sample)
    checklist = f"specs/{FEATURE}/checklists/security.md"
    (sample / checklist).parent.mkdir(exist_ok=True)
    (sample / checklist).write_text("# Security\n\n- [ ] CHK900 Secrets stay out\n")
    again = load_root(sample, previous=first, persist=False, changed=[checklist])
    assert again.sources is not first.sources
    feature = again.workspace.feature(FEATURE)
    assert feature is not None and checklist in feature.checklist_files
    new = sample / "specs" / "009-new"
    new.mkdir()
    (new / "tasks.md").write_text("# Tasks\n\n- [ ] T001 New\n")
    again = load_root(sample, previous=again, persist=False, changed=["specs/009-new"])
    assert again.workspace.feature("009-new") is not None


def test_a_deleted_file_is_noticed(sample: Path) -> None:
    first = load_root(sample)
    plan = f"specs/{FEATURE}/plan.md"
    assert first.workspace.feature(FEATURE).documents.get("plan") == plan  # type: ignore[union-attr]
    (sample / plan).unlink()
    again = load_root(sample, previous=first, persist=False, changed=[plan])
    assert again.workspace.feature(FEATURE).documents.get("plan") is None  # type: ignore[union-attr]
    assert again.workspace == load_root(sample, persist=False).workspace


def test_features_without_a_changed_file_are_reused_without_reading_them(
    sample: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from sdd_tui.workspace.facts import FactsCache

    first = load_root(sample)
    _edit(sample, TASKS, "- [ ] T009", "- [x] T009")
    asked: list[str] = []
    get = FactsCache.get

    def counting(self, root, relpath, kind):  # type: ignore[no-untyped-def]
        asked.append(relpath)
        return get(self, root, relpath, kind)

    monkeypatch.setattr(FactsCache, "get", counting)
    again = load_root(sample, previous=first, persist=False, changed=[TASKS, BOARD_PATH])
    assert asked and all(p.startswith(f"specs/{FEATURE}/") for p in asked)
    for old, new in zip(first.workspace.features, again.workspace.features, strict=True):
        assert (new is old) == (old.id != FEATURE)
    monkeypatch.setattr(FactsCache, "get", get)
    assert again.workspace == load_root(sample, persist=False).workspace
