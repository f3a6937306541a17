"""The MCP server of ``sdd-tui mcp``: each tool of ``agent_tools.AgentTools`` as an MCP tool.

Imports the ``mcp`` SDK at the top: only ``sdd-tui mcp`` imports this module, after checking
that the SDK is installed.  No ``from __future__ import annotations`` here: the SDK reads
each tool's signature (its JSON schema) at registration.
"""

import json
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.types import CallToolResult, Resource, TextContent, ToolAnnotations
from pydantic import Field

from sdd_tui import __version__
from sdd_tui.cli.agent_tools import AgentTools, ToolFailure

INSTRUCTIONS = (
    "sdd-tui reads the spec-driven workspace this server was started in (Spec Kit specs/, "
    "Kiro .kiro/specs/, OpenSpec openspec/changes/, .zencoder/). Start with next_tasks to "
    "pick work, get_task for its requirements and tests, move_task to in_progress when you "
    "start and to done when its tests pass. Every edit is recorded and can be undone."
)

FeatureArg = Annotated[str, Field(description="feature id, e.g. 002-meal-planner (or its number)")]
OptFeature = Annotated[
    str | None, Field(description="only this feature (id); default: every feature")
]
TaskRef = Annotated[str, Field(description="task ID or key, e.g. T009 or 2.1")]
Column = Annotated[str, Field(description="target column: todo, in_progress, review, done")]
READ = ToolAnnotations(readOnlyHint=True)
WRITE = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=True)


def client_author(ctx: Context | None) -> str:
    """``agent:<client name>`` from the initialize handshake's clientInfo."""
    name = None
    try:
        params = ctx.session.client_params if ctx is not None else None
        name = params.client_info.name if params is not None else None
    except (AttributeError, LookupError, ValueError):  # no request context (a direct call)
        name = None
    return f"agent:{name or 'unknown'}"


def build_server(root: Path, tools: AgentTools | None = None) -> MCPServer:
    """The MCP server over the workspace at ``root``."""
    board = tools or AgentTools(root)

    class Server(MCPServer):
        async def list_resources(self) -> list[Resource]:
            docs = await anyio.to_thread.run_sync(board.documents)
            return [
                Resource(
                    uri=f"sdd://{fid}/{role}",
                    name=f"{fid} {role}",
                    description=f"the {role} of feature {fid} ({path})",
                    mime_type="text/markdown",
                )
                for fid, role, path in docs
            ]

    server: MCPServer = Server(
        "sdd-tui", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )

    def call(fn: Any, *args: Any) -> CallToolResult:
        """The tool's JSON as one text block, or an error result carrying the CLI's
        one-line message as is (a raised ToolError reaches the agent prefixed "Error
        executing tool …").  Not the SDK's default conversion: it makes a content block per
        list item, repeats it all as structured content and validates that against an
        output schema, 20 ms for a 200-task list where the JSON text alone takes 2 ms."""
        try:
            data = fn(*args)
        except ToolFailure as exc:
            return CallToolResult(content=[TextContent(type="text", text=str(exc))], is_error=True)
        text = json.dumps(data, ensure_ascii=False)
        return CallToolResult(content=[TextContent(type="text", text=text)])

    @server.tool(annotations=READ, structured_output=False)
    def status() -> CallToolResult:
        """The workspace root, its board columns, every feature with task counts per
        column, checklists, clarifications, requirements, and problems reading files."""
        return call(board.status)

    @server.tool(annotations=READ, structured_output=False)
    def list_features() -> CallToolResult:
        """Every feature (id, layout, documents, task and checklist counts)."""
        return call(board.list_features)

    @server.tool(annotations=READ, structured_output=False)
    def list_tasks(
        feature: OptFeature = None,
        column: Annotated[str | None, Field(description="only this column, e.g. todo")] = None,
        text: Annotated[
            str | None, Field(description="only tasks whose text contains this (any case)")
        ] = None,
    ) -> CallToolResult:
        """Tasks with their column, file and line, story, [P] marker and requirement IDs."""
        return call(board.list_tasks, feature, column, text)

    @server.tool(annotations=READ, structured_output=False)
    def next_tasks(feature: OptFeature = None) -> CallToolResult:
        """Tasks that can start now (every dependency done: earlier phases, earlier siblings
        unless [P], sub-tasks, 'depends on T005'; not started yet), in order, each with
        'why' it is ready. Pick from here."""
        return call(board.next_tasks, feature)

    @server.tool(annotations=READ, structured_output=False)
    def get_task(feature: FeatureArg, task: TaskRef) -> CallToolResult:
        """One task in full: its text and detail lines, file:line, the requirements it
        references with their spec text, linked test results, what it waits for, whether
        it is ready."""
        return call(board.get_task, feature, task)

    @server.tool(annotations=WRITE, structured_output=False)
    def move_task(
        feature: FeatureArg,
        task: TaskRef,
        column: Column,
        ctx: Context,
    ) -> CallToolResult:
        """Move a task to a board column: done ticks its box in tasks.md, todo unticks it,
        other columns are kept in .sdd/board.json. Recorded in history (undoable)."""
        return call(board.move_task, feature, task, column, client_author(ctx))

    @server.tool(annotations=WRITE, structured_output=False)
    def set_checklist_item(
        feature: FeatureArg,
        item: Annotated[str, Field(description="checklist item key or ID, e.g. CHK012")],
        checked: Annotated[bool, Field(description="true ticks the box, false unticks it")],
        ctx: Context,
    ) -> CallToolResult:
        """Tick or untick one review checklist item (checklists/*.md or a spec checkbox)."""
        return call(board.set_checklist_item, feature, item, checked, client_author(ctx))

    @server.tool(
        annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False),
        structured_output=False,
    )
    def answer_clarification(
        feature: FeatureArg,
        number: Annotated[int, Field(description="1-based, in the order status lists them")],
        answer: Annotated[str, Field(description="the decision, one line of plain text")],
        ctx: Context,
    ) -> CallToolResult:
        """Answer an open [NEEDS CLARIFICATION: …] question of the spec: the marker becomes
        the answer and the Q/A is added under ## Clarifications (undoable)."""
        return call(board.answer_clarification, feature, number, answer, client_author(ctx))

    @server.tool(annotations=WRITE, structured_output=False)
    def add_task(
        feature: FeatureArg,
        title: Annotated[str, Field(description="the task's title, one line")],
        ctx: Context,
        column: Annotated[str | None, Field(description="its column (default todo)")] = None,
        after: Annotated[
            str | None, Field(description="the task it goes right after, e.g. T009")
        ] = None,
        section: Annotated[
            str | None, Field(description="else the end of this section/phase")
        ] = None,
    ) -> CallToolResult:
        """Add a task to a feature's task list with the next free ID in the file's own style
        (T0NN, N.M, …), right after `after` or at the end of `section`. Undoable."""
        return call(board.add_task, feature, title, column, after, section, client_author(ctx))

    @server.tool(annotations=WRITE, structured_output=False)
    def rename_task(
        feature: FeatureArg,
        task: TaskRef,
        title: Annotated[str, Field(description="the new title, one line")],
        ctx: Context,
    ) -> CallToolResult:
        """Replace a task's title; its ID, labels, requirement references and sub-lines are
        kept. Undoable."""
        return call(board.rename_task, feature, task, title, client_author(ctx))

    @server.tool(
        annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=True),
        structured_output=False,
    )
    def remove_task(feature: FeatureArg, task: TaskRef, ctx: Context) -> CallToolResult:
        """Remove a task's line and its own indented lines (sub-bullets, nested sub-tasks);
        nothing else moves. Undoable (sdd-tui undo)."""
        return call(board.remove_task, feature, task, client_author(ctx))

    @server.tool(annotations=READ, structured_output=False)
    def check(
        feature: OptFeature = None,
        use_git: Annotated[bool, Field(description="run the git-based rule")] = True,
    ) -> CallToolResult:
        """The CI gate's findings (open clarifications, failing tests, unknown requirements
        or dependencies, dependency cycles, unticked checklists, …), as `sdd-tui check
        --json` prints them; summary.errors > 0 means the gate fails."""
        return call(board.check, feature, use_git)

    @server.tool(annotations=READ, structured_output=False)
    def trace(feature: OptFeature = None) -> CallToolResult:
        """Test results traced to requirements and tasks (as `sdd-tui tests --json`): with
        a feature, every requirement of it with its tasks, tests and status."""
        return call(board.trace, feature)

    @server.resource(
        "sdd://{feature}/{document}",
        name="document",
        description="a feature's spec, plan or tasks document (Markdown)",
        mime_type="text/markdown",
    )
    def document(feature: str, document: str) -> str:
        try:
            return board.document(feature, document)
        except ToolFailure as exc:
            raise ResourceError(str(exc)) from None

    return server
