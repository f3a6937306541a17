"""Running the workspace's test command: async subprocess, live output, cancel, run history.

``tests.command`` from ``.sdd/config.yaml`` runs through the shell in the workspace root, in
its own process group (its own session), with stdin closed and stdout+stderr merged.  Output
is decoded incrementally, escape sequences are stripped and it is handed on line by line.
Cancelling terminates the whole group (SIGTERM, then SIGKILL after a grace period), so a
test runner's workers and a hung ``sleep`` go too.

Nothing here decides *whether* a command may run: the UI asks the user first (and remembers
the answer in the user's config dir), ``sdd-tui tests --run`` is the user asking.

Each finished run is appended to ``.sdd/cache/test-runs.jsonl`` (the cache folder ignores
itself in git) for the pass-rate sparkline.  Headless: no Textual here.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sdd_tui.formats.junit import strip_escapes
from sdd_tui.model.progress import fraction_steps
from sdd_tui.model.record import record
from sdd_tui.workspace.atomic import replace_bytes
from sdd_tui.workspace.fsread import within
from sdd_tui.workspace.results import ResultsCache, fingerprint, load_results

HISTORY_PATH = ".sdd/cache/test-runs.jsonl"
HISTORY_KEEP = 200
_HISTORY_MAX_BYTES = 256 * 1024
MAX_LINE = 4000
_POLL = 0.05  # seconds between looks at the process while it runs
_PENDING_MAX = 16384
SPARK = "▁▂▃▄▅▆▇█"


class NoCommand(Exception):
    """There is no test command to run; ``str()`` says how to add one."""


def require_command(command: str | None) -> str:
    """The command to run, or NoCommand with a one-line hint."""
    if command is None or not command.strip():
        raise NoCommand(
            "no test command: set tests.command in .sdd/config.yaml, e.g. "
            "tests: {command: 'pytest --junitxml=.sdd/results/junit.xml'}"
        )
    if "\0" in command:
        raise NoCommand("tests.command contains a NUL character; not run")
    return command


# --------------------------------------------------------------------------- output


class OutputCleaner:
    """Bytes in, display lines out: UTF-8 (bad bytes replaced), escape sequences removed,
    ``\\r`` progress redraws collapsed to their last state, very long lines cut."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> list[str]:
        self._pending += self._decoder.decode(data)
        if "\n" not in self._pending and len(self._pending) < _PENDING_MAX:
            return []
        *lines, self._pending = self._pending.split("\n")
        if len(self._pending) >= _PENDING_MAX:
            lines.append(self._pending)
            self._pending = ""
        return [clean_line(line) for line in lines]

    def flush(self) -> list[str]:
        rest = self._pending + self._decoder.decode(b"", final=True)
        self._pending = ""
        return [clean_line(line) for line in rest.split("\n")] if rest else []


def clean_line(line: str) -> str:
    """One output line as it would look in a terminal, without escape sequences."""
    line = strip_escapes(line)
    if "\r" in line:
        parts = [p for p in line.split("\r") if p]
        line = parts[-1] if parts else ""
    if len(line) > MAX_LINE:
        line = f"{line[:MAX_LINE]}… ({len(line) - MAX_LINE} more characters)"
    return line


# --------------------------------------------------------------------------- running


@record
class RunResult:
    command: str
    returncode: int | None
    cancelled: bool
    duration: float  # seconds
    started: str  # ISO time, UTC
    error: str | None = None  # could not start, or the shell could not find the command

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.cancelled and self.error is None


class TestRunner:
    """One run of ``command`` in ``root``.  ``await run()``; ``cancel()`` from the same loop."""

    __test__ = False

    def __init__(
        self,
        root: Path,
        command: str,
        *,
        on_output: Callable[[list[str]], None] | None = None,
        env: Mapping[str, str] | None = None,
        grace: float = 2.0,
        drain: float = 1.0,
    ) -> None:
        self.root = Path(root)
        self.command = command
        self.on_output = on_output
        self.env = env
        self.grace = grace
        self.drain = drain
        self.pid: int | None = None
        self.started_at: float | None = None
        self._cancel = asyncio.Event()
        self._cancelled = False
        self._proc: asyncio.subprocess.Process | None = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    def elapsed(self) -> float:
        return 0.0 if self.started_at is None else time.monotonic() - self.started_at

    def cancel(self) -> None:
        """Stop the run: the whole process group is terminated (then killed)."""
        self._cancelled = True
        self._cancel.set()

    def _emit(self, lines: list[str]) -> None:
        if lines and self.on_output is not None:
            self.on_output(lines)

    async def run(self) -> RunResult:
        started = datetime.now(UTC).isoformat(timespec="seconds")
        self.started_at = time.monotonic()
        env = dict(os.environ if self.env is None else self.env)
        env.setdefault("NO_COLOR", "1")
        kwargs: dict[str, object] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True
        else:  # pragma: no cover - Windows
            kwargs["creationflags"] = 0x00000200  # CREATE_NEW_PROCESS_GROUP
        try:
            proc = await asyncio.create_subprocess_shell(
                self.command,
                cwd=self.root,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                env=env,
                **kwargs,  # type: ignore[arg-type]
            )
        except OSError as exc:
            return RunResult(
                self.command,
                None,
                False,
                self.elapsed(),
                started,
                f"cannot start the command: {exc.strerror or exc}",
            )
        self._proc = proc
        self.pid = proc.pid
        cleaner = OutputCleaner()
        assert proc.stdout is not None
        reader = asyncio.ensure_future(self._pump(proc.stdout, cleaner))
        try:
            returncode = await self._wait(proc)
        except asyncio.CancelledError:  # the caller went away (ctrl+c in the CLI, app exit)
            self._cancelled = True
            reader.cancel()
            await asyncio.shield(self._terminate(proc))
            _close_transport(proc)
            raise
        try:
            await asyncio.wait_for(asyncio.shield(reader), self.drain)
        except TimeoutError:
            # Something (a background child) still holds the output pipe: end the group.
            self._signal_group(signal.SIGKILL)
            try:
                await asyncio.wait_for(asyncio.shield(reader), self.drain)
            except TimeoutError:  # it left the group (setsid): stop listening to it
                reader.cancel()
                _close_transport(proc)
        self._emit(cleaner.flush())
        error = None
        if not self._cancelled:
            if returncode == 127:
                error = "the shell could not find the command (exit 127)"
            elif returncode == 126:
                error = "the command is not executable (exit 126)"
        return RunResult(self.command, returncode, self._cancelled, self.elapsed(), started, error)

    async def _pump(self, stream: asyncio.StreamReader, cleaner: OutputCleaner) -> None:
        while True:
            data = await stream.read(16384)
            if not data:
                return
            self._emit(cleaner.feed(data))
            await asyncio.sleep(0)  # let the UI breathe under a flood of output

    async def _wait(self, proc: asyncio.subprocess.Process) -> int:
        """The leader's exit code, or the group stopped on cancel.

        ``Process.wait()`` is not used for this: before Python 3.12 it also waits for the
        output pipe to close, which a background child of the tests may hold open forever.
        """
        while proc.returncode is None:
            if self._cancel.is_set():
                await self._terminate(proc)
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._cancel.wait(), _POLL)
        return proc.returncode if proc.returncode is not None else -signal.SIGKILL

    async def _exited(self, proc: asyncio.subprocess.Process, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while proc.returncode is None and time.monotonic() < deadline:
            await asyncio.sleep(_POLL)
        return proc.returncode is not None

    async def _terminate(self, proc: asyncio.subprocess.Process) -> None:
        self._signal_group(signal.SIGTERM)
        if not await self._exited(proc, self.grace):
            self._signal_group(signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await self._exited(proc, 5.0)
        # the leader is gone; make sure no straggler of its group survives
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: int) -> None:
        if self.pid is None:
            return
        if os.name == "posix":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, sig)
        elif self._proc is not None:  # pragma: no cover - Windows
            with contextlib.suppress(ProcessLookupError):
                self._proc.kill()


def _close_transport(proc: asyncio.subprocess.Process) -> None:
    """Close the pipes of an exited process we stop listening to."""
    transport = getattr(proc, "_transport", None)
    if transport is not None:
        with contextlib.suppress(Exception):
            transport.close()


# --------------------------------------------------------------------------- summary


@record
class RunSummary:
    """A finished run with the results read back afterwards."""

    run: RunResult
    totals: dict[str, int] | None  # None when the run wrote no new results
    fresh: bool

    @property
    def outcome(self) -> str:
        """passed | failed | cancelled | error."""
        if self.run.cancelled:
            return "cancelled"
        if self.run.error is not None or self.run.returncode is None:
            return "error"
        if self.run.returncode != 0:
            return "failed"
        if self.totals and (self.totals["failed"] or self.totals["errors"]):
            return "failed"
        return "passed"

    @property
    def pass_rate(self) -> float | None:
        t = self.totals
        if not t:
            return None
        ran = t["passed"] + t["failed"] + t["errors"]
        return t["passed"] / ran if ran else None

    def line(self) -> str:
        """``passed · 13 passed, 0 failed, 0 errors, 1 skipped · 1.4 s``."""
        parts = [self.outcome]
        if self.run.error:
            parts.append(self.run.error)
        elif self.run.cancelled:
            parts.append("process group stopped")
        elif self.run.returncode not in (0, None):
            parts.append(f"exit {self.run.returncode}")
        t = self.totals
        if t is not None:
            parts.append(
                f"{t['passed']} passed, {t['failed']} failed, {t['errors']} errors, "
                f"{t['skipped']} skipped"
            )
        elif not self.run.cancelled and self.run.error is None:
            parts.append("no new results written")
        parts.append(format_duration(self.run.duration))
        return " · ".join(parts)

    def to_json(self) -> dict[str, object]:
        return {
            "time": self.run.started,
            "command": self.run.command,
            "exit": self.run.returncode,
            "outcome": self.outcome,
            "duration": round(self.run.duration, 3),
            "totals": self.totals,
        }


def format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s"


def summarize(
    root: Path,
    run: RunResult,
    before: str,
    globs: list[str] | tuple[str, ...] | None = None,
    *,
    cache: ResultsCache | None = None,
) -> RunSummary:
    """Read the results back after ``run``; ``before`` is the fingerprint taken before it."""
    fresh = fingerprint(root, globs) != before
    totals = None
    if fresh:
        results, _ = load_results(root, globs, cache=cache)
        if results.cases:
            totals = results.totals()
    return RunSummary(run, totals, fresh)


# --------------------------------------------------------------------------- history


def _cache_dir(root: Path) -> Path:
    """``.sdd/cache`` created (self-ignoring in git); refuses a link out of the workspace."""
    cache = root / ".sdd" / "cache"
    real_root = root.resolve()
    if os.path.lexists(cache) and not within(real_root, cache.resolve()):
        raise OSError(f"{cache} points outside the workspace; not written")
    if os.path.lexists(root / ".sdd") and not within(real_root, (root / ".sdd").resolve()):
        raise OSError(f"{root / '.sdd'} points outside the workspace; not written")
    if not cache.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        ignore = cache / ".gitignore"
        if not os.path.lexists(ignore):
            ignore.write_text("# sdd-tui's local cache: never committed\n*\n", encoding="utf-8")
    return cache


def append_history(root: Path, summary: RunSummary) -> str | None:
    """Record ``summary``; returns a one-line message instead of raising on failure."""
    try:
        path = _cache_dir(root) / "test-runs.jsonl"
        line = json.dumps(summary.to_json(), ensure_ascii=False, sort_keys=True) + "\n"
        if path.is_symlink():
            return f"{HISTORY_PATH} is a symlink; run history not recorded"
        fd = os.open(
            path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644
        )
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(line)
        if path.stat().st_size > _HISTORY_MAX_BYTES:
            _trim(path)
    except OSError as exc:
        return f"run history not recorded: {exc.strerror or exc}"
    return None


def _trim(path: Path) -> None:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    replace_bytes(path, "".join(lines[-HISTORY_KEEP:]).encode("utf-8"))


def read_history(root: Path, limit: int = 20) -> list[dict[str, object]]:
    """The last ``limit`` recorded runs, oldest first; unreadable lines are skipped."""
    path = root / HISTORY_PATH
    try:
        if not path.is_file():
            return []
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 64 * 1024))
            tail = handle.read()
    except OSError:
        return []
    out: list[dict[str, object]] = []
    for raw in tail.decode("utf-8", errors="replace").splitlines()[-limit * 2 :]:
        try:
            item = json.loads(raw)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
    return out[-limit:]


def pass_rates(history: list[dict[str, object]]) -> list[float]:
    """Pass rate of each recorded run that produced results (cancelled runs skipped)."""
    rates: list[float] = []
    for item in history:
        totals = item.get("totals")
        if not isinstance(totals, dict):
            continue
        try:
            passed = int(totals.get("passed", 0))
            ran = passed + int(totals.get("failed", 0)) + int(totals.get("errors", 0))
        except (TypeError, ValueError):
            continue
        if ran > 0:
            rates.append(passed / ran)
    return rates


def sparkline(values: list[float]) -> str:
    """``▁▃█``: one block per value in 0..1 (the full block only for 1, the lowest only
    for 0)."""
    top = len(SPARK) - 1
    return "".join(SPARK[fraction_steps(v, top)] for v in values)


LOG_LINES = 5000
_DRAIN = 2000  # lines written per tick: a flood of output never stalls the UI


@dataclass(slots=True)
class RunState:
    """One run as the UI sees it: its output (last lines) and, once ended, its summary."""

    command: str
    runner: TestRunner | None = None
    log: deque[str] = field(default_factory=lambda: deque(maxlen=LOG_LINES))
    pending: deque[str] = field(default_factory=lambda: deque(maxlen=LOG_LINES))
    line_count: int = 0
    summary: RunSummary | None = None
    note: str | None = None  # a message to show once the run ended (history not written…)

    @property
    def running(self) -> bool:
        return self.summary is None

    def add(self, lines: list[str]) -> None:
        self.line_count += len(lines)
        self.log.extend(lines)
        self.pending.extend(lines)

    def take(self, limit: int = _DRAIN) -> list[str]:
        out: list[str] = []
        while self.pending and len(out) < limit:
            out.append(self.pending.popleft())
        return out
