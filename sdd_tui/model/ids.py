"""The ID rules: how requirement, story and task IDs compare, which references a task makes,
and which tasks cover a requirement.  ``check``, the trace and the review screen all ask here,
so "FR-001 is FR-1" and "a Kiro ``1`` covers criterion ``1.2``" hold in one place.

Pure: no I/O, no parsing of documents (the task grammar already found each task's refs).
"""

from __future__ import annotations

import functools
import re

from sdd_tui.model.items import Task
from sdd_tui.model.spec import Requirement
from sdd_tui.model.workspace import Feature, Workspace

PREFIXED = re.compile(r"^(NFR|FR|SC|TC|REQ)-?0*(\d+)([a-z]?)$", re.IGNORECASE)
STORY_ID = re.compile(r"^(?:US|user[ _-]?story)[ _-]?0*(\d+)$", re.IGNORECASE)
TASK_ID = re.compile(r"^T[_-]?0*(\d+)([a-z]?)$", re.IGNORECASE)
DOTTED = re.compile(r"^\d+(?:\.\d+)*$")


@functools.lru_cache(maxsize=1 << 16)  # a few hundred distinct IDs, asked for 50,000 times
def canon(ref: str) -> str:
    """An ID in comparable form: ``FR-001``/``fr_1`` → ``FR-1``, ``T003a`` → ``T3a``,
    ``US-01`` → ``US1``, ``01.2`` → ``1.2``; anything else (OpenSpec names) case-folded with
    its whitespace collapsed.  A sentence's full stop (``FR-001.``) is not part of the ID."""
    r = ref.strip()
    probe = r.strip(".").replace("_", "-")
    m = PREFIXED.match(probe)
    if m:
        return f"{m.group(1).upper()}-{int(m.group(2))}{m.group(3).lower()}"
    m = STORY_ID.match(probe)
    if m:
        return f"US{int(m.group(1))}"
    m = TASK_ID.match(probe)
    if m:
        return f"T{int(m.group(1))}{m.group(2).lower()}"
    if DOTTED.match(probe):
        return ".".join(str(int(p)) for p in probe.split("."))
    return " ".join(r.casefold().split())


def is_named(req_id: str) -> bool:
    """An OpenSpec-style requirement named in words rather than numbered."""
    return not PREFIXED.match(req_id) and not STORY_ID.match(req_id) and not DOTTED.match(req_id)


def covers(ref: str, key: str) -> bool:
    """Canonical ``ref`` names canonical ``key`` (a Kiro ``1`` covers criterion ``1.2``)."""
    return ref == key or (DOTTED.match(ref) is not None and key.startswith(ref + "."))


def split_ref(ref: str) -> tuple[str | None, str]:
    """``001-recipe-sharing/FR-001`` → (``001-recipe-sharing``, ``FR-001``)."""
    feat, sep, rid = ref.strip().rpartition("/")
    if sep and feat and rid:
        return feat, rid
    return None, ref.strip()


def _rejoin(ws: Workspace, refs: tuple[str, ...]) -> list[str]:
    """Undo the task grammar's split of ``001-demo/FR-001`` into ``001`` + ``demo/FR-001``
    (its qualified references only allow feature names that start with a letter)."""
    out: list[str] = []
    i = 0
    while i < len(refs):
        ref = refs[i]
        nxt = refs[i + 1] if i + 1 < len(refs) else ""
        if ref.isdigit() and "/" in nxt:
            joined = f"{ref}-{nxt}"
            if ws.feature(split_ref(joined)[0] or "") is not None:
                out.append(joined)
                i += 2
                continue
        out.append(ref)
        i += 1
    return out


def own_refs(ws: Workspace, feature: Feature, task: Task) -> list[tuple[str, str]]:
    """(as written, canonical) requirement references of ``task`` pointing into ``feature``.

    ``002-other/FR-009`` points elsewhere; the bare ``FR-009`` the task grammar also finds
    inside it is the same reference, not one into this feature.  Each canonical ID once.
    """
    refs = _rejoin(ws, task.requirements)
    qualified = {canon(split_ref(r)[1]) for r in refs if "/" in r}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for ref in refs:
        feat, rid = split_ref(ref)
        key = canon(rid)
        if feat is None and key in qualified:
            continue
        if feat is not None:
            found = ws.feature(feat)
            if found is None or found.id != feature.id:
                continue
        if key not in seen:
            seen.add(key)
            out.append((ref, key))
    return out


def task_refs(ws: Workspace, feature: Feature, task: Task) -> list[str]:
    """Canonical requirement references of ``task`` that point into ``feature``."""
    return [key for _, key in own_refs(ws, feature, task)]


def tasks_for(
    ws: Workspace, feature: Feature, req: Requirement, refs: dict[str, list[str]] | None = None
) -> list[Task]:
    """Tasks of ``feature`` that cover ``req``: they reference it (metadata, ``Spec §…``, the
    ID in the text; a Kiro ``1`` covers ``1.2``), carry its story label (``[US1]``), or, for a
    requirement named in words (OpenSpec), name it in their text.

    ``refs`` (task key → :func:`task_refs`) may be passed when asking for many requirements.
    """
    key = canon(req.id)
    named = req.kind != "story" and is_named(req.id) and len(req.id) >= 4
    out: list[Task] = []
    for t in feature.tasks:
        keys = refs[t.key] if refs is not None else task_refs(ws, feature, t)
        if any(covers(r, key) for r in keys) or (
            req.kind == "story" and t.story is not None and canon(t.story) == key
        ):
            out.append(t)
        elif named:
            blob = " ".join((t.text, *t.body)).casefold()
            if req.id.casefold() in blob:
                out.append(t)
    return out
