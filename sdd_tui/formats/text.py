"""Decoded text that remembers its exact bytes: BOM, line endings, final newline.

A byte that is not UTF-8 (a cp1252 apostrophe, 0x92) does not blank the document: it reads
as one U+FFFD, so every other line parses as usual, the offsets of the other characters stay
exact, and ``replace`` refuses only edits on a line that holds such a byte (it could not
write the byte back as it was).  ``bad`` lists them; ``problem`` describes the first.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_ESCAPED = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a byte that is not UTF-8
_REPLACEMENT = "\ufffd"


def _line_at(body: bytes, pos: int) -> int:
    """1-based line of byte ``pos``, counting CRLF, CR and LF breaks as CommonMark does."""
    return sum(1 for _ in _LINE_BREAK_BYTES.finditer(body, 0, pos)) + 1


class DecodeProblem(ValueError):
    """The bytes are not text (or an edit would rewrite bytes that are not UTF-8); ``line``
    is 1-based."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(slots=True)
class SourceText:
    """A text file's bytes and their decoding.

    Lines are split the way CommonMark does (``\\r\\n``, ``\\r`` or ``\\n``), so line numbers
    agree with markdown-it's token maps.  ``text`` excludes the BOM; writing ``encode(text)``
    gives back the original bytes exactly.
    """

    raw: bytes
    text: str
    bom: bool
    lines: list[str] = field(repr=False)
    starts: list[int] = field(repr=False)
    # character offsets in ``text`` of bytes that are not UTF-8, each read as one U+FFFD
    bad: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def decode(cls, raw: bytes) -> SourceText:
        bom = raw.startswith(BOM)
        body = raw[3:] if bom else raw
        if b"\x00" in body:
            line = _line_at(body, body.index(b"\x00"))
            raise DecodeProblem("binary file (contains NUL bytes)", line)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # one character per undecodable byte, so that offsets map back to the bytes
            escaped = body.decode("utf-8", "surrogateescape")
            bad = [m.start() for m in _ESCAPED.finditer(escaped)]
            src = cls.from_text(_ESCAPED.sub(_REPLACEMENT, escaped), raw=raw, bom=bom)
            src.bad = bad
            return src
        return cls.from_text(text, raw=raw, bom=bom)

    @property
    def problem(self) -> DecodeProblem | None:
        """What is wrong with the bytes (the first undecodable one), or None."""
        if not self.bad:
            return None
        first = self.bad[0]
        at = self.byte_offset(first)
        where = at - (3 if self.bom else 0)
        more = f"; {len(self.bad) - 1} more" if len(self.bad) > 1 else ""
        return DecodeProblem(
            f"not valid UTF-8 (byte 0x{self.raw[at]:02x} at offset {where}{more}); "
            "shown as \ufffd, lines holding such bytes are not edited",
            self.line_of(first) + 1,
        )

    @classmethod
    def from_text(cls, text: str, *, raw: bytes | None = None, bom: bool = False) -> SourceText:
        if raw is None:
            raw = (BOM if bom else b"") + text.encode("utf-8")
        if "\r" not in text:  # LF only: split in C
            lines = text.split("\n")
            starts = [0, *accumulate([len(line) + 1 for line in lines[:-1]])]
        else:
            starts = [0]
            lines = []
            pos = 0
            for m in _LINE_BREAK.finditer(text):
                lines.append(text[pos : m.start()])
                pos = m.end()
                starts.append(pos)
            lines.append(text[pos:])
        if len(lines) > 1 and lines[-1] == "":
            # A final line break ends the last line; it does not start a new one.
            lines.pop()
            starts.pop()
        return cls(raw=raw, text=text, bom=bom, lines=lines, starts=starts)

    def encode(self, text: str) -> bytes:
        """``text`` as this file's bytes (BOM kept); exact for a text without bad bytes."""
        return (BOM if self.bom else b"") + text.encode("utf-8")

    def line_of(self, offset: int) -> int:
        """0-based line index holding character ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def byte_offset(self, offset: int) -> int:
        """Byte offset in ``raw`` of character ``offset`` of ``text``."""
        at = (3 if self.bom else 0) + len(self.text[:offset].encode("utf-8"))
        if self.bad:  # each U+FFFD there stands for one byte, not its three
            at -= 2 * bisect_left(self.bad, offset)
        return at

    def replace(self, offset: int, old: str, new: str) -> bytes:
        """Bytes with ``old`` at character ``offset`` replaced by ``new``; nothing else moves.

        Raises ``DecodeProblem`` when a line it touches holds a byte that is not UTF-8."""
        if self.text[offset : offset + len(old)] != old:
            raise ValueError(f"expected {old!r} at offset {offset}")
        if self.bad:
            first = self.line_of(offset)
            last = self.line_of(offset + len(old))
            lo = self.starts[first]
            hi = self.starts[last] + len(self.lines[last])
            i = bisect_left(self.bad, lo)
            if i < len(self.bad) and self.bad[i] <= hi:
                at = self.byte_offset(self.bad[i])
                raise DecodeProblem(
                    f"line {self.line_of(self.bad[i]) + 1} holds a byte that is not UTF-8 "
                    f"(0x{self.raw[at]:02x} at offset {at - (3 if self.bom else 0)})",
                    self.line_of(self.bad[i]) + 1,
                )
        start = self.byte_offset(offset)
        old_b = old.encode("utf-8")
        return self.raw[:start] + new.encode("utf-8") + self.raw[start + len(old_b) :]
