"""Markdown source lines rendered as styled Rich ``Text``, one per source line.

The document panes show a *styled source* view: every source line stays one logical line
(so headings, requirements and clarification markers can be jumped to by line number), with
Markdown syntax turned into styles — headings, emphasis, code, boxes, rules, quotes.  Text is
workspace data: it goes through ``textsafe.safe`` and is never parsed as Rich markup.
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

from sdd_tui.formats.markdown import MdStructure
from sdd_tui.model.record import record
from sdd_tui.textsafe import safe


@record
class Palette:
    heading: str = "bold #7aa2f7"
    heading1: str = "bold reverse #7aa2f7"
    code: str = "#9ece6a"
    code_block: str = "#a9b1d6 on #1f2335"
    muted: str = "#737aa2"
    accent: str = "bold #e0af68"
    clarify: str = "bold black on #e0af68"
    link: str = "underline #7dcfff"
    done: str = "#9ece6a"


_INLINE = re.compile(
    r"(?P<strike>~~(?=\S).*?\S~~)"  # withdrawn text: a marker inside is no open question
    r"|(?P<clar>\[NEEDS CLARIFICATION:[^\]]*\])"
    r"|(?P<code>`[^`]+`)"
    r"|(?P<bold>\*\*[^*]+\*\*|__[^_]+__)"
    r"|(?P<em>(?<![\w*])\*[^*\s][^*]*\*(?!\w)|(?<!\w)_[^_\s][^_]*_(?!\w))"
    r"|(?P<link>\[[^\]]+\]\([^)]*\))"
    r"|(?P<req>\b(?:FR|NFR|SC|TC|US)-?\d+[a-z]?\b)",
    re.IGNORECASE,
)
_LIST = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(\s+)(\[[^\]]\]\s?)?")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^(\s*>)+\s?")


def inline(text: str, palette: Palette, base: str | Style = "") -> Text:
    """Inline Markdown of one line as Text; unknown syntax stays literal."""
    out = Text(style=base)
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(text[pos : m.start()])
        kind = m.lastgroup
        chunk = m.group(0)
        if kind == "strike":
            out.append(chunk[2:-2], "strike dim")
        elif kind == "clar":
            out.append(chunk, palette.clarify)
        elif kind == "code":
            out.append(chunk[1:-1], palette.code)
        elif kind == "bold":
            out.append(chunk[2:-2], "bold")
        elif kind == "em":
            out.append(chunk[1:-1], "italic")
        elif kind == "link":
            label = chunk[1 : chunk.index("](")]
            out.append(label, palette.link)
        else:
            out.append(chunk, palette.accent)
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def render_lines(
    lines: list[str], md: MdStructure, palette: Palette | None = None
) -> list[tuple[int, Text]]:
    """Display blocks ``(first source line, Text)``.

    Soft-wrapped paragraph lines are joined into the block above (the view wraps to the
    pane's width instead); every other line is a block of its own.
    """
    pal = palette or Palette()
    headings = {h.line: h.level for h in md.headings}
    out: list[tuple[int, Text]] = []
    code = md.code
    joinable = False  # the last block is prose that a continuation line may extend
    for i, raw in enumerate(lines):
        line = safe(raw.expandtabs(4))
        if code[i]:
            out.append((i, Text(line or " ", style=pal.code_block, end="")))
            joinable = False
            continue
        level = headings.get(i)
        if level is not None:
            title = line.lstrip().lstrip("#").strip().rstrip("#").strip()
            if not line.lstrip().startswith("#"):
                title = line.strip()  # setext heading text line
            style = pal.heading1 if level == 1 else pal.heading
            prefix = "" if level <= 2 else "  " * (level - 2)
            out.append((i, inline(prefix + title, pal, style)))
            joinable = False
            continue
        stripped = line.strip()
        if not stripped:
            out.append((i, Text("")))
            joinable = False
            continue
        if i > 0 and (i - 1) in headings and re.fullmatch(r"(=+|-+)", stripped):
            joinable = False
            continue  # setext underline: folded into the heading's block
        if _RULE.match(line):
            out.append((i, Text("─" * 40, style=pal.muted)))
            joinable = False
            continue
        qm = _QUOTE.match(line)
        if qm:
            out.append((i, Text("▌ ", style=pal.muted) + inline(line[qm.end() :], pal, "italic")))
            joinable = False
            continue
        lm = _LIST.match(line)
        if lm:
            out.append((i, _list_item(line, lm, pal)))
            joinable = not raw.endswith(("  ", "\\"))
            continue
        if stripped.startswith("|"):
            out.append((i, Text(line)))
            joinable = False
            continue
        if joinable and out and not stripped.startswith("**"):
            out[-1][1].append(" ")
            out[-1][1].append_text(inline(stripped, pal))
        else:
            out.append((i, inline(line, pal)))
        joinable = not raw.endswith(("  ", "\\"))
    return out


def _list_item(line: str, lm: re.Match[str], pal: Palette) -> Text:
    indent, marker, space, box = lm.groups()
    head = Text(indent)
    if box:
        mark = box.strip()[1:-1]
        if mark in "xX":
            head.append("☑ ", pal.done)
        elif mark == " ":
            head.append("☐ ")
        else:
            head.append(f"[{mark}] ", pal.accent)
        if marker[0].isdigit():
            head.append(marker + " ", pal.muted)
    elif marker in "-*+":
        head.append("• ", pal.muted)
    else:
        head.append(marker + space, pal.muted)
    return head + inline(line[lm.end() :], pal)
