"""Files changed from outside while the workbench runs: the board follows every kind of save.

Each test runs the real app (real watchfiles watcher) on a private copy of sample_workspace,
waits until the watcher listens, changes files the way agents and editors do, and awaits the
screen change with a polling helper and a timeout (never a fixed sleep).  The active feature
002-meal-planner starts with 18 cards: 8 todo, 2 in progress, 1 review, 7 done.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from helpers.live import SIZE, Probe, board_keys, card_count, feature_ids, watcher_ready
from helpers.sample import FEATURE, insert_after, new_task_lines, tasks_path
from helpers.ui import column_keys, make_app, screen_text, selected

pytestmark = pytest.mark.anyio

TIMEOUT = 10.0
START_CARDS = 18


def column_title(app, column: str) -> str:  # type: ignore[no-untyped-def]
    from helpers.ui import column_titles

    from sdd_tui.ui.widgets.board import CardList

    index = [c.column for c in app.query(CardList)].index(column)
    return column_titles(app)[index]


# --------------------------------------------------------------------------- every kind of save


async def test_append_task_adds_a_card(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        assert column_title(app, "todo") == "Todo  8"
        with tasks_path(sample).open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(99, 1, "Appended by an agent"))
        await probe.wait(
            pilot, lambda: "T099" in column_keys(app, "todo"), timeout=TIMEOUT, what="T099"
        )
        assert column_title(app, "todo") == "Todo  9"
        assert column_keys(app, "todo")[-1] == "T099"
        assert card_count(app) == START_CARDS + 1
        assert "7/19" in screen_text(app)  # the header's progress follows too


async def test_temp_and_rename_save(sample: Path) -> None:
    """vim / JetBrains / atomic writers: write a temp file, rename it over tasks.md."""
    app = make_app(sample)
    probe = Probe.attach(app)
    path = tasks_path(sample)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        for round_, task in enumerate(("T009", "T011", "T012")):
            text = path.read_text(encoding="utf-8")
            text = text.replace(f"- [ ] {task} ", f"- [x] {task} ")
            text += new_task_lines(90 + round_, 1, "Saved by rename")
            tmp = path.with_name("tasks.md.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
            await probe.wait(
                pilot,
                lambda t=task, r=round_: (
                    t in column_keys(app, "done") and f"T{90 + r:03d}" in column_keys(app, "todo")
                ),
                timeout=TIMEOUT,
                what=f"{task} done after rename-save {round_}",
            )
        assert card_count(app) == START_CARDS + 3
        assert not probe.seen(f"specs/{FEATURE}/tasks.md.tmp")  # temp names are ignored


async def test_jetbrains_style_save_with_backup(sample: Path) -> None:
    """Rename the old file to a backup, write the new one, delete the backup."""
    app = make_app(sample)
    probe = Probe.attach(app)
    path = tasks_path(sample)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        text = path.read_text(encoding="utf-8") + new_task_lines(95, 2)
        backup = path.with_name("tasks.md~")
        os.replace(path, backup)
        path.write_text(text, encoding="utf-8")
        backup.unlink()
        await probe.wait(
            pilot, lambda: "T096" in column_keys(app, "todo"), timeout=TIMEOUT, what="T096"
        )
        assert card_count(app) == START_CARDS + 2


async def test_delete_then_create(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    path = tasks_path(sample)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        original = path.read_text(encoding="utf-8")
        # Back to back, as some editors save …
        path.unlink()
        path.write_text(original + new_task_lines(80, 1), encoding="utf-8")
        await probe.wait(
            pilot, lambda: "T080" in column_keys(app, "todo"), timeout=TIMEOUT, what="T080"
        )
        # … and with the board seeing the file gone in between: the new file is still watched.
        path.unlink()
        await probe.wait(pilot, lambda: card_count(app) == 0, timeout=TIMEOUT, what="no cards")
        path.write_text(original + new_task_lines(81, 1), encoding="utf-8")
        await probe.wait(
            pilot, lambda: "T081" in column_keys(app, "todo"), timeout=TIMEOUT, what="T081"
        )
        assert "T080" not in column_keys(app, "todo")
        assert card_count(app) == START_CARDS + 1
        with path.open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(82, 1))
        await probe.wait(
            pilot, lambda: "T082" in column_keys(app, "todo"), timeout=TIMEOUT, what="T082"
        )


# --------------------------------------------------------------------------- feature folders


def write_feature(specs: Path, name: str, tasks: int = 3) -> None:
    folder = specs / name
    folder.mkdir(parents=True)
    (folder / "spec.md").write_text(f"# Feature Specification: {name}\n", encoding="utf-8")
    (folder / "tasks.md").write_text(
        f"# Tasks: {name}\n\n" + new_task_lines(1, tasks, f"Task of {name}"), encoding="utf-8"
    )


async def test_new_feature_folder_appears_in_switcher(sample: Path) -> None:
    from sdd_tui.ui.screens.switcher import FeatureSwitcher

    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        write_feature(sample / "specs", "004-x")
        await probe.wait(
            pilot, lambda: "004-x" in feature_ids(app), timeout=TIMEOUT, what="004-x loaded"
        )
        # its tasks are complete once it settles (the files were written after the folder)
        await probe.wait(
            pilot,
            lambda: len(app.session.loaded.workspace.feature("004-x").tasks) == 3,
            timeout=TIMEOUT,
            what="004-x tasks",
        )
        assert app.workbench.feature_id == FEATURE  # the board stays where it was
        assert card_count(app) == START_CARDS
        await pilot.press("f")
        await probe.wait(pilot, lambda: isinstance(app.screen, FeatureSwitcher), timeout=TIMEOUT)
        assert "004-x" in screen_text(app)
        await pilot.press("escape")
        # files of a feature that is not shown are still followed
        with (sample / "specs" / "004-x" / "tasks.md").open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(4, 1))
        await probe.wait(
            pilot,
            lambda: len(app.session.loaded.workspace.feature("004-x").tasks) == 4,
            timeout=TIMEOUT,
            what="004-x T004",
        )


async def test_switch_to_a_feature_created_while_running(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        write_feature(sample / "specs", "004-x")
        await probe.wait(
            pilot,
            lambda: (
                "004-x" in feature_ids(app)
                and len(app.session.loaded.workspace.feature("004-x").tasks) == 3
            ),
            timeout=TIMEOUT,
            what="004-x loaded",
        )
        app.workbench.switch_feature("004-x")
        await probe.wait(
            pilot, lambda: column_keys(app, "todo") == ["T001", "T002", "T003"], what="004-x"
        )
        with (sample / "specs" / "004-x" / "tasks.md").open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(4, 1))
        await probe.wait(
            pilot, lambda: "T004" in column_keys(app, "todo"), timeout=TIMEOUT, what="T004"
        )


async def test_new_document_in_the_active_feature(sample: Path) -> None:
    """An agent writes research.md next to plan.md: the plan pane gains a tab."""
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        (sample / "specs" / FEATURE / "research.md").write_text("# Research\n", encoding="utf-8")
        await probe.wait(
            pilot,
            lambda: any(p.endswith("research.md") for _, p in app.query_one("#plan").documents),
            timeout=TIMEOUT,
            what="research.md in the plan pane",
        )


async def test_feature_folder_deleted(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        assert "001-recipe-sharing" in feature_ids(app)
        shutil.rmtree(sample / "specs" / "001-recipe-sharing")
        await probe.wait(
            pilot,
            lambda: "001-recipe-sharing" not in feature_ids(app),
            timeout=TIMEOUT,
            what="001 gone",
        )
        assert app.workbench.feature_id == FEATURE
        assert card_count(app) == START_CARDS


async def test_active_feature_folder_deleted(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        shutil.rmtree(sample / "specs" / FEATURE)
        await probe.wait(
            pilot, lambda: FEATURE not in feature_ids(app), timeout=TIMEOUT, what="002 gone"
        )
        await probe.wait(
            pilot,
            lambda: app.workbench.feature is not None and app.workbench.feature_id != FEATURE,
            timeout=TIMEOUT,
            what="another feature shown",
        )
        assert app.is_running


async def test_specs_folder_deleted_and_recreated(sample: Path, tmp_path: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    specs = sample / "specs"
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        saved = tmp_path / "saved-specs"
        shutil.copytree(specs, saved)
        shutil.rmtree(specs)
        await probe.wait(pilot, lambda: not feature_ids(app), timeout=TIMEOUT, what="no features")
        assert card_count(app) == 0
        shutil.copytree(saved, specs)
        await probe.wait(
            pilot, lambda: card_count(app) == START_CARDS, timeout=TIMEOUT, what="cards back"
        )
        assert app.workbench.feature_id == FEATURE
        # The watcher did not go stale: a later append is still seen.
        with tasks_path(sample).open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(77, 1))
        await probe.wait(
            pilot, lambda: "T077" in column_keys(app, "todo"), timeout=TIMEOUT, what="T077"
        )
        # And again with a rename away and back (the inode of specs/ is the old one).
        os.replace(specs, sample / "specs-away")
        await probe.wait(pilot, lambda: not feature_ids(app), timeout=TIMEOUT, what="no features")
        os.replace(sample / "specs-away", specs)
        await probe.wait(
            pilot, lambda: card_count(app) == START_CARDS + 1, timeout=TIMEOUT, what="back"
        )
        with tasks_path(sample).open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(78, 1))
        await probe.wait(
            pilot, lambda: "T078" in column_keys(app, "todo"), timeout=TIMEOUT, what="T078"
        )


# --------------------------------------------------------------------------- half-written files


async def test_half_written_file_never_shows_a_broken_board(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    path = tasks_path(sample)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        start = len(probe.refreshes)
        data = (path.read_text(encoding="utf-8") + new_task_lines(60, 5)).encode()
        half = len(data) // 2

        def writer() -> None:
            with path.open("wb") as fh:  # in place: truncate, half, pause, rest
                fh.write(data[:half])
                fh.flush()
                time.sleep(0.05)
                fh.write(data[half:])

        thread = threading.Thread(target=writer)
        thread.start()
        await probe.wait(pilot, lambda: not thread.is_alive(), timeout=TIMEOUT, what="writer")
        await probe.wait(
            pilot, lambda: card_count(app) == START_CARDS + 5, timeout=TIMEOUT, what="5 more"
        )
        await probe.wait(pilot, probe.settled, timeout=TIMEOUT, what="settled")
        shown = [sum(map(len, r.values())) for r in probe.refreshes[start:]]
        assert shown, "the board was never refreshed"
        assert min(shown) >= START_CARDS, f"a refresh showed a half-written file: {shown}"
        assert card_count(app) == START_CARDS + 5


# --------------------------------------------------------------------------- selection, detail


async def test_selection_stays_on_task_when_lines_are_inserted_above(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    path = tasks_path(sample)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        await pilot.press("down", "down", "down")
        assert selected(app) == ("T012", "todo")
        text = insert_after(path.read_text(encoding="utf-8"), "- [x] T001 ", new_task_lines(40, 3))
        path.write_text(text, encoding="utf-8")
        await probe.wait(
            pilot, lambda: "T040" in column_keys(app, "todo"), timeout=TIMEOUT, what="T040"
        )
        assert column_keys(app, "todo")[:3] == ["T040", "T041", "T042"]
        assert selected(app) == ("T012", "todo")
        # and when the selected card moves column because of an outside edit, it follows it
        path.write_text(text.replace("- [ ] T012 ", "- [x] T012 "), encoding="utf-8")
        await probe.wait(
            pilot, lambda: "T012" in column_keys(app, "done"), timeout=TIMEOUT, what="T012 done"
        )
        assert selected(app) == ("T012", "done")


async def test_open_detail_follows_the_task_text(sample: Path) -> None:
    from sdd_tui.ui.screens.detail import DetailScreen

    app = make_app(sample)
    probe = Probe.attach(app)
    path = tasks_path(sample)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, path)
        await pilot.press("down")
        assert selected(app) == ("T009", "todo")
        await pilot.press("enter")
        await probe.wait(pilot, lambda: isinstance(app.screen, DetailScreen), timeout=TIMEOUT)
        assert "servings override" in screen_text(app)
        text = path.read_text(encoding="utf-8")
        text = insert_after(text, "## Phase 1: Setup", "\n" + new_task_lines(50, 2))
        text = text.replace("Add a servings override", "Add a portion-size override")
        path.write_text(text, encoding="utf-8")
        await probe.wait(
            pilot,
            lambda: "portion-size override" in screen_text(app),
            timeout=TIMEOUT,
            what="the detail to show the new text",
        )
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.task_.key == "T009"
        assert "servings override" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert selected(app) == ("T009", "todo")


# --------------------------------------------------------------------------- own writes


async def test_own_writes_do_not_refresh_the_board_twice(sample: Path) -> None:
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        before = len(probe.refreshes)
        batches = len(probe.batches)
        await pilot.press("L")  # T007b: todo -> in progress (board.json + history.jsonl)
        await pilot.pause()
        assert "T007b" in column_keys(app, "in_progress")
        await probe.wait(
            pilot,
            lambda: (
                any(".sdd/board.json" in b for b in probe.batches[batches:]) and probe.settled()
            ),
            timeout=TIMEOUT,
            what="the watcher to see the app's own board.json write",
        )
        batches = len(probe.batches)
        await pilot.press("space")  # T007b: -> done (tasks.md box + board.json + history)
        await pilot.pause()
        assert "T007b" in column_keys(app, "done")
        await probe.wait(
            pilot,
            lambda: (
                any(f"specs/{FEATURE}/tasks.md" in b for b in probe.batches[batches:])
                and probe.settled()
            ),
            timeout=TIMEOUT,
            what="the watcher to see the app's own tasks.md write",
        )
        assert len(probe.refreshes) == before, "the app's own writes refreshed the board again"
        assert selected(app) == ("T007b", "done")
        assert board_keys(app)["done"][-1] == "T007b"


# --------------------------------------------------------------------------- own writes


async def test_the_apps_own_write_is_not_reloaded_again(sample: Path) -> None:
    """A move re-reads the files it wrote itself; the watcher's report of that same write
    starts no second reload (at 20,000 tasks it re-linked every test result, in a thread
    that held up the next key), while a write by anyone else after it still does."""
    app = make_app(sample)
    probe = Probe.attach(app)
    async with app.run_test(size=SIZE) as pilot:
        await watcher_ready(pilot, probe, tasks_path(sample))
        await probe.wait(pilot, probe.settled, timeout=TIMEOUT, what="the poke reloaded")
        applied, since = len(probe.applied), len(probe.batches)
        task, _column = selected(app)
        await pilot.press("L")
        await probe.wait(
            pilot,
            lambda: probe.seen(".sdd/board.json", since),
            timeout=TIMEOUT,
            what="the watcher reported the move",
        )
        for _ in range(5):  # time for a reload to start and land, had one started
            await pilot.pause(0.05)
        assert len(probe.applied) == applied
        assert not any(w.group == "reload" and not w.is_finished for w in app.workers)
        assert task in column_keys(app, "in_progress")

        with tasks_path(sample).open("a", encoding="utf-8") as fh:
            fh.write(new_task_lines(98, 1, "Written after the move"))
        await probe.wait(
            pilot,
            lambda: "T098" in column_keys(app, "todo") and probe.settled(),
            timeout=TIMEOUT,
            what="the later outside write",
        )
        assert len(probe.applied) > applied
        assert task in column_keys(app, "in_progress")
