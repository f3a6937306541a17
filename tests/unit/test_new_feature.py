"""Starting a feature from templates: every layout's folder and documents, re-read by
sdd-tui as one feature with 0 problems; never an overwrite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.operations.boxes import OperationError
from sdd_tui.operations.new_feature import create
from sdd_tui.workspace.loader import load

TODAY = date(2026, 12, 2)

EXPECTED = {
    "speckit": (
        "001-recipe-import",
        {"spec": "specs/001-recipe-import/spec.md", "plan": "specs/001-recipe-import/plan.md",
         "tasks": "specs/001-recipe-import/tasks.md"},
    ),
    "kiro": (
        "recipe-import",
        {"spec": ".kiro/specs/recipe-import/requirements.md",
         "plan": ".kiro/specs/recipe-import/design.md",
         "tasks": ".kiro/specs/recipe-import/tasks.md"},
    ),
    "openspec": (
        "add-recipe-import",
        {"tasks": "openspec/changes/add-recipe-import/tasks.md"},
    ),
    "zencoder": ("recipe-import", {"spec": ".zencoder/specs/recipe-import.md"}),
}  # fmt: skip


@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_each_layout_starts_one_feature_with_its_documents_and_no_problem(
    layout: str, tmp_path: Path
) -> None:
    where, _ = create(tmp_path, "Recipe import", layout_name=layout, today=TODAY)
    feature_id, documents = EXPECTED[layout]
    assert where.id == feature_id
    ws = load(tmp_path).workspace
    assert [f.id for f in ws.features] == [feature_id]
    assert not ws.problems
    feature = ws.features[0]
    assert feature.layout == layout
    for kind, path in documents.items():
        assert feature.documents.get(kind) == path, kind
    for path in where.documents:
        text = (tmp_path / path).read_text(encoding="utf-8")
        assert "{{" not in text and ("Recipe import" in text or "recipe-import" in text), path


def test_the_spec_kit_spec_has_the_seven_parts_and_a_requirements_checklist(
    tmp_path: Path,
) -> None:
    create(tmp_path, "Recipe import", layout_name="speckit", today=TODAY)
    spec = (tmp_path / "specs/001-recipe-import/spec.md").read_text()
    for part in (
        "## Overview",
        "## User Scenarios & Testing",
        "**FR-001**",
        "**NFR-001**",
        "**TC-001**",
        "## Success Criteria",
        "- [ ] **SC-001**",
        "## Out of Scope",
    ):
        assert part in spec, part  # fmt: skip
    assert "**Created**: 2026-12-02" in spec
    feature = load(tmp_path).workspace.features[0]
    keys = [c.key for c in feature.checklist]
    assert "requirements:CHK001" in keys and "requirements:CHK014" in keys
    assert sum(1 for k in keys if k.startswith("spec:sc-")) == 2  # the success criteria
    assert {r.id for r in feature.requirements} >= {"FR-001"}
    assert [t.id for t in feature.tasks] == ["T001"]


def test_spec_kit_numbers_after_the_highest_folder_and_refuses_a_taken_name(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"specs/007-older/spec.md": "# Older\n"})
    where, _ = create(tmp_path, "Recipe import", today=TODAY)
    assert where.folder == "specs/008-recipe-import"
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(OperationError, match="008-recipe-import already exists"):
        create(tmp_path, "recipe  IMPORT", today=TODAY)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_an_existing_document_is_never_overwritten(tmp_path: Path) -> None:
    write_tree(tmp_path, {".zencoder/specs/recipe-import.md": "mine\n"})
    with pytest.raises(OperationError, match="already exists; nothing written"):
        create(tmp_path, "Recipe import", layout_name="zencoder")
    assert (tmp_path / ".zencoder/specs/recipe-import.md").read_text() == "mine\n"


def test_the_workspace_layout_is_the_default(tmp_path: Path) -> None:
    (tmp_path / ".kiro").mkdir()
    _, layout = create(tmp_path, "Recipe import")
    assert layout.name == "kiro" and (tmp_path / ".kiro/specs/recipe-import/tasks.md").exists()


def test_templates_in_sdd_templates_and_spec_kits_own_are_used(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".sdd/templates/speckit/plan.md": "# Our plan for {{title}} ({{feature}})\n",
            ".specify/templates/spec-template.md": (
                "# Feature Specification: [FEATURE NAME]\n\n**Feature Branch**: "
                "`[###-feature-name]`\n**Created**: [DATE]\n**Input**: $ARGUMENTS\n"
            ),
        },
    )
    create(tmp_path, "Recipe import", today=TODAY)
    folder = tmp_path / "specs/001-recipe-import"
    assert (folder / "plan.md").read_text() == "# Our plan for Recipe import (001-recipe-import)\n"
    assert (folder / "spec.md").read_text() == (
        "# Feature Specification: Recipe import\n\n**Feature Branch**: `001-recipe-import`\n"
        "**Created**: 2026-12-02\n**Input**: Recipe import\n"
    )


@pytest.mark.parametrize("name", ["", "   ", "!!!", "x" * 81])
def test_a_name_that_cannot_name_a_folder_is_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(OperationError):
        create(tmp_path, name)
    assert list(tmp_path.iterdir()) == []
