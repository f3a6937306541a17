"""How a task looks as a card: ID, badges, wrapped title, sub-task progress, references."""

from __future__ import annotations

from rich.text import Text

from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Feature
from sdd_tui.textsafe import safe


def card_text(task: Task, feature: Feature, *, done_keys: frozenset[str] = frozenset()) -> Text:
    """A card: first line ID and badges, then the title, then requirement references."""
    head = Text(no_wrap=False, overflow="fold")
    if task.parent:
        head.append("↳ ", "dim")
    head.append(safe(task.id or "•"), "bold")
    if task.parallel:
        head.append(" P", "bold magenta")
    if task.story:
        head.append(f" {safe(task.story)}", "bold cyan")
    if task.optional:
        head.append(" opt", "italic dim")
    if not task.known_mark:
        head.append(f" [{safe(task.mark)}]", "bold yellow")
    if task.subtasks:
        done = sum(1 for k in task.subtasks if k in done_keys)
        head.append(
            f" ◧ {done}/{len(task.subtasks)}", "green" if done == len(task.subtasks) else ""
        )
    head.append("\n")
    title = Text(safe(task.title), style="dim" if task.done else "")
    head.append_text(title)
    if task.requirements:
        refs = " ".join(safe(r) for r in task.requirements[:6])
        more = f" +{len(task.requirements) - 6}" if len(task.requirements) > 6 else ""
        head.append("\n")
        head.append(refs + more, "italic #7aa2f7")
    return head


def progress_bar(done: int, total: int, width: int = 12) -> Text:
    """A small text progress bar: ``▰▰▰▱▱▱ 3/6``."""
    if total <= 0:
        return Text("─" * width, style="dim")
    filled = round(width * done / total)
    bar = Text()
    bar.append("▰" * filled, "green")
    bar.append("▱" * (width - filled), "dim")
    return bar
