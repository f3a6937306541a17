"""Answering an open clarification, where Spec Kit's ``/speckit.clarify`` keeps answers.

An open question is a ``[NEEDS CLARIFICATION: question]`` marker in the spec.  Answering it
makes two edits of the spec, as ``/speckit.clarify`` does:

- the marker is replaced by the answer, so the requirement reads as decided;
- ``- Q: question → A: answer`` is added under ``## Clarifications`` / ``### Session
  <date>`` (today's session is reused; the section is created before the spec's first ``##``
  heading when there is none).

Nothing else in the file changes (line endings, BOM and the final newline are kept), and the
answer is recorded in history as hunks, so undo takes both edits back byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sdd_tui.formats.completeness import normalise, section_range
from sdd_tui.formats.markdown import parse_structure
from sdd_tui.formats.text import DecodeProblem, SourceText
from sdd_tui.model.spec import Clarification
from sdd_tui.operations.board import Change
from sdd_tui.operations.boxes import OperationError
from sdd_tui.operations.text_edits import Hunk, hunk, rewrite
from sdd_tui.workspace.snapshot import Loaded

MAX_ANSWER = 2000  # characters: an answer is a decision, not a document


_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)")


def answer_text(raw: str) -> str:
    """The answer as one line of plain text: terminal escape sequences dropped, control
    and format characters and line breaks made spaces, runs of white space one space."""
    text = _ESCAPE.sub("", raw)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


def answer(
    loaded: Loaded, feature_ref: str, number: int, text: str, *, today: date | None = None
) -> Change:
    """Answer the ``number``-th (1-based) open clarification of a feature."""
    feature = loaded.workspace.feature(feature_ref)
    if feature is None:
        raise OperationError(f"unknown feature '{feature_ref}'")
    if feature.read_only:
        raise OperationError(f"feature '{feature.id}' is read-only")
    open_ = feature.clarifications
    if not 1 <= number <= len(open_):
        have = f"{len(open_)} open" if open_ else "none open"
        raise OperationError(f"no clarification {number} in feature '{feature.id}' ({have})")
    reply = answer_text(text)
    if not reply:
        raise OperationError("the answer is empty; nothing written")
    if len(reply) > MAX_ANSWER:
        raise OperationError(f"the answer is longer than {MAX_ANSWER} characters; not written")
    clar = open_[number - 1]
    session = (today or date.today()).isoformat()
    _, hunks = rewrite(loaded.root, clar.path, lambda data: _edits(data, clar, reply, session))
    if loaded.cache is not None:
        loaded.cache.forget(clar.path)
    question = clar.text or "(no question)"
    return Change(
        "answer",
        feature.id,
        f"clarification:{clar.path}:{clar.line}",
        "",
        "",
        "",
        "",
        files=(clar.path,) if hunks else (),
        label=question if len(question) <= 60 else question[:59] + "…",
        path=clar.path,
        hunks=tuple(hunks),
    )


def _edits(data: bytes, clar: Clarification, reply: str, session: str) -> list[Hunk]:
    try:
        src = SourceText.decode(data)
    except DecodeProblem as exc:
        raise OperationError(f"{clar.path}: {exc}; not written") from None
    marker = re.compile(
        r"\[NEEDS CLARIFICATION:\s*" + re.escape(clar.text) + r"\s*\]", re.IGNORECASE
    )
    # on its own line first; else the same question wherever the spec now has it
    order = [clar.line - 1, *range(len(src.lines))]
    found = None
    for i in order:
        if 0 <= i < len(src.lines):
            m = marker.search(src.lines[i])
            if m is not None:
                found = (i, m)
                break
    if found is None:
        raise OperationError(
            f"the clarification '{clar.text}' is no longer in {clar.path}; nothing written"
        )
    i, m = found
    start = src.byte_offset(src.starts[i] + m.start())
    old = m.group(0).encode("utf-8")
    edits = [hunk(data, start, old, reply.encode("utf-8"))]
    at, text = _record_place(src, clar.text, reply, session)
    edits.append(hunk(data, at, b"", text.encode("utf-8")))
    return edits


def _record_place(src: SourceText, question: str, reply: str, session: str) -> tuple[int, str]:
    """(byte offset, text to insert) for the ``- Q: … → A: …`` line."""
    nl = "\r\n" if "\r\n" in src.text else "\n"
    md = parse_structure(src.lines)
    record = f"- Q: {question} → A: {reply}{nl}"
    lines = src.lines
    section = next(
        (i for i, h in enumerate(md.headings) if normalise(h.text) == "clarifications"), None
    )
    if section is not None:
        start, end = section_range(md, section, len(lines))
        level = md.headings[section].level
        sessions = [
            (j, h)
            for j, h in enumerate(md.headings)
            if start <= h.line < end and h.level == level + 1
        ]
        for j, h in sessions:
            if _session_date(h.text) == session:
                s_start, s_end = section_range(md, j, len(lines))
                return _insertion(src, _after_content(src, s_start - 1, s_end), record, nl)
        heading = "#" * (level + 1)
        at = _after_content(src, start - 1, end)
        return _insertion(src, at, f"{nl}{heading} Session {session}{nl}{nl}{record}", nl)
    first_h2 = next((h.line for h in md.headings if h.level == 2), None)
    block = f"## Clarifications{nl}{nl}### Session {session}{nl}{nl}{record}{nl}"
    if first_h2 is None:
        return _insertion(src, _line_start(src, len(lines)), f"{nl}{block}", nl)
    return _line_start(src, first_h2), block


def _insertion(src: SourceText, at: int, text: str, nl: str) -> tuple[int, str]:
    """Insert ``text`` (whole lines) at ``at``: past a last line without a line break, one
    is added first."""
    if at == len(src.raw) and src.text and not src.text.endswith(("\n", "\r")):
        text = nl + text
    return at, text


def _session_date(text: str) -> str:
    m = re.match(r"\s*Session\s*:?\s*(.*)$", text, re.IGNORECASE)
    return m.group(1).strip() if m else ""


def _after_content(src: SourceText, first: int, end: int) -> int:
    """Byte offset just after the last non-blank line in lines ``first``..``end``."""
    last = first
    for i in range(first, end):
        if src.lines[i].strip():
            last = i
    return _line_start(src, last + 1)


def _line_start(src: SourceText, index: int) -> int:
    """Byte offset where 0-based line ``index`` starts (the end of the file past the last)."""
    if index < len(src.lines):
        return src.byte_offset(src.starts[index])
    return len(src.raw)
