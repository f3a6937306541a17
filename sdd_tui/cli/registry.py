"""The subcommands of ``sdd-tui``: which module runs each, and one line of help each.

Kept apart from ``cli/__init__.py`` (which dispatches) so that the workbench's argument
parser can list them without importing the package that imports it.
"""

from __future__ import annotations

# command -> (module, function); each module is imported only when its command runs, so
# `status --json` pays for neither pydantic (init/check) nor the test runner.
COMMANDS: dict[str, tuple[str, str]] = {
    "status": ("board_cmds", "status"),
    "tasks": ("board_cmds", "tasks"),
    "move": ("board_cmds", "move"),
    "add": ("task_cmds", "add"),
    "rename": ("task_cmds", "rename"),
    "remove": ("task_cmds", "remove"),
    "new": ("new_cmd", "new"),
    "check": ("check_cmd", "check"),
    "init": ("init_cmd", "init"),
    "demo": ("demo", "demo"),
    "tests": ("tests_cmd", "tests"),
    "next": ("next_cmd", "next_command"),
    "portfolio": ("portfolio_cmd", "portfolio"),
    "undo": ("undo_cmd", "undo"),
    "redo": ("undo_cmd", "redo"),
    "mcp": ("mcp_cmd", "mcp"),
    "progress": ("progress_cmd", "progress"),
    "activity": ("activity_cmd", "activity"),
}
COMMAND_NAMES = tuple(COMMANDS)

# One line each for ``sdd-tui --help`` (each command's own --help says the rest).
SUMMARIES: dict[str, str] = {
    "status": "features with their progress (--json for agents and CI)",
    "tasks": "tasks with their board column (--json)",
    "move": "move a task to a column: sdd-tui move FEATURE/TASK COLUMN",
    "add": 'add a task: sdd-tui add FEATURE "title" [--column C] [--after ID] [--json]',
    "rename": 'rename a task: sdd-tui rename FEATURE/TASK "title"',
    "remove": "remove a task and its own lines: sdd-tui remove FEATURE/TASK",
    "new": 'start a feature from templates: sdd-tui new "Recipe import" [PATH] [--layout L]',
    "check": "check that specs are ready (exit 1 on errors)",
    "init": "set a repository up: .sdd/config.yaml, .gitattributes, .gitignore",
    "demo": "the workbench on a throwaway copy of the sample (--keep keeps it)",
    "tests": "test results traced to requirements and tasks (--run runs them first)",
    "next": "the tasks that can start now, and why (--json)",
    "portfolio": "every feature on every branch and worktree, one row per place (--json)",
    "undo": "undo the most recent edit (a move, a tick, an answer), whoever made it",
    "redo": "redo the most recently undone edit",
    "mcp": "serve the board to coding agents over MCP (stdio)",
    "progress": "burn-up, cycle time and a forecast from git history (--feature, --json)",
    "activity": "who moved which tasks, commit by commit; agents marked (--feature, --json)",
}
