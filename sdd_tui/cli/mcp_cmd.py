"""``sdd-tui mcp [PATH]``: the board as an MCP server over stdio, for coding agents.

Built on the official ``mcp`` SDK (``MCPServer``, its decorators make each tool's JSON
schema from the signature: ``mcp_server``); the tools themselves are
``agent_tools.AgentTools``.  The SDK is an optional extra (``pip install 'sdd-tui[mcp]'``)
and only this command imports it.
"""

from __future__ import annotations

from pathlib import Path

from sdd_tui.cli.common import CliError, parser


def mcp(argv: list[str]) -> int:
    p = parser("mcp", "Serve the workspace's board to coding agents over MCP (stdio).")
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    args = p.parse_args(argv)
    try:
        import mcp.server.mcpserver  # noqa: F401
    except ImportError:
        raise CliError(
            "the MCP server needs the 'mcp' package (>= 2): pip install 'sdd-tui[mcp]'"
        ) from None
    from sdd_tui.cli.mcp_server import build_server

    server = build_server(_root(args.path))
    server.run("stdio")
    return 0


def _root(path: str | None) -> Path:
    """The root as every command finds it (``PATH`` or the current folder, searched upwards:
    in a ``git worktree`` that is the worktree, never its main checkout)."""
    from sdd_tui.workspace.discover import find_root

    start = Path.cwd() if path is None else Path(path)
    if not start.exists():
        raise CliError(f"no such file or directory: {start}")
    return find_root(start)
