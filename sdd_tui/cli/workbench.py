"""``sdd-tui [PATH] [--feature ID]``: open the workbench."""

from __future__ import annotations

import contextlib

from sdd_tui import gcpolicy
from sdd_tui.cli.common import CliError


def run_workbench(argv: list[str]) -> int:
    path, feature = _arguments(argv) if argv else (None, None)
    gcpolicy.off()  # until the first frame is up (the workbench screen resumes it)
    from sdd_tui.workspace.early_load import EarlyLoad
    from sdd_tui.workspace.snapshot import WorkspaceError

    # The feature shown first is read now, by a second process while this one imports the
    # UI when two CPUs allow it; the rest is read right after the first frame.
    early = EarlyLoad(path, first=feature)
    try:
        from sdd_tui.ui.app import run_app
    except ImportError as exc:  # the UI is not part of this build
        with contextlib.suppress(WorkspaceError):
            early.result()  # no child left behind
        raise CliError(f"the workbench is not available: {exc}", 1) from None
    try:
        loaded = early.result()
    except WorkspaceError as exc:
        raise CliError(str(exc)) from None
    if feature is not None and loaded.workspace.feature(feature) is None:
        raise CliError(f"unknown feature '{feature}'")
    return run_app(loaded, feature=feature)


def _arguments(argv: list[str]) -> tuple[str | None, str | None]:
    import argparse

    from sdd_tui.cli.common import parser
    from sdd_tui.cli.registry import COMMAND_NAMES, SUMMARIES

    p = parser("", "A terminal workbench for spec-driven development.")
    width = max(map(len, COMMAND_NAMES)) + 2
    commands = "\n".join(f"  {name:<{width}}{SUMMARIES[name]}" for name in COMMAND_NAMES)
    p.epilog = (
        f"commands (run 'sdd-tui COMMAND --help'):\n{commands}\n\n"
        "Without a command, opens the workbench on PATH."
    )
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--feature", help="feature to open (default: the active one)")
    args = p.parse_args(argv)
    return args.path, args.feature
