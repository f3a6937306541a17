"""Start-up without pydantic: themes validated on an earlier run, reused while unchanged.

Validating theme files needs pydantic (and YAML), ~0.1–0.2 s of imports before the first
paint.  After a run in which every bundled and user theme file validated, their themes are
stored in the user's cache folder with each file's stat signature; the next start reuses them
when the set of files and every signature is the same, and otherwise validates again (so a
broken or edited file is always reported).  The user's chosen theme is read from
``preferences.json`` directly for the same reason.

The cache is a ``marshal`` payload (dicts of strings, numbers and booleans): reading it
imports nothing, where ``json`` costs more than reading the file.  It lives only in the
user's own cache folder, never in a workspace, so nobody but the user writes it; anything
that does not read back as expected (another version, a damaged file) is ignored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import marshal
import os
import zlib
from pathlib import Path
from typing import Any

from textual.theme import Theme

from sdd_tui import __version__
from sdd_tui.resources import themes_dir, user_config_dir
from sdd_tui.workspace.atomic import replace_bytes

SUFFIXES = (".yaml", ".yml")


def _cache_path() -> Path:
    from platformdirs import user_cache_dir

    base = os.environ.get("SDD_TUI_CACHE_DIR") or user_cache_dir("sdd-tui")
    # Keyed by the config dir too: tests and users with SDD_TUI_CONFIG_DIR get their own.
    # (A checksum, not hashlib: importing it loads OpenSSL before the first frame. Two dirs
    # with the same tag only take turns: the files list inside says whose themes they are.)
    tag = f"{zlib.crc32(str(user_config_dir()).encode()):08x}"
    return Path(base) / f"themes-{tag}.bin"


def _files() -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = []
    folders = []
    with contextlib.suppress(FileNotFoundError):
        folders.append(themes_dir())
    folders.append(user_config_dir() / "themes")
    for folder in folders:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for p in entries:
            if p.suffix.lower() in SUFFIXES and not p.name.startswith("."):
                try:
                    st = p.stat()
                except OSError:
                    continue
                out.append((str(p), [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]))
    return out


def load() -> list[Theme] | None:
    """The cached themes, or None when any theme file changed (validate them again)."""
    try:
        data = marshal.loads(_cache_path().read_bytes())
        if data.get("version") != __version__ or data.get("files") != [list(f) for f in _files()]:
            return None
        return [Theme(**kw) for kw in data["themes"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError, EOFError):
        return None


def save(themes: list[Theme]) -> None:
    data = {
        "version": __version__,
        "files": [list(f) for f in _files()],
        "themes": [dataclasses.asdict(t) for t in themes],
    }
    path = _cache_path()
    with contextlib.suppress(OSError, TypeError, ValueError):
        blob = marshal.dumps(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        # private, as it always was; not durable: a damaged cache does not read back and the
        # themes are validated again
        replace_bytes(path, blob, mode=0o600, durable=False)


def preferred_theme() -> str | None:
    """The theme named in the user's preferences.json (None when unset or unreadable)."""
    try:
        raw = (user_config_dir() / "preferences.json").read_text("utf-8")
    except (OSError, ValueError):
        return None
    import json  # only when there are preferences to read

    try:
        data: Any = json.loads(raw)
    except ValueError:
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) else None
