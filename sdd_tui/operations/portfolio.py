"""The portfolio: every feature in every place the repository holds it — this worktree,
the other worktrees, each local branch (and remote-tracking branch on request) — one row
per feature per place, never merged.

Blocking and read-only except for the current worktree's caches: the UI calls
:func:`read_portfolio` from a worker thread, ``sdd-tui portfolio`` from the command line.
Git trouble (no commits, a shallow clone, a detached HEAD, a branch deleted while it is
read, a history too long to walk) ends up in ``Portfolio.messages``, never as a raise.

For the portfolio screen: ``read_portfolio(root, current=session_snapshot)`` in a worker;
each row's ``feature`` carries its documents' workspace-root-relative paths.  A row of the
current worktree is the live feature; another worktree's (``place.live``) opens live at
``place_root(root, place)``; any other row is read-only (``row.read_only``,
``feature.branch``) and its documents come from ``read_document_at(root, place.commit,
path)`` — by commit id, so a branch deleted meanwhile still reads while its objects exist.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sdd_tui.model.places import Place, Portfolio, PortfolioRow
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.operations.stage import feature_stage
from sdd_tui.workspace import git_places
from sdd_tui.workspace.documents import ParsedDoc
from sdd_tui.workspace.git_places import Change, GitTrouble
from sdd_tui.workspace.tree_features import (
    STATE_FILES,
    Contents,
    Skeleton,
    TreeCache,
    discover_shape,
    feature_files,
    place_config,
    place_features,
    territory,
    tree_cache,
)

if TYPE_CHECKING:
    from sdd_tui.workspace.snapshot import Loaded

NOT_IN_GIT = "the portfolio needs a git repository (this folder is in none)"
NO_GIT = "git is not installed: the portfolio needs it"


def read_portfolio(
    root: Path, *, remotes: bool = False, current: Loaded | None = None
) -> Portfolio:
    """Every feature of every place of the repository holding the workspace ``root``.

    ``remotes``: remote-tracking branches too.  ``current``: a complete snapshot of
    ``root`` the caller holds (the UI's session), used instead of loading it again.
    Never raises for git trouble (see the module docstring); outside a repository
    ``in_git`` is False.
    """
    import shutil

    root = Path(root).resolve()
    if shutil.which("git") is None:
        return Portfolio((), (), (NO_GIT,), in_git=False)
    info = git_places.repo_info(root)
    if info is None:
        return Portfolio((), (), (NOT_IN_GIT,), in_git=False)
    try:
        places, notes = git_places.list_places(info.toplevel, remotes)
    except GitTrouble as exc:
        return Portfolio((), (), (f"git: {exc}",))
    except Exception as exc:  # odd output of an unusual git: a message, not a traceback
        return Portfolio((), (), (f"git: cannot list branches ({type(exc).__name__}: {exc})",))
    if info.shallow:
        notes.append(
            "shallow clone: history stops at its first commit, older changes are not dated"
        )
    cache = tree_cache(root)
    with cache.lock:
        cache.load()
        reading = _Reading(root, info, cache, notes)
        if current is not None and not current.partial and Path(current.root).resolve() == root:
            reading.loaded = current
        try:
            rows = reading.rows(places)
            cache.forget_unused()  # commits and contents no place shows now
        finally:
            reading.close()
            cache.save()
    shown = tuple(p for p in places if p not in reading.skipped)
    return Portfolio(tuple(rows), shown, tuple(notes))


def place_root(root: Path, place: Place) -> Path | None:
    """Where the workspace ``root`` is in a live place's worktree (the app switches there
    to open its features live); None for a place read from git objects."""
    if place.path is None:
        return None
    info = git_places.repo_info(Path(root).resolve())
    prefix = info.prefix if info is not None else ""
    return Path(place.path) / prefix


def read_document_at(root: Path, commit: str, path: str) -> ParsedDoc | None:
    """The document at ``path`` (workspace-root-relative, as every Feature path) as
    ``commit`` holds it: a commit id, a branch or a remote-tracking branch.  None when it
    is not there or cannot be read."""
    from sdd_tui.formats.text import DecodeProblem
    from sdd_tui.workspace.documents import parse_document

    root = Path(root).resolve()
    info = git_places.repo_info(root)
    if info is None or not commit or commit.startswith("-") or "\n" in commit + path:
        return None
    try:
        data = git_places.blob_at(info.toplevel, commit, info.prefix + path)
    except GitTrouble:
        return None
    if data is None:
        return None
    try:
        return parse_document(path, data)
    except DecodeProblem:
        return None


class _Reading:
    """One read of the portfolio: the git processes it keeps open, what it found."""

    def __init__(
        self, root: Path, info: git_places.RepoInfo, cache: TreeCache, notes: list[str]
    ) -> None:
        self.root = root
        self.info = info
        self.cache = cache
        self.notes = notes
        self.tops = territory()
        self.reader = git_places.ObjectReader(info.toplevel)
        self.skipped: list[Place] = []
        self.skeleton = Skeleton(cache_scratch(root))
        self._cut: dict[str, dict[str, Change]] | None = None  # a cut walk's findings
        self.loaded: Loaded | None = None  # the current worktree's snapshot, when given
        # counts by the ids of a feature's parts, each kept alive beside its counts
        self._counted: dict[tuple[int, ...], tuple[tuple[str, int, int, int, int], Feature]] = {}

    def close(self) -> None:
        self.reader.close()
        self.skeleton.remove()

    def rows(self, places: list[Place]) -> list[PortfolioRow]:
        self._walk([p.commit for p in places if p.commit])
        if places and places[0].current and places[0].commit is None:
            self.notes.append("no commits yet: the working tree is all there is")
        out: list[PortfolioRow] = []
        for place in places:
            try:
                if place.current:
                    out += self._current(place)
                elif place.live:
                    out += self._worktree(place)
                else:
                    out += self._tree(place)
            except GitTrouble as exc:
                self.notes.append(f"{_label(place)}: {exc}")
                self.skipped.append(place)
                self.reader.close()  # a fresh cat-file for the next place, in step again
            except OSError as exc:
                self.notes.append(f"{_label(place)}: cannot be read ({exc.strerror or exc})")
                self.skipped.append(place)
            except Exception as exc:  # a layout plugin's error, odd git output: one place lost,
                # the others shown (the UI calls this from a worker: never a traceback)
                self.notes.append(f"{_label(place)}: cannot be read ({type(exc).__name__}: {exc})")
                self.skipped.append(place)
        return out

    # -- last changes ----------------------------------------------------------------------

    def _walk(self, tips: list[str]) -> None:
        for tip in tips:
            self.cache.use(tip)
        todo = [t for t in dict.fromkeys(tips) if t not in self.cache.last]
        if not todo:
            return
        try:
            found, cut = git_places.last_changes(
                self.info.toplevel, todo, self.info.prefix, self.tops, git_places.WALK_LIMIT
            )
        except GitTrouble as exc:
            self.notes.append(f"history could not be walked ({exc}); last changes not dated")
            return
        if cut:
            self.notes.append(
                f"history longer than {git_places.WALK_LIMIT} commits: older changes not dated"
            )
        else:  # a cut walk is not kept: a later, longer one may date more
            self.cache.last.update(found)
            self.cache.note()
        self._cut = found if cut else None

    def _changes(self, commit: str | None) -> dict[str, Change]:
        if commit is None:
            return {}
        known = self.cache.last.get(commit)
        if known is None and self._cut is not None:
            known = self._cut.get(commit)
        return known or {}

    # -- the three kinds of place ----------------------------------------------------------

    def _tree(self, place: Place) -> list[PortfolioRow]:
        assert place.commit is not None
        key = (place.commit, self.info.prefix, self.tops)
        self.cache.use(key)
        listed = self.cache.files.get(key)
        if listed is None:
            files = git_places.tree_files(
                self.reader, place.commit, self.info.prefix, self.tops, STATE_FILES
            )
            if files is None:
                self.notes.append(
                    f"{_label(place)}: commit {place.commit[:7]} is gone "
                    "(deleted while it was read?); not shown"
                )
                self.skipped.append(place)
                return []
            listed = tuple(sorted(files.items()))
            self.cache.files[key] = listed
            self.cache.note()
        ids = dict(listed)
        reader = self.reader

        def data(relpath: str) -> bytes | None:
            oid = ids.get(relpath)
            return reader.blob(oid) if oid is not None else None

        contents = Contents(ids, data, live=False)
        paths = [p for p in ids if p not in STATE_FILES]
        sources = discover_shape(self.cache, paths, self.skeleton)
        changes = self._changes(place.commit)
        return self._rows(place, sources, contents, changes, dirty=set())

    def _worktree(self, place: Place) -> list[PortfolioRow]:
        """Another worktree, read from its folder (nothing written there)."""
        from sdd_tui.workspace.discover import discover
        from sdd_tui.workspace.fsread import ReadProblem, read_file

        assert place.path is not None
        folder = Path(place.path) / self.info.prefix
        if not folder.is_dir():
            self.notes.append(f"{_label(place)}: {folder} is gone; not shown")
            self.skipped.append(place)
            return []
        folder = folder.resolve()
        sources, _ = discover(folder)
        sources = [s for s in sources if not s.archived]
        blobs: dict[str, bytes] = {}
        ids: dict[str, str] = {}
        from sdd_tui.workspace.facts import _digest

        for relpath in [*(p for s in sources for p in feature_files(s)), *STATE_FILES]:
            try:
                raw = read_file(folder, folder / relpath).data
            except (ReadProblem, OSError):
                continue
            blobs[relpath] = raw
            ids[relpath] = "b2:" + _digest(raw).hex()
        contents = Contents(ids, blobs.get, live=True)
        dirty = git_places.dirty_paths(Path(place.path), self.info.prefix, self.tops)
        changes = self._changes(place.commit)
        columns, _, junit = place_config(self.cache, self.root, contents)

        def failing(features: list[Feature]) -> dict[str, int]:
            ws = Workspace(str(folder), columns.ids, tuple(features), None, ())
            return _failing(folder, junit, ws)

        return self._rows(
            place, sources, contents, changes, dirty=dirty, folder=folder, failing=failing
        )

    def _current(self, place: Place) -> list[PortfolioRow]:
        """The worktree sdd-tui runs in: the loader's snapshot, its test results."""
        from sdd_tui.workspace.loader import load_root

        loaded = self.loaded if self.loaded is not None else load_root(self.root)
        features = [f for f in loaded.workspace.features if not f.archived]
        config = loaded.config
        junit = config.tests.junit if config is not None and config.tests.junit else None
        failing = _failing(loaded.root, junit, loaded.workspace)
        dirty = git_places.dirty_paths(Path(place.path or self.root), self.info.prefix, self.tops)
        changes = self._changes(place.commit)
        by_id = {s.id: s for s in loaded.sources}
        out: list[PortfolioRow] = []
        for f in features:
            src = by_id.get(f.id)
            files = feature_files(src) if src is not None else _doc_paths(f)
            out.append(
                self._row(place, f, files, changes, dirty, self.root, failing.get(f.id, None))
            )
        return out

    def _rows(
        self,
        place: Place,
        sources: list[FeatureSource],
        contents: Contents,
        changes: dict[str, Change],
        *,
        dirty: set[str] | None,
        folder: Path | None = None,
        failing: Callable[[list[Feature]], dict[str, int]] | None = None,
    ) -> list[PortfolioRow]:
        sources = [s for s in sources if not s.archived]
        built = place_features(self.cache, self.root, sources, contents)
        # one feature object is shared by the places holding the same files: the row's copy
        # says which branch it is on
        features = [dataclasses.replace(b, read_only=True, branch=place.name) for b in built]
        counts = failing(features) if failing is not None else {}  # {}: no results there
        return [
            self._row(
                place,
                feature,
                self.cache.about(src)[1],
                changes,
                dirty,
                folder,
                counts.get(feature.id, 0) if counts else None,
            )
            for src, feature in zip(sources, features, strict=True)
        ]

    def _row(
        self,
        place: Place,
        feature: Feature,
        files: list[str],
        changes: dict[str, Change],
        dirty: set[str] | None,
        folder: Path | None,
        failing: int | None,
    ) -> PortfolioRow:
        def when(path: str | None) -> Change | None:
            if not path:
                return None
            if folder is not None and (dirty is None or path in dirty):
                try:  # uncommitted (or git cannot tell): the file's own time, by the user
                    return (os.stat(folder / path).st_mtime, "")
                except OSError:
                    return None
            return changes.get(path)

        times = [c for c in map(when, files) if c is not None]
        last = max(times, key=lambda c: c[0]) if times else None
        counts = self._counts(feature, failing)
        return PortfolioRow(
            place,
            feature,
            *counts,
            failing_tests=failing,
            plan_stale=_stale(feature, when),
            changed_at=last[0] if last else None,
            changed_by=last[1] if last else None,
        )

    def _counts(self, feature: Feature, failing: int | None) -> tuple[str, int, int, int, int]:
        """Stage, done, total, in progress, open clarifications (once per feature's
        contents: the tasks of a feature fifty branches share are counted once)."""
        key = (id(feature.tasks), id(feature.clarifications), id(feature.documents), failing)
        known = self._counted.get(key)
        if known is None:
            tests_passing = None if failing is None else failing == 0
            stage = feature_stage(feature, tests_passing=tests_passing)
            tasks = feature.tasks
            counts = (
                stage.name,
                sum(1 for t in tasks if t.done),
                len(tasks),
                sum(1 for t in tasks if t.column == "in_progress"),
                len(feature.clarifications),
            )
            self._counted[key] = (counts, feature)
            return counts
        return known[0]


def _stale(feature: Feature, when) -> bool | None:  # type: ignore[no-untyped-def]
    """``workspace.git.stale_plan``'s rule on this place's times: the spec changed after
    the plan or the tasks.  None when a time is missing (no history for it)."""
    from sdd_tui.layouts import layout_of

    docs = feature.documents
    spec = docs.get("spec")
    later = [p for p in (docs.get("plan"), docs.get("tasks")) if p]
    if not spec or not later or not layout_of(feature).plan_can_go_stale:
        return False
    spec_time = when(spec)
    times = [when(p) for p in later]
    if spec_time is None or any(t is None for t in times):
        return None
    return any(spec_time[0] > t[0] for t in times if t is not None)


def _doc_paths(feature: Feature) -> list[str]:
    out = [p for p in feature.documents.values() if p]
    out += [p for _, p in feature.extra_documents]
    out += list(feature.checklist_files)
    return list(dict.fromkeys(out))


def _failing(root: Path, globs, ws: Workspace) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Feature id -> failing test cases linked to it (the links ``sdd-tui tests`` and the
    Tests pane make) in the worktree at ``root``; empty when it has no results."""
    from sdd_tui.workspace.results import LOCATIONS, result_files

    globs = list(globs) if globs else None
    if not result_files(root, globs) and not any(os.path.lexists(root / r) for r in LOCATIONS):
        return {}  # the usual case, decided without importing the results' parsers
    from sdd_tui.operations.trace import analyse_cases, build_trace
    from sdd_tui.workspace.results import load_snapshot

    try:
        snap = load_snapshot(root, globs)
    except Exception:  # a result file that cannot be read: no figures, as without results
        return {}
    cases = snap.results.cases
    if not cases:
        return {}
    trace = build_trace(ws, cases, analyse_cases(cases, ws.root))
    out: dict[str, int] = {}
    for f in ws.features:
        failing = {id(c) for t in f.tasks for c in trace.task_tests(f, t) if c.failing}
        out[f.id] = len(failing)
    return out


def cache_scratch(root: Path) -> Path:
    """A private folder next to the portfolio cache for the skeleton of a tree (this
    process's and thread's own: two readers never share one)."""
    import threading

    from sdd_tui.workspace.facts import default_store

    folder = default_store(root).parent
    return folder / f"portfolio-skeleton-{os.getpid()}-{threading.get_ident()}"


def _label(place: Place) -> str:
    kind = {"worktree": "worktree", "branch": "branch", "remote": "remote branch"}[place.kind]
    return f"{kind} {place.name}"
