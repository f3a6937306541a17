"""Finding and reading the workspace's test results: JUnit XML and ``test-status.json``.

Result files are untrusted and may be anything: huge (capped, never read past the cap), a
FIFO or device (never opened), a symlink loop, malformed or hostile XML.  Each becomes a
``Problem``; the other files still load.  Parsed files are cached by (size, mtime, inode), so
a refresh after a board move costs a glob and a few ``stat`` calls, not a parse.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sdd_tui.formats.junit import JUnitError, NotJUnit, TestCase, TestResults, parse_junit
from sdd_tui.formats.test_status import LOCATIONS, TestStatus, TestStatusError, parse_test_status
from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.fsread import ReadProblem, read_file

DEFAULT_GLOBS = (
    ".sdd/results/**/*.xml",
    "junit.xml",
    "test-results/**/*.xml",
    "reports/**/*.xml",
    "build/test-results/**/*.xml",
    "target/surefire-reports/*.xml",
)
MAX_RESULT_BYTES = 32 * 1024 * 1024  # one results file
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all of them together
MAX_STATUS_BYTES = 4 * 1024 * 1024  # test-status.json
MAX_FILES = 500

StatKey = tuple[int, int, int, int]  # size, mtime_ns, inode, mode


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MiB"


def result_files(root: Path, globs: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """Root-relative paths matching ``globs`` (default locations if None), in glob order.

    ``**`` never follows a symlinked folder (no loops); absolute patterns and ``..`` are
    ignored: results are read from inside the workspace only.
    """
    found: dict[str, None] = {}
    for pattern in globs or DEFAULT_GLOBS:
        pattern = pattern.strip().replace("\\", "/").removeprefix("./")
        if not pattern or os.path.isabs(pattern) or ".." in Path(pattern).parts:
            continue
        try:
            matches = sorted(root.glob(pattern))
        except (ValueError, OSError, RecursionError):
            continue
        for match in matches:
            found.setdefault(match.relative_to(root).as_posix(), None)
            if len(found) > MAX_FILES:
                return list(found)
    return list(found)


def _stat_key(path: Path) -> StatKey | None:
    try:
        st = os.stat(path)  # follows links; never opens (a FIFO is safe to stat)
    except (OSError, RuntimeError, ValueError):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode)


@dataclass(slots=True)
class _Entry:
    key: StatKey | None
    cases: list[TestCase] | None = None
    problem: Problem | None = None
    not_junit: str | None = None  # why well-formed XML is not a JUnit report
    warning: Problem | None = None  # read, but not as written (see ``parse_junit``)


@dataclass(slots=True)
class ResultsCache:
    """Parsed result files by root-relative path, reused while (size, mtime, inode) hold."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(slots=True)
class ResultSnapshot:
    """Everything the Tests pane shows, read at one moment."""

    results: TestResults
    status: list[TestStatus]
    problems: list[Problem]
    fingerprint: str

    @property
    def empty(self) -> bool:
        return not self.results.cases and not self.status


def fingerprint(root: Path, globs: list[str] | tuple[str, ...] | None = None) -> str:
    """A short hash of which result files exist and their (size, mtime): cheap, no reads."""
    h = hashlib.sha1(usedforsecurity=False)
    for rel in [*result_files(root, globs), *LOCATIONS]:
        h.update(f"{rel}\0{_stat_key(root / rel)}\n".encode())
    return h.hexdigest()[:16]


def load_results(
    root: Path,
    globs: list[str] | tuple[str, ...] | None = None,
    *,
    cache: ResultsCache | None = None,
) -> tuple[TestResults, list[Problem]]:
    """JUnit results of the workspace and the problems met reading them.

    With the default locations, well-formed XML that is not a JUnit report (a coverage.xml in
    reports/) is skipped quietly; a file named in ``tests.junit`` must be JUnit.
    """
    configured = bool(globs)
    results = TestResults()
    problems: list[Problem] = []
    files = result_files(root, globs)
    if len(files) > MAX_FILES:
        files = files[:MAX_FILES]
        problems.append(
            Problem(
                files[-1],
                f"more than {MAX_FILES} result files match; only the first {MAX_FILES} are read",
            )
        )
    total = 0
    for rel in files:
        path = root / rel
        key = _stat_key(path)
        if key is not None and stat.S_ISDIR(key[3]):
            continue
        entry = None
        if cache is not None:
            with cache.lock:
                entry = cache.entries.get(rel)
        if entry is None or entry.key != key or key is None:
            if key is not None and stat.S_ISREG(key[3]) and total + key[0] > MAX_TOTAL_BYTES:
                problems.append(
                    Problem(rel, f"not read: result files over {_mib(MAX_TOTAL_BYTES)} in total")
                )
                continue
            entry = _read_one(root, rel, key)
            if cache is not None:
                with cache.lock:
                    cache.entries[rel] = entry
        if entry.problem is not None:
            problems.append(entry.problem)
        elif entry.not_junit is not None:
            if configured:
                problems.append(Problem(rel, entry.not_junit))
        elif entry.cases is not None:
            if entry.warning is not None:
                problems.append(entry.warning)
            total += key[0] if key else 0
            results.files.append(rel)
            results.cases.extend(entry.cases)
    if cache is not None:
        with cache.lock:
            for stale in set(cache.entries) - set(files):
                del cache.entries[stale]
    return results, problems


def _read_one(root: Path, rel: str, key: StatKey | None) -> _Entry:
    if key is not None and stat.S_ISREG(key[3]) and key[0] > MAX_RESULT_BYTES:
        return _Entry(
            key,
            problem=Problem(
                rel,
                f"results file too large ({_mib(key[0])}; sdd-tui reads at most "
                f"{_mib(MAX_RESULT_BYTES)}); not read",
            ),
        )
    try:
        read = read_file(root, root / rel, limit=MAX_RESULT_BYTES)
    except ReadProblem as exc:
        return _Entry(key, problem=Problem(rel, str(exc)))
    warnings: list[str] = []
    try:
        cases = parse_junit(read.data, rel, warnings=warnings)
    except NotJUnit as exc:
        return _Entry(key, not_junit=str(exc))
    except JUnitError as exc:
        return _Entry(key, problem=Problem(rel, str(exc), exc.line))
    warning = Problem(rel, "; ".join(warnings)) if warnings else None
    return _Entry(key, cases=cases, warning=warning)


def load_test_status(root: Path) -> tuple[list[TestStatus], list[Problem]]:
    """``test-status.json`` at the root and in ``.zencoder/`` (whichever exist)."""
    found: list[TestStatus] = []
    problems: list[Problem] = []
    for rel in LOCATIONS:
        path = root / rel
        if not os.path.lexists(path):
            continue
        try:
            read = read_file(root, path, limit=MAX_STATUS_BYTES)
            found.append(parse_test_status(read.data, rel))
        except ReadProblem as exc:
            problems.append(Problem(rel, str(exc)))
        except TestStatusError as exc:
            problems.append(Problem(rel, str(exc), exc.line))
    return found, problems


def load_snapshot(
    root: Path,
    globs: list[str] | tuple[str, ...] | None = None,
    *,
    cache: ResultsCache | None = None,
) -> ResultSnapshot:
    """JUnit results, test-status files and their problems, with the fingerprint read."""
    fp = fingerprint(root, globs)
    results, problems = load_results(root, globs, cache=cache)
    status, status_problems = load_test_status(root)
    return ResultSnapshot(results, status, problems + status_problems, fp)


def unread_bytes(root: Path, globs: list[str] | tuple[str, ...] | None, cache: ResultsCache) -> int:
    """How many bytes of result files a load would parse now (files new or changed since
    ``cache`` read them); lets a UI parse large results off its event loop."""
    total = 0
    for rel in result_files(root, globs)[:MAX_FILES]:
        key = _stat_key(root / rel)
        if key is None or not stat.S_ISREG(key[3]):
            continue
        with cache.lock:
            entry = cache.entries.get(rel)
        if entry is None or entry.key != key:
            total += min(key[0], MAX_RESULT_BYTES + 1)
    return total
