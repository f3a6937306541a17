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


# --------------------------------------------------------------------------- prefetch


def _many_files(tmp_path: Path) -> tuple[Path, list[tuple[str, str | None]]]:
    root = tmp_path / "ws"
    (root / ".sdd").mkdir(parents=True)
    wanted: list[tuple[str, str | None]] = []
    for f in range(1, 7):
        folder = root / "specs" / f"00{f}-f"
        (folder / "checklists").mkdir(parents=True)
        lines = ["# Tasks", "", "## Phase 1", ""]
        for t in range(1, 40):
            lines.append(f"- [{'x' if t % 3 == 0 else ' '}] T{t:03d} [P] Task {t} (FR-00{t % 9})")
            if t % 5 == 0:
                lines += ["  - detail: more", f"  - [ ] T{t:03d}a sub"]
        (folder / "tasks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "spec.md").write_text(
            "# Spec\n\n- **FR-001**: System MUST work.\n- [ ] a box in a spec\n",
            encoding="utf-8",
        )
        (folder / "checklists" / "req.md").write_text(
            "# Check\n\n- [ ] CHK001 Clear? [Gap, Spec §FR-001]\n", encoding="utf-8"
        )
        rel = f"specs/00{f}-f"
        wanted += [(f"{rel}/tasks.md", TASKS), (f"{rel}/spec.md", "prefixed")]
        wanted += [(f"{rel}/checklists/req.md", None), (f"{rel}/missing.md", None)]
    return root, wanted


def _count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Prefetch at any size, fork even if a plugin runs a thread; the forks' pids."""
    monkeypatch.setattr(facts_mod, "PREFETCH_MIN_FILES", 1)
    monkeypatch.setattr(facts_mod, "PREFETCH_MIN_BYTES", 0)
    monkeypatch.setattr(facts_mod, "can_fork", lambda: True)
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(facts_mod.os, "fork", fork)
    return forks


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_prefetch_in_a_forked_process_gives_the_same_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, wanted = _many_files(tmp_path)
    forks = _count_forks(monkeypatch)
    fetched = FactsCache()
    fetched.prefetch(root, wanted)
    assert len(forks) == 1
    present = [w for w in wanted if not w[0].endswith("missing.md")]
    # Both halves are in, before any get(): the child's share came through the pipe.
    assert set(fetched._entries) == set(present)

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("prefetched facts are fresh: no second parse")

    serial = FactsCache()
    expected = {w: serial.get(root, *w) for w in wanted}
    monkeypatch.setattr(facts_mod, "_parse", no_read)
    assert {w: fetched.get(root, *w) for w in wanted} == expected
    assert any(f.rows for f in expected.values() if hasattr(f, "rows"))


def test_prefetch_never_forks_a_process_with_other_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    root, wanted = _many_files(tmp_path)
    monkeypatch.setattr(facts_mod, "PREFETCH_MIN_FILES", 1)
    monkeypatch.setattr(facts_mod, "PREFETCH_MIN_BYTES", 0)

    def no_fork() -> int:
        raise AssertionError("forked while another thread runs")

    monkeypatch.setattr(facts_mod.os, "fork", no_fork)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        cache = FactsCache()
        cache.prefetch(root, wanted)
        assert cache._entries == {}
    finally:
        stop.set()
        other.join()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_parallel_load_equals_serial_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = _many_files(tmp_path)
    serial = load_root(root, persist=False).workspace
    forks = _count_forks(monkeypatch)
    parallel = load_root(root, persist=False, parallel=True).workspace
    assert len(forks) == 1
    assert parallel == serial
    assert sum(len(f.tasks) for f in parallel.features) > 200
