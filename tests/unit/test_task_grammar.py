"""Every rule of DESIGN.md "Task lines", on small Markdown fixtures."""

from __future__ import annotations

import pytest
from helpers.markdown import parse_md

from sdd_tui.formats.task_grammar import checklist_tags, parse_task_text, slug
from sdd_tui.formats.tasks import build_checklist, build_tasks
from sdd_tui.layouts import layout_of
from sdd_tui.model.items import Task
from sdd_tui.model.workspace import Columns, Problem

COLUMNS = Columns(("todo", "in_progress", "review", "done"))


def tasks_of(text: str, layout: str = "speckit") -> tuple[list[Task], list[Problem]]:
    doc = parse_md(text, "tasks.md")
    native = layout_of(layout).native_in_progress
    return build_tasks("f", doc.boxes, {}, COLUMNS, native_in_progress=native)


def one(text: str, layout: str = "speckit") -> Task:
    tasks, _ = tasks_of(text, layout)
    assert len(tasks) == 1, tasks
    return tasks[0]


# --------------------------------------------------------------------------- IDs


@pytest.mark.parametrize(
    ("line", "task_id", "title"),
    [
        ("- [ ] T001 Create project structure", "T001", "Create project structure"),
        ("- [ ] T003a Follow-up of T003", "T003a", "Follow-up of T003"),
        ("- [ ] CHK001 Are errors specified?", "CHK001", "Are errors specified?"),
        ("- [ ] 1. Set up the project", "1", "Set up the project"),
        ("- [ ] 1.1 Create the models", "1.1", "Create the models"),
        ("- [ ] 2.2.1 Deep subtask", "2.2.1", "Deep subtask"),
        ("- [ ] 303.1. Trailing dot (kythira)", "303.1", "Trailing dot (kythira)"),
        ("- [ ] 0.1 Starts at zero", "0.1", "Starts at zero"),
        ("- [ ] 1.1.4.1 Four levels", "1.1.4.1", "Four levels"),
        ("- [ ] T001: Colon after the ID", "T001", "Colon after the ID"),
        ("- [ ] **T0: Bold title with ID**", "T0", "Bold title with ID"),
        ("- [ ] **T001** Bold ID only", "T001", "Bold ID only"),
        ("- [ ] **1. Bold numbered**", "1", "Bold numbered"),
        ("- [ ] Write the docs", None, "Write the docs"),
        ("- [ ] 2 reviewers approve", None, "2 reviewers approve"),
        ("- [ ] 1.5x faster startup", None, "1.5x faster startup"),
        ("- [ ] T12345678 long", "T12345678", "long"),
        ("- [ ] Task T001 mentioned later", None, "Task T001 mentioned later"),
    ],
)
def test_ids_and_titles(line: str, task_id: str | None, title: str) -> None:
    t = one(line)
    assert (t.id, t.title) == (task_id, title)
    assert t.key == (task_id or slug(title))


@pytest.mark.parametrize(
    "line",
    [
        "- [ ] T001 A",
        "* [ ] T001 A",
        "+ [ ] T001 A",
        "1. [ ] T001 A",
        "7) [ ] T001 A",
        "   - [ ] T001 A",
        "-\t[ ] T001 A",
        "> - [ ] T001 A",
    ],
)
def test_every_list_marker_holds_a_task(line: str) -> None:
    t = one(line)
    assert (t.id, t.title, t.line) == ("T001", "A", 1)


# --------------------------------------------------------------------------- labels


def test_parallel_story_and_paren_parallel() -> None:
    t = one("- [ ] T012 [P] [US1] Create User model in src/models/user.py")
    assert (t.id, t.parallel, t.story) == ("T012", True, "US1")
    assert t.title == "Create User model in src/models/user.py"
    t = one("- [ ] T013 [US12] Story only")
    assert (t.parallel, t.story, t.title) == (False, "US12", "Story only")
    t = one("- [ ] 1.1 (P) Python開発環境のセットアップ", "kiro")
    assert (t.id, t.parallel, t.title) == ("1.1", True, "Python開発環境のセットアップ")
    t = one("- [ ] T014 Not parallel")
    assert (t.parallel, t.story) == (False, None)


def test_story_label_later_in_the_line() -> None:
    t = one("- [ ] T020 [P] Implement endpoint [US3]")
    assert (t.parallel, t.story) == (True, "US3")


@pytest.mark.parametrize("after", ["*", "\\*"])
def test_kiro_optional_marker(after: str) -> None:
    t = one(f"- [ ]{after} 2.3 Write property tests", "kiro")
    assert (t.id, t.optional, t.title) == ("2.3", True, "Write property tests")
    assert t.text.startswith(after)


def test_emphasis_after_the_box_is_not_the_optional_marker() -> None:
    t = one("- [ ] *Optional:* write a blog post", "kiro")
    assert not t.optional
    assert t.title == "*Optional:* write a blog post"
    t = one("- [ ] **Bold** title", "kiro")
    assert not t.optional


def test_optional_done_and_in_progress() -> None:
    tasks, _ = tasks_of("- [x]* 1. Done optional\n- [-]* 2. Running optional\n", "kiro")
    assert [(t.optional, t.column) for t in tasks] == [(True, "done"), (True, "in_progress")]


# --------------------------------------------------------------------------- requirements


def test_requirements_sub_bullets_kiro() -> None:
    text = (
        "- [ ] 1. Parent\n"
        "- [ ] 1.1 Build the parser\n"
        "  - Parse the grammar\n"
        "  - _Requirements: 1.1, 2.3_\n"
        "- [ ] 1.2 Property test\n"
        "  - **Property 3: Round trip**\n"
        "  - **Validates: Requirements 2.1, 2.2**\n"
        "- [ ] 2. cc-sdd single number\n"
        "  - _Requirements: 6_\n"
    )
    tasks, _ = tasks_of(text, "kiro")
    assert [(t.key, t.requirements) for t in tasks] == [
        ("1", ()),
        ("1.1", ("1.1", "2.3")),
        ("1.2", ("2.1", "2.2")),
        ("2", ("6",)),
    ]
    assert tasks[1].body == ("- Parse the grammar", "- _Requirements: 1.1, 2.3_")


def test_requirements_inline_and_spec_reference() -> None:
    t = one("- [ ] T030 Implement FR-001 and FR-003a export (Spec §NFR-2)")
    assert t.requirements == ("FR-001", "FR-003a", "NFR-2")  # in the order of the line
    t = one("- [ ] CHK002 Is latency quantified? [Clarity, Spec §FR-007]")
    assert t.requirements == ("FR-007",)
    t = one("- [ ] T031 Covers TC-1 and SC-002")
    assert t.requirements == ("TC-1", "SC-002")
    t = one("- [ ] CHK003 Is the map in FR-D01 right? [Spec §FR-SK02]")
    assert t.requirements == ("FR-D01", "FR-SK02")


def test_requirements_are_not_read_from_nested_tasks() -> None:
    text = "- [ ] 1. Parent\n  - [ ] 1.1 Child\n    - _Requirements: 4.4_\n"
    tasks, _ = tasks_of(text, "kiro")
    assert [(t.key, t.requirements) for t in tasks] == [("1", ()), ("1.1", ("4.4",))]


def test_checklist_tags_and_spec_refs() -> None:
    assert checklist_tags("Is X defined? [Gap, Spec §FR-001]") == (("Gap",), ("FR-001",))
    assert checklist_tags("Is Y clear? [Clarity] [Spec §SC-002]") == (("Clarity",), ("SC-002",))
    assert checklist_tags("No tags") == ((), ())
    doc = parse_md("- [x] CHK001 Is X defined? [Gap, Spec §FR-001]\n", "checklists/ux.md")
    (item,) = build_checklist("f", doc.boxes)
    assert (item.key, item.id, item.checked, item.tags, item.refs) == (
        "ux:CHK001",
        "CHK001",
        True,
        ("Gap",),
        ("FR-001",),
    )


# --------------------------------------------------------------------------- marks


@pytest.mark.parametrize(
    ("mark", "speckit_column", "kiro_column"),
    [
        (" ", "todo", "todo"),
        ("x", "done", "done"),
        ("X", "done", "done"),
        ("-", "todo", "in_progress"),
        ("~", "todo", "todo"),
        ("/", "todo", "todo"),
        ("?", "todo", "todo"),
    ],
)
def test_marks_are_kept_and_mapped(mark: str, speckit_column: str, kiro_column: str) -> None:
    line = f"- [{mark}] 1.1 Task"
    s = one(line, "speckit")
    k = one(line, "kiro")
    assert s.mark == k.mark == mark
    assert (s.column, k.column) == (speckit_column, kiro_column)
    assert s.done == (mark in "xX")
    assert s.known_mark == (mark in " xX-")


def test_legend_lines_are_not_tasks() -> None:
    text = (
        "## Format: `[ID] [P?] [Story] Description`\n"
        "- **[P]**: Can run in parallel\n"
        "- [P] tasks = different files, no dependencies\n"
        "- [Story] label shows which user story\n"
        "- [US1] is not a box either\n"
        "- [ ] T001 Real task\n"
    )
    tasks, _ = tasks_of(text)
    assert [t.key for t in tasks] == ["T001"]


# --------------------------------------------------------------------------- nesting


def test_nesting_gives_parent_keys_and_subtasks() -> None:
    text = (
        "- [ ] 1. Parent\n"
        "  - [x] 1.1 Child\n"
        "    - [ ] 1.1.1 Grandchild\n"
        "  - [ ] Child without id\n"
        "- Plain bullet\n"
        "  - [ ] T009 Under a plain bullet\n"
    )
    tasks, _ = tasks_of(text, "kiro")
    by_key = {t.key: t for t in tasks}
    assert by_key["1"].parent is None
    assert by_key["1.1"].parent == "1"
    assert by_key["1.1.1"].parent == "1.1"
    assert by_key["child-without-id"].parent == "1"
    assert by_key["T009"].parent is None
    assert by_key["1"].subtasks == ("1.1", "child-without-id")
    assert by_key["1.1"].subtasks == ("1.1.1",)
    assert (by_key["1"].line, by_key["1"].end_line) == (1, 4)


def test_kiro_flat_ids_get_parent_by_prefix() -> None:
    text = (
        "- [ ] 1. Set up\n"
        "- [ ] 1.1 First\n"
        "- [ ] 1.2 Second\n"
        "- [ ] 2. Next\n"
        "- [ ] 2.1 Under two\n"
        "- [ ] 303.1. Orphan, no task 303\n"
    )
    tasks, _ = tasks_of(text, "kiro")
    assert [(t.key, t.parent) for t in tasks] == [
        ("1", None),
        ("1.1", "1"),
        ("1.2", "1"),
        ("2", None),
        ("2.1", "2"),
        ("303.1", None),
    ]
    assert tasks[0].subtasks == ("1.1", "1.2")


def test_kiro_prefix_parent_for_deeper_flat_ids() -> None:
    tasks, _ = tasks_of("- [ ] 1. A\n- [ ] 1.1 B\n- [ ] 1.1.1 C\n", "kiro")
    assert [t.parent for t in tasks] == [None, "1", "1.1"]


# --------------------------------------------------------------------------- keys


def test_duplicate_ids_get_numbered_keys_and_a_problem() -> None:
    text = "\n".join(f"- [ ] T08 Rename part {i}" for i in range(1, 4)) + "\n"
    tasks, problems = tasks_of(text)
    assert [t.key for t in tasks] == ["T08", "T08#2", "T08#3"]
    assert [t.id for t in tasks] == ["T08"] * 3
    assert [(p.path, p.line) for p in problems] == [("tasks.md", 2), ("tasks.md", 3)]
    assert "duplicate task ID T08" in problems[0].message
    assert "line 1" in problems[0].message


def test_tasks_without_id_get_stable_distinct_slug_keys() -> None:
    text = "- [ ] Write the **docs**\n- [x] Write the docs\n- [ ] Ship it!\n- [ ] Écrire\n"
    tasks, problems = tasks_of(text)
    assert [t.key for t in tasks] == ["write-the-docs", "write-the-docs#2", "ship-it", "écrire"]
    assert problems == []  # no ID, no duplicate-ID problem
    # Stable: the keys do not depend on position or on the box state.
    moved, _ = tasks_of("- [ ] Ship it!\n\n# Later\n\n- [x] Write the **docs**\n")
    assert [t.key for t in moved] == ["ship-it", "write-the-docs"]


def test_slug_rules() -> None:
    assert slug("Add `parser` to **src/app.py**") == "add-parser-to-src-app-py"
    assert slug("!!!") == "item"
    assert len(slug("word " * 40)) <= 48
    assert slug("Ｆｕｌｌ width") == "full-width"


def test_parse_task_text_without_markdown() -> None:
    tt = parse_task_text("* 1.2 (P) Title _Requirements: 3.1_")
    assert (tt.id, tt.optional, tt.parallel, tt.title) == (
        "1.2",
        True,
        True,
        "Title _Requirements: 3.1_",
    )
    assert tt.requirements == ("3.1",)


def test_body_leaves_out_nested_boxes_but_keeps_what_surrounds_them() -> None:
    text = (
        "- [ ] T001 Parent\n"
        "  - note\n"
        "    - [ ] T002 nested in a note\n"
        "      - nested detail\n"
        "    more note text\n"
        "  - [x] T003 direct child\n"
        "  closing words\n"
        "\n"
        "- [ ] T004 Next\n"
    )
    tasks, _ = tasks_of(text)
    assert [t.key for t in tasks] == ["T001", "T002", "T003", "T004"]
    # (the indented lines after a nested item are lazy continuations of that item)
    assert tasks[0].body == ("- note",)
    assert tasks[1].body == ("  - nested detail", "more note text")
    assert tasks[2].body == ("closing words",)
    assert tasks[3].body == ()
