"""JUnit XML results (pytest, jest-junit, gotestsum/go-junit-report, cargo nextest, Surefire).

Results are untrusted input: they are parsed with defusedxml with DTDs forbidden (so no
entity can be declared, let alone expanded, and nothing external is fetched) and the reader
(:mod:`sdd_tui.workspace.results`) caps their size.

The dialects differ in small ways that matter here:

- pytest: ``<testsuites><testsuite name="pytest">``; ``classname`` is the dotted module path
  (``tests.test_recipes``, plus ``.TestClass``); ``file``/``line`` with ``xunit1``;
  ``record_property`` writes ``<properties>`` inside ``<testcase>``; a teardown error is a
  second ``<testcase>`` with an ``<error>``; xfail is ``<skipped type="pytest.xfail">``.
- jest-junit: ``classname`` and ``name`` are ``describe`` titles; ``<failure>`` often has no
  ``message`` attribute (the first line of its text is the message); ``file`` is optional.
- gotestsum / go-junit-report: ``classname`` is the package import path, ``name`` the test
  function (``TestPublish/sub_test`` for subtests); suite-level ``<properties>`` hold
  ``go.version`` (never test links).
- cargo nextest: ``classname`` is ``crate::binary``, ``name`` the test path ``mod::test``;
  ``<flakyFailure>``/``<rerunFailure>`` record retries, the final outcome is ``<failure>``
  (or none when a retry passed).
- Maven Surefire: one ``<testsuite>`` per class, suite ``<properties>`` are JVM system
  properties (ignored); ``time`` may be written with a thousands separator (``1,234.5``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sdd_tui.model.record import record

STATUSES = ("passed", "failed", "error", "skipped")
MAX_TEXT = 200_000  # characters of failure text kept per case
_FINAL = {"failure": "failed", "error": "error"}
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI … final byte (colours, cursor moves)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC … BEL or ST (titles, hyperlinks)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]"  # two-character escapes (ESC c, ESC ( B, …)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|#x1[bB]\[[0-?]*[ -/]*[@-~]"  # pytest writes ESC, illegal in XML, as "#x1B"
)
# Raw control bytes are not allowed in XML 1.0; some tools write them anyway (colours).
_RAW_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]"
)
_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
# pytest's own spelling of ESC: ``strip_escapes`` drops the colour sequence it starts
_ESC_MARK = b"#x1B"


def _xml_char(code: int) -> bool:
    """Whether XML 1.0 allows the character (its ``Char`` production)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _drop_forbidden_refs(raw: bytes) -> tuple[bytes, dict[str, int]]:
    """``raw`` without the character references XML 1.0 forbids (``&#27;`` from colours,
    ``&#0;``, ``&#8;``; expat refuses the whole file for one), and which were dropped."""
    dropped: dict[str, int] = {}

    def swap(m: re.Match[bytes]) -> bytes:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if _xml_char(code):
            return m.group(0)
        ref = m.group(0).decode("ascii")
        dropped[ref] = dropped.get(ref, 0) + 1
        return _ESC_MARK if code == 0x1B else b""

    return _CHAR_REF.sub(swap, raw), dropped


def strip_escapes(text: str) -> str:
    """``text`` without ANSI/VT escape sequences (colours, cursor moves, titles, links).

    Any lone control character left afterwards is made visible by
    :func:`sdd_tui.textsafe.safe` when the text is shown.
    """
    if "\x1b" not in text and "\x9b" not in text and "#x1" not in text:
        return text
    return _ESCAPES.sub("", text)


class JUnitError(ValueError):
    """A results file that cannot be used; ``str()`` is a one-line reason."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class NotJUnit(JUnitError):
    """Well-formed XML that is not a JUnit report (coverage.xml, checkstyle, …)."""


@record
class TestCase:
    """One ``<testcase>``; ``status`` is passed | failed | error | skipped."""

    __test__ = False  # not a pytest test class

    name: str
    classname: str
    status: str
    time: float | None
    message: str
    text: str
    file: str | None
    properties: tuple[tuple[str, str], ...] = ()
    source: str = ""  # the results file it came from (root-relative)
    suite: str = ""
    line: int | None = None  # 1-based line of its <testcase> in ``source``

    @property
    def id(self) -> str:
        return f"{self.classname}::{self.name}" if self.classname else self.name

    @property
    def failing(self) -> bool:
        return self.status in ("failed", "error")

    def to_json(self, links: list[str] | None = None) -> dict[str, object]:
        return {
            "name": self.name,
            "classname": self.classname,
            "status": self.status,
            "time": self.time,
            "message": self.message,
            "links": list(links or ()),
        }


@dataclass(slots=True)
class TestResults:
    """The cases of every results file read, in file order."""

    __test__ = False

    cases: list[TestCase] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
        for c in self.cases:
            counts["errors" if c.status == "error" else c.status] += 1
        return counts

    @property
    def failing(self) -> bool:
        return any(c.failing for c in self.cases)


def _local(tag: object) -> str:
    """The tag name without a namespace (``{ns}testcase`` → ``testcase``)."""
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def _time(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value.replace(",", "").strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 and seconds == seconds and seconds != float("inf") else None


def _clip(text: str) -> str:
    text = strip_escapes(text)
    if len(text) > MAX_TEXT:
        return text[:MAX_TEXT] + f"\n… ({len(text) - MAX_TEXT} more characters not shown)"
    return text


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def parse_junit(
    raw: bytes, source: str = "", *, warnings: list[str] | None = None
) -> list[TestCase]:
    """Test cases of one JUnit XML document.

    Raises :class:`NotJUnit` for well-formed XML of another kind and :class:`JUnitError`
    for anything unusable (malformed, a DTD or entity declaration, …).  What was read all
    the same but changed on the way (forbidden character references) is appended to
    ``warnings``.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    if not raw.strip():
        raise JUnitError("empty file")
    if _ILLEGAL.search(raw):  # colours written raw: drop them, then any other control byte
        raw = _ILLEGAL.sub(b"", _RAW_ESCAPES.sub(b"", raw))
    if b"&#" in raw:
        raw, dropped = _drop_forbidden_refs(raw)
        if dropped and warnings is not None:
            kinds = [f"{ref} ×{n}" for ref, n in dropped.items()]
            shown = ", ".join(kinds[:4]) + (", …" if len(kinds) > 4 else "")
            warnings.append(
                f"{sum(dropped.values())} character reference(s) XML 1.0 forbids dropped "
                f"({shown}); the rest of the file was read"
            )
    lines: dict[int, int] = {}
    try:
        root = _parse_with_lines(raw, lines)
    except DefusedXmlException as exc:
        kind = type(exc).__name__
        raise JUnitError(
            f"refused: the XML declares a DTD or entities ({kind}); results must be plain XML"
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise JUnitError(f"malformed XML: {exc}", line) from None
    except (ValueError, RecursionError) as exc:  # e.g. an encoding Python cannot decode
        raise JUnitError(f"unreadable XML: {exc}") from None
    top = _local(root.tag)
    if top not in ("testsuites", "testsuite", "testrun"):
        raise NotJUnit(f"not a JUnit report (root element <{top}>)")
    cases: list[TestCase] = []
    _collect(root, "", source, cases, lines)
    return cases


def _parse_with_lines(raw: bytes, lines: dict[int, int]):  # type: ignore[no-untyped-def]
    """defusedxml's ``fromstring`` (DTDs forbidden), noting the line each ``<testcase>``
    starts on in ``lines`` (keyed by ``id()`` of its element, alive as long as the tree)."""
    from xml.etree.ElementTree import TreeBuilder

    from defusedxml.ElementTree import DefusedXMLParser

    class Builder(TreeBuilder):
        expat: Any = None

        def start(self, tag: str, attrs: dict[str, str]):  # type: ignore[no-untyped-def]
            el = super().start(tag, attrs)
            if tag.endswith("testcase") and self.expat is not None:
                lines[id(el)] = self.expat.CurrentLineNumber
            return el

    builder = Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    parser.feed(raw)
    return parser.close()


def _collect(el, suite: str, source: str, out: list[TestCase], lines: dict[int, int]) -> None:  # type: ignore[no-untyped-def]
    for child in el:
        tag = _local(child.tag)
        if tag == "testcase":
            out.append(_case(child, suite, source, lines.get(id(child))))
        elif tag == "testsuite":
            _collect(child, child.get("name") or suite, source, out, lines)
        elif tag in ("testsuites", "testrun"):
            _collect(child, suite, source, out, lines)


def _case(el, suite: str, source: str, line: int | None) -> TestCase:  # type: ignore[no-untyped-def]
    status, message, text = "passed", "", ""
    properties: list[tuple[str, str]] = []
    for child in el:
        tag = _local(child.tag)
        if tag in _FINAL and status not in ("failed", "error"):
            status = _FINAL[tag]
            body = (child.text or "").strip()
            message = (child.get("message") or "").strip() or _first_line(body)
            text = body or message
        elif tag == "skipped" and status == "passed":
            status = "skipped"
            body = (child.text or "").strip()
            message = (child.get("message") or "").strip() or _first_line(body)
            text = body or message
        elif tag == "properties":
            for prop in child:
                if _local(prop.tag) == "property":
                    value = prop.get("value")
                    if value is None:
                        value = prop.text or ""
                    properties.append((prop.get("name") or "", value))
    file = el.get("file") or el.get("filepath")
    return TestCase(
        name=el.get("name") or "",
        classname=el.get("classname") or el.get("class") or "",
        status=status,
        time=_time(el.get("time")),
        message=strip_escapes(message)[:2000],
        text=_clip(text),
        file=file,
        properties=tuple(properties),
        source=source,
        suite=suite,
        line=line,
    )
