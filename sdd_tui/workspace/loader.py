"""Loading a whole workspace into an immutable snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd_tui.formats.board_state import load_board
from sdd_tui.formats.requirements import (
    clarifications,
    kiro_requirements,
    openspec_requirements,
    speckit_requirements,
)
from sdd_tui.formats.tasks import Columns, build_checklist, build_tasks
from sdd_tui.model.spec import Clarification, Heading, Requirement
from sdd_tui.model.workspace import Feature, Problem, Workspace
from sdd_tui.workspace.discover import FeatureSource, active_feature, discover, find_root
from sdd_tui.workspace.documents import DocumentCache, ParsedDoc
from sdd_tui.workspace.fsread import ReadProblem, read_optional

if TYPE_CHECKING:
    from sdd_tui.formats.config import SddConfig

CONFIG_PATH = ".sdd/config.yaml"
BOARD_PATH = ".sdd/board.json"
HISTORY_PATH = ".sdd/history.jsonl"
DEFAULT_COLUMNS = ("todo", "in_progress", "review", "done")

_REQUIREMENT_READERS = {
    "speckit": speckit_requirements,
    "zencoder": speckit_requirements,
    "kiro": kiro_requirements,
    "openspec": openspec_requirements,
}


class WorkspaceError(Exception):
    """The workspace cannot be opened at all (e.g. the path does not exist)."""


@dataclass(slots=True)
class Loaded:
    """A snapshot plus what it was computed from, for operations and reloads."""

    workspace: Workspace
    root: Path
    board: dict[str, Any]
    board_raw: bytes | None
    config: SddConfig | None
    cache: DocumentCache
    sources: list[FeatureSource] = field(default_factory=list)

    @property
    def columns(self) -> Columns:
        return Columns(self.workspace.columns)


def load(path: str | Path | None = None, *, cache: DocumentCache | None = None) -> Loaded:
    """Find the root from ``path`` (default: the current folder) and load everything."""
    start = Path.cwd() if path is None else Path(path)
    if not start.exists():
        raise WorkspaceError(f"no such file or directory: {start}")
    root = find_root(start)
    return load_root(root, cache=cache)


def load_root(root: Path, *, cache: DocumentCache | None = None) -> Loaded:
    cache = cache or DocumentCache()
    problems: list[Problem] = []
    config, column_ids, titles = _config(root, problems)
    columns = Columns(column_ids)
    board_raw = _read_raw(root, BOARD_PATH, problems)
    board, board_problems = load_board(board_raw, BOARD_PATH)
    problems += board_problems
    sources, found = discover(root)
    problems += found
    features = [_feature(root, src, cache, board, columns, problems) for src in sources]
    active = active_feature(root, [f.id for f in features])
    ws = Workspace(
        root=str(root),
        columns=column_ids,
        features=tuple(features),
        active_feature=active,
        problems=tuple(problems),
        column_titles=titles,
    )
    return Loaded(ws, root, board, board_raw, config, cache, sources)


def _read_raw(root: Path, relpath: str, problems: list[Problem]) -> bytes | None:
    try:
        read = read_optional(root, root / relpath)
    except ReadProblem as exc:
        problems.append(Problem(relpath, str(exc)))
        return None
    return None if read is None else read.data


def _config(
    root: Path, problems: list[Problem]
) -> tuple[SddConfig | None, tuple[str, ...], dict[str, str]]:
    raw = _read_raw(root, CONFIG_PATH, problems)
    if raw is None:
        titles = {c: c.replace("_", " ").title() for c in DEFAULT_COLUMNS}
        return None, DEFAULT_COLUMNS, titles
    from sdd_tui.formats.config import load_config  # pydantic only when there is a config

    config, found = load_config(raw, CONFIG_PATH)
    problems += found
    return config, config.column_ids, config.column_titles


def _doc(
    root: Path, relpath: str | None, cache: DocumentCache, problems: list[Problem]
) -> ParsedDoc | None:
    if relpath is None:
        return None
    result = cache.load(root, relpath)
    if isinstance(result, Problem):
        problems.append(result)
        return None
    if result.outside:
        problems.append(Problem(relpath, "symlink to a file outside the workspace; read-only"))
    return result


def _feature(
    root: Path,
    src: FeatureSource,
    cache: DocumentCache,
    board: dict[str, Any],
    columns: Columns,
    problems: list[Problem],
) -> Feature:
    docs = src.documents
    tasks_doc = _doc(root, docs.get("tasks"), cache, problems)
    tasks = ()
    if tasks_doc is not None:
        built, found = build_tasks(
            src.id,
            src.layout,
            tasks_doc.boxes,
            board,
            columns,
            in_progress_sections=src.in_progress_sections,
        )
        tasks = tuple(built)
        problems += found
    checklist = []
    taken: dict[str, int] = {}
    spec_doc = _doc(root, docs.get("spec"), cache, problems)
    if spec_doc is not None and src.layout in ("speckit", "zencoder"):
        checklist += build_checklist(src.id, spec_doc.boxes, taken=taken)
    for relpath in src.checklist_files:
        doc = _doc(root, relpath, cache, problems)
        if doc is not None:
            checklist += build_checklist(src.id, doc.boxes, taken=taken)
    requirements: list[Requirement] = []
    clar: list[Clarification] = []
    reader = _REQUIREMENT_READERS[src.layout]
    for relpath in src.requirement_files:
        doc = (
            spec_doc
            if spec_doc is not None and relpath == spec_doc.path
            else _doc(root, relpath, cache, problems)
        )
        if doc is None:
            continue
        requirements += reader(src.id, relpath, doc.src, doc.md)
        clar += clarifications(src.id, relpath, doc.src, doc.md)
    if spec_doc is not None and spec_doc.path not in src.requirement_files:
        clar += clarifications(src.id, spec_doc.path, spec_doc.src, spec_doc.md)
    headings: dict[str, tuple[Heading, ...]] = {}
    for role in ("spec", "plan"):
        doc = spec_doc if role == "spec" else None
        if doc is None and docs.get(role):
            cached = cache.get(docs[role])  # type: ignore[arg-type]
            doc = cached
        if doc is not None:
            headings[role] = tuple(Heading(h.line + 1, h.level, h.text) for h in doc.md.headings)
    read_only = any(d is not None and d.outside for d in (tasks_doc,))
    return Feature(
        id=src.id,
        layout=src.layout,
        path=src.path,
        archived=src.archived,
        read_only=read_only,
        documents=dict(docs),
        extra_documents=tuple(src.extras),
        checklist_files=tuple(src.checklist_files),
        tasks=tasks,
        checklist=tuple(checklist),
        requirements=tuple(requirements),
        clarifications=tuple(clar),
        headings=headings,
    )
