"""Every feature in every place: key ``P``.

One row per feature per place — this worktree, the other worktrees on disk, each local
branch (its tip, read from git objects), with ``r`` the remote-tracking branches too — never
merged into one status.  The places are read in a thread (``operations.portfolio``); the
screen reads them again when the session's snapshot changes, so this worktree's rows follow
every edit.  ``enter`` returns the row: the workbench opens it (live for a worktree, read-only
for a branch).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from sdd_tui.model.places import Place, Portfolio, PortfolioRow
from sdd_tui.textsafe import safe
from sdd_tui.ui import timefmt
from sdd_tui.ui.cards import progress_bar
from sdd_tui.ui.screens.common import ReadsInThread, warnings_text
from sdd_tui.ui.session import Session
from sdd_tui.workspace.snapshot import Loaded

COLUMNS = ("Place", "Feature", "Stage", "Done", "Doing", "?", "Failing", "Plan", "Last change")
# Fixed widths (the place and feature columns fit their longest text, within bounds): the
# table measures nothing, so a refill never draws with the widths of an empty table.
WIDTHS = {"Stage": 9, "Done": 16, "Doing": 5, "?": 3, "Failing": 7, "Plan": 12, "Last change": 26}


def column_widths(rows: list[PortfolioRow]) -> list[int]:
    place = max((place_label(r.place).cell_len for r in rows), default=10)
    feature = max((len(safe(r.feature.id)) + 11 * r.feature.archived for r in rows), default=10)
    fitted = {"Place": min(max(place, 5), 36), "Feature": min(max(feature, 7), 44)}
    return [fitted.get(name) or WIDTHS[name] for name in COLUMNS]


_MARKS = {"worktree": "⌂", "branch": "⎇", "remote": "☁"}


def place_label(place: Place) -> Text:
    """The place with its kind's mark; this worktree in bold with "(here)"."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(_MARKS.get(place.kind, "·") + " ", "dim")
    text.append(safe(place.name), "bold" if place.current else "")
    if place.current:
        text.append(" (here)", "green")
    elif place.kind == "worktree" and place.path:
        text.append(f" {safe(Path(place.path).name)}", "dim")
    return text


def row_cells(row: PortfolioRow, at: float) -> list[Text]:
    """The row's cells in ``COLUMNS`` order; workspace text is shown literally."""
    done = Text(no_wrap=True)
    done.append_text(progress_bar(row.done, row.total, 8))
    done.append(f" {row.done}/{row.total}", "dim")
    feature = Text(safe(row.feature.id), no_wrap=True, overflow="ellipsis")
    if row.feature.archived:
        feature.append(" (archived)", "dim")
    clarifications = row.open_clarifications
    clar = Text(str(clarifications), "bold yellow") if clarifications else Text("")
    if row.failing_tests is None:
        failing = Text("–", "dim")
    elif row.failing_tests:
        failing = Text(f"✗ {row.failing_tests}", "bold red")
    else:
        failing = Text("✔", "green")
    stale = Text("may be stale", "yellow") if row.plan_stale else Text("")
    change = Text(timefmt.ago(row.changed_at, at), no_wrap=True)
    if row.changed_by is not None:
        change.append(" · ", "dim")
        change.append(safe(row.changed_by) if row.changed_by else "uncommitted", "dim")
    doing = Text(str(row.in_progress), "bold") if row.in_progress else Text("")
    return [
        place_label(row.place),
        feature,
        Text(row.stage),
        done,
        doing,
        clar,
        failing,
        stale,
        change,
    ]


def place_order(place: Place) -> tuple[int, str]:
    """This worktree first, then the other worktrees, the branches, the remote ones."""
    rank = 0 if place.current else 1 + ("worktree", "branch", "remote").index(place.kind)
    return (rank, place.name)


class PortfolioScreen(ReadsInThread, ModalScreen[PortfolioRow | None]):
    """Pick a feature in any place; returns its row."""

    BINDINGS = [
        Binding("escape,q,P", "close", "Close"),
        Binding("r", "remotes", "Remotes", tooltip="Show or hide remote-tracking branches"),
        Binding("ctrl+r", "refresh", "Read again", show=False),
    ]
    DEFAULT_CSS = """
    PortfolioScreen { align: center middle; }
    PortfolioScreen > Vertical {
        width: 100%; height: 100%; border: round $primary; background: $surface;
    }
    PortfolioScreen DataTable { height: 1fr; }
    PortfolioScreen #portfolio-title { padding: 0 1; text-style: bold; }
    PortfolioScreen #portfolio-messages { padding: 0 1; color: $warning; height: auto; }
    PortfolioScreen .hint { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: Session, *, remotes: bool = False) -> None:
        super().__init__()
        self.session = session
        self.remotes = remotes
        self.portfolio: Portfolio | None = None
        self._rows: dict[str, PortfolioRow] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Portfolio — reading branches and worktrees…", id="portfolio-title")
            yield DataTable(id="portfolio-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="portfolio-messages")
            yield Static(
                "enter open · r remote branches · esc close   "
                "⌂ worktree (live) · ⎇ branch (read-only) · ☁ remote (read-only)",
                classes="hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.focus()
        self._read()

    def _start_read(self, asked: int) -> None:
        self._read_places(asked, self.session.loaded, self.remotes)

    @work(
        thread=True, exclusive=True, group="portfolio", exit_on_error=False, description="portfolio"
    )
    def _read_places(self, asked: int, loaded: Loaded, remotes: bool) -> None:
        from sdd_tui.operations.portfolio import read_portfolio

        try:  # this worktree's rows from the session's snapshot: not read a second time
            portfolio = read_portfolio(loaded.root, remotes=remotes, current=loaded)
        except Exception as exc:  # never a traceback on screen: what went wrong, in a line
            portfolio = Portfolio((), (), (f"cannot read the portfolio: {exc}",))
        self.app.call_from_thread(self._show, asked, portfolio)

    def _show(self, asked: int, portfolio: Portfolio) -> None:
        if not self._is_newest(asked):
            return
        self.portfolio = portfolio
        table = self.query_one(DataTable)
        keep = None
        if table.row_count and table.cursor_row is not None:
            try:
                keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:
                keep = None
        rows = sorted(portfolio.rows, key=lambda r: place_order(r.place))
        table.clear(columns=True)
        for name, width in zip(COLUMNS, column_widths(rows), strict=True):
            table.add_column(name, width=width)
        self._rows = {}
        at = timefmt.now()
        for row in rows:  # a feature ID is unique within a place
            key = f"{row.place.kind}:{row.place.name}:{row.feature.id}"
            self._rows[key] = row
            table.add_row(*row_cells(row, at), key=key)
        if keep is not None and keep in self._rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._title(portfolio, len(rows))
        self.query_one("#portfolio-messages", Static).update(warnings_text(portfolio.messages))

    def _title(self, portfolio: Portfolio, count: int) -> None:
        title = Text()
        if not portfolio.in_git:
            title.append("The portfolio needs a git repository", "bold yellow")
            title.append(
                "   it shows each branch's and worktree's features; this folder is in none "
                "(git init makes one)",
                "dim",
            )
        else:
            places = len(portfolio.places)
            title.append("Portfolio", "bold")
            title.append(
                f"   {count} feature row{'s' if count != 1 else ''} in {places} "
                f"place{'s' if places != 1 else ''}"
                + ("" if self.remotes else " (remote branches hidden: r)"),
                "dim",
            )
        self.query_one("#portfolio-title", Static).update(title)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self._rows.get(str(event.row_key.value))
        if row is not None:
            self.dismiss(row)

    def action_remotes(self) -> None:
        self.remotes = not self.remotes
        self.notify(
            "remote-tracking branches shown" if self.remotes else "remote-tracking branches hidden",
            timeout=2,
        )
        self._read()
