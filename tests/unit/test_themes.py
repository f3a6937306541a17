"""Theme files, theme registration, preferences and trusted test commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.files import REPO
from helpers.themes import GOOD_THEME, ThemedApp, write_user_theme
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from sdd_tui.resources import themes_dir, user_config_dir
from sdd_tui.ui import preferences as prefs
from sdd_tui.ui.themes import (
    COLOUR_FIELDS,
    DEFAULT_THEME,
    SDD_VARIABLES,
    ThemeFile,
    bundled_themes,
    choose_theme,
    load_theme_dir,
    load_theme_file,
    register_all,
    theme_variable_defaults,
    user_themes,
    user_themes_dir,
)


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user config dir; nothing touches the real one."""
    folder = tmp_path / "config"
    monkeypatch.setenv("SDD_TUI_CONFIG_DIR", str(folder))
    return folder


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two opaque colours."""

    def luminance(text: str) -> float:
        colour = Color.parse(text)

        def channel(value: int) -> float:
            v = value / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --------------------------------------------------------------------------- bundled themes


def test_bundled_themes_all_validate() -> None:
    themes, problems = bundled_themes()
    assert problems == []
    names = [theme.name for theme in themes]
    assert len(names) >= 3
    assert DEFAULT_THEME in names
    assert {"sdd-dark", "sdd-light", "sdd-solarized"} <= set(names)
    assert any(not theme.dark for theme in themes), "at least one light theme"
    files = sorted(themes_dir().glob("*.yaml"))
    assert len(files) == len(themes)
    for file in files:
        theme, file_problems = load_theme_file(file)
        assert file_problems == []
        assert theme is not None
        assert file.stem == theme.name, "file name matches the theme name"


@pytest.mark.parametrize("path", sorted(themes_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_theme_is_complete_and_legible(path: Path) -> None:
    theme, problems = load_theme_file(path)
    assert problems == [] and theme is not None
    for field in COLOUR_FIELDS:
        assert getattr(theme, field) is not None, f"{path.name} sets {field}"
    assert set(SDD_VARIABLES) <= set(theme.variables), "every sdd-* variable is set"
    card = theme.variables["sdd-card-background"]
    selected = theme.variables["sdd-card-selected-background"]
    assert theme.foreground and theme.background and theme.surface
    for ground in (theme.background, theme.surface, card, selected):
        assert contrast(theme.foreground, ground) >= 4.5
    backgrounds = {
        "sdd-card-background",
        "sdd-card-selected-background",
        "sdd-progress-done",
        "sdd-progress-remaining",
        "sdd-clarification-background",
    }
    for name in set(SDD_VARIABLES) - backgrounds:
        value = theme.variables[name]
        wanted = 3.0 if name == "sdd-stage-pending" else 4.5
        assert contrast(value, card) >= wanted, f"{name} on a card"
        assert contrast(value, selected) >= 3.0, f"{name} on the selected card"
    assert (
        contrast(
            theme.variables["sdd-clarification"], theme.variables["sdd-clarification-background"]
        )
        >= 4.5
    )


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_variable_defaults_exist_for_builtin_themes(name: str) -> None:
    defaults = theme_variable_defaults(BUILTIN_THEMES[name])
    assert set(defaults) == set(SDD_VARIABLES)
    for value in defaults.values():
        assert value.strip()


def test_variable_defaults_are_literal_colours_for_rgb_themes() -> None:
    defaults = theme_variable_defaults(BUILTIN_THEMES["textual-light"])
    for value in defaults.values():
        colour = Color.parse(value)
        assert colour.a == 1 and value.startswith("#") and len(value) == 7


def test_choose_theme_falls_back() -> None:
    app = ThemedApp()
    register_all(app)
    assert choose_theme(app, "sdd-light") == "sdd-light"
    assert choose_theme(app, "no-such-theme") == DEFAULT_THEME
    assert choose_theme(app, None) == DEFAULT_THEME
    assert choose_theme(app, "nord") == "nord"


# --------------------------------------------------------------------------- user themes


def test_user_themes_dir_follows_env(config_dir: Path) -> None:
    assert user_config_dir() == config_dir
    assert user_themes_dir() == config_dir / "themes"
    assert user_themes() == ([], [])  # a missing folder is no problem


def test_invalid_user_theme_is_a_problem_and_others_still_load(config_dir: Path) -> None:
    bad = write_user_theme(config_dir, "bad.yaml", 'name: bad\nprimary: "blurple"\n')
    write_user_theme(config_dir, "good.yaml", GOOD_THEME)
    app = ThemedApp()
    messages = register_all(app)
    assert len(messages) == 1
    message = messages[0]
    assert "bad.yaml" in message and "primary" in message and "blurple" in message
    assert "did you mean 'purple'" in message
    assert "my-theme" in app.available_themes
    assert "bad" not in app.available_themes
    assert "sdd-dark" in app.available_themes  # bundled ones unaffected
    themes, problems = user_themes()
    assert [t.name for t in themes] == ["my-theme"]
    assert [(p.path, p.field) for p in problems] == [(bad, "primary")]
    assert str(problems[0]).endswith("primary: not a colour 'blurple' (did you mean 'purple'?)")


def test_user_theme_variables_are_registered(config_dir: Path) -> None:
    write_user_theme(config_dir, "good.yaml", GOOD_THEME)
    app = ThemedApp()
    assert register_all(app) == []
    assert app.get_theme("my-theme") is not None
    assert app.get_theme("my-theme").variables == {"sdd-badge-story": "#FFCC00"}  # type: ignore[union-attr]


def test_user_theme_may_replace_a_bundled_one(config_dir: Path) -> None:
    write_user_theme(config_dir, "mine.yaml", 'name: sdd-dark\nprimary: "#ff0000"\n')
    app = ThemedApp()
    assert register_all(app) == []
    assert app.get_theme("sdd-dark").primary == "#FF0000"  # type: ignore[union-attr]


def test_invalid_yaml_is_a_problem(config_dir: Path) -> None:
    path = write_user_theme(config_dir, "broken.yaml", "name: [unclosed\nprimary: red\n")
    themes, problems = user_themes()
    assert themes == []
    assert len(problems) == 1
    assert problems[0].path == path and problems[0].field is None
    assert "invalid YAML" in str(problems[0]) and "broken.yaml" in str(problems[0])
    assert "line" in str(problems[0])


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        ("", None, "got an empty file"),
        ("- a\n- b\n", None, "got a list"),
        ("just text", None, "got 'just text'"),
        ("name: x\n", "primary", "required field missing"),
        ('primary: "#fff"\n', "name", "required field missing"),
        ('name: x\nprimary: "#fff"\ncolour: "#fff"\n', "colour", "unknown field"),
        ('name: x\nprimary: "#fff"\ndark: maybe\n', "dark", "expected true or false"),
        ('name: x\nprimary: "#fff"\ndark: 1\n', "dark", "expected true or false"),
        ("name: x\nprimary: 123\n", "primary", "expected text, got a number (123)"),
        ("name: x\nprimary: #fff\n", "primary", "quote hex colours"),
        ('name: x\nprimary: "#fff"\nsecondary:\n', "secondary", "empty value"),
        ('name: "has space"\nprimary: "#fff"\n', "name", "not a theme name"),
        ('name: "a,b"\nprimary: "#fff"\n', "name", "not a theme name"),
        ('name: x\nprimary: "#fff"\nvariables: [1]\n', "variables", "expected a mapping"),
        (
            'name: x\nprimary: "#fff"\nvariables:\n  sdd-card-id: nope\n',
            "variables.sdd-card-id",
            "not a colour 'nope'",
        ),
        (
            'name: x\nprimary: "#fff"\nvariables:\n  sdd-card-idd: "#fff"\n',
            "variables.sdd-card-idd",
            "unknown variable",
        ),
        (
            'name: x\nprimary: "#fff"\nvariables:\n  block-cursor-text-style: shouty\n',
            "variables.block-cursor-text-style",
            "not a text style 'shouty'",
        ),
        (
            'name: x\nprimary: "#fff"\nvariables:\n  border: 5\n',
            "variables.border",
            "expected text",
        ),
        ('name: x\nprimary: "#fff"\ntext_alpha: 2\n', "text_alpha", "less than or equal"),
    ],
)
def test_theme_problems_name_file_and_field(
    config_dir: Path, text: str, field: str | None, fragment: str
) -> None:
    path = write_user_theme(config_dir, "t.yaml", text)
    themes, problems = load_theme_dir(path.parent)
    assert themes == []
    assert problems, "a problem is reported"
    assert any(p.field == field and fragment in str(p) for p in problems), [
        str(p) for p in problems
    ]
    for problem in problems:
        assert problem.path == path
        assert "t.yaml" in str(problem)


def test_every_bad_variable_is_reported(config_dir: Path) -> None:
    write_user_theme(
        config_dir,
        "t.yaml",
        'name: x\nprimary: "#fff"\nvariables:\n  sdd-card-id: nope\n  bogus: "#fff"\n'
        '  sdd-muted: "#abcdef 50%"\n',
    )
    _, problems = user_themes()
    assert sorted(p.field or "" for p in problems) == ["variables.bogus", "variables.sdd-card-id"]


def test_colours_are_normalised_to_hex() -> None:
    model = ThemeFile.model_validate(
        {
            "name": "n",
            "primary": "red",
            "secondary": "#0f0",
            "accent": "rgb(0, 0, 255)",
            "surface": "hsl(0, 0%, 100%)",
            "boost": "#ffffff0a",
            "variables": {"sdd-muted": "#abc 50%", "border": "ansi_red", "sdd-card-id": "#123456"},
        }
    )
    theme = model.to_theme()
    assert (theme.primary, theme.secondary, theme.accent, theme.surface, theme.boost) == (
        "#FF0000",
        "#00FF00",
        "#0000FF",
        "#FFFFFF",
        "#FFFFFF0A",
    )
    assert theme.variables == {
        "sdd-muted": "#AABBCC 50%",
        "border": "ansi_red",
        "sdd-card-id": "#123456",
    }


def test_only_boost_may_be_translucent(config_dir: Path) -> None:
    write_user_theme(config_dir, "t.yaml", 'name: x\nprimary: "#ff000080"\nboost: "#ffffff10"\n')
    themes, problems = user_themes()
    assert themes == []
    assert [(p.field, p.message) for p in problems] == [
        ("primary", "translucent colour '#FF000080' (only boost may be translucent)")
    ]


def test_good_variable_values_pass() -> None:
    model = ThemeFile.model_validate(
        {
            "name": "ok",
            "primary": "rgb(10, 20, 30)",
            "variables": {
                "sdd-muted": "#abcdef 50%",
                "text": "auto 87%",
                "border": "ansi_red",
                "link-style": "bold underline",
                "block-cursor-text-style": "none",
            },
        }
    )
    theme = model.to_theme()
    assert isinstance(theme, Theme)
    assert theme.dark is True


def test_unreadable_files_are_problems(config_dir: Path) -> None:
    write_user_theme(config_dir, "latin1.yaml", b"name: caf\xe9\nprimary: red\n")
    (config_dir / "themes" / "folder.yaml").mkdir()
    write_user_theme(config_dir, "ok.yml", GOOD_THEME.replace("my-theme", "yml-theme"))
    write_user_theme(config_dir, "notes.txt", "not a theme")
    themes, problems = user_themes()
    assert [t.name for t in themes] == ["yml-theme"]
    messages = sorted(str(p) for p in problems)
    assert len(messages) == 2
    assert "folder.yaml" in messages[0] and "folder" in messages[0]
    assert "latin1.yaml" in messages[1] and "UTF-8" in messages[1]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_is_a_problem(config_dir: Path) -> None:
    path = write_user_theme(config_dir, "secret.yaml", GOOD_THEME)
    path.chmod(0)
    try:
        themes, problems = user_themes()
    finally:
        path.chmod(0o644)
    assert themes == []
    assert "secret.yaml" in str(problems[0]) and "cannot read" in str(problems[0])


def test_duplicate_names_keep_the_first(config_dir: Path) -> None:
    write_user_theme(config_dir, "a.yaml", GOOD_THEME)
    write_user_theme(config_dir, "b.yaml", GOOD_THEME)
    themes, problems = user_themes()
    assert [t.name for t in themes] == ["my-theme"]
    assert len(problems) == 1 and problems[0].field == "name"
    assert "b.yaml" in str(problems[0]) and "a.yaml" in str(problems[0])


def test_themes_path_that_is_a_file(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "themes").write_text("oops")
    themes, problems = user_themes()
    assert themes == [] and len(problems) == 1
    assert "not a folder" in str(problems[0])


# --------------------------------------------------------------------------- preferences


def test_preferences_default_when_missing(config_dir: Path) -> None:
    assert not prefs.preferences_path().exists()
    assert prefs.load_preferences().theme is None


def test_preferences_round_trip(config_dir: Path) -> None:
    prefs.save_preferences(prefs.Preferences(theme="sdd-light"))
    path = config_dir / "preferences.json"
    assert prefs.preferences_path() == path
    assert json.loads(path.read_text()) == {"theme": "sdd-light"}
    assert prefs.load_preferences().theme == "sdd-light"
    assert prefs.save_theme("sdd-solarized") is None
    assert prefs.load_preferences().theme == "sdd-solarized"
    assert [p.name for p in config_dir.iterdir()] == ["preferences.json"], "no temp files left"


def test_preferences_keep_unknown_keys(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "preferences.json").write_text('{"theme": "nord", "future": [1, 2]}')
    loaded = prefs.load_preferences()
    assert loaded.theme == "nord"
    prefs.save_theme("sdd-dark")
    data = json.loads((config_dir / "preferences.json").read_text())
    assert data == {"theme": "sdd-dark", "future": [1, 2]}


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe\x00", b"", b'{"theme": 42}'],
)
def test_corrupt_preferences_give_defaults(config_dir: Path, content: bytes) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "preferences.json").write_bytes(content)
    assert prefs.load_preferences().theme is None
    prefs.save_preferences(prefs.Preferences(theme="sdd-dark"))  # and it can be replaced
    assert prefs.load_preferences().theme == "sdd-dark"


def test_preferences_file_that_is_a_folder(config_dir: Path) -> None:
    (config_dir / "preferences.json").mkdir(parents=True)
    assert prefs.load_preferences().theme is None
    message = prefs.save_theme("sdd-dark")
    assert message is not None and "could not save" in message


def test_preferences_never_written_into_the_repo(config_dir: Path) -> None:
    prefs.save_theme("sdd-light")
    repo = REPO
    assert not prefs.preferences_path().is_relative_to(repo)


def test_config_dir_default_is_platform_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SDD_TUI_CONFIG_DIR")
    assert "sdd-tui" in user_config_dir().parts


# --------------------------------------------------------------------------- trusted commands


def test_trusted_commands_keyed_by_root_and_command(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    command = "python -m pytest -q --junitxml=.sdd/results/junit.xml"
    assert not prefs.is_command_trusted(one, command)
    prefs.trust_command(one, command)
    assert prefs.is_command_trusted(one, command)
    assert prefs.is_command_trusted(str(one), command)
    assert prefs.is_command_trusted(one / "sub" / "..", command), "the root is resolved"
    assert not prefs.is_command_trusted(two, command), "per workspace"
    assert not prefs.is_command_trusted(one, command + " "), "the exact command"
    assert not prefs.is_command_trusted(one, "rm -rf /")
    prefs.trust_command(one, command)  # idempotent
    data = json.loads(prefs.trusted_commands_path().read_text())
    assert data["workspaces"] == {str(one.resolve()): [command]}


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_trusted_commands_follow_symlinked_roots(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    prefs.trust_command(link, "make test")
    assert prefs.is_command_trusted(real, "make test")


def test_untrust_command(tmp_path: Path) -> None:
    prefs.trust_command(tmp_path, "a")
    prefs.trust_command(tmp_path, "b")
    prefs.untrust_command(tmp_path, "a")
    assert not prefs.is_command_trusted(tmp_path, "a")
    assert prefs.is_command_trusted(tmp_path, "b")
    prefs.untrust_command(tmp_path)
    assert not prefs.is_command_trusted(tmp_path, "b")


def test_corrupt_trust_store_trusts_nothing(config_dir: Path, tmp_path: Path) -> None:
    config_dir.mkdir(parents=True)
    prefs.trusted_commands_path().write_text('{"workspaces": {"x": "not a list"}')
    assert not prefs.is_command_trusted(tmp_path, "make")
    prefs.trusted_commands_path().write_text('{"workspaces": ["nope"]}')
    assert not prefs.is_command_trusted(tmp_path, "make")
    prefs.trust_command(tmp_path, "make")
    assert prefs.is_command_trusted(tmp_path, "make")
