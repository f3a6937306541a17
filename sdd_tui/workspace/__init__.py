"""Everything that touches the disk: discovery, loading, safe reads and atomic writes.

The loader, the watcher and git are imported when first used (see ``sdd_tui.lazy``): the
workbench paints its first frame from a snapshot another process read."""

from typing import TYPE_CHECKING

from sdd_tui.lazy import lazy_names

if TYPE_CHECKING:
    from sdd_tui.workspace import git, results, stability
    from sdd_tui.workspace.loader import load_root
    from sdd_tui.workspace.stability import wait_until_stable
    from sdd_tui.workspace.watcher import watch_workspace

__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "load_root": "loader",
        "wait_until_stable": "stability",
        "watch_workspace": "watcher",
    },
    modules=("git", "results", "stability"),
)
__all__ = [
    "git",
    "load_root",
    "results",
    "stability",
    "wait_until_stable",
    "watch_workspace",
]
