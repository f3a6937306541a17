"""``sdd-tui [PATH] [--feature ID]``: open the workbench."""

from __future__ import annotations

import gc

from sdd_tui.cli.common import CliError, load_workspace, parser


def run_workbench(argv: list[str]) -> int:
    p = parser("", "A terminal workbench for spec-driven development.")
    p.epilog = (
        "commands: status, tasks, move (run 'sdd-tui COMMAND --help'). "
        "Without a command, opens the workbench on PATH."
    )
    p.add_argument("path", nargs="?", help="workspace folder (default: current, searched upwards)")
    p.add_argument("--feature", help="feature to open (default: the active one)")
    args = p.parse_args(argv)
    # No cyclic collection until the first frame is up (SddApp._after_first_paint turns it
    # back on): importing Textual and mounting the screen triggered ~300 young collections,
    # ~0.1 s of a 2,000-task start, for garbage that holds no cycles worth finding.
    gc.disable()
    # The feature shown first is read now; the rest right after the first frame.
    loaded = load_workspace(args.path, first=args.feature)
    if args.feature is not None and loaded.workspace.feature(args.feature) is None:
        raise CliError(f"unknown feature '{args.feature}'")
    try:
        from sdd_tui.ui.app import run_app
    except ImportError as exc:  # the UI is not part of this build
        raise CliError(f"the workbench is not available: {exc}", 1) from None
    return run_app(loaded, feature=args.feature)
