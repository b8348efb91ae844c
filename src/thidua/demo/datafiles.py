"""The demo's literal data (practices, initiative ideas, nominees…) lives in `demo/data/*.json`;
this reads a file back into the seeders' frozen dataclasses, guided by their type hints."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """The JSON document `demo/data/<name>`."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def build(kind: Any, value: Any) -> Any:
    """`value` (plain JSON) as an instance of `kind`: a dataclass (missing keys take the field's
    default), `tuple[X, ...]`, a fixed tuple, `dict[K, V]`, `X | None`, a date, or a plain type."""
    if value is None:
        return None
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{key: build(hints[key], item) for key, item in value.items()})
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(build(args[0], item) for item in value)
        return tuple(build(arg, item) for arg, item in zip(args, value, strict=True))
    if origin is dict:
        return {build(args[0], key): build(args[1], item) for key, item in value.items()}
    if origin in (typing.Union, types.UnionType):
        return build(next(arg for arg in args if arg is not type(None)), value)
    return value


def dump(value: Any, kind: Any = None) -> Any:
    """The inverse of `build`, for writing a data file: fields left at their default are
    omitted, dates are ISO strings, tuples are lists."""
    if dataclasses.is_dataclass(value):
        return {
            field.name: dump(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.default is dataclasses.MISSING or getattr(value, field.name) != field.default
        }
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {str(key): dump(item) for key, item in value.items()}
    if isinstance(value, str):
        return str(value)  # a TextChoices member as its value
    return value
