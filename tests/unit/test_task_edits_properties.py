"""Hypothesis: add, rename and remove on generated tasks files (CRLF, BOM, no final newline,
tabs, nested sub-tasks, Kiro's optional ``[ ]*``, fenced code that looks like tasks) change
only the intended lines, and undo from a fresh load gives back the identical bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from helpers.examples import examples
from helpers.files import write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd_tui.operations import history, task_edits
from sdd_tui.workspace.loader import load

PROPS = settings(max_examples=examples(25, 200), deadline=None)
TASKS = "specs/001-gen/tasks.md"
WORDS = st.sampled_from(["alpha", "beta", "gamma", "δelta", "fix bug", "in src/x.py", "`code`"])
TITLE = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)
FENCE = ["```", "- [ ] T999 looks like a task", "- [ ] 9.9 so does this", "```"]


@st.composite
def tasks_files(draw: st.DrawFn) -> bytes:
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    indent = draw(st.sampled_from(["  ", "    ", "\t"]))
    style = draw(st.sampled_from(["T", "dotted", "none"]))
    lines = ["# Tasks", ""]
    for n in range(1, draw(st.integers(1, 5)) + 1):
        if draw(st.booleans()):
            lines += [f"## Phase {n}", ""]
        tid = {"T": f"T{n:03d} ", "dotted": f"{n}. ", "none": ""}[style]
        mark = draw(st.sampled_from([" ", "x", "X", "-"]))
        lines.append(f"- [{mark}] {tid}{draw(TITLE)}")
        if draw(st.booleans()):
            lines.append(f"{indent}- _Requirements: FR-00{n}_")
        for k in range(1, draw(st.integers(0, 2)) + 1):
            kid = {"T": f"T{n:03d}{'ab'[k - 1]} ", "dotted": f"{n}.{k} ", "none": ""}[style]
            optional = "*" if style == "dotted" and draw(st.booleans()) else ""
            lines.append(f"{indent}- [ ]{optional} {kid}{draw(TITLE)}")
        if draw(st.booleans()):
            lines += ["", *FENCE]
        if draw(st.booleans()):
            lines.append("")
    text = nl.join(lines) + (nl if draw(st.booleans()) else "")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


def _check(raw: bytes, pick: int, op: str, title: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), {TASKS: raw})
        tasks = load(root).workspace.feature("001-gen").tasks
        task = tasks[pick % len(tasks)]
        if op == "add":
            change = history.apply_and_record(
                load(root), task_edits.add_task, "001-gen", title, after=task.key
            )
        elif op == "rename":
            change = history.apply_and_record(
                load(root), task_edits.rename_task, "001-gen", task.key, title
            )
        else:
            change = history.apply_and_record(
                load(root), task_edits.remove_task, "001-gen", task.key
            )
        after = (root / TASKS).read_bytes()
        (h,) = change.hunks if change.hunks else (None,)
        if h is None:  # a rename to the same title writes nothing
            assert op == "rename" and after == raw
            return
        assert raw[: h.at] + h.new + raw[h.at + len(h.old) :] == after
        if op == "add":
            assert h.old == b"" and title.encode() in h.new and h.new.count(b"\n") <= 1
        elif op == "rename":
            assert b"\n" not in h.old + h.new and b"\r" not in h.old + h.new
            # a task without an ID is known by its title: find it by its line
            now = load(root).workspace.feature("001-gen").tasks
            renamed = next((t for t in now if t.line == task.line), None)
            assert renamed is not None and renamed.title.startswith(title)
            assert renamed.id == task.id and renamed.mark == task.mark
        else:
            assert h.new == b"" and task.text.encode() in h.old
            left = load(root).workspace.feature("001-gen").tasks
            assert len(left) == len(tasks) - 1 - sum(1 for t in tasks if t.parent == task.key)
        undone = history.undo(load(root))
        assert undone is not None and (root / TASKS).read_bytes() == raw
        history.redo(load(root))
        assert (root / TASKS).read_bytes() == after


@PROPS
@given(tasks_files(), st.integers(0, 50), TITLE)
def test_add_then_undo_gives_the_identical_bytes(raw: bytes, pick: int, title: str) -> None:
    _check(raw, pick, "add", title)


@PROPS
@given(tasks_files(), st.integers(0, 50), TITLE)
def test_rename_then_undo_gives_the_identical_bytes(raw: bytes, pick: int, title: str) -> None:
    _check(raw, pick, "rename", title)


@PROPS
@given(tasks_files(), st.integers(0, 50))
def test_remove_then_undo_gives_the_identical_bytes(raw: bytes, pick: int) -> None:
    _check(raw, pick, "remove", "")
