"""Times as the views across places and time show them: ages ("3d ago"), days and minutes
in the local time zone.  ``now`` is the one clock they read (the snapshot tests pin it)."""

from __future__ import annotations

import time
from datetime import datetime


def now() -> float:
    return time.time()


def ago(when: float | None, at: float) -> str:
    """``when`` as a short age at ``at``: "3m ago", "5h ago", "2d ago", "7w ago"; "" when
    unknown."""
    if when is None:
        return ""
    seconds = max(0.0, at - when)
    for size, unit in ((604800, "w"), (86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size * (2 if unit == "w" else 1):
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


def day(when: float) -> str:
    return datetime.fromtimestamp(when).strftime("%Y-%m-%d")


def minute(when: float) -> str:
    return datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M")
