"""The user's preferences and trusted test commands, kept in the user config dir.

Nothing here is ever written into a workspace: ``preferences.json`` and
``trusted-commands.json`` live in :func:`sdd_tui.resources.user_config_dir` (overridable with
``$SDD_TUI_CONFIG_DIR``). Loading tolerates a missing, unreadable or corrupt file (defaults);
saving is atomic (temp file in the same folder, fsync, rename).

Headless: this module does not import Textual, so the test runner and the CLI may use it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from sdd_tui.resources import user_config_dir
from sdd_tui.workspace.atomic import replace_bytes

PREFERENCES_FILE = "preferences.json"
TRUSTED_COMMANDS_FILE = "trusted-commands.json"
_MAX_FILE_BYTES = 4 * 1024 * 1024


class Preferences(BaseModel):
    """What the user chose. Unknown keys (from a newer sdd-tui) survive a load/save round trip."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    theme: str | None = None
    """The theme name last chosen, or None for the default theme."""


def preferences_path() -> Path:
    """The preferences file (it may not exist yet)."""
    return user_config_dir() / PREFERENCES_FILE


def trusted_commands_path() -> Path:
    """The trusted-commands file (it may not exist yet)."""
    return user_config_dir() / TRUSTED_COMMANDS_FILE


# --------------------------------------------------------------------------- file helpers


def _read_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object stored at ``path``, or None when missing, unreadable or not an object."""
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            return None
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON to ``path`` atomically. Raises OSError on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    # another user has no business reading these
    replace_bytes(path, payload, mode=0o600)


# --------------------------------------------------------------------------- preferences


def load_preferences() -> Preferences:
    """The saved preferences; defaults when the file is missing, unreadable or corrupt."""
    data = _read_json_object(preferences_path())
    if data is None:
        return Preferences()
    try:
        return Preferences.model_validate(data)
    except ValidationError:
        # Keep what is still good: drop only the fields that fail to validate.
        good = dict(data)
        for field in Preferences.model_fields:
            if field in good:
                try:
                    Preferences.model_validate({field: good[field]})
                except ValidationError:
                    del good[field]
        try:
            return Preferences.model_validate(good)
        except ValidationError:
            return Preferences()


def save_preferences(preferences: Preferences) -> None:
    """Save ``preferences`` atomically. Raises OSError when the config dir is not writable."""
    _write_json_atomic(preferences_path(), preferences.model_dump(mode="json"))


def save_theme(name: str) -> str | None:
    """Save ``name`` as the chosen theme; return an error message instead of raising."""
    preferences = load_preferences()
    if preferences.theme == name:
        return None
    preferences.theme = name
    try:
        save_preferences(preferences)
    except OSError as exc:
        return f"could not save the theme choice to {preferences_path()}: {exc.strerror or exc}"
    return None


# --------------------------------------------------------------------------- trusted commands


def _root_key(root: Path | str) -> str:
    """Workspaces are keyed by their resolved absolute path (symlinks resolved)."""
    return str(Path(root).expanduser().resolve())


def _load_trusted() -> dict[str, list[str]]:
    data = _read_json_object(trusted_commands_path()) or {}
    workspaces = data.get("workspaces")
    if not isinstance(workspaces, dict):
        return {}
    return {
        str(root): [command for command in commands if isinstance(command, str)]
        for root, commands in workspaces.items()
        if isinstance(commands, list)
    }


def is_command_trusted(root: Path | str, command: str) -> bool:
    """True when the user already allowed exactly ``command`` to run in workspace ``root``."""
    return command in _load_trusted().get(_root_key(root), [])


def trust_command(root: Path | str, command: str) -> None:
    """Allow ``command`` (the exact string) in workspace ``root`` from now on.

    A changed command (even by one character) needs trusting again. Raises OSError when the
    config dir is not writable.
    """
    trusted = _load_trusted()
    commands = trusted.setdefault(_root_key(root), [])
    if command in commands:
        return
    commands.append(command)
    _write_json_atomic(trusted_commands_path(), {"version": 1, "workspaces": trusted})


def untrust_command(root: Path | str, command: str | None = None) -> None:
    """Forget ``command`` for workspace ``root`` (every command of it when None)."""
    trusted = _load_trusted()
    key = _root_key(root)
    if key not in trusted:
        return
    if command is None:
        del trusted[key]
    elif command in trusted[key]:
        trusted[key].remove(command)
        if not trusted[key]:
            del trusted[key]
    else:
        return
    _write_json_atomic(trusted_commands_path(), {"version": 1, "workspaces": trusted})
