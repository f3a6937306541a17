"""The Tests pane: totals and failures from JUnit results."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.formats.junit import TestCase, TestResults
from sdd_tui.model.workspace import Problem
from sdd_tui.textsafe import safe

_ICON = {
    "passed": ("✔", "green"),
    "failed": ("✘", "red"),
    "error": ("!", "red"),
    "skipped": ("○", "dim"),
}
_ORDER = {"failed": 0, "error": 1, "skipped": 2, "passed": 3}


class TestsPane(Vertical):
    DEFAULT_CSS = """
    TestsPane > #tests-summary { height: auto; padding: 0 1; }
    TestsPane > OptionList { height: 1fr; border: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="tests-summary")
        yield OptionList(id="tests-cases")

    def show(self, results: TestResults | None, problems: list[Problem]) -> None:
        summary = self.query_one("#tests-summary", Static)
        cases = self.query_one("#tests-cases", OptionList)
        text = Text()
        if results is None or not results.cases:
            text.append("No test results", "bold")
            text.append(
                "\nsdd-tui reads JUnit XML from .sdd/results/, junit.xml, test-results/, "
                "reports/, build/test-results/ or target/surefire-reports/.",
                "dim",
            )
            for p in problems:
                text.append(f"\n⚠ {safe(str(p))}", "yellow")
            summary.update(text)
            cases.set_options([])
            return
        t = results.totals()
        text.append(f"✔ {t['passed']} passed", "bold green")
        text.append("  ")
        text.append(f"✘ {t['failed']} failed", "bold red" if t["failed"] else "dim")
        text.append("  ")
        text.append(f"! {t['errors']} errors", "bold red" if t["errors"] else "dim")
        text.append("  ")
        text.append(f"○ {t['skipped']} skipped", "dim")
        text.append(f"\n{', '.join(safe(f) for f in results.files)}", "dim")
        for p in problems:
            text.append(f"\n⚠ {safe(str(p))}", "yellow")
        summary.update(text)
        ordered = sorted(results.cases, key=lambda c: (_ORDER.get(c.status, 9), c.id))
        cases.set_options([Option(_case_text(c)) for c in ordered])


def _case_text(case: TestCase) -> Text:
    icon, style = _ICON.get(case.status, ("?", ""))
    text = Text(no_wrap=False, overflow="fold")
    text.append(f"{icon} ", style)
    text.append(safe(case.name), "bold" if case.status in ("failed", "error") else "")
    if case.classname:
        text.append(f"  {safe(case.classname)}", "dim")
    if case.message and case.status in ("failed", "error"):
        text.append(f"\n  {safe(case.message.splitlines()[0])[:200]}", "red")
    return text
