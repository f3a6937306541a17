"""One byte that is not UTF-8 does not blank a document (issue 16, item 5): the document is
read with that byte replaced, the problem stays with its byte offset, and a move edits only
lines without such bytes, leaving every other byte (the bad one included) as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.cli import main
from sdd_tui.formats.text import DecodeProblem, SourceText
from sdd_tui.operations.checks import run_checks
from sdd_tui.workspace.documents import parse_document
from sdd_tui.workspace.loader import load

F = "specs/001-pub"
# 0x92 is cp1252's curly apostrophe: one byte that no UTF-8 reader accepts
SPEC = (
    b"# Feature Specification: Publishing\n\n## User Scenarios & Testing\n\nA cook\x92s story.\n\n"
    b"## Requirements\n\n- **FR-001**: System MUST publish.\n"
    b"- **FR-002**: System MUST [NEEDS CLARIFICATION: which format?]\n\n"
    b"## Success Criteria\n\n- **SC-001**: fast.\n"
)
TASKS = (
    "# Tasks\n\n"
    "- [ ] T001 Publish (FR-001)\n"
    "- [X] T002 The cook\x92s page (FR-002)\n"
    "- [x] T003 Caf\u00e9 notes\r\n"
    "- [ ] T004 Last one\n"
).encode("utf-8")
TASKS = TASKS.replace(b"\xc2\x92", b"\x92")  # the raw byte, not its UTF-8 encoding


def workspace(tmp_path: Path, spec: bytes = SPEC, tasks: bytes = TASKS) -> Path:
    return write_tree(
        tmp_path, {f"{F}/spec.md": spec, f"{F}/plan.md": "# Plan\n", f"{F}/tasks.md": tasks}
    )


def test_decoding_keeps_offsets_exact() -> None:
    raw = b"\xef\xbb\xbfab\x92c\xff\xfe\n\xc3\xa9[ ] x\n"
    src = SourceText.decode(raw)
    assert src.lines == ["ab\ufffdc\ufffd\ufffd", "\u00e9[ ] x"]
    assert len(src.bad) == 3
    problem = src.problem
    assert problem is not None and problem.line == 1
    assert "0x92 at offset 2" in str(problem) and "2 more" in str(problem)
    box = src.text.index("[ ]") + 1
    assert src.byte_offset(box) == raw.index(b"[ ]") + 1
    out = src.replace(box, " ", "x")
    assert out == raw.replace(b"[ ]", b"[x]")
    with pytest.raises(DecodeProblem, match="line 1 holds a byte that is not UTF-8"):
        src.replace(src.text.index("c"), "c", "d")


def test_binary_files_are_still_refused() -> None:
    with pytest.raises(DecodeProblem, match="binary"):
        SourceText.decode(b"a\x00b\x92")


def test_spec_with_a_bad_byte_keeps_its_requirements_and_rules(tmp_path: Path) -> None:
    loaded = load(workspace(tmp_path))
    [f] = loaded.workspace.features
    assert [r.id for r in f.requirements] == ["FR-001", "FR-002", "SC-001"]
    [problem] = [p for p in loaded.workspace.problems if p.path == f"{F}/spec.md"]
    assert "0x92 at offset" in problem.message and problem.line == 5
    spec_at = SPEC.index(b"\x92")
    assert f"offset {spec_at}" in problem.message
    report = run_checks(loaded, use_git=False)
    assert [(x.rule, x.line) for x in report.findings if x.rule == "open-clarification"] == [
        ("open-clarification", 10)
    ]


def test_tasks_with_a_bad_byte_are_listed(tmp_path: Path) -> None:
    loaded = load(workspace(tmp_path))
    [f] = loaded.workspace.features
    assert [(t.id, t.done) for t in f.tasks] == [
        ("T001", False),
        ("T002", True),
        ("T003", True),
        ("T004", False),
    ]
    assert "\ufffd" in f.tasks[1].text
    assert any(p.path == f"{F}/tasks.md" and p.line == 4 for p in loaded.workspace.problems)


def test_move_is_byte_exact_beside_a_bad_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = workspace(tmp_path)
    tasks = root / F / "tasks.md"
    assert main(["move", "--path", str(root), "001-pub/T004", "done"]) == 0
    assert tasks.read_bytes() == TASKS.replace(b"- [ ] T004", b"- [x] T004")
    assert main(["move", "--path", str(root), "001-pub/T003", "todo"]) == 0
    after = TASKS.replace(b"- [ ] T004", b"- [x] T004").replace(b"- [x] T003", b"- [ ] T003")
    assert tasks.read_bytes() == after
    assert after.count(b"\x92") == 1  # the bad byte and its neighbours untouched
    capsys.readouterr()


def test_move_of_the_task_on_the_bad_line_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = workspace(tmp_path)
    tasks = root / F / "tasks.md"
    assert main(["move", "--path", str(root), "001-pub/T002", "todo"]) == 2
    err = capsys.readouterr().err
    assert "unknown task" not in err
    assert "not UTF-8" in err and "0x92" in err and "not written" in err
    assert len(err.strip().splitlines()) == 1
    assert tasks.read_bytes() == TASKS  # nothing written
    assert not (root / ".sdd" / "board.json").exists()


def test_status_json_stays_ascii_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The replacement character prints; nothing of the raw byte leaks to the output."""
    root = workspace(tmp_path)
    assert main(["tasks", "--json", str(root)]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert "\udc92" not in out
    by_id = {t["id"]: t["title"] for t in data}
    assert by_id["T002"] == "The cook\ufffds page (FR-002)"
    assert by_id["T004"] == "Last one"


def test_parse_document_reads_the_display_copy() -> None:
    doc = parse_document("tasks.md", TASKS)
    assert len(doc.boxes) == 4 and doc.src.bad
