"""What is due, as an iCalendar file for calendar apps, through the `icalendar` package.

One all-day event per person to contact and per promise with a due date. Google
Calendar and iOS ignore VTODO, so events are the default; `todo=True` writes VTODOs
for task apps. UIDs are stable (the contact's UID, the favor's id), so importing a
newer file updates the entries instead of adding duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from icalendar import Calendar, Event, Todo

PRODID = "-//netlog//netlog due//EN"


def write_ics(entries: Iterable[Any], *, todo: bool = False, now: datetime | None = None) -> bytes:
    """Entries have `uid`, `day` (a date), `summary` and `description`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "netlog: who to contact")
    stamp = now or datetime.now(timezone.utc)
    for entry in entries:
        item = Todo() if todo else Event()
        item.add("uid", entry.uid)
        item.add("dtstamp", stamp)
        item.add("summary", entry.summary)
        item.add("description", entry.description)
        if todo:
            item.add("due", entry.day)
            item.add("status", "NEEDS-ACTION")
        else:
            item.add("dtstart", entry.day)
            item.add("dtend", entry.day + timedelta(days=1))
            item.add("transp", "TRANSPARENT")  # a reminder, not a busy block
        calendar.add_component(item)
    return calendar.to_ical()
