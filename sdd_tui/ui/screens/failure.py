"""A test case in full: status, where it comes from, what it links to and its failure text.

The failure text is shown literally: escape sequences are stripped (a test runner's colours
would otherwise arrive as raw bytes) and any other control character is made visible.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sdd_tui.formats.junit import TestCase, strip_escapes
from sdd_tui.formats.test_status import Criterion
from sdd_tui.textsafe import safe

STATUS_STYLE = {
    "passed": ("✔ passed", "bold green"),
    "failed": ("✘ failed", "bold red"),
    "error": ("! error", "bold red"),
    "skipped": ("○ skipped", "dim"),
}


def _literal(text: str) -> Text:
    """Multi-line workspace text, literal: escapes stripped, other controls made visible."""
    out = Text()
    for i, line in enumerate(strip_escapes(text).split("\n")):
        if i:
            out.append("\n")
        out.append(safe(line.rstrip("\r")))
    return out


def case_text(case: TestCase, links: list[str]) -> Text:
    label, style = STATUS_STYLE.get(case.status, (case.status, ""))
    text = Text()
    text.append(safe(case.name) or "(unnamed test)", "bold")
    text.append("\n")
    text.append(label, style)
    if case.time is not None:
        text.append(f"   {case.time:.3f} s", "dim")
    if case.classname:
        text.append(f"\nclass: {safe(case.classname)}", "dim")
    if case.file:
        text.append(f"\nfile: {safe(case.file)}", "dim")
    if case.suite:
        text.append(f"\nsuite: {safe(case.suite)}", "dim")
    if case.source:
        text.append(f"\nfrom: {safe(case.source)}", "dim")
    text.append("\n\nlinks: ", "bold")
    if links:
        text.append(", ".join(safe(link) for link in links), "#7aa2f7")
    else:
        text.append(
            "none (name it after an ID like test_fr_001_…, or add a 'requirements' property)",
            "italic dim",
        )
    for name, value in case.properties:
        text.append(f"\nproperty {safe(name)} = {safe(value)}", "dim")
    if case.message and case.message.strip() != case.text.strip():
        text.append("\n\nmessage:\n", "bold")
        text.append_text(_literal(case.message))
    if case.text:
        text.append("\n\n" + ("failure:" if case.failing else "details:") + "\n", "bold")
        text.append_text(_literal(case.text))
    elif case.failing:
        text.append("\n\n(the report has no failure text)", "italic dim")
    return text


def criterion_text(c: Criterion, source: str, junit: list[TestCase]) -> Text:
    text = Text()
    text.append(safe(c.key), "bold")
    text.append(f"   {safe(c.status or 'no status')}", _CRITERION_STYLE.get(c.status, "yellow"))
    text.append(f"\nfrom: {safe(source)}", "dim")
    if c.requirement:
        text.append("\n\nrequirement: ", "bold")
        text.append_text(_literal(c.requirement))
    if c.tests:
        text.append("\n\ntests:", "bold")
        for t in c.tests:
            text.append(f"\n  {safe(t)}")
    if junit:
        text.append("\n\nJUnit results of those tests:", "bold")
        for case in junit:
            label, style = STATUS_STYLE.get(case.status, (case.status, ""))
            text.append(f"\n  {label} ", style)
            text.append(safe(case.id))
    if c.metrics:
        text.append("\n\nmetrics:", "bold")
        for k, v in c.metrics:
            text.append(f"\n  {safe(k)} = {safe(v)}")
    if c.notes:
        text.append("\n\nnotes: ", "bold")
        text.append_text(_literal(c.notes))
    for k, v in c.extra:
        text.append(f"\n{safe(k)}: {safe(v)}", "dim")
    return text


_CRITERION_STYLE = {"passing": "bold green", "failing": "bold red", "in_progress": "bold yellow"}


class TextScreen(ModalScreen[None]):
    """A scrollable, read-only text (a test case, a criterion, a requirement's trace)."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]
    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll {
        width: 110; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = Text(self.title_text)
            yield Static(self.body, id="text-body")
            yield Static(Text("esc close", style="dim"))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class FailureScreen(TextScreen):
    """One test case in full."""

    def __init__(self, case: TestCase, links: list[str]) -> None:
        super().__init__(f"Test · {safe(case.name)[:60]}", case_text(case, links))
        self.case = case
