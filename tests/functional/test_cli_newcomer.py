"""The CLI a new user types (issue 16, item 16): help that lists every command, tasks moved
by their title, close matches for a name that is not there, a corrupt board.json that is set
aside out loud, and a demo that says where its copy went and runs this Python's tests."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.cli import COMMAND_NAMES, main
from sdd_tui.cli.demo import demo, prepare_demo
from sdd_tui.formats.config import load_config

ZENCODER = {
    ".zencoder/specs/notify.md": "# Notify\n",
    "progress.md": "# Progress\n\n## Completed Tasks\n- [x] Core models (PR #235)\n\n"
    "## Current Task\n- [ ] SMSProvider implementation\n\n"
    "## Upcoming Tasks\n- [ ] WebSocket provider\n- [ ] Queue processor\n",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    listed = [
        ln.split()[0] for ln in out.split("commands", 1)[1].splitlines()[1:] if ln[:2] == "  "
    ]
    assert listed == list(COMMAND_NAMES)
    assert {"check", "init", "demo", "tests"} <= set(listed)


def test_a_zencoder_task_moves_by_its_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "ws", ZENCODER)
    code, out, err = run(
        capsys, "move", "--path", str(root), "notify/SMSProvider implementation", "done"
    )
    assert (code, err) == (0, "")
    assert out.startswith("moved notify/smsprovider-implementation: in_progress → done")
    assert "- [x] SMSProvider implementation\n" in (root / "progress.md").read_text()
    # case and spacing are not the user's problem; the slug still works
    code, out, _ = run(capsys, "move", "--path", str(root), "notify/queue   PROCESSOR", "review")
    assert code == 0 and "queue-processor: todo → review" in out
    code, out, _ = run(capsys, "move", "--path", str(root), "notify/websocket-provider", "done")
    assert code == 0 and "websocket-provider: todo → done" in out


def test_an_unknown_task_or_feature_lists_close_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "ws", ZENCODER)
    code, _, err = run(capsys, "move", "--path", str(root), "notify/Queue procesor", "done")
    assert code == 2
    assert err.strip() == (
        "sdd-tui: unknown task 'Queue procesor' in feature 'notify' "
        "(did you mean: Queue processor?)"
    )
    code, _, err = run(capsys, "move", "--path", str(root), "notfy/Queue processor", "done")
    assert code == 2
    assert err.strip() == "sdd-tui: unknown feature 'notfy' (did you mean: notify?)"
    code, _, err = run(capsys, "move", "--path", str(root), "notify/zzz", "done")
    assert err.strip() == "sdd-tui: unknown task 'zzz' in feature 'notify'"


def test_a_title_naming_two_tasks_asks_for_a_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(
        tmp_path / "ws",
        {**ZENCODER, "progress.md": "## Upcoming Tasks\n- [ ] Write docs\n- [ ] Write docs\n"},
    )
    code, _, err = run(capsys, "move", "--path", str(root), "notify/write docs", "done")
    assert code == 2
    assert "'write docs' names 2 tasks in feature 'notify' (write-docs, write-docs#2)" in err
    assert (root / "progress.md").read_text().count("[ ]") == 2


def test_hints_show_no_terminal_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(
        tmp_path / "ws", {**ZENCODER, "progress.md": "## Upcoming\n- [ ] Deploy \x1b[31mnow\n"}
    )
    code, _, err = run(capsys, "move", "--path", str(root), "notify/Deplyo now", "done")
    assert code == 2
    assert "\x1b" not in err
    assert "Deploy \\x1b[31mnow" in err  # the title in the hint, its escape made visible


def test_move_says_when_it_sets_a_corrupt_board_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(
        tmp_path / "ws",
        {
            "specs/001-a/tasks.md": "- [ ] T001 One\n- [ ] T002 Two\n",
            ".sdd/board.json": '{"tasks": {"001-a/T002": {"column": "review"},,}',
        },
    )
    code, out, err = run(capsys, "move", "--path", str(root), "001-a/T001", "done")
    assert code == 0 and out.startswith("moved 001-a/T001")
    [backup] = (root / ".sdd").glob("board.json.corrupt-*")
    assert err.startswith("sdd-tui: warning: .sdd/board.json could not be read: set aside as ")
    assert f".sdd/{backup.name} and written afresh" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "move", "--path", str(root), "001-a/T001", "todo")
    assert (code, err) == (0, "")  # the fresh board is fine: nothing more to say


def test_demo_says_where_its_copy_was_and_how_to_keep_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(
        "sdd_tui.cli.workbench.run_workbench", lambda argv: opened.append(Path(argv[0])) or 0
    )
    assert demo([]) == 0
    err = capsys.readouterr().err
    assert not opened[0].exists()
    assert f"the demo copy at {opened[0]} was deleted" in err
    assert "sdd-tui demo --keep" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_demo_runs_its_tests_with_this_python(tmp_path: Path) -> None:
    root = prepare_demo(tmp_path / "demo")
    config, problems = load_config((root / ".sdd/config.yaml").read_bytes(), ".sdd/config.yaml")
    assert problems == []
    command = config.tests.command
    assert command is not None
    assert shlex.split(command)[:3] == [sys.executable, "-m", "pytest"]
    assert command.endswith("--junitxml=.sdd/results/junit.xml")


def test_an_interpreter_path_with_spaces_stays_one_word(tmp_path: Path) -> None:
    from sdd_tui.cli.demo import _use_this_python

    config = tmp_path / ".sdd" / "config.yaml"
    config.parent.mkdir()
    config.write_text('tests:\n  command: "python -m pytest -q"\n  junit: []\n')
    _use_this_python(tmp_path, '/opt/My Python "3"/bin/python3')
    loaded, problems = load_config(config.read_bytes(), ".sdd/config.yaml")
    assert problems == []
    assert loaded.tests.command is not None
    assert shlex.split(loaded.tests.command) == [
        '/opt/My Python "3"/bin/python3',
        "-m",
        "pytest",
        "-q",
    ]
