"""The workbench's views across places and time: the portfolio (``P``), progress — the
burn-up, cycle times and a forecast (``B``) — and the activity feed (``i``).

A mixin of :class:`WorkbenchScreen`.  Each view reads git in its own thread and returns what
the user chose; the workbench acts on it: a row of this worktree switches the feature, a row
of another worktree asks the app to open that folder (live), a branch's row is shown
read-only from git objects (the session's ``open_elsewhere``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdd_tui.ui import screens

if TYPE_CHECKING:
    from sdd_tui.model.places import PortfolioRow
    from sdd_tui.model.workspace import Feature
    from sdd_tui.ui.session import Session


class WorkbenchPlaces:
    """Mixin for the workbench screen: portfolio, progress and activity."""

    session: Session
    feature_id: str | None

    if TYPE_CHECKING:

        @property
        def feature(self) -> Feature | None: ...

        def switch_feature(self, feature_id: str) -> None: ...

    def action_portfolio(self) -> None:
        """``P``: every feature on every branch and worktree."""
        self.app.push_screen(  # type: ignore[attr-defined]
            screens.PortfolioScreen(self.session), self.open_portfolio_row
        )

    def open_portfolio_row(self, row: PortfolioRow | None) -> None:
        if row is None:
            return
        place, feature = row.place, row.feature
        if place.current:
            self.switch_feature(feature.id)
            return
        if place.live:
            from sdd_tui.operations.portfolio import place_root

            folder = place_root(self.session.loaded.root, place)
            open_root = getattr(self.app, "open_root", None)  # type: ignore[attr-defined]
            if folder is not None and open_root is not None:
                open_root(folder, feature=feature.id)
                return
        shown = self.session.open_elsewhere(feature, place.commit)
        self.switch_feature(shown)
        self.notify(  # type: ignore[attr-defined]
            f"{feature.id} as {place.name} has it: read-only", timeout=3, markup=False
        )

    def action_progress(self) -> None:
        """``B``: the burn-up of the feature (or all of them), cycle times, a forecast."""
        self.app.push_screen(  # type: ignore[attr-defined]
            screens.ProgressScreen(self.session, self.feature_id)
        )

    def action_activity(self) -> None:
        """``i``: who moved which task where, commit by commit; uncommitted moves on top."""
        self.app.push_screen(  # type: ignore[attr-defined]
            screens.ActivityScreen(self.session, self.feature_id)
        )
