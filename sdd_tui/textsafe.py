"""Workspace text is data: make it safe to show in a terminal.

Control characters (C0 except tab, DEL, C1 — which start ANSI CSI/OSC sequences) and the
Unicode BIDI controls that can reorder what the reader sees are replaced by visible
escapes such as ``\\x1b`` and ``\\u202e``.  Rich/Textual markup is never parsed from
workspace text: callers build ``rich.text.Text`` from the result (or escape it).
"""

from __future__ import annotations

import re
from functools import cache

_UNSAFE = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"


@cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(_UNSAFE)


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every terminal control and BIDI override made visible."""
    # Printable text holds none of them (controls and BIDI marks are not printable): the
    # common case never needs the pattern, which is compiled on first use.
    if text.isprintable():
        return text
    pattern = _unsafe()
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)
