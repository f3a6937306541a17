"""For the theme tests: a user theme file and a stand-in app (registering and switching
themes without the workbench)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from sdd_tui.ui.themes import SDD_VARIABLES, theme_variable_defaults


class ThemedApp(App[None]):
    """A stand-in for the workbench: its CSS uses every sdd-* variable."""

    CSS = "\n".join(
        f"#v{index} {{ color: ${name}; background: $sdd-card-background; }}"
        for index, name in enumerate(SDD_VARIABLES)
    )

    def compose(self) -> ComposeResult:
        for index, name in enumerate(SDD_VARIABLES):
            yield Static(name, id=f"v{index}")

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(self.current_theme)


GOOD_THEME = """\
name: my-theme
dark: true
primary: "#336699"
background: "#101010"
variables:
  sdd-badge-story: "#ffcc00"
"""


def write_user_theme(config_dir: Path, name: str, text: str | bytes) -> Path:
    folder = config_dir / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
