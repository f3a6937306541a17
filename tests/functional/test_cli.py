"""The headless CLI contract (issue 2, "CLI"): status/tasks JSON, move, errors, exit codes.

Most tests drive the real console entry point in a subprocess (``python -m sdd_tui`` and the
installed ``sdd-tui`` script); the rest call ``sdd_tui.cli.main`` in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import run_cli
from helpers.files import changed_line_pairs

from sdd_tui.cli import main

SPEC_002 = "specs/002-meal-planner"
TASKS_002 = f"{SPEC_002}/tasks.md"
BOARD = ".sdd/board.json"

FEATURE_KEYS = {
    "id",
    "layout",
    "archived",
    "path",
    "documents",
    "tasks",
    "checklists",
    "clarifications",
    "requirements",
}
TASK_KEYS = {
    "feature",
    "id",
    "key",
    "title",
    "column",
    "path",
    "line",
    "parent",
    "story",
    "parallel",
    "requirements",
}


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``root`` with its bytes and mtime (symlinks/FIFOs by their lstat)."""
    out: dict[str, tuple[bytes, int]] = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if rel.startswith(".sdd/cache/"):
                continue  # the local parse cache (gitignored), not workspace data
            st = p.lstat()
            data = p.read_bytes() if p.is_file() and not p.is_symlink() else b""
            out[rel] = (data, st.st_mtime_ns)
    return out


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc
    err = proc.stderr.strip()
    assert err.count("\n") == 0, err
    assert err.startswith("sdd-tui: ")
    assert "Traceback" not in proc.stderr
    for n in needles:
        assert n in err
    assert proc.stdout == ""


# --- status --json --------------------------------------------------------------------------


def test_status_json_shape_and_values(sample: Path) -> None:
    proc = run_cli("status", "--json", str(sample))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert {"root", "active_feature", "features", "problems"} <= set(data)
    assert Path(data["root"]) == sample.resolve()
    assert data["active_feature"] == "002-meal-planner"
    assert data["problems"] == []
    by_id = {f["id"]: f for f in data["features"]}
    assert list(by_id) == ["001-recipe-sharing", "002-meal-planner", "003-nutrition-labels"]
    for f in data["features"]:
        assert set(f) >= FEATURE_KEYS, f.keys()
        assert f["layout"] in ("speckit", "kiro", "openspec", "zencoder")
        assert f["archived"] is False
        assert {"spec", "plan", "tasks"} <= set(f["documents"])
        for rel in f["documents"].values():
            assert rel is None or (not rel.startswith("/") and "\\" not in rel)
            if rel is not None:
                assert (sample / rel).is_file()
        assert set(f["tasks"]) >= {"total", "done", "columns"}
        assert set(f["tasks"]["columns"]) == {"todo", "in_progress", "review", "done"}
        assert sum(f["tasks"]["columns"].values()) == f["tasks"]["total"]
        assert f["tasks"]["columns"]["done"] == f["tasks"]["done"]
        assert set(f["checklists"]) >= {"total", "checked"}
        assert isinstance(f["clarifications"], int)
        assert isinstance(f["requirements"], int)

    f1 = by_id["001-recipe-sharing"]
    assert f1["layout"] == "speckit"
    assert f1["path"] == "specs/001-recipe-sharing"
    assert f1["documents"]["spec"] == "specs/001-recipe-sharing/spec.md"
    assert f1["documents"]["plan"] == "specs/001-recipe-sharing/plan.md"
    assert f1["documents"]["tasks"] == "specs/001-recipe-sharing/tasks.md"
    assert f1["tasks"]["total"] == 13
    assert f1["tasks"]["done"] == 13
    assert f1["tasks"]["columns"] == {"todo": 0, "in_progress": 0, "review": 0, "done": 13}
    assert f1["clarifications"] == 0

    f2 = by_id["002-meal-planner"]
    assert f2["documents"]["tasks"] == TASKS_002
    assert f2["tasks"]["total"] == 18
    assert f2["tasks"]["done"] == 7
    # T007 and T010 in_progress, T008 review (from .sdd/board.json)
    assert f2["tasks"]["columns"] == {"todo": 8, "in_progress": 2, "review": 1, "done": 7}

    f3 = by_id["003-nutrition-labels"]
    assert f3["documents"]["tasks"] is None
    assert f3["documents"]["plan"] is None
    assert f3["tasks"]["total"] == 0
    assert f3["clarifications"] == 3
    assert f3["requirements"] >= 5  # FR-001 … FR-00n in its spec


def test_status_json_counts_match_the_sample_files(sample: Path) -> None:
    """Checklist and requirement counts agree with a plain count of the Markdown."""
    import re

    data = json.loads(run_cli("status", "--json", str(sample)).stdout)
    for f in data["features"]:
        folder = sample / f["path"]
        boxes = checked = 0
        for md in sorted((folder / "checklists").glob("*.md")):
            for line in md.read_text(encoding="utf-8").splitlines():
                m = re.match(r"\s*[-*+] \[([ xX])\] ", line)
                if m:
                    boxes += 1
                    checked += m.group(1) != " "
        spec = (folder / "spec.md").read_text(encoding="utf-8")
        for line in spec.splitlines():
            m = re.match(r"\s*[-*+] \[([ xX])\] ", line)
            if m:
                boxes += 1
                checked += m.group(1) != " "
        assert f["checklists"] == {"total": boxes, "checked": checked}, f["id"]
        frs = set(re.findall(r"\*\*(FR-\d{3}[a-z]?)\*\*", spec))
        assert f["requirements"] == len(frs), f["id"]
        assert f["clarifications"] == spec.count("[NEEDS CLARIFICATION")


def test_status_json_in_process(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--json", str(sample)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert next(f["id"] for f in data["features"]) == "001-recipe-sharing"


def test_status_defaults_to_the_current_folder_searched_upwards(sample: Path) -> None:
    sub = sample / "specs" / "002-meal-planner" / "checklists"
    proc = subprocess.run(
        [sys.executable, "-m", "sdd_tui", "status", "--json"],
        cwd=sub,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert Path(json.loads(proc.stdout)["root"]) == sample.resolve()


def test_status_readable_lists_every_feature(sample: Path) -> None:
    proc = run_cli("status", str(sample), script=True)
    assert proc.returncode == 0, proc.stderr
    for fid in ("001-recipe-sharing", "002-meal-planner", "003-nutrition-labels"):
        assert fid in proc.stdout
    assert "13/13" in proc.stdout
    assert "7/18" in proc.stdout


def test_status_readable_in_process(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", str(sample)]) == 0
    out = capsys.readouterr().out
    for fid in ("001-recipe-sharing", "002-meal-planner", "003-nutrition-labels"):
        assert fid in out


# --- tasks --json ---------------------------------------------------------------------------


def test_tasks_json_shape_and_values(sample: Path) -> None:
    proc = run_cli("tasks", "--json", str(sample), script=True)
    assert proc.returncode == 0, proc.stderr
    tasks = json.loads(proc.stdout)
    assert isinstance(tasks, list)
    for t in tasks:
        assert set(t) >= TASK_KEYS, t.keys()
        assert isinstance(t["line"], int) and t["line"] >= 1
        assert isinstance(t["requirements"], list)
        assert isinstance(t["parallel"], bool)
    assert {t["feature"] for t in tasks} == {"001-recipe-sharing", "002-meal-planner"}
    assert sum(t["feature"] == "001-recipe-sharing" for t in tasks) == 13
    by_key = {t["key"]: t for t in tasks if t["feature"] == "002-meal-planner"}
    assert len(by_key) == 18
    assert by_key["T007"]["column"] == "in_progress"
    assert by_key["T008"]["column"] == "review"
    assert by_key["T010"]["column"] == "in_progress"
    assert by_key["T009"]["column"] == "todo"
    assert by_key["T001"]["column"] == "done"
    t5 = by_key["T005"]
    assert t5["id"] == "T005"
    assert t5["story"] == "US1"
    assert t5["parallel"] is True
    assert t5["parent"] is None
    assert t5["requirements"] == ["FR-001", "FR-002", "FR-003"]
    assert t5["path"] == TASKS_002
    assert by_key["T007a"]["parent"] == "T007"
    assert by_key["T007b"]["parent"] == "T007"
    assert by_key["T014"]["story"] is None
    # "line" is the 1-based line of the task in its file
    lines = (sample / TASKS_002).read_text(encoding="utf-8").splitlines()
    for t in by_key.values():
        assert f"] {t['id']} " in lines[t["line"] - 1]


def test_tasks_feature_filter(sample: Path) -> None:
    proc = run_cli("tasks", "--json", str(sample), "--feature", "002-meal-planner")
    assert proc.returncode == 0, proc.stderr
    tasks = json.loads(proc.stdout)
    assert len(tasks) == 18
    assert {t["feature"] for t in tasks} == {"002-meal-planner"}
    proc = run_cli("tasks", "--json", "--feature", "003-nutrition-labels", str(sample))
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_tasks_feature_filter_in_process(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tasks", "--json", str(sample), "--feature", "001-recipe-sharing"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert len(tasks) == 13
    assert all(t["column"] == "done" for t in tasks)


def test_tasks_unknown_feature_exit_2(sample: Path) -> None:
    proc = run_cli("tasks", "--json", str(sample), "--feature", "999-nope")
    assert_one_line_error(proc, "999-nope")


def test_tasks_unknown_feature_in_process(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tasks", str(sample), "--feature", "nope"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().count("\n") == 0 and "nope" in err


def test_tasks_readable(sample: Path) -> None:
    proc = run_cli("tasks", str(sample), "--feature", "002-meal-planner")
    assert proc.returncode == 0, proc.stderr
    assert "002-meal-planner" in proc.stdout
    assert "T007b" in proc.stdout
    assert "001-recipe-sharing" not in proc.stdout


# --- move -----------------------------------------------------------------------------------


def test_move_todo_to_done_changes_one_line(sample: Path) -> None:
    before = (sample / TASKS_002).read_bytes()
    board_before = (sample / BOARD).read_bytes()
    proc = run_cli("move", "--path", str(sample), "002-meal-planner/T009", "done", script=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "T009" in proc.stdout
    after = (sample / TASKS_002).read_bytes()
    diff = changed_line_pairs(before, after)
    assert len(diff) == 1
    old, new = diff[0]
    assert old.startswith(b"- [ ] T009 ")
    assert new == old.replace(b"[ ]", b"[x]", 1)
    assert (sample / BOARD).read_bytes() == board_before
    tasks = json.loads(run_cli("tasks", "--json", str(sample), "--feature", "002").stdout)
    assert {t["key"]: t["column"] for t in tasks}["T009"] == "done"


def test_move_between_board_columns_touches_only_board_json(sample: Path) -> None:
    before = snapshot(sample)
    proc = run_cli("move", "--path", str(sample), "002-meal-planner/T009", "in_progress")
    assert proc.returncode == 0, proc.stderr
    after = snapshot(sample)
    changed = {p for p in after if before.get(p) != after[p]}
    assert changed <= {BOARD, ".sdd/history.jsonl", ".sdd/.lock", ".sdd/.gitignore"}
    assert BOARD in changed
    raw = (sample / BOARD).read_bytes()
    data = json.loads(raw)
    assert raw == (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()
    assert data["tasks"]["002-meal-planner/T009"] == {"column": "in_progress"}
    # the other entries are kept
    assert data["tasks"]["002-meal-planner/T008"] == {"column": "review"}

    proc = run_cli("move", "--path", str(sample), "002-meal-planner/T009", "review")
    assert proc.returncode == 0, proc.stderr
    assert (sample / TASKS_002).read_bytes() == before[TASKS_002][0]
    assert json.loads((sample / BOARD).read_bytes())["tasks"]["002-meal-planner/T009"] == {
        "column": "review"
    }
    # back to todo: the entry disappears, the board is byte-identical to the original
    proc = run_cli("move", "--path", str(sample), "002-meal-planner/T009", "todo")
    assert proc.returncode == 0, proc.stderr
    assert (sample / BOARD).read_bytes() == before[BOARD][0]


def test_move_done_to_review_unchecks_and_records_column(sample: Path) -> None:
    before = (sample / TASKS_002).read_bytes()
    proc = run_cli("move", "--path", str(sample), "002-meal-planner/T003", "review")
    assert proc.returncode == 0, proc.stderr
    diff = changed_line_pairs(before, (sample / TASKS_002).read_bytes())
    assert diff == [(diff[0][0], diff[0][0].replace(b"[x]", b"[ ]", 1))]
    assert diff[0][0].startswith(b"- [x] T003 ")
    board = json.loads((sample / BOARD).read_bytes())
    assert board["tasks"]["002-meal-planner/T003"] == {"column": "review"}


def test_move_accepts_feature_prefix_and_case_insensitive_id(sample: Path) -> None:
    proc = run_cli("move", "--path", str(sample), "002/t009", "done")
    assert proc.returncode == 0, proc.stderr
    assert b"- [x] T009 " in (sample / TASKS_002).read_bytes()


def test_move_in_process(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["move", "--path", str(sample), "002-meal-planner/T007b", "done"]) == 0
    assert "T007b" in capsys.readouterr().out
    assert b"  - [x] T007b " in (sample / TASKS_002).read_bytes()


def test_move_already_there_writes_nothing(sample: Path) -> None:
    before = snapshot(sample)
    proc = run_cli("move", "--path", str(sample), "002-meal-planner/T008", "review")
    assert proc.returncode == 0, proc.stderr
    assert "nothing written" in proc.stdout
    after = snapshot(sample)
    housekeeping = (".sdd/.lock", ".sdd/.gitignore")  # the lock, kept out of git
    assert {p: v for p, v in after.items() if p not in housekeeping} == before


def test_move_defaults_to_the_current_folder(sample: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sdd_tui", "move", "002-meal-planner/T009", "done"],
        cwd=sample / "specs",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"- [x] T009 " in (sample / TASKS_002).read_bytes()


@pytest.mark.parametrize(
    ("ref", "column", "needle"),
    [
        ("999-nope/T001", "done", "999-nope"),
        ("002-meal-planner/T999", "done", "T999"),
        ("002-meal-planner/T009", "doing", "doing"),
        ("002-meal-planner/T009", "DONE", "DONE"),
        ("002-meal-planner", "done", "FEATURE/TASK"),
        ("002-meal-planner/", "done", "FEATURE/TASK"),
        ("/T009", "done", "FEATURE/TASK"),
        ("003-nutrition-labels/T001", "done", "T001"),
    ],
)
def test_move_unknown_reference_exit_2_writes_nothing(
    sample: Path, ref: str, column: str, needle: str
) -> None:
    before = snapshot(sample)
    proc = run_cli("move", "--path", str(sample), ref, column)
    assert_one_line_error(proc, needle)
    assert snapshot(sample) == before


def test_move_unknown_reference_in_process(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(sample)
    assert main(["move", "--path", str(sample), "002-meal-planner/T999", "done"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("sdd-tui: ") and err.count("\n") == 1
    assert snapshot(sample) == before


def test_move_missing_arguments_exit_2(sample: Path) -> None:
    proc = run_cli("move", "--path", str(sample))
    assert_one_line_error(proc)


# --- paths, version, help -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("status", "{missing}"),
        ("status", "--json", "{missing}"),
        ("tasks", "--json", "{missing}"),
        ("move", "--path", "{missing}", "002-meal-planner/T009", "done"),
    ],
)
def test_missing_path_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    missing = str(tmp_path / "does-not-exist")
    proc = run_cli(*(a.format(missing=missing) for a in args))
    assert_one_line_error(proc, "does-not-exist")
    assert not (tmp_path / "does-not-exist").exists()


def test_version() -> None:
    from sdd_tui import __version__

    for script in (False, True):
        proc = run_cli("--version", script=script)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"sdd-tui {__version__}"
    proc = run_cli("status", "--version")
    assert proc.returncode == 0
    assert __version__ in proc.stdout


@pytest.mark.parametrize("cmd", [(), ("status",), ("tasks",), ("move",)])
def test_help(cmd: tuple[str, ...]) -> None:
    proc = run_cli(*cmd, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: sdd-tui")
    assert "Traceback" not in proc.stderr


def test_top_level_help_names_the_commands() -> None:
    out = run_cli("--help").stdout
    for name in ("status", "tasks", "move"):
        assert name in out


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("sdd-tui ")


def test_unknown_option_exit_2(sample: Path) -> None:
    proc = run_cli("status", "--frobnicate", str(sample))
    assert_one_line_error(proc, "--frobnicate")
    assert proc.stderr.startswith("sdd-tui: status: ")
    proc = run_cli("--frobnicate", str(sample))
    assert_one_line_error(proc, "--frobnicate")
    assert proc.stderr.count("sdd-tui:") == 1


def test_json_is_valid_utf8_for_unicode_titles(sample: Path) -> None:
    tasks = sample / TASKS_002
    tasks.write_bytes(tasks.read_bytes() + "- [ ] T017 Émincer 🥕 \x1b[31m\n".encode())
    proc = subprocess.run(
        [sys.executable, "-m", "sdd_tui", "tasks", "--json", str(sample), "--feature", "002"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0
    data = json.loads(proc.stdout.decode("utf-8"))
    assert any("Émincer 🥕" in t["title"] for t in data)


def test_readable_output_does_not_pass_terminal_controls(sample: Path) -> None:
    tasks = sample / TASKS_002
    tasks.write_bytes(tasks.read_bytes() + b"- [ ] T017 evil \x1b]0;pwned\x07 [bold]x[/bold]\n")
    proc = run_cli("tasks", str(sample), "--feature", "002")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b]0;" not in proc.stdout
    assert "\x07" not in proc.stdout
    assert "[bold]x[/bold]" in proc.stdout


@pytest.mark.parametrize("json_flag", [True, False])
def test_non_utf8_stdout_does_not_crash(sample: Path, json_flag: bool) -> None:
    """PYTHONIOENCODING=ascii (or a cp1252 console): JSON is escaped, text backslashed."""
    tasks = sample / TASKS_002
    tasks.write_bytes(tasks.read_bytes() + "- [ ] T017 Émincer 🥕\n".encode())
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    args = ["tasks", *(["--json"] if json_flag else []), str(sample), "--feature", "002"]
    proc = subprocess.run(
        [sys.executable, "-m", "sdd_tui", *args],
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"internal error" not in proc.stderr
    out = proc.stdout.decode("ascii")
    if json_flag:
        assert any(t["title"] == "Émincer 🥕" for t in json.loads(out))
    else:
        assert "T017" in out
    proc = subprocess.run(
        [sys.executable, "-m", "sdd_tui", "move", "--path", str(sample), "002/T017", "done"],
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"- [x] T017 " in tasks.read_bytes()


def test_concurrent_moves_all_land(sample: Path) -> None:
    """Many sdd-tui processes moving cards of one file at once: none is lost."""
    keys = ["T009", "T011", "T012", "T013", "T014", "T015", "T016", "T007b"]
    columns = ["done", "review", "done", "in_progress", "done", "review", "done", "done"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sdd_tui", "move", "--path", str(sample), f"002/{k}", c],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for k, c in zip(keys, columns, strict=True)
    ]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    tasks = json.loads(run_cli("tasks", "--json", str(sample), "--feature", "002").stdout)
    got = {t["key"]: t["column"] for t in tasks}
    assert {k: got[k] for k in keys} == dict(zip(keys, columns, strict=True))
    assert got["T008"] == "review" and got["T007"] == "in_progress"
    history = (sample / ".sdd/history.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["task"] for line in history) == sorted(keys)
