"""Writing tasks, not only moving them: add, rename, remove and split a task line.

Each edit is computed on the tasks file's current bytes (the task found by key on a fresh
parse, so an edit made meanwhile is kept), written atomically by ``text_edits.rewrite`` and
returned as a ``Change`` with hunks, so history undoes it to the exact earlier bytes, also
after a restart.  Only whole lines are inserted or removed (a rename changes only the
title's bytes); the file's line breaks, BOM, indentation and final newline (or its absence)
are kept.  What differs between layouts (the ID a file without tasks starts with, the
section new tasks go to) is asked of the layout; everything else follows the file itself:
the ID style, width and indentation of the task the new one is modelled on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sdd_tui.formats.board_state import entry
from sdd_tui.formats.boxes import find_boxes
from sdd_tui.formats.completeness import normalise, section_range
from sdd_tui.formats.markdown import parse_structure
from sdd_tui.formats.task_grammar import parse_task_text
from sdd_tui.formats.tasks import board_key, build_tasks
from sdd_tui.formats.text import DecodeProblem, SourceText
from sdd_tui.layouts import layout_of
from sdd_tui.model.items import BoxItem, Task
from sdd_tui.model.workspace import Feature
from sdd_tui.operations.board import Change, _read_board, _update_board_entries, resolve
from sdd_tui.operations.boxes import OperationError, check_writable
from sdd_tui.operations.clarify import answer_text
from sdd_tui.operations.text_edits import Hunk, apply, hunk, rewrite
from sdd_tui.workspace.fsread import ReadProblem, read_file
from sdd_tui.workspace.snapshot import BOARD_PATH, Loaded
from sdd_tui.workspace.writer import workspace_lock

MAX_TITLE = 300  # characters: a task title is one line of a list

_T_ID = re.compile(r"T(\d+)([a-z]?)")
_STORY = re.compile(r"US\d+")
_BOLD_ID = re.compile(r"(?:\\?\*\s+)?\*\*")
# Requirement references and Spec Kit paths a title ends with, kept by a rename:
# ``(FR-001)``, ``[FR-001, SC-002]``, ``_Requirements: 1.2_``.
_TRAILING_REFS = re.compile(
    r"(?:\s*(?:\([^()]*\b(?:FR|NFR|SC|TC|REQ)-[^()]*\)|\[[^\[\]]*\b(?:FR|NFR|SC|TC|REQ)-[^\[\]]*\]"
    r"|_Requirements?:[^_]*_))+\s*$"
)


@dataclass(slots=True)
class _Doc:
    """One parse of a tasks file's bytes, with its tasks in document order."""

    path: str
    src: SourceText
    boxes: list[BoxItem]
    tasks: list[Task]

    @property
    def nl(self) -> str:
        text = self.src.text
        return "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"

    def find(self, key: str) -> int:
        for i, t in enumerate(self.tasks):
            if t.key == key:
                return i
        raise OperationError(f"task {key} is no longer in {self.path}; nothing written")

    def line_start(self, index: int) -> int:
        """Byte offset where 0-based line ``index`` starts (the end of the file past the last)."""
        if index < len(self.src.lines):
            return self.src.byte_offset(self.src.starts[index])
        return len(self.src.raw)

    def extent_end(self, i: int) -> int:
        """The line after task ``i``'s own lines (sub-lines and nested tasks; trailing blank
        lines are left to what follows)."""
        box = self.boxes[i]
        end = box.end_line
        while end > box.line + 1 and not self.src.lines[end - 1].strip():
            end -= 1
        return end

    def prefix(self, i: int) -> str:
        """Task ``i``'s line up to its box: indentation, quote markers and bullet."""
        box = self.boxes[i]
        col = box.box_offset - self.src.starts[box.line]
        return self.src.lines[box.line][: col - 1]


def _parse(loaded: Loaded, feature: Feature, path: str, data: bytes) -> _Doc:
    try:
        src = SourceText.decode(data)
    except DecodeProblem as exc:
        raise OperationError(f"{path}: {exc}; not written") from None
    boxes = find_boxes(src, parse_structure(src.lines), path)
    src_info = next((s for s in loaded.sources if s.id == feature.id), None)
    tasks, _ = build_tasks(
        feature.id,
        boxes,
        {},
        loaded.columns,
        native_in_progress=layout_of(feature).native_in_progress,
        in_progress_sections=src_info.in_progress_sections if src_info is not None else (),
    )
    return _Doc(path, src, boxes, tasks)


def _writable(loaded: Loaded, feature_ref: str) -> Feature:
    feature = loaded.workspace.feature(feature_ref)
    if feature is None:
        raise OperationError(f"unknown feature '{feature_ref}'")
    check_writable(feature)
    return feature


def clean_title(raw: str) -> str:
    """The title as one line of plain text; OperationError when empty or too long."""
    title = answer_text(raw)
    if not title:
        raise OperationError("the title is empty; nothing written")
    if len(title) > MAX_TITLE:
        raise OperationError(f"the title is longer than {MAX_TITLE} characters; not written")
    return title


def _insert(doc: _Doc, at_line: int, lines: Sequence[str], data: bytes) -> Hunk:
    """Whole lines inserted before line ``at_line``; past a last line without a line break
    the break goes first, so the file still ends without one."""
    nl = doc.nl
    at = doc.line_start(at_line)
    body = doc.src.text
    if at == len(doc.src.raw) and body and not body.endswith(("\n", "\r")):
        text = "".join(nl + line for line in lines)
    else:
        text = "".join(line + nl for line in lines)
    return hunk(data, at, b"", text.encode("utf-8"))


def _check_reads_back(
    loaded: Loaded,
    feature: Feature,
    path: str,
    data: bytes,
    hunks: list[Hunk],
    want: Sequence[tuple[int, str | None, str]],
) -> list[Task]:
    """The tasks at the lines written, re-parsed: each must read as (ID, title) asked, else
    nothing is written (a title like ``T001 x`` would read as another task)."""
    after = _parse(loaded, feature, path, apply(data, hunks))
    got: list[Task] = []
    for line, tid, title in want:
        task = next((t for t in after.tasks if t.line == line + 1), None)
        if task is None or task.id != tid or task.title != title:
            raise OperationError(f"'{title}' would not read back as that task's title; not written")
        got.append(task)
    return got


# -- add ------------------------------------------------------------------------------------


def _next_id(doc: _Doc, model: Task | None, first_id: str | None) -> str | None:
    """The next free ID in the style of ``model`` (the task the new one follows)."""
    if model is None:
        return first_id
    pid = model.id
    if pid is None:
        return None
    ids = [t.id for t in doc.tasks if t.id]
    m = _T_ID.fullmatch(pid)
    if m:
        width = len(m.group(1))
        n = max((int(x.group(1)) for i in ids if (x := _T_ID.fullmatch(i))), default=0) + 1
        return f"T{n:0{width}d}"
    if pid.isdigit():
        return str(max((int(i) for i in ids if i.isdigit()), default=0) + 1)
    if re.fullmatch(r"\d+(?:\.\d+)+", pid):
        parent = pid.rsplit(".", 1)[0]
        return f"{parent}.{_last_child(ids, parent) + 1}"
    return None


def _last_child(ids: Sequence[str] | set[str], parent: str) -> int:
    """The highest ``k`` of the IDs ``parent.k`` (0 when there is none)."""
    lead = parent + "."
    tails = (i[len(lead) :] for i in ids if i.startswith(lead))
    return max((int(t) for t in tails if t.isdigit()), default=0)


def _head(model: Task | None, new_id: str | None) -> str:
    """How ``new_id`` is written: as the model task writes its ID (``1.``, ``T014``)."""
    if new_id is None:
        return ""
    if model is None or model.id is None:
        return new_id + ("." if new_id.isdigit() else "")
    text = model.text
    m = re.match(r"(?:\\?\*\s+)?(\*\*)?" + re.escape(model.id) + r"(\.?:?)", text)
    if m is None or m.group(1):
        return new_id + ("." if new_id.isdigit() else "")
    return new_id + m.group(2)


def _section(doc: _Doc, names: Sequence[str]) -> int | None:
    """The index of the heading ``names`` name: the first whose text is one of them, else
    the first that starts like one ("Phase 2" finds "Phase 2: Foundational")."""
    md = parse_structure(doc.src.lines)
    wanted = [w for w in (normalise(n) for n in names) if w]
    found = [normalise(h.text) for h in md.headings]
    for test in (str.__eq__, str.startswith):
        for i, have in enumerate(found):
            if any(test(have, w) for w in wanted):
                return i
    return None


def add_task(
    loaded: Loaded,
    feature_ref: str,
    title: str,
    *,
    column: str | None = None,
    after: str | None = None,
    section: str | None = None,
    story: str | None = None,
    parallel: bool = False,
) -> Change:
    """Add an open task to a feature: right after task ``after``, else at the end of
    ``section`` (or the layout's section for new tasks), else after the file's last task."""
    feature = _writable(loaded, feature_ref)
    text = clean_title(title)
    columns = loaded.columns
    column = column or columns.first
    if column not in columns.ids:
        raise OperationError(f"unknown column '{column}' (columns: {', '.join(columns.ids)})")
    if story is not None and not _STORY.fullmatch(story):
        raise OperationError(f"'{story}' is not a user story label (US1, US2, …)")
    anchor: Task | None = None
    if after is not None:
        _, anchor = resolve(loaded, feature.id, after)
        path = anchor.path
    else:
        path = feature.documents.get("tasks") or ""
        if not path:
            raise OperationError(f"feature '{feature.id}' has no tasks file to add to")
    layout = layout_of(feature)
    native = layout.native_in_progress and column == columns.in_progress
    mark = "x" if column == columns.done else "-" if native else " "
    result: dict[str, object] = {}

    def edit(data: bytes) -> list[Hunk]:
        doc = _parse(loaded, feature, path, data)
        model, at_line, number = _place(doc, anchor, section, layout.new_task_sections)
        new_id = _next_id(doc, model, layout.first_task_id)
        if number is not None and new_id is not None and "." in new_id:
            new_id = f"{number}.1"  # the first task of an empty numbered section ("## 2. …")
        prefix = doc.prefix(doc.tasks.index(model)) if model is not None else "- "
        labels = ("[P] " if parallel else "") + (f"[{story}] " if story else "")
        head = _head(model, new_id)
        line = f"{prefix}[{mark}] " + (f"{head} " if head else "") + labels + text
        hunks = [_insert(doc, at_line, [line], data)]
        result["task"] = _check_reads_back(
            loaded, feature, path, data, hunks, [(at_line, new_id, text)]
        )[0]
        return hunks

    between = columns.between(column) and not (
        layout.native_in_progress and column == columns.in_progress
    )
    board = _board_plan(loaded, feature, path, edit, result, column if between else None)
    if board is not None:
        _set_board(loaded, board[0], board[2], None)
    try:
        _, hunks = rewrite(loaded.root, path, edit)
    except BaseException:
        if board is not None:  # whole or nothing: the entry goes back as it was
            _set_board(loaded, board[0], board[1], board[3])
        raise
    if loaded.cache is not None:
        loaded.cache.forget(path)
    task = result["task"]
    assert isinstance(task, Task)
    return Change(
        "add",
        feature.id,
        task.key,
        board[1] if board is not None else "",
        board[2] if board is not None else "",
        "",
        mark,
        from_rank=board[3] if board is not None else None,
        files=(path, BOARD_PATH) if board is not None else (path,),
        label=task.id or (text if len(text) <= 60 else text[:59] + "…"),
        path=path,
        hunks=tuple(hunks),
    )


def _board_plan(
    loaded: Loaded,
    feature: Feature,
    path: str,
    edit: Callable[[bytes], list[Hunk]],
    result: dict[str, object],
    stored: str | None,
) -> tuple[str, str, str, float | None] | None:
    """(board key, column before, column after, rank before) of the new task's board.json
    entry, or None when it needs none: a column the box cannot express gets an entry, and a
    stale entry under the new task's key (a removed task's) is cleared.  The key comes from
    a dry run of the edit on the bytes as they are."""
    try:
        data = read_file(loaded.root, loaded.root / path).data
    except ReadProblem as exc:
        raise OperationError(f"{path}: {exc}") from None
    edit(data)
    task = result["task"]
    assert isinstance(task, Task)
    key = board_key(feature.id, task.key)
    _, board, _ = _read_board(loaded.root, loaded.root / BOARD_PATH)
    old = entry(board, key)
    old_column = old.get("column") if isinstance(old.get("column"), str) else ""
    rank = old.get("rank")
    old_rank = float(rank) if isinstance(rank, int | float) and not isinstance(rank, bool) else None
    if stored is None and not old:
        return None
    return key, old_column, stored or "", old_rank


def _set_board(loaded: Loaded, key: str, column: str, rank: float | None) -> None:
    with workspace_lock(loaded.root):
        _update_board_entries(loaded.root, {key: {"column": column or None, "rank": rank}})


def _place(
    doc: _Doc, anchor: Task | None, section: str | None, layout_sections: Sequence[str]
) -> tuple[Task | None, int, str | None]:
    """(the task the new one is modelled on, the line it is inserted before, the number of
    the empty numbered section it goes to)."""
    if anchor is not None:
        i = doc.find(anchor.key)
        return doc.tasks[i], doc.extent_end(i), None
    names = [section] if section is not None else list(layout_sections)
    heading = _section(doc, names) if names else None
    if section is not None and heading is None:
        raise OperationError(f"no section '{section}' in {doc.path}")
    if heading is not None:
        md = parse_structure(doc.src.lines)
        start, end = section_range(md, heading, len(doc.src.lines))
        inside = [i for i, b in enumerate(doc.boxes) if start <= b.line < end]
        if inside:
            top = min(doc.boxes[i].depth for i in inside)
            last = [i for i in inside if doc.boxes[i].depth == top][-1]
            return doc.tasks[last], doc.extent_end(last), None
        # after the section's last line of text; in an empty one, past the blank line that
        # follows its heading
        at = start + 1 if start < end and not doc.src.lines[start].strip() else start
        for j in range(start, end):
            if doc.src.lines[j].strip():
                at = j + 1
        number = re.match(r"\s*(\d+)[.)]?\s", md.headings[heading].text + " ")
        return _model_of_file(doc), at, number.group(1) if number else None
    last = _last_top(doc)
    if last is None:
        return None, len(doc.src.lines) if doc.src.text else 0, None
    return doc.tasks[last], doc.extent_end(last), None


def _last_top(doc: _Doc) -> int | None:
    """The index of the file's last task at the outermost depth (None: it has none)."""
    if not doc.boxes:
        return None
    top = min(b.depth for b in doc.boxes)
    return [i for i, b in enumerate(doc.boxes) if b.depth == top][-1]


def _model_of_file(doc: _Doc) -> Task | None:
    last = _last_top(doc)
    return doc.tasks[last] if last is not None else None


# -- rename ---------------------------------------------------------------------------------


def title_span(text: str, tid: str | None) -> tuple[int, int]:
    """(start, end) in a task line's text (after its box) of the title a rename replaces:
    after the optional marker, ID and labels; before trailing requirement references."""
    tt = parse_task_text(text)
    start = 0
    m = re.match(r"(?:\\\*|\*)(?:\s+|$)", text)
    if tt.optional and m:
        start = m.end()
    bold = False
    if tid is not None:
        m = re.compile(r"(\*\*)?" + re.escape(tid) + r"\.?:?(\*\*)?\s*").match(text, start)
        if m:
            start = m.end()
            bold = bool(m.group(1)) and not m.group(2)
    m = re.compile(r"(?:(?:\[(?:P|US\d+|Story)\]|\(P\))\s*)*").match(text, start)
    if m:
        start = m.end()
    end = len(text.rstrip())
    if bold and text[start:end].count("**") == 1:
        end = text.index("**", start)
    elif text.startswith("**", start) and text.count("**", start) >= 2:
        start += 2
        end = text.index("**", start)
    refs = _TRAILING_REFS.search(text, start, end)
    if refs and refs.start() > start:
        end = refs.start()
    return start, end


def rename_task(loaded: Loaded, feature_ref: str, task_ref: str, title: str) -> Change:
    """Replace a task's title; its ID, labels, trailing references and sub-lines are kept."""
    feature, task = resolve(loaded, feature_ref, task_ref)
    check_writable(feature)
    text = clean_title(title)
    path = task.path

    def edit(data: bytes) -> list[Hunk]:
        doc = _parse(loaded, feature, path, data)
        i = doc.find(task.key)
        box = doc.boxes[i]
        line = doc.src.lines[box.line]
        col = box.box_offset - doc.src.starts[box.line]
        after_box = col + 2  # past the mark and "]"
        rest = line[after_box:]
        lead = len(rest) - len(rest.lstrip())
        s, e = title_span(rest.strip(), doc.tasks[i].id)
        s += after_box + lead
        e += after_box + lead
        base = doc.src.starts[box.line]
        if any(base + s <= b <= base + e for b in doc.src.bad):
            raise OperationError(f"{path}: line {box.line + 1} holds a byte that is not UTF-8")
        old = line[s:e]
        if old == text:
            return []
        at = doc.src.byte_offset(base + s)
        hunks = [hunk(data, at, old.encode("utf-8"), text.encode("utf-8"))]
        want_title = parse_task_text((line[:s] + text + line[e:])[after_box:].strip()).title
        _check_reads_back(loaded, feature, path, data, hunks, [(box.line, task.id, want_title)])
        return hunks

    _, hunks = rewrite(loaded.root, path, edit)
    if loaded.cache is not None:
        loaded.cache.forget(path)
    return _text_change("rename", feature, task, path, hunks)


def _text_change(op: str, feature: Feature, task: Task, path: str, hunks: list[Hunk]) -> Change:
    return Change(
        op,
        feature.id,
        task.key,
        "",
        "",
        "",
        "",
        files=(path,) if hunks else (),
        label=task.id or (task.title if len(task.title) <= 60 else task.title[:59] + "…"),
        path=path,
        hunks=tuple(hunks),
    )


# -- remove ---------------------------------------------------------------------------------


def nested_tasks(loaded: Loaded, feature_ref: str, task_ref: str) -> int:
    """How many tasks a removal of this one takes with it (its nested sub-tasks)."""
    feature, task = resolve(loaded, feature_ref, task_ref)
    return sum(1 for t in feature.tasks if _under(feature, t, task.key))


def _under(feature: Feature, t: Task, key: str) -> bool:
    parent = t.parent
    seen = 0
    while parent is not None and seen < 64:
        if parent == key:
            return True
        up = feature.task(parent)
        parent = up.parent if up is not None else None
        seen += 1
    return False


def remove_task(loaded: Loaded, feature_ref: str, task_ref: str) -> Change:
    """Remove a task's line and its own indented lines (sub-bullets, metadata, nested
    sub-tasks); nothing else moves."""
    feature, task = resolve(loaded, feature_ref, task_ref)
    check_writable(feature)
    path = task.path

    def edit(data: bytes) -> list[Hunk]:
        doc = _parse(loaded, feature, path, data)
        i = doc.find(task.key)
        first = doc.boxes[i].line
        end = doc.extent_end(i)
        start_b, end_b = doc.line_start(first), doc.line_start(end)
        if end >= len(doc.src.lines) and first > 0 and not doc.src.text.endswith(("\n", "\r")):
            # the last line has no break: take the one before it, so none is left either
            start_b = doc.src.byte_offset(doc.src.starts[first - 1] + len(doc.src.lines[first - 1]))
        return [hunk(data, start_b, data[start_b:end_b], b"")]

    _, hunks = rewrite(loaded.root, path, edit)
    if loaded.cache is not None:
        loaded.cache.forget(path)
    return _text_change("remove", feature, task, path, hunks)


# -- split ----------------------------------------------------------------------------------


def split_task(loaded: Loaded, feature_ref: str, task_ref: str, titles: Sequence[str]) -> Change:
    """Turn a task into sub-tasks: ``T009`` gets ``T009a``, ``T009b`` (flat, as Spec Kit
    files write them, or nested when the file nests its sub-tasks), ``2`` gets ``2.1``…,
    ``2.3`` gets ``2.3.1``…, a task without an ID nested items without one."""
    feature, task = resolve(loaded, feature_ref, task_ref)
    check_writable(feature)
    texts = [clean_title(t) for t in titles]
    if not texts:
        raise OperationError("no sub-task titles; nothing written")
    path = task.path

    def edit(data: bytes) -> list[Hunk]:
        doc = _parse(loaded, feature, path, data)
        i = doc.find(task.key)
        me = doc.tasks[i]
        ids = {t.id for t in doc.tasks if t.id}
        flat = False
        new_ids: list[str | None]
        if me.id is not None and _T_ID.fullmatch(me.id):
            base = _T_ID.fullmatch(me.id)
            assert base is not None
            if base.group(2):
                raise OperationError(f"{me.id} is a sub-task already; split its parent")
            same = (x for x in map(_T_ID.fullmatch, ids) if x and x.group(1) == base.group(1))
            used = {x.group(2) for x in same}
            letters = [c for c in "abcdefghijklmnopqrstuvwxyz" if c not in used]
            if len(letters) < len(texts):
                raise OperationError(f"{me.id} has no free letters left for sub-tasks")
            new_ids = [me.id + c for c in letters[: len(texts)]]
            flat = _flat_letters(doc)
        elif me.id is not None:
            n0 = _last_child(ids, me.id) + 1
            new_ids = [f"{me.id}.{n0 + k}" for k in range(len(texts))]
        else:
            new_ids = [None] * len(texts)
        prefix = doc.prefix(i)
        if not flat:
            prefix = _nested_indent(doc, i) + prefix.lstrip(" \t")
        lines = []
        for nid, text in zip(new_ids, texts, strict=True):
            head = (nid + ("." if nid is not None and nid.isdigit() else "") + " ") if nid else ""
            lines.append(f"{prefix}[ ] {head}{text}")
        at = doc.extent_end(i)
        hunks = [_insert(doc, at, lines, data)]
        _check_reads_back(
            loaded,
            feature,
            path,
            data,
            hunks,
            [(at + k, nid, text) for k, (nid, text) in enumerate(zip(new_ids, texts, strict=True))],
        )
        return hunks

    _, hunks = rewrite(loaded.root, path, edit)
    if loaded.cache is not None:
        loaded.cache.forget(path)
    return _text_change("split", feature, task, path, hunks)


def _flat_letters(doc: _Doc) -> bool:
    """Whether this file writes lettered sub-tasks (``T003a``) beside their base task
    rather than under it; a file with none nests them when it nests anything."""
    lettered = [
        b
        for t, b in zip(doc.tasks, doc.boxes, strict=True)
        if t.id and (m := _T_ID.fullmatch(t.id)) is not None and m.group(2)
    ]
    if lettered:
        return all(b.parent_index is None for b in lettered)
    return not any(b.parent_index is not None for b in doc.boxes)


def _nested_indent(doc: _Doc, i: int) -> str:
    """The indentation of a sub-task of task ``i``: as the file nests (its first nested
    task's extra indentation), else two spaces (a tab in a file indented with tabs)."""
    own = doc.prefix(i)
    own_indent = own[: len(own) - len(own.lstrip(" \t"))]
    for b in doc.boxes:
        if b.parent_index is not None:
            parent = doc.prefix(b.parent_index)
            child = doc.src.lines[b.line][: b.box_offset - doc.src.starts[b.line] - 1]
            p_ind = parent[: len(parent) - len(parent.lstrip(" \t"))]
            c_ind = child[: len(child) - len(child.lstrip(" \t"))]
            if c_ind.startswith(p_ind) and len(c_ind) > len(p_ind):
                return own_indent + c_ind[len(p_ind) :]
    if any(line.startswith("\t") for line in doc.src.lines):
        return own_indent + "\t"
    bullet = own.lstrip(" \t")
    return own_indent + " " * max(2, len(bullet) - 1)
