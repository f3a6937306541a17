"""Review mode: a feature's spec checked before planning, from the keyboard.

The left side lists, for the current feature: open clarifications, every checklist item
grouped by file and heading (with per-file and overall progress bars), the spec's template
sections (missing or empty ones marked) and the answered clarification questions.  Kiro and
OpenSpec features have no checklist files: their requirements with acceptance criteria or
scenarios are listed instead.  The right side shows the spec (and the checklist files); a
``Spec §FR-001`` reference jumps there.

``space`` ticks an item (one box character in its own file, see ``operations.review``)
through the session, so it is in history: ``u``/``ctrl+z`` undo the most recent edit of any
kind, here as on the board.  ``n``/``N`` go to the next/previous unchecked item; ``v`` shows
unchecked items only.  The screen follows the session: an agent's tick redraws it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui import operations
from sdd_tui.formats.clarifications import AnsweredQuestion, answered_questions
from sdd_tui.formats.completeness import (
    CriterionBlock,
    SectionStatus,
    normalise,
)
from sdd_tui.layouts import layout_of
from sdd_tui.model.ids import canon
from sdd_tui.model.items import ChecklistItem
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Feature
from sdd_tui.operations.boxes import OperationError
from sdd_tui.operations.checks import completeness
from sdd_tui.operations.review import checklist_files
from sdd_tui.textsafe import safe
from sdd_tui.ui import screens
from sdd_tui.ui.cards import progress_bar
from sdd_tui.ui.screens.common import FollowsSession, pane_documents, undo_or_redo
from sdd_tui.ui.session import Session, SnapshotChanged
from sdd_tui.ui.widgets.doc_pane import DocPane
from sdd_tui.ui.widgets.key_bar import KeyBar
from sdd_tui.workspace.documents import ParsedDoc

if TYPE_CHECKING:
    from sdd_tui.model.workspace import Problem
    from sdd_tui.ui.markdown_lines import Palette

_TAG_STYLE = {
    "gap": "bold black on #e0af68",
    "ambiguity": "bold black on #bb9af7",
    "conflict": "bold white on #f7768e",
    "assumption": "bold black on #7dcfff",
}
_BADGE = "bold black on #7aa2f7"


@record
class Target:
    """Where a row points: a file and 1-based line (for the document pane)."""

    path: str
    line: int


@dataclass(slots=True)
class Row:
    id: str
    text: Text
    target: Target | None = None
    item: ChecklistItem | None = None
    header: bool = False


class ReviewList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class ReviewScreen(FollowsSession, Screen[None]):
    """Review the current feature's spec: checklists, clarifications, completeness."""

    BINDINGS = [
        Binding("escape,q,c", "close", "Close"),
        Binding("space", "toggle", "Tick"),
        Binding("a", "answer", "Answer"),
        Binding("n", "next_unchecked(1)", "Next unchecked"),
        Binding("N", "next_unchecked(-1)", "Prev unchecked"),
        Binding("v", "unchecked_only", "Unchecked only"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("U,ctrl+y", "redo", "Redo"),
        Binding("enter", "jump", "Jump", show=False),
        # The workbench's pane, filter and feature keys act on the screen below: not here.
        Binding("f,slash,r,1,2,3,4", "ignore", show=False),
    ]
    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen #review-summary { height: auto; padding: 0 1; background: $panel; }
    ReviewScreen #review-body { height: 1fr; }
    ReviewScreen #review-left { width: 3fr; border: round $primary; }
    ReviewScreen #review-right { width: 2fr; border: round $panel-lighten-2; }
    ReviewScreen #review-right:focus-within { border: round $primary; }
    ReviewScreen ReviewList { height: 1fr; border: none; }
    ReviewScreen ReviewList > .option-list--option { padding: 0 1; }
    ReviewScreen.-narrow #review-right { display: none; width: 1fr; }
    ReviewScreen.-narrow.-show-doc #review-right { display: block; }
    ReviewScreen.-narrow.-show-doc #review-left { display: none; }
    """

    def __init__(
        self,
        session: Session,
        feature_id: str,
        read_document: Callable[[str], ParsedDoc | Problem],
        palette: Palette,
    ) -> None:
        super().__init__()
        self.session = session
        self.feature_id = feature_id
        self.read_document = read_document
        self.palette = palette
        self.unchecked_only = False
        self.rows: list[Row] = []
        self._by_id: dict[str, Row] = {}
        self._seen: Feature | None = None

    # -- data ------------------------------------------------------------------------

    @property
    def feature(self) -> Feature | None:
        return self.session.workspace.feature(self.feature_id)

    def _doc(self, path: str | None) -> ParsedDoc | None:
        if not path:
            return None
        result = self.read_document(path)
        return result if isinstance(result, ParsedDoc) else None

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="review-summary")
        with Horizontal(id="review-body"):
            with Vertical(id="review-left"):
                yield ReviewList(id="review-items")
            with Vertical(id="review-right"):
                yield DocPane("review", id="review-doc")
        yield KeyBar()

    def on_mount(self) -> None:
        left = self.query_one("#review-left")
        left.border_title = "Review"
        self.query_one("#review-right").border_title = "Spec"
        self.set_class(self.app.size.width < 100, "-narrow")
        self._show_documents(keep=False)
        self.rebuild()
        items = self.query_one(ReviewList)
        first = self._next_unchecked(-1, 1, wrap=False)
        if first is not None:
            items.highlighted = first
        else:
            items.highlighted = self._first_selectable()
        items.focus()
        self._seen = self.feature

    def _snapshot_changed(self, change: SnapshotChanged) -> None:
        """Redraw when the feature changed under review mode (a tick, an undo, an agent)."""
        feature = self.feature
        if feature == self._seen and change.reason not in ("undo", "redo"):
            return
        current = self.current_row()
        self._show_documents(keep=True)
        self.rebuild(keep=current.id if current is not None else None)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")

    def _show_documents(self, *, keep: bool) -> None:
        feature = self.feature
        docs, _ = pane_documents(feature)
        if feature is not None:
            known = {p for _, p in docs}
            for path in checklist_files(feature):
                if path not in known:
                    docs.append((path.removeprefix(feature.path + "/"), path))
                    known.add(path)
        self.query_one(DocPane).set_documents(
            docs, self.read_document, self.palette, empty="No spec yet.", keep=keep
        )

    # -- rows ------------------------------------------------------------------------

    def build_rows(self) -> list[Row]:
        feature = self.feature
        if feature is None:
            return [Row("none", Text("This feature is gone."), header=True)]
        rows: list[Row] = []
        rows += self._clarification_rows(feature)
        if feature.checklist:
            rows += self._checklist_rows(feature)
        elif layout_of(feature).review_criteria_label:
            rows += self._criteria_rows(feature)
        else:
            rows.append(
                Row(
                    "h:checklists",
                    Text("No checklists (run /speckit.checklist)", "dim"),
                    header=True,
                )
            )
        rows += self._completeness_rows(feature)
        rows += self._answered_rows(feature)
        return rows

    def _clarification_rows(self, feature: Feature) -> list[Row]:
        if not feature.clarifications:
            return []
        head = Text()
        head.append(f"? Open clarifications ({len(feature.clarifications)})", "bold yellow")
        rows = [Row("h:clar", head, header=True)]
        for i, c in enumerate(feature.clarifications):
            t = Text(no_wrap=False, overflow="fold")
            t.append("  ? ", "bold yellow")
            t.append(safe(c.text) or "(no question)")
            t.append(f"  {safe(c.path.rsplit('/', 1)[-1])}:{c.line}", "dim")
            rows.append(Row(f"clar:{i}", t, Target(c.path, c.line)))
        return rows

    def _checklist_rows(self, feature: Feature) -> list[Row]:
        items = feature.checklist
        done = sum(1 for c in items if c.checked)
        head = Text()
        head.append("Checklists ", "bold")
        head.append_text(progress_bar(done, len(items), 16))
        head.append(f" {done}/{len(items)}", "bold" if done == len(items) else "")
        if self.unchecked_only:
            head.append("  (unchecked only)", "italic dim")
        rows = [Row("h:checklists", head, header=True)]
        for path in checklist_files(feature):
            in_file = [c for c in items if c.path == path]
            if not in_file:
                continue
            fdone = sum(1 for c in in_file if c.checked)
            ft = Text()
            ft.append("▸ ", "dim")
            ft.append(safe(path.removeprefix(feature.path + "/")), "bold")
            ft.append("  ")
            ft.append_text(progress_bar(fdone, len(in_file), 10))
            ft.append(f" {fdone}/{len(in_file)}", "dim")
            rows.append(Row(f"file:{path}", ft, Target(path, 1), header=True))
            section: str | None = None
            for item in in_file:
                if self.unchecked_only and item.checked:
                    continue
                if item.section != section:
                    section = item.section
                    if section:
                        st = Text(f"    {safe(section)}", "italic")
                        rows.append(Row(f"sec:{path}:{item.line}", st, header=True))
                rows.append(
                    Row(f"item:{item.key}", _item_text(item), Target(path, item.line), item)
                )
        return rows

    def _criteria_rows(self, feature: Feature) -> list[Row]:
        layout = layout_of(feature)
        blocks: list[CriterionBlock] = layout.review_criteria(feature, self._doc)
        what = layout.review_criteria_label or "criteria"
        head = Text()
        head.append(f"Requirements and {what} ", "bold")
        head.append(f"({len(blocks)} requirements)", "dim")
        rows = [Row("h:criteria", head, header=True)]
        if not blocks:
            rows.append(Row("crit:none", Text("  no requirements found", "dim"), header=True))
        for i, b in enumerate(blocks):
            t = Text(no_wrap=False, overflow="fold")
            t.append("■ " if b.criteria else "□ ", "green" if b.criteria else "yellow")
            t.append(safe(b.title), "bold")
            t.append(f"  {len(b.criteria)} {what}", "dim" if b.criteria else "yellow")
            if b.story:
                t.append(f"\n    {safe(b.story)}", "italic")
            rows.append(Row(f"req:{i}", t, Target(b.path, b.line)))
            for j, (text, line) in enumerate(b.criteria):
                ct = Text(no_wrap=False, overflow="fold")
                ct.append("    · ", "dim")
                ct.append(safe(text))
                rows.append(Row(f"crit:{i}:{j}", ct, Target(b.path, line)))
        return rows

    def _completeness_rows(self, feature: Feature) -> list[Row]:
        statuses: list[SectionStatus] = completeness(self.session.loaded, feature)
        if not statuses:
            return []
        ok = sum(1 for s in statuses if s.ok)
        head = Text()
        head.append("Spec completeness ", "bold")
        head.append(f"{ok}/{len(statuses)} sections", "green" if ok == len(statuses) else "yellow")
        rows = [Row("h:sections", head, header=True)]
        for i, s in enumerate(statuses):
            if self.unchecked_only and s.ok:
                continue
            t = Text(no_wrap=False, overflow="fold")
            if s.ok:
                t.append("  ✓ ", "green")
                t.append(safe(s.name))
            else:
                t.append("  ✗ ", "bold red")
                t.append(safe(s.name), "bold")
                t.append(f"  {s.status}", "yellow")
                if s.detail:
                    t.append(f" ({safe(s.detail)})", "dim")
            target = Target(s.path, s.line) if s.line is not None else None
            rows.append(Row(f"section:{i}", t, target))
        return rows

    def _answered_rows(self, feature: Feature) -> list[Row]:
        spec = feature.documents.get("spec")
        doc = self._doc(spec)
        if doc is None or not spec:
            return []
        answered: list[AnsweredQuestion] = answered_questions(spec, doc.src, doc.md)
        if not answered:
            return []
        head = Text()
        head.append(f"Answered questions ({len(answered)})", "bold")
        rows = [Row("h:answered", head, header=True)]
        session = None
        for i, qa in enumerate(answered):
            if qa.session != session:
                session = qa.session
                if session:
                    rows.append(
                        Row(
                            f"session:{i}",
                            Text(f"    Session {safe(session)}", "italic"),
                            header=True,
                        )
                    )
            t = Text(no_wrap=False, overflow="fold")
            t.append("  Q ", "bold cyan")
            t.append(safe(qa.question))
            t.append("\n  A ", "bold green")
            t.append(safe(qa.answer))
            rows.append(Row(f"qa:{i}", t, Target(qa.path, qa.line)))
        return rows

    def rebuild(self, *, keep: str | None = None) -> None:
        items = self.query_one(ReviewList)
        old_index = items.highlighted
        self.rows = self.build_rows()
        self._by_id = {r.id: r for r in self.rows}
        items.set_options([Option(r.text, id=r.id, disabled=r.header) for r in self.rows])
        index = None
        if keep is not None:
            for i, r in enumerate(self.rows):
                if r.id == keep:
                    index = i
                    break
        if index is None and old_index is not None:
            index = self._nearest_selectable(min(old_index, len(self.rows) - 1))
        if index is not None:
            items.highlighted = index
        self._seen = self.feature
        self._summary()

    def _summary(self) -> None:
        feature = self.feature
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Review ", "bold")
        if feature is None:
            self.query_one("#review-summary", Static).update(text)
            return
        text.append(safe(feature.id), "bold")
        items = feature.checklist
        if items:
            done = sum(1 for c in items if c.checked)
            text.append("  ☑ ")
            text.append_text(progress_bar(done, len(items), 10))
            text.append(f" {done}/{len(items)}", "dim")
        if feature.clarifications:
            text.append(f"  ? {len(feature.clarifications)} open", "bold yellow")
        else:
            text.append("  no open clarifications", "green")
        text.append(
            "   space tick · a answer · n/N next/prev unchecked · v unchecked only · u undo"
            " · enter jump",
            "dim",
        )
        self.query_one("#review-summary", Static).update(text)

    # -- navigation ------------------------------------------------------------------

    def _first_selectable(self) -> int | None:
        return self._nearest_selectable(0)

    def _nearest_selectable(self, index: int) -> int | None:
        if not self.rows:
            return None
        index = max(0, index)
        for i in list(range(index, len(self.rows))) + list(range(index - 1, -1, -1)):
            if not self.rows[i].header:
                return i
        return None

    def _next_unchecked(self, start: int, step: int, *, wrap: bool = True) -> int | None:
        n = len(self.rows)
        if not n:
            return None
        i = start
        for _ in range(n):
            i += step
            if not 0 <= i < n:
                if not wrap:
                    return None
                i %= n
            row = self.rows[i]
            if row.item is not None and not row.item.checked:
                return i
        return None

    def action_next_unchecked(self, step: int) -> None:
        items = self.query_one(ReviewList)
        start = items.highlighted if items.highlighted is not None else (-1 if step > 0 else 0)
        found = self._next_unchecked(start, step)
        if found is None:
            self.app.bell()
            self.notify("no unchecked items", timeout=2)
            return
        items.highlighted = found
        items.focus()

    def action_unchecked_only(self) -> None:
        self.unchecked_only = not self.unchecked_only
        current = self.current_row()
        self.rebuild(keep=current.id if current is not None else None)

    def current_row(self) -> Row | None:
        items = self.query_one(ReviewList)
        if items.highlighted is None or not 0 <= items.highlighted < len(self.rows):
            return None
        return self.rows[items.highlighted]

    # -- actions ---------------------------------------------------------------------

    def action_toggle(self) -> None:
        row = self.current_row()
        if row is None or row.item is None:
            self.app.bell()
            return
        try:
            change = self.session.edit(
                operations.review.tick, self.feature_id, row.item.key, select=row.item.key
            )
        except OperationError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.rebuild(keep=row.id)
        if not change.noop:
            self.notify(change.describe(), timeout=1.5, markup=False)

    def action_answer(self) -> None:
        """``a`` on an open clarification: type the decision; it replaces the marker and is
        recorded under ``## Clarifications`` (``operations.clarify``), undoable."""
        row = self.current_row()
        feature = self.feature
        if row is None or not row.id.startswith("clar:") or feature is None:
            self.app.bell()
            self.notify("select an open clarification (?) to answer it", timeout=2)
            return
        index = int(row.id.removeprefix("clar:"))
        if not 0 <= index < len(feature.clarifications):
            return
        clar = feature.clarifications[index]
        number = index + 1

        def answered(text: str | None) -> None:
            if not text:
                return
            try:
                change = self.session.edit(operations.clarify.answer, self.feature_id, number, text)
            except operations.OperationError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.rebuild()
            self.notify(change.describe(), timeout=2, markup=False)

        where = f"{clar.path}:{clar.line}"
        self.app.push_screen(screens.AnswerScreen(clar.text, where), answered)

    def action_undo(self) -> None:
        undo_or_redo(self, self.session, "undo")

    def action_redo(self) -> None:
        undo_or_redo(self, self.session, "redo")

    @on(OptionList.OptionSelected, "#review-items")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_jump(self) -> None:
        row = self.current_row()
        if row is None:
            return
        target = self._jump_target(row)
        if target is None:
            self.app.bell()
            return
        pane = self.query_one(DocPane)
        if target.path not in [p for _, p in pane.documents]:
            self.app.bell()
            return
        pane.jump_to(target.path, target.line)
        if self.has_class("-narrow"):
            self.add_class("-show-doc")
            pane.view.focus()

    def on_doc_pane_outline_requested(self, request: DocPane.OutlineRequested) -> None:
        screens.open_outline(self, request)

    def action_ignore(self) -> None:
        self.app.bell()

    def _jump_target(self, row: Row) -> Target | None:
        """A checklist item's first spec reference (``Spec §FR-001``, ``Spec §Edge Cases``),
        else the row's own place."""
        feature = self.feature
        if row.item is not None and feature is not None:
            for ref in row.item.refs:
                key = canon(ref)
                for req in feature.requirements:
                    if canon(req.id) == key:
                        return Target(req.path, req.line)
            for tag in row.item.tags:
                if tag.startswith("Spec §"):
                    target = self._section_target(feature, tag.removeprefix("Spec §"))
                    if target is not None:
                        return target
        return row.target

    def _section_target(self, feature: Feature, name: str) -> Target | None:
        spec = feature.documents.get("spec")
        if not spec:
            return None
        wanted = normalise(name)
        for h in feature.headings.get("spec", ()):
            if normalise(h.text) == wanted:
                return Target(spec, h.line)
        return None

    def action_close(self) -> None:
        if self.has_class("-show-doc"):
            self.remove_class("-show-doc")
            self.query_one(ReviewList).focus()
            return
        self.dismiss(None)


def _item_text(item: ChecklistItem) -> Text:
    t = Text(no_wrap=False, overflow="fold")
    t.append("  ")
    if item.checked:
        t.append("☑ ", "green")
    elif item.mark == " ":
        t.append("☐ ", "bold")
    else:
        t.append(f"[{safe(item.mark)}] ", "bold yellow")
    if item.id:
        t.append(f"{safe(item.id)} ", "bold")
    title = _strip_tags(item.text)
    t.append(safe(title), "dim" if item.checked else "")
    for tag in item.tags:
        t.append(" ")
        style = _TAG_STYLE.get(tag.strip().lower(), _BADGE)
        t.append(f" {safe(tag)} ", style)
    for ref in item.refs:
        t.append(f" §{safe(ref)}", "underline #7dcfff")
    return t


def _strip_tags(text: str) -> str:
    """The item's text without its trailing ``[Gap, Spec §FR-001]`` groups (shown as badges)."""
    rest = text.rstrip()
    while True:
        m = re.search(r"\s*\[([^\[\]]+)\]\s*$", rest)
        if not m or m.start() == 0:
            return rest
        rest = rest[: m.start()].rstrip()
