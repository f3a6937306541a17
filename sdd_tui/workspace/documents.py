"""Parsed Markdown documents, cached by content so that only changed files are re-parsed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sdd_tui import formats
from sdd_tui.gcpolicy import paused
from sdd_tui.model.items import BoxItem
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.fsread import ReadProblem, read_file

if TYPE_CHECKING:  # the parsers are imported with the first document (``parse_document``)
    from sdd_tui.formats.markdown import MdStructure
    from sdd_tui.formats.text import SourceText


@record(frozen=False)
class ParsedDoc:
    path: str  # relative to the root
    src: SourceText
    md: MdStructure
    boxes: list[BoxItem]
    mode: int
    outside: bool  # read through a symlink that leaves the workspace: never written


class DocumentCache:
    """Parse results per path, reused while the file's bytes are unchanged."""

    def __init__(self) -> None:
        self._docs: dict[str, ParsedDoc] = {}

    def load(self, root: Path, relpath: str) -> ParsedDoc | Problem:
        from sdd_tui.formats.text import DecodeProblem

        try:
            read = read_file(root, root / relpath)
        except ReadProblem as exc:
            self._docs.pop(relpath, None)
            return Problem(relpath, str(exc))
        cached = self._docs.get(relpath)
        if cached is not None and cached.src.raw == read.data:
            return cached
        try:
            doc = parse_document(relpath, read.data, mode=read.mode, outside=read.outside)
        except DecodeProblem as exc:
            self._docs.pop(relpath, None)
            return Problem(relpath, str(exc), exc.line)
        self._docs[relpath] = doc
        return doc

    def get(self, relpath: str) -> ParsedDoc | None:
        return self._docs.get(relpath)

    def forget(self, relpath: str) -> None:
        self._docs.pop(relpath, None)


def parse_document(
    relpath: str, raw: bytes, *, mode: int = 0o644, outside: bool = False
) -> ParsedDoc:
    """Decode and parse one Markdown file; raises DecodeProblem for binary bytes (NUL).
    Bytes that are not UTF-8 read as U+FFFD (``doc.src.bad``, ``doc.src.problem``)."""
    with paused():
        src = formats.text.SourceText.decode(raw)
        md = formats.markdown.parse_structure(src.lines)
        boxes = formats.boxes.find_boxes(src, md, relpath)
        return ParsedDoc(relpath, src, md, boxes, mode, outside)
