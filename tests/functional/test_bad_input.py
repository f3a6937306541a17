"""Bad input (issue 2, "Bad input"): every broken file becomes one Problem, the rest loads.

Each case breaks one file of a copy of the sample workspace, runs ``sdd-tui status --json`` in a
subprocess (with a timeout, so a blocking read fails the test instead of hanging it) and checks
the Problem (path relative to the root, line where known, a one-line message), that the other
features still load, that the exit code is 0 with no traceback, and that nothing was written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from helpers.cli import run_cli

TASKS_001 = "specs/001-recipe-sharing/tasks.md"
TASKS_002 = "specs/002-meal-planner/tasks.md"
SPEC_002 = "specs/002-meal-planner/spec.md"
BOARD = ".sdd/board.json"
CONFIG = ".sdd/config.yaml"
TIMEOUT = 30  # seconds: a read that blocks fails the test instead of hanging it
run = partial(run_cli, timeout=TIMEOUT)


LOCK = ".sdd/.lock"  # sdd-tui's own advisory lock file: not workspace data
SDD_GITIGNORE = ".sdd/.gitignore"  # created with the lock: keeps it out of git


def snapshot(root: Path) -> dict[str, tuple[str, bytes, int]]:
    """Every entry below ``root``: kind, bytes (regular files only) and mtime, never following
    links and never opening FIFOs."""
    out: dict[str, tuple[str, bytes, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if rel in (LOCK, SDD_GITIGNORE) or rel == ".sdd/cache" or rel.startswith(".sdd/cache/"):
                continue  # the lock and the local parse cache are not workspace data
            st = p.lstat()
            if p.is_symlink():
                out[p.relative_to(root).as_posix()] = ("link", os.readlink(p).encode(), 0)
            elif p.is_dir():
                out[p.relative_to(root).as_posix()] = ("dir", b"", 0)
            elif p.is_fifo():
                out[p.relative_to(root).as_posix()] = ("fifo", b"", st.st_mtime_ns)
            else:
                out[p.relative_to(root).as_posix()] = ("file", p.read_bytes(), st.st_mtime_ns)
    return out


def status(root: Path) -> dict:
    """``status --json`` on ``root``: exit 0, no traceback, and not a byte written."""
    before = snapshot(root)
    proc = run("status", "--json", str(root))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr == ""
    assert snapshot(root) == before
    data = json.loads(proc.stdout)
    for pr in data["problems"]:
        assert set(pr) <= {"path", "line", "message"}
        assert not pr["path"].startswith("/"), pr
        assert "\n" not in pr["message"] and pr["message"].strip(), pr
        if "line" in pr:
            assert isinstance(pr["line"], int) and pr["line"] >= 1
    return data


def problems_for(data: dict, path: str) -> list[dict]:
    return [p for p in data["problems"] if p["path"] == path]


def features(data: dict) -> dict[str, dict]:
    return {f["id"]: f for f in data["features"]}


def assert_rest_loads(data: dict, *, broken: str | None = None) -> None:
    """Every feature of the sample is still there with its numbers (except ``broken``)."""
    fs = features(data)
    assert {"001-recipe-sharing", "002-meal-planner", "003-nutrition-labels"} <= set(fs)
    if broken != "001-recipe-sharing":
        assert fs["001-recipe-sharing"]["tasks"]["total"] == 13
        assert fs["001-recipe-sharing"]["tasks"]["done"] == 13
    if broken != "002-meal-planner":
        assert fs["002-meal-planner"]["tasks"]["total"] == 18
    if broken != "003-nutrition-labels":
        assert fs["003-nutrition-labels"]["clarifications"] == 3


# --- config and board -----------------------------------------------------------------------


def test_invalid_yaml_config(sample: Path) -> None:
    (sample / CONFIG).write_text("# settings\ncolumns: [todo, done\ntests: {}\n", "utf-8")
    data = status(sample)
    [pr] = problems_for(data, CONFIG)
    assert pr["line"] in (2, 3)
    assert "YAML" in pr["message"]
    assert data["columns"] == ["todo", "in_progress", "review", "done"]  # the defaults
    assert_rest_loads(data)
    assert features(data)["002-meal-planner"]["tasks"]["columns"]["review"] == 1


def test_config_without_done_column(sample: Path) -> None:
    (sample / CONFIG).write_text(
        "# settings\ngit:\n  autocommit: false\ncolumns:\n  - todo\n  - doing\n", "utf-8"
    )
    data = status(sample)
    [pr] = problems_for(data, CONFIG)
    assert "columns" in pr["message"]
    assert "done" in pr["message"]
    assert pr["line"] == 4
    assert_rest_loads(data)


def test_config_with_a_bad_value(sample: Path) -> None:
    (sample / CONFIG).write_text("columns: [todo, done]\nchecks:\n  coverage: loud\n", "utf-8")
    data = status(sample)
    [pr] = problems_for(data, CONFIG)
    assert "checks.coverage" in pr["message"]
    assert pr["line"] == 3
    assert_rest_loads(data)


def test_config_not_a_mapping(sample: Path) -> None:
    (sample / CONFIG).write_text("- todo\n- done\n", "utf-8")
    data = status(sample)
    [pr] = problems_for(data, CONFIG)
    assert pr["line"] == 1
    assert_rest_loads(data)


def test_custom_columns_config_is_used(sample: Path) -> None:
    (sample / CONFIG).write_text(
        "columns: [todo, in_progress, blocked, review, done]\n", encoding="utf-8"
    )
    data = status(sample)
    assert data["problems"] == []
    assert data["columns"] == ["todo", "in_progress", "blocked", "review", "done"]
    cols = features(data)["002-meal-planner"]["tasks"]["columns"]
    assert cols == {"todo": 8, "in_progress": 2, "blocked": 0, "review": 1, "done": 7}


def test_invalid_json_board(sample: Path) -> None:
    (sample / BOARD).write_text('{\n  "tasks": {\n    "x": {"column": "review"},,\n}\n', "utf-8")
    data = status(sample)
    [pr] = problems_for(data, BOARD)
    assert pr["line"] == 3
    assert "JSON" in pr["message"]
    assert_rest_loads(data)
    # the board columns are gone, the boxes still decide done
    cols = features(data)["002-meal-planner"]["tasks"]["columns"]
    assert cols == {"todo": 11, "in_progress": 0, "review": 0, "done": 7}


@pytest.mark.parametrize(
    "raw",
    [b"[1, 2]\n", b'{"tasks": []}\n', b'{"tasks": {"a": 1}}\n', b"\xff\xfe{}", b"\x00\x00"],
)
def test_unusable_board(sample: Path, raw: bytes) -> None:
    (sample / BOARD).write_bytes(raw)
    data = status(sample)
    assert len(problems_for(data, BOARD)) == 1
    assert_rest_loads(data)


# --- Markdown documents ---------------------------------------------------------------------


def test_non_utf8_tasks(sample: Path) -> None:
    path = sample / TASKS_001
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    lines[4] = lines[4] + b" caf\xe9"
    path.write_bytes(b"\n".join(lines))
    data = status(sample)
    [pr] = problems_for(data, TASKS_001)
    assert pr["line"] == 5
    assert "UTF-8" in pr["message"]
    assert "offset" in pr["message"]
    assert_rest_loads(data)  # the byte is shown replaced: every task still listed


def test_binary_spec(sample: Path) -> None:
    (sample / SPEC_002).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    data = status(sample)
    prs = problems_for(data, SPEC_002)
    assert prs
    assert all("binary" in p["message"] for p in prs)
    f2 = features(data)["002-meal-planner"]
    assert f2["requirements"] == 0
    assert f2["tasks"]["total"] == 18  # its tasks still load
    assert_rest_loads(data)


def test_directory_named_tasks_md(sample: Path) -> None:
    (sample / TASKS_002).unlink()
    (sample / TASKS_002).mkdir()
    (sample / TASKS_002 / "inner.md").write_text("- [ ] T001 x\n", "utf-8")
    data = status(sample)
    [pr] = problems_for(data, TASKS_002)
    assert "directory" in pr["message"]
    assert features(data)["002-meal-planner"]["tasks"]["total"] == 0
    assert_rest_loads(data, broken="002-meal-planner")


def test_symlink_loop_named_tasks_md(sample: Path) -> None:
    (sample / TASKS_002).unlink()
    (sample / TASKS_002).symlink_to("tasks.md")
    data = status(sample)
    [pr] = problems_for(data, TASKS_002)
    assert "loop" in pr["message"]
    assert_rest_loads(data, broken="002-meal-planner")


def test_symlink_cycle_of_two(sample: Path) -> None:
    folder = sample / "specs/002-meal-planner"
    (folder / "tasks.md").unlink()
    (folder / "tasks.md").symlink_to("other.md")
    (folder / "other.md").symlink_to("tasks.md")
    data = status(sample)
    assert any("loop" in p["message"] for p in problems_for(data, TASKS_002))
    assert_rest_loads(data, broken="002-meal-planner")


def test_dangling_symlink_tasks_md(sample: Path) -> None:
    (sample / TASKS_002).unlink()
    (sample / TASKS_002).symlink_to("gone.md")
    data = status(sample)
    [pr] = problems_for(data, TASKS_002)
    assert "symlink" in pr["message"]
    assert_rest_loads(data, broken="002-meal-planner")


@pytest.mark.parametrize(
    "relpath",
    [TASKS_002, SPEC_002, "specs/002-meal-planner/checklists/ux.md", BOARD, CONFIG],
)
def test_fifo_is_never_opened(sample: Path, relpath: str) -> None:
    """A FIFO with no writer blocks a plain open(); the CLI must not even try (timeout)."""
    (sample / relpath).unlink()
    os.mkfifo(sample / relpath)
    data = status(sample)
    prs = problems_for(data, relpath)
    assert prs
    assert all("FIFO" in pr["message"] for pr in prs)
    assert len(data["features"]) == 3
    if relpath != TASKS_002:
        assert features(data)["002-meal-planner"]["tasks"]["total"] == 18


def test_fifo_tasks_md_with_tasks_and_move(sample: Path) -> None:
    (sample / TASKS_002).unlink()
    os.mkfifo(sample / TASKS_002)
    proc = run("tasks", "--json", str(sample))
    assert proc.returncode == 0, proc.stderr
    assert {t["feature"] for t in json.loads(proc.stdout)} == {"001-recipe-sharing"}
    before = snapshot(sample)
    proc = run("move", "--path", str(sample), "002-meal-planner/T009", "done")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert snapshot(sample) == before


def test_symlink_out_of_the_workspace_is_read_only(sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside-tasks.md"
    outside.write_bytes((sample / TASKS_002).read_bytes())
    outside_bytes = outside.read_bytes()
    (sample / TASKS_002).unlink()
    (sample / TASKS_002).symlink_to(outside)
    data = status(sample)
    [pr] = problems_for(data, TASKS_002)
    assert "outside" in pr["message"]
    f2 = features(data)["002-meal-planner"]
    assert f2["tasks"]["total"] == 18  # it is read …
    assert f2.get("read_only") is True
    assert_rest_loads(data)

    before = snapshot(sample)
    for column in ("done", "review", "todo"):
        proc = run("move", "--path", str(sample), "002-meal-planner/T009", column)
        assert proc.returncode == 2, proc
        err = proc.stderr.strip()
        assert err.startswith("sdd-tui: ") and "\n" not in err
        assert "read-only" in err
    assert outside.read_bytes() == outside_bytes  # … and never written through
    assert snapshot(sample) == before


def test_symlink_inside_the_workspace_is_followed_and_written_to_its_target(sample: Path) -> None:
    real = sample / "specs/002-meal-planner/real-tasks.md"
    (sample / TASKS_002).rename(real)
    (sample / TASKS_002).symlink_to("real-tasks.md")
    data = status(sample)
    assert data["problems"] == []
    proc = run("move", "--path", str(sample), "002-meal-planner/T009", "done")
    assert proc.returncode == 0, proc.stderr
    assert (sample / TASKS_002).is_symlink()
    assert b"- [x] T009 " in real.read_bytes()


def test_many_broken_files_at_once(sample: Path, tmp_path: Path) -> None:
    (sample / CONFIG).write_text("columns: [todo\n", "utf-8")
    (sample / BOARD).write_text("{", "utf-8")
    (sample / TASKS_001).write_bytes(b"- [ ] T001 \xff\n")
    (sample / SPEC_002).write_bytes(b"\x00")
    (sample / TASKS_002).unlink()
    os.mkfifo(sample / TASKS_002)
    data = status(sample)
    paths = {p["path"] for p in data["problems"]}
    assert {CONFIG, BOARD, TASKS_001, SPEC_002, TASKS_002} <= paths
    assert features(data)["003-nutrition-labels"]["clarifications"] == 3
    proc = run("status", str(sample))  # the readable form too
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr
    assert "problem" in proc.stderr
    assert "003-nutrition-labels" in proc.stdout


# --- writes after bad input -----------------------------------------------------------------


def test_corrupt_board_is_backed_up_before_a_move_writes_a_fresh_one(sample: Path) -> None:
    corrupt = b'{\n  "tasks": {\n    "002-meal-planner/T007": {"column": "review"},,\n'
    (sample / BOARD).write_bytes(corrupt)
    proc = run("move", "--path", str(sample), "002-meal-planner/T009", "review")
    assert proc.returncode == 0, proc.stderr
    backups = sorted((sample / ".sdd").glob("board.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == corrupt
    fresh = json.loads((sample / BOARD).read_bytes())
    assert fresh["tasks"] == {"002-meal-planner/T009": {"column": "review"}}
    data = status(sample)
    assert problems_for(data, BOARD) == []
    # a second move does not make another backup
    proc = run("move", "--path", str(sample), "002-meal-planner/T011", "in_progress")
    assert proc.returncode == 0, proc.stderr
    assert len(list((sample / ".sdd").glob("board.json.corrupt-*"))) == 1


def test_corrupt_board_is_backed_up_by_a_done_move_too(sample: Path) -> None:
    (sample / BOARD).write_bytes(b"not json")
    proc = run("move", "--path", str(sample), "002-meal-planner/T009", "done")
    assert proc.returncode == 0, proc.stderr
    [backup] = (sample / ".sdd").glob("board.json.corrupt-*")
    assert backup.read_bytes() == b"not json"
    assert json.loads((sample / BOARD).read_bytes())["tasks"] == {}


def test_non_utf8_tasks_is_never_written_by_move(sample: Path) -> None:
    """Broken after the load: the move re-reads the file, refuses, and writes nothing."""
    from sdd_tui.operations.board import move
    from sdd_tui.operations.boxes import OperationError
    from sdd_tui.workspace.loader import load

    loaded = load(sample)
    path = sample / TASKS_002
    broken = path.read_bytes().replace(b"Add a servings", b"Add a \xe9 servings")
    path.write_bytes(broken)
    before = snapshot(sample)
    with pytest.raises(OperationError) as exc:
        move(loaded, "002-meal-planner", "T009", "done")
    assert "UTF-8" in str(exc.value)
    assert snapshot(sample) == before
    # review is not written in the box: only board.json changes, the bad line stays as it is
    move(loaded, "002-meal-planner", "T009", "review")
    assert path.read_bytes() == broken


def test_non_utf8_tasks_move_from_cli(sample: Path) -> None:
    """A move on a line without bad bytes is done byte-exactly; on the bad line it is
    refused with the reason."""
    path = sample / TASKS_002
    broken = path.read_bytes().replace(b"\n- T009 before", b"\n- [ ] T019 caf\xe9\n- T009 before")
    path.write_bytes(broken)
    proc = run("move", "--path", str(sample), "002-meal-planner/T009", "done")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == broken.replace(b"- [ ] T009 [US1]", b"- [x] T009 [US1]")
    before = snapshot(sample)
    proc = run("move", "--path", str(sample), "002-meal-planner/T019", "done")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "unknown task" not in proc.stderr
    assert "UTF-8" in proc.stderr and "T019" in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert snapshot(sample) == before


Breaker = Callable[[Path], None]


def _fifo_history(root: Path) -> None:
    os.mkfifo(root / ".sdd/history.jsonl")


def _dir_history(root: Path) -> None:
    (root / ".sdd/history.jsonl").mkdir()


@pytest.mark.parametrize("breaker", [_fifo_history, _dir_history])
def test_unwritable_history_does_not_crash_a_move(sample: Path, breaker: Breaker) -> None:
    breaker(sample)
    proc = run("move", "--path", str(sample), "002-meal-planner/T009", "done")
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr
    assert proc.returncode == 0
    assert "history" in proc.stderr
    assert b"- [x] T009 " in (sample / TASKS_002).read_bytes()


def test_board_that_is_a_directory_refuses_board_moves(sample: Path) -> None:
    (sample / BOARD).unlink()
    (sample / BOARD).mkdir()
    data = status(sample)
    assert len(problems_for(data, BOARD)) == 1
    before = snapshot(sample)
    proc = run("move", "--path", str(sample), "002-meal-planner/T009", "review")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert snapshot(sample) == before
