"""Dataclass records to JSON-able dicts and back.

The store keeps analysis records as JSON documents beside indexed key columns: their shape
changes as stages improve, and a JSON column needs no migration for an added optional field.
Decoding follows the dataclass's type hints, so nested spans and tuples come back typed.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar, Union

T = TypeVar("T")


#: Types ``to_dict`` returns as they are (exact types: a subclass such as a numpy float is
#: converted below).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_dict(obj: Any) -> Any:
    """A JSON-able structure for a record (dataclasses, lists, tuples, dicts, datetimes)."""
    cls = type(obj)
    # Scalars first: they are most of the calls (a report's records make millions).
    if cls in _SCALARS:
        return obj
    names = _field_names(cls)
    if names is not None:
        return {name: (v if type(v) in _SCALARS else to_dict(v))
                for name in names for v in (getattr(obj, name),)}
    if isinstance(obj, (list, tuple)):
        return [v if type(v) in _SCALARS else to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): (v if type(v) in _SCALARS else to_dict(v)) for k, v in obj.items()}
    if isinstance(obj, datetime):
        return obj.isoformat()
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return obj.item()
    return obj


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields ``to_dict`` writes for a dataclass type (``raw`` bytes never), else None."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "raw")


def dumps(obj: Any) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from ``to_dict`` output."""
    return typing.cast(T, _decoder(cls)(data))


def loads(cls: type[T], text: str | bytes) -> T:
    return from_dict(cls, json.loads(text))


def _identity(data: Any) -> Any:
    return data


@lru_cache(maxsize=None)
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A decoder for values of type ``tp``, built once per type from its hints: reading the
    hints on every value made decoding the costliest part of loading a large report."""
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        record = next((o for o in options if dataclasses.is_dataclass(o)), None)
        as_record = _decoder(record) if record is not None else None
        other = _decoder(options[0]) if len(options) == 1 else _identity

        def union(data: Any) -> Any:
            if data is None:
                return None
            if as_record is not None and isinstance(data, dict):
                return as_record(data)
            return other(data)
        return union
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(tp)}
        # Fields read as they are (strings, numbers) need no call per value.
        plain = frozenset(k for k, d in fields.items() if d is _identity)

        def record_(data: Any) -> Any:
            if data is None or not isinstance(data, dict):
                return data
            return tp(**{k: v if k in plain else fields[k](v) for k, v in data.items() if k in fields})
        return record_
    if origin in (list, tuple):
        args = typing.get_args(tp)
        inner = _decoder(args[0]) if args else _identity
        as_tuple = origin is tuple

        def sequence(data: Any) -> Any:
            if data is None:
                return None
            items = [inner(v) for v in data]
            return tuple(items) if as_tuple else items
        return sequence
    if origin is dict:
        args = typing.get_args(tp)
        value = _decoder(args[1]) if len(args) == 2 else _identity

        def mapping(data: Any) -> Any:
            return None if data is None else {k: value(v) for k, v in data.items()}
        return mapping
    if tp is datetime:
        return lambda data: datetime.fromisoformat(data) if isinstance(data, str) else data
    return _identity
