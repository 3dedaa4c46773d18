"""Small helpers that build ledgers directly through the ledger functions.

Scenario tests build a ledger with these, then ask the real CLI for reports,
so the expected answers (worked out by hand in each test) check the whole path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from netlog.db import open_session
from netlog.ledger import activity, contacts, write
from netlog.ledger.contacts import Found
from netlog.location import locate
from netlog.public import FavorPublic
from netlog.storage.reader import reader_of


@contextmanager
def building(db_path: Path) -> Iterator[Builder]:
    with open_session(locate(str(db_path)), write=True, create=True) as session:
        yield Builder(session)


class Builder:
    def __init__(self, session) -> None:
        self.session = session
        self.db = reader_of(session)

    def contact(
        self,
        name: str,
        *,
        met: date | None = None,
        circle: str = "active",
        cadence: int | None = None,
        birthday: tuple[int | None, int, int] | None = None,
        archived: bool = False,
        snoozed_until: date | None = None,
        source: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> Found:
        """A contact met on `met` (that day's meeting recorded), or never met (no met_on)."""
        new = write.NewContact(
            name=name,
            circle=circle,
            source=source,
            met_on=met,
            cadence_days=cadence,
            birthday=birthday,
            tags=tags,
            archived=archived,
            snoozed_until=snoozed_until,
        )
        added = write.add_contacts(self.session, [new])[0]
        if met:
            write.record_touches(self.session, [write.NewTouch(met, [added.id])])
        found = contacts.contact_by_id(self.db, added.id)
        assert found is not None
        return found

    def meet(self, *people: Found, on: date, kind: str = "meeting", note: str | None = None):
        touch = write.NewTouch(on, [p.id for p in people], kind, note)
        return activity.interaction_public(self.db, write.record_touches(self.session, [touch])[0])

    def favor(
        self,
        person: Found,
        direction: str,
        *,
        on: date,
        weight: int = 1,
        status: str = "done",
        due: date | None = None,
        resolved_on: date | None = None,
        what: str = "a favor",
    ) -> FavorPublic:
        favor = write.NewFavor(person.id, direction, what, on, weight, status, due, resolved_on)
        return activity.find_favor(self.db, write.record_favors(self.session, [favor])[0])

    def give(self, person: Found, **kwargs):
        return self.favor(person, "given", **kwargs)

    def receive(self, person: Found, **kwargs):
        return self.favor(person, "received", **kwargs)
