"""Dates and durations, always relative to an injected `today`.

`today()` is the one place that knows what day it is: it honours
`NETLOG_TODAY=YYYY-MM-DD`, so tests and users can ask what is due on another day.
Every parser takes `today` as a parameter instead of reading the clock.

Accepted dates: ISO (`2026-03-04`), `today`, `yesterday`, `tomorrow`, `3d ago`,
`2 weeks ago`, `in 2 weeks`, `last friday`, `next monday`, `last week`,
`next month`, and whatever dateutil reads unambiguously (`4 Mar 2026`, `March 4`).
`03/04/2026` is refused: it means March 4 in one country and April 3 in another.

Durations: `14d`, `2w`, `3m`, `1y` (or `14`, `2 weeks`, ...). As a number of days
(cadences) a month is 30 days and a year 365; added to a date they are calendar steps.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone

from netlog.errors import InvalidValue, quote

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_ABBR = {d[:3]: i for i, d in enumerate(WEEKDAYS)} | {d: i for i, d in enumerate(WEEKDAYS)}

_UNITS = {
    "d": "d",
    "day": "d",
    "days": "d",
    "w": "w",
    "wk": "w",
    "wks": "w",
    "week": "w",
    "weeks": "w",
    "m": "m",
    "mo": "m",
    "mon": "m",
    "month": "m",
    "months": "m",
    "y": "y",
    "yr": "y",
    "yrs": "y",
    "year": "y",
    "years": "y",
}
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_DURATION_RE = re.compile(rf"^(\d+|a|an|one|two|three|four|five|six)\s*({_UNIT_RE})?$")
_AGO_RE = re.compile(rf"^(\d+|a|an|one|two|three|four|five|six)\s*({_UNIT_RE})\s+ago$")
_IN_RE = re.compile(rf"^in\s+(\d+|a|an|one|two|three|four|five|six)\s*({_UNIT_RE})$")
_REL_RE = re.compile(r"^(last|next|this)\s+([a-z]+)$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")

# The days netlog accepts: a ledger of people alive now has no use for other
# centuries, and the limits keep date arithmetic far from the calendar's edges.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


class NotADate(InvalidValue):
    """Text that reads as no date at all (as opposed to an ambiguous or impossible one)."""


# A step larger than this is almost certainly a typo, and relativedelta would overflow on it.
_MAX_DAYS = 365 * 200


def today() -> date:
    """The date netlog treats as today: `NETLOG_TODAY` if set, else the local date."""
    forced = os.environ.get("NETLOG_TODAY", "").strip()
    if not forced:
        return date.today()
    try:
        day = date.fromisoformat(forced)
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        raise InvalidValue(
            f"NETLOG_TODAY={quote(forced)} is not a date from {EARLIEST.year} to {LATEST.year}: "
            "set it as YYYY-MM-DD, or unset it."
        )
    return day


def now() -> datetime:
    """A UTC timestamp for created/updated stamps, on `today()`'s date when it is forced."""
    stamp = datetime.now(timezone.utc)
    if os.environ.get("NETLOG_TODAY", "").strip():
        stamp = datetime.combine(today(), stamp.time(), tzinfo=timezone.utc)
    return stamp


def _count(word: str) -> int:
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)


def _step(base: date, n: int, unit: str) -> date:
    """Move `n` calendar units (d, w, m, y) from `base`; negative moves back."""
    from dateutil.relativedelta import relativedelta

    if abs(n) * _UNIT_DAYS[unit] > _MAX_DAYS:
        raise InvalidValue(f"{abs(n)}{unit} is too far from today: use at most 200 years.")
    try:
        if unit == "d":
            return base + timedelta(days=n)
        if unit == "w":
            return base + timedelta(weeks=n)
        if unit == "m":
            return base + relativedelta(months=n)
        return base + relativedelta(years=n)
    except (OverflowError, ValueError):
        raise InvalidValue(f"{abs(n)}{unit} from {base} is outside the calendar.") from None


def parse_duration_days(text: str) -> int:
    """`14d` -> 14, `2w` -> 14, `3m` -> 90, `1y` -> 365; a bare number is days."""
    n, unit = _parse_duration(text)
    days = n * _UNIT_DAYS[unit]
    if days > _MAX_DAYS:
        raise InvalidValue(f"{quote(text)} is too long: use at most 200 years.")
    return days


def _parse_duration(text: str) -> tuple[int, str]:
    m = _DURATION_RE.match(text.strip().lower())
    if not m:
        raise InvalidValue(f"{quote(text)} is not a duration: write it like 14d, 2w, 3m or 1y.")
    n = _count(m.group(1))
    if n <= 0:
        raise InvalidValue(f"{quote(text)} is not a positive duration: write it like 14d, 2w, 3m or 1y.")
    return n, _UNITS[m.group(2)] if m.group(2) else "d"


def add_duration(base: date, text: str) -> date:
    """`base` moved forward by a duration in calendar steps (`1m` from Jan 31 is Feb 28)."""
    n, unit = _parse_duration(text)
    return _step(base, n, unit)


def is_duration(text: str) -> bool:
    return bool(_DURATION_RE.match(text.strip().lower()))


def parse_date(text: str, *, today: date, past: bool = False, what: str = "date") -> date:
    """Read a date written by a person, relative to `today`.

    With `past=True` the date is of something that already happened: a date
    after `today` is an error, and a month and day without a year means the
    latest such day on or before today.
    """
    try:
        result = _parse_date(text, today=today, past=past)
    except (OverflowError, ValueError):  # arithmetic past the calendar's ends
        result = None
    if result is None or not EARLIEST <= result <= LATEST:
        raise InvalidValue(
            f"{what} {quote(text)} is not a date from {EARLIEST.year} to {LATEST.year}: "
            "use YYYY-MM-DD, today, 3d ago, last friday."
        )
    if past and result > today:
        raise InvalidValue(
            f"{what} {quote(text)} is {result.isoformat()}, after today ({today.isoformat()}): "
            "something that already happened can't be in the future."
        )
    return result


def parse_day_or_duration(text: str, *, today: date, what: str) -> date:
    """A day written as a date (`2026-04-01`, `next friday`) or as a duration from today (`2w`)."""
    if is_duration(text):
        return add_duration(today, text)
    try:
        return parse_date(text, today=today, what=what)
    except NotADate:
        raise InvalidValue(
            f"{what} {quote(text)} is neither a duration (3d, 2w, 3m) nor a date (2026-04-01, next monday)."
        ) from None


def parse_day_or_ago(text: str, *, today: date, what: str) -> date:
    """A day written as a date (`2026-04-01`, `last friday`) or as a duration back from
    today (`30d`: thirty days ago), as `log --since` takes it."""
    if is_duration(text):
        n, unit = _parse_duration(text)
        return _step(today, -n, unit)
    try:
        return parse_date(text, today=today, what=what)
    except NotADate:
        raise InvalidValue(
            f"{what} {quote(text)} is neither a date (2026-04-01, last friday) "
            "nor a duration back from today (30d, 2w, 3m)."
        ) from None


def _parse_date(text: str, *, today: date, past: bool) -> date:
    raw = text
    text = " ".join(text.strip().lower().split())
    if not text:
        raise InvalidValue("A date can't be empty: use YYYY-MM-DD, today, or 3d ago.")
    if text in ("today", "now"):
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "tomorrow":
        return today + timedelta(days=1)
    if m := _AGO_RE.match(text):
        return _step(today, -_count(m.group(1)), _UNITS[m.group(2)])
    if m := _IN_RE.match(text):
        return _step(today, _count(m.group(1)), _UNITS[m.group(2)])
    if m := _REL_RE.match(text):
        return _relative(m.group(1), m.group(2), today, raw)
    if text in _WEEKDAY_ABBR:
        day = WEEKDAYS[_WEEKDAY_ABBR[text]]
        raise InvalidValue(f'{quote(raw)} is ambiguous: write "last {day}" or "next {day}".')
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    return _parse_free_form(raw, text, today=today, past=past)


def _relative(which: str, what: str, today: date, raw: str) -> date:
    sign = {"last": -1, "next": 1, "this": 0}[which]
    if what in _WEEKDAY_ABBR:
        target = _WEEKDAY_ABBR[what]
        if sign == 0:  # this friday: the one in the current Monday-to-Sunday week
            return today + timedelta(days=target - today.weekday())
        if sign > 0:
            return today + timedelta(days=(target - today.weekday()) % 7 or 7)
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    if what in ("week", "month", "year"):
        return _step(today, sign, _UNITS[what])
    raise NotADate(f'{quote(raw)} is not a date: try "last friday", "next monday" or "last week".')


def _parse_free_form(raw: str, text: str, *, today: date, past: bool) -> date:
    from dateutil import parser

    if m := _NUMERIC_DMY.match(text):
        a, b = int(m.group(1)), int(m.group(2))
        if len(m.group(3)) == 2 or (a <= 12 and b <= 12 and a != b):
            # 26-03-04 could be 2026-03-04 or 2004-03-26; 03/04/2026 March or April.
            raise InvalidValue(f"{quote(raw)} is ambiguous: write it as YYYY-MM-DD.")
    # Parse twice with different defaults: a field that changes was not in the text.
    first = second = None
    try:
        first = parser.parse(text, default=datetime(2001, 1, 1))
        second = parser.parse(text, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError):
        pass
    if first is None or second is None:
        raise NotADate(f"{quote(raw)} is not a date: use YYYY-MM-DD, today, yesterday, 3d ago, last friday.")
    if first.day != second.day or first.month != second.month:
        raise InvalidValue(f"{quote(raw)} is not a whole date: give the day too, as YYYY-MM-DD.")
    if first.year == second.year:
        return first.date()
    # No year written: this year's, or with past=True the latest one not after today.
    try:
        candidate = date(today.year, first.month, first.day)
    except ValueError:  # Feb 29 outside a leap year
        raise InvalidValue(f"{quote(raw)} does not exist in {today.year}: give the year.") from None
    if past and candidate > today:
        try:
            candidate = date(today.year - 1, first.month, first.day)
        except ValueError:
            raise InvalidValue(f"{quote(raw)} needs a year: write it as YYYY-MM-DD.") from None
    return candidate


def parse_birthday(text: str, *, today: date | None = None) -> tuple[int | None, int, int]:
    """`MM-DD`, `--MMDD` (vCard) or `YYYY-MM-DD` -> (year or None, month, day).

    With `today`, a birthday after it is refused (nobody is born in the future).
    """
    value = text.strip()
    m = re.fullmatch(r"(?:(\d{4})-?|--)(\d{2})-?(\d{2})", value) or re.fullmatch(
        r"()(\d{1,2})-(\d{1,2})", value
    )
    if not m:
        raise InvalidValue(f"Birthday {quote(text)} is not MM-DD or YYYY-MM-DD (e.g. 03-14).")
    year = int(m.group(1)) if m.group(1) else None
    month, day = int(m.group(2)), int(m.group(3))
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 stays valid without a year
    except ValueError:
        raise InvalidValue(f"Birthday {quote(text)} is not a real day of the year.") from None
    if year is not None and (year < EARLIEST.year or (today is not None and date(year, month, day) > today)):
        raise InvalidValue(f"Birthday {quote(text)} has an unlikely year: give it as MM-DD without the year.")
    return year, month, day


def format_birthday(year: int | None, month: int | None, day: int | None) -> str | None:
    if month is None or day is None:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
