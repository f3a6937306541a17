"""The layouts sdd-tui reads, behind one interface (``base.Layout``), and their registry.

Everything that depends on a layout asks its ``Layout`` (``layout_of(feature)``) instead of
comparing layout names.  Adding a layout is one module with a ``Layout`` subclass and one
``register(MyLayout())``; from outside the package (a plugin, a test run as a subprocess)
name it in ``SDD_TUI_LAYOUTS`` as ``module:attribute`` (comma-separated; the attribute is a
``Layout`` instance or subclass), read when the registry is first used.

Importing this package imports no parser (the workbench may use it before its first frame).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sdd_tui.layouts.base import Layout
from sdd_tui.layouts.kiro import KIRO
from sdd_tui.layouts.openspec import OPENSPEC
from sdd_tui.layouts.speckit import SPECKIT
from sdd_tui.layouts.zencoder import ZENCODER
from sdd_tui.model.source import FeatureSource
from sdd_tui.model.workspace import Feature

__all__ = [
    "Layout",
    "LayoutError",
    "all_layouts",
    "get",
    "layout_of",
    "register",
    "registered",
    "unregister",
]

PLUGINS_ENV = "SDD_TUI_LAYOUTS"


class LayoutError(Exception):
    """An unknown layout name, a clash of names, or a plugin that cannot be loaded."""


# Discovery order: earlier layouts keep a clashing feature ID (see workspace.discover).
_registry: dict[str, Layout] = {}
_plugins_read = False
_plugin_error: LayoutError | None = None  # raised again on every use: never half a registry


def register(layout: Layout) -> Layout:
    """Add ``layout`` (after the ones registered before it); returns it."""
    if not isinstance(layout, Layout):
        raise LayoutError(f"{layout!r} is not a Layout")
    known = _registry.get(layout.name)
    if known is not None and known is not layout:
        raise LayoutError(f"a layout named '{layout.name}' is already registered")
    _registry[layout.name] = layout
    return layout


def unregister(name: str) -> None:
    _registry.pop(name, None)


@contextmanager
def registered(layout: Layout) -> Iterator[Layout]:
    """``layout`` registered for the ``with`` block only (tests, embedding)."""
    register(layout)
    try:
        yield layout
    finally:
        unregister(layout.name)


def all_layouts() -> tuple[Layout, ...]:
    _read_plugins()
    return tuple(_registry.values())


def get(name: str) -> Layout:
    found = _registry.get(name)
    if found is None:
        _read_plugins()
        found = _registry.get(name)
    if found is None:
        raise LayoutError(f"unknown layout '{name}' (known: {', '.join(_registry)})")
    return found


def layout_of(feature_or_name: Feature | FeatureSource | str) -> Layout:
    """The layout of a feature (or a feature source), or the layout of that name."""
    if isinstance(feature_or_name, str):
        return get(feature_or_name)
    return get(feature_or_name.layout)


def _read_plugins() -> None:
    global _plugins_read, _plugin_error
    if _plugin_error is not None:
        raise _plugin_error
    if _plugins_read:
        return
    _plugins_read = True
    spec = os.environ.get(PLUGINS_ENV, "")
    try:
        for item in filter(None, (part.strip() for part in spec.split(","))):
            register(_load_plugin(item))
    except LayoutError as exc:
        _plugin_error = exc
        raise


def _load_plugin(item: str) -> Layout:
    from importlib import import_module

    module_name, _, attribute = item.partition(":")
    if not module_name or not attribute:
        raise LayoutError(f"{PLUGINS_ENV}: '{item}' is not 'module:attribute'")
    try:
        found = getattr(import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise LayoutError(f"{PLUGINS_ENV}: cannot load '{item}': {exc}") from None
    if isinstance(found, type) and issubclass(found, Layout):
        found = found()
    if not isinstance(found, Layout):
        raise LayoutError(f"{PLUGINS_ENV}: '{item}' is not a Layout")
    return found


for _builtin in (SPECKIT, KIRO, OPENSPEC, ZENCODER):
    register(_builtin)
