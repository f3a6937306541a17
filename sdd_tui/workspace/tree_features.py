"""Features of a workspace as another place holds it: a commit's tree (git objects) or
another worktree's folder, read without checking anything out and without writing there.

Discovery is the layouts' own (``workspace.discover``), and it walks folders; a commit's
tree is therefore laid out as a *skeleton*: the layouts' folders with every file empty, in
a private folder next to the parse cache, removed right after.  Discovery looks at names
only, and the skeleton is made once per distinct set of paths (branches that share their
files' names share it).  Each feature is then built by the loader's own code
(``loader.feature_from``) from facts keyed by *content*: a git blob id, or a digest of the
bytes on disk.  Fifty branches that share most features parse each distinct file once.

:class:`TreeCache` keeps, per repository, on disk under the current worktree's
``.sdd/cache/`` (``portfolio-cache.bin``, MAC-authenticated like the parse cache): the
facts by (content, kind, path), each commit's files by (commit, prefix, folders), the
discovered features per set of paths and the last changes per tip.  Commits never change,
so none of these goes stale; a second process reads no git object for a commit it knows.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdd_tui import __version__
from sdd_tui.formats.board_state import load_board
from sdd_tui.gcpolicy import paused
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Columns, Feature, Problem
from sdd_tui.workspace import facts as facts_mod
from sdd_tui.workspace.facts import DocFacts, make_cache_folder
from sdd_tui.workspace.snapshot import BOARD_PATH, CONFIG_PATH, DEFAULT_COLUMNS

FORMAT = 2  # 2: configs with their JUnit globs
CACHE_NAME = "portfolio-cache.bin"
_MAGIC = b"SDDTUI-PORTFOLIO-CACHE\n"
STATE_FILES = (BOARD_PATH, CONFIG_PATH)

SourceKey = tuple[Any, ...]


def territory() -> tuple[str, ...]:
    """The root folders every registered layout may keep documents in (its root markers
    and territory), outermost only: ``.specify`` covers ``.specify/specs``."""
    from sdd_tui import layouts

    names: list[str] = []
    for layout in layouts.all_layouts():
        names += [*layout.root_markers, *layout.territory]
    unique = sorted(set(names))
    return tuple(n for n in unique if not any(n.startswith(o + "/") for o in unique if o != n))


def _parse(relpath: str, data: bytes, kind: str | None) -> DocFacts | Problem:
    """Facts of one file's bytes (a module attribute, so a test can count the parses)."""
    return facts_mod._parse(relpath, data, kind, False)


def _source_key(src: FeatureSource) -> SourceKey:
    return (
        src.id,
        src.layout,
        src.path,
        src.archived,
        tuple(src.documents.items()),
        tuple(src.extras),
        tuple(src.checklist_files),
        tuple(src.requirement_files),
        src.in_progress_sections,
    )


def _source_from(key: SourceKey) -> FeatureSource:
    fid, layout, path, archived, docs, extras, checklists, reqs, sections = key
    return FeatureSource(
        fid,
        layout,
        path,
        archived,
        dict(docs),
        [tuple(e) for e in extras],  # type: ignore[misc]
        list(checklists),
        list(reqs),
        tuple(sections),
    )


def feature_files(src: FeatureSource) -> list[str]:
    """Every file the feature is read from (its documents, checklists, requirements)."""
    out = [p for p in src.documents.values() if p]
    out += [p for _, p in src.extras]
    out += src.checklist_files
    out += src.requirement_files
    return list(dict.fromkeys(out))


class TreeCache:
    """What the portfolio knows about commits and contents (see the module docstring)."""

    def __init__(self, store: Path | None) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.facts: dict[tuple[str, str | None, str], Any] = {}  # packed or DocFacts
        self.files: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}
        self.shapes: dict[bytes, tuple[SourceKey, ...]] = {}
        self.last: dict[str, dict[str, tuple[float, str]]] = {}
        self.configs: dict[str, tuple[tuple[str, ...], dict[str, str], tuple[str, ...]]] = {}
        self.boards: dict[str, dict[str, Any]] = {}  # board.json content id -> its tasks
        # built features by (source, contents, board, columns): pickled on disk, so that a
        # second process builds none of the features it saw before
        self.features: dict[Any, tuple[Feature, list[Problem]]] = {}
        self._dirty = False
        self._loaded = store is None
        self._used: set[Any] = set()  # keys of files, last, shapes and features read now
        # not persisted: each set of paths' sources, built once per process, with their
        # keys and files (by the source's id: the sources live as long as this memo)
        self.sources: dict[bytes, list[FeatureSource]] = {}
        self.source_facts: dict[int, tuple[SourceKey, list[str]]] = {}

    def about(self, src: FeatureSource) -> tuple[SourceKey, list[str]]:
        """(key, files) of a source ``discover_shape`` returned."""
        hit = self.source_facts.get(id(src))
        if hit is None:
            hit = (_source_key(src), feature_files(src))
        return hit

    def use(self, key: Any) -> None:
        self._used.add(key)

    def forget_unused(self) -> None:
        """Drop what this read did not use (branches gone, contents replaced), so that
        the cache holds about one portfolio, not its whole history."""
        used, self._used = self._used, set()
        before = len(self.files) + len(self.last) + len(self.shapes) + len(self.features)
        self.files = {k: v for k, v in self.files.items() if k in used}
        self.last = {k: v for k, v in self.last.items() if k in used}
        self.shapes = {k: v for k, v in self.shapes.items() if k in used}
        self.features = {k: v for k, v in self.features.items() if k in used}
        after = len(self.files) + len(self.last) + len(self.shapes) + len(self.features)
        if after == before:
            return
        contents = {cid for key in self.features for cid in key[1]}
        self.facts = {k: v for k, v in self.facts.items() if k[0] in contents}
        self.boards = {k: v for k, v in self.boards.items() if k in contents}
        self.configs = {k: v for k, v in self.configs.items() if k in contents}
        self._dirty = True

    # -- facts -------------------------------------------------------------------------

    def doc_facts(
        self, relpath: str, cid: str, kind: str | None, data: Callable[[], bytes | None]
    ) -> DocFacts | Problem:
        key = (cid, kind, relpath)
        hit = self.facts.get(key)
        if isinstance(hit, DocFacts):
            return hit
        if isinstance(hit, bytes):
            try:
                found = DocFacts(relpath, *marshal.loads(hit))
                self.facts[key] = found
                return found
            except (ValueError, TypeError, EOFError):
                pass
        raw = data()
        if raw is None:
            return Problem(relpath, "cannot be read")
        parsed = _parse(relpath, raw, kind)
        if isinstance(parsed, DocFacts):
            self.facts[key] = parsed
            self._dirty = True
        return parsed

    def note(self) -> None:
        self._dirty = True

    # -- persistence -------------------------------------------------------------------

    def load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        assert self.store is not None
        payload = facts_mod.read_sealed(self.store, _MAGIC, 512 * 1024 * 1024)
        if payload is None:
            return  # none, or not written by this user's sdd-tui
        try:
            data = marshal.loads(payload)
            if data[0] != FORMAT or data[1] != __version__:
                return
            facts, files, shapes, last, configs, boards, features = data[2:9]
            self.facts = {tuple(k): v for k, v in facts}
            self.files = {tuple(k): v for k, v in files}
            self.shapes = dict(shapes)
            self.last = dict(last)
            self.configs = dict(configs)
            self.boards = dict(boards)
            import pickle  # authenticated above: written by this user's sdd-tui

            with paused():
                self.features = dict(pickle.loads(features))
        except Exception:  # anything odd about a cache means "read again"
            self.facts, self.files, self.shapes, self.last = {}, {}, {}, {}
            self.configs, self.boards, self.features = {}, {}, {}

    def save(self) -> None:
        if self.store is None or not self._dirty:
            return
        facts = [
            (k, marshal.dumps(facts_mod._fields(v)) if isinstance(v, DocFacts) else v)
            for k, v in self.facts.items()
        ]
        try:
            import pickle

            features = pickle.dumps(list(self.features.items()), protocol=pickle.HIGHEST_PROTOCOL)
            payload = marshal.dumps(
                (
                    FORMAT,
                    __version__,
                    facts,
                    list(self.files.items()),
                    self.shapes,
                    self.last,
                    self.configs,
                    self.boards,
                    features,
                )
            )
            facts_mod.write_sealed(self.store, _MAGIC, payload)
            self._dirty = False
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            pass  # only a cache (a value marshal or pickle cannot hold: not saved)


_CACHES: dict[str, TreeCache] = {}
_CACHES_LOCK = threading.Lock()


def tree_cache(root: Path) -> TreeCache:
    """The cache of the workspace at ``root`` (one per process and store: the UI's second
    look at the portfolio reuses the features the first one built)."""
    parse = facts_mod.default_store(root)  # ``<key>-parse-cache.bin`` in the user's cache
    store = parse.with_name(parse.name.replace(facts_mod.CACHE_NAME, CACHE_NAME))
    with _CACHES_LOCK:
        cache = _CACHES.get(str(store))
        if cache is None:
            cache = _CACHES[str(store)] = TreeCache(store)
    return cache


# ---------------------------------------------------------------------------- reading


class Contents:
    """The files of one place: content ids and bytes, by root-relative path."""

    def __init__(
        self, ids: dict[str, str], data: Callable[[str], bytes | None], live: bool
    ) -> None:
        self.ids = ids
        self._data = data
        self.live = live

    def raw(self, relpath: str) -> bytes | None:
        return self._data(relpath) if relpath in self.ids else None


class _Facts:
    """The loader's ``facts.get`` over a place's contents and the content-keyed cache."""

    def __init__(self, cache: TreeCache, contents: Contents) -> None:
        self.cache = cache
        self.contents = contents

    def get(self, root: Path, relpath: str, kind: str | None) -> DocFacts | Problem:
        cid = self.contents.ids.get(relpath)
        if cid is None:
            return Problem(relpath, "not a regular file in this place")
        return self.cache.doc_facts(relpath, cid, kind, lambda: self.contents.raw(relpath))


class Skeleton:
    """A folder of empty files laid out as a tree's paths, for the layouts' discovery.

    Kept between trees and changed by their difference (branches differ by a few files),
    removed by ``remove``.  Only its own private folder is ever written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: set[str] = set()
        self._made = False

    def show(self, paths: list[str]) -> Path:
        wanted = set(paths)
        if not self._made:
            shutil.rmtree(self.folder, ignore_errors=True)
            make_cache_folder(self.folder.parent)  # with its .gitignore, as the parse cache
            self.folder.mkdir(mode=0o700)
            self._made = True
        gone = self.paths - wanted
        for path in gone:
            with contextlib.suppress(OSError):
                os.unlink(self.folder / path)
        for folder in sorted({p.rpartition("/")[0] for p in gone}, key=len, reverse=True):
            while folder:  # folders left empty would still be seen by discovery
                try:
                    os.rmdir(self.folder / folder)
                except OSError:
                    break
                folder = folder.rpartition("/")[0]
        made: set[str] = set()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        for path in sorted(wanted - self.paths):
            folder = path.rpartition("/")[0]
            if folder and folder not in made:
                with contextlib.suppress(OSError):
                    os.makedirs(self.folder / folder, exist_ok=True)
                made.add(folder)
            with contextlib.suppress(OSError):  # a name used as a file and a folder: skipped
                os.close(os.open(self.folder / path, flags, 0o600))
        self.paths = wanted
        return self.folder

    def remove(self) -> None:
        if self._made:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._made = False
            self.paths = set()


def discover_shape(cache: TreeCache, paths: list[str], skeleton: Skeleton) -> list[FeatureSource]:
    """The features the layouts find in a tree holding ``paths``: their discovery run on
    ``skeleton`` (cached by the set of paths and the layouts registered)."""
    from sdd_tui import layouts

    key = facts_mod._digest(
        "\0".join([*(lay.name for lay in layouts.all_layouts()), "", *sorted(paths)]).encode(
            "utf-8", "surrogateescape"
        )
    )
    cache.use(key)
    made = cache.sources.get(key)
    if made is not None:
        return made
    known = cache.shapes.get(key)
    if known is None:
        from sdd_tui.workspace.discover import discover

        sources, _ = discover(skeleton.show(paths))
        known = tuple(_source_key(s) for s in sources)
        cache.shapes[key] = known
        cache.note()
    made = [_source_from(k) for k in known]
    cache.sources[key] = made
    for k, src in zip(known, made, strict=True):
        cache.source_facts[id(src)] = (k, feature_files(src))
    return made


def columns_of(cache: TreeCache, root: Path, contents: Contents) -> tuple[Columns, list[str]]:
    """The board's columns from the place's ``.sdd/config.yaml`` (and its problems)."""
    columns, problems, _ = place_config(cache, root, contents)
    return columns, problems


def place_config(
    cache: TreeCache, root: Path, contents: Contents
) -> tuple[Columns, list[str], tuple[str, ...] | None]:
    """Columns, config problems and JUnit globs (None: the default places) of the place's
    ``.sdd/config.yaml``, validated through the current workspace's config cache (``root``:
    nothing is written in the other place)."""
    cid = contents.ids.get(CONFIG_PATH)
    if cid is None:
        return Columns(DEFAULT_COLUMNS), [], None
    hit = cache.configs.get(cid)
    if hit is None:
        raw = contents.raw(CONFIG_PATH)
        if raw is None:
            return Columns(DEFAULT_COLUMNS), [], None
        from sdd_tui.workspace.config_cache import load_config_view

        view, problems = load_config_view(root, raw, CONFIG_PATH)
        junit = tuple(view.tests.junit) if view.tests.junit else ()
        hit = (tuple(view.column_ids), {p.path: p.message for p in problems}, junit)
        cache.configs[cid] = hit
        cache.note()
    return Columns(hit[0]), list(hit[1].values()), hit[2] or None


def board_of(cache: TreeCache, contents: Contents) -> tuple[str, dict[str, dict[str, Any]]]:
    """(content id, feature id -> its board.json entries) of the place's board."""
    cid = contents.ids.get(BOARD_PATH, "")
    hit = cache.boards.get(cid) if cid else {}
    if hit is None:
        board, _ = load_board(contents.raw(BOARD_PATH), BOARD_PATH)
        hit = {}
        for key, value in board.get("tasks", {}).items():
            fid, _, _ = key.rpartition("/")
            hit.setdefault(fid, {})[key] = value
        cache.boards[cid] = hit
        cache.note()
    return cid, hit


def place_features(
    cache: TreeCache, root: Path, sources: list[FeatureSource], contents: Contents
) -> list[Feature]:
    """Each source's feature as built from the place's contents (shared between places
    whose feature files, board and columns are the same: callers mark them read-only)."""
    columns, _ = columns_of(cache, root, contents)
    board_id, by_feature = board_of(cache, contents)
    config_id = contents.ids.get(CONFIG_PATH, "")  # kept in the key: its cache entry lives on
    facts = _Facts(cache, contents)
    out: list[Feature] = []
    for src in sources:
        entries = by_feature.get(src.id, {})
        src_key, files = cache.about(src)
        key = (
            src_key,
            (*(contents.ids.get(p) for p in files), config_id, board_id),
            board_id if entries else "",
            columns.ids,
        )
        cache.use(key)
        built = cache.features.get(key)
        if built is None:
            from sdd_tui.workspace.loader import feature_from

            built = feature_from(root, src, facts, entries, columns)
            cache.features[key] = built
            cache.note()
        out.append(built[0])
    return out
