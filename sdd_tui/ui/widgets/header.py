"""The workbench header: workspace, feature, progress and the feature's stage."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sdd_tui.model.workspace import Feature
from sdd_tui.operations.stage import STAGES, Stage
from sdd_tui.textsafe import safe
from sdd_tui.ui.cards import progress_bar
from sdd_tui.ui.widgets.quiet import update_static


class WorkbenchHeader(Static):
    DEFAULT_CSS = """
    WorkbenchHeader {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last[0], **self._last[1])

    _last: tuple[tuple, dict] | None = None

    def show(
        self,
        workspace_name: str,
        feature: Feature | None,
        stage: Stage | None,
        *,
        extra: Text | None = None,
    ) -> None:
        self._last = ((workspace_name, feature, stage), {"extra": extra})
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("sdd-tui ", "bold")
        text.append(safe(workspace_name), "dim")
        if feature is None:
            text.append("  no features found", "italic")
            update_static(self, text)
            return
        text.append("  ")
        text.append(safe(feature.id), "bold")
        if feature.archived:
            text.append(" (archived)", "dim")
        if feature.read_only:
            text.append(" read-only", "bold red")
            if feature.branch:
                text.append(" on ", "dim")
                text.append(safe(feature.branch), "bold red")
        total = len(feature.tasks)
        done = feature.done_count
        text.append("  ")
        text.append_text(progress_bar(done, total, 10))
        text.append(f" {done}/{total}", "dim")
        if feature.clarifications:
            text.append(f"  ? {len(feature.clarifications)} open", "bold yellow")
        # The branch (``extra``) is kept whole; the stage takes what room is left: the whole
        # flow, else its short form, else nothing (at 80 columns the branch matters more).
        room = (self.size.width or 1000) - 2 - text.cell_len
        room -= (extra.cell_len + 2) if extra is not None else 0
        if stage is not None:
            for part in (_flow(stage), _short(stage)):
                if part.cell_len + 2 <= room:
                    text.append("  ")
                    text.append_text(part)
                    break
        if extra is not None:
            text.append("  ")
            text.append_text(extra)
        update_static(self, text)


def _flow(stage: Stage) -> Text:
    text = Text()
    for i, name in enumerate(STAGES):
        if i:
            text.append(" → ", "dim")
        if i < stage.index or (stage.complete and i == stage.index):
            text.append("✓" + name, "green")
        elif i == stage.index:
            text.append(name, "bold reverse")
        else:
            text.append(name, "dim")
    return text


def _short(stage: Stage) -> Text:
    mark = "✓" if stage.complete else ""
    return Text(f"{mark}{stage.name} {stage.index + 1}/{len(STAGES)}", "bold")
