"""Decoded text that remembers its exact bytes: BOM, line endings, final newline."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def _line_at(body: bytes, pos: int) -> int:
    """1-based line of byte ``pos``, counting CRLF, CR and LF breaks as CommonMark does."""
    return sum(1 for _ in _LINE_BREAK_BYTES.finditer(body, 0, pos)) + 1


class DecodeProblem(ValueError):
    """The bytes are not UTF-8 text; ``line`` is 1-based."""

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

    @classmethod
    def decode(cls, raw: bytes) -> SourceText:
        bom = raw.startswith(BOM)
        body = raw[3:] if bom else raw
        if b"\x00" in body:
            line = _line_at(body, body.index(b"\x00"))
            raise DecodeProblem("binary file (contains NUL bytes)", line)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_at(body, exc.start)
            raise DecodeProblem(
                f"not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})", line
            ) from None
        return cls.from_text(text, raw=raw, bom=bom)

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
        return (BOM if self.bom else b"") + text.encode("utf-8")

    def line_of(self, offset: int) -> int:
        """0-based line index holding character ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def byte_offset(self, offset: int) -> int:
        """Byte offset in ``raw`` of character ``offset`` of ``text``."""
        return (3 if self.bom else 0) + len(self.text[:offset].encode("utf-8"))

    def replace(self, offset: int, old: str, new: str) -> bytes:
        """Bytes with ``old`` at character ``offset`` replaced by ``new``; nothing else moves."""
        if self.text[offset : offset + len(old)] != old:
            raise ValueError(f"expected {old!r} at offset {offset}")
        start = self.byte_offset(offset)
        old_b = old.encode("utf-8")
        return self.raw[:start] + new.encode("utf-8") + self.raw[start + len(old_b) :]
