"""The requirements view: each requirement with the tasks that reference it and its tests.

Requirements are the spec's FR/NFR/SC/TC items and user stories (Kiro acceptance criteria,
OpenSpec requirements).  A task references a requirement through ``_Requirements:_``,
``Spec §FR-001`` or the ID in its text; tests link by the traceability rules in
``operations.checks``.  ``enter`` jumps to the requirement in the spec pane; ``g`` shows gaps
only (no task, no test, failing).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.formats.junit import TestResults
from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.operations.checks import TRACED_KINDS, Coverage, coverage
from sdd_tui.textsafe import safe

KIND_TITLES = {
    "functional": "Functional requirements",
    "nonfunctional": "Non-functional requirements",
    "success": "Success criteria",
    "testcase": "Test cases",
    "story": "User stories",
}
_STATUS = {
    "passed": ("✔", "green", "tests pass"),
    "failed": ("✘", "bold red", "tests fail"),
    "untested": ("○", "yellow", "no test"),
    "no-results": ("·", "dim", "no results"),
}


def is_gap(cov: Coverage) -> bool:
    if not cov.requirement.active:
        return False  # withdrawn: nothing need implement or prove it
    traced = cov.requirement.kind in TRACED_KINDS
    if cov.status == "failed":
        return True
    return traced and (not cov.tasks or cov.status == "untested")


def coverage_text(cov: Coverage, *, show_tasks: bool) -> Text:
    req = cov.requirement
    icon, style, label = _STATUS[cov.status]
    text = Text(no_wrap=False, overflow="fold")
    if req.withdrawn:
        text.append("⊘ ", "dim")
        text.append(safe(req.id), "bold dim strike")
        text.append("  withdrawn", "italic dim")
        if req.tag:
            text.append(f"  [{safe(req.tag)}]", "dim")
        text.append("  ")
        text.append(safe(req.text)[:240], "dim strike")
        text.append(f"\n    {safe(req.path.rsplit('/', 1)[-1])}:{req.line}", "dim")
        return text
    text.append(f"{icon} ", style)
    text.append(safe(req.id), "bold")
    if req.tag:
        text.append(" ")
        text.append(f" {safe(req.tag)} ", "bold black on #e0af68")
    text.append("  ")
    text.append(safe(req.text)[:240])
    line = Text("\n    ")
    if show_tasks:
        if cov.tasks:
            line.append("tasks ", "dim")
            for i, t in enumerate(cov.tasks):
                if i:
                    line.append(", ", "dim")
                line.append(safe(t.id or t.key), "green" if t.done else "")
                line.append("✓" if t.done else "", "green")
        elif req.kind in TRACED_KINDS:
            line.append("no task", "yellow")
        else:
            line.append("no task", "dim")
        line.append("  ·  ", "dim")
    if cov.tests:
        failed = sum(1 for c in cov.tests if c.status in ("failed", "error"))
        passed = sum(1 for c in cov.tests if c.status == "passed")
        line.append(f"{len(cov.tests)} test(s)", "dim")
        if failed:
            line.append(f" ✘ {failed} failing", "bold red")
        if passed:
            line.append(f" ✔ {passed} passing", "green")
    else:
        line.append(label, style if cov.status != "no-results" else "dim")
    line.append(f"   {safe(req.path.rsplit('/', 1)[-1])}:{req.line}", "dim")
    text.append_text(line)
    return text


class RequirementsScreen(ModalScreen["tuple[str, int] | None"]):
    """Returns (path, 1-based line) of the requirement to show in the spec pane."""

    BINDINGS = [
        Binding("escape,q,r", "close", "Close"),
        Binding("g", "gaps", "Gaps only"),
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
    ]
    DEFAULT_CSS = """
    RequirementsScreen { align: center middle; }
    RequirementsScreen > Vertical {
        width: 110; max-width: 96%; height: 90%;
        border: round $primary; background: $surface;
    }
    RequirementsScreen OptionList { height: 1fr; border: none; }
    RequirementsScreen OptionList > .option-list--option { padding: 0 1; }
    RequirementsScreen .title { padding: 0 1; text-style: bold; }
    RequirementsScreen .hint { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, ws: Workspace, feature: Feature, results: TestResults | None) -> None:
        super().__init__()
        self.ws = ws
        self.feature = feature
        self.results = results
        self.gaps_only = False
        self.entries: list[Coverage] = coverage(ws, feature, results)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), classes="title", id="requirements-title")
            yield OptionList(id="requirements")
            yield Static(
                "enter show in spec · g gaps only · esc close", classes="hint", id="req-hint"
            )

    def _title(self) -> Text:
        t = Text()
        t.append("Requirements · ", "bold")
        t.append(safe(self.feature.id), "bold")
        traced = [c for c in self.entries if c.requirement.kind in TRACED_KINDS]
        with_task = sum(1 for c in traced if c.tasks)
        t.append(f"   {with_task}/{len(traced)} with tasks", "dim")
        if self.results is not None and self.results.cases:
            tested = sum(1 for c in traced if c.tests)
            failing = sum(1 for c in self.entries if c.status == "failed")
            t.append(f" · {tested}/{len(traced)} tested", "dim")
            if failing:
                t.append(f" · {failing} failing", "bold red")
        if self.gaps_only:
            t.append("   (gaps only)", "italic")
        return t

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        options: list[Option] = []
        kind = None
        has_tasks = bool(self.feature.tasks)
        shown = [i for i, c in enumerate(self.entries) if not self.gaps_only or is_gap(c)]
        for i in shown:
            cov = self.entries[i]
            if cov.requirement.kind != kind:
                kind = cov.requirement.kind
                title = KIND_TITLES.get(kind, kind.title())
                options.append(Option(Text(title, "bold underline"), disabled=True))
            options.append(Option(coverage_text(cov, show_tasks=has_tasks), id=str(i)))
        if not self.entries:
            options.append(Option(Text("No requirements found in the spec.", "dim"), disabled=True))
        elif not shown:
            options.append(Option(Text("No gaps.", "green"), disabled=True))
        ol = self.query_one(OptionList)
        ol.set_options(options)
        for i, opt in enumerate(options):
            if not opt.disabled:
                ol.highlighted = i
                break
        self.query_one("#requirements-title", Static).update(self._title())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        req = self.entries[int(event.option.id)].requirement
        self.dismiss((req.path, req.line))

    def action_gaps(self) -> None:
        self.gaps_only = not self.gaps_only
        self._fill()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)
