"""The workbench's other views: what opens over it, and the palette.

Problems (``p``), the feature switcher (``f``), review mode (``c``), the requirements view
(``r``), help and the document outline.  A mixin of :class:`WorkbenchScreen`: each view is
given what it needs (the session, a reader, a palette) and the workbench shows what it
returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from sdd_tui.textsafe import safe
from sdd_tui.ui import screens, widgets
from sdd_tui.ui.widgets.board import BoardView, CardList

if TYPE_CHECKING:
    from sdd_tui.ui.session import Session


class WorkbenchViews:
    """Mixin for the workbench screen: the views pushed over it."""

    session: Session
    feature_id: str | None

    def on_doc_pane_outline_requested(self, request: widgets.DocPane.OutlineRequested) -> None:
        screens.open_outline(self, request)

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        binding_rows = screens.binding_rows
        return [
            ("Board", binding_rows(BoardView.BINDINGS) + binding_rows(CardList.BINDINGS)),
            (
                "Documents",
                binding_rows(widgets.DocPane.BINDINGS)
                + [("j,k,pageup,pagedown", "Scroll"), ("g,G", "Top / bottom")],
            ),
            (
                "Workbench",
                binding_rows(self.app.BINDINGS)
                + binding_rows(self.BINDINGS)
                + [
                    ("ctrl+p", "Command palette"),
                    ("tab,shift+tab", "Next / previous pane"),
                    ("escape", "Close a screen, clear the filter"),
                ],
            ),
        ]

    def action_lanes(self) -> None:
        """``w``: the feature's open tasks in waves that can run side by side."""
        feature = self.feature
        if feature is None:
            self.app.bell()
            return
        self.app.push_screen(
            screens.LanesScreen(self.session, feature.id),
            lambda _: self.refresh_all(keep=True),
        )

    def action_problems(self) -> None:
        if self._when_ready(self.action_problems):
            return  # every feature's problems, not only the first one's
        self.app.push_screen(screens.ProblemsScreen(self.session), self._show_place)

    def _show_place(self, place: tuple[str, int] | None) -> None:
        """Show ``path`` at 1-based ``line``: in the spec or plan pane when it is one of the
        feature's documents (switching to the feature that holds it), the board for its task
        file, else in the editor."""
        if place is None:
            return
        path, line = place
        owner = max(
            (
                f
                for f in self.loaded.workspace.features
                if f.path and (path == f.path or path.startswith(f.path + "/"))
            ),
            key=lambda f: len(f.path),
            default=None,
        )
        if owner is not None and owner.id != self.feature_id:
            self.switch_feature(owner.id)
        feature = self.feature
        if feature is not None and path == feature.documents.get("tasks"):
            self.action_pane("board")
            return
        for name in ("spec", "plan"):
            pane = self._doc_pane(name)
            if path in [p for _, p in pane.documents]:
                self.action_pane(name)
                pane.jump_to(path, line)
                return
        self._edit(path, line)

    def action_switch_feature(self) -> None:
        if self._when_ready(self.action_switch_feature):
            return  # the list needs every feature

        def chosen(feature_id: str | None) -> None:
            if feature_id:
                self.switch_feature(feature_id)

        self.app.push_screen(
            screens.FeatureSwitcher(self.session.all_features(), self.feature_id), chosen
        )

    def switch_feature(self, feature_id: str) -> None:
        if feature_id not in {f.id for f in self.session.all_features().features}:
            return
        self.feature_id = feature_id
        board = self.query_one(BoardView)
        board.filter_text = ""
        if self._panes_ready:
            self.query_one("#filter", Input).value = ""
        self.refresh_all(keep=False)
        board.select_first_todo()

    def action_reload(self) -> None:
        self._reload_all()
        self.notify("reloaded", timeout=1)

    def action_review(self) -> None:
        if self._when_ready(self.action_review):
            return
        feature = self.feature
        if feature is None:
            self.app.bell()
            self.notify("no feature to review", severity="warning")
            return
        screen = screens.ReviewScreen(self.session, feature.id, self.read_document, self.palette())
        self.app.push_screen(screen, lambda _: self.refresh_all(keep=True))

    def action_requirements(self) -> None:
        if self._when_ready(self.action_requirements):
            return
        feature = self.feature
        if feature is None:
            self.app.bell()
            return

        def chosen(target: tuple[str, int] | None) -> None:
            if target is None:
                return
            path, line = target
            pane = self._doc_pane("spec")
            if path not in [p for _, p in pane.documents]:
                self.notify(f"{safe(path)} is not shown in the spec pane", markup=False)
                return
            self.action_pane("spec")
            pane.jump_to(path, line)

        results = self.session.results.results
        self.app.push_screen(
            screens.RequirementsScreen(self.loaded.workspace, feature, results), chosen
        )

    def commands(self):  # type: ignore[no-untyped-def]
        from sdd_tui.ui.commands import workbench_commands

        return workbench_commands(self)
