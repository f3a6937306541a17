"""sdd_tui.workspace.watcher without the UI: what is watched, what is ignored, and that the
watch survives folders deleted and re-created and files replaced by a rename.

``watch_workspace`` runs in a background task collecting batches; the tests poll the
collected batches with a timeout (``Batches.wait``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from helpers.sample import TASKS_MD

from sdd_tui.workspace.watcher import relevant, watch_targets, watch_workspace

TIMEOUT = 10.0


# --------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    "rel",
    [
        "specs/002/tasks.md",
        "specs/002",
        ".sdd/board.json",
        ".sdd/history.jsonl",
        ".sdd/config.yaml",
        ".git/HEAD",
        ".git/refs/heads/main",
        "progress.md",
        ".kiro/specs/a/tasks.md",
    ],
)
def test_relevant_paths(tmp_path: Path, rel: str) -> None:
    assert relevant(tmp_path.resolve(), str(tmp_path / rel)) == rel


@pytest.mark.parametrize(
    "rel",
    [
        "specs/002/.tasks.md.swp",
        "specs/002/.tasks.md.swx",
        "specs/002/tasks.md~",
        "specs/002/tasks.md.tmp",
        "specs/002/.tasks.md.abc123.sdd-tmp",
        "specs/002/tasks.md___jb_tmp___",
        "specs/002/tasks.md___jb_old___",
        "specs/002/4913",
        "specs/002/.#tasks.md",
        "specs/__pycache__/x.pyc",
        ".git/index",
        ".git/objects/ab/cdef",
        ".git/HEAD.lock",
        ".git/ORIG_HEAD",
        ".sdd/cache/results.json",
        ".sdd/.lock",
    ],
)
def test_ignored_paths(tmp_path: Path, rel: str) -> None:
    assert relevant(tmp_path.resolve(), str(tmp_path / rel)) is None


def test_paths_outside_the_root_are_ignored(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    assert relevant(root.resolve(), str(tmp_path / "other" / "tasks.md")) is None
    assert relevant(root.resolve(), str(root)) is None


def test_watch_targets(sample: Path) -> None:
    root = sample.resolve()
    assert set(watch_targets(root)) == {root / "specs", root / ".specify", root / ".sdd"}
    (root / ".git" / "refs").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / ".git" / "objects").mkdir()
    (root / "progress.md").write_text("# Progress\n")
    assert set(watch_targets(root)) == {
        root / "specs",
        root / ".specify",
        root / ".sdd",
        root / ".git" / "HEAD",
        root / ".git" / "refs",
        root / "progress.md",
    }
    shutil.rmtree(root / "specs")
    assert root / "specs" not in watch_targets(root)


# --------------------------------------------------------------------------- the generator


class Batches:
    """Runs ``watch_workspace`` in a task and keeps every batch it yields."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stop = threading.Event()
        self.items: list[set[str]] = []
        self.task: asyncio.Task[None] | None = None
        self.done = False

    async def _run(self) -> None:
        gen: AsyncIterator[set[str]] = watch_workspace(self.root, self.stop, rust_timeout_ms=300)
        async for batch in gen:
            self.items.append(batch)
        self.done = True

    async def wait(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            if self.task is not None and self.task.done() and self.task.exception():
                raise self.task.exception()  # type: ignore[misc]
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; got {self.items}")
            await asyncio.sleep(0.01)

    def seen(self, rel: str, since: int = 0) -> bool:
        return any(rel in b for b in self.items[since:])

    async def ready(self, poke: Path) -> None:
        """Touch ``poke`` until a batch reports it."""
        rel = poke.relative_to(self.root).as_posix()
        since = len(self.items)
        deadline = time.monotonic() + TIMEOUT
        while not self.seen(rel, since):
            if time.monotonic() > deadline:
                raise AssertionError(f"the watcher never reported {rel}")
            os.utime(poke)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._until(lambda: self.seen(rel, since)), 0.2)

    async def _until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def watching(root: Path) -> AsyncIterator[Batches]:
    batches = Batches(root.resolve())
    batches.task = asyncio.create_task(batches._run())
    try:
        yield batches
    finally:
        batches.stop.set()
        try:
            await asyncio.wait_for(batches.task, 5)
        except TimeoutError:
            batches.task.cancel()
            raise AssertionError("watch_workspace did not stop within 5 s") from None


@pytest.mark.anyio
async def test_edits_are_reported_and_temp_files_are_not(sample: Path) -> None:
    tasks = sample / TASKS_MD
    async with watching(sample) as w:
        await w.ready(tasks)
        n = len(w.items)
        tmp = tasks.with_name("tasks.md.tmp")
        tmp.write_text(tasks.read_text() + "- [ ] T090 x\n")
        os.replace(tmp, tasks)
        await w.wait(lambda: w.seen(TASKS_MD.as_posix(), n), "the rename-save")
        assert not any("tasks.md.tmp" in p for b in w.items for p in b)
        n = len(w.items)
        (sample / ".sdd" / "board.json").write_text('{"version": 1, "tasks": {}}\n')
        await w.wait(lambda: w.seen(".sdd/board.json", n), "board.json")


@pytest.mark.anyio
async def test_specs_deleted_and_recreated_keeps_watching(sample: Path, tmp_path: Path) -> None:
    tasks = sample / TASKS_MD
    saved = tmp_path / "saved"
    shutil.copytree(sample / "specs", saved)
    async with watching(sample) as w:
        await w.ready(tasks)
        for round_ in range(3):
            n = len(w.items)
            shutil.rmtree(sample / "specs")
            await w.wait(lambda n=n: any(w.items[n:]), f"the deletion ({round_})")
            shutil.copytree(saved, sample / "specs")
            await w.wait(lambda n=n: w.seen(".", n), f"a full reload ({round_})")
            # the new folder is watched: an append is seen (retry: the restart is async)
            await w.ready(tasks)
            n = len(w.items)
            with tasks.open("a") as fh:
                fh.write(f"- [ ] T09{round_} x\n")
            await w.wait(lambda n=n: w.seen(TASKS_MD.as_posix(), n), f"the append ({round_})")


@pytest.mark.anyio
async def test_head_replaced_by_rename_is_seen_every_time(sample: Path) -> None:
    """git writes HEAD.lock and renames it over HEAD on every checkout."""
    git = sample / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    head = git / "HEAD"
    head.write_text("ref: refs/heads/main\n")
    async with watching(sample) as w:
        await w.ready(sample / TASKS_MD)
        for branch in ("a", "b", "c", "main"):
            n = len(w.items)
            lock = git / "HEAD.lock"
            lock.write_text(f"ref: refs/heads/{branch}\n")
            os.replace(lock, head)
            await w.wait(lambda n=n: w.seen(".git/HEAD", n) or w.seen(".", n), f"checkout {branch}")
        n = len(w.items)
        (git / "refs" / "heads" / "main").write_text("0" * 40 + "\n")
        await w.wait(lambda: w.seen(".git/refs/heads/main", n), "a new ref")


@pytest.mark.anyio
async def test_root_file_replaced_by_rename_stays_watched(sample: Path) -> None:
    progress = sample / "progress.md"
    progress.write_text("# Progress\n")
    async with watching(sample) as w:
        await w.ready(progress)
        for i in range(3):
            n = len(w.items)
            tmp = sample / "progress.md.tmp"
            tmp.write_text(f"# Progress {i}\n")
            os.replace(tmp, progress)
            await w.wait(lambda n=n: w.seen("progress.md", n) or w.seen(".", n), f"rename-save {i}")
        await w.ready(progress)  # still followed after the last replacement


@pytest.mark.anyio
async def test_root_without_sdd_folders_picks_them_up(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    async with watching(root) as w:
        await asyncio.sleep(0)  # let the task start
        (root / "specs" / "001-a").mkdir(parents=True)
        (root / "specs" / "001-a" / "tasks.md").write_text("- [ ] T001 a\n")
        await w.wait(lambda: w.seen("."), "the new specs/ folder")
        await w.ready(root / "specs" / "001-a" / "tasks.md")


@pytest.mark.anyio
async def test_stop_ends_the_generator(sample: Path) -> None:
    async with watching(sample) as w:
        await w.ready(sample / TASKS_MD)
    assert w.done
