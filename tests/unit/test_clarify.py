"""Answering an open clarification: two exact edits of the spec, undone byte for byte."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.operations import clarify, history
from sdd_tui.operations.boxes import OperationError
from sdd_tui.workspace.loader import load

TODAY = date(2026, 12, 2)
F3 = "003-nutrition-labels"
SPEC3 = Path("specs") / F3 / "spec.md"


def answer(root: Path, feature: str, number: int, text: str):  # type: ignore[no-untyped-def]
    return history.apply_and_record(load(root), clarify.answer, feature, number, text, today=TODAY)


def test_the_marker_becomes_the_answer_and_the_qa_joins_a_new_session(sample: Path) -> None:
    before = (sample / SPEC3).read_bytes()
    change = answer(sample, F3, 2, "EU 14")
    after = (sample / SPEC3).read_bytes()
    assert change.op == "answer" and change.files == (SPEC3.as_posix(),)
    assert b"- **FR-004**: System MUST show allergens EU 14\n" in after
    assert b"[NEEDS CLARIFICATION: which allergen list" not in after
    lines = after.decode().splitlines()
    at = lines.index("### Session 2026-12-02")
    assert lines[at - 1] == "" and lines[at + 1] == ""
    assert lines[at + 2] == "- Q: which allergen list - EU 14 or US 9? → A: EU 14"
    assert lines[at - 2].startswith("- Q: Which nutrients are on the label?")  # after the last
    # nothing else moved: removing the two edits gives the original bytes
    restored = after.replace(
        b"allergens EU 14", b"allergens [NEEDS CLARIFICATION: which allergen list - EU 14 or US 9?]"
    )
    restored = restored.replace(
        b"\n### Session 2026-12-02\n\n- Q: which allergen list - EU 14 or US 9? \xe2\x86\x92 A: "
        b"EU 14\n",
        b"",
    )
    assert restored == before
    ws = load(sample).workspace
    assert [c.text for c in ws.feature(F3).clarifications] == [
        "rounding rules - EU Regulation 1169/2011 guidance or US FDA 21 CFR 101.9?",
        "a bundled reference table, user-entered values, or both?",
    ]


def test_a_second_answer_the_same_day_joins_that_session(sample: Path) -> None:
    answer(sample, F3, 1, "EU 1169/2011")
    answer(sample, F3, 2, "Both")  # now 1 is the allergen list, 2 the data source
    text = (sample / SPEC3).read_text()
    assert text.count("### Session 2026-12-02") == 1
    block = text.split("### Session 2026-12-02\n\n", 1)[1].split("\n\n", 1)[0]
    assert block.splitlines() == [
        "- Q: rounding rules - EU Regulation 1169/2011 guidance or US FDA 21 CFR 101.9? → A: "
        "EU 1169/2011",
        "- Q: a bundled reference table, user-entered values, or both? → A: Both",
    ]


def test_undo_and_redo_are_byte_exact(sample: Path) -> None:
    before = (sample / SPEC3).read_bytes()
    answer(sample, F3, 3, "Both, the user's value wins")
    answered = (sample / SPEC3).read_bytes()
    undone = history.undo(load(sample))
    assert undone is not None and undone.op == "answer"
    assert undone.describe("undo").startswith("answer to “a bundled reference table")
    assert (sample / SPEC3).read_bytes() == before
    history.redo(load(sample))
    assert (sample / SPEC3).read_bytes() == answered
    ops = [
        json.loads(line)["op"]
        for line in (sample / ".sdd/history.jsonl").read_text().split("\n")
        if line
    ]
    assert ops == ["answer", "undo", "redo"]


def test_undo_finds_its_edits_after_someone_edited_elsewhere(sample: Path) -> None:
    before = (sample / SPEC3).read_bytes()
    answer(sample, F3, 2, "US 9")
    path = sample / SPEC3
    path.write_bytes(b"<!-- reviewed -->\n" + path.read_bytes() + b"\nAn agent's note.\n")
    history.undo(load(sample))
    assert path.read_bytes() == b"<!-- reviewed -->\n" + before + b"\nAn agent's note.\n"


def test_undo_refuses_when_the_answer_itself_was_rewritten(sample: Path) -> None:
    answer(sample, F3, 2, "US 9")
    path = sample / SPEC3
    edited = path.read_bytes().replace(b"allergens US 9", b"allergens EU 14 and US 9")
    path.write_bytes(edited)
    with pytest.raises(OperationError, match="edited since; not undone"):
        history.undo(load(sample))
    assert path.read_bytes() == edited


@pytest.mark.parametrize(
    ("number", "text", "message"),
    [
        (0, "x", "no clarification 0"),
        (4, "x", "no clarification 4 in feature '003-nutrition-labels' \\(3 open\\)"),
        (1, "   \n ", "the answer is empty"),
        (1, "x" * 2001, "longer than 2000"),
    ],
)
def test_bad_answers_write_nothing(sample: Path, number: int, text: str, message: str) -> None:
    before = (sample / SPEC3).read_bytes()
    with pytest.raises(OperationError, match=message):
        answer(sample, F3, number, text)
    assert (sample / SPEC3).read_bytes() == before
    assert not (sample / ".sdd/history.jsonl").exists()


def test_crlf_bom_no_final_newline_and_no_section_yet(tmp_path: Path) -> None:
    spec = (
        "\ufeff# Feature Specification: Tags\r\n\r\n**Status**: Draft\r\n\r\n"
        "## Requirements\r\n\r\n- **FR-001**: Tags are [NEEDS CLARIFICATION: case-sensitive?]"
    )
    root = write_tree(
        tmp_path / "ws",
        {
            "specs/001-tags/spec.md": spec.encode("utf-8"),
            "specs/001-tags/tasks.md": "- [ ] T001 x\n",
        },
    )
    answer(root, "001-tags", 1, "No, [bold]folded[/bold]\x1b[31m to lower case")
    data = (root / "specs/001-tags/spec.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Feature Specification: Tags\r\n\r\n**Status**: Draft")
    assert b"\r\n## Clarifications\r\n\r\n### Session 2026-12-02\r\n\r\n- Q: case-sensitive? " in (
        data
    )
    assert b"\n\n" not in data.replace(b"\r\n", b"")  # no bare LF was added
    assert data.endswith(b"- **FR-001**: Tags are No, [bold]folded[/bold] to lower case")
    assert b"\x1b" not in data  # terminal escapes never reach the file
    history.undo(load(root))
    assert (root / "specs/001-tags/spec.md").read_bytes() == spec.encode("utf-8")


def test_a_read_only_feature_is_not_answered(sample: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    loaded = load(sample)
    feature = loaded.workspace.feature(F3)
    assert feature is not None
    import dataclasses

    frozen = dataclasses.replace(feature, read_only=True)
    ws = dataclasses.replace(
        loaded.workspace,
        features=tuple(frozen if f.id == F3 else f for f in loaded.workspace.features),
    )
    with pytest.raises(OperationError, match="read-only"):
        clarify.answer(dataclasses.replace(loaded, workspace=ws), F3, 1, "x")
