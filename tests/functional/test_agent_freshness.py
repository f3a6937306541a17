"""The MCP tools see every edit made between calls, re-reading only what changed
(``workspace.stamp``), and ``sdd-tui next`` / ``check`` on dependency problems."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sdd_tui.cli import main
from sdd_tui.cli.agent_tools import AgentTools, ToolFailure
from sdd_tui.workspace import stamp

TASKS = "specs/002-meal-planner/tasks.md"


def _columns(tools: AgentTools, feature: str = "002") -> dict[str, str]:
    return {t["id"]: t["column"] for t in tools.list_tasks(feature)}


def test_nothing_changed_reuses_the_snapshot(sample: Path) -> None:
    tools = AgentTools(sample)
    tools.status()
    tools.status()  # the first stamp knows no signature yet: one more full read
    first = tools.fresh()
    assert tools.fresh() is first
    assert stamp.changes(tools._stamp) == ()  # type: ignore[arg-type]


def test_an_edit_in_place_is_seen_and_only_that_file_is_re_read(sample: Path) -> None:
    tools = AgentTools(sample)
    tools.status()
    tools.status()
    path = sample / TASKS
    data = path.read_bytes()
    with path.open("r+b") as fh:  # in place: the folder's times do not change
        fh.write(data.replace(b"- [ ] T011", b"- [x] T011"))
    assert stamp.changes(tools._stamp) == (TASKS,)  # type: ignore[arg-type]
    assert _columns(tools)["T011"] == "done"


def test_a_new_feature_and_a_removed_file_are_seen(sample: Path) -> None:
    tools = AgentTools(sample)
    ids = [f["id"] for f in tools.list_features()]
    tools.status()
    new = sample / "specs" / "004-reminders"
    new.mkdir()
    (new / "spec.md").write_text("# Spec\n", encoding="utf-8")
    (new / "tasks.md").write_text("- [ ] T001 Remind\n", encoding="utf-8")
    assert [f["id"] for f in tools.list_features()] == [*ids, "004-reminders"]
    (new / "tasks.md").unlink()
    assert tools.list_tasks("004") == []


def test_an_edit_during_a_re_read_is_seen_by_the_next_call(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = AgentTools(sample)
    tools.status()
    tools.status()
    path = sample / TASKS
    path.write_bytes(path.read_bytes().replace(b"- [ ] T011", b"- [x] T011"))
    from sdd_tui.workspace import loader

    real = loader.load_root

    def slow_load(*args, **kwargs):  # type: ignore[no-untyped-def]
        loaded = real(*args, **kwargs)
        # someone writes after the loader read the file, before the call returns
        with path.open("r+b") as fh:
            fh.write(path.read_bytes().replace(b"- [ ] T012", b"- [x] T012"))
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
        monkeypatch.setattr(loader, "load_root", real)
        return loaded

    monkeypatch.setattr(loader, "load_root", slow_load)
    assert _columns(tools)["T012"] == "todo"  # read before the write
    assert _columns(tools)["T012"] == "done"  # the stamp was taken before the re-read


def test_a_write_of_our_own_is_followed_by_no_full_walk(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = AgentTools(sample)
    tools.status()
    tools.status()
    walks: list[Path] = []
    from sdd_tui.workspace import loader

    real = loader.discover
    monkeypatch.setattr(loader, "discover", lambda root: walks.append(root) or real(root))
    tools.move_task("002", "T011", "in_progress", "agent:test")
    assert _columns(tools)["T011"] == "in_progress"
    assert walks == []


def test_the_snapshot_is_walked_again_after_max_age(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = AgentTools(sample)
    tools.status()
    tools.status()
    assert tools._stamp is not None
    tools._stamp.full -= stamp.MAX_AGE + 1
    assert stamp.changes(tools._stamp) is None


def test_unknown_references_fail_with_the_cli_messages(sample: Path) -> None:
    tools = AgentTools(sample)
    with pytest.raises(ToolFailure, match=r"^unknown feature 'zzz'$"):
        tools.next_tasks("zzz")
    with pytest.raises(ToolFailure, match=r"^unknown document 'notes' \(documents: "):
        tools.document("002", "notes")
    with pytest.raises(ToolFailure, match=r"^unknown task 'T404' in feature '002-meal-planner'$"):
        tools.get_task("002", "T404")


DEPS = """\
## Phase 1: Setup
- [x] T001 Scaffold
## Phase 2: Core
- [ ] T002 Parser (depends on T001)
- [ ] T003 [P] Lexer (blocked by T099)
- [ ] T004 Printer (after T005)
- [ ] T005 Formatter (depends on T004)
"""


@pytest.fixture
def deps(tmp_path: Path) -> Path:
    d = tmp_path / "specs" / "001-fmt"
    d.mkdir(parents=True)
    (d / "spec.md").write_text("# Spec\n", encoding="utf-8")
    (d / "plan.md").write_text("# Plan\n", encoding="utf-8")
    (d / "tasks.md").write_text(DEPS, encoding="utf-8")
    return tmp_path


def test_next_command_text_and_json(deps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["next", str(deps)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "001-fmt/T002  Parser (depends on T001)",
        "    specs/001-fmt/tasks.md:4: its dependencies are done: T001; earlier phases done: Setup",
    ]
    assert "T099: no task with that ID" in err and "dependency cycle: T004 → T005" in err
    assert main(["next", str(deps), "--json", "--feature", "001"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["id"] == "T002" and item["why"][0] == "its dependencies are done: T001"
    assert main(["next", str(deps), "--feature", "nope"]) == 2
    assert capsys.readouterr().err.strip() == "sdd-tui: unknown feature 'nope'"


def test_check_reports_dependency_rules(deps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(deps), "--json", "--no-git"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    rules = {(f["rule"], f["line"], f["message"]) for f in findings}
    assert (
        "unknown-dependency",
        5,
        "T003 depends on T099: no task with that ID in this feature",
    ) in rules
    assert (
        "dependency-cycle",
        6,
        "dependency cycle: T004 → T005 → T004 (nothing in it can start)",
    ) in rules
