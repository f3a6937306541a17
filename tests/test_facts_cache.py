"""The parse cache: never stale, never trusted when someone else wrote it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sdd_tui.workspace import facts as facts_mod
from sdd_tui.workspace.facts import TASKS, FactsCache, default_store
from sdd_tui.workspace.loader import load_root

TASKS_MD = "# Tasks\n\n- [ ] T001 First\n- [x] T002 Second\n"


def _workspace(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "ws"
    tasks = root / "specs" / "001-a" / "tasks.md"
    tasks.parent.mkdir(parents=True)
    (root / ".sdd").mkdir()
    tasks.write_text(TASKS_MD, encoding="utf-8")
    return root, tasks


def _age(path: Path, seconds: float = 60) -> None:
    past = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(past, past))


def _marks(root: Path) -> list[tuple[str, str]]:
    ws = load_root(root).workspace
    return [(t.key, t.mark) for t in ws.features[0].tasks]


def test_cache_is_written_under_sdd_cache_and_ignored_by_git(tmp_path: Path) -> None:
    root, _ = _workspace(tmp_path)
    load_root(root)
    store = default_store(root)
    assert store == root / ".sdd" / "cache" / "parse-cache.bin"
    assert store.is_file()
    assert (store.parent / ".gitignore").read_text() == "*\n"


def test_warm_entries_are_used_without_reading_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = _workspace(tmp_path)
    # The racy window shrunk from 3 s to 20 ms so the test need not wait (ctime cannot be aged).
    monkeypatch.setattr(facts_mod, "RACY_NS", 20_000_000)
    time.sleep(0.05)
    load_root(root)  # checks the file after its last change: trusted from now on

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a trusted entry must not read the file")

    monkeypatch.setattr(facts_mod, "read_file", no_read)
    fresh = FactsCache(default_store(root))
    got = fresh.get(root, "specs/001-a/tasks.md", TASKS)
    assert [r[0] for r in got.rows] == ["T001", "T002"]


def test_an_edit_inside_the_timestamp_granularity_is_never_missed(tmp_path: Path) -> None:
    root, tasks = _workspace(tmp_path)
    st = tasks.stat()
    assert _marks(root) == [("T001", " "), ("T002", "x")]
    # Same size, same mtime (as a coarse-grained filesystem would show): only the bytes differ.
    tasks.write_text(TASKS_MD.replace("[ ] T001", "[x] T001"), encoding="utf-8")
    os.utime(tasks, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert tasks.stat().st_size == st.st_size
    assert _marks(root) == [("T001", "x"), ("T002", "x")]


def test_a_cache_file_from_someone_else_is_ignored(tmp_path: Path) -> None:
    root, tasks = _workspace(tmp_path)
    _age(tasks)
    load_root(root)
    store = default_store(root)
    blob = bytearray(store.read_bytes())
    blob[-5] ^= 0xFF  # tampered payload: the MAC no longer matches
    store.write_bytes(bytes(blob))
    assert _marks(root) == [("T001", " "), ("T002", "x")]
    # A cache planted by a repository (written with another key) is ignored too.
    store.write_bytes(facts_mod._MAGIC + b"\0" * 32 + b"not marshal at all")
    assert _marks(root) == [("T001", " "), ("T002", "x")]


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    root, tasks = _workspace(tmp_path)
    _age(tasks)
    assert _marks(root) == [("T001", " "), ("T002", "x")]
    tasks.write_text(TASKS_MD + "- [ ] T003 Third\n", encoding="utf-8")
    assert _marks(root) == [("T001", " "), ("T002", "x"), ("T003", " ")]
