"""``sdd-tui mcp``: the board over MCP, in-process with the SDK's client and over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp.server.mcpserver")

from helpers.files import SAMPLE
from helpers.git import git
from mcp import Client, StdioServerParameters
from mcp.types import Implementation

from sdd_tui.cli import main
from sdd_tui.cli.mcp_server import build_server
from sdd_tui.operations.history import read_history

TASKS = "specs/002-meal-planner/tasks.md"
TOOLS = {
    "status",
    "list_features",
    "list_tasks",
    "next_tasks",
    "get_task",
    "move_task",
    "set_checklist_item",
    "answer_clarification",
    "check",
    "trace",
    "add_task",
    "rename_task",
    "remove_task",
}


def run(
    root: Path,
    body: Callable[[Client], Awaitable[Any]],
    name: str = "pytest-agent",
    mode: str = "legacy",
) -> Any:
    """``body`` with an SDK client of the server in this process: by default over memory
    streams with the initialize handshake ("legacy"); "auto" takes the SDK's direct path."""

    async def go() -> Any:
        info = Implementation(name=name, version="1.0")
        async with Client(build_server(root), client_info=info, mode=mode) as client:
            return await body(client)

    return asyncio.run(go())


async def call(client: Client, tool: str, **args: Any) -> Any:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    [content] = result.content  # one JSON text block
    return json.loads(content.text)


async def error(client: Client, tool: str, **args: Any) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error
    [content] = result.content
    return content.text


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "cache" not in p.parts
    }


def test_every_tool_has_a_schema_and_a_description(sample: Path) -> None:
    async def body(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = run(sample, body)
    assert {t.name for t in tools} == TOOLS
    for t in tools:
        assert t.description and len(t.description) > 30, t.name
        assert t.input_schema["type"] == "object"
    move = next(t for t in tools if t.name == "move_task")
    assert move.input_schema["required"] == ["feature", "task", "column"]
    assert "ctx" not in move.input_schema["properties"]


def test_status_reports_the_root_and_matches_the_cli(sample: Path, capsys) -> None:
    async def body(client: Client) -> Any:
        return await call(client, "status")

    status = run(sample, body)
    assert status["root"] == str(sample)
    assert main(["status", "--json", str(sample)]) == 0
    assert json.loads(capsys.readouterr().out) == status


def test_move_writes_through_history_with_the_agent_as_author(sample: Path) -> None:
    before = (sample / TASKS).read_bytes()

    async def body(client: Client) -> Any:
        moved = await call(client, "move_task", feature="002", task="T009", column="done")
        got = await call(client, "get_task", feature="002-meal-planner", task="T009")
        return moved, got

    moved, got = run(sample, body, name="claude-code")
    assert moved["done"] == "T009 todo → done" and moved["files"] == [TASKS]
    assert moved["card"]["column"] == "done" and got["column"] == "done"
    after = (sample / TASKS).read_bytes()
    # only the box character changed
    assert len(after) == len(before)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [
        before.index(b"- [ ] T009") + 3
    ]
    [entry] = read_history(sample)
    assert entry["author"] == "agent:claude-code" and entry["task"] == "T009"
    # `sdd-tui undo` takes the agent's move back, byte for byte
    assert main(["undo", "--path", str(sample)]) == 0
    assert (sample / TASKS).read_bytes() == before


def test_the_author_also_comes_through_without_a_handshake(sample: Path) -> None:
    async def body(client: Client) -> Any:
        return await call(client, "move_task", feature="002", task="T009", column="review")

    assert run(sample, body, name="direct-agent", mode="auto")["to"] == "review"
    assert read_history(sample)[-1]["author"] == "agent:direct-agent"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"feature": "nope", "task": "T009", "column": "done"}, "unknown feature 'nope'"),
        (
            {"feature": "002", "task": "T999", "column": "done"},
            "unknown task 'T999' in feature '002-meal-planner'",
        ),
        (
            {"feature": "002", "task": "T009", "column": "shipped"},
            "unknown column 'shipped' (columns: todo, in_progress, review, done)",
        ),
    ],
)
def test_bad_input_is_an_error_result_with_the_cli_message(
    sample: Path, args: dict[str, str], message: str, capsys
) -> None:
    before = snapshot(sample)

    async def body(client: Client) -> Any:
        return await error(client, "move_task", **args)

    assert run(sample, body) == message
    assert snapshot(sample) == before  # nothing written, not even history
    ref = f"{args['feature']}/{args['task']}"
    assert main(["move", "--path", str(sample), ref, args["column"]]) == 2
    assert capsys.readouterr().err.strip() == f"sdd-tui: {message}"


def test_list_tasks_filters_and_sees_edits_made_between_calls(sample: Path) -> None:
    async def body(client: Client) -> Any:
        first = await call(client, "list_tasks", feature="002", column="todo", text="combining")
        path = sample / TASKS
        path.write_bytes(path.read_bytes().replace(b"- [ ] T012", b"- [x] T012"))
        second = await call(client, "list_tasks", feature="002", column="todo", text="combining")
        unknown = await error(client, "list_tasks", column="later")
        return first, second, unknown

    first, second, unknown = run(sample, body)
    assert [t["id"] for t in first] == ["T012", "T013"]
    assert [t["id"] for t in second] == ["T013"]
    assert unknown.startswith("unknown column 'later'")


def test_next_tasks_is_the_next_command_json(sample: Path, capsys) -> None:
    async def body(client: Client) -> Any:
        return await call(client, "next_tasks", feature="002")

    ready = run(sample, body)
    assert main(["next", str(sample), "--feature", "002", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == ready
    assert [t["id"] for t in ready] == ["T007b", "T011"]
    assert all(t["why"] for t in ready)


def test_get_task_gives_requirements_with_spec_text_and_place(sample: Path) -> None:
    async def body(client: Client) -> Any:
        return await call(client, "get_task", feature="002", task="T012")

    t = run(sample, body)
    assert t["where"] == f"{TASKS}:{t['line']}"
    reqs = {r["id"]: r for r in t["requirement_details"]}
    assert {"FR-005", "FR-007"} <= set(reqs)
    assert reqs["FR-005"]["path"].endswith("spec.md") and reqs["FR-005"]["text"]
    assert t["waits_for"] == ["T010", "T011"] and t["ready"] is False


def test_checklist_tick_and_clarification_answer_are_recorded(sample: Path) -> None:
    spec = sample / "specs/003-nutrition-labels/spec.md"
    before = spec.read_bytes()

    async def body(client: Client) -> Any:
        status = await call(client, "status")
        f3 = next(f for f in status["features"] if f["id"] == "003-nutrition-labels")
        answered = await call(
            client, "answer_clarification", feature="003", number=1, answer="Per 100 g"
        )
        ticked = await call(
            client, "set_checklist_item", feature="003", item="CHK003", checked=True
        )
        bad = await error(client, "answer_clarification", feature="003", number=99, answer="x")
        return f3, answered, ticked, bad

    f3, answered, ticked, bad = run(sample, body)
    assert f3["clarifications"] == 3
    assert answered["op"] == "answer" and spec.read_bytes() != before
    assert ticked["op"] == "tick" and ticked["done"].startswith("ticked ")
    assert bad == "no clarification 99 in feature '003-nutrition-labels' (2 open)"
    assert [e["author"] for e in read_history(sample)] == ["agent:pytest-agent"] * 2
    assert main(["undo", "--path", str(sample)]) == 0  # the tick
    assert main(["undo", "--path", str(sample)]) == 0  # the answer
    assert spec.read_bytes() == before


def test_check_and_trace_are_the_cli_documents(sample: Path, capsys) -> None:
    async def body(client: Client) -> Any:
        return await call(client, "check", use_git=False), await call(client, "trace")

    found, traced = run(sample, body)
    main(["check", str(sample), "--json", "--no-git"])
    cli = json.loads(capsys.readouterr().out)
    assert found["findings"] == cli["findings"] and found["summary"] == cli["summary"]
    main(["tests", str(sample), "--json"])
    assert traced == json.loads(capsys.readouterr().out)


def test_documents_are_resources(sample: Path) -> None:
    (sample / "specs/002-meal-planner/plan.md").write_bytes(b"# Plan\x00\x01binary")

    async def body(client: Client) -> Any:
        listed = await client.list_resources()
        spec = await client.read_resource("sdd://001-recipe-sharing/spec")
        failures = []
        for uri in ("sdd://002-meal-planner/plan", "sdd://nope/spec", "sdd://001/notes"):
            try:
                await client.read_resource(uri)
            except Exception as exc:  # the SDK raises the server's error
                failures.append(str(exc))
        return listed, spec, failures

    listed, spec, failures = run(sample, body)
    uris = {str(r.uri) for r in listed.resources}
    assert {"sdd://001-recipe-sharing/spec", "sdd://002-meal-planner/tasks"} <= uris
    text = (sample / "specs/001-recipe-sharing/spec.md").read_text(encoding="utf-8")
    assert spec.contents[0].text == text
    assert "binary file" in failures[0]
    assert "unknown feature 'nope'" in failures[1]
    assert "unknown document 'notes'" in failures[2]


def test_undo_and_redo_commands(sample: Path, capsys) -> None:
    assert main(["undo", "--path", str(sample)]) == 1
    assert capsys.readouterr().err.strip() == "sdd-tui: nothing to undo"
    before = (sample / TASKS).read_bytes()
    assert main(["move", "--path", str(sample), "002/T009", "in_progress"]) == 0
    capsys.readouterr()
    assert main(["undo", "--path", str(sample)]) == 0
    assert capsys.readouterr().out == "undo: 002-meal-planner: T009 back to todo\n"
    assert main(["redo", "--path", str(sample)]) == 0
    assert capsys.readouterr().out == "redo: 002-meal-planner: T009 todo → in_progress\n"
    assert main(["redo", "--path", str(sample)]) == 1
    assert (sample / TASKS).read_bytes() == before  # in_progress lives in board.json


def _sdd_tui() -> list[str]:
    exe = Path(sys.executable).with_name("sdd-tui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sdd_tui"]


def test_stdio_server_move_read_back_and_undo_from_the_cli(sample: Path) -> None:
    before = (sample / TASKS).read_bytes()
    command, *args = _sdd_tui()
    params = StdioServerParameters(
        command=command, args=[*args, "mcp", str(sample)], env=dict(os.environ)
    )

    async def go() -> Any:
        info = Implementation(name="stdio-agent", version="1")
        async with Client(params, client_info=info, mode="legacy") as client:
            assert client.server_info is not None and client.server_info.name == "sdd-tui"
            names = {t.name for t in (await client.list_tools()).tools}
            moved = await call(client, "move_task", feature="002", task="T009", column="done")
            got = await call(client, "get_task", feature="002", task="T009")
            return names, moved, got

    names, moved, got = asyncio.run(go())
    assert names == TOOLS
    assert moved["to"] == "done" and got["column"] == "done"
    assert read_history(sample)[-1]["author"] == "agent:stdio-agent"
    undo = subprocess.run(
        [*_sdd_tui(), "undo", "--path", str(sample)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert undo.returncode == 0, undo.stderr
    assert undo.stdout == "undo: 002-meal-planner: T009 back to todo\n"
    assert (sample / TASKS).read_bytes() == before


def test_without_the_sdk_the_command_says_how_to_install_it(sample: Path) -> None:
    code = (
        "import sys; sys.modules['mcp'] = None\n"
        "from sdd_tui.cli import main\n"
        f"sys.exit(main(['mcp', {str(sample)!r}]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "sdd-tui: the MCP server needs the 'mcp' package (>= 2): pip install 'sdd-tui[mcp]'"
    )


def test_the_root_is_the_worktree_not_the_main_checkout(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    main_co = tmp_path / "main"
    shutil.copytree(SAMPLE, main_co)
    git(main_co, "init", "-q")
    git(main_co, "add", "-A")
    git(main_co, "commit", "-qm", "init")
    wt = tmp_path / "wt"
    git(main_co, "worktree", "add", "-q", str(wt))
    from sdd_tui.cli.mcp_cmd import _root

    assert _root(str(wt / "specs" / "002-meal-planner")) == wt

    async def body(client: Client) -> Any:
        return await call(client, "status")

    assert run(_root(str(wt)), body)["root"] == str(wt)


def test_add_rename_remove_tasks_then_undo_each_from_the_cli(sample: Path) -> None:
    from sdd_tui.operations.history import read_history

    before = (sample / TASKS).read_bytes()

    async def body(client: Client) -> Any:
        added = await call(
            client, "add_task", feature="002", title="Export the plan as CSV", after="T009"
        )
        renamed = await call(
            client, "rename_task", feature="002", task="T009", title="Add a servings override"
        )
        removed = await call(client, "remove_task", feature="002", task="T011")
        missing = await error(client, "remove_task", feature="002", task="T999")
        return added, renamed, removed, missing

    added, renamed, removed, missing = run(sample, body, name="claude-code")
    assert added["op"] == "add" and added["files"] == [TASKS]
    assert renamed["op"] == "rename" and removed["op"] == "remove"
    assert missing.startswith("unknown task 'T999'")
    text = (sample / TASKS).read_text()
    assert "Export the plan as CSV" in text and "Add a servings override" in text
    assert "- [ ] T011 " not in text and "- [x] T011 " not in text
    entries = [e for e in read_history(sample) if e["op"] in ("add", "rename", "remove")]
    assert {e["author"] for e in entries} == {"agent:claude-code"}
    for _ in range(3):
        assert main(["undo", "--path", str(sample)]) == 0
    assert (sample / TASKS).read_bytes() == before
