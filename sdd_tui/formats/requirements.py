"""Requirements, success criteria and clarification markers defined in spec documents."""

from __future__ import annotations

import re

from sdd_tui.formats.markdown import MdStructure
from sdd_tui.formats.text import SourceText
from sdd_tui.model.spec import Clarification, Requirement

# `- **FR-001**: System MUST ...`, `FR-1: ...`, `| FR-001 | ...`, `### FR-002 - Title`; IDs may
# carry a suffix (`FR-003a`) or a group prefix (`FR-D01`, `FR-SK02`), and a tag before the
# separator: `- **FR-030** [OUT OF SCOPE - MVP]: …`, `(P2):`, `**NFR-002** *(deferred)* — …`.
_TAG = r"\[[^\[\]]*\]|\([^()]*\)|\*\([^()]*\)\*|_\([^()]*\)_|\*\[[^\[\]]*\]\*"
_DEFINITION = re.compile(
    r"\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|#{1,6}\s+|\|\s*)?(?:\[[ xX]\]\s+)?(?P<strike>~~)?\*{0,2}_?"
    r"(?P<id>(?:FR|NFR|SC|TC)-[A-Z]{0,3}\d+[a-zA-Z]?)\b\*{0,2}_?"
    rf"(?:\s*(?P<tag>{_TAG}))?\s*(?P<sep>[:.\-–—|)]|\*\*)?\s*(?P<text>.*)"
)
_KINDS = {"FR": "functional", "NFR": "nonfunctional", "SC": "success", "TC": "testcase"}
_STORY = re.compile(r"#{2,6}\s+User Story\s+(\d+)\b\s*[-–—:]?\s*(.*)", re.IGNORECASE)
_KIRO_REQ = re.compile(
    r"(?:Requirement\s+|要件\s*)(\d+(?:\.\d+)*)\b\s*[:.\-–—]?\s*(.*)", re.IGNORECASE
)
_ORDERED = re.compile(r"\s*(\d{1,9})[.)]\s+(.*)")
_OPENSPEC_REQ = re.compile(r"Requirement:\s*(.+)", re.IGNORECASE)
_CLARIFY = re.compile(r"\[NEEDS CLARIFICATION:\s*([^\]]*)\]", re.IGNORECASE)
_STRUCK = re.compile(r"~~(?=\S)(.*?\S)~~")  # GFM strikethrough within one line


def _prose(src: SourceText, md: MdStructure):
    code = md.code
    for i, line in enumerate(src.lines):
        if not code[i]:
            yield i, line


def _tag(raw: str | None) -> str | None:
    """``[OUT OF SCOPE - MVP]`` → ``OUT OF SCOPE - MVP``; ``*(deferred)*`` → ``deferred``."""
    if not raw:
        return None
    return raw.strip("*_").strip("[]()").strip() or None


def _definition(feature: str, rid: str, m: re.Match[str], path: str, lineno: int) -> Requirement:
    """The requirement a ``_DEFINITION`` match defines; struck through, it is withdrawn and
    what follows the strike (``**[DEFERRED]**``) is its tag."""
    kind = _KINDS[rid.split("-", 1)[0]]
    text = m.group("text")
    tag = _tag(m.group("tag"))
    withdrawn = False
    if m.group("strike"):
        inside, sep, after = text.partition("~~")
        if sep:
            withdrawn = True
            text = inside
            tag = _tag(after.strip()) or tag
    elif (whole := _STRUCK.fullmatch(text.strip())) is not None:
        withdrawn = True  # `- **FR-036**: ~~System MUST print~~`
        text = whole.group(1)
    text = text.strip().strip("*").strip()
    return Requirement(feature, rid, kind, text, path, lineno, tag, withdrawn)


def struck_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of every ``~~struck~~`` span of ``line``, the tildes included."""
    return [m.span() for m in _STRUCK.finditer(line)] if "~~" in line else []


def speckit_requirements(
    feature: str, path: str, src: SourceText, md: MdStructure
) -> list[Requirement]:
    """FR/NFR/SC/TC definitions (Spec Kit and the guide's anatomy) and user stories."""
    out: list[Requirement] = []
    seen: set[str] = set()
    for i, line in _prose(src, md):
        if "R-" in line or "C-" in line:
            m = _DEFINITION.match(line)
            if m and (m.group("sep") or line.lstrip().startswith("#")):
                rid = m.group("id")
                if rid not in seen:
                    seen.add(rid)
                    out.append(_definition(feature, rid, m, path, i + 1))
                continue
        if line.startswith("#"):
            sm = _STORY.match(line)
            if sm:
                sid = f"US{sm.group(1)}"
                if sid not in seen:
                    seen.add(sid)
                    out.append(Requirement(feature, sid, "story", sm.group(2).strip(), path, i + 1))
    return out


def kiro_requirements(
    feature: str, path: str, src: SourceText, md: MdStructure
) -> list[Requirement]:
    """Kiro acceptance criteria ``N.M`` under ``### Requirement N`` headings."""
    out: list[Requirement] = []
    headings = md.headings
    lines = src.lines
    # Heading index ranges: (requirement number, first line, end line)
    reqs: list[tuple[str, int, int, int]] = []
    for idx, h in enumerate(headings):
        m = _KIRO_REQ.match(h.text)
        if not m:
            continue
        end = len(lines)
        for h2 in headings[idx + 1 :]:
            if h2.level <= h.level:
                end = h2.line
                break
        reqs.append((m.group(1), h.line, end, h.level))
    seen: set[str] = set()
    for num, start, end, _level in reqs:
        for item in md.items:
            if item.line < start or item.line >= end or not item.ordered or item.depth != 0:
                continue
            m = _ORDERED.match(lines[item.line])
            if not m or md.code[item.line]:
                continue
            rid = f"{num}.{int(m.group(1))}"
            if rid in seen:
                continue
            seen.add(rid)
            out.append(
                Requirement(feature, rid, "functional", m.group(2).strip(), path, item.line + 1)
            )
    return out


def openspec_requirements(
    feature: str, path: str, src: SourceText, md: MdStructure
) -> list[Requirement]:
    """``### Requirement: <name>`` blocks of an OpenSpec delta or main spec."""
    out: list[Requirement] = []
    for h in md.headings:
        m = _OPENSPEC_REQ.match(h.text)
        if m:
            out.append(
                Requirement(feature, m.group(1).strip(), "functional", h.text, path, h.line + 1)
            )
    return out


def clarifications(
    feature: str, path: str, src: SourceText, md: MdStructure
) -> list[Clarification]:
    """Open ``[NEEDS CLARIFICATION: …]`` markers outside code and outside struck text."""
    out: list[Clarification] = []
    for i, line in _prose(src, md):
        if "NEEDS CLARIFICATION" not in line.upper():
            continue
        struck = struck_spans(line)
        for m in _CLARIFY.finditer(line):
            if any(a <= m.start() and m.end() <= b for a, b in struck):
                continue  # a withdrawn question is no open one
            out.append(Clarification(feature, (m.group(1) or "").strip(), path, i + 1))
    return out


# Requirement readers by the name a layout gives (``Layout.requirement_reader``): prefixed IDs
# (``FR-001``, ``SC-002``, user stories), numbered acceptance criteria under
# ``Requirement N`` (``1.2``), named ``### Requirement: <name>`` blocks.
READERS = {
    "prefixed": speckit_requirements,
    "numbered": kiro_requirements,
    "named": openspec_requirements,
}
