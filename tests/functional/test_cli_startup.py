"""CLI start-up for agents and scripts (issue 16, item 17): a move reads one feature, and a
warm ``status --json`` or ``move`` imports neither pydantic nor PyYAML (the config comes
from its cache), nor anything else a one-shot command does not use."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.cli import main
from sdd_tui.formats.config import load_config
from sdd_tui.workspace import facts as facts_mod
from sdd_tui.workspace.loader import load

SAMPLE = Path(__file__).resolve().parents[2] / "sample_workspace"

PROBE = """
import contextlib, io, json, sys
from sdd_tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main({argv!r})
json.dump({{"code": code, "modules": sorted(sys.modules)}}, sys.__stdout__)
"""

# What a warm one-shot command has no use for (each was imported before).
NOT_NEEDED = (
    "pydantic",
    "pydantic_core",
    "yaml",
    "textual",
    "git",
    "rich",
    "uuid",
    "datetime",
    "hmac",
    "_hashlib",
    "typing_extensions",
)


def _modules(argv: list[str]) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["code"] == 0
    return set(result["modules"])


def test_a_move_reads_only_the_feature_it_names(
    sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read: list[str] = []
    real_get = facts_mod.FactsCache.get

    def get(self, root, relpath, kind):  # type: ignore[no-untyped-def]
        read.append(relpath)
        return real_get(self, root, relpath, kind)

    monkeypatch.setattr(facts_mod.FactsCache, "get", get)
    assert main(["move", "--path", str(sample), "002-meal-planner/T009", "done"]) == 0
    assert "moved 002-meal-planner/T009" in capsys.readouterr().out
    assert read and all(p.startswith("specs/002-meal-planner/") for p in read), read


def test_a_move_of_an_unknown_feature_still_names_the_close_ones(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["move", "--path", str(sample), "002-meal-planer/T009", "done"]) == 2
    assert "(did you mean: 002-meal-planner?)" in capsys.readouterr().err


def test_a_partial_load_is_marked_so(sample: Path) -> None:
    loaded = load(sample, only="002")
    assert [f.id for f in loaded.workspace.features] == ["002-meal-planner"]
    assert loaded.partial
    assert len(loaded.sources) == 3


def test_warm_one_shot_commands_import_only_what_they_use(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(SAMPLE, ws)
    assert (ws / ".sdd/config.yaml").is_file()  # the config is read: from its cache
    _modules(["status", "--json", str(ws)])  # fills the caches
    for argv in (
        ["status", "--json", str(ws)],
        ["move", "--path", str(ws), "002-meal-planner/T009", "done"],
        ["move", "--path", str(ws), "002-meal-planner/T009", "review"],
    ):
        loaded = _modules(argv)
        assert "sdd_tui.workspace.loader" in loaded  # the probe is not vacuous
        heavy = sorted(m for m in loaded if m.split(".")[0] in NOT_NEEDED)
        assert heavy == [], (argv, heavy)


CONFIGS = {
    "defaults": b"",
    "sample": (SAMPLE / ".sdd/config.yaml").read_bytes(),
    "columns": b"columns:\n  - todo\n  - {id: blocked, title: On hold}\n  - done\n"
    b"checks:\n  open-clarification: off\n  untested-requirement: warning\n"
    b"git: {autocommit: yes}\nfuture_key: [1, 2]\n",
    "invalid": b"columns: [todo, doing]\n",
    "bad yaml": b"columns: [todo\n",
    "dates among unknown keys": b"released: 2024-01-01\n",
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_config_view_reads_as_the_validated_config(tmp_path: Path, name: str) -> None:
    from sdd_tui.workspace.config_cache import load_config_view

    raw = CONFIGS[name]
    root = write_tree(tmp_path / "ws", {".sdd/config.yaml": raw})
    want, want_problems = load_config(raw, ".sdd/config.yaml")
    for _ in range(2):  # validated, then from the cache (where marshal can hold it)
        view, problems = load_config_view(root, raw, ".sdd/config.yaml")
        assert problems == want_problems
        assert view.column_ids == want.column_ids
        assert view.column_titles == want.column_titles
        assert view.tests.command == want.tests.command
        assert view.tests.junit == (None if want.tests.junit is None else tuple(want.tests.junit))
        assert view.git.autocommit == want.git.autocommit
        assert view.checks == want.checks


def test_a_changed_or_forged_config_cache_is_validated_again(tmp_path: Path) -> None:
    from sdd_tui.workspace.config_cache import config_store

    root = write_tree(tmp_path / "ws", {".sdd/config.yaml": b"columns: [todo, done]\n"})
    load(root)
    store = config_store(root)
    assert store.is_file()
    (root / ".sdd/config.yaml").write_bytes(b"columns: [todo, doing, done]\n")
    assert load(root).workspace.columns == ("todo", "doing", "done")
    blob = bytearray(store.read_bytes())
    blob[-3] ^= 0xFF  # forged or damaged: the MAC no longer matches
    store.write_bytes(bytes(blob))
    assert load(root).workspace.columns == ("todo", "doing", "done")
