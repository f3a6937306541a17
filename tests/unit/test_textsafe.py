"""``safe``: every terminal control and BIDI override made visible, everything else kept."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sdd_tui.textsafe import _UNSAFE, safe

UNSAFE = [
    *range(0x00, 0x09),
    *range(0x0A, 0x20),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]


def reference(text: str) -> str:
    """The escaping as a plain regular-expression substitution, with no fast path."""

    def escape(m: re.Match[str]) -> str:
        code = ord(m.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return re.sub(_UNSAFE, escape, text)


def test_every_control_and_bidi_mark_is_escaped() -> None:
    for code in UNSAFE:
        want = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        assert safe(f"a{chr(code)}b") == f"a{want}b"
        # the fast path relies on it: none of them is printable
        assert not chr(code).isprintable()
    assert safe("\x1b[31mred") == "\\x1b[31mred"
    assert safe("tab\tkept") == "tab\tkept"


def test_printable_text_comes_back_as_it_is() -> None:
    text = "T001 [P] Créer le module ✓ 日本語 🎉 [bold]not markup[/]"
    assert safe(text) is text


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from([chr(c) for c in UNSAFE])))
def test_the_same_as_escaping_everything(text: str) -> None:
    assert safe(text) == reference(text)
