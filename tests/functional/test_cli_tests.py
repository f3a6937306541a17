"""``sdd-tui tests``: the JSON contract, a real headless run of the sample's pytest suite,
failures, a missing command, cancel, and bad result files (issue "Test status", CLI)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.files import JUNIT_FIXTURES as FIXTURES

from sdd_tui.cli import main

VENV_BIN = str(Path(sys.executable).parent)
CASE_KEYS = ["name", "classname", "status", "time", "message", "links"]
TRACE_KEYS = ["feature", "requirement", "tasks", "tests", "status"]


def env() -> dict[str, str]:
    """This interpreter first on PATH: the sample's ``python -m pytest`` needs pytest."""
    e = {k: v for k, v in os.environ.items() if k not in ("SDD_TUI_DEBUG", "PYTEST_ADDOPTS")}
    e["PATH"] = VENV_BIN + os.pathsep + e.get("PATH", "")
    return e


def sdd(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sdd_tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env(),
        check=False,
    )


def set_command(root: Path, command: str) -> None:
    config = root / ".sdd" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"tests:\n  command: {json.dumps(command)}\n", encoding="utf-8")


# --------------------------------------------------------------------------- --json


def test_json_contract_on_the_sample(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tests", "--json", str(sample)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["totals", "cases", "trace", "problems"]
    assert data["totals"] == {"passed": 13, "failed": 0, "errors": 0, "skipped": 0}
    assert all(list(c) == CASE_KEYS for c in data["cases"])
    assert all(list(t) == TRACE_KEYS for t in data["trace"])
    first = data["cases"][0]
    assert first["name"] == "test_us1_assign_recipe_to_slot"
    assert first["status"] == "passed" and isinstance(first["time"], float)
    assert "002-meal-planner/US1" in first["links"]
    fr1 = next(c for c in data["cases"] if c["name"] == "test_fr_001_create_recipe")
    assert fr1["links"] == ["001-recipe-sharing/FR-001", "001-recipe-sharing/T005"]
    assert data["problems"] == []
    # without --feature: only requirements some test links to
    assert {t["status"] for t in data["trace"]} == {"passed"}


def test_json_feature_lists_every_requirement(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tests", "--json", str(sample), "--feature", "001"]) == 0
    data = json.loads(capsys.readouterr().out)
    trace = {t["requirement"]: t for t in data["trace"]}
    assert list(trace) == [
        "US1",
        "US2",
        "US3",
        "FR-001",
        "FR-002",
        "FR-003",
        "FR-004",
        "FR-005",
        "FR-006",
        "SC-001",
        "SC-002",
        "SC-003",
        "SC-004",
    ]
    assert trace["FR-002"] == {
        "feature": "001-recipe-sharing",
        "requirement": "FR-002",
        "tasks": ["T005", "T006"],
        "tests": [
            "tests.test_recipes::test_fr_002_rejects_invalid_recipe[blank-title]",
            "tests.test_recipes::test_fr_002_rejects_invalid_recipe[zero-servings]",
            "tests.test_recipes::test_fr_002_rejects_invalid_recipe[no-ingredients]",
        ],
        "status": "passed",
    }
    assert trace["SC-001"]["status"] == "untested" and trace["SC-001"]["tests"] == []


def test_unknown_feature_is_a_usage_error(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tests", "--json", str(sample), "--feature", "999-nope"]) == 2
    assert "unknown feature" in capsys.readouterr().err


def test_bad_result_files_are_problems(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = sample / ".sdd" / "results"
    (results / "broken.xml").write_bytes((FIXTURES / "malformed.xml").read_bytes())
    (results / "bomb.xml").write_bytes((FIXTURES / "bomb.xml").read_bytes())
    with open(results / "huge.xml", "wb") as fh:
        fh.seek(100 * 1024 * 1024)
        fh.write(b"x")
    if hasattr(os, "mkfifo"):
        os.mkfifo(results / "pipe.xml")
    (sample / "test-status.json").write_bytes(b"{oops")
    assert main(["tests", "--json", str(sample)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["passed"] == 13  # the good file still loads
    problems = {p["path"]: p for p in data["problems"]}
    assert "malformed XML" in problems[".sdd/results/broken.xml"]["message"]
    assert problems[".sdd/results/broken.xml"]["line"] == 5
    assert "DTD" in problems[".sdd/results/bomb.xml"]["message"]
    assert "too large" in problems[".sdd/results/huge.xml"]["message"]
    if hasattr(os, "mkfifo"):
        assert "FIFO" in problems[".sdd/results/pipe.xml"]["message"]
    assert "invalid JSON" in problems["test-status.json"]["message"]


def test_human_report(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (sample / "test-status.json").write_text(
        '{"acceptanceCriteria": {"share": {"requirement": "Share a recipe", "status": "failing"}}}',
        encoding="utf-8",
    )
    assert main(["tests", str(sample), "--feature", "002"]) == 0
    out = capsys.readouterr().out
    assert "13 passed, 0 failed, 0 errors, 0 skipped" in out
    assert "share" in out and "failing" in out
    assert "002-meal-planner: traceability" in out
    assert "FR-004" in out and "no test" in out


# --------------------------------------------------------------------------- --run


def test_run_the_sample_suite_headless(sample: Path) -> None:
    before = (sample / ".sdd/results/junit.xml").read_bytes()
    done = sdd("tests", "--run", str(sample))
    assert done.returncode == 0, done.stderr
    assert "$ python -m pytest -q --junitxml=.sdd/results/junit.xml" in done.stdout
    assert "13 passed" in done.stdout
    assert "sdd-tui: passed · 13 passed, 0 failed, 0 errors, 0 skipped" in done.stdout
    assert (sample / ".sdd/results/junit.xml").read_bytes() != before
    history = (sample / ".sdd/cache/test-runs.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(history[-1])["outcome"] == "passed"
    # typing the command is the confirmation: nothing is remembered anywhere
    config_dir = Path(os.environ["SDD_TUI_CONFIG_DIR"])
    assert not (config_dir / "trusted-commands.json").exists()


def test_run_with_failing_tests_exits_1(sample: Path) -> None:
    test_file = sample / "tests" / "test_planner.py"
    test_file.write_text(
        test_file.read_text(encoding="utf-8").replace(
            "assert plan.remove(Day.FRIDAY, Slot.BREAKFAST) is None",
            'assert plan.remove(Day.FRIDAY, Slot.BREAKFAST) == "\\x1b[31mgone\\x1b[0m"',
        ),
        encoding="utf-8",
    )
    done = sdd("tests", "--run", "--json", str(sample))
    assert done.returncode == 1
    data = json.loads(done.stdout)  # stdout is only JSON; the run's output went to stderr
    assert data["totals"] == {"passed": 12, "failed": 1, "errors": 0, "skipped": 0}
    failed = [c for c in data["cases"] if c["status"] == "failed"]
    assert [c["name"] for c in failed] == ["test_fr_003_remove_from_slot"]
    assert "002-meal-planner/FR-003" in failed[0]["links"]
    fr3 = [t for t in data["trace"] if t["requirement"] == "FR-003"]
    assert {(t["feature"], t["status"]) for t in fr3} == {
        ("002-meal-planner", "failed"),
        ("001-recipe-sharing", "passed"),
    }
    assert "1 failed" in done.stderr
    assert "\x1b" not in done.stderr and "\x1b" not in done.stdout


def test_run_without_a_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ws"
    (root / "specs" / "001-x").mkdir(parents=True)
    (root / "specs" / "001-x" / "tasks.md").write_text("- [ ] T001 x\n", encoding="utf-8")
    assert main(["tests", "--run", str(root)]) == 2
    assert "no test command" in capsys.readouterr().err


def test_run_a_missing_command(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "specs" / "001-x").mkdir(parents=True)
    (root / "specs" / "001-x" / "tasks.md").write_text("- [ ] T001 x\n", encoding="utf-8")
    set_command(root, "sdd-tui-no-such-runner --junitxml=junit.xml")
    done = sdd("tests", "--run", "--json", str(root))
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["problems"] == [
        {
            "path": ".sdd/config.yaml",
            "message": "tests.command: the shell could not find the command (exit 127)",
        }
    ]
    assert "sdd-tui: error" in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_ctrl_c_stops_a_command_that_never_ends(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "specs" / "001-x").mkdir(parents=True)
    (root / "specs" / "001-x" / "tasks.md").write_text("- [ ] T001 x\n", encoding="utf-8")
    marker = root / "started"
    nap = f"sleep 9999.{os.getpid() % 100000:05d}"  # recognisable among other processes
    set_command(root, f"{nap} & touch {marker}; {nap}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sdd_tui", "tests", "--run", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the command never started"
            time.sleep(0.05)
        assert _alive(nap)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    deadline = time.monotonic() + 10
    while _alive(nap) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(nap)


def _alive(args: str) -> list[str]:
    """Live (not zombie) processes whose command line is ``args``."""
    ps = subprocess.run(["ps", "-eo", "stat=,args="], capture_output=True, text=True, check=False)
    return [
        line
        for line in ps.stdout.splitlines()
        if line.split(None, 1)[-1].strip() == args and not line.lstrip().startswith("Z")
    ]
