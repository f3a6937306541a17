"""What the MCP server's tools do, without the MCP SDK: one method per tool, JSON out.

``mcp_cmd`` wraps each method in an MCP tool; tests call them directly too.  Every call
re-reads the workspace first (the loader reuses unchanged files), so edits made by others
between calls are seen; every write goes through ``operations`` and
``history.apply_and_record``, recorded with the agent as author, so an open workbench follows
it live and ``u`` undoes it.  Bad input raises :class:`ToolFailure` with the one-line
message the CLI prints for the same mistake; nothing is written then.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Columns, Feature
from sdd_tui.operations.linked_results import LinkedResults
from sdd_tui.operations.report import change_json, feature_summary, status_json, task_json
from sdd_tui.workspace.snapshot import Loaded
from sdd_tui.workspace.stamp import Stamp

DOCUMENT_ROLES = ("spec", "plan", "tasks")


class ToolFailure(Exception):
    """Bad input or a refused write: one line for the agent, nothing written."""


class AgentTools:
    """The tools over one workspace root (the worktree the server was started in)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: Loaded | None = None
        self._stamp: Stamp | None = None
        # the results and their links, read again only when the result files change
        self._results = LinkedResults()
        # Tools run in worker threads: one call at a time reads and writes the workspace.
        self._lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------

    def fresh(self, written: tuple[str, ...] | None = None) -> Loaded:
        """The workspace as it is now.  Re-reads only what changed since the last call
        (``workspace.stamp``: a few hundred ``lstat`` calls when nothing did); ``written``:
        the files a write of ours just changed (its temporary file changed their folders'
        times too, which would otherwise ask for a full re-read)."""
        from sdd_tui.workspace import stamp
        from sdd_tui.workspace.loader import WorkspaceError, load_root

        previous, last = self._loaded, self._stamp
        if previous is not None and last is not None and written is not None:
            pre: Stamp | None = stamp.written(last, written)
            changed: tuple[str, ...] | None = written
            full = last.full
        else:
            changed = stamp.changes(last) if previous is not None and last is not None else None
            if changed == ():
                return previous  # type: ignore[return-value]  # not None: see above
            full = last.full if changed is not None and last is not None else time.monotonic()
            pre = stamp.before(previous, last, full=full) if previous is not None else None
        try:
            loaded = load_root(self.root, previous=previous, persist=False, changed=changed)
        except WorkspaceError as exc:
            raise ToolFailure(str(exc)) from None
        self._loaded, self._stamp = loaded, stamp.after(pre, loaded, full=full)
        return loaded

    def _feature(self, loaded: Loaded, ref: str) -> Feature:
        f = loaded.workspace.feature(ref)
        if f is None:
            raise ToolFailure(f"unknown feature '{ref}'")
        return f

    def _task(self, f: Feature, ref: str) -> Task:
        t = f.task(ref)
        if t is None:
            raise ToolFailure(f"unknown task '{ref}' in feature '{f.id}'")
        return t

    def status(self) -> dict[str, Any]:
        with self._lock:
            return status_json(self.fresh().workspace)

    def list_features(self) -> list[dict[str, Any]]:
        with self._lock:
            ws = self.fresh().workspace
            return [feature_summary(ws, f) for f in ws.features]

    def list_tasks(
        self, feature: str | None = None, column: str | None = None, text: str | None = None
    ) -> list[dict[str, Any]]:
        with self._lock:
            loaded = self.fresh()
            ws = loaded.workspace
            features = [self._feature(loaded, feature)] if feature else list(ws.features)
            if column is not None and column not in ws.columns:
                raise ToolFailure(f"unknown column '{column}' (columns: {', '.join(ws.columns)})")
            needle = text.casefold() if text else None
            return [
                task_json(t)
                for f in features
                for t in f.tasks
                if (column is None or t.column == column)
                and (
                    needle is None
                    or needle in t.text.casefold()
                    or (t.id is not None and needle == t.id.casefold())
                )
            ]

    def next_tasks(self, feature: str | None = None) -> list[dict[str, Any]]:
        from sdd_tui.operations.next import next_json, next_tasks

        with self._lock:
            loaded = self.fresh()
            chosen = [self._feature(loaded, feature)] if feature else None
            return next_json(next_tasks(loaded.workspace, chosen))

    def get_task(self, feature: str, task: str) -> dict[str, Any]:
        from sdd_tui.formats.dependencies import name, read_order
        from sdd_tui.operations.next import ready_in

        with self._lock:
            loaded = self.fresh()
            f = self._feature(loaded, feature)
            t = self._task(f, task)
            by_key = {x.key: x for x in f.tasks}
            order = read_order(f.tasks)
            waits = (*order.siblings.get(t.key, ()), *order.explicit.get(t.key, ()))
            ready = any(r.task.key == t.key for r in ready_in(f, Columns(loaded.workspace.columns)))
            return {
                **task_json(t),
                "where": f"{t.path}:{t.line}",
                "text": t.text,
                "body": list(t.body),
                "subtasks": [name(by_key[k]) for k in t.subtasks if k in by_key],
                "requirement_details": self._requirements(loaded, f, t),
                "tests": self._tests(loaded, f, t),
                "waits_for": [name(by_key[k]) for k in waits if k in by_key],
                "ready": ready,
            }

    def _requirements(self, loaded: Loaded, f: Feature, t: Task) -> list[dict[str, Any]]:
        from sdd_tui.model.ids import canon, covers, task_refs

        refs = task_refs(loaded.workspace, f, t)
        out: list[dict[str, Any]] = []
        for r in f.requirements:
            key = canon(r.id)
            story = r.kind == "story" and t.story is not None and canon(t.story) == key
            if story or any(covers(ref, key) for ref in refs):
                out.append(
                    {
                        "id": r.id,
                        "kind": r.kind,
                        "text": r.text,
                        "tag": r.tag,
                        "withdrawn": r.withdrawn,
                        "path": r.path,
                        "line": r.line,
                    }
                )
        return out

    def _tests(self, loaded: Loaded, f: Feature, t: Task) -> list[dict[str, Any]]:
        results = self._linked(loaded, f)
        if results.trace is None or results.results is None or not results.results.cases:
            return []
        return [c.to_json() for c in results.trace.task_tests(f, t)]

    def _linked(self, loaded: Loaded, feature: Feature | None) -> LinkedResults:
        """The results linked into ``feature``; nothing is read or linked again while the
        result files and the workspace are unchanged."""
        results = self._results
        results.refresh(loaded, feature)
        if results.failure is not None:
            raise ToolFailure(results.failure)
        return results

    def check(self, feature: str | None = None, use_git: bool = True) -> dict[str, Any]:
        from sdd_tui.operations.checks import run_checks

        with self._lock:
            loaded = self.fresh()
            try:
                report = run_checks(loaded, feature=feature, use_git=use_git)
            except KeyError:
                raise ToolFailure(f"unknown feature '{feature}'") from None
            data = report.to_json()
            data["problems"] = [p.to_json() for p in loaded.workspace.problems] + data["problems"]
            return data

    def trace(self, feature: str | None = None) -> dict[str, Any]:
        from sdd_tui.operations.trace import tests_json

        with self._lock:
            loaded = self.fresh()
            f = self._feature(loaded, feature) if feature else None
            results = self._linked(loaded, None)  # linked into every feature
            cases = results.results.cases if results.results is not None else []
            return tests_json(
                loaded.workspace, cases, results.problems, feature=f, trace=results.trace
            )

    def document(self, feature: str, role: str) -> str:
        """The text of a feature's spec, plan or tasks document."""
        from sdd_tui.formats.text import DecodeProblem, SourceText
        from sdd_tui.workspace.fsread import ReadProblem, read_file

        with self._lock:
            loaded = self.fresh()
            f = self._feature(loaded, feature)
            if role not in DOCUMENT_ROLES:
                raise ToolFailure(f"unknown document '{role}' (documents: spec, plan, tasks)")
            path = f.documents.get(role)
            if not path:
                raise ToolFailure(f"feature '{f.id}' has no {role} document")
            try:
                data = read_file(loaded.root, loaded.root / path).data
                return SourceText.decode(data).text
            except (ReadProblem, DecodeProblem) as exc:
                raise ToolFailure(f"{path}: {exc}") from None

    def documents(self) -> list[tuple[str, str, str]]:
        """(feature, role, path) of every spec, plan and tasks document there is."""
        with self._lock:
            ws = self.fresh().workspace
            return [
                (f.id, role, path)
                for f in ws.features
                for role in DOCUMENT_ROLES
                if (path := f.documents.get(role))
            ]

    # -- writing -------------------------------------------------------------------------

    def move_task(self, feature: str, task: str, column: str, author: str) -> dict[str, Any]:
        from sdd_tui.operations.board import move

        return self._write(author, move, feature, task, column)

    def set_checklist_item(
        self, feature: str, item: str, checked: bool, author: str
    ) -> dict[str, Any]:
        from sdd_tui.operations.review import find_item, tick

        with self._lock:
            f = self._feature(self.fresh(), feature)
            key = item
            if find_item(f, item) is None:  # an ID (CHK012) names the item when only one has it
                keys = [c.key for c in f.checklist if c.id and c.id.lower() == item.lower()]
                if len(keys) > 1:
                    raise ToolFailure(f"checklist ID '{item}' is in several files: use one of "
                                      f"{', '.join(keys)}")  # fmt: skip
                key = keys[0] if keys else item
        return self._write(author, tick, feature, key, checked)

    def answer_clarification(
        self, feature: str, number: int, answer: str, author: str
    ) -> dict[str, Any]:
        from sdd_tui.operations.clarify import answer as answer_op

        return self._write(author, answer_op, feature, number, answer)

    def add_task(
        self,
        feature: str,
        title: str,
        column: str | None,
        after: str | None,
        section: str | None,
        author: str,
    ) -> dict[str, Any]:
        from functools import partial

        from sdd_tui.operations.task_edits import add_task

        op = partial(add_task, column=column, after=after, section=section)
        return self._write(author, op, feature, title)

    def rename_task(self, feature: str, task: str, title: str, author: str) -> dict[str, Any]:
        from sdd_tui.operations.task_edits import rename_task

        return self._write(author, rename_task, feature, task, title)

    def remove_task(self, feature: str, task: str, author: str) -> dict[str, Any]:
        from sdd_tui.operations.task_edits import remove_task

        return self._write(author, remove_task, feature, task)

    def _write(self, author: str, op: Callable[..., Any], *args: Any) -> dict[str, Any]:
        from sdd_tui.operations.boxes import OperationError
        from sdd_tui.operations.history import HistoryNotRecorded, apply_and_record
        from sdd_tui.workspace.snapshot import HISTORY_PATH
        from sdd_tui.workspace.writer import WriteRefused

        with self._lock:
            loaded = self.fresh()
            warning = None
            try:
                change = apply_and_record(loaded, op, *args, author=author)
            except HistoryNotRecorded as exc:  # the edit is done; its history line is not
                change, warning = exc.change, str(exc)
            except (OperationError, WriteRefused) as exc:
                raise ToolFailure(str(exc).splitlines()[0]) from None
            except OSError as exc:
                where = f"{exc.filename}: " if exc.filename else ""
                raise ToolFailure(f"cannot write: {where}{exc.strerror or exc}") from None
            out = change_json(change)
            if warning:
                out["warning"] = warning
            after = self.fresh(written=(*change.files, HISTORY_PATH))
            if change.op == "move":
                f = after.workspace.feature(change.feature)
                t = f.task(change.task) if f is not None else None
                if t is not None:
                    out["card"] = task_json(t)  # the task as the board shows it now
            return out
