"""Theme files: sdd-tui's own (``themes/*.yaml``) and the user's (``<config dir>/themes``).

A theme file is YAML::

    name: sdd-dark            # letters, digits, ``-``, ``_``, ``.``
    dark: true
    primary: "#58A6FF"        # quote hex colours: a bare # starts a YAML comment
    secondary: "#A38BFA"      # optional, like every colour but primary
    ...                       # accent foreground background surface panel boost
                              # warning error success
    variables:                # optional: Textual's theme variables and sdd-tui's own
      sdd-badge-story: "#F0B35A"
      footer-key-foreground: "#58A6FF"

Loading never raises for a bad file: every problem (unreadable file, invalid YAML, unknown or
mistyped field, a value that is not a colour) becomes a :class:`ThemeProblem` naming the file
and the field, and the other files still load.

The App wires this module in three places::

    class Workbench(App):
        def __init__(self) -> None:
            super().__init__()
            self.theme_problems = register_all(self)      # notify these once mounted
            self.theme = choose_theme(self, load_preferences().theme)

        def get_theme_variable_defaults(self) -> dict[str, str]:
            return theme_variable_defaults(self.current_theme)

so ``$sdd-…`` variables exist under every theme, Textual's built-in ones included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import BUILTIN_THEMES, Theme

from sdd_tui.resources import themes_dir, user_config_dir

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_THEME = "sdd-dark"
"""The theme used when the user has not chosen one (or chose one that no longer exists)."""

THEME_SUFFIXES = (".yaml", ".yml")
MAX_THEME_FILE_BYTES = 256 * 1024

COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
)

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_VARIABLE_RE = re.compile(r"^[a-z][a-z0-9-]*$")
from sdd_tui.ui.theme_vars import (  # noqa: E402  (re-exported: the public theme API)
    _PERCENT_RE,
    SDD_VARIABLES,
    _opaque,  # noqa: F401
    theme_variable_defaults,  # noqa: F401
)

# --------------------------------------------------------------------------- validation


@cache
def _textual_variables() -> dict[str, str]:
    """Textual's own theme variables with an example value (tells colour from text style)."""
    return BUILTIN_THEMES["textual-dark"].to_color_system().generate()


def _colour_error(value: object) -> PydanticCustomError:
    return PydanticCustomError("colour", "not a colour {value}", {"value": repr(value)})


def _parse_colour(value: str) -> str:
    """``value`` as canonical ``#RRGGBB`` (``#RRGGBBAA`` when translucent); ansi names kept."""
    try:
        colour = Color.parse(value)
    except ColorParseError as exc:
        suggestion = f" (did you mean {exc.suggested_color!r}?)" if exc.suggested_color else ""
        raise PydanticCustomError(
            "colour",
            "not a colour {value}{suggestion}",
            {"value": repr(value), "suggestion": suggestion},
        ) from None
    except Exception:
        raise _colour_error(value) from None
    return value.strip() if colour.ansi is not None else colour.hex


def _opaque_colour(value: str) -> str:
    if len(value) == 9 and value.startswith("#"):  # #RRGGBBAA from _parse_colour
        raise PydanticCustomError(
            "colour_alpha",
            "translucent colour {value} (only boost may be translucent)",
            {"value": repr(value)},
        )
    return value


# Theme colours are stored as canonical hex (``red``, ``#f00`` and ``rgb(255,0,0)`` all become
# ``#FF0000``), so Rich styles built from them (``f"bold {theme.primary}"``) always parse.
Colour = Annotated[str, AfterValidator(_parse_colour), AfterValidator(_opaque_colour)]
TranslucentColour = Annotated[str, AfterValidator(_parse_colour)]


def _check_css_colour(value: str) -> str:
    """A CSS colour value: a colour, optionally followed by an alpha percentage.

    Returns it normalised (the colour part as canonical hex).
    """
    match = _PERCENT_RE.match(value.strip())
    if match:
        colour, percent = match["colour"], match["percent"]
        if float(percent) > 100:
            raise _colour_error(value)
        if colour == "auto":
            return f"auto {percent}%"
        return f"{_parse_colour(colour)} {percent}%"
    return _parse_colour(value.strip())


def _check_text_style(value: str) -> None:
    words = value.split()
    if not words or any(word not in VALID_STYLE_FLAGS for word in words):
        raise PydanticCustomError(
            "text_style",
            "not a text style {value} (use words from: {words})",
            {"value": repr(value), "words": ", ".join(sorted(VALID_STYLE_FLAGS))},
        )


def _is_style_variable(name: str) -> bool:
    example = _textual_variables().get(name)
    if example is None:
        return False
    return all(word in VALID_STYLE_FLAGS for word in example.split())


class ThemeFile(BaseModel):
    """One theme file, validated. Unknown keys are errors, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str
    dark: bool = True
    primary: Colour
    secondary: Colour | None = None
    accent: Colour | None = None
    foreground: Colour | None = None
    background: Colour | None = None
    surface: Colour | None = None
    panel: Colour | None = None
    boost: TranslucentColour | None = None
    warning: Colour | None = None
    error: Colour | None = None
    success: Colour | None = None
    luminosity_spread: float = Field(default=0.15, ge=0.0, le=1.0)
    text_alpha: float = Field(default=0.95, ge=0.0, le=1.0)
    variables: dict[str, str] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise PydanticCustomError(
                "theme_name",
                "not a theme name {value} (letters, digits, '-', '_' and '.'; at most 64)",
                {"value": repr(value)},
            )
        return value

    @field_validator(*COLOUR_FIELDS, mode="before")
    @classmethod
    def _reject_empty(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            default = "" if info.field_name == "primary" else "; leave the key out for the default"
            raise PydanticCustomError(
                "colour_missing",
                'empty value (quote hex colours, e.g. "#1e1e2e": a bare # starts a YAML '
                "comment{default})",
                {"default": default},
            )
        return value

    @field_validator("variables")
    @classmethod
    def _check_variables(cls, variables: dict[str, str]) -> dict[str, str]:
        # Problems are reported one per variable, as "variables.<name>".
        errors = variable_problems(variables)
        if errors:
            name, message = errors[0]
            raise PydanticCustomError(
                "variable", "{name}: {message}", {"name": name, "message": message}
            )
        return {
            name: value if _is_style_variable(name) else _check_css_colour(value)
            for name, value in variables.items()
        }

    def to_theme(self) -> Theme:
        """The Textual theme this file describes."""
        colours = {name: getattr(self, name) for name in COLOUR_FIELDS}
        return Theme(
            name=self.name,
            dark=self.dark,
            luminosity_spread=self.luminosity_spread,
            text_alpha=self.text_alpha,
            variables=dict(self.variables),
            **colours,
        )


def variable_problems(variables: dict[str, str]) -> list[tuple[str, str]]:
    """(variable name, message) for each bad entry of a theme's ``variables`` mapping."""
    problems: list[tuple[str, str]] = []
    known = _textual_variables()
    for name, value in variables.items():
        if not _VARIABLE_RE.match(name):
            problems.append((name, "not a variable name (lowercase letters, digits and '-')"))
        elif name not in SDD_VARIABLES and name not in known:
            problems.append(
                (name, "unknown variable (use an sdd-… variable or one of Textual's own)")
            )
        else:
            try:
                if _is_style_variable(name):
                    _check_text_style(value)
                else:
                    _check_css_colour(value)
            except PydanticCustomError as exc:
                problems.append((name, exc.message()))
    return problems


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class ThemeProblem:
    """Why (part of) a theme file was not loaded."""

    path: Path
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{_display_path(self.path)}: {where}{self.message}"


def _display_path(path: Path) -> str:
    """``path`` relative to the current folder or with ``~`` for home, when that is shorter."""
    text = str(path)
    for base_of, prefix in ((Path.cwd, ""), (Path.home, "~/")):
        try:
            relative = path.resolve().relative_to(base_of().resolve())
        except (ValueError, OSError, RuntimeError):
            continue
        candidate = f"{prefix}{relative.as_posix()}"
        if len(candidate) < len(text):
            text = candidate
    return text


_FRIENDLY = {
    "missing": "required field missing",
    "extra_forbidden": "unknown field",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "float_type": "expected a number",
    "dict_type": "expected a mapping of variable: value",
}


def _problems_from(path: Path, error: ValidationError, data: dict[str, Any]) -> list[ThemeProblem]:
    problems: list[ThemeProblem] = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        field = ".".join(loc) if loc else None
        if item["type"] == "variable":
            # one problem per bad variable, each named variables.<name>
            for name, message in variable_problems(data.get("variables") or {}):
                problems.append(ThemeProblem(path, f"variables.{name}", message))
            continue
        message = _FRIENDLY.get(item["type"], item["msg"])
        if item["type"] in {"string_type", "bool_type", "float_type", "dict_type"}:
            message = f"{message}, got {_describe(item.get('input'))}"
        problems.append(ThemeProblem(path, field, message))
    return problems


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return repr(value)


def load_theme_file(path: Path) -> tuple[Theme | None, list[ThemeProblem]]:
    """Load one theme file: the theme, or None and why not. Never raises."""
    try:
        size = path.stat().st_size
        if size > MAX_THEME_FILE_BYTES:
            return None, [ThemeProblem(path, None, f"file too large ({size} bytes)")]
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [ThemeProblem(path, None, "not UTF-8 text")]
    except IsADirectoryError:
        return None, [ThemeProblem(path, None, "is a folder, not a file")]
    except OSError as exc:
        return None, [ThemeProblem(path, None, f"cannot read: {exc.strerror or exc}")]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return None, [ThemeProblem(path, None, f"invalid YAML: {_yaml_reason(exc)}")]
    except RecursionError:
        return None, [ThemeProblem(path, None, "invalid YAML: nested too deeply")]
    if not isinstance(data, dict):
        got = "an empty file" if data is None else _describe(data)
        return None, [ThemeProblem(path, None, f"expected a mapping of field: value, got {got}")]
    data = {str(key): value for key, value in data.items()}
    try:
        model = ThemeFile.model_validate(data)
    except ValidationError as exc:
        return None, _problems_from(path, exc, data)
    theme = model.to_theme()
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # a combination Textual cannot use
        return None, [ThemeProblem(path, None, f"Textual rejects this theme: {exc}")]
    return theme, []


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return str(problem)


def _theme_files(folder: Path) -> list[Path]:
    return sorted(
        entry
        for entry in folder.iterdir()
        if entry.suffix.lower() in THEME_SUFFIXES and not entry.name.startswith(".")
    )


def load_theme_dir(path: Path) -> tuple[list[Theme], list[ThemeProblem]]:
    """Every ``*.yaml``/``*.yml`` theme in ``path`` (sorted by file name) and the problems.

    A missing folder is no problem (no themes); a theme name used twice keeps the first file.
    Never raises.
    """
    path = Path(path)
    try:
        if not path.exists():
            return [], []
        files = _theme_files(path)
    except NotADirectoryError:
        return [], [ThemeProblem(path, None, "is a file, not a folder of themes")]
    except OSError as exc:
        return [], [ThemeProblem(path, None, f"cannot list: {exc.strerror or exc}")]
    themes: list[Theme] = []
    problems: list[ThemeProblem] = []
    seen: dict[str, Path] = {}
    for file in files:
        theme, file_problems = load_theme_file(file)
        problems.extend(file_problems)
        if theme is None:
            continue
        if theme.name in seen:
            problems.append(
                ThemeProblem(
                    file,
                    "name",
                    f"theme {theme.name!r} is already defined in {seen[theme.name].name}",
                )
            )
            continue
        seen[theme.name] = file
        themes.append(theme)
    return themes, problems


def bundled_themes() -> tuple[list[Theme], list[ThemeProblem]]:
    """sdd-tui's own themes (``themes/`` in a checkout, the bundled copy in an install)."""
    try:
        folder = themes_dir()
    except FileNotFoundError as exc:
        return [], [ThemeProblem(Path("themes"), None, str(exc))]
    return load_theme_dir(folder)


def user_themes_dir() -> Path:
    """Where the user's own theme files go: ``<user config dir>/themes``."""
    return user_config_dir() / "themes"


def user_themes() -> tuple[list[Theme], list[ThemeProblem]]:
    """The user's own themes; a user theme may replace a bundled one of the same name."""
    return load_theme_dir(user_themes_dir())


def register_all(
    app: App[Any],
    *,
    sources: Iterable[Callable[[], tuple[list[Theme], list[ThemeProblem]]]] = (
        bundled_themes,
        user_themes,
    ),
) -> list[str]:
    """Register bundled and user themes on ``app``; return the problems as messages to show."""
    messages: list[str] = []
    for source in sources:
        try:
            themes, problems = source()
        except Exception as exc:  # a loader bug must not stop the app
            messages.append(f"themes: could not load ({type(exc).__name__}: {exc})")
            continue
        for theme in themes:
            app.register_theme(theme)
        messages.extend(str(problem) for problem in problems)
    return messages


def choose_theme(app: App[Any], preferred: str | None, default: str = DEFAULT_THEME) -> str:
    """The first registered of ``preferred``, ``default`` and ``textual-dark``."""
    available = app.available_themes
    for name in (preferred, default):
        if name and name in available:
            return name
    return "textual-dark"
