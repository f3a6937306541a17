"""The validated ``.sdd/config.yaml`` as plain records: what a snapshot holds.

``formats/config.py`` validates with pydantic and reads YAML with PyYAML; importing the two
costs more than everything else a headless command does (``sdd-tui move`` spent ~2/3 of its
time there).  The snapshot holds this view instead, built from the validated model's dump,
so a config read before comes back from the parse cache without either import
(``workspace/config_cache.py``).  Same attributes as ``SddConfig`` for every reader:
``columns``, ``tests.command``, ``tests.junit``, ``git.autocommit``, ``checks``,
``agents``, ``column_ids``, ``column_titles``; ``extra`` holds the keys this version does not know.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from sdd_tui.model.record import record


@record
class ColumnView:
    id: str
    title: str | None = None


@record
class TestsView:
    command: str | None = None
    junit: tuple[str, ...] | None = None


@record
class GitView:
    autocommit: bool = False


@record
class ConfigView:
    columns: tuple[ColumnView, ...]
    tests: TestsView = field(default_factory=TestsView)
    git: GitView = field(default_factory=GitView)
    checks: dict[str, str] = field(default_factory=dict)
    agents: tuple[str, ...] = ()  # more coding agents' names (the activity feed)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def column_ids(self) -> tuple[str, ...]:
        ids = [c.id for c in self.columns]
        ids.remove("done")
        return (*ids, "done")

    @property
    def column_titles(self) -> dict[str, str]:
        return {c.id: c.title or c.id.replace("_", " ").title() for c in self.columns}

    @classmethod
    def from_dump(cls, dump: dict[str, Any]) -> ConfigView:
        """The view of ``SddConfig.model_dump()`` (already validated)."""
        known = ("columns", "tests", "git", "checks", "agents")
        tests = dump.get("tests") or {}
        junit = tests.get("junit")
        return cls(
            columns=tuple(ColumnView(c["id"], c.get("title")) for c in dump["columns"]),
            tests=TestsView(tests.get("command"), None if junit is None else tuple(junit)),
            git=GitView(bool((dump.get("git") or {}).get("autocommit", False))),
            checks=dict(dump.get("checks") or {}),
            agents=tuple(dump.get("agents") or ()),
            extra={k: v for k, v in dump.items() if k not in known},
        )
