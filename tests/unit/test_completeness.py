"""Spec completeness per layout template, and answered clarification questions."""

from __future__ import annotations

import pytest
from helpers.files import CORPUS
from helpers.markdown import parse_md

from sdd_tui.formats.clarifications import answered_questions
from sdd_tui.formats.completeness import (
    delta_spec_gaps,
    kiro_blocks,
    normalise,
    openspec_blocks,
)
from sdd_tui.layouts import layout_of

SPECKIT = """\
# Feature Specification: Demo

## User Scenarios & Testing *(mandatory)*

### User Story 1 - Export (Priority: P1)

A user exports.

## Requirements *(mandatory)*

### Functional Requirements

- **FR-001**: System MUST export.

## Success Criteria *(mandatory)*

- **SC-001**: Export under 1 s.
"""


def statuses(layout: str, text: str, path: str = "spec.md") -> dict[str, tuple[str, int | None]]:
    doc = parse_md(text, path)
    return {
        s.name: (s.status, s.line)
        for s in layout_of(layout).spec_completeness(path, doc.src, doc.md)
    }


def test_normalise_ignores_case_suffix_numbering_and_ampersand() -> None:
    assert normalise("User Scenarios & Testing *(mandatory)*") == normalise(
        "2. user scenarios and testing"
    )
    assert normalise("Non-Functional Requirements") == normalise("Nonfunctional requirements")
    assert normalise("要件") == "要件"


def test_speckit_complete_spec_has_every_mandatory_section() -> None:
    assert statuses("speckit", SPECKIT) == {
        "User Scenarios & Testing": ("ok", 3),
        "Requirements": ("ok", 9),
        "Success Criteria": ("ok", 15),
    }


def test_speckit_missing_and_empty_sections() -> None:
    text = SPECKIT.replace(
        "## Success Criteria *(mandatory)*\n\n- **SC-001**: Export under 1 s.\n", ""
    )
    text = text.replace(
        "### Functional Requirements\n\n- **FR-001**: System MUST export.\n",
        "<!-- ACTION REQUIRED: fill in -->\n\n### Functional Requirements\n\n",
    )
    got = statuses("speckit", text)
    assert got["Success Criteria"] == ("missing", None)
    assert got["Requirements"][0] == "empty"  # a sub-heading and a comment are not content
    assert got["User Scenarios & Testing"][0] == "ok"


def test_sample_specs_are_complete() -> None:
    from helpers.files import SAMPLE

    for spec in sorted(SAMPLE.glob("specs/*/spec.md")):
        got = statuses("speckit", spec.read_text(encoding="utf-8"))
        assert all(status == "ok" for status, _ in got.values()), (spec, got)


ZENCODER = """\
# Auth

## Overview
Login for users.

## Functional Requirements
### FR-1: Login
Users log in.

## Non-Functional Requirements
### NFR-1: Performance
p95 under 200 ms.

## Technical Constraints
**Language:** Python 3.12

## Architecture

## Testing Requirements
- TC-1: login works

## Success Criteria
- [ ] Users can log in
- [x] p95 under 200 ms
"""


def test_zencoder_seven_part_anatomy() -> None:
    got = statuses("zencoder", ZENCODER, ".zencoder/specs/auth.md")
    assert list(got) == [
        "Overview",
        "Functional Requirements",
        "Non-Functional Requirements",
        "Technical Constraints",
        "Architecture",
        "Testing Requirements",
        "Success Criteria",
    ]
    assert got["Architecture"] == ("empty", 17)
    assert {k for k, v in got.items() if v[0] != "ok"} == {"Architecture"}


KIRO = """\
# Requirements Document

## Introduction

Photo albums.

## Requirements

### Requirement 1

**User Story:** As a user, I want albums, so that I can sort photos.

#### Acceptance Criteria

1. WHEN a user creates an album THEN the system SHALL save it
2. WHEN a user deletes an album THEN the system SHALL remove it

### Requirement 2: Sharing

#### Acceptance Criteria

Nothing yet.
"""


def test_kiro_sections_and_requirement_gaps() -> None:
    path = ".kiro/specs/albums/requirements.md"
    got = statuses("kiro", KIRO, path)
    assert got["Introduction"] == ("ok", 3)
    assert got["Requirements"] == ("ok", 7)
    assert got["User Story of Requirement 2: Sharing"] == ("missing", 18)
    assert got["Acceptance Criteria of Requirement 2: Sharing"] == ("missing", 18)
    assert "User Story of Requirement 1" not in got
    doc = parse_md(KIRO, path)
    blocks = kiro_blocks(path, doc.src, doc.md)
    assert [b.title for b in blocks] == ["Requirement 1", "Requirement 2: Sharing"]
    assert blocks[0].story and blocks[0].story.startswith("As a user")
    assert [line for _, line in blocks[0].criteria] == [15, 16]


def test_kiro_bugfix_spec_has_no_template() -> None:
    assert statuses("kiro", "# Bug\n", ".kiro/specs/x/bugfix.md") == {}


def test_kiro_objective_line_counts_as_user_story() -> None:
    text = KIRO.replace("**User Story:**", "**Objective:**")
    got = statuses("kiro", text, "r.md")
    assert "User Story of Requirement 1" not in got


def test_openspec_proposal_and_delta_scenarios() -> None:
    proposal = "# Change\n\n## Why\n\nBecause.\n\n## Impact\n\nSmall.\n"
    got = statuses("openspec", proposal, "openspec/changes/x/proposal.md")
    assert got == {"Why": ("ok", 3), "What Changes": ("missing", None)}
    delta = (
        "## ADDED Requirements\n\n### Requirement: Login\nThe system SHALL log in.\n\n"
        "#### Scenario: ok\n- WHEN x\n- THEN y\n\n### Requirement: Logout\nThe system SHALL.\n"
    )
    path = "openspec/changes/x/specs/auth/spec.md"
    doc = parse_md(delta, path)
    blocks = openspec_blocks(path, doc.src, doc.md)
    assert [(b.title, len(b.criteria)) for b in blocks] == [
        ("Requirement: Login", 1),
        ("Requirement: Logout", 0),
    ]
    gaps = delta_spec_gaps(path, doc.src, doc.md)
    assert [(g.line, g.status) for g in gaps] == [(10, "missing")]


def test_answered_questions_of_the_sample() -> None:
    from helpers.files import SAMPLE

    path = "specs/003-nutrition-labels/spec.md"
    doc = parse_md((SAMPLE / path).read_bytes(), path)
    qa = answered_questions(path, doc.src, doc.md)
    assert [(q.session, q.line) for q in qa] == [
        ("2026-11-02", 12),
        ("2026-11-02", 13),
        ("2026-11-02", 14),
    ]
    assert qa[0].question == "Is the label per serving or per 100 g?"
    assert qa[0].answer == "Per serving; per 100 g is an optional second column."


def test_answered_questions_variants_and_code_is_ignored() -> None:
    text = (
        "# S\n\n## Clarifications\n\n### Session 2026-01-01\n\n"
        "- Q: One? -> A: Yes.\n"
        "- **Q**: Two? → **A**: No.\n"
        "- Q: Three?\n  A: Maybe.\n\n"
        "```\n- Q: in code → A: not a question\n```\n\n"
        "### Session 2026-02-01\n\n- Q: Four? → A: Later.\n\n"
        "## Requirements\n\n- Q: outside → A: not counted\n"
    )
    doc = parse_md(text)
    qa = answered_questions("s.md", doc.src, doc.md)
    assert [(q.session, q.question, q.answer) for q in qa] == [
        ("2026-01-01", "One?", "Yes."),
        ("2026-01-01", "Two?", "No."),
        ("2026-01-01", "Three?", "Maybe."),
        ("2026-02-01", "Four?", "Later."),
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_corpus_kiro_requirements_parse_without_surprises() -> None:
    """Every Kiro spec of the corpus has its Introduction and Requirements sections found."""
    specs = sorted(CORPUS.glob("*/.kiro/specs/*/requirements.md"))
    assert specs
    missing = []
    for spec in specs:
        got = statuses("kiro", spec.read_text(encoding="utf-8", errors="replace"), "r.md")
        for name in ("Introduction", "Requirements"):
            if got[name][0] != "ok":
                missing.append((spec, name))
    assert missing == []
