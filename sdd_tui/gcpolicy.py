"""When the cyclic garbage collector runs: every rule in one place.

sdd-tui allocates large graphs that hold no reference cycles worth finding (a snapshot of a
20,000-task workspace is ~10⁶ objects), and each full collection walks every object alive.
So the collector is paused while a parse or a load allocates, switched off for a one-shot
command and until the workbench's first frame, and what is alive after a snapshot is taken in
is frozen out of its reach.  A later snapshot replacing a frozen one is still freed by
reference counting.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while a parse or load allocates its objects.

    Each collection they would trigger walks every object allocated so far (a 10,000-task
    document is ~50,000 objects).  Nested or concurrent pauses only ever re-enable what they
    found enabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def off() -> None:
    """Off for good (a one-shot command) or until :func:`resume` (the workbench's start:
    importing Textual and mounting the screen triggered ~300 young collections)."""
    gc.disable()


def freeze_alive() -> None:
    """Move every object alive now out of the collector's reach (``gc.freeze``): called after
    each snapshot or result set is taken in; a constant-time list splice.  Without it the
    allocations of a redraw triggered a full collection (~0.2 s at 20,000 tasks) after most
    moves, holding up the next key."""
    gc.freeze()


def resume() -> None:
    """End the start-up pause, with everything alive so far frozen out of reach."""
    gc.freeze()
    gc.enable()
