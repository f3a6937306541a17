"""Ticking review checklist items: one box character in the checklist's own file.

A checklist item lives in ``checklists/*.md`` or in a checkbox list inside the spec (success
criteria, a "Spec Review Checklist").  Ticking flips only that item's box, with the same
byte-exact, conflict-checked edit as a task move: the item is found again by its checklist
key on a fresh parse of the file, so an edit made meanwhile by an agent or an editor is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdd_tui.formats.tasks import build_checklist
from sdd_tui.layouts import layout_of
from sdd_tui.model.items import DONE_MARKS, BoxItem, ChecklistItem
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Feature
from sdd_tui.operations.board import Change
from sdd_tui.operations.boxes import OperationError, check_writable, done_char, set_box
from sdd_tui.workspace.documents import ParsedDoc
from sdd_tui.workspace.writer import WriteRefused, workspace_lock

if TYPE_CHECKING:
    from sdd_tui.workspace.snapshot import Loaded


@record
class Tick:
    """What a toggle did."""

    feature: str
    key: str
    path: str
    from_mark: str
    to_mark: str

    @property
    def noop(self) -> bool:
        return self.from_mark == self.to_mark

    @property
    def checked(self) -> bool:
        return self.to_mark in DONE_MARKS


def checklist_files(feature: Feature) -> list[str]:
    """The files a feature's checklist items come from, in the loader's order."""
    order: list[str] = []
    spec = feature.documents.get("spec")
    if spec and layout_of(feature).spec_is_checklist:
        order.append(spec)
    order += [p for p in feature.checklist_files if p not in order]
    for item in feature.checklist:
        if item.path not in order:
            order.append(item.path)
    return order


def find_item(feature: Feature, key: str) -> ChecklistItem | None:
    for item in feature.checklist:
        if item.key == key:
            return item
    low = key.lower()
    for item in feature.checklist:
        if item.key.lower() == low:
            return item
    return None


def _locator(feature: Feature, item: ChecklistItem):  # type: ignore[no-untyped-def]
    """Find ``item``'s box by key in a fresh parse of its file.

    Keys are numbered across the feature's files (``requirements:chk001#2``), so the counts
    of the files before this one are taken from the snapshot.
    """
    files = checklist_files(feature)
    before = set(files[: files.index(item.path)]) if item.path in files else set()
    taken: dict[str, int] = {}
    for other in feature.checklist:
        if other.path in before:
            base = other.key.split("#", 1)[0]
            taken[base] = taken.get(base, 0) + 1

    def locate(doc: ParsedDoc) -> BoxItem | None:
        items = build_checklist(feature.id, doc.boxes, taken=dict(taken))
        for built, box in zip(items, doc.boxes, strict=True):
            if built.key == item.key:
                return box
        return None

    return locate


def set_item(
    loaded: Loaded,
    feature_ref: str,
    key: str,
    checked: bool | None = None,
    *,
    mark: str | None = None,
) -> Tick:
    """Tick (``checked=True``), untick (``False``) or toggle (``None``) one checklist item;
    ``mark`` sets the box character itself (undo and redo put back the exact one)."""
    feature = loaded.workspace.feature(feature_ref)
    if feature is None:
        raise OperationError(f"unknown feature '{feature_ref}'")
    item = find_item(feature, key)
    if item is None:
        raise OperationError(f"unknown checklist item '{key}' in feature '{feature.id}'")
    if feature.archived:  # (tasks.md behind an outside link leaves the checklists writable)
        check_writable(feature)

    def new_mark(doc: ParsedDoc, box: BoxItem) -> str:
        if mark is not None:
            return mark
        want = (box.mark not in DONE_MARKS) if checked is None else checked
        if want:
            return box.mark if box.mark in DONE_MARKS else done_char(doc)
        return " " if box.mark in DONE_MARKS else box.mark

    try:
        with workspace_lock(loaded.root):
            old, new = set_box(
                loaded.root,
                item.path,
                _locator(feature, item),
                new_mark,
                what=f"checklist item {item.id or item.key}",
                cache=loaded.cache,
            )
    except WriteRefused as exc:
        raise OperationError(str(exc)) from None
    except OSError as exc:
        raise OperationError(f"cannot write {item.path}: {exc.strerror or exc}") from None
    return Tick(feature.id, item.key, item.path, old, new)


def toggle_item(loaded: Loaded, feature_ref: str, key: str) -> Tick:
    return set_item(loaded, feature_ref, key, None)


def tick(
    loaded: Loaded,
    feature_ref: str,
    key: str,
    checked: bool | None = None,
    *,
    mark: str | None = None,
) -> Change:
    """:func:`set_item` as a history :class:`~sdd_tui.operations.board.Change` (``tick``), so
    ``history.apply_and_record`` records it and undo reverses it like a board move."""
    feature = loaded.workspace.feature(feature_ref)
    item = find_item(feature, key) if feature is not None else None
    done = set_item(loaded, feature_ref, key, checked, mark=mark)
    return Change(
        "tick",
        done.feature,
        done.key,
        "",
        "",
        done.from_mark,
        done.to_mark,
        files=() if done.noop else (done.path,),
        label=(item.id or "") if item is not None else "",
        path=done.path,
    )
