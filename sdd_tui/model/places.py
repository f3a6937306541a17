"""Features across places and time: the records the portfolio, the burn-up and the activity
feed hand to the CLI and the UI.

A *place* is where a copy of the workspace lives: the worktree sdd-tui runs in, another
``git worktree`` on disk, a local branch (its tip's tree, read from git objects) or a
remote-tracking branch.  A feature on several places is one row per place, never merged.
Times are epoch seconds (UTC); commits are full hex ids, ``None`` for the working tree.
"""

from __future__ import annotations

from sdd_tui.model.record import record
from sdd_tui.model.workspace import Feature

PLACE_KINDS = ("worktree", "branch", "remote")


@record
class Place:
    kind: str  # one of PLACE_KINDS
    name: str  # the branch ("main", "origin/x"); a detached worktree: "(detached 1a2b3c4)"
    path: str | None = None  # a worktree's folder on disk (absolute); None: git objects only
    current: bool = False  # the worktree sdd-tui runs in (the only one it writes to)
    commit: str | None = None  # the commit it shows; None: no commit yet

    @property
    def live(self) -> bool:
        """Read from disk (a worktree), not from git objects."""
        return self.path is not None


@record
class PortfolioRow:
    place: Place
    feature: Feature  # read-only (with ``branch``) unless the place is the current worktree
    stage: str  # operations.stage.STAGES
    done: int
    total: int
    in_progress: int
    open_clarifications: int
    failing_tests: int | None  # linked tests failing; None: no results in that place
    plan_stale: bool | None  # the spec changed after the plan/tasks; None: cannot tell
    changed_at: float | None  # the feature's last change (commit time, or mtime when dirty)
    changed_by: str | None  # its author ("" for an uncommitted change: the user)

    @property
    def read_only(self) -> bool:
        return not self.place.current


@record
class Portfolio:
    rows: tuple[PortfolioRow, ...]
    places: tuple[Place, ...]
    messages: tuple[str, ...] = ()  # git problems met on the way, one line each
    in_git: bool = True  # False: not in a git repository (the views say they need one)


@record
class BurnPoint:
    """Done and scope of a feature (or the portfolio) after one commit."""

    time: float
    commit: str | None  # None: the working tree
    done: int
    total: int


@record
class CycleTime:
    feature: str
    task: str
    started: float  # first commit where it was in progress (or first appeared)
    finished: float  # the commit that ticked it
    started_by: str  # "in-progress", "board", "appeared": what marked the start

    @property
    def days(self) -> float:
        return (self.finished - self.started) / 86400.0


@record
class Forecast:
    """A projection, labelled as one: the finish date at the last ``window_days``' rate."""

    remaining: int
    rate_per_day: float  # tasks done per day in the window
    finish: float | None  # None: no progress in the window (no finish in sight)
    window_days: int = 14


@record
class FeatureProgress:
    feature: str
    path: str  # the task file now (it may have had other names: ``renamed_from``)
    points: tuple[BurnPoint, ...]
    cycle_times: tuple[CycleTime, ...] = ()
    median_days: float | None = None
    p90_days: float | None = None
    forecast: Forecast | None = None
    renamed_from: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()


@record
class ActivityEntry:
    """A task that changed column in one commit (or in the working tree)."""

    commit: str | None  # None: uncommitted
    time: float
    author: str
    agent: str | None  # the agent that made it ("Claude", "agent:cursor"), None: a human
    feature: str
    task: str
    title: str
    from_column: str | None  # None: the task appeared
    to_column: str | None  # None: the task went away
    path: str  # the task file, root-relative, as of that commit
