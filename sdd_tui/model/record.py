"""``@record``: a frozen dataclass with slots, built with one compiled method instead of six.

Why it exists: ``@dataclass(frozen=True, slots=True)`` compiles every method it writes
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``) from
source with ``exec`` when the class is created, and the model's classes are created before the
workbench's first frame, so that compiling was a visible share of every start (measure it with
``bench/instructions.py``).  A record compiles only ``__init__`` (the one method that must be
fast: a load builds thousands of items) and takes the rest from shared code, with the
semantics ``dataclass`` gives them:

- equality: same class and equal fields (those with ``compare``); hash: of those fields;
- repr: ``Name(field=value, ...)``;
- frozen: assigning or deleting an attribute raises ``FrozenInstanceError``;
- pickling and ``copy`` restore the fields without ``__setattr__``.

``fields``, ``replace`` and ``asdict`` work as on any dataclass.  A class that needs more
than defaults and default factories (``__post_init__``, ``InitVar``, keyword-only or
``init=False`` fields) is handed to ``dataclass`` itself.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


class _Factory:
    """Marks an argument left to its default factory (shown as dataclass shows it)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, frozen: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True)
def record(cls: type[T] | None = None, /, *, frozen: bool = True) -> Any:
    """``@record`` (frozen, hashable) or ``@record(frozen=False)`` (mutable, unhashable, as
    ``@dataclass(slots=True)``)."""
    if cls is None:
        return lambda c: _record(c, frozen)
    return _record(cls, frozen)


def _record(cls: type[T], frozen: bool) -> type[T]:
    if hasattr(cls, "__post_init__") or _has_init_vars(cls):
        return dataclass(frozen=frozen, slots=True)(cls)
    documented = bool(cls.__doc__)
    if not documented:
        # dataclass would write the doc from ``inspect.signature`` of a class with no
        # ``__init__`` yet: the builtin ``object.__init__``, whose text signature is parsed
        # with ``tokenize`` (its big regex compiled on first use, at every start).
        cls.__doc__ = "-"
    made: Any = dataclass(slots=True, init=False, repr=False, eq=False)(cls)
    all_fields = fields(made)
    if any(not f.init or f.kw_only for f in all_fields):
        if not documented:
            cls.__doc__ = None
        return dataclass(frozen=frozen, slots=True)(cls)
    made.__init__ = _init(made, all_fields, frozen)
    if not documented:  # the doc dataclass writes: the class's name and __init__ signature
        made.__doc__ = f"{made.__name__}({', '.join(_param(f) for f in all_fields)})"
    names = tuple(f.name for f in all_fields)
    compared = _getter(tuple(f.name for f in all_fields if f.compare))
    hashed = _getter(tuple(f.name for f in all_fields if (f.compare if f.hash is None else f.hash)))
    shown = tuple(f.name for f in all_fields if f.repr)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)  # type: ignore[no-any-return]
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    def __repr__(self: Any) -> str:
        parts = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{self.__class__.__qualname__}({parts})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, n) for n in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    methods: tuple[Any, ...] = (__eq__, __repr__, __getstate__, __setstate__)
    if frozen:
        methods += (__hash__, __setattr__, __delattr__)
    elif "__hash__" not in cls.__dict__:
        made.__hash__ = None  # mutable and compared by value: unhashable, as in a dataclass
    for method in methods:
        if method.__name__ in cls.__dict__:
            continue  # the class wrote its own
        method.__qualname__ = f"{made.__qualname__}.{method.__name__}"
        setattr(made, method.__name__, method)
    return made  # type: ignore[no-any-return]


def _has_init_vars(cls: type) -> bool:
    notes = inspect.get_annotations(cls)
    return any("InitVar" in str(a) or "KW_ONLY" in str(a) for a in notes.values())


def _getter(names: tuple[str, ...]) -> Any:
    """A function of an instance to the tuple of ``names``' values."""
    if len(names) >= 2:
        return attrgetter(*names)
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _param(f: dataclasses.Field[Any]) -> str:
    """One parameter as ``inspect.Signature`` shows it (``name: 'type' = default``)."""
    text = f"{f.name}: {inspect.formatannotation(f.type)}"
    if f.default is not MISSING:
        return f"{text} = {f.default!r}"
    if f.default_factory is not MISSING:
        return f"{text} = {_FACTORY!r}"
    return text


def _init(cls: type, all_fields: tuple[dataclasses.Field[Any], ...], frozen: bool) -> Any:
    """``__init__`` for ``cls``: each argument stored (with ``object.__setattr__`` when
    frozen, as a frozen dataclass does)."""
    env: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}

    def store(name: str, value: str) -> str:
        return f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}"

    params, body = ["self"], []
    for i, f in enumerate(all_fields):
        if f.default is not MISSING:
            env[f"_d{i}"] = f.default
            params.append(f"{f.name}=_d{i}")
            body.append(store(f.name, f.name))
        elif f.default_factory is not MISSING:
            env[f"_f{i}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            body.append(store(f.name, f"_f{i}() if {f.name} is _FACTORY else {f.name}"))
        else:
            params.append(f.name)
            body.append(store(f.name, f.name))
    source = f"def __init__({', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    exec(source, env)  # one compiled method per class, as dataclass itself does
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {f.name: f.type for f in all_fields} | {"return": None}
    init.__module__ = cls.__module__
    return init
