"""The one replay of task files through git history that the burn-up, cycle times and the
activity feed are computed from.

For each feature of the current worktree: the versions of its task file — every first-parent
commit that touched it (following renames) or changed its entries in ``.sdd/board.json`` —
each with the task states it held (key → column, title, mark), stored as the moves from the
version before; then the working tree as a last version when it differs from HEAD.

A task's column at a commit is decided as the loader decides it today: the file's task rows
(``facts_from``) placed by ``formats.tasks.tasks_from_rows`` with the board.json of the same
commit, the layout's ``native_in_progress`` and the source's in-progress sections.

Cost.  Most commits of a task file only tick boxes.  A version whose bytes equal the version
before once every box mark is blanked (its *skeleton*) has the same rows with other marks, so
it is not parsed: the marks are read with one regex and only the rows whose mark changed are
placed again.  Any other change parses the file (``STATS["parsed"]``).  Blobs come through
one ``git cat-file --batch`` kept open, each when it is needed.  The replay is cached per
feature keyed by the commit it reached (``workspace/replay_cache.py``); when HEAD moved on
from it, only the new commits are replayed.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sdd_tui import formats
from sdd_tui.formats.board_state import load_board
from sdd_tui.formats.tasks import tasks_from_rows
from sdd_tui.layouts import layout_of
from sdd_tui.model.items import DONE_MARKS
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Columns, Feature
from sdd_tui.workspace import git_history
from sdd_tui.workspace.facts import TASKS, facts_from
from sdd_tui.workspace.git_history import FileCommit, HistoryError, RepoState
from sdd_tui.workspace.replay_cache import read_replays, write_replays
from sdd_tui.workspace.snapshot import BOARD_PATH, Loaded

NEEDS_GIT = "history needs a git repository (this folder is not in one)"
# A merge's moves are credited to the merged commits' authors too (one ``git log`` each): at
# most this many merges per replay (the replay is cached, so a later one sees no more).
MAX_MERGE_LOOKUPS = 200

# (key, title, from column, to column, mark after): a task that changed column, appeared
# (from None) or went away (to None, mark "").
Move = tuple[str, str, str | None, str | None, str]
# key -> (column, title, mark)
State = dict[str, tuple[str, str, str]]

# Work done by replays in this process: "parsed" (task files parsed in full), "patched"
# (versions read through the skeleton), "commits" (versions replayed).  Tests count parses.
STATS: dict[str, int] = {"parsed": 0, "patched": 0, "commits": 0}

# A box at the start of a line (``formats.boxes._BOX_LINE``), its mark restricted to the marks
# ``is_box_mark`` accepts: a label (``[P]``) stays in the skeleton, so turning one into a box
# is a change of skeleton and parsed in full.
_MARK = re.compile(
    rb"^((?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+\[)([^\]\r\nA-WYZa-wyz0-9])\]", re.M
)
# ``_MARK.split(data)``: [text, prefix, mark, text, prefix, mark, …, text]; the skeleton is
# the texts and prefixes (``]`` is the same after every mark), compared as lists in C.
Skeleton = tuple[list[bytes], list[bytes]]
_NONZERO = re.compile(rb"[^\x00]")
# a byte ``_MARK`` takes as a mark, printable ASCII (a letter or digit is a label)
_ONE_MARK = re.compile(rb"(?![\]A-WYZa-wyz0-9])[ -~]")


@record
class Version:
    """One state of a feature's task file (and its board entries)."""

    commit: str | None  # None: the working tree
    time: float
    author: str
    email: str
    coauthors: tuple[str, ...]
    path: str  # the task file, root-relative, as of this version
    done: int
    total: int
    moves: tuple[Move, ...]
    first: bool = False  # the file's first version: its tasks "appeared" with it


@record
class Replay:
    feature: str
    path: str  # the task file now
    versions: tuple[Version, ...]
    native_in_progress: bool
    columns: Columns
    renamed_from: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()


@record
class Timeline:
    """Every replayed feature of a worktree, with what git said on the way."""

    root: Path
    replays: tuple[Replay, ...]
    messages: tuple[str, ...] = ()
    in_git: bool = True
    head: str | None = None
    agents: tuple[str, ...] = ()  # names from the config's ``agents:`` list
    history_start: float | None = None  # a shallow clone: the boundary commit's time


def load_for_history(root: Path) -> Loaded:
    """The workspace at (or above) ``root``, read as the other headless commands read it."""
    from sdd_tui.workspace.loader import load

    return load(root)


def replay(
    root: Path, feature: str | None = None, *, loaded: Loaded | None = None, save: bool = True
) -> Timeline:
    """Replay the task files of the worktree's features (or of ``feature`` alone).  Blocking;
    git's trouble is a message (``Timeline.messages``), outside git ``in_git`` is False."""
    if loaded is None:
        loaded = load_for_history(root)
    root = loaded.root
    config = loaded.config
    agents = tuple(getattr(config, "agents", ()) or ()) if config is not None else ()
    features = [f for f in loaded.workspace.features if f.branch is None]
    if feature is not None:
        f = loaded.workspace.feature(feature)
        if f is None:
            return Timeline(root, (), (f"unknown feature '{feature}'",), agents=agents)
        features = [f]
    state = git_history.repo_state(root)
    if state is None:
        return Timeline(root, (), (NEEDS_GIT,), in_git=False, agents=agents)
    messages: list[str] = []
    if state.head is None:
        # an unborn branch and a branch deleted under HEAD look the same to rev-parse
        messages.append("no commit at HEAD (no commits yet, or its branch was deleted): "
                        "only the working tree is shown")  # fmt: skip
    elif state.branch is None:
        messages.append(f"detached HEAD at {state.head[:12]}: the history of that commit")
    cache = read_replays(root) if state.head is not None else {}
    fresh: dict[str, Any] = {}
    replays: list[Replay] = []
    earliest: float | None = None
    # board.json's log from each commit a replay resumes at (None: from the start), and which
    # cached heads HEAD descends from: asked once, whatever the number of features
    board_logs: dict[str | None, list[FileCommit]] = {}
    descends: dict[str, bool] = {}

    def board_since(since: str | None) -> list[FileCommit]:
        if since not in board_logs:
            assert state.head is not None
            log, cut = git_history.file_history(
                root, state.head, state.prefix + BOARD_PATH, since=since, follow=False
            )
            if cut:
                messages.append(_cut_message())
            board_logs[since] = log
        return board_logs[since]

    for f in features:
        path = f.documents.get("tasks")
        if not path:
            continue
        try:
            entry = cache.get(f.id)
            key = _cache_key(loaded, f, path, state)
            if state.head is None:
                data = None
            elif entry is not None and entry.get("key") == key and entry["head"] == state.head:
                data = entry
            else:
                base = None
                if entry is not None and entry.get("key") == key:
                    old = entry["head"]
                    if old not in descends:
                        descends[old] = git_history.is_ancestor(root, old, state.head)
                    base = entry if descends[old] else None
                data = _replay_feature(loaded, f, path, state, base, board_since, messages)
            if data is not None:
                fresh[f.id] = data
                if data["versions"]:
                    t0 = data["versions"][0][1]
                    earliest = t0 if earliest is None else min(earliest, t0)
            replays.append(_with_worktree(loaded, f, path, state, data))
        except HistoryError as exc:
            messages.append(f"{f.id}: git: {exc}")
    if state.shallow:
        messages.append(
            "shallow clone: history starts at the shallow boundary"
            + (f" ({_day(earliest)})" if earliest is not None else "")
            + "; `git fetch --unshallow` for the rest"
        )
    if save and fresh and any(cache.get(k) is not v for k, v in fresh.items()):
        write_replays(root, {**cache, **fresh})
    return Timeline(
        root,
        tuple(replays),
        tuple(dict.fromkeys(messages)),
        head=state.head,
        agents=agents,
        history_start=earliest if state.shallow else None,
    )


def _day(t: float) -> str:
    import time

    return time.strftime("%Y-%m-%d", time.gmtime(t))


def _cut_message() -> str:
    return f"history cut at {git_history.MAX_COMMITS:,} commits (too big to walk further)"


def _cache_key(loaded: Loaded, f: Feature, path: str, state: RepoState) -> tuple[Any, ...]:
    src = next((s for s in loaded.sources if s.id == f.id), None)
    sections = tuple(src.in_progress_sections) if src is not None else ()
    native = layout_of(f).native_in_progress
    return (path, state.prefix, tuple(loaded.workspace.columns), native, sections)


# -- one feature's committed history ------------------------------------------------------


class _Reader:
    """A feature's task rows and board entries, version after version."""

    def __init__(self, loaded: Loaded, f: Feature) -> None:
        src = next((s for s in loaded.sources if s.id == f.id), None)
        self.feature = f.id
        self.root = loaded.root
        self.columns = loaded.columns
        self.native = layout_of(f).native_in_progress
        self.sections = tuple(src.in_progress_sections) if src is not None else ()
        self.rows: list[tuple[Any, ...]] = []
        self.board: dict[str, Any] = {}  # this feature's board.json entries
        self.state: State = {}
        self.done = 0
        self.blob: str | None = None
        self.board_blob: str | None = None
        self.skeleton: Skeleton | None = None  # the current blob without its box marks
        self.marks: list[bytes] = []
        self.row_of: dict[int, int] = {}  # index of a _MARK match -> index of its row
        self.patched: list[int] = []  # rows whose mark the last fast read changed
        self.data: bytes | None = None  # the current bytes (when their marks are indexed)
        self.offsets: dict[int, int] = {}  # byte offset of each mark -> its index

    def place(self, rows: Sequence[tuple[Any, ...]]) -> list[tuple[str, str, str, str]]:
        """(key, column, title, mark) of ``rows`` on the board (the loader's own rule)."""
        tasks = tasks_from_rows(
            self.feature,
            rows,
            {"tasks": self.board},
            self.columns,
            native_in_progress=self.native,
            in_progress_sections=self.sections,
        )
        return [(t.key, t.column, t.title, t.mark) for t in tasks]

    def set_text(self, path: str, data: bytes | None) -> None:
        """The task file's bytes at this version (None: it does not exist)."""
        self.patched = []
        if data is None:
            self.rows = []
            self.index(b"", None)
            return
        flips = self._flips(data)
        split = None
        if flips is None:
            split = _split(data)
            if split is not None and self.skeleton is not None and split[0] == self.skeleton:
                pairs = enumerate(zip(self.marks, split[1], strict=True))
                flips = [(i, m) for i, (o, m) in pairs if o != m]
        if flips is not None:
            rows, row_of, marks = self.rows, self.row_of, self.marks
            for i, new in flips:
                marks[i] = new
                if i in row_of:
                    r = row_of[i]
                    rows[r] = (*rows[r][:4], new.decode("latin-1"), *rows[r][5:])
                    self.patched.append(r)
            self.data = data
            STATS["patched"] += 1
            return
        STATS["parsed"] += 1
        try:
            src = formats.text.SourceText.decode(data)
        except formats.text.DecodeProblem:
            self.rows = []
            self.index(b"", None)
            return
        md = formats.markdown.parse_structure(src.lines)
        self.rows = list(facts_from(path, src, md, TASKS).rows)
        self.index(data, split)

    def _flips(self, data: bytes) -> list[tuple[int, bytes]] | None:
        """The marks that differ between the current bytes and ``data`` when nothing else
        does (a tick): found by XOR-ing the two as integers, in C, and looking at the
        non-zero bytes; None when anything but a mark changed."""
        old = self.data
        if old is None or len(old) != len(data) or not self.offsets:
            return None
        size = len(data)
        xor = (int.from_bytes(old, "big") ^ int.from_bytes(data, "big")).to_bytes(size, "big")
        flips: list[tuple[int, bytes]] = []
        for m in _NONZERO.finditer(xor):
            at = m.start()
            i = self.offsets.get(at)
            mark = data[at : at + 1]
            if i is None or not _ONE_MARK.fullmatch(mark):
                return None
            flips.append((i, mark))
        return flips

    def index(self, data: bytes, split: tuple[Skeleton, list[bytes]] | None) -> None:
        """Note which row each mark of ``data`` (split by ``_split``) belongs to."""
        if split is None:  # nothing to compare the next version with: it will be parsed
            self.skeleton, self.marks, self.row_of = None, [], {}
            self.data, self.offsets = None, {}
            return
        (texts, prefixes), marks = split
        self.skeleton, self.marks, self.data = split[0], marks, data
        by_line = {row[6] - 1: i for i, row in enumerate(self.rows)}
        self.row_of, self.offsets = {}, {}
        line, at = 0, 0
        for n in range(len(marks)):
            line += texts[n].count(b"\n")  # the mark is on the line its text before ends on
            at += len(texts[n]) + len(prefixes[n])
            self.offsets[at] = n
            at += 2  # the mark and its "]"
            if line in by_line:
                self.row_of[n] = by_line[line]

    def restate(self) -> tuple[int, list[Move]]:
        """Place every row again; the moves from the state before."""
        placed = self.place(self.rows)
        new: State = {k: (c, t, m) for k, c, t, m in placed}
        moves: list[Move] = []
        old = self.state
        for k, (c, t, m) in new.items():
            before = old.get(k)
            if before is None:
                moves.append((k, t, None, c, m))
            elif before[0] != c:
                moves.append((k, t, before[0], c, m))
        for k, (c, t, _m) in old.items():
            if k not in new:
                moves.append((k, t, c, None, ""))
        self.state = new
        self.done = sum(1 for _c, _t, m in new.values() if m in DONE_MARKS)
        return self.done, moves


def _split(data: bytes) -> tuple[Skeleton, list[bytes]] | None:
    """(skeleton, marks) of ``data``; None where lines end in a lone CR (the pattern counts
    lines by LF only, so such files are always parsed)."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    parts = _MARK.split(data)
    return (parts[0::3], parts[1::3]), parts[2::3]


def _replay_feature(
    loaded: Loaded,
    f: Feature,
    path: str,
    state: RepoState,
    base: dict[str, Any] | None,
    board_since: Callable[[str | None], list[FileCommit]],
    messages: list[str],
) -> dict[str, Any]:
    """The feature's replay as cache data: ``base`` (a replay up to an ancestor of HEAD)
    extended with the commits after it, or replayed from the start."""
    root = loaded.root
    assert state.head is not None
    since = base["head"] if base is not None else None
    top_path = state.prefix + path
    task_log, cut = git_history.file_history(root, state.head, top_path, since=since)
    if cut:
        messages.append(_cut_message())
    board_log = board_since(since)
    reader = _Reader(loaded, f)
    versions: list[Any] = []
    names: list[str] = []
    if base is not None:
        versions = list(base["versions"])
        names = list(base["names"])
        reader.rows = [tuple(r) for r in base["rows"]]
        reader.board = dict(base["board"])
        reader.state = dict(base["state"])
        reader.done = sum(1 for _c, _t, m in reader.state.values() if m in DONE_MARKS)
        reader.blob, reader.board_blob = base["blob"], base["board_blob"]
    with git_history.BlobStream(root) as blobs:
        missing = _walk(reader, base, task_log, board_log, blobs, versions, names, path, state)
    if missing:
        messages.append(f"{f.id}: {missing} version(s) of the task file are missing from git")
    return {
        "key": _cache_key(loaded, f, path, state),
        "head": state.head,
        "versions": versions,
        "names": names,
        "rows": [tuple(r) for r in reader.rows],
        "board": reader.board,
        "state": reader.state,
        "blob": reader.blob,
        "board_blob": reader.board_blob,
    }


def _walk(
    reader: _Reader,
    base: dict[str, Any] | None,
    task_log: list[FileCommit],
    board_log: list[FileCommit],
    blobs: git_history.BlobStream,
    versions: list[Any],
    names: list[str],
    path: str,
    state: RepoState,
) -> int:
    """Replay the commits of both logs onto ``reader``, appending to ``versions`` and
    ``names``; the number of task file versions git did not have."""
    root = reader.root
    if base is not None and reader.blob:
        data = blobs.get(reader.blob)
        if data is not None:
            reader.index(data, _split(data))
    # Both logs are first-parent walks of one line of commits: merged by commit time (equal
    # times keep the task file's commit before board.json's).
    events: list[tuple[float, int, int, FileCommit]] = [
        (c.time, 0, n, c) for n, c in enumerate(task_log)
    ]
    events += [(c.time, 1, n, c) for n, c in enumerate(board_log)]
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    prefix = state.prefix
    board_key = f"{reader.feature}/"
    missing = 0
    lookups = 0
    i = 0
    while i < len(events):
        commit = events[i][3]
        touched_task: FileCommit | None = None
        touched_board: FileCommit | None = None
        while i < len(events) and events[i][3].commit == commit.commit:
            if events[i][1] == 0:
                touched_task = events[i][3]
            else:
                touched_board = events[i][3]
            i += 1
        # What to place again: every row after a full parse ("all"), else the rows whose
        # mark flipped and those whose board.json entry changed (a task's column depends on
        # its own row and entry only).
        entries: set[str] = set()
        full = False
        if touched_board is not None and touched_board.blob != reader.board_blob:
            reader.board_blob = touched_board.blob
            raw = blobs.get(touched_board.blob) if touched_board.blob else None
            board, _problems = load_board(raw, BOARD_PATH)
            mine = {k: v for k, v in board.get("tasks", {}).items() if k.startswith(board_key)}
            if mine != reader.board:
                entries = {
                    k[len(board_key) :]
                    for k in mine.keys() | reader.board.keys()
                    if mine.get(k) != reader.board.get(k)
                }
                reader.board = mine
        first = False
        reader.patched = []
        if touched_task is not None:
            rel = touched_task.path.removeprefix(prefix)
            if not names or names[-1] != rel:
                names.append(rel)
            first = touched_task.blob is not None and not reader.state and not versions
            if touched_task.blob != reader.blob:
                data = blobs.get(touched_task.blob)
                if touched_task.blob and data is None:
                    missing += 1
                    continue
                reader.blob = touched_task.blob
                before = reader.skeleton
                reader.set_text(rel, data)
                full = before is None or reader.skeleton is not before
        if touched_task is None and not (entries and (reader.rows or reader.state)):
            continue  # board.json changed, not for this feature (or before its task file)
        STATS["commits"] += 1
        if full:
            done, moves = reader.restate()
        elif entries or reader.patched:
            done, moves = _replace_some(reader, entries)
        else:
            done, moves = reader.done, []
        c = touched_task or commit
        coauthors = c.coauthors
        if len(c.parents) > 1 and lookups < MAX_MERGE_LOOKUPS:
            lookups += 1  # a merge: the merged commits' authors did the moves
            coauthors = tuple(dict.fromkeys((*coauthors, *git_history.merged_authors(root, c))))
        where = names[-1] if names else path
        versions.append(
            (c.commit, c.time, c.author, c.email, coauthors, where, done, len(reader.state),
             tuple(moves), first)
        )  # fmt: skip
    return missing


def _replace_some(reader: _Reader, keys: set[str]) -> tuple[int, list[Move]]:
    """Place again the rows whose mark flipped and the rows ``keys`` names (their board
    entry changed); the rows themselves are the state's (no task came or went)."""
    state = reader.state
    if len(state) != len(reader.rows):  # keys not as before (cannot happen, but be exact)
        return reader.restate()
    rows = reader.rows
    picked = dict.fromkeys(reader.patched)
    if keys:
        picked.update((i, None) for i, r in enumerate(rows) if r[0] in keys)
    moves: list[Move] = []
    done = reader.done
    for k, c, t, m in reader.place([rows[i] for i in picked]):
        before = state[k]
        done += (m in DONE_MARKS) - (before[2] in DONE_MARKS)
        if before[0] != c:
            moves.append((k, t, before[0], c, m))
        state[k] = (c, t, m)
    reader.done = done
    return done, moves


# -- the working tree -------------------------------------------------------------------


def _with_worktree(
    loaded: Loaded, f: Feature, path: str, state: RepoState, data: dict[str, Any] | None
) -> Replay:
    """The committed versions, then the working tree's when its tasks differ from HEAD's."""
    layout = layout_of(f)
    committed = data["versions"] if data is not None else []
    versions = [Version(*v) for v in committed]
    names = list(data["names"]) if data is not None else []
    last: State = dict(data["state"]) if data is not None else {}
    now: State = {t.key: (t.column, t.title, t.mark) for t in f.tasks}
    if now != last:
        moves: list[Move] = []
        for k, (c, t, m) in now.items():
            before = last.get(k)
            if before is None:
                moves.append((k, t, None, c, m))
            elif before[0] != c:
                moves.append((k, t, before[0], c, m))
        for k, (c, t, _m) in last.items():
            if k not in now:
                moves.append((k, t, c, None, ""))
        latest = versions[-1].time if versions else 0.0
        versions.append(
            Version(
                None,
                max(latest, _mtime(loaded.root, path, BOARD_PATH)),
                git_history.git_user(loaded.root),
                "",
                (),
                path,
                sum(1 for t in f.tasks if t.done),
                len(f.tasks),
                tuple(moves),
                not versions,
            )
        )
    renamed = tuple(n for n in dict.fromkeys(names) if n != path)  # oldest first
    return Replay(
        f.id,
        path,
        tuple(versions),
        layout.native_in_progress,
        loaded.columns,
        renamed_from=renamed,
    )


def _mtime(root: Path, *paths: str) -> float:
    best = 0.0
    for p in paths:
        with contextlib.suppress(OSError):
            best = max(best, os.stat(root / p).st_mtime)
    return best
