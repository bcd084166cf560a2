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
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar, Union

T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """A JSON-able structure for a record (dataclasses, lists, tuples, dicts, datetimes)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "raw"}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    if isinstance(obj, datetime):
        return obj.isoformat()
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return obj.item()
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from ``to_dict`` output."""
    return typing.cast(T, _decode(cls, data))


def loads(cls: type[T], text: str | bytes) -> T:
    return from_dict(cls, json.loads(text))


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        for option in options:
            if dataclasses.is_dataclass(option) and isinstance(data, dict):
                return _decode(option, data)
        return _decode(options[0], data) if len(options) == 1 else data
    if dataclasses.is_dataclass(tp) and isinstance(data, dict):
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _decode(hints[k], v) for k, v in data.items() if k in names})
    if origin in (list, tuple):
        args = typing.get_args(tp)
        inner = args[0] if args else Any
        items = [_decode(inner, v) for v in data]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        args = typing.get_args(tp)
        return {k: _decode(args[1] if len(args) == 2 else Any, v) for k, v in data.items()}
    if tp is datetime and isinstance(data, str):
        return datetime.fromisoformat(data)
    return data
