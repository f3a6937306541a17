"""A document pane: tabs for the feature's documents above a fast Markdown view."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Tab, Tabs

from sdd_tui.model.workspace import Problem
from sdd_tui.ui.markdown_lines import Palette, render_lines
from sdd_tui.ui.widgets.document_view import DocumentView
from sdd_tui.workspace.documents import ParsedDoc

Reader = Callable[[str], "ParsedDoc | Problem"]


class DocPane(Vertical):
    """Shows one of several documents (label, root-relative path)."""

    BINDINGS = [
        Binding("o", "outline", "Outline"),
        Binding("[", "tab(-1)", "Prev doc", show=False),
        Binding("]", "tab(1)", "Next doc", show=False),
    ]

    DEFAULT_CSS = """
    DocPane > Tabs { height: 2; }
    DocPane > Tabs.-single { display: none; }
    DocPane > DocumentView { height: 1fr; }
    """

    def __init__(self, role: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.role = role
        self.documents: list[tuple[str, str]] = []
        self.current: str | None = None
        self.doc: ParsedDoc | None = None
        self._reader: Reader | None = None
        self._palette = Palette()
        self._rendered_palette: Palette | None = None
        self._highlights: set[int] = set()
        # Tabs.clear() removes the old tabs later (it is awaitable), so every new set of
        # tabs gets ids of its own: re-using "spec-doc-0" at once raises DuplicateIds.
        self._tab_set = 0

    def compose(self) -> ComposeResult:
        yield Tabs(id=f"{self.role}-tabs")
        yield DocumentView(id=f"{self.role}-view")

    def _tab_id(self, index: int) -> str:
        return f"{self.role}-doc-{self._tab_set}-{index}"

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    def set_documents(
        self,
        documents: list[tuple[str, str]],
        reader: Reader,
        palette: Palette,
        *,
        empty: str,
        keep: bool = False,
    ) -> None:
        """Show ``documents``; with ``keep`` stay on the current one and its scroll."""
        self._reader = reader
        self._palette = palette
        same = [p for _, p in documents] == [p for _, p in self.documents]
        self.documents = documents
        tabs = self.query_one(Tabs)
        if not same:
            tabs.clear()
            self._tab_set += 1
            for i, (label, _) in enumerate(documents):
                tabs.add_tab(Tab(label, id=self._tab_id(i)))
        tabs.set_class(len(documents) <= 1, "-single")
        if not documents:
            self.current = None
            self.doc = None
            self.view.set_message(empty)
            return
        paths = [p for _, p in documents]
        target = self.current if keep and self.current in paths else paths[0]
        self._load(target, keep_scroll=keep and target == self.current)
        if not same or not keep:
            tabs.active = self._tab_id(paths.index(target))

    def _load(self, path: str, *, keep_scroll: bool = False) -> None:
        self.current = path
        if self._reader is None:
            return
        result = self._reader(path)
        if isinstance(result, Problem):
            self.doc = None
            self.view.set_message(f"Cannot show {path}: {result.message}")
            return
        if keep_scroll and result is self.doc and self._palette == self._rendered_palette:
            return  # same bytes, same colours: the view already shows it (a board move)
        self.doc = result
        self._rendered_palette = self._palette
        self.view.set_lines(
            render_lines(result.src.lines, result.md, self._palette), keep_scroll=keep_scroll
        )

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        event.stop()
        tab_id = event.tab.id or ""
        prefix = self._tab_id(0)[:-1]
        if not tab_id.startswith(prefix):
            return  # a tab of an earlier document list, on its way out
        try:
            index = int(tab_id.removeprefix(prefix))
        except ValueError:
            return
        if 0 <= index < len(self.documents):
            path = self.documents[index][1]
            if path != self.current:
                self._load(path)

    def action_tab(self, delta: int) -> None:
        if len(self.documents) > 1:
            tabs = self.query_one(Tabs)
            if delta > 0:
                tabs.action_next_tab()
            else:
                tabs.action_previous_tab()

    class OutlineRequested(Message):
        """``o``: the document's headings and open clarifications, to pick one to jump to."""

        def __init__(self, pane: DocPane, title: str, entries: list[tuple[int, int, str]]) -> None:
            super().__init__()
            self.pane = pane
            self.title = title
            self.entries = entries  # (0-based line, heading level or 0, text)

    def action_outline(self) -> None:
        if self.doc is None:
            self.app.bell()
            return
        entries = [(h.line, h.level, h.text) for h in self.doc.md.headings]
        from sdd_tui.formats.requirements import struck_spans

        for i, line in enumerate(self.doc.src.lines):
            if "NEEDS CLARIFICATION:" not in line.upper() or self.doc.md.code[i]:
                continue
            at = line.upper().index("NEEDS CLARIFICATION:")
            if not any(start <= at < end for start, end in struck_spans(line)):
                entries.append((i, 0, line.strip()))  # an open question, not a withdrawn one
        entries.sort()
        self.post_message(self.OutlineRequested(self, f"Outline · {self.current}", entries))

    def jump_to_line(self, line: int) -> None:
        """Scroll the view to 0-based ``line`` and focus it."""
        self.view.jump_to_line(line)
        self.view.focus()

    def jump_to(self, path: str, line: int) -> None:
        """Show ``path`` and jump to 1-based ``line``."""
        paths = [p for _, p in self.documents]
        if path in paths and path != self.current:
            self.query_one(Tabs).active = self._tab_id(paths.index(path))
            self._load(path)
        self.view.jump_to_line(line - 1)
