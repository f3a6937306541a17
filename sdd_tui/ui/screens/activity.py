"""Who moved which task where: key ``i``.

Every commit that moved boxes, newest first, uncommitted moves on top and marked as such;
agents (by ``Co-authored-by:`` trailers, known names, the config's list, ``agent:`` authors in
the history) are told from humans.  ``f`` switches between this feature and all of them;
``enter`` shows that commit's diff of the task file.  Read in a thread
(``operations.activity``), again when the session's snapshot changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.model.places import ActivityEntry
from sdd_tui.textsafe import safe
from sdd_tui.ui import timefmt
from sdd_tui.ui.screens.common import ReadsInThread, set_options_keeping, warnings_text
from sdd_tui.ui.session import Session

if TYPE_CHECKING:
    from sdd_tui.operations.activity import ActivityFeed
    from sdd_tui.workspace.snapshot import Loaded


def column_name(column: str | None, appeared: bool, titles: dict[str, str]) -> str:
    """A column as the board titles it ("In Progress"); a task that came or went."""
    if column is None:
        return "(new)" if appeared else "(removed)"
    return safe(titles.get(column, column))


def entry_text(
    entry: ActivityEntry, at: float, *, show_feature: bool, titles: dict[str, str]
) -> Text:
    """One line: when, who (the agent marked), the task and where it went."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if entry.commit is None:
        text.append("● uncommitted ", "bold yellow")
    else:
        text.append(f"{entry.commit[:7]} ", "dim")
    text.append(f"{timefmt.minute(entry.time)} ", "dim")
    text.append(f"{timefmt.ago(entry.time, at):>8}  ", "dim")
    if entry.agent:
        text.append(f"⚙ {safe(entry.agent)}", "bold magenta")
        if entry.author and entry.author.lower() != entry.agent.lower():
            text.append(f" ({safe(entry.author)})", "dim")
    else:
        text.append(safe(entry.author) or "you", "bold")
    text.append("  ")
    if show_feature:
        text.append(safe(entry.feature), "cyan")
        text.append(" ")
    text.append(safe(entry.task), "bold")
    text.append(" ")
    text.append(column_name(entry.from_column, True, titles), "dim")
    text.append(" → ")
    text.append(column_name(entry.to_column, False, titles), _column_style(entry.to_column))
    if entry.title:
        text.append("  ")
        text.append(safe(entry.title), "italic")
    return text


def _column_style(column: str | None) -> str:
    if column is None:
        return "dim"
    return "bold green" if column.lower() == "done" else "bold"


class ActivityScreen(ReadsInThread, ModalScreen[None]):
    """The activity feed of one feature or of all; ``enter`` shows a commit's diff.  Every
    feature's feed is read at once; ``f`` only changes which entries are listed."""

    BINDINGS = [
        Binding("escape,q,i", "close", "Close"),
        Binding("f", "scope", "This feature / all"),
        Binding("ctrl+r", "refresh", "Read again", show=False),
    ]
    DEFAULT_CSS = """
    ActivityScreen { align: center middle; }
    ActivityScreen > Vertical {
        width: 100%; height: 100%; border: round $primary; background: $surface;
    }
    ActivityScreen OptionList { height: 1fr; border: none; }
    ActivityScreen #activity-title { padding: 0 1; text-style: bold; }
    ActivityScreen #activity-messages { padding: 0 1; color: $warning; height: auto; }
    ActivityScreen .hint { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: Session, feature_id: str | None) -> None:
        super().__init__()
        self.session = session
        self.feature_id = feature_id
        self.all_features = feature_id is None
        self.feed: ActivityFeed | None = None
        self.error: str | None = None
        self._entries: dict[str, ActivityEntry] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Activity — reading git history…", id="activity-title")
            yield OptionList(id="activity")
            yield Static(id="activity-messages")
            yield Static(
                "enter the commit's diff · f this feature / all · esc close   "
                "⚙ an agent · ● not committed yet",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._read()

    @property
    def scope(self) -> str | None:
        return None if self.all_features else self.feature_id

    def _start_read(self, asked: int) -> None:
        self._read_feed(asked, self.session.loaded)

    @work(
        thread=True, exclusive=True, group="activity", exit_on_error=False, description="activity"
    )
    def _read_feed(self, asked: int, loaded: Loaded) -> None:
        from sdd_tui.operations.activity import read_activity

        feed, error = None, None
        try:
            feed = read_activity(loaded.root, loaded=loaded)
        except Exception as exc:  # never a traceback on screen
            error = f"cannot read the activity: {exc}"
        self.app.call_from_thread(self._show, asked, feed, error)

    def _show(self, asked: int, feed: ActivityFeed | None, error: str | None) -> None:
        if self._is_newest(asked):
            self.feed, self.error = feed, error
            self._draw()

    def _draw(self) -> None:
        feed, scope = self.feed, self.scope
        title = Text()
        messages = [self.error] if self.error else list(feed.messages if feed else ())
        entries = [e for e in (feed.entries if feed else ()) if scope in (None, e.feature)]
        where = "all features" if scope is None else safe(scope)
        if feed is not None and not feed.in_git:
            title.append("The activity feed needs a git repository", "bold yellow")
            title.append("   it is read from the commits that moved tasks", "dim")
        else:
            title.append("Activity", "bold")
            title.append(f" — {where}", "bold")
            title.append(
                f"   {len(entries)} move{'s' if len(entries) != 1 else ''}"
                + ("" if entries else ": no commit moved a task yet"),
                "dim",
            )
        self.query_one("#activity-title", Static).update(title)
        at = timefmt.now()
        titles = self.session.workspace.column_titles
        options: list[Option] = []
        self._entries = {}
        for i, entry in enumerate(entries):
            option_id = f"e{i}:{entry.commit or 'wt'}:{entry.feature}:{entry.task}"
            self._entries[option_id] = entry
            options.append(
                Option(
                    entry_text(entry, at, show_feature=scope is None, titles=titles),
                    id=option_id,
                )
            )
        set_options_keeping(self.query_one(OptionList), options)
        self.query_one("#activity-messages", Static).update(warnings_text(messages))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._entries.get(event.option.id or "")
        if entry is not None:
            self._show_diff(entry)

    def _show_diff(self, entry: ActivityEntry) -> None:
        from sdd_tui import workspace
        from sdd_tui.ui import screens

        root = self.session.loaded.root
        if entry.commit is None:
            text = workspace.git.diff(root, entry.path)
            title = f"{entry.path} — uncommitted"
        else:
            from sdd_tui.operations.activity import commit_diff

            text = commit_diff(root, entry.commit, entry.path)
            title = f"{entry.path} — {entry.commit[:10]}"
        self.app.push_screen(screens.DiffScreen(safe(title), text))

    def action_scope(self) -> None:
        if self.feature_id is None:
            self.notify("no feature is open: the feed shows all of them", timeout=2)
            return
        self.all_features = not self.all_features
        self._draw()
