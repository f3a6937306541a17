"""What the loader needs from each Markdown file, cached in memory and on disk.

A file's *facts* — for a tasks file its task rows (keys, parents, grammar), for other
documents their check boxes, requirements, clarification markers and headings — are all the
workspace snapshot needs; the full parse (text, Markdown structure) is only kept for
documents on screen or being edited.

Validity: an entry is reused without reading the file only when the file's stat signature
(size, mtime_ns, ctime_ns, inode) is unchanged *and* the file had not been modified for
``RACY_NS`` before the entry was checked (git's "racily clean" rule), so an edit inside the
filesystem's timestamp granularity is never missed.  Otherwise the bytes are read and
compared by hash.  Writes never use the cache: edits re-read the file (operations/boxes.py).

Persistence: ``.sdd/cache/parse-cache.bin`` (or the user's cache folder when the workspace
has no ``.sdd/``), a ``marshal`` payload authenticated with a per-user key kept in the user
config folder.  A cache file that a repository brings along (or anyone but this user wrote)
fails the MAC and is ignored, so repository content can neither fake a board nor reach
``marshal.loads``.  Each file's facts are packed on their own inside it: unpacked only when
asked for, written back as they were read.  Facts hold plain tuples only (no dataclasses to
rebuild on a warm start).

Cold start: ``prefetch`` lets a one-shot command parse the uncached files in a forked second
process; ``get`` then checks its entries like any others.
"""

from __future__ import annotations

import contextlib
import dataclasses
import marshal
import os
import stat as stat_mod
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd_tui import __version__, formats
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.atomic import replace_bytes
from sdd_tui.workspace.forked import Child, can_fork
from sdd_tui.workspace.fsread import (
    MAX_BYTES,
    ReadProblem,
    lstat_inside,
    read_file,
    resolve_target,
)

if TYPE_CHECKING:  # the parsers are imported on the first cache miss (``_parse``)
    from sdd_tui.formats.markdown import MdStructure
    from sdd_tui.formats.tasks import CheckRow, TaskRow
    from sdd_tui.formats.text import SourceText

FORMAT = 9  # 9: requirement readers by kind; tags, withdrawn; bad bytes; BLAKE2b MAC
PREFETCH_MIN_FILES = 16  # a fork (~5 ms with the results' transfer) pays from about here
PREFETCH_MIN_BYTES = 256 * 1024
RACY_NS = 3_000_000_000
CACHE_NAME = "parse-cache.bin"
_MAGIC = b"SDDTUI-PARSE-CACHE\n"

TASKS = "tasks"  # the kind for a tasks file; others: a requirements.READERS key, or None
Signature = tuple[int, int, int, int]


@record
class DocFacts:
    """Plain tuples only, so that the on-disk cache restores them without rebuilding."""

    path: str
    checks: tuple[CheckRow, ...] = ()  # check boxes of a non-tasks file (checklist rows)
    rows: tuple[TaskRow, ...] = ()
    row_problems: tuple[tuple[str, int], ...] = ()  # message, 1-based line
    # id, kind, text, 1-based line, tag, withdrawn
    requirements: tuple[tuple[str, str, str, int, str | None, bool], ...] = ()
    clarifications: tuple[tuple[str, int], ...] = ()  # text, 1-based line
    headings: tuple[tuple[int, int, str], ...] = ()  # 1-based line, level, text
    outside: bool = False
    # bytes that are not UTF-8 (read as U+FFFD): message, 1-based line
    problem: tuple[str, int | None] | None = None


@record(frozen=False)
class _Entry:
    signature: Signature
    checked_ns: int
    digest: bytes
    outside: bool
    facts: DocFacts | None  # None until first asked for: unpacked from ``packed`` then
    packed: bytes | None = None  # the facts marshalled, as the store keeps them


def _parse(relpath: str, data: bytes, kind: str | None, outside: bool) -> DocFacts | Problem:
    """Decode and parse one file.  The parsers are imported here, on the first miss: a warm
    start (and the workbench's first frame) never pays for their imports."""
    try:
        src = formats.text.SourceText.decode(data)
    except formats.text.DecodeProblem as exc:
        return Problem(relpath, str(exc), exc.line)
    md = formats.markdown.parse_structure(src.lines)
    facts = facts_from(relpath, src, md, kind, outside=outside)
    bad = src.problem
    if bad is not None:
        facts = dataclasses.replace(facts, problem=(str(bad), bad.line))
    return facts


def facts_from(
    relpath: str, src: SourceText, md: MdStructure, kind: str | None, *, outside: bool = False
) -> DocFacts:
    requirements = formats.requirements
    boxes = formats.boxes.box_tuples(src, md, relpath)
    heads = tuple((h.line + 1, h.level, h.text) for h in md.headings)
    if kind == TASKS:
        texts = [formats.task_grammar.parse_task_text(b[7], b[9]) for b in boxes]
        rows, problems = formats.tasks.task_rows_of(boxes, texts)
        return DocFacts(
            relpath,
            rows=tuple(rows),
            row_problems=tuple((p.message, p.line or 0) for p in problems),
            headings=heads,
            outside=outside,
        )
    checks = tuple(formats.tasks.checklist_rows(boxes))
    reqs: tuple[tuple[str, str, str, int, str | None, bool], ...] = ()
    if kind is not None:
        found = requirements.READERS[kind]("", relpath, src, md)
        reqs = tuple((r.id, r.kind, r.text, r.line, r.tag, r.withdrawn) for r in found)
    clar = tuple((c.text, c.line) for c in requirements.clarifications("", relpath, src, md))
    return DocFacts(relpath, checks, (), (), reqs, clar, heads, outside)


class FactsCache:
    """Facts per (path, kind); optionally persisted."""

    def __init__(self, store: Path | None = None) -> None:
        self.store = store
        self._entries: dict[tuple[str, str | None], _Entry] = {}
        self._loaded_store = store is None
        self._dirty = False

    def get(self, root: Path, relpath: str, kind: str | None) -> DocFacts | Problem:
        if not self._loaded_store:
            self._load_store()
        key = (relpath, kind)
        path = root / relpath
        try:
            st, outside = _stat(root, relpath)
        except _Unusable as exc:
            if exc.forget:
                self._entries.pop(key, None)
            return exc.problem
        sig: Signature = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        entry = self._entries.get(key)
        if (
            entry is not None
            and entry.signature == sig
            and entry.outside == outside
            and max(st.st_mtime_ns, st.st_ctime_ns) + RACY_NS < entry.checked_ns
            and (found := _unpacked(relpath, entry)) is not None
        ):
            return found
        checked = time.time_ns()
        try:
            read = read_file(root, path, limit=MAX_BYTES)
        except ReadProblem as exc:
            self._entries.pop(key, None)
            return Problem(relpath, str(exc))
        digest = _digest(read.data)
        if (
            entry is not None
            and entry.digest == digest
            and entry.outside == read.outside
            and (found := _unpacked(relpath, entry)) is not None
        ):
            entry.signature, entry.checked_ns = sig, checked
            self._dirty = True
            return found
        facts = _parse(relpath, read.data, kind, read.outside)
        if isinstance(facts, Problem):
            self._entries.pop(key, None)
            return facts
        self._entries[key] = _Entry(sig, checked, digest, read.outside, facts)
        self._dirty = True
        return facts

    def prefetch(self, root: Path, wanted: list[tuple[str, str | None]]) -> None:
        """Parse the files of ``wanted`` that the cache lacks in two processes (a fork).

        Only an optimisation for a cold start of a one-shot command with many files to
        parse: ``get`` still checks every entry as usual, so the results are the same.  Does
        nothing unless this process has a single thread, ``os.fork`` exists, two CPUs are
        free to use and there is enough to parse to pay for the fork.
        """
        if not self._loaded_store:
            self._load_store()
        if not can_fork():
            return
        todo: list[tuple[int, str, str | None]] = []
        for relpath, kind in dict.fromkeys(wanted):
            try:
                st, outside = _stat(root, relpath)
            except _Unusable:
                continue  # get() reports it
            sig = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            entry = self._entries.get((relpath, kind))
            if entry is None or entry.signature != sig or entry.outside != outside:
                todo.append((st.st_size, relpath, kind))
        if len(todo) < PREFETCH_MIN_FILES or sum(t[0] for t in todo) < PREFETCH_MIN_BYTES:
            return
        mine: list[tuple[str, str | None]] = []
        theirs: list[tuple[str, str | None]] = []
        load = [0, 0]
        for size, relpath, kind in sorted(todo, reverse=True):  # biggest first, balanced
            side = 0 if load[0] <= load[1] else 1
            load[side] += size + 2048  # a file costs a little beyond its bytes
            (mine if side == 0 else theirs).append((relpath, kind))

        def parse_theirs() -> bytes:  # in the child: parse its share, send the entries
            rows = []
            for relpath, kind in theirs:
                if isinstance(self.get(root, relpath, kind), DocFacts):
                    rows.append(_row(relpath, kind, self._entries[(relpath, kind)]))
            return marshal.dumps(rows)

        child = Child.start(parse_theirs)
        if child is None:
            return
        try:
            for relpath, kind in mine:
                self.get(root, relpath, kind)
        finally:
            blob = child.result()
        if blob is None:
            return  # get() parses what the child did not deliver
        try:
            for relpath, kind, sig, checked, digest, outside, packed in marshal.loads(blob):
                self._entries[(relpath, kind)] = _Entry(sig, checked, digest, outside, None, packed)
        except (ValueError, TypeError, EOFError):
            return
        self._dirty = True

    # -- persistence -------------------------------------------------------------------

    def _load_store(self) -> None:
        self._loaded_store = True
        if self.store is None:
            return
        payload = read_sealed(self.store, _MAGIC, 256 * 1024 * 1024)
        if payload is None:
            return  # none, or not written by this user's sdd-tui: ignore it
        try:
            data = marshal.loads(payload)
            if data[0] != FORMAT or data[1] != __version__:
                return
            self._entries = {
                (rel, kind): _Entry(sig, checked, digest, outside, None, packed)
                for rel, kind, sig, checked, digest, outside, packed in data[2]
            }
        except (ValueError, TypeError, EOFError, IndexError, KeyError):
            self._entries = {}

    def save(self) -> None:
        """Write the cache if it changed; failures are silent (it is only a cache)."""
        if self.store is None or not self._dirty:
            return
        # Entries read from the store (or a prefetch) are written back as they came.
        rows = [_row(rel, kind, e) for (rel, kind), e in self._entries.items()]
        payload = marshal.dumps((FORMAT, __version__, rows))
        try:
            write_sealed(self.store, _MAGIC, payload)
            self._dirty = False
        except (OSError, ValueError):
            pass


def make_cache_folder(folder: Path) -> None:
    """Create the cache folder when missing, with a ``.gitignore`` ignoring all of it (the
    cache stays out of git status even where no ``.sdd/.gitignore`` says so)."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")


class _Unusable(Exception):
    """A path that is not a readable regular file; ``forget``: drop its cached entry."""

    def __init__(self, problem: Problem, *, forget: bool = False) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.forget = forget


def _stat(root: Path, relpath: str) -> tuple[os.stat_result, bool]:
    """The stat of a regular file and whether it lies outside the root; raises _Unusable."""
    st = lstat_inside(root, relpath)
    outside = False
    if st is None:  # a symlink somewhere below the root (or an error): resolve it
        try:
            real, outside = resolve_target(root, root / relpath)
            st = os.stat(real)
        except ReadProblem as exc:
            raise _Unusable(Problem(relpath, str(exc)), forget=True) from None
        except OSError as exc:
            raise _Unusable(Problem(relpath, exc.strerror or str(exc))) from None
    if stat_mod.S_ISDIR(st.st_mode):
        raise _Unusable(Problem(relpath, "is a directory, expected a file"))
    if not stat_mod.S_ISREG(st.st_mode):
        what = "FIFO" if stat_mod.S_ISFIFO(st.st_mode) else "special file"
        raise _Unusable(Problem(relpath, f"not a regular file ({what}); not opened"))
    return st, outside


def _row(relpath: str, kind: str | None, e: _Entry) -> tuple[Any, ...]:
    """An entry as the store and the prefetch pipe carry it (facts packed on their own, so
    that they are unpacked only when asked for and written back without repacking)."""
    if e.packed is None:
        assert e.facts is not None
        e.packed = marshal.dumps(_fields(e.facts))
    return (relpath, kind, e.signature, e.checked_ns, e.digest, e.outside, e.packed)


def _unpacked(relpath: str, e: _Entry) -> DocFacts | None:
    """The entry's facts (None if its packed form does not unpack: a miss, parsed again)."""
    if e.facts is None:
        try:
            e.facts = DocFacts(relpath, *marshal.loads(e.packed))  # type: ignore[arg-type]
        except (ValueError, TypeError, EOFError):
            return None
    return e.facts


def _fields(f: DocFacts) -> tuple[Any, ...]:
    return (
        f.checks,
        f.rows,
        f.row_problems,
        f.requirements,
        f.clarifications,
        f.headings,
        f.outside,
        f.problem,
    )


def _blake2b() -> Any:
    """``hashlib.blake2b``, without importing ``hashlib``: that loads OpenSSL (~3 ms of a
    one-shot command) for a hash CPython builds in."""
    try:
        from _blake2 import blake2b
    except ImportError:  # another Python
        from hashlib import blake2b
    return blake2b


def _digest(data: bytes) -> bytes:
    return _blake2b()(data, digest_size=16).digest()


def _mac(payload: bytes) -> bytes:
    """A keyed BLAKE2b (its own MAC mode: no HMAC construction needed), 32 bytes."""
    return _blake2b()(payload, digest_size=32, key=_user_key()).digest()


def read_sealed(store: Path, magic: bytes, limit: int) -> bytes | None:
    """The payload of a cache file ``seal`` wrote, or None: missing, not a regular file (a
    FIFO or a device planted at its path is never read or waited on), or not sealed by this
    user's sdd-tui (its MAC does not match)."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(store, flags)
        with os.fdopen(fd, "rb") as fh:
            if not stat_mod.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            blob = fh.read(limit)
    except OSError:
        return None
    head = len(magic)
    mac, payload = blob[head : head + 32], blob[head + 32 :]
    if not blob.startswith(magic) or not compare_digest(mac, _mac(payload)):
        return None
    return payload


def write_sealed(store: Path, magic: bytes, payload: bytes) -> None:
    """Write ``payload`` to the cache file ``store`` with this user's MAC; private, and not
    durable: a cache torn by a crash fails its MAC and is rebuilt.  Raises OSError."""
    make_cache_folder(store.parent)
    replace_bytes(store, magic + _mac(payload) + payload, mode=0o600, durable=False)


def compare_digest(a: bytes, b: bytes) -> bool:
    """Constant-time comparison, as ``hmac.compare_digest`` (which imports OpenSSL)."""
    try:
        from _operator import _compare_digest
    except ImportError:
        from hmac import compare_digest as _compare_digest
    return _compare_digest(a, b)


_KEY: bytes | None = None


def _user_key() -> bytes:
    """A random per-user key in the user config folder (created on first use, mode 0600)."""
    global _KEY
    if _KEY is not None:
        return _KEY
    from sdd_tui.resources import user_config_dir

    path = user_config_dir() / "cache.key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            _KEY = key
            return key
    except OSError:
        pass
    import secrets

    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:
        with contextlib.suppress(OSError):
            existing = path.read_bytes()
            if len(existing) == 32:
                key = existing
    except OSError:
        pass  # no config folder: a key for this process only (the cache just won't be reused)
    _KEY = key
    return key


def default_store(root: Path) -> Path:
    """``.sdd/cache/`` when the workspace has a real ``.sdd/``, else the user's cache folder."""
    sdd = root / ".sdd"
    if sdd.is_dir() and not sdd.is_symlink() and not (sdd / "cache").is_symlink():
        return sdd / "cache" / CACHE_NAME
    import hashlib

    from platformdirs import user_cache_dir

    key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    base = os.environ.get("SDD_TUI_CACHE_DIR") or user_cache_dir("sdd-tui")
    return Path(base) / f"{key}-{CACHE_NAME}"
