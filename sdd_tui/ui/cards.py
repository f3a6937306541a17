"""How a task looks as a card: ID, badges, wrapped title, sub-task progress, references."""

from __future__ import annotations

from typing import Any

from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Text

from sdd_tui.model.items import Task
from sdd_tui.model.progress import filled
from sdd_tui.model.record import record
from sdd_tui.model.workspace import Feature
from sdd_tui.textsafe import safe

TEST_DOTS = {
    "passed": ("●", "green"),
    "failed": ("●", "bold red"),
    "skipped": ("●", "bright_black"),
}


@record
class CardColors:
    """Rich styles for card parts, from the theme's ``sdd-*`` variables."""

    id: str = "bold"
    story: str = "bold cyan"
    parallel: str = "bold magenta"
    requirement: str = "italic #7aa2f7"
    muted: str = "dim"


DEFAULT_COLORS = CardColors()


def card_colors(variables: dict[str, Any]) -> CardColors:
    """CardColors from an app's CSS variables (``App.get_css_variables()``)."""

    def pick(name: str, prefix: str, fallback: str) -> str:
        value = str(variables.get(name, "")).strip()
        if not value.startswith("#"):
            return fallback
        style = f"{prefix} {value}".strip()
        try:
            Style.parse(style)
        except StyleSyntaxError:
            return fallback
        return style

    d = CardColors()
    return CardColors(
        id=pick("sdd-card-id", "bold", d.id),
        story=pick("sdd-badge-story", "bold", d.story),
        parallel=pick("sdd-badge-parallel", "bold", d.parallel),
        requirement=pick("sdd-requirement", "italic", d.requirement),
        muted=pick("sdd-muted", "", d.muted),
    )


def card_text(
    task: Task,
    feature: Feature,
    *,
    done_keys: frozenset[str] = frozenset(),
    tests: str | None = None,
    unproven: bool = False,
    colors: CardColors = DEFAULT_COLORS,
) -> Text:
    """A card: first line ID and badges, then the title, then requirement references.

    ``tests`` is the status of the task's linked tests (passed | failed | skipped, None for
    no linked tests): a green/red/grey dot; a done card whose tests fail is flagged, and so is
    a done card without evidence (``unproven``, see ``operations.evidence``).
    """
    head = Text(no_wrap=False, overflow="fold")
    if task.parent:
        head.append("↳ ", colors.muted)
    head.append(safe(task.id or "•"), colors.id)
    if task.parallel:
        head.append(" P", colors.parallel)
    if task.story:
        head.append(f" {safe(task.story)}", colors.story)
    if task.optional:
        head.append(" opt", "italic dim")
    if not task.known_mark:
        head.append(f" [{safe(task.mark)}]", "bold yellow")
    if task.subtasks:
        done = sum(1 for k in task.subtasks if k in done_keys)
        head.append(
            f" ◧ {done}/{len(task.subtasks)}", "green" if done == len(task.subtasks) else ""
        )
    if tests in TEST_DOTS:
        dot, style = TEST_DOTS[tests]
        head.append(f" {dot}", style)
        if tests == "failed" and task.done:
            head.append(" ⚑ done, tests fail", "bold red")
            unproven = False  # said already
    if unproven and task.done:
        head.append(" ⚑ unproven", "bold yellow")
    head.append("\n")
    title = Text(safe(task.title), style="dim" if task.done else "")
    head.append_text(title)
    if task.requirements:
        refs = " ".join(safe(r) for r in task.requirements[:6])
        more = f" +{len(task.requirements) - 6}" if len(task.requirements) > 6 else ""
        head.append("\n")
        head.append(refs + more, colors.requirement)
    return head


def progress_bar(done: int, total: int, width: int = 12) -> Text:
    """A small text progress bar: ``▰▰▰▱▱▱ 3/6``."""
    if total <= 0:
        return Text("─" * width, style="dim")
    cells = filled(done, total, width)  # full only when all are done, empty only when none
    bar = Text()
    bar.append("▰" * cells, "green")
    bar.append("▱" * (width - cells), "dim")
    return bar
