"""Names a package offers without importing their modules until first used.

The workbench paints its first frame before it imports the screens, panes, parsers and
operations it needs only afterwards (each module imported costs start-up time, see
``bench/instructions.py``).  Rather than an import inside every function that uses one of
them, each such package lists its names once, in its ``__init__``::

    __getattr__, __dir__ = lazy_names(__name__, {"ReviewScreen": "review", ...})

and code writes ``from sdd_tui.ui import screens`` at the top, then ``screens.ReviewScreen``
where it is used: the module is imported on that first attribute access (PEP 562), the way
Textual's ``textual.widgets`` does it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_names(
    package: str, names: dict[str, str], *, modules: tuple[str, ...] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``names`` maps each offered name to
    the submodule (relative to ``package``) that defines it; ``modules`` are submodules
    offered as themselves (``operations.board.move``)."""

    def __getattr__(name: str) -> Any:
        if name in modules:
            value = importlib.import_module(f"{package}.{name}")
        elif name in names:
            # looked up on its module at every access, not cached here: a test that patches
            # ``sdd_tui.workspace.loader.load_root`` patches what ``workspace.load_root`` gives
            value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return value

    def __dir__() -> list[str]:
        return sorted([*names, *modules])

    return __getattr__, __dir__
