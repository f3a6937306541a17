"""Loading a whole workspace into an immutable snapshot.

Per-file facts come from ``FactsCache`` (only changed files are parsed, and a warm start reads
none at all); a feature whose files, board entries and columns are unchanged since the
previous snapshot is reused as the same object, so a reload after one edit rebuilds one
feature and the UI can tell what changed by identity.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd_tui.formats.board_state import load_board
from sdd_tui.formats.dependencies import problems as dependency_problems
from sdd_tui.formats.tasks import checklist_from_rows, tasks_from_rows
from sdd_tui.gcpolicy import paused
from sdd_tui.layouts import layout_of
from sdd_tui.model.spec import Clarification, Heading, Requirement
from sdd_tui.model.workspace import Columns, Feature, Problem, Workspace, match_feature_id
from sdd_tui.workspace.discover import active_feature, discover, find_root
from sdd_tui.workspace.documents import DocumentCache
from sdd_tui.workspace.facts import TASKS, DocFacts, FactsCache, default_store
from sdd_tui.workspace.fsread import ReadProblem, read_optional
from sdd_tui.workspace.generation import SETTLE_TIMEOUT, read_generation, settled_generation
from sdd_tui.workspace.snapshot import (
    BOARD_PATH,
    CONFIG_PATH,
    DEFAULT_COLUMNS,
    HISTORY_PATH,
    FeatureSource,
    Loaded,
    WorkspaceError,
)

if TYPE_CHECKING:
    from sdd_tui.formats.config_view import ConfigView


def load(
    path: str | Path | None = None,
    *,
    cache: DocumentCache | None = None,
    parallel: bool = False,
    first: str | bool | None = False,
    only: str | None = None,
) -> Loaded:
    """Find the root from ``path`` (default: the current folder) and load everything (or,
    with ``first``, the features up to the one to show first, with ``only`` the one feature
    it names: see ``load_root``)."""
    start = Path.cwd() if path is None else Path(path)
    if not start.exists():
        raise WorkspaceError(f"no such file or directory: {start}")
    root = find_root(start)
    return load_root(root, cache=cache, parallel=parallel, first=first, only=only)


def load_root(
    root: Path,
    *,
    cache: DocumentCache | None = None,
    previous: Loaded | None = None,
    persist: bool = True,
    changed: Iterable[str] | None = None,
    parallel: bool = False,
    first: str | bool | None = False,
    only: str | None = None,
) -> Loaded:
    """Load the workspace at ``root``.

    ``previous``: the last snapshot of the same root, whose caches and features are reused.
    ``persist``: save the parse cache to disk afterwards (the UI saves it on exit instead).
    ``changed``: root-relative paths known to be the only ones written since ``previous``
    (the app's own write, a watcher batch).  When each is a file ``previous`` already knew
    and still exists, the folders are not walked again (see :func:`_known_files`).
    ``parallel``: parse many uncached files in a forked second process (one-shot commands
    only: see ``FactsCache.prefetch``; it never forks a process that runs other threads).
    ``first``: not ``False`` — read only the features up to the one a workbench opens on (the
    feature ``first`` names, else the active one, else the first with open tasks), so its
    first frame waits for one feature, not a monorepo's hundreds; the snapshot is
    ``partial`` and ``load_root(root, previous=it, changed=())`` completes it.
    ``only``: read just the feature it names (an operation on one feature, like
    ``sdd-tui move``, needs no other); every feature when none matches, so that the caller
    can name the close ones.  The snapshot is ``partial``.
    """
    with paused():
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            # A move may write tasks.md and board.json; reading one from before it and the
            # other from after it would show a column the task never had: see generation.py.
            generation = settled_generation(root)
            loaded = _load_root(
                root,
                cache=cache,
                previous=previous,
                persist=persist,
                changed=changed,
                parallel=parallel,
                first=first,
                only=only,
            )
            if read_generation(root)[0] == generation or time.monotonic() > deadline:
                break  # (a writer that never pauses gets no more than SETTLE_TIMEOUT)
            changed = None  # that write's files are not among ``changed``: look at them all
        return loaded


_STATE_FILES = frozenset((CONFIG_PATH, BOARD_PATH, HISTORY_PATH))


def _known_files(root: Path, previous: Loaded, changed: Iterable[str]) -> bool:
    """Every changed path is a file the previous discovery found (or sdd-tui's own state)
    and is still there: the feature layout cannot have changed."""
    known: set[str] | None = None
    for path in changed:
        if path in _STATE_FILES:
            continue
        if known is None:
            known = set()
            for src in previous.sources:
                known.update(p for p in src.documents.values() if p)
                known.update(p for _label, p in src.extras)
                known.update(src.checklist_files)
                known.update(src.requirement_files)
        if path not in known or not os.path.isfile(root / path):
            return False
    return True


def _load_root(
    root: Path,
    *,
    cache: DocumentCache | None,
    previous: Loaded | None,
    persist: bool,
    changed: Iterable[str] | None = None,
    parallel: bool = False,
    first: str | bool | None = False,
    only: str | None = None,
) -> Loaded:
    # Symlinks in the root's own path (macOS /tmp, a linked home or checkout) must not make
    # every file look like a link out of the workspace.
    root = root.resolve()
    if previous is not None:
        cache = previous.cache
        facts = previous.facts
        memo = previous.memo
    else:
        cache = cache or DocumentCache()
        facts = FactsCache(default_store(root))
        memo = {}
    problems: list[Problem] = []
    config, column_ids, titles = _config(root, problems)
    columns = Columns(column_ids)
    board_raw = _read_raw(root, BOARD_PATH, problems)
    board, board_problems = load_board(board_raw, BOARD_PATH)
    problems += board_problems
    fresh: set[str] | None = None  # the only files that may differ from ``previous``
    if previous is not None and changed is not None:
        changed = list(changed)
        if _known_files(root, previous, changed):
            sources, found = previous.sources, previous.discovered
            fresh = set(changed)
    if fresh is None:
        sources, found = discover(root)
    problems += found
    by_feature: dict[str, dict[str, Any]] = {}
    for key, value in board.get("tasks", {}).items():
        fid, _, _ = key.rpartition("/")
        by_feature.setdefault(fid, {})[key] = value
    wanted = sources
    if only is not None:
        named = match_feature_id([src.id for src in sources], only)
        wanted = [src for src in sources if src.id == named] or sources
    if parallel:
        facts.prefetch(root, [want for src in wanted for want in _wanted(src)])
    new_memo: dict[str, tuple[Any, Feature, list[Problem]]] = {}
    features = []
    active = active_feature(root, [src.id for src in sources])
    target = None
    if first is not False:
        ids = [src.id for src in sources]
        target = (match_feature_id(ids, first) if isinstance(first, str) else None) or active
    partial = len(wanted) < len(sources)
    for n, src in enumerate(wanted):
        feature, feature_problems = _feature(
            root, src, facts, by_feature.get(src.id, {}), columns, memo, fresh
        )
        entry = memo.get(src.id)  # another thread's load may be swapping the memo: then
        if entry is not None:  # this feature is simply read again next time
            new_memo[src.id] = entry
        features.append(feature)
        problems += feature_problems
        if first is not False and n + 1 < len(sources) and _opens_on(feature, target):
            partial = True
            break
    if not partial:
        memo.clear()
    memo.update(new_memo)
    ws = Workspace(
        root=str(root),
        columns=column_ids,
        features=tuple(features),
        active_feature=active,
        problems=tuple(problems),
        column_titles=titles,
    )
    if persist:
        facts.save()
    return Loaded(ws, root, board, board_raw, config, cache, sources, facts, memo, list(found))


def _opens_on(feature: Feature, target: str | None) -> bool:
    """The workbench opens on ``feature`` (the one named or active, else the first with open
    tasks: see ``SddApp._initial_feature``)."""
    if target is not None:
        return feature.id == target
    return not feature.archived and bool(feature.tasks) and not feature.finished


def _read_raw(root: Path, relpath: str, problems: list[Problem]) -> bytes | None:
    try:
        read = read_optional(root, root / relpath)
    except ReadProblem as exc:
        problems.append(Problem(relpath, str(exc)))
        return None
    return None if read is None else read.data


def _config(
    root: Path, problems: list[Problem]
) -> tuple[ConfigView | None, tuple[str, ...], dict[str, str]]:
    raw = _read_raw(root, CONFIG_PATH, problems)
    if raw is None:
        titles = {c: c.replace("_", " ").title() for c in DEFAULT_COLUMNS}
        return None, DEFAULT_COLUMNS, titles
    # validated with pydantic only when these bytes were not validated before
    from sdd_tui.workspace.config_cache import load_config_view

    config, found = load_config_view(root, raw, CONFIG_PATH)
    problems += found
    return config, config.column_ids, config.column_titles


def _wanted(src: FeatureSource) -> list[tuple[str, str | None]]:
    """The (path, kind) facts ``_feature`` asks for."""
    docs = src.documents
    reader = layout_of(src).requirement_reader
    out: list[tuple[str, str | None]] = []
    for role, kind in (("tasks", TASKS), ("spec", reader), ("plan", None)):
        relpath = docs.get(role)
        if relpath is not None:
            out.append((relpath, kind))
    out += [(p, None) for p in src.checklist_files]
    out += [(p, reader) for p in src.requirement_files]
    return out


def _facts(
    root: Path, relpath: str | None, facts: FactsCache, kind: str | None
) -> DocFacts | Problem | None:
    return None if relpath is None else facts.get(root, relpath, kind)


def feature_from(
    root: Path, src: FeatureSource, facts: Any, board: dict[str, Any], columns: Columns
) -> tuple[Feature, list[Problem]]:
    """The feature for ``src`` built as a load builds it, its files' facts asked of
    ``facts`` (anything with ``get(root, relpath, kind) -> DocFacts | Problem``): the
    portfolio feeds it facts of git blobs (``workspace.tree_features``)."""
    return _feature(root, src, facts, board, columns, {})


def _feature(
    root: Path,
    src: FeatureSource,
    facts: FactsCache,
    board: dict[str, Any],
    columns: Columns,
    memo: dict[str, tuple[Any, Feature, list[Problem]]],
    fresh: set[str] | None = None,
) -> tuple[Feature, list[Problem]]:
    """The feature for ``src`` (reused from ``memo`` when nothing it depends on changed).

    ``fresh``: when known, the only paths written since the memo was made; a feature none of
    whose files is among them is reused without looking at its files at all (a move in a
    100-feature workspace stat'ed ~500 files, ~10 ms, to find 499 unchanged).
    """
    docs = src.documents
    layout = layout_of(src)
    reader = layout.requirement_reader
    head = (
        src.id,
        src.layout,
        src.path,
        src.archived,
        tuple(docs.items()),
        tuple(src.extras),
        tuple(src.checklist_files),
        tuple(src.requirement_files),
        src.in_progress_sections,
    )
    cached = memo.get(src.id)
    if fresh is not None and cached is not None:
        old = cached[0]
        if (
            old[: len(head)] == head
            and old[-2] == board
            and old[-1] == columns
            and fresh.isdisjoint(p for p in docs.values() if p)
            and fresh.isdisjoint(src.checklist_files)
            and fresh.isdisjoint(src.requirement_files)
        ):
            return cached[1], cached[2]
    tasks_f = _facts(root, docs.get("tasks"), facts, TASKS)
    spec_f = _facts(root, docs.get("spec"), facts, reader)
    checklist_fs = tuple(facts.get(root, p, None) for p in src.checklist_files)
    req_fs = tuple(
        spec_f if p == docs.get("spec") else facts.get(root, p, reader)
        for p in src.requirement_files
    )
    plan_f = _facts(root, docs.get("plan"), facts, None)
    key = (
        *head,
        tasks_f,
        spec_f,
        checklist_fs,
        req_fs,
        plan_f,
        board,
        columns,
    )
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    problems: list[Problem] = []
    seen: set[str] = set()
    undecodable: set[str] = set()

    def usable(f: DocFacts | Problem | None) -> DocFacts | None:
        if isinstance(f, Problem):
            if f.path not in seen:
                seen.add(f.path)
                problems.append(f)
            return None
        if f is not None and f.outside and f.path not in seen:
            seen.add(f.path)
            problems.append(Problem(f.path, "symlink to a file outside the workspace; read-only"))
        if f is not None and f.problem is not None and f.path not in undecodable:
            undecodable.add(f.path)  # read all the same: the problem says which byte
            problems.append(Problem(f.path, *f.problem))
        return f

    tasks_doc = usable(tasks_f)
    tasks: tuple = ()
    if tasks_doc is not None:
        tasks = tuple(
            tasks_from_rows(
                src.id,
                tasks_doc.rows,
                {"tasks": board},
                columns,
                native_in_progress=layout.native_in_progress,
                in_progress_sections=src.in_progress_sections,
            )
        )
        problems += [Problem(tasks_doc.path, m, line or None) for m, line in tasks_doc.row_problems]
        problems += dependency_problems(tasks)  # unknown references, cycles
    spec_doc = usable(spec_f)
    checklist = []
    taken: dict[str, int] = {}
    if spec_doc is not None and layout.spec_is_checklist:
        checklist += checklist_from_rows(src.id, spec_doc.checks, taken=taken)
    for f in checklist_fs:
        doc = usable(f)
        if doc is not None:
            checklist += checklist_from_rows(src.id, doc.checks, taken=taken)
    requirements: list[Requirement] = []
    clar: list[Clarification] = []
    for f in req_fs:
        doc = usable(f)
        if doc is None:
            continue
        requirements += [
            Requirement(src.id, i, k, t, doc.path, ln, tag, gone)
            for i, k, t, ln, tag, gone in doc.requirements
        ]
        clar += [Clarification(src.id, t, doc.path, ln) for t, ln in doc.clarifications]
    if spec_doc is not None and spec_doc.path not in src.requirement_files:
        clar += [Clarification(src.id, t, spec_doc.path, ln) for t, ln in spec_doc.clarifications]
    headings: dict[str, tuple[Heading, ...]] = {}
    plan_doc = usable(plan_f) if isinstance(plan_f, DocFacts) else None
    for role, doc in (("spec", spec_doc), ("plan", plan_doc)):
        if doc is not None:
            headings[role] = tuple(Heading(ln, lv, t) for ln, lv, t in doc.headings)
    feature = Feature(
        id=src.id,
        layout=src.layout,
        path=src.path,
        archived=src.archived,
        # an archive is history (moves refused unless forced); a file behind a symlink that
        # leaves the workspace is never written
        read_only=src.archived or (tasks_doc is not None and tasks_doc.outside),
        documents=dict(docs),
        extra_documents=tuple(src.extras),
        checklist_files=tuple(src.checklist_files),
        tasks=tasks,
        checklist=tuple(checklist),
        requirements=tuple(requirements),
        clarifications=tuple(clar),
        headings=headings,
    )
    memo[src.id] = (key, feature, problems)
    return feature, problems
