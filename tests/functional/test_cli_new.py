"""``sdd-tui new``: a feature started from the terminal, and its one-line errors."""

from __future__ import annotations

from pathlib import Path

from helpers.cli import run_cli

from sdd_tui.workspace.loader import load


def test_new_creates_the_feature_and_lists_its_documents(tmp_path: Path) -> None:
    out = run_cli("new", "Recipe import", str(tmp_path), "--layout", "openspec")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "created OpenSpec feature add-recipe-import:",
        "  openspec/changes/add-recipe-import/proposal.md",
        "  openspec/changes/add-recipe-import/tasks.md",
        "  openspec/changes/add-recipe-import/design.md",
    ]
    assert [f.id for f in load(tmp_path).workspace.features] == ["add-recipe-import"]
    again = run_cli("new", "Recipe import", str(tmp_path), "--layout", "openspec")
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr == (
        "sdd-tui: openspec/changes/add-recipe-import already exists; nothing written\n"
    )


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for args in (("new",), ("new", "x", "--layout", "nope"), ("new", "x", str(tmp_path / "no"))):
        out = run_cli(*args)
        assert out.returncode == 2 and out.stderr.count("\n") == 1, (args, out.stderr)
        assert "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []
