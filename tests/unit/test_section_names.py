"""Template sections under other names (issue: ``missing-spec-section`` fired on a spec whose
requirements sit under ``## Functional Requirements``)."""

from __future__ import annotations

import pytest

from sdd_tui.formats.completeness import check_sections
from sdd_tui.formats.markdown import parse_structure
from sdd_tui.formats.text import SourceText

SPECKIT = ("User Scenarios & Testing", "Requirements", "Success Criteria")


def statuses(text: str, sections: tuple[str, ...] = SPECKIT) -> dict[str, tuple[str, int | None]]:
    src = SourceText.decode(text.encode())
    md = parse_structure(src.lines)
    return {s.name: (s.status, s.line) for s in check_sections(sections, "spec.md", src, md)}


@pytest.mark.parametrize(
    "heading",
    [
        "## Functional Requirements",
        "## 3. Requirements",
        "## **Requirements** *(mandatory)*",
        "## requirements",
        "### Core Requirements",
        "## Requirements & Constraints",
    ],
)
def test_a_heading_that_holds_the_sections_words_names_it(heading: str) -> None:
    text = f"# Spec\n\n{heading}\n\n- **FR-001**: System MUST do it.\n"
    assert statuses(text)["Requirements"] == ("ok", 3)


def test_a_heading_that_negates_the_words_does_not() -> None:
    text = "# Spec\n\n## Non-Functional Requirements\n\n- **NFR-001**: Fast.\n"
    zencoder = ("Functional Requirements",)
    assert statuses(text, zencoder)["Functional Requirements"] == ("missing", None)


def test_the_content_stands_for_a_heading_nobody_wrote() -> None:
    text = (
        "# Spec\n\n## What it does\n\n- **FR-001**: System MUST export.\n"
        "- **FR-002**: System MUST import.\n\n## Done when\n\n- **SC-001**: Export works.\n"
    )
    found = statuses(text)
    assert found["Requirements"] == ("ok", 5)  # where FR-001 is
    assert found["Success Criteria"] == ("ok", 10)
    assert found["User Scenarios & Testing"] == ("missing", None)


def test_ids_in_code_are_no_content() -> None:
    text = "# Spec\n\n```\n- **FR-001**: an example\n```\n"
    assert statuses(text)["Requirements"] == ("missing", None)


def test_an_empty_section_stays_empty() -> None:
    text = "# Spec\n\n## Functional Requirements\n\n<!-- to do -->\n\n## Success Criteria\n\nok\n"
    assert statuses(text)["Requirements"] == ("empty", 3)


def test_kiro_overview_and_core_requirements() -> None:
    text = (
        "# Requirements Document\n\n## Overview\n\nA feature.\n\n## Core Requirements\n\n"
        "### Requirement 1\n\n**User Story:** As a user, I want it, so that it works.\n"
    )
    found = statuses(text, ("Introduction", "Requirements"))
    assert found == {"Introduction": ("ok", 3), "Requirements": ("ok", 7)}
