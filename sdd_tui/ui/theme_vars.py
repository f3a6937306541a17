"""sdd-tui's own theme variables (``$sdd-…``) and their defaults under any theme.

Kept apart from ``themes`` (which validates theme files with pydantic) so the App can answer
``get_theme_variable_defaults`` without importing pydantic on the way to its first paint.
"""

from __future__ import annotations

import re

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

_PERCENT_RE = re.compile(r"^(?P<colour>.+?)\s+(?P<percent>\d{1,3}(?:\.\d+)?)%$")


# --------------------------------------------------------------------------- sdd variables

# sdd-tui's own theme variables: name -> (what it colours, the generated Textual colour that
# serves as its default when a theme does not set it). The UI's CSS uses them as ``$name`` and
# its Rich renderables read them from ``App.theme_variables``; every default is a literal colour.
SDD_VARIABLES: dict[str, tuple[str, str]] = {
    "sdd-card-background": ("card background on the board", "surface"),
    "sdd-card-selected-background": ("background of the selected card", "primary-muted"),
    "sdd-card-id": ("task ID on a card (T001, 1.2, CHK001)", "text-primary"),
    "sdd-badge-story": ("user-story badge on a card ([US1])", "text-accent"),
    "sdd-badge-parallel": ("parallel badge on a card ([P])", "text-secondary"),
    "sdd-requirement": ("requirement references (FR-001, 1.2)", "text-secondary"),
    "sdd-muted": ("secondary text: counts, file:line, hints", "foreground-muted"),
    "sdd-progress-done": ("done part of a progress bar", "success"),
    "sdd-progress-remaining": ("remaining part of a progress bar", "panel"),
    "sdd-column-todo": ("header of the todo column", "foreground"),
    "sdd-column-in-progress": ("header of the in-progress column", "text-accent"),
    "sdd-column-review": ("header of the review column", "text-secondary"),
    "sdd-column-done": ("header of the done column", "text-success"),
    "sdd-column-other": ("header of a custom column (blocked, …)", "text-warning"),
    "sdd-clarification": ("open [NEEDS CLARIFICATION] text", "text-warning"),
    "sdd-clarification-background": ("background behind open clarifications", "warning-muted"),
    "sdd-test-passed": ("passing tests and proven requirements", "text-success"),
    "sdd-test-failed": ("failing tests", "text-error"),
    "sdd-stage-done": ("finished stages in the Specify → Verify flow", "text-success"),
    "sdd-stage-current": ("the feature's current stage", "text-accent"),
    "sdd-stage-pending": ("stages not reached yet", "foreground-muted"),
}


def _opaque(value: str, background: Color) -> str | None:
    """A generated CSS colour as opaque ``#RRGGBB`` (alpha blended over the background)."""
    colour_text, percent = value, 100.0
    match = _PERCENT_RE.match(value.strip())
    if match:
        colour_text, percent = match["colour"], float(match["percent"])
    try:
        colour = Color.parse(colour_text)
    except ColorParseError:
        return None
    if colour.ansi is not None:
        return None
    alpha = colour.a * percent / 100
    if alpha < 1:
        colour = background.blend(colour.with_alpha(1), alpha, alpha=1)
    return colour.clamped.hex


def theme_variable_defaults(theme: Theme | None) -> dict[str, str]:
    """Values for every ``sdd-*`` variable under ``theme``, derived from its colours.

    Return this from ``App.get_theme_variable_defaults()``: a theme's own ``variables`` win
    over it, and a theme without them (any of Textual's built-in themes) still gets every
    variable, so switching themes never leaves ``$sdd-…`` unresolved in the CSS.
    """
    theme = theme or BUILTIN_THEMES["textual-dark"]
    generated = theme.to_color_system().generate()
    try:
        background = Color.parse(generated["background"])
    except ColorParseError:
        background = Color.parse("#000000" if theme.dark else "#ffffff")
    ansi = theme.ansi or background.ansi is not None
    defaults: dict[str, str] = {}
    for name, (_, source) in SDD_VARIABLES.items():
        value = generated.get(source, generated["foreground"])
        literal = None if ansi else _opaque(value, background)
        defaults[name] = literal if literal is not None else value
    return defaults
