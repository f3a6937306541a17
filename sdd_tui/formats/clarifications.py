"""Answered clarification questions: Spec Kit's ``## Clarifications`` section.

``/speckit.clarify`` records each answered question in the spec::

    ## Clarifications

    ### Session 2026-11-02

    - Q: Is the label per serving or per 100 g? → A: Per serving.

Open questions are the ``[NEEDS CLARIFICATION: …]`` markers (``formats.requirements``).
"""

from __future__ import annotations

import re

from sdd_tui.formats.completeness import normalise, section_range
from sdd_tui.formats.markdown import MdStructure
from sdd_tui.formats.text import SourceText
from sdd_tui.model.record import record

_SESSION = re.compile(r"Session\s*:?\s*(.*)", re.IGNORECASE)
_QA = re.compile(
    r"\s*(?:[-*+]|\d{1,9}[.)])\s+\*{0,2}Q\*{0,2}\s*[:.]\*{0,2}\s*(?P<q>.*?)\s*"
    r"(?:→|->|=>|⇒)\s*\*{0,2}A\*{0,2}\s*[:.]\*{0,2}\s*(?P<a>.*)$"
)
_Q_ONLY = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])\s+\*{0,2}Q\*{0,2}\s*[:.]\*{0,2}\s*(?P<q>.*)$")
_A_LINE = re.compile(r"\s*(?:[-*+]\s+)?\*{0,2}A\*{0,2}\s*[:.]\*{0,2}\s*(?P<a>.*)$")


@record
class AnsweredQuestion:
    session: str  # the session's date or title, "" outside a session
    question: str
    answer: str
    path: str
    line: int  # 1-based


def answered_questions(path: str, src: SourceText, md: MdStructure) -> list[AnsweredQuestion]:
    """Every ``- Q: … → A: …`` of the ``Clarifications`` section(s), in document order.

    A question whose answer sits on the next line (``A: …``) is accepted too.
    """
    out: list[AnsweredQuestion] = []
    lines = src.lines
    headings = md.headings
    for idx, h in enumerate(headings):
        if normalise(h.text) != "clarifications":
            continue
        start, end = section_range(md, idx, len(lines))
        session = ""
        sessions = {h2.line: h2.text for h2 in headings[idx + 1 :] if start <= h2.line < end}
        i = start
        while i < end:
            if i in sessions:
                m = _SESSION.match(sessions[i].strip())
                session = m.group(1).strip() if m else sessions[i].strip()
                i += 1
                continue
            if md.code[i]:
                i += 1
                continue
            line = lines[i]
            m = _QA.match(line)
            if m:
                out.append(
                    AnsweredQuestion(
                        session, _clean(m.group("q")), _clean(m.group("a")), path, i + 1
                    )
                )
                i += 1
                continue
            qm = _Q_ONLY.match(line)
            if qm and i + 1 < end:
                am = _A_LINE.match(lines[i + 1])
                if am:
                    out.append(
                        AnsweredQuestion(
                            session, _clean(qm.group("q")), _clean(am.group("a")), path, i + 1
                        )
                    )
                    i += 2
                    continue
            i += 1
    return out


def _clean(text: str) -> str:
    return text.strip().strip("*").strip()
