"""Small helpers for turning SQL rows into Python values, shared by the ledger modules.

SQLite hands back dates and timestamps as text from raw SQL; these read them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from typing import Any

from sqlmodel import Session, text

from netlog import dates
from netlog.errors import StoredValueError

CHUNK = 500


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise StoredValueError(f"{value!r} is not a date") from None


def as_utc(value: Any) -> datetime:
    try:
        stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise StoredValueError(f"{value!r} is not a timestamp") from None
    return stamp.replace(tzinfo=timezone.utc)


def stamp(now: datetime | None = None) -> datetime:
    """An aware UTC timestamp (SQLite keeps it as UTC text without the offset)."""
    return (now or dates.now()).astimezone(timezone.utc)


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def id_list(ids: Iterable[int]) -> str:
    """Integer ids as an SQL list; safe because each is forced through int()."""
    return ",".join(str(int(i)) for i in ids) or "NULL"


def grouped(session: Session, sql: str, ids: Sequence[int]) -> dict[int, list[Any]]:
    """Run `sql` (with an `{ids}` slot, yielding (id, value) rows) over ids in chunks."""
    result: dict[int, list[Any]] = defaultdict(list)
    for chunk in chunks(ids):
        for key, value in session.exec(text(sql.format(ids=id_list(chunk)))):
            result[key].append(value)
    return result
