"""Who moved which task where: key ``i``.

Every commit that moved boxes, newest first, uncommitted moves on top and marked as such;
agents (by ``Co-authored-by:`` trailers, known names, the config's list, ``agent:`` authors in
the history) are told from humans.  ``f`` switches between this feature and all of them;
``enter`` shows that commit's diff of the task file.  Read in a thread
(``operations.activity``), again when the session's snapshot changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from sdd_tui.ui.screens.common import FollowsSession, set_options_keeping
from sdd_tui.ui.session import Session, SnapshotChanged


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


class ActivityScreen(FollowsSession, ModalScreen[None]):
    """The activity feed of one feature or of all; ``enter`` shows a commit's diff."""

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
        self.feed: Any = None
        self._entries: dict[str, ActivityEntry] = {}
        self._asked = 0

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

    def _snapshot_changed(self, change: SnapshotChanged) -> None:
        if change.workspace_changed:
            self._read()

    @property
    def scope(self) -> str | None:
        return None if self.all_features else self.feature_id

    def _read(self) -> None:
        self._asked += 1
        self._read_feed(self._asked, self.session.loaded.root, self.scope)

    @work(
        thread=True, exclusive=True, group="activity", exit_on_error=False, description="activity"
    )
    def _read_feed(self, asked: int, root: Path, feature: str | None) -> None:
        from sdd_tui.operations.activity import read_activity

        try:
            feed: Any = read_activity(root, feature, loaded=self.session.loaded)
            error = None
        except Exception as exc:  # never a traceback on screen
            feed, error = None, f"cannot read the activity: {exc}"
        self.app.call_from_thread(self._show, asked, feed, error)

    def _show(self, asked: int, feed: Any, error: str | None) -> None:
        if asked != self._asked or not self.is_mounted:
            return
        self.feed = feed
        title = Text()
        messages = [error] if error else list(getattr(feed, "messages", ()) or ())
        entries: list[ActivityEntry] = list(getattr(feed, "entries", ()) or ())
        where = "all features" if self.scope is None else safe(self.scope)
        if feed is not None and not getattr(feed, "in_git", True):
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
                    entry_text(entry, at, show_feature=self.scope is None, titles=titles),
                    id=option_id,
                )
            )
        set_options_keeping(self.query_one(OptionList), options)
        lines = Text()
        for message in messages:
            if lines:
                lines.append("\n")
            lines.append("⚠ " + safe(str(message)))
        self.query_one("#activity-messages", Static).update(lines)

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
        self._read()

    def action_refresh(self) -> None:
        self._read()

    def action_close(self) -> None:
        self.dismiss(None)
