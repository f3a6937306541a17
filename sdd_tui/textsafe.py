"""Workspace text is data: make it safe to show in a terminal.

Control characters (C0 except tab, DEL, C1 — which start ANSI CSI/OSC sequences) and the
Unicode BIDI controls that can reorder what the reader sees are replaced by visible
escapes such as ``\\x1b`` and ``\\u202e``.  Rich/Textual markup is never parsed from
workspace text: callers build ``rich.text.Text`` from the result (or escape it).
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every terminal control and BIDI override made visible."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)
