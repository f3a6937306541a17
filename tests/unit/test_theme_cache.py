"""The theme cache: themes validated on an earlier run are reused only while every theme file
is unchanged; anything else (a new, edited or removed file, another version, a damaged cache)
means validating again."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from sdd_tui.ui import theme_cache
from sdd_tui.ui.themes import bundled_themes, user_themes


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    config, cache = tmp_path / "config", tmp_path / "cache"
    (config / "themes").mkdir(parents=True)
    monkeypatch.setenv("SDD_TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(cache))
    return config, cache


USER_THEME = """\
name: my-theme
dark: true
primary: "#88c0d0"
"""


def validated() -> list:  # type: ignore[type-arg]
    themes, problems = bundled_themes()
    more, more_problems = user_themes()
    assert problems == more_problems == []
    return themes + more


def test_saved_themes_come_back_equal(dirs: tuple[Path, Path]) -> None:
    config, _ = dirs
    (config / "themes" / "mine.yaml").write_text(USER_THEME)
    assert theme_cache.load() is None  # nothing saved yet
    themes = validated()
    theme_cache.save(themes)
    again = theme_cache.load()
    assert again == themes
    assert "my-theme" in [t.name for t in again]


def test_any_change_to_a_theme_file_means_validating_again(dirs: tuple[Path, Path]) -> None:
    config, _ = dirs
    mine = config / "themes" / "mine.yaml"
    mine.write_text(USER_THEME)
    theme_cache.save(validated())
    assert theme_cache.load() is not None
    mine.write_text(USER_THEME.replace("88c0d0", "ffffff"))  # edited
    assert theme_cache.load() is None
    theme_cache.save(validated())
    (config / "themes" / "other.yml").write_text(USER_THEME.replace("my-theme", "other"))
    assert theme_cache.load() is None  # a new file
    theme_cache.save(validated())
    mine.unlink()
    assert theme_cache.load() is None  # a file gone


def test_another_version_or_a_damaged_cache_is_not_used(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    theme_cache.save(validated())
    path = theme_cache._cache_path()
    assert theme_cache.load() is not None
    monkeypatch.setattr(theme_cache, "__version__", "0.0.0-other")
    assert theme_cache.load() is None
    monkeypatch.undo()
    for damage in (
        b"",
        b"{not marshal",
        path.read_bytes()[:-7],  # cut short
        marshal.dumps([1, 2]),
        marshal.dumps({"version": 1}),
    ):
        path.write_bytes(damage)
        assert theme_cache.load() is None
    files = [list(f) for f in theme_cache._files()]
    bad = {"version": theme_cache.__version__, "files": files, "themes": [{"nonsense": 1}]}
    path.write_bytes(marshal.dumps(bad))
    assert theme_cache.load() is None  # right files, themes that do not build


def test_each_config_folder_has_its_own_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(tmp_path / "cache"))
    paths = set()
    for name in ("a", "b", "c"):
        monkeypatch.setenv("SDD_TUI_CONFIG_DIR", str(tmp_path / name))
        paths.add(theme_cache._cache_path())
    assert len(paths) == 3
    assert all(p.parent == tmp_path / "cache" for p in paths)


def test_the_preferred_theme_is_read_from_preferences(dirs: tuple[Path, Path]) -> None:
    config, _ = dirs
    assert theme_cache.preferred_theme() is None
    (config / "preferences.json").write_text('{"theme": "sdd-light"}')
    assert theme_cache.preferred_theme() == "sdd-light"
    (config / "preferences.json").write_text('{"theme": 42}')
    assert theme_cache.preferred_theme() is None
