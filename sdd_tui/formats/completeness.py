"""Spec completeness: a spec's sections compared with its layout's template.

Each layout has a template of sections a finished spec holds (``Layout.template`` in
``sdd_tui.layouts``; this module is given the sections, it knows no layout):

* Spec Kit (``spec-template.md``): the mandatory *User Scenarios & Testing*, *Requirements*
  and *Success Criteria*.
* The Zencoder-style guide's seven-part anatomy: *Overview*, *Functional Requirements*,
  *Non-Functional Requirements*, *Technical Constraints*, *Architecture*, *Testing
  Requirements*, *Success Criteria*.
* Kiro ``requirements.md``: *Introduction* and *Requirements*, where every ``### Requirement
  N`` has a user story and numbered acceptance criteria.
* OpenSpec ``proposal.md``: *Why* and *What Changes*; every ``### Requirement:`` of a delta
  spec has at least one ``#### Scenario:``.

A section is found by its heading text, compared loosely (case, ``&``/``and``, emphasis,
a ``*(mandatory)*`` suffix and leading numbering do not matter), else by a heading that holds
its words (``## Functional Requirements`` and ``## Core Requirements`` hold *Requirements*;
one that negates them, ``Non-…``, does not), else by its content: requirement IDs (``FR-001``,
``### Requirement 1``) are the *Requirements*, success criteria IDs (``SC-001``) the *Success
Criteria*, user stories the *User Scenarios*.  It is *empty* when nothing
but blank lines, sub-headings and HTML comments sits between its heading and the next heading
of the same or a higher level.
"""

from __future__ import annotations

import re

from sdd_tui.formats.markdown import MdHeading, MdStructure
from sdd_tui.formats.text import SourceText
from sdd_tui.model.record import record

# Other names the same section goes by in real specs.
_ALIASES: dict[str, tuple[str, ...]] = {
    "User Scenarios & Testing": ("User Scenarios", "User Stories", "User Scenarios and Tests"),
    "Overview": ("Summary", "Introduction"),
    "Introduction": ("Overview", "Summary", "Background", "Context", "導入", "はじめに", "概要"),
    "Requirements": ("要件",),
    "Testing Requirements": ("Testing", "Test Requirements", "Testing Strategy"),
    "Technical Constraints": ("Constraints",),
    "What Changes": ("Changes",),
}

_SUFFIX = re.compile(r"\s*(?:\*{1,2}|_)?\s*\([^)]*\)\s*(?:\*{1,2}|_)?\s*$")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[IVXivx]+\.)\s+")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_KIRO_REQ = re.compile(r"(?:Requirement\s+|要件\s*)(\d+(?:\.\d+)*)", re.IGNORECASE)
_USER_STORY = re.compile(
    r"\*{0,2}(?:User Story|Objective|ユーザーストーリー)\s*[:：]?\*{0,2}\s*[:：]?", re.IGNORECASE
)
_CRITERIA = re.compile(r"acceptance criteria", re.IGNORECASE)
_ORDERED = re.compile(r"\s*\d{1,9}[.)]\s+\S")
_OPENSPEC_REQ = re.compile(r"Requirement:\s*(.+)", re.IGNORECASE)
_SCENARIO = re.compile(r"Scenario:", re.IGNORECASE)


@record
class SectionStatus:
    """One template section of one spec file: ``ok``, ``missing`` or ``empty``.

    ``line`` is the 1-based line of the section's heading (``None`` when missing).
    """

    name: str
    status: str
    path: str
    line: int | None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@record
class CriterionBlock:
    """A Kiro requirement or an OpenSpec requirement with its criteria or scenarios."""

    title: str
    path: str
    line: int  # 1-based
    story: str | None
    criteria: tuple[tuple[str, int], ...]  # (text, 1-based line)


def normalise(title: str) -> str:
    """Heading text reduced for comparison: ``## 2. User Scenarios & Testing *(mandatory)*``
    → ``userscenariosandtesting``."""
    t = _SUFFIX.sub("", title)
    t = _NUMBERING.sub("", t)
    t = t.replace("&", " and ")
    return re.sub(r"[\W_]+", "", t.casefold())


def _names(section: str) -> set[str]:
    return {normalise(n) for n in (section, *_ALIASES.get(section, ()))}


def section_range(md: MdStructure, index: int, total_lines: int) -> tuple[int, int]:
    """0-based (first line after the heading, end exclusive) of heading ``index``'s section."""
    h = md.headings[index]
    end = total_lines
    for h2 in md.headings[index + 1 :]:
        if h2.level <= h.level:
            end = h2.line
            break
    return h.line + 1, end


def has_content(src: SourceText, md: MdStructure, start: int, end: int) -> bool:
    """Anything but blank lines, headings and HTML comments in lines ``start``..``end``."""
    heading_lines = {h.line for h in md.headings}
    kept = [
        line
        for i, line in enumerate(src.lines[start:end], start)
        if i not in heading_lines and not re.fullmatch(r"\s*(=+|-+)\s*", line)
    ]
    text = _COMMENT.sub("", "\n".join(kept))
    return bool(text.strip())


def _words(title: str) -> set[str]:
    t = _SUFFIX.sub("", title)
    t = _NUMBERING.sub("", t).replace("&", " and ")
    return {w for w in re.split(r"[\W_]+", t.casefold()) if w}


_NEGATING = {"non", "not", "no", "out"}  # Non-Functional Requirements, Out of Scope


def _find(md: MdStructure, section: str) -> int | None:
    """Index of the heading (level 1–3, shallowest first) naming ``section``: by name or
    alias first, else one whose words hold the section's (and none that negates them)."""
    names = _names(section)
    wanted = [_words(n) for n in (section, *_ALIASES.get(section, ()))]
    best: tuple[int, int, int] | None = None  # (exactness, level, index)
    for idx, h in enumerate(md.headings):
        if h.level > 3:
            continue
        if normalise(h.text) in names:
            rank = 0
        else:
            words = _words(h.text)
            if h.level < 2 or not any(
                w and w <= words and not (words - w) & _NEGATING for w in wanted
            ):
                continue  # (a title, "# Requirements Document", is no section)
            rank = 1
        key = (rank, h.level, idx)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


# What a section's content looks like, for a spec that has it under no heading of its name.
_CONTENT = {
    "Requirements": re.compile(
        r"\*\*(?:FR|NFR|REQ)-?\d+|^\s*#{2,4}\s*(?:Requirement\s+\d|Requirement:)",
        re.IGNORECASE,
    ),
    "Functional Requirements": re.compile(r"\*\*FR-?\d+", re.IGNORECASE),
    "Success Criteria": re.compile(r"\*\*SC-?\d+", re.IGNORECASE),
    "User Scenarios & Testing": re.compile(r"User Story\s+\d", re.IGNORECASE),
}


def _by_content(section: str, src: SourceText, md: MdStructure) -> int | None:
    """0-based line where ``section``'s content is, though no heading names it."""
    probe = _CONTENT.get(section)
    if probe is None:
        return None
    for i, line in enumerate(src.lines):
        if not md.code[i] and probe.search(line):
            return i
    return None


def check_sections(
    sections: tuple[str, ...], path: str, src: SourceText, md: MdStructure
) -> list[SectionStatus]:
    out: list[SectionStatus] = []
    for name in sections:
        idx = _find(md, name)
        if idx is None:
            line = _by_content(name, src, md)
            if line is None:
                out.append(SectionStatus(name, "missing", path, None))
            else:  # its content is there, under another name
                out.append(SectionStatus(name, "ok", path, line + 1))
            continue
        h = md.headings[idx]
        start, end = section_range(md, idx, len(src.lines))
        status = "ok" if has_content(src, md, start, end) else "empty"
        out.append(SectionStatus(name, status, path, h.line + 1))
    return out


def delta_spec_gaps(path: str, src: SourceText, md: MdStructure) -> list[SectionStatus]:
    """OpenSpec delta spec: every requirement needs at least one scenario."""
    out: list[SectionStatus] = []
    for block in openspec_blocks(path, src, md):
        if not block.criteria:
            out.append(
                SectionStatus(
                    f"Scenario of '{block.title}'",
                    "missing",
                    path,
                    block.line,
                    "requirement has no '#### Scenario:'",
                )
            )
    return out


def kiro_gaps(path: str, src: SourceText, md: MdStructure) -> list[SectionStatus]:
    """Kiro requirements without a user story or without numbered acceptance criteria."""
    out: list[SectionStatus] = []
    for block in kiro_blocks(path, src, md):
        if not block.story:
            out.append(
                SectionStatus(
                    f"User Story of {block.title}",
                    "missing",
                    path,
                    block.line,
                    "requirement has no '**User Story:**'",
                )
            )
        if not block.criteria:
            out.append(
                SectionStatus(
                    f"Acceptance Criteria of {block.title}",
                    "missing",
                    path,
                    block.line,
                    "requirement has no numbered acceptance criteria",
                )
            )
    return out


def kiro_blocks(path: str, src: SourceText, md: MdStructure) -> list[CriterionBlock]:
    """``### Requirement N`` blocks with their user story and numbered criteria."""
    out: list[CriterionBlock] = []
    lines = src.lines
    for idx, h in enumerate(md.headings):
        m = _KIRO_REQ.match(h.text.strip().strip("*"))
        if not m:
            continue
        start, end = section_range(md, idx, len(lines))
        story = None
        for i in range(start, end):
            if md.code[i]:
                continue
            sm = _USER_STORY.match(lines[i].strip())
            if sm and lines[i].strip():
                rest = lines[i].strip()[sm.end() :].strip()
                story = rest or (lines[i + 1].strip() if i + 1 < end else "") or "(empty)"
                break
        criteria: list[tuple[str, int]] = []
        for item in md.items:
            if item.line < start or item.line >= end or not item.ordered or item.depth != 0:
                continue
            if md.code[item.line] or not _ORDERED.match(lines[item.line]):
                continue
            criteria.append((lines[item.line].strip(), item.line + 1))
        out.append(CriterionBlock(h.text.strip(), path, h.line + 1, story, tuple(criteria)))
    return out


def openspec_blocks(path: str, src: SourceText, md: MdStructure) -> list[CriterionBlock]:
    """``### Requirement:`` blocks with their ``#### Scenario:`` headings."""
    out: list[CriterionBlock] = []
    for idx, h in enumerate(md.headings):
        if not _OPENSPEC_REQ.match(h.text.strip()):
            continue
        start, end = section_range(md, idx, len(src.lines))
        scenarios = tuple(
            (h2.text.strip(), h2.line + 1)
            for h2 in md.headings[idx + 1 :]
            if start <= h2.line < end and _SCENARIO.match(h2.text.strip())
        )
        out.append(CriterionBlock(h.text.strip(), path, h.line + 1, None, scenarios))
    return out


def headings_named(md: MdStructure, section: str) -> list[MdHeading]:
    names = _names(section)
    return [h for h in md.headings if normalise(h.text) in names]
