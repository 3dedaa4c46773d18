"""Rows into Python values, and into the records that leave the program.

SQLite hands back dates and timestamps as text from raw SQL; these read them.
`public_record` builds any *Public dataclass from a row by column name, in one place:
a field takes the column of its name, read by its declared type (a date, a UTC
timestamp, a boolean); the fields a row has no column for are given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from netlog import dates
from netlog.errors import StoredValueError
from netlog.jsonable import annotation_kinds

CHUNK = 500
T = TypeVar("T")


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise StoredValueError(f"{value!r} is not a date") from None


def required_date(value: Any) -> date:
    """A date the query always has (a last touch of someone due, a due day)."""
    day = as_date(value)
    if day is None:
        raise StoredValueError("a date that every row has is missing")
    return day


def as_utc(value: Any) -> datetime:
    try:
        stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise StoredValueError(f"{value!r} is not a timestamp") from None
    return stamp.replace(tzinfo=timezone.utc)


def _bool(value: Any) -> bool:
    return bool(value)


def _same(value: Any) -> Any:
    return value


def _kind(annotation: Any) -> str:
    """Which conversion a field needs: "datetime", "date", "bool" or "" (none)."""
    kinds = annotation_kinds(annotation)
    for kind in ("datetime", "date"):
        if kind in kinds:
            return kind
    return "bool" if kinds == {"bool"} else ""


def _reader_for(annotation: Any) -> Callable[[Any], Any]:
    """Stored value -> the record's value."""
    return {"datetime": as_utc, "date": as_date, "bool": _bool}.get(_kind(annotation), _same)


_Plan = tuple[tuple[str, Callable[[Any], Any]], ...]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    """How to read each field of a record class from a row, worked out once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple((f.name, _reader_for(f.type)) for f in fields(cls))
    return plan


def _date_text(value: Any) -> str | None:
    """A stored date as JSON writes it, checked as as_date checks it."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)[:10]
    try:
        date.fromisoformat(text)
    except ValueError:
        raise StoredValueError(f"{value!r} is not a date") from None
    return text


_STORED_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?", re.ASCII)


def _stamp_text(value: Any) -> str:
    """A stored timestamp as JSON writes it (UTC, `...Z`), as iso(as_utc(value)) gives it."""
    if isinstance(value, str) and _STORED_STAMP.fullmatch(value):  # SQLite's text, as stored
        text = value[:10] + "T" + value[11:]
        return (text[:-7] if text.endswith(".000000") else text) + "Z"
    text = as_utc(value).isoformat()
    return text[:-6] + "Z"  # as_utc is always UTC


def _writer_for(annotation: Any) -> Callable[[Any], Any]:
    """Stored value -> the value JSON shows."""
    return {"datetime": _stamp_text, "date": _date_text, "bool": _bool}.get(_kind(annotation), _same)


_JSON_PLANS: dict[type, _Plan] = {}


def json_record(cls: type, row: Any, **given: Any) -> dict[str, Any]:
    """What public_dict(public_record(cls, row, **given)) gives, in one step and without
    making date objects only to turn them back into text: for exports of many rows."""
    plan = _JSON_PLANS.get(cls)
    if plan is None:
        plan = _JSON_PLANS[cls] = tuple((f.name, _writer_for(f.type)) for f in fields(cls))
    return {name: given[name] if name in given else write(getattr(row, name)) for name, write in plan}


def public_record(cls: type[T], row: Any, **given: Any) -> T:
    """A *Public record from a row with a column for each of its fields not `given`."""
    values = {name: given[name] if name in given else read(getattr(row, name)) for name, read in _plan(cls)}
    return cls(**values)


def stamp(now: datetime | None = None) -> datetime:
    """An aware UTC timestamp (SQLite keeps it as UTC text without the offset)."""
    return (now or dates.now()).astimezone(timezone.utc)


def chunks(ids: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def id_list(ids: Iterable[int]) -> str:
    """Integer ids as an SQL list; safe because each is forced through int()."""
    return ",".join(str(int(i)) for i in ids) or "NULL"


def grouped(db: Any, sql: str, ids: Sequence[int]) -> dict[int, list[Any]]:
    """Run `sql` (with an `{ids}` slot, yielding (id, value) rows) over ids in chunks."""
    result: dict[int, list[Any]] = defaultdict(list)
    for chunk in chunks(ids):
        for key, value in db.rows(sql.format(ids=id_list(chunk))):
            result[key].append(value)
    return result
