"""Updating a widget only when what it shows changes.

``Static.update`` and a border (sub)title always repaint the widget, and ``update`` also lays
the screen out again.  After a board move or a reload most of them are handed the very text
they show already; repainting them anyway cost a 20,000-task workbench a few milliseconds per
widget on every key.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static


def _key(text: Text) -> tuple[object, ...]:
    return (text.plain, tuple(text.spans), text.style, text.no_wrap, text.overflow, text.justify)


def update_static(widget: Static, text: Text) -> None:
    """``widget.update(text)`` unless it shows exactly ``text`` already."""
    key = _key(text)
    if widget.__dict__.get("_sdd_shown") == key:
        return
    widget.__dict__["_sdd_shown"] = key
    widget.update(text)


def set_border_subtitle(widget: Widget, subtitle: str) -> None:
    """Set the border subtitle (as plain text: file names are never markup) if it changed."""
    if widget.__dict__.get("_sdd_subtitle") == subtitle:
        return
    widget.__dict__["_sdd_subtitle"] = subtitle
    widget.border_subtitle = Text(subtitle) if subtitle else None


def set_border_title(widget: Widget, title: Text) -> None:
    """Set the border title to ``title`` if it shows something else."""
    key = _key(title)
    if widget.__dict__.get("_sdd_title") == key:
        return
    widget.__dict__["_sdd_title"] = key
    widget.border_title = title
