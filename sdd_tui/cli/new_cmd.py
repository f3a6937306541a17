"""``sdd-tui new``: start a feature from templates, in the workspace's layout."""

from __future__ import annotations

from pathlib import Path

from sdd_tui.cli.common import CliError, parser, safe_stdio
from sdd_tui.textsafe import safe


def new(argv: list[str]) -> int:
    safe_stdio()
    from sdd_tui.layouts import all_layouts

    names = [layout.name for layout in all_layouts()]
    p = parser("new", "Start a feature: its folder and documents from templates.")
    p.add_argument("name", metavar="NAME", help='the feature\'s name, e.g. "Recipe import"')
    p.add_argument("path", nargs="?", default=".", help="workspace folder (default: current)")
    p.add_argument(
        "--layout",
        choices=names,
        help="the layout to start it in (default: the workspace's, else speckit)",
    )
    args = p.parse_args(argv)
    root = Path(args.path)
    if not root.is_dir():
        raise CliError(f"{safe(args.path)} is not a folder")
    from sdd_tui.operations.boxes import OperationError
    from sdd_tui.operations.new_feature import create

    try:
        where, layout = create(root.resolve(), args.name, layout_name=args.layout)
    except OperationError as exc:
        raise CliError(safe(str(exc))) from None
    print(f"created {layout.title} feature {safe(where.id)}:")
    for path in where.documents:
        print(f"  {safe(path)}")
    return 0
