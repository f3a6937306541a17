"""Traceability: which requirements and tasks each test proves (issue "Test status",
Traceability), on a fixture workspace with Spec Kit, Kiro and OpenSpec features and
feature-qualified IDs; and on the sample workspace's recorded results."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.files import JUNIT_FIXTURES as FIXTURES
from helpers.files import REPO, write_tree

from sdd_tui.formats.junit import TestCase, parse_junit
from sdd_tui.model.workspace import Problem
from sdd_tui.operations.trace import (
    build_trace,
    canon,
    covers,
    name_refs,
    split_ref,
    task_test_files,
    tests_json,
)
from sdd_tui.workspace.loader import load

WORKSPACE = {
    "specs/001-recipe-sharing/spec.md": """# Feature Specification: Recipe sharing

## User Scenarios & Testing

### User Story 1 - Publish a recipe (Priority: P1)

### User Story 2 - Share a link (Priority: P2)

## Requirements

- **FR-001**: System MUST publish a recipe.
- **FR-002**: System MUST validate a recipe.
- **FR-003**: System MUST reject a duplicate slug.
- **FR-004**: System MUST keep the ingredient order.
- **FR-005**: System MUST print a recipe.

## Success Criteria

- **SC-001**: Publishing takes under a minute.
""",
    "specs/001-recipe-sharing/tasks.md": """# Tasks

- [x] T001 [US1] Write contract tests in tests/contract/test_publish.py (FR-001, FR-002)
- [x] T002 [US1] Implement publish in src/publish.py (FR-001)
- [ ] T003 Write slug tests in tests/unit/test_slug.py
- [x] T004 [US2] Implement the duplicate check in src/publish.py (FR-003)
- [ ] T005 Implement printing for FR-005 in src/print.py
- [ ] T012 Slug helper in src/slug.py
- [ ] T013 Unicode slugs in src/slug.py
""",
    "specs/002-meal-planner/spec.md": """# Feature Specification: Meal planner

## Requirements

- **FR-001**: Users MUST be able to plan a meal.
- **FR-002**: System MUST keep one meal per slot.
""",
    "specs/002-meal-planner/tasks.md": """# Tasks

- [ ] T001 Write planner tests in tests/test_planner.py (FR-001)
- [ ] T002 Implement the planner in src/planner.py (FR-001, FR-002)
""",
    ".kiro/specs/user-auth/requirements.md": """# Requirements Document

## Requirements

### Requirement 1: Log in

#### Acceptance Criteria

1. WHEN the password is right THEN the system SHALL log the user in
2. WHEN the password is wrong THEN the system SHALL refuse
""",
    ".kiro/specs/user-auth/tasks.md": """# Implementation Plan

- [ ] 1. Log in
  - [ ] 1.1 Write login tests in tests/auth/test_login.py
    - _Requirements: 1.2_
  - [ ] 1.2 Implement login
    - _Requirements: 1.1, 1.2_
""",
    "openspec/changes/add-export/proposal.md": "# Add export\n## Why\nExport.\n",
    "openspec/changes/add-export/specs/export/spec.md": """## ADDED Requirements

### Requirement: Export as JSON
The system SHALL export a recipe as JSON.
""",
    "openspec/changes/add-export/tasks.md": "## 1. Export\n- [ ] 1.1 Implement it in src/x.py\n",
}


def case(
    name: str,
    classname: str = "",
    status: str = "passed",
    *,
    file: str | None = None,
    props: tuple[tuple[str, str], ...] = (),
) -> TestCase:
    return TestCase(name, classname, status, 0.01, "", "", file, props)


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    loaded = load(write_tree(tmp_path / "ws", WORKSPACE))
    assert [f.id for f in loaded.workspace.features] == [
        "001-recipe-sharing",
        "002-meal-planner",
        "user-auth",
        "add-export",
    ]
    return loaded.workspace


def links_of(ws, *cases: TestCase) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return build_trace(ws, list(cases)).case_links


# --------------------------------------------------------------------------- IDs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("test_fr_001_publish", ["FR-1"]),
        ("test_FR-001-publish", ["FR-1"]),
        ("TestFR001Publish", ["FR-1"]),
        ("fr001CreatesRecipe", ["FR-1"]),
        ("test_fr_3a_variant", ["FR-3a"]),
        ("test_nfr_2_fast", ["NFR-2"]),
        ("test_sc_004_readable", ["SC-4"]),
        ("test_us1_assign", ["US1"]),
        ("test_user_story_2_share", ["US2"]),
        ("test_t012_slug", ["T12"]),
        ("test_t003a_slug", ["T3a"]),
        ("test_req_1_2_login", ["1.2"]),
        ("test_req_1_login", ["1"]),
        ("test_task_2_1_login", ["2.1"]),
        ("publish a recipe FR-001 returns the new recipe", ["FR-1"]),
        # not IDs: words that merely contain the letters
        ("test_fresh_frame_us_army", []),
        ("test_format_t1_short", []),
        ("test_offer_100", []),
    ],
)
def test_name_refs(text: str, expected: list[str]) -> None:
    assert [r.key for r in name_refs(text)] == expected


def test_canonical_ids() -> None:
    assert canon("FR-001") == canon("fr1") == "FR-1"
    assert canon("T003a") == "T3a"
    assert canon("US01") == "US1"
    assert canon("1.02") == "1.2"
    assert canon("  Export as   JSON ") == "export as json"
    assert covers("1", "1.2") and covers("1.2", "1.2") and not covers("1.2", "1.20")
    assert split_ref("001-recipe-sharing/FR-001") == ("001-recipe-sharing", "FR-001")
    assert split_ref("FR-001") == (None, "FR-001")


def test_task_test_files(ws) -> None:  # type: ignore[no-untyped-def]
    f = ws.feature("001")
    files = {t.id: task_test_files(t) for t in f.tasks}
    assert files["T001"] == ["tests/contract/test_publish.py"]
    assert files["T003"] == ["tests/unit/test_slug.py"]
    assert files["T002"] == []  # an implementation file is not a test file


# --------------------------------------------------------------------------- linking


def test_name_and_property_links_are_scoped_by_the_task_test_file(ws) -> None:  # type: ignore[no-untyped-def]
    publish = case(
        "test_fr_001_publish_returns_201",
        "tests.contract.test_publish",
        props=(("requirements", "FR-001, FR-002"),),
    )
    # same file, but named for FR-003: not the test of T001 ("tests for FR-001, FR-002")
    duplicate = case("test_fr_003_rejects_duplicate_slug", "tests.contract.test_publish", "failed")
    planner = case("test_fr_001_plan_a_meal", "tests.test_planner")
    assert links_of(ws, publish, duplicate, planner) == [
        ["001-recipe-sharing/FR-001", "001-recipe-sharing/FR-002", "001-recipe-sharing/T001"],
        ["001-recipe-sharing/FR-003"],
        ["002-meal-planner/FR-001", "002-meal-planner/T001"],
    ]


def test_task_links_by_name_property_and_file(ws) -> None:  # type: ignore[no-untyped-def]
    slug = case(
        "test_t012_slug_is_ascii",
        "tests.unit.test_slug",
        props=(("tasks", "001-recipe-sharing/T013"),),
    )
    by_file_attr = case("test_anything", "SlugSuite", file="./tests/unit/test_slug.py")
    (a, b) = links_of(ws, slug, by_file_attr)
    assert a == ["001-recipe-sharing/T013", "001-recipe-sharing/T012", "001-recipe-sharing/T003"]
    assert b == ["001-recipe-sharing/T003"]


def test_feature_qualified_ids(ws) -> None:  # type: ignore[no-untyped-def]
    in_property = case(
        "test_publish_plans",
        "tests.contract.test_publish",
        props=(("requirement", "002-meal-planner/FR-002"),),
    )
    short_form = case("test_x", "tests.misc", props=(("requirements", "001/FR-004; 002/FR-001"),))
    in_a_name = case("publish 001-recipe-sharing/FR-004 keeps the ingredient order", "publish")
    unknown_feature = case("test_y", "tests.misc", props=(("requirements", "999-nope/FR-001"),))
    assert links_of(ws, in_property, short_form, in_a_name, unknown_feature) == [
        ["002-meal-planner/FR-002", "001-recipe-sharing/T001"],
        ["001-recipe-sharing/FR-004", "002-meal-planner/FR-001"],
        ["001-recipe-sharing/FR-004"],
        ["999-nope/FR-001"],
    ]


def test_unscoped_ids_link_in_every_feature_defining_them(ws) -> None:  # type: ignore[no-untyped-def]
    go = case("TestFR002Validates", "example.com/recipebox/misc")
    jest = case("share link us2 opens the recipe", "share link")
    unknown = case("test_fr_099_nothing", "tests.test_misc")
    assert links_of(ws, go, jest, unknown) == [
        ["001-recipe-sharing/FR-002", "002-meal-planner/FR-002"],
        ["001-recipe-sharing/US2"],
        ["FR-099"],
    ]


def test_feature_name_in_classname_scopes(ws) -> None:  # type: ignore[no-untyped-def]
    scoped = case("test_fr_002_one_per_slot", "tests.meal_planner.test_slots")
    assert links_of(ws, scoped) == [["002-meal-planner/FR-002"]]


def test_kiro_and_openspec_links(ws) -> None:  # type: ignore[no-untyped-def]
    login = case("test_req_1_2_wrong_password", "tests.auth.test_login")
    whole_requirement = case("test_req_1_login", "tests.auth.test_other")
    export = case("test_export_as_json_writes_a_file", "tests.test_export")
    named_property = case("test_z", "tests.z", props=(("requirements", "export as json"),))
    assert links_of(ws, login, whole_requirement, export, named_property) == [
        ["user-auth/1.2", "user-auth/1.1"],
        ["user-auth/1.1", "user-auth/1.2"],
        ["add-export/Export as JSON"],
        ["add-export/Export as JSON"],
    ]


def test_java_go_and_rust_test_files(tmp_path: Path) -> None:
    loaded = load(
        write_tree(
            tmp_path / "poly",
            {
                "specs/001-poly/spec.md": "# Spec\n\n- **FR-001**: x.\n",
                "specs/001-poly/tasks.md": (
                    "- [ ] T001 Tests in src/test/java/com/example/RecipeServiceTest.java\n"
                    "- [ ] T002 Tests in recipebox/share/share_test.go\n"
                    "- [ ] T003 Tests in tests/publish.rs\n"
                    "- [ ] T004 Tests in src/__tests__/publish.test.ts\n"
                ),
            },
        )
    )
    ws = loaded.workspace
    assert links_of(
        ws,
        case("fr001CreatesRecipe", "com.example.RecipeServiceTest"),
        case("TestShare", "example.com/recipebox/share"),
        case("fr_003_rejects_duplicate", "recipebox::publish"),
        case("publish works", "publish", file="/nowhere/src/__tests__/publish.test.ts"),
    ) == [
        ["001-poly/FR-001", "001-poly/T001"],
        ["001-poly/T002"],
        ["FR-003", "001-poly/T003"],  # FR-003 is not defined anywhere: shown as found
        ["001-poly/T004"],
    ]


# --------------------------------------------------------------------------- the trace


def test_trace_rows_mark_gaps_and_failures(ws) -> None:  # type: ignore[no-untyped-def]
    cases = [
        case("test_fr_001_publish", "tests.contract.test_publish"),
        case("test_fr_002_validate", "tests.contract.test_publish", "skipped"),
        case("test_fr_003_rejects_duplicate", "tests.contract.test_publish", "failed"),
        case("test_fr_004_order", "tests.contract.test_publish", "error"),
        case("test_fr_004_order_again", "tests.contract.test_publish"),
    ]
    trace = build_trace(ws, cases)
    f = ws.feature("001")
    rows = {r.requirement.id: r for r in trace.rows(f)}
    assert list(rows) == ["US1", "US2", "FR-001", "FR-002", "FR-003", "FR-004", "FR-005", "SC-001"]
    assert (rows["FR-001"].status, rows["FR-001"].gaps) == ("passed", ())
    assert [t.id for t in rows["FR-001"].tasks] == ["T001", "T002"]
    assert (rows["FR-002"].status, rows["FR-002"].gaps) == ("untested", ("no test",))
    assert (rows["FR-003"].status, rows["FR-003"].gaps) == ("failed", ("failing",))
    assert rows["FR-004"].status == "failed"
    assert rows["FR-004"].gaps == ("no task", "failing")
    assert (rows["FR-005"].status, rows["FR-005"].gaps) == ("untested", ("no test",))
    assert rows["SC-001"].gaps == ("no task", "no test")
    # a story is proven by the tests of its tasks
    assert [c.name for c in rows["US1"].tests] == ["test_fr_001_publish", "test_fr_002_validate"]
    assert rows["US1"].status == "passed"
    # cards: the done T004 (FR-003) has a failing test and is flagged
    status = trace.task_status(f)
    assert status == {"T001": "passed", "T002": "passed", "T004": "failed"}
    assert [t.id for t in trace.done_failing(f)] == ["T004"]
    assert trace.task_status(ws.feature("002")) == {}


def test_tests_json_shape(ws) -> None:  # type: ignore[no-untyped-def]
    cases = [
        case("test_fr_001_publish", "tests.contract.test_publish"),
        case("test_fr_003_dup", "tests.contract.test_publish", "failed"),
        case("test_fr_001_plan", "tests.test_planner"),
    ]
    problems = [Problem(".sdd/results/bad.xml", "malformed XML: x", 3)]
    data = tests_json(ws, cases, problems)
    assert list(data) == ["totals", "cases", "trace", "problems"]
    assert data["totals"] == {"passed": 2, "failed": 1, "errors": 0, "skipped": 0}
    assert data["cases"][1] == {
        "name": "test_fr_003_dup",
        "classname": "tests.contract.test_publish",
        "status": "failed",
        "time": 0.01,
        "message": "",
        "links": ["001-recipe-sharing/FR-003"],
    }
    # without --feature: only requirements some test links to
    assert [(t["feature"], t["requirement"], t["status"]) for t in data["trace"]] == [
        ("001-recipe-sharing", "US1", "passed"),
        ("001-recipe-sharing", "FR-001", "passed"),
        ("001-recipe-sharing", "FR-003", "failed"),
        ("002-meal-planner", "FR-001", "passed"),
    ]
    assert data["trace"][1] == {
        "feature": "001-recipe-sharing",
        "requirement": "FR-001",
        "tasks": ["T001", "T002"],
        "tests": ["tests.contract.test_publish::test_fr_001_publish"],
        "status": "passed",
    }
    assert data["problems"] == [
        {"path": ".sdd/results/bad.xml", "message": "malformed XML: x", "line": 3}
    ]
    # with --feature: every requirement of it, tested or not
    one = tests_json(ws, cases, [], feature=ws.feature("002"))
    assert [(t["requirement"], t["status"]) for t in one["trace"]] == [
        ("FR-001", "passed"),
        ("FR-002", "untested"),
    ]


def test_dialect_fixtures_link(ws) -> None:  # type: ignore[no-untyped-def]
    cases = parse_junit((FIXTURES / "pytest.xml").read_bytes())
    links = dict(zip([c.name for c in cases], build_trace(ws, cases).case_links, strict=True))
    assert links["test_fr_001_publish_returns_201"] == [
        "001-recipe-sharing/FR-001",
        "001-recipe-sharing/FR-002",
        "001-recipe-sharing/T001",
    ]
    assert links["test_t012_slug_is_ascii"] == [
        "001-recipe-sharing/T013",
        "001-recipe-sharing/T012",
        "001-recipe-sharing/T003",
    ]
    assert links["test_us2_link_opens_recipe"] == ["001-recipe-sharing/US2"]


def test_sample_workspace_trace() -> None:
    loaded = load(REPO / "sample_workspace")
    cases = parse_junit((REPO / "sample_workspace/.sdd/results/junit.xml").read_bytes())
    trace = build_trace(loaded.workspace, cases)
    ws = loaded.workspace
    f001, f002 = ws.feature("001"), ws.feature("002")
    # test_recipes.py is named by 001's tasks, test_planner.py by 002's: FR-002 exists in
    # both features, and each test proves its own feature's FR-002 only
    rows001 = {r.requirement.id: r for r in trace.rows(f001)}
    rows002 = {r.requirement.id: r for r in trace.rows(f002)}
    assert {c.classname for c in rows001["FR-002"].tests} == {"tests.test_recipes"}
    assert {c.classname for c in rows002["FR-002"].tests} == {"tests.test_planner"}
    assert all(rows001[f"FR-00{i}"].status == "passed" for i in range(1, 7))
    assert rows002["FR-004"].gaps == ("no test",)
    assert trace.task_status(f002).get("T002") == "passed"
    assert "T009" not in trace.task_status(f002)  # FR-004: nothing tests it yet


def test_a_trace_restricted_to_some_links(ws) -> None:  # type: ignore[no-untyped-def]
    """``dataclasses.replace(trace, links=…)`` (the checks keep failing tests only) must not
    reuse the indexes of the full trace."""
    import dataclasses

    cases = [
        case("test_fr_001_publish", "tests.contract.test_publish"),
        case("test_fr_001_again", "tests.contract.test_publish", "failed"),
    ]
    trace = build_trace(ws, cases)
    f = ws.feature("001")
    t002 = f.task("T002")
    assert [c.name for c in trace.task_tests(f, t002)] == [
        "test_fr_001_publish",
        "test_fr_001_again",
    ]
    failing = {fid: [cl for cl in cls if cl.case.failing] for fid, cls in trace.links.items()}
    only = dataclasses.replace(trace, links=failing)
    assert [c.name for c in only.task_tests(f, t002)] == ["test_fr_001_again"]
    assert [c.name for c in trace.task_tests(f, t002)] == [
        "test_fr_001_publish",
        "test_fr_001_again",
    ]


def test_linking_into_one_feature_matches_the_full_trace(ws) -> None:  # type: ignore[no-untyped-def]
    """The board links into the feature on screen only; scoping still uses every feature."""
    from sdd_tui.operations.trace import IndexCache

    cases = parse_junit((FIXTURES / "pytest.xml").read_bytes()) + [
        case("test_fr_001_plan", "tests.test_planner"),
        case("test_fr_002_misc", "tests.test_misc", "failed"),
        case("test_req_1_2_login", "tests.auth.test_login"),
        case("x", "tests.z", props=(("requirements", "002-meal-planner/FR-002"),)),
    ]
    full = build_trace(ws, cases)
    cache = IndexCache()
    for f in ws.features:
        one = build_trace(ws, cases, only=f, indexes=cache)
        assert one.partial
        assert [(cl.case, cl.requirements, cl.tasks) for cl in one.links[f.id]] == [
            (cl.case, cl.requirements, cl.tasks) for cl in full.links[f.id]
        ]
        assert one.task_status(f) == full.task_status(f)
        assert [(r.requirement.id, r.status, r.tests) for r in one.rows(f)] == [
            (r.requirement.id, r.status, r.tests) for r in full.rows(f)
        ]
    # an unchanged feature (the same object) is not indexed again
    first = dict(cache.entries)
    build_trace(ws, cases, only=ws.features[0], indexes=cache)
    assert all(cache.entries[k][2] is first[k][2] for k in first)
