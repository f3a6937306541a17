"""Every problem met reading the workspace, live: key ``p``.

A file that could not be read (bad bytes, a binary file, invalid YAML or JSON, a symlink out
of the workspace), SDD documents no feature holds, result files that could not be parsed:
one row each, grouped by the feature whose folder holds the file.  The list follows the
session: a fixed file leaves it, a new problem joins it.  ``enter`` returns the row's file
and line; the workbench shows it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sdd_tui.model.workspace import Problem, Workspace
from sdd_tui.textsafe import safe
from sdd_tui.ui.screens.common import FollowsSession, set_options_keeping
from sdd_tui.ui.session import Session, SnapshotChanged


def grouped(ws: Workspace, extra: list[Problem]) -> list[tuple[str, list[Problem]]]:
    """(group title, problems) with the workspace's problems under the feature whose folder
    holds their file (longest folder wins), the others under "workspace", and ``extra``
    (the test results') under "test results"."""
    folders = sorted(((f.path, f.id) for f in ws.features if f.path), key=lambda p: -len(p[0]))
    groups: dict[str, list[Problem]] = {}
    seen: set[tuple[str, int | None, str]] = set()
    for p in ws.problems:
        key = (p.path, p.line, p.message)
        if key in seen:
            continue
        seen.add(key)
        owner = next(
            (fid for folder, fid in folders if p.path == folder or p.path.startswith(folder + "/")),
            "workspace",
        )
        groups.setdefault(owner, []).append(p)
    order = [f.id for f in ws.features if f.id in groups]
    if "workspace" in groups:
        order.append("workspace")
    out = [(title, groups[title]) for title in order]
    if extra:
        out.append(("test results", list(extra)))
    return out


class ProblemsScreen(FollowsSession, ModalScreen[tuple[str, int] | None]):
    """Pick a problem; returns its (path, 1-based line)."""

    BINDINGS = [Binding("escape,q,p", "close", "Close")]
    DEFAULT_CSS = """
    ProblemsScreen { align: center middle; }
    ProblemsScreen > Vertical {
        width: 110; max-width: 95%; height: auto; max-height: 90%;
        border: round $warning; background: $surface;
    }
    ProblemsScreen OptionList { height: auto; max-height: 40; border: none; }
    ProblemsScreen #problems-title { padding: 0 1; text-style: bold; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._targets: dict[str, tuple[str, int]] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="problems-title")
            yield OptionList(id="problems")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _snapshot_changed(self, change: SnapshotChanged) -> None:
        self._fill()

    def _fill(self) -> None:
        groups = grouped(self.session.workspace, self.session.results.problems)
        total = sum(len(problems) for _, problems in groups)
        title = Text()
        if total:
            title.append(f"⚠ {total} problem{'s' if total != 1 else ''}", "bold yellow")
            title.append("   enter shows the file · esc closes", "dim")
        else:
            title.append("✔ No problems: every file was read.", "bold green")
        self.query_one("#problems-title", Static).update(title)
        options: list[Option] = []
        self._targets = {}
        for group, problems in groups:
            options.append(Option(Text(safe(group), "bold"), disabled=True))
            for i, p in enumerate(problems):
                row = Text(no_wrap=False, overflow="fold")
                where = f"{p.path}:{p.line}" if p.line is not None else p.path
                row.append(f"  {safe(where)}", "underline")
                row.append("  ")
                row.append(safe(p.message))
                option_id = f"{group}#{i}"
                self._targets[option_id] = (p.path, p.line or 1)
                options.append(Option(row, id=option_id))
        set_options_keeping(self.query_one(OptionList), options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets.get(event.option.id or "")
        if target is not None:
            self.dismiss(target)

    def action_close(self) -> None:
        self.dismiss(None)
