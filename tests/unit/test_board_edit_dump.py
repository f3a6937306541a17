"""board.json written by editing the entries that changed, byte-identical to a full dump."""

from __future__ import annotations

import json

from helpers.examples import examples
from helpers.files import SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd_tui.formats.board_state import dump_board, edit_dump, update_entry

KEY = st.text(
    alphabet=st.sampled_from(list('ab/-T0129"\\\n é✓ \t{},:[]') + ["\u2028", "\x00"]),
    min_size=1,
    max_size=12,
)
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=6), st.floats(0, 1)
)
VALUE = st.recursive(
    SCALAR, lambda c: st.lists(c, max_size=3) | st.dictionaries(KEY, c, max_size=3), max_leaves=6
)
ENTRY = st.dictionaries(KEY, VALUE, min_size=1, max_size=3)
BOARD = st.fixed_dictionaries(
    {"tasks": st.dictionaries(KEY, ENTRY, max_size=12), "version": st.just(1)},
    optional={"columns": VALUE, "zzz": VALUE},
)


@settings(max_examples=examples(150, 400), deadline=None)
@given(BOARD, st.lists(st.tuples(KEY, st.one_of(st.none(), ENTRY)), min_size=1, max_size=4))
def test_edit_dump_equals_a_full_dump(old: dict, changes: list) -> None:
    new = old
    for key, value in changes:
        tasks = dict(new["tasks"])
        if value is None:
            tasks.pop(key, None)
        else:
            tasks[key] = value
        new = {**new, "tasks": tasks}
    old_text = dump_board(old).decode()
    out = edit_dump(old_text, old, new, [k for k, _ in changes])
    if out is not None:
        assert out.encode() == dump_board(new)
        assert json.loads(out) == new


@settings(max_examples=examples(100, 200), deadline=None)
@given(st.dictionaries(KEY, ENTRY, min_size=2, max_size=30), st.data())
def test_one_moved_card_is_an_edit_not_a_full_dump(tasks: dict, data: st.DataObject) -> None:
    old = {"tasks": tasks, "version": 1}
    key = data.draw(st.sampled_from(sorted(tasks)) | KEY)
    new = update_entry(old, key, column=data.draw(st.sampled_from(["todo", "done", None])))
    out = edit_dump(dump_board(old).decode(), old, new, [key])
    if new["tasks"]:
        assert out is not None  # a single entry changed, added or dropped
        assert out.encode() == dump_board(new)


def test_the_only_entry_replaced_by_another_is_dumped_right() -> None:
    # found by hypothesis: dropping the last (here the only) entry and appending one after
    # it left a stray comma
    old = {"tasks": {"0": {"0": None}}, "version": 1}
    for new_tasks in ({"00": {"0": None}}, {"00": {"a": 1}, "01": {"b": 2}}):
        new = {"tasks": new_tasks, "version": 1}
        out = edit_dump(dump_board(old).decode(), old, new, ["0", *new_tasks])
        assert out is None or out.encode() == dump_board(new)
    two = {"tasks": {"a": {"x": 1}, "b": {"x": 2}}, "version": 1}
    new = {"tasks": {"a": {"x": 1}, "c": {"x": 3}}, "version": 1}
    out = edit_dump(dump_board(two).decode(), two, new, ["b", "c"])
    assert out is None or out.encode() == dump_board(new)


def test_other_changes_are_left_to_the_full_dump() -> None:
    old = {"tasks": {"a/T1": {"column": "done"}}, "version": 1}
    text = dump_board(old).decode()
    assert edit_dump(text, old, {**old, "version": 2}, []) is None
    assert edit_dump(text, old, {"tasks": {}, "version": 1}, ["a/T1"]) is None


def test_moves_in_a_row_edit_board_json_and_keep_it_canonical(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first move dumps board.json whole; the next ones edit the bytes this process
    wrote; an outside edit in between (not our bytes) is dumped whole again."""
    import shutil

    from sdd_tui.formats import board_state
    from sdd_tui.operations import board as board_ops
    from sdd_tui.workspace.loader import load

    root = tmp_path / "ws"
    sample = SAMPLE
    shutil.copytree(sample, root)
    dumps: list[int] = []
    full = board_state.dump_board

    def counting(data):  # type: ignore[no-untyped-def]
        dumps.append(1)
        return full(data)

    monkeypatch.setattr(board_ops, "dump_board", counting)
    path = root / ".sdd" / "board.json"
    feature = next(
        f for f in load(root).workspace.features if sum(t.column == "todo" for t in f.tasks) >= 3
    )
    todo = [t for t in feature.tasks if t.column == "todo"][:3]
    for n, task in enumerate(todo):
        board_ops.move(load(root), feature.id, task.key, "review")
        raw = path.read_bytes()
        assert raw == full(json.loads(raw))
        assert len(dumps) == 1, n  # only the first move dumped it whole
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # someone else's save
    board_ops.move(load(root), feature.id, todo[0].key, "done")
    assert len(dumps) == 2
    assert path.read_bytes() == full(json.loads(path.read_bytes()))
