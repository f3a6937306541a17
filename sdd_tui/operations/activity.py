"""The activity feed: every commit that moved tasks between columns — when, who, which tasks
went where — newest first, the working tree's uncommitted moves on top.

From the same replay as the burn-up (``operations.timeline``).  A task that appeared after
its file's first version is an entry from nowhere (``from_column=None``), one that went away
an entry to nowhere; the tasks a file was created with are not (its creation is not a move).

Agents are told from people by, in order: the author's name or the local part of its email
naming a known agent (``KNOWN_AGENTS`` and the config's ``agents:`` list; a case-insensitive
match of whole words, so "copilot-swe-agent[bot]" and "Amazon Q Developer" are agents and
"Claudette" is not), a ``Co-authored-by:`` trailer naming one, and ``.sdd/history.jsonl``
entries by ``agent:<name>`` for that task and column made since the version before (for an
uncommitted move the history is the only witness).
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from sdd_tui.model.places import ActivityEntry
from sdd_tui.model.record import record
from sdd_tui.operations.history_log import read_history
from sdd_tui.operations.timeline import Replay, Timeline, replay
from sdd_tui.workspace import git_history
from sdd_tui.workspace.snapshot import Loaded

KNOWN_AGENTS = ("Claude", "Copilot", "Codex", "Gemini", "Cursor", "Kiro", "Amazon Q", "Devin")


@record
class ActivityFeed:
    entries: tuple[ActivityEntry, ...]  # newest first, uncommitted (``commit=None``) on top
    messages: tuple[str, ...] = ()
    in_git: bool = True


def read_activity(
    root: Path, feature: str | None = None, *, loaded: Loaded | None = None
) -> ActivityFeed:
    """The feed of the worktree's features (or ``feature``'s).  Blocking; git's trouble is
    in ``messages``, outside a repository ``in_git`` is False."""
    timeline = replay(root, feature, loaded=loaded)
    return activity_of(timeline, read_history(timeline.root) if timeline.in_git else [])


def commit_diff(root: Path, commit: str, path: str) -> str:
    """What ``commit`` changed in the task file ``path`` (root-relative, as of that commit):
    ``git show`` limited to it, without external diff drivers or textconv filters."""
    return git_history.commit_diff(root, commit, path)


@lru_cache(maxsize=32)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted(
        (r"[\s_.-]*".join(re.escape(w) for w in n.split()) for n in names if n.split()),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<![a-z0-9])(" + "|".join(alts) + r")(?![a-z0-9])", re.IGNORECASE)


def agent_name(text: str, extra: Sequence[str] = ()) -> str | None:
    """The agent ``text`` (an author name or an email's local part) names, spelled as in
    the list; None for a person."""
    names = (*KNOWN_AGENTS, *extra)
    m = _pattern(tuple(names)).search(text)
    if m is None:
        return None
    found = re.sub(r"[\s_.-]+", " ", m.group(1)).lower()
    for n in names:
        if " ".join(n.split()).lower() == found:
            return n
    return m.group(1)


def _person_agent(ident: str, extra: Sequence[str]) -> str | None:
    """``Name <email>`` or a bare name: the agent it names, if any."""
    name, _, rest = ident.partition("<")
    local = rest.split("@", 1)[0]
    return agent_name(name, extra) or (agent_name(local, extra) if local else None)


def commit_agent(
    author: str, email: str, coauthors: Iterable[str], extra: Sequence[str] = ()
) -> str | None:
    """The agent of a commit: its author, else a ``Co-authored-by:`` trailer."""
    found = agent_name(author, extra) or agent_name(email.split("@", 1)[0], extra)
    if found:
        return found
    for co in coauthors:
        found = _person_agent(co, extra)
        if found:
            return found
    return None


def _epoch(stamp: Any) -> float | None:
    """``2026-03-01T09:30:00.123Z`` (history.jsonl's time) as epoch seconds."""
    if not isinstance(stamp, str) or len(stamp) < 19:
        return None
    try:
        whole = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None
    frac = stamp[19:].rstrip("Z")
    try:
        return whole + (float(frac) if frac.startswith(".") else 0.0)
    except ValueError:
        return float(whole)


class _History:
    """history.jsonl's moves by feature and task, with their times."""

    def __init__(self, entries: Iterable[dict[str, Any]]) -> None:
        self.by_task: dict[tuple[str, str], list[tuple[float, str | None, str]]] = {}
        for e in entries:
            t = _epoch(e.get("time"))
            feature, task, author = e.get("feature"), e.get("task"), e.get("author")
            if t is None or not isinstance(feature, str) or not isinstance(task, str):
                continue
            to = e.get("to") if isinstance(e.get("to"), str) else None
            who = author if isinstance(author, str) else ""
            self.by_task.setdefault((feature, task), []).append((t, to, who))

    def author(self, feature: str, task: str, to: str | None, after: float, until: float) -> str:
        """The author of the latest history entry moving ``task`` to ``to`` in the time
        window (after, until]; "" when none."""
        best = ""
        for t, dest, who in self.by_task.get((feature, task), ()):
            if after < t <= until and (dest is None or to is None or dest == to):
                best = who
        return best


def activity_of(timeline: Timeline, history: Iterable[dict[str, Any]] = ()) -> ActivityFeed:
    hist = _History(history)
    entries: list[ActivityEntry] = []
    for rep in timeline.replays:
        entries += _entries(rep, hist, timeline.agents)
    # newest first; the working tree above every commit; within a version, file order
    order = sorted(
        range(len(entries)),
        key=lambda i: (entries[i].commit is not None, -entries[i].time, i),
    )
    return ActivityFeed(tuple(entries[i] for i in order), timeline.messages, timeline.in_git)


def _entries(rep: Replay, hist: _History, extra: Sequence[str]) -> list[ActivityEntry]:
    out: list[ActivityEntry] = []
    before = 0.0
    committed = [v.time for v in rep.versions if v.commit is not None]
    head_time = committed[-1] if committed else 0.0
    for v in rep.versions:
        agent = commit_agent(v.author, v.email, v.coauthors, extra) if v.commit else None
        for key, title, frm, to, _mark in v.moves:
            if frm is None and v.first:
                continue  # the tasks the file was created with: not moves
            author, who = v.author, agent
            if v.commit is None:
                logged = hist.author(rep.feature, key, to, head_time, float("inf"))
                if logged:
                    author = logged
            else:
                logged = hist.author(rep.feature, key, to, before, v.time)
            if who is None and logged.startswith("agent:"):
                who = logged
            out.append(
                ActivityEntry(
                    commit=v.commit,
                    time=v.time,
                    author=author,
                    agent=who,
                    feature=rep.feature,
                    task=key,
                    title=title,
                    from_column=frm,
                    to_column=to,
                    path=v.path,
                )
            )
        before = v.time
    return out


def activity_json(feed: ActivityFeed) -> dict[str, Any]:
    from sdd_tui.operations.progress_history import iso

    return {
        "in_git": feed.in_git,
        "messages": list(feed.messages),
        "entries": [
            {
                "commit": e.commit or "uncommitted",
                "time": iso(e.time),
                "author": e.author,
                "agent": e.agent,
                "feature": e.feature,
                "task": e.task,
                "title": e.title,
                "from": e.from_column,
                "to": e.to_column,
                "path": e.path,
            }
            for e in feed.entries
        ],
    }
