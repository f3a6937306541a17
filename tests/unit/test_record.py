"""``@record`` behaves as ``@dataclass(frozen=True, slots=True)``, class for class."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from sdd_tui.model import record as record_module
from sdd_tui.model.record import record


def _pair(**extra):  # type: ignore[no-untyped-def]
    """The same class made by ``@record`` and by ``@dataclass``."""

    def body() -> type:
        class Item:
            name: str
            line: int
            tags: tuple[str, ...] = ()
            parent: str | None = None
            notes: dict[str, str] = field(default_factory=dict, hash=False)
            hidden: int = field(default=0, compare=False, repr=False)

            @property
            def label(self) -> str:
                return f"{self.name}:{self.line}"

        Item.__module__ = __name__
        return Item

    return record(body()), dataclass(frozen=True, slots=True)(body())


def test_construction_defaults_and_factories() -> None:
    Rec, Ref = _pair()
    for args, kwargs in [
        (("a", 1), {}),
        (("a", 1, ("x",)), {"parent": "p"}),
        ((), {"name": "n", "line": 2, "notes": {"k": "v"}}),
    ]:
        r, d = Rec(*args, **kwargs), Ref(*args, **kwargs)
        assert dataclasses.astuple(r) == dataclasses.astuple(d)
        assert dataclasses.asdict(r) == dataclasses.asdict(d)
    assert Rec("a", 1).notes is not Rec("a", 1).notes  # a fresh dict each time
    with pytest.raises(TypeError):
        Rec("a")  # a required field is missing
    with pytest.raises(TypeError):
        Rec("a", 1, unknown=2)
    assert Rec("a", 3).label == "a:3"
    assert [f.name for f in dataclasses.fields(Rec)] == [f.name for f in dataclasses.fields(Ref)]
    assert Rec.__match_args__ == Ref.__match_args__
    assert Rec.__doc__ == Ref.__doc__  # the signature dataclass writes for an undocumented class
    assert str(inspect.signature(Rec)) == str(inspect.signature(Ref))
    assert not hasattr(Rec("a", 1), "__dict__")  # slots


def test_equality_hash_and_repr_match_dataclass() -> None:
    Rec, Ref = _pair()
    cases = [("a", 1), ("a", 2), ("b", 1, ("t",), "p")]
    for x in cases:
        for y in cases:
            assert (Rec(*x) == Rec(*y)) == (Ref(*x) == Ref(*y))
            assert (Rec(*x) != Rec(*y)) == (Ref(*x) != Ref(*y))
        assert hash(Rec(*x, hidden=5)) == hash(Ref(*x, hidden=9)) == hash(Rec(*x))
        assert repr(Rec(*x)) == repr(Ref(*x))
    assert Rec("a", 1, hidden=1) == Rec("a", 1, hidden=2)  # compare=False
    assert Rec("a", 1) != Ref("a", 1)  # another class is never equal
    assert Rec("a", 1) != ("a", 1)
    with pytest.raises(TypeError):
        hash(_SAMPLE("a", 1))  # a hashed dict field is unhashable, as in a dataclass


def test_frozen() -> None:
    Rec, _ = _pair()
    item = Rec("a", 1)
    with pytest.raises(FrozenInstanceError):
        item.name = "b"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del item.line  # type: ignore[misc]
    assert item.name == "a"


def test_pickle_copy_and_replace() -> None:
    item = _SAMPLE("a", 1, ("x",), "p", {"k": "v"})
    for again in (
        pickle.loads(pickle.dumps(item)),
        copy.copy(item),
        copy.deepcopy(item),
    ):
        assert again == item and again is not item
        assert again.notes == {"k": "v"}
    changed = dataclasses.replace(item, line=2)
    assert (changed.line, changed.name, item.line) == (2, "a", 1)


def test_a_mutable_record_is_a_slots_dataclass() -> None:
    def body() -> type:
        class State:
            name: str
            items: list[str] = field(default_factory=list)
            count: int = 0

        State.__module__ = __name__
        return State

    Rec, Ref = record(frozen=False)(body()), dataclass(slots=True)(body())
    r, d = Rec("a"), Ref("a")
    assert repr(r) == repr(d) and Rec.__doc__ == Ref.__doc__
    assert Rec("a") == Rec("a") and Rec("a") != Rec("b") and Rec("a") != Ref("a")
    assert Rec.__hash__ is None and Ref.__hash__ is None  # compared by value: unhashable
    r.count += 1
    r.items.append("x")
    assert (r.count, r.items) == (1, ["x"]) and Rec("a").items == []  # a fresh list each
    del r.count
    assert not hasattr(r, "count")
    r.count = 5
    again = copy.deepcopy(r)  # through __getstate__ / __setstate__, as pickle goes
    assert again == r and again is not r and again.items is not r.items
    assert not hasattr(r, "__dict__")
    assert [f.name for f in dataclasses.fields(Rec)] == ["name", "items", "count"]


def test_what_records_do_not_cover_is_left_to_dataclass() -> None:
    @record
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    assert Checked(1).value == 1
    with pytest.raises(ValueError):
        Checked(-1)
    with pytest.raises(FrozenInstanceError):
        Checked(1).value = 2  # type: ignore[misc]

    @record
    class Own:
        value: int

        def __repr__(self) -> str:
            return "own"

    assert repr(Own(1)) == "own" and Own(1) == Own(1)

    @record
    class Documented:
        """Its own words."""

        value: int

    assert Documented.__doc__ == "Its own words."


def _sample(cls: type) -> object:
    """An instance of ``cls`` with a plausible value for every required field."""
    values = {}
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            kind = str(f.type)
            values[f.name] = 1 if kind.startswith("int") else () if "tuple" in kind else "x"
    return cls(**values)


def test_every_record_in_the_model_is_frozen_picklable_and_hashable() -> None:
    from sdd_tui import model

    classes = [getattr(model, n) for n in model.__all__]
    records = [c for c in classes if dataclasses.is_dataclass(c)]
    assert len(records) == 8
    for cls in records:
        item = _sample(cls)
        assert pickle.loads(pickle.dumps(item)) == item
        assert copy.copy(item) == item
        assert repr(item).startswith(f"{cls.__name__}(")
        name = dataclasses.fields(cls)[0].name
        with pytest.raises(FrozenInstanceError):
            setattr(item, name, "y")
    assert record_module.__doc__


@record
class _SAMPLE:  # module level: pickle finds it by name
    name: str
    line: int
    tags: tuple[str, ...] = ()
    parent: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
