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
from netlog.ledger import activity, contacts
from netlog.location import locate
from netlog.models import Contact


@contextmanager
def building(db_path: Path) -> Iterator[Builder]:
    with open_session(locate(str(db_path)), write=True, create=True) as session:
        yield Builder(session)


class Builder:
    def __init__(self, session) -> None:
        self.session = session

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
    ) -> Contact:
        """A contact met on `met` (that day's meeting recorded), or never met (no met_on)."""
        person = contacts.create_contact(
            self.session,
            name=name,
            circle=circle,
            source=source,
            met_on=met,
            cadence_days=cadence,
            birthday=birthday,
            tags=tags,
        )
        if met:
            activity.record_interaction(self.session, contacts=[person], on=met)
        if archived or snoozed_until:
            contacts.update_contact(
                self.session, person, {"archived": archived, "snoozed_until": snoozed_until}
            )
        return person

    def meet(self, *people: Contact, on: date, kind: str = "meeting", note: str | None = None):
        return activity.record_interaction(self.session, contacts=list(people), on=on, kind=kind, note=note)

    def favor(
        self,
        person: Contact,
        direction: str,
        *,
        on: date,
        weight: int = 1,
        status: str = "done",
        due: date | None = None,
        resolved_on: date | None = None,
        what: str = "a favor",
    ):
        favor = activity.record_favor(
            self.session,
            contact=person,
            direction=direction,
            description=what,
            on=on,
            weight=weight,
            status=status,
            due=due,
        )
        if resolved_on is not None:
            favor.resolved_on = resolved_on
            self.session.add(favor)
            self.session.flush()
        return favor

    def give(self, person: Contact, **kwargs):
        return self.favor(person, "given", **kwargs)

    def receive(self, person: Contact, **kwargs):
        return self.favor(person, "received", **kwargs)
