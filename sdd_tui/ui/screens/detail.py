"""Card detail: the full task text, its sub-bullets, requirements and location."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Feature
from sdd_tui.textsafe import safe


def detail_text(task: Task, feature: Feature, unproven: tuple[str, ...] = ()) -> Text:
    text = Text()
    text.append(safe(task.id or task.key), "bold")
    text.append(f"  {safe(feature.id)}", "dim")
    text.append(f"\ncolumn: {task.column}   box: [{safe(task.mark)}]", "")
    badges = []
    if task.parallel:
        badges.append("parallel [P]")
    if task.story:
        badges.append(f"story {safe(task.story)}")
    if task.optional:
        badges.append("optional")
    if badges:
        text.append("\n" + " · ".join(badges), "cyan")
    if task.section:
        text.append(f"\nsection: {safe(task.section)}", "dim")
    text.append("\n\n")
    text.append(safe(task.text))
    if task.body:
        text.append("\n")
        for line in task.body:
            text.append("\n" + safe(line))
    if task.parent:
        text.append(f"\n\nparent: {safe(task.parent)}", "dim")
    if task.subtasks:
        done = {t.key for t in feature.tasks if t.done}
        text.append("\n\nsub-tasks:", "bold")
        for key in task.subtasks:
            sub = feature.task(key)
            mark = "☑" if key in done else "☐"
            title = safe(sub.title) if sub else ""
            text.append(f"\n  {mark} {safe(key)} {title}")
    if task.requirements:
        text.append("\n\nrequirements:", "bold")
        by_id = {r.id: r for r in feature.requirements}
        for ref in task.requirements:
            req = by_id.get(ref.rsplit("/", 1)[-1])
            text.append(f"\n  {safe(ref)}", "bold #7aa2f7")
            if req is not None:
                text.append(f"  {safe(req.text)[:300]}")
                text.append(f"  ({safe(req.path)}:{req.line})", "dim")
            else:
                text.append("  (not defined in the spec)", "italic yellow")
    if unproven:
        text.append("\n\ndone, but unproven:", "bold yellow")
        for reason in unproven:
            text.append(f"\n  ⚑ {safe(reason)}", "yellow")
    text.append(f"\n\n{safe(task.path)}:{task.line}", "dim")
    return text


class DetailScreen(ModalScreen[str | None]):
    """Returns ``"edit"`` when the user asks to open the editor."""

    BINDINGS = [
        Binding("escape,q,enter", "dismiss", "Close"),
        Binding("e", "edit", "Edit in $EDITOR"),
    ]
    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > VerticalScroll {
        width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, task: Task, feature: Feature, unproven: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.task_ = task
        self.feature = feature
        self.unproven = unproven  # why a done task lacks evidence (operations.evidence)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(detail_text(self.task_, self.feature, self.unproven), id="detail-text")
            yield Static(Text("e edit · esc close", style="dim"))

    def update_task(self, task: Task, feature: Feature, unproven: tuple[str, ...] = ()) -> None:
        """Show the task's new content after the file changed on disk."""
        self.task_, self.feature, self.unproven = task, feature, unproven
        self.query_one("#detail-text", Static).update(detail_text(task, feature, unproven))

    def action_dismiss(self, result: str | None = None) -> None:  # type: ignore[override]
        self.dismiss(result)

    def action_edit(self) -> None:
        self.dismiss("edit")
