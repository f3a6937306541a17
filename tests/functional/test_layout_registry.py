"""``sdd_tui.layouts``: the registry, the facts each layout gives the UI, and a fifth layout
added as one module plus one registration (tests/helpers/toy_layout.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.files import CORPUS, write_tree
from helpers.toy_layout import TOY
from helpers.ui import column_keys, column_titles, make_app, screen_text

from sdd_tui import layouts
from sdd_tui.cli import main
from sdd_tui.formats.completeness import kiro_blocks, openspec_blocks
from sdd_tui.layouts import LayoutError, all_layouts, get, layout_of, registered
from sdd_tui.model.workspace import Feature
from sdd_tui.workspace.documents import DocumentCache, ParsedDoc
from sdd_tui.workspace.loader import Loaded, load_root

REPO = Path(__file__).resolve().parents[2]
TESTS = Path(__file__).resolve().parent.parent
BUILTIN = ("speckit", "kiro", "openspec", "zencoder")


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(tmp_path_factory.mktemp("parse-cache")))


def reader(loaded: Loaded):  # type: ignore[no-untyped-def]
    cache = DocumentCache()

    def read(path: str) -> ParsedDoc | None:
        doc = cache.load(loaded.root, path)
        return doc if isinstance(doc, ParsedDoc) else None

    return read


# --------------------------------------------------------------------------- the registry


def test_builtin_layouts_in_discovery_order() -> None:
    assert [lay.name for lay in all_layouts()][:4] == list(BUILTIN)
    assert [get(n).title for n in BUILTIN] == ["Spec Kit", "Kiro", "OpenSpec", "Zencoder"]


def test_layout_of_a_name_a_feature_and_a_source() -> None:
    kiro = layout_of("kiro")
    assert (kiro.name, kiro.title) == ("kiro", "Kiro")
    assert layout_of(Feature(id="x", layout="openspec", path="p")) is get("openspec")
    from sdd_tui.workspace.snapshot import FeatureSource  # the old home still re-exports it

    assert layout_of(FeatureSource("x", "zencoder", "p")) is get("zencoder")


def test_unknown_layout_and_clashing_names_are_refused() -> None:
    with pytest.raises(LayoutError, match="unknown layout 'nope'"):
        get("nope")

    class Impostor(type(TOY)):  # type: ignore[misc]
        name = "kiro"

    with pytest.raises(LayoutError, match="already registered"):
        layouts.register(Impostor())
    assert get("kiro").title == "Kiro"
    with pytest.raises(LayoutError, match="not a Layout"):
        layouts.register("toy")  # type: ignore[arg-type]


def test_registered_is_undone_even_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), registered(TOY):
        assert get("toy") is TOY
        raise RuntimeError
    assert "toy" not in [lay.name for lay in all_layouts()]
    with pytest.raises(LayoutError):
        get("toy")


def test_facts_the_ui_asks_for() -> None:
    assert [get(n).plan_can_go_stale for n in BUILTIN] == [True, False, True, True]
    assert [get(n).review_criteria_label for n in BUILTIN] == [
        None,
        "acceptance criteria",
        "scenarios",
        None,
    ]
    assert [get(n).native_in_progress for n in BUILTIN] == [False, True, False, False]
    assert [get(n).plan_required for n in BUILTIN] == [True, True, False, True]


# --------------------------------------------------------------------------- panes


def _feature(layout: str, **kw: object) -> Feature:
    return Feature(id="f", layout=layout, path="p", **kw)  # type: ignore[arg-type]


def test_pane_documents_of_each_layout() -> None:
    speckit = _feature(
        "speckit",
        documents={
            "spec": "specs/1-a/spec.md",
            "plan": "specs/1-a/plan.md",
            "research": None,
            "data_model": "specs/1-a/data-model.md",
            "quickstart": "specs/1-a/quickstart.md",
        },
        extra_documents=(
            ("contracts/api.md", "specs/1-a/contracts/api.md"),
            ("notes.md", "specs/1-a/notes.md"),
        ),
    )
    assert layout_of(speckit).pane_documents(speckit) == (
        [("spec.md", "specs/1-a/spec.md")],
        [
            ("plan.md", "specs/1-a/plan.md"),
            ("data-model.md", "specs/1-a/data-model.md"),
            ("quickstart.md", "specs/1-a/quickstart.md"),
            ("contracts/api.md", "specs/1-a/contracts/api.md"),
        ],
    )
    kiro = _feature(
        "kiro",
        documents={"spec": ".kiro/specs/a/bugfix.md", "plan": ".kiro/specs/a/design.md"},
        extra_documents=(("notes.md", ".kiro/specs/a/notes.md"),),
    )
    assert layout_of(kiro).pane_documents(kiro) == (
        [("bugfix.md", ".kiro/specs/a/bugfix.md")],
        [("design.md", ".kiro/specs/a/design.md")],
    )
    change = "openspec/changes/c"
    openspec = _feature(
        "openspec",
        documents={"spec": f"{change}/proposal.md", "plan": None},
        extra_documents=(
            ("auth/spec.md", f"{change}/specs/auth/spec.md"),
            ("review.md", f"{change}/review.md"),
        ),
    )
    assert layout_of(openspec).pane_documents(openspec) == (
        [
            ("proposal.md", f"{change}/proposal.md"),
            ("auth/spec.md", f"{change}/specs/auth/spec.md"),
        ],
        [],
    )
    zencoder = _feature(
        "zencoder", documents={"spec": ".zencoder/specs/x.md", "plan": ".zencoder/plans/x.md"}
    )
    assert layout_of(zencoder).pane_documents(zencoder) == (
        [("x.md", ".zencoder/specs/x.md")],
        [("plan.md", ".zencoder/plans/x.md")],
    )
    empty = _feature("speckit", documents={"spec": None, "plan": None})
    assert layout_of(empty).pane_documents(empty) == ([], [])


def _corpus_and_sample() -> list[Path]:
    roots = [REPO / "sample_workspace"]
    if CORPUS.is_dir():
        roots += sorted(p for p in CORPUS.iterdir() if p.is_dir())
    return roots


def test_pane_documents_on_real_workspaces_are_the_features_own() -> None:
    """On the sample and the corpus: the spec pane opens on the feature's spec, the plan
    pane on its plan, and every document shown is one of the feature's."""
    seen: set[str] = set()
    for root in _corpus_and_sample():
        for f in load_root(root).workspace.features:
            seen.add(f.layout)
            spec, plan = layout_of(f).pane_documents(f)
            own = {p for p in f.documents.values() if p} | {p for _, p in f.extra_documents}
            assert {p for _, p in spec + plan} <= own, (root.name, f.id)
            if f.documents.get("spec"):
                assert spec[0][1] == f.documents["spec"], (root.name, f.id)
            if f.documents.get("plan"):
                assert plan[0][1] == f.documents["plan"], (root.name, f.id)
    assert {"speckit", "kiro", "openspec"} <= seen or not CORPUS.is_dir()


# --------------------------------------------------------------------------- review criteria

KIRO_REQUIREMENTS = """\
# Requirements Document

## Introduction

Exports.

## Requirements

### Requirement 1

**User Story:** As a cook, I want exports, so that I can share.

#### Acceptance Criteria

1. WHEN I export THEN the system SHALL write a file
2. WHEN it fails THEN the system SHALL say why

### Requirement 2

**User Story:** As a cook, I want imports.
"""

DELTA = """\
## ADDED Requirements

### Requirement: Export
The system SHALL export.

#### Scenario: Plain export
- **WHEN** asked
- **THEN** it exports

### Requirement: Import
The system SHALL import.
"""


def test_review_criteria_of_kiro_and_openspec(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".kiro/specs/export/requirements.md": KIRO_REQUIREMENTS,
            ".kiro/specs/export/tasks.md": "- [ ] 1. Export\n",
            "openspec/changes/add-export/proposal.md": "## Why\nx\n## What Changes\ny\n",
            "openspec/changes/add-export/specs/export/spec.md": DELTA,
            "openspec/changes/add-export/specs/export/README.md": DELTA,
            "specs/001-x/spec.md": "# Spec\n- [ ] CHK001 ok?\n",
        },
    )
    loaded = load_root(tmp_path)
    read = reader(loaded)
    ws = loaded.workspace
    kiro = ws.feature("export")
    assert kiro is not None
    spec = ".kiro/specs/export/requirements.md"
    doc = read(spec)
    assert doc is not None
    blocks = layout_of(kiro).review_criteria(kiro, read)
    assert blocks == kiro_blocks(spec, doc.src, doc.md)
    assert [(b.title, len(b.criteria)) for b in blocks] == [
        ("Requirement 1", 2),
        ("Requirement 2", 0),
    ]
    change = ws.feature("add-export")
    assert change is not None
    delta = "openspec/changes/add-export/specs/export/spec.md"
    ddoc = read(delta)
    assert ddoc is not None
    blocks = layout_of(change).review_criteria(change, read)
    assert blocks == openspec_blocks(delta, ddoc.src, ddoc.md)  # the README is left out
    assert [(b.title, len(b.criteria)) for b in blocks] == [
        ("Requirement: Export", 1),
        ("Requirement: Import", 0),
    ]
    speckit = ws.feature("001-x")
    assert speckit is not None
    assert layout_of(speckit).review_criteria(speckit, read) == []
    unreadable = layout_of(kiro).review_criteria(kiro, lambda path: None)
    assert unreadable == []


# --------------------------------------------------------------------------- no name tests


def test_no_code_outside_the_layouts_compares_layout_names() -> None:
    """Layout facts live in ``sdd_tui/layouts``.  (``ui/`` is being rewritten to call the
    layouts; it is left out here until then.)"""
    names = "|".join(BUILTIN)
    compare = re.compile(rf"""(==|!=)\s*["']({names})["']|["']({names})["']\s*(==|!=)""")
    member = re.compile(rf"""\bin\s*[(\[{{][^)\]}}]*["']({names})["']""")
    keyed = re.compile(rf"""^\s*["']({names})["']\s*:""", re.MULTILINE)
    offenders = []
    for path in sorted((REPO / "sdd_tui").rglob("*.py")):
        part = path.relative_to(REPO / "sdd_tui").parts[0]
        if part in ("layouts", "ui"):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (compare, member, keyed):
            offenders += [f"{path.name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


# --------------------------------------------------------------------------- a fifth layout

TOY_FILES = {
    ".toy/pancakes/brief.md": "# Pancakes\n\nMake pancakes.\n",
    ".toy/pancakes/todo.md": "# Todo\n\n- [x] T1 Buy flour\n- [ ] T2 Whisk the batter\n",
    ".toy/waffles/todo.md": "- [ ] Heat the iron\n",
}


def test_a_registered_layout_shows_in_status_json(tmp_path: Path, capsys) -> None:
    root = write_tree(tmp_path / "ws", TOY_FILES)
    with registered(TOY):
        code = main(["status", "--json", str(root / ".toy" / "pancakes")])  # root found up
        out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    got = [
        (f["id"], f["layout"], f["tasks"]["done"], f["tasks"]["total"]) for f in data["features"]
    ]
    assert got == [
        ("pancakes", "toy", 1, 2),
        ("waffles", "toy", 0, 1),
    ]
    # gone once the block ends: the same folder has no features now
    assert "toy" not in [lay.name for lay in all_layouts()]
    assert [f.id for f in load_root(root).workspace.features] == []


def _cli(root: Path, *args: str, plugins: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    env[layouts.PLUGINS_ENV] = plugins
    return subprocess.run(
        [sys.executable, "-m", "sdd_tui", *args, str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_the_cli_reads_layouts_named_in_the_environment(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TOY_FILES)
    run = _cli(root, "status", "--json", plugins="helpers.toy_layout:TOY")
    assert run.returncode == 0, run.stderr
    ids = [(f["id"], f["layout"]) for f in json.loads(run.stdout)["features"]]
    assert ids == [("pancakes", "toy"), ("waffles", "toy")]
    run = _cli(root, "status", "--json", plugins="helpers.toy_layout:Toy")  # the class will do
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    ("plugins", "message"),
    [
        ("toy_layout", "is not 'module:attribute'"),
        ("no_such_module:TOY", "cannot load 'no_such_module:TOY'"),
        ("helpers.toy_layout:NOPE", "cannot load 'helpers.toy_layout:NOPE'"),
        ("helpers.toy_layout:present", "'helpers.toy_layout:present' is not a Layout"),
    ],
)
def test_a_bad_layout_plugin_is_one_line_and_exit_2(
    tmp_path: Path, plugins: str, message: str
) -> None:
    root = write_tree(tmp_path / "ws", TOY_FILES)
    run = _cli(root, "status", plugins=plugins)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.anyio
async def test_a_registered_layout_shows_on_the_board(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "ws", TOY_FILES)
    with registered(TOY):
        app = make_app(root, feature="pancakes")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert column_keys(app, "todo") == ["T2"]
            assert column_keys(app, "done") == ["T1"]
            assert column_titles(app)[0] == "Todo  1"
            text = screen_text(app)
            assert "Whisk the" in text and "Buy flour" in text  # the card titles
            assert "Make pancakes." in text  # brief.md in the spec pane (the default panes)
    assert "toy" not in [lay.name for lay in all_layouts()]
