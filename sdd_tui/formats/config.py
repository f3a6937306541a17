"""`.sdd/config.yaml`: columns, test command, result globs, rule severities, git options,
more agent names."""

from __future__ import annotations

import re
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sdd_tui.model.workspace import Problem

DEFAULT_COLUMNS = ("todo", "in_progress", "review", "done")
_COLUMN_ID = re.compile(r"[a-z][a-z0-9_-]*")


class ColumnConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str | None = None

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str) -> str:
        if not _COLUMN_ID.fullmatch(v):
            raise ValueError("column ids are lower-case words: letters, digits, '_' or '-'")
        return v


class TestsConfig(BaseModel):
    model_config = ConfigDict(extra="allow")
    command: str | None = None
    junit: list[str] | None = None


class GitConfig(BaseModel):
    model_config = ConfigDict(extra="allow")
    autocommit: bool = False


class SddConfig(BaseModel):
    """The validated config; unknown top-level keys are kept for later versions."""

    model_config = ConfigDict(extra="allow")
    columns: list[ColumnConfig] = Field(
        default_factory=lambda: [ColumnConfig(id=c) for c in DEFAULT_COLUMNS]
    )
    tests: TestsConfig = Field(default_factory=TestsConfig)
    git: GitConfig = Field(default_factory=GitConfig)
    checks: dict[str, Literal["error", "warning", "off"]] = Field(default_factory=dict)
    # more names of coding agents for the activity feed (beside Claude, Copilot, Codex, …)
    agents: list[str] = Field(default_factory=list)

    @field_validator("agents", mode="before")
    @classmethod
    def _agents(cls, v: Any) -> Any:
        if v is None:
            return []
        if isinstance(v, str):
            return [v]
        return v

    @field_validator("agents")
    @classmethod
    def _check_agents(cls, v: list[str]) -> list[str]:
        if any(not name.strip() for name in v):
            raise ValueError("agent names must not be empty")
        return [name.strip() for name in v]

    @field_validator("checks", mode="before")
    @classmethod
    def _checks(cls, v: Any) -> Any:
        # YAML 1.1 reads a bare `off` as false: accept it as the severity "off".
        if isinstance(v, dict):
            return {k: ("off" if val is False else val) for k, val in v.items()}
        return v

    @field_validator("columns", mode="before")
    @classmethod
    def _columns(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"id": c} if isinstance(c, str) else c for c in v]
        return v

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, v: list[ColumnConfig]) -> list[ColumnConfig]:
        ids = [c.id for c in v]
        if len(ids) < 2:
            raise ValueError("at least two columns are needed (a first one and 'done')")
        if len(set(ids)) != len(ids):
            raise ValueError("column ids must be unique")
        if "done" not in ids:
            raise ValueError("a 'done' column is required (done is a checked box)")
        return v

    @property
    def column_ids(self) -> tuple[str, ...]:
        ids = [c.id for c in self.columns]
        ids.remove("done")
        return (*ids, "done")

    @property
    def column_titles(self) -> dict[str, str]:
        return {c.id: c.title or c.id.replace("_", " ").title() for c in self.columns}


def load_config(raw: bytes | None, path: str) -> tuple[SddConfig, list[Problem]]:
    """Parse and validate config bytes; on any error, defaults and a Problem naming the line."""
    if raw is None:
        return SddConfig(), []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return SddConfig(), [Problem(path, "config is not valid UTF-8; using defaults")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return SddConfig(), [Problem(path, f"invalid YAML: {reason}; using defaults", line)]
    if data is None:
        return SddConfig(), []
    if not isinstance(data, dict):
        return SddConfig(), [Problem(path, "config must be a mapping; using defaults", 1)]
    try:
        return SddConfig.model_validate(data), []
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "config"
        line = _line_of(node, loc)
        return SddConfig(), [Problem(path, f"{field}: {err['msg']}; using defaults", line)]


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at ``loc`` (or of its deepest existing ancestor)."""
    if node is None:
        return None
    best = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    node = v
                    best = k.start_mark.line + 1
                    break
            else:
                return best
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return best
            node = node.value[part]
            best = node.start_mark.line + 1
        else:
            return best
    return best
