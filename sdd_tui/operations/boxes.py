"""Flipping one box character on disk, re-located by key on the file's current bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sdd_tui.formats.text import DecodeProblem
from sdd_tui.model.items import BoxItem
from sdd_tui.model.workspace import Feature
from sdd_tui.workspace.documents import DocumentCache, ParsedDoc, parse_document
from sdd_tui.workspace.fsread import ReadProblem, read_file
from sdd_tui.workspace.writer import Conflict, WriteRefused, atomic_write


class OperationError(Exception):
    """An operation that cannot be done; the message is one line for the user."""


class ArchivedFeature(OperationError):
    """An edit of an archived feature (an archived OpenSpec change, a Kiro ``_archived``
    spec): its tasks are history, changed only when forced."""


def check_writable(feature: Feature, *, force: bool = False) -> None:
    """Refuse an edit of a read-only feature; ``force`` lets an archived one be edited (a
    file that is read-only for another reason stays so: the writer refuses it anyway)."""
    if feature.archived:
        if not force:
            raise ArchivedFeature(
                f"feature '{feature.id}' is archived ({feature.path}): its tasks are history"
            )
    elif feature.read_only:
        raise OperationError(f"feature '{feature.id}' is read-only")


Locator = Callable[[ParsedDoc], BoxItem | None]


def done_char(doc: ParsedDoc) -> str:
    """The done mark this file already uses: ``X`` when upper case dominates, else ``x``."""
    upper = sum(1 for b in doc.boxes if b.mark == "X")
    lower = sum(1 for b in doc.boxes if b.mark == "x")
    return "X" if upper > lower else "x"


def current_doc(root: Path, relpath: str, cache: DocumentCache | None = None) -> ParsedDoc:
    """Parse ``relpath`` from its bytes on disk now (reusing ``cache`` if they are unchanged)."""
    if cache is not None:
        result = cache.load(root, relpath)
        if isinstance(result, ParsedDoc):
            if result.outside:
                raise OperationError(f"{relpath} is a symlink out of the workspace; read-only")
            return result
        raise OperationError(f"{relpath}: {result.message}")
    try:
        read = read_file(root, root / relpath)
    except ReadProblem as exc:
        raise OperationError(f"{relpath}: {exc}") from None
    if read.outside:
        raise OperationError(f"{relpath} is a symlink out of the workspace; read-only")
    try:
        return parse_document(relpath, read.data, mode=read.mode)
    except DecodeProblem as exc:
        raise OperationError(f"{relpath}: {exc}; not written") from None


def set_box(
    root: Path,
    relpath: str,
    locate: Locator,
    new_mark: Callable[[ParsedDoc, BoxItem], str],
    *,
    what: str,
    cache: DocumentCache | None = None,
    attempts: int = 5,
) -> tuple[str, str]:
    """Set one box on the file's current content; returns (old mark, new mark).

    The box is found by ``locate`` on a fresh parse; when the file changes between the read
    and the rename, the edit is recomputed on the new content (up to ``attempts`` times).
    """
    for _ in range(attempts):
        doc = current_doc(root, relpath, cache)
        box = locate(doc)
        if box is None:
            raise OperationError(f"{what} is no longer in {relpath}; nothing written")
        old = box.mark
        new = new_mark(doc, box)
        if new == old:
            return old, new
        try:
            data = doc.src.replace(box.box_offset, old, new)
        except DecodeProblem as exc:  # its line holds a byte we could not write back
            raise OperationError(f"{relpath}: {what} not written: {exc}") from None
        try:
            atomic_write(root, root / relpath, data, expected=doc.src.raw)
        except Conflict:
            if cache is not None:
                cache.forget(relpath)
            continue
        except WriteRefused as exc:  # e.g. swapped for a link out of the workspace
            if cache is not None:
                cache.forget(relpath)
            raise OperationError(f"{relpath}: {exc}") from None
        if cache is not None:
            cache.forget(relpath)
        return old, new
    raise OperationError(f"{relpath} keeps changing; {what} not written")
