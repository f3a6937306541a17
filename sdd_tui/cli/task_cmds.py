"""``add``, ``rename`` and ``remove``: writing tasks headless, with the same ``--path``, exit
codes and one-line errors as ``move`` (``operations.task_edits`` does the writing)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from sdd_tui.cli.common import CliError, load_workspace, parser, print_json, safe_stdio
from sdd_tui.textsafe import safe

if TYPE_CHECKING:
    from sdd_tui.operations.board import Change
    from sdd_tui.workspace.snapshot import Loaded

_PATH_HELP = "workspace folder (default: current, searched upwards)"


def add(argv: list[str]) -> int:
    safe_stdio()
    p = parser("add", "Add a task to a feature's tasks file, with the next free ID.")
    p.add_argument("--path", help=_PATH_HELP)
    p.add_argument("feature", metavar="FEATURE", help="e.g. 002-meal-planner")
    p.add_argument("title", metavar="TITLE", help="the task's title (one line)")
    p.add_argument("--column", help="the board column it starts in (default: the first)")
    p.add_argument("--after", metavar="ID", help="right after this task (key, ID or title)")
    p.add_argument("--section", help='at the end of this section or phase, e.g. "Phase 2"')
    p.add_argument("--story", metavar="USn", help="a user story label, e.g. US1")
    p.add_argument("--parallel", action="store_true", help="the [P] label")
    p.add_argument("--json", action="store_true", help="print the new task as JSON")
    args = p.parse_args(argv)
    if args.after is not None and args.section is not None:
        raise CliError("add: --after and --section name two places; give one")
    loaded = load_workspace(args.path, one_shot=True, only=args.feature)
    from sdd_tui.operations.task_edits import add_task

    change = _run(
        loaded,
        add_task,
        args.feature,
        args.title,
        column=args.column,
        after=args.after,
        section=args.section,
        story=args.story,
        parallel=args.parallel,
    )
    if args.json:
        print_json(_task_json(loaded, change))
    else:
        print(f"added {safe(change.feature)}/{safe(change.task)} ({', '.join(change.files)})")
    return 0


def rename(argv: list[str]) -> int:
    safe_stdio()
    p = parser("rename", "Rename a task: only its title changes (ID, labels, refs kept).")
    p.add_argument("--path", help=_PATH_HELP)
    p.add_argument("ref", metavar="FEATURE/TASK", help="e.g. 002-meal-planner/T009")
    p.add_argument("title", metavar="TITLE", help="the new title (one line)")
    args = p.parse_args(argv)
    feature_ref, task_ref = _split(args.ref)
    loaded = load_workspace(args.path, one_shot=True, only=feature_ref)
    from sdd_tui.operations.task_edits import rename_task

    change = _run(loaded, rename_task, feature_ref, task_ref, args.title)
    what = f"{safe(change.feature)}/{safe(change.name)}"
    if change.noop:
        print(f"{what} already has that title; nothing written")
    else:
        print(f"renamed {what} ({', '.join(change.files)})")
    return 0


def remove(argv: list[str]) -> int:
    safe_stdio()
    p = parser("remove", "Remove a task with its own lines (sub-bullets, nested sub-tasks).")
    p.add_argument("--path", help=_PATH_HELP)
    p.add_argument("ref", metavar="FEATURE/TASK", help="e.g. 002-meal-planner/T009")
    args = p.parse_args(argv)
    feature_ref, task_ref = _split(args.ref)
    loaded = load_workspace(args.path, one_shot=True, only=feature_ref)
    from sdd_tui.operations.task_edits import remove_task

    change = _run(loaded, remove_task, feature_ref, task_ref)
    print(f"removed {safe(change.feature)}/{safe(change.name)} ({', '.join(change.files)})")
    return 0


def _split(ref: str) -> tuple[str, str]:
    feature_ref, sep, task_ref = ref.partition("/")
    if not sep or not feature_ref or not task_ref:
        raise CliError(f"expected FEATURE/TASK, got '{safe(ref)}'")
    return feature_ref, task_ref


def _run(loaded: Loaded, operation: Any, *args: Any, **kwargs: Any) -> Change:
    """The operation, recorded in history; its errors as ``move`` reports them."""
    from sdd_tui.operations.boxes import ArchivedFeature, OperationError
    from sdd_tui.operations.history import HistoryNotRecorded, apply_and_record
    from sdd_tui.workspace.writer import WriteRefused

    try:
        return apply_and_record(loaded, operation, *args, **kwargs)
    except HistoryNotRecorded as exc:  # the edit itself is done
        print(f"sdd-tui: warning: {exc}", file=sys.stderr)
        return exc.change
    except ArchivedFeature as exc:
        raise CliError(f"{exc}; nothing written") from None
    except (OperationError, WriteRefused) as exc:
        raise CliError(safe(str(exc))) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise CliError(f"cannot write: {where}{exc.strerror or exc}", 1) from None


def _task_json(loaded: Loaded, change: Change) -> dict[str, Any]:
    """The new task as ``tasks --json`` would show it, read back from the file."""
    from sdd_tui.workspace.loader import load

    feature = load(loaded.root, only=change.feature).workspace.feature(change.feature)
    task = feature.task(change.task) if feature is not None else None
    if task is None:  # changed again meanwhile: what was written
        return {"feature": change.feature, "key": change.task, "path": change.path}
    return {
        "feature": change.feature,
        "key": task.key,
        "id": task.id,
        "title": task.title,
        "column": task.column,
        "path": task.path,
        "line": task.line,
        "parallel": task.parallel,
        "story": task.story,
    }
