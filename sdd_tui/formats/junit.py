"""JUnit XML results (pytest, jest-junit, gotestsum, cargo nextest, Maven Surefire).

Results are untrusted input: they are parsed with defusedxml (no entities, no external
references) and size-limited by the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("passed", "failed", "error", "skipped")


class JUnitError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class TestCase:
    name: str
    classname: str
    status: str  # passed | failed | error | skipped
    time: float | None
    message: str
    text: str
    file: str | None
    properties: tuple[tuple[str, str], ...] = ()
    source: str = ""  # the results file it came from

    @property
    def id(self) -> str:
        return f"{self.classname}::{self.name}" if self.classname else self.name


@dataclass(slots=True)
class TestResults:
    cases: list[TestCase] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
        for c in self.cases:
            counts["errors" if c.status == "error" else c.status] += 1
        return counts


def parse_junit(raw: bytes, source: str = "") -> list[TestCase]:
    """Test cases of one JUnit XML document; raises JUnitError when it is not usable."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise JUnitError(f"refused unsafe XML ({type(exc).__name__})") from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise JUnitError(f"malformed XML: {exc}", line) from None
    if root.tag not in ("testsuites", "testsuite"):
        raise JUnitError(f"not a JUnit report (root element <{root.tag}>)")
    cases: list[TestCase] = []
    for el in root.iter("testcase"):
        status, message, text = "passed", "", ""
        for child in el:
            tag = child.tag
            if tag in ("failure", "error"):
                status = "failed" if tag == "failure" else "error"
                message = child.get("message") or ""
                text = (child.text or "").strip() or message
                break
            if tag == "skipped":
                status = "skipped"
                message = child.get("message") or ""
                text = (child.text or "").strip()
        props = tuple(
            (p.get("name") or "", p.get("value") or (p.text or "")) for p in el.iter("property")
        )
        time_attr = el.get("time")
        try:
            elapsed = float(time_attr) if time_attr else None
        except ValueError:
            elapsed = None
        cases.append(
            TestCase(
                name=el.get("name") or "",
                classname=el.get("classname") or "",
                status=status,
                time=elapsed,
                message=message,
                text=text,
                file=el.get("file"),
                properties=props,
                source=source,
            )
        )
    return cases
