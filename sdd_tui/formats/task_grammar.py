"""The text of a task line: optional marker, ID, labels, title and requirement references.

Grammar (DESIGN.md "Task lines")::

    [ ]* 2.3 Title                        Kiro optional task (also ``\\*``)
    [x] T003a [P] [US1] Title in path     Spec Kit
    [ ] **T0: Title**                     bold IDs
    [ ] 1.1 (P) Title                     cc-sdd parallel marker
    [ ] CHK001 Question? [Gap, Spec §FR-001]
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Kiro's optional marker is a ``*`` (or ``\*``) right after the box and then a space;
# ``- [ ] *emphasis* text`` is not optional.
_OPTIONAL = re.compile(r"(?:\\\*|\*)(?:\s+|$)")
# ``T001``, ``T003a``, ``CHK001``, ``1.1``, ``2.2.1``, ``303.1.``; a bare number only with its
# dot (``1.``) so that ``- [ ] 2 reviewers approve`` keeps its title.
_ID = re.compile(r"(?P<id>T\d+[a-z]?|CHK\d+|\d+(?:\.\d+)+|\d+(?=\.))\.?:?(?=\s|$)")
# ``**T001**`` (the whole bold is the ID) or ``**T0: Title**`` (a bold title led by the ID).
_BOLD_ID = re.compile(
    r"\*\*(?P<id>T\d+[a-z]?|CHK\d+|\d+(?:\.\d+)+|\d+(?=\.))\.?:?(?P<close>\*\*)?(?=\s|$)"
)
_LABEL = re.compile(r"\[(?:P|US\d+|Story)\]|\(P\)")
_LABELS = re.compile(rf"(?:(?:{_LABEL.pattern})\s*)*")  # a run of labels (with their spaces)
# The common head of a task line in one match: ID, spaces, labels.
_ID_LABELS = re.compile(rf"{_ID.pattern}\s*(?P<labels>{_LABELS.pattern})")
_STORY = re.compile(r"\[(US\d+)\]")
_REQ_ID = re.compile(r"\b((?:FR|NFR|SC|TC|REQ)-[A-Z]{0,3}\d+[a-zA-Z]?)\b")
_REQ_META_ANY = re.compile(
    r"(?:_(?:Requirements?)\s*:\s*(?P<a>[^_]+)_)|(?:\*\*Validates:\s*(?:Requirements?\s*)?(?P<b>[^*]+)\*\*)",
    re.IGNORECASE,
)
_REF_TOKEN = re.compile(
    r"(?:[A-Za-z][\w-]*/)?(?:(?:FR|NFR|SC|TC|US|REQ)-?[A-Z]{0,3}\d+[a-zA-Z]?|\d+(?:\.\d+)*)"
)
_SPEC_REF = re.compile(r"Spec\s*§\s*((?:FR|NFR|SC)-[A-Z]{0,3}\d+[a-zA-Z]?)")
_TAG_GROUP = re.compile(r"\[([^\[\]]+)\]\s*$")
_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__


class TaskText(NamedTuple):
    """What a task line says (a NamedTuple: one per task, built on every parse)."""

    id: str | None
    title: str
    optional: bool
    parallel: bool
    story: str | None
    requirements: tuple[str, ...]


def parse_task_text(text: str, body: tuple[str, ...] = ()) -> TaskText:
    rest = text
    optional = False
    m = _OPTIONAL.match(rest) if rest[:1] in ("*", "\\") else None
    if m:
        optional = True
        rest = rest[m.end() :]
    task_id: str | None = None
    m = _ID_LABELS.match(rest)
    if m:
        task_id = m.group("id")
        labels = m.group("labels")
        rest = rest[m.end() :]
    else:
        m = _BOLD_ID.match(rest)
        if m:
            task_id = m.group("id")
            tail = rest[m.end() :].lstrip()
            rest = tail if m.group("close") else "**" + tail
        m = _LABELS.match(rest)  # always matches (maybe nothing)
        labels = m.group(0)  # type: ignore[union-attr]
        rest = rest[len(labels) :]
    parallel = False
    story = None
    if labels:
        parallel = "[P]" in labels or "(P)" in labels
        if "[US" in labels:
            story = _STORY.findall(labels)[-1]
    if story is None and "[US" in rest:
        sm = _STORY.search(rest)
        if sm:
            story = sm.group(1)
    title = _clean_title(rest) or text.strip()
    if body or "_" in text or "*" in text or "§" in text:
        refs = requirement_refs(text, body)
    else:  # requirement_refs' fast path, inlined: this runs for every task
        refs = tuple(dict.fromkeys(_REQ_ID.findall(text))) if "-" in text else ()
    return _new(TaskText, (task_id, title, optional, parallel, story, refs))


def requirement_refs(text: str, body: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Requirement IDs a task names: metadata bullets, ``Spec §FR-001`` and inline IDs."""
    refs: list[str] = []
    for line in (text, *body):
        # Fast path: every pattern needs a "-" (FR-001, Spec §SC-002) except the metadata
        # forms, which need a "_" or "**"; with neither of those the inline IDs are all.
        meta = "_" in line or "**" in line
        if not meta and "§" not in line:
            if "-" in line:
                refs += _REQ_ID.findall(line)
            continue
        found: list[tuple[int, str]] = []  # (position, ref): keep the order of the line
        for m in _REQ_META_ANY.finditer(line) if meta else ():
            chunk = m.group("a") or m.group("b") or ""
            found.extend((m.start(), t) for t in _REF_TOKEN.findall(chunk))
        for m in _SPEC_REF.finditer(line):
            found.append((m.start(1), m.group(1)))
        for m in _REQ_ID.finditer(line):
            found.append((m.start(1), m.group(1)))
        found.sort(key=lambda pr: pr[0])
        refs.extend(r for _, r in found)
    if not refs:
        return ()
    return tuple(dict.fromkeys(refs)) if len(refs) > 1 else (refs[0],)


def _clean_title(rest: str) -> str:
    s = rest.strip()
    if s.startswith("**") and s.count("**") >= 2:
        end = s.index("**", 2)
        s = (s[2:end] + s[end + 2 :]).strip()
    return s


def checklist_tags(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tags and spec references from trailing ``[Gap, Spec §FR-001]`` groups."""
    tags: list[str] = []
    refs: list[str] = []
    rest = text.rstrip()
    groups: list[str] = []
    while True:
        m = _TAG_GROUP.search(rest)
        if not m:
            break
        groups.insert(0, m.group(1))
        rest = rest[: m.start()].rstrip()
    for g in groups:
        for part in (p.strip() for p in g.split(",")):
            if not part:
                continue
            sm = _SPEC_REF.match(part)
            if sm:
                refs.append(sm.group(1))
            else:
                tags.append(part)
    for m in _SPEC_REF.finditer(rest):
        refs.append(m.group(1))
    return tuple(tags), tuple(dict.fromkeys(refs))


def slug(text: str, limit: int = 48) -> str:
    """A stable key for an item without an ID: lower-case words joined by ``-``."""
    norm = unicodedata.normalize("NFKC", text).lower()
    norm = re.sub(r"[`*_~\[\]()<>\"']", "", norm)
    words = re.findall(r"\w+", norm)
    out = "-".join(words)[:limit].strip("-")
    return out or "item"
