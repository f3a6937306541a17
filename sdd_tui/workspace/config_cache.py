"""``.sdd/config.yaml`` read through a cache, so that a headless command imports no pydantic.

Validating the config needs PyYAML and pydantic, whose imports cost a one-shot command like
``sdd-tui move`` more than all its own work.  The validated result (``ConfigView``, as plain
data) and its problems are kept next to the parse cache, with the same per-user MAC, keyed
by a digest of the config's bytes: an unchanged config comes back without either import.
Like the parse cache it is only a cache: anything odd about it means "validate again".
"""

from __future__ import annotations

import contextlib
import marshal
from pathlib import Path
from typing import Any

from sdd_tui import __version__
from sdd_tui.formats.config_view import ConfigView
from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.facts import _digest, default_store, read_sealed, write_sealed

FORMAT = 2  # 2: agents
_MAGIC = b"SDDTUI-CONFIG-CACHE\n"
_MAX_BYTES = 1024 * 1024


def load_config_view(root: Path, raw: bytes, path: str) -> tuple[ConfigView, list[Problem]]:
    """The validated config held in ``raw`` (the bytes of ``path``), cached per content."""
    store = config_store(root)
    digest = _digest(raw)
    hit = _read(store, digest)
    if hit is not None:
        return hit
    from sdd_tui.formats.config import load_config  # pydantic and PyYAML: only on a miss

    config, problems = load_config(raw, path)
    dump = config.model_dump()
    view = ConfigView.from_dump(dump)
    _write(store, digest, dump, problems)
    return view, problems


def config_store(root: Path) -> Path:
    return default_store(root).with_suffix(".config")


def _read(store: Path, digest: bytes) -> tuple[ConfigView, list[Problem]] | None:
    payload = read_sealed(store, _MAGIC, _MAX_BYTES)
    if payload is None:
        return None
    try:
        fmt, version, key, dump, problems = marshal.loads(payload)
        if fmt != FORMAT or version != __version__ or key != digest:
            return None
        return ConfigView.from_dump(dump), [Problem(p, m, ln) for p, m, ln in problems]
    except (ValueError, TypeError, EOFError, KeyError, AttributeError):
        return None


def _write(store: Path, digest: bytes, dump: dict[str, Any], problems: list[Problem]) -> None:
    rows = [(p.path, p.message, p.line) for p in problems]
    try:
        payload = marshal.dumps((FORMAT, __version__, digest, dump, rows))
    except ValueError:
        return  # a value marshal cannot hold (a YAML date among unknown keys): not cached
    with contextlib.suppress(OSError):  # only a cache
        write_sealed(store, _MAGIC, payload)
