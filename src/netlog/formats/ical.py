"""What is due, as an iCalendar file for calendar apps, through the `icalendar` package.

One all-day event per person coming due, per promise to keep and per ask to follow up,
and a yearly event per birthday. Google Calendar and iOS ignore VTODO, so events are
the default; `todo=True` writes VTODOs for task apps (birthdays stay events). UIDs are
stable (the contact's UID, the favor's id), so importing a newer file updates the
entries instead of adding duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from icalendar import Calendar, Event, Todo

PRODID = "-//netlog//netlog due//EN"


# How a repeating entry repeats: every year on its day, or on the last day of February
# (a Feb 29 birthday, on Feb 28 in other years).
RULES = {
    "yearly": {"freq": "yearly"},
    "yearly-end-of-february": {"freq": "yearly", "bymonth": 2, "bymonthday": -1},
}


def write_ics(entries: Iterable[Any], *, todo: bool = False, now: datetime | None = None) -> bytes:
    """Entries have `uid`, `day` (a date), `summary`, `description` and `repeat` (None or
    a key of RULES). Repeating entries are always events."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "netlog: who to contact")
    stamp = now or datetime.now(timezone.utc)
    for entry in entries:
        as_task = todo and entry.repeat is None
        item = Todo() if as_task else Event()
        item.add("uid", entry.uid)
        item.add("dtstamp", stamp)
        item.add("summary", entry.summary)
        item.add("description", entry.description)
        if as_task:
            item.add("due", entry.day)
            item.add("status", "NEEDS-ACTION")
        else:
            item.add("dtstart", entry.day)
            item.add("dtend", entry.day + timedelta(days=1))
            item.add("transp", "TRANSPARENT")  # a reminder, not a busy block
        if entry.repeat is not None:
            item.add("rrule", RULES[entry.repeat])
        calendar.add_component(item)
    return calendar.to_ical()
