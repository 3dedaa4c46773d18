"""JSON out: ISO dates, UTC timestamps ending in Z, *Public records as objects.

json.dumps does the walking, in C: `default` is only called for what JSON has no type
for. A record becomes a dict in one step, by a plan made once per record class that
converts its date fields as it goes (so the encoder calls back only for nested
records); its keys are its fields, in declared order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from typing import Any


def iso(value: date) -> str:
    """A date as YYYY-MM-DD; a timestamp in UTC as ...Z."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _maybe_iso(value: Any) -> Any:
    return None if value is None else iso(value)


_Plan = tuple[tuple[str, str, Callable[[Any], Any] | None], ...]
_PLANS: dict[type, _Plan] = {}


def json_key(field_name: str) -> str:
    """A field's key: its name, but a name Python reserves is written with a trailing
    underscore (`from_` is the key `from`)."""
    return field_name.removesuffix("_")


def _plan(cls: type) -> _Plan:
    """Which fields of a record class hold dates, worked out once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(
            (
                json_key(f.name),
                f.name,
                _maybe_iso if annotation_kinds(f.type) & {"date", "datetime"} else None,
            )
            for f in fields(cls)
        )
    return plan


def annotation_kinds(annotation: Any) -> set[str]:
    """The type names in a field's annotation: `dt.date | None` -> {"date", "None"}."""
    return {part.strip().removeprefix("dt.") for part in str(annotation).split("|")}


def record_dict(record: Any) -> dict[str, Any]:
    """A *Public record as a dict for JSON (nested records stay records: see `default`)."""
    return {
        key: (convert(value) if convert is not None else value)
        for key, name, convert in _plan(type(record))
        for value in (getattr(record, name),)
    }


def default(value: Any) -> Any:
    """json.dumps' hook for the values JSON has no type for."""
    if hasattr(value, "__dataclass_fields__"):
        return record_dict(value)
    if isinstance(value, date):
        return iso(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def encoder(*, separators: tuple[str, str] | None = None) -> json.JSONEncoder:
    """One encoder for many records (json.dumps with a default= makes a new one per call)."""
    return json.JSONEncoder(ensure_ascii=False, separators=separators, default=default)


def dumps(data: Any, *, indent: int | None = None, separators: tuple[str, str] | None = None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, separators=separators, default=default)
