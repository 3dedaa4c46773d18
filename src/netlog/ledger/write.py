"""Every change to the ledger, in one place: the one write path.

add, edit, tag, archive, snooze, meet, give, ask, done, decline, the corrections, rm,
merge, config and import all change the ledger through these functions, built on the
SQLModel tables (models.py) and SQLAlchemy Core statements, inside the caller's one
transaction. Defaults and validation are here (and in ledger/values.py), once: an
imported contact is checked and given its handle, UID and summary row exactly as one
added by hand.

Batches are the unit: `add_contacts(session, contacts)` serves `add` (one) and `import`
(thousands, by executemany). New rows get their ids here, from an `Allocator` kept for
the whole command (the write transaction holds the write lock, so no one else can take
them): a contact's emails and tags then go in as batches too, and an import can keep
the ids of the file it reads.

What is kept alongside, in the same transaction:
- The summary (`contact_stats`, one row per contact). The write path creates a new
  contact's row with the contact; every later change to it is made by triggers on the
  interaction, link and favor tables (migrations.py). Triggers rather than Python
  because undo replays raw statements, and `check` and a second database's own
  triggers must give the same numbers: whatever changes a favor or a touch, the
  summary follows, and no function here can forget it.
  On PostgreSQL, thousands of touches or favors inserted at once have the summaries
  of their contacts rebuilt once, after them (`summaries_at_end`).
- The undo journal (ledger/journal.py). Changes to rows that were already there are
  journaled by triggers, one reversing statement per row. Rows this path inserts are
  journaled by the path itself, compactly: one `DELETE ... WHERE id IN (...)` per few
  thousand new rows (their emails, tags, links and summary rows go with them, by
  cascade), so a 100,000-contact import is undone by a few dozen statements.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, text, update
from sqlalchemy.sql import sqltypes

from netlog.errors import InvalidValue, quote
from netlog.formats.records import ENTRY_KINDS, NAME_PARTS
from netlog.ids import favor_ref, touch_ref
from netlog.ledger import card, journal
from netlog.ledger.contacts import Found, Removal, check_introduction, removal_preview, tags_of
from netlog.ledger.names import fold, next_free_handle, normalise_tag, slug, valid_handle
from netlog.ledger.rows import as_date, chunks, id_list, required_date, stamp
from netlog.ledger.settings import normalised, spec_of
from netlog.ledger.values import (
    TEXT_FIELDS,
    check_cadence,
    check_choice,
    check_description,
    check_name,
    check_name_part,
    check_text,
    check_weight,
)
from netlog.models import (
    Contact,
    ContactStats,
    ContactTag,
    Detail,
    Email,
    Favor,
    Interaction,
    InteractionContact,
    Introduction,
    Knows,
    NeedOffer,
    NeedOfferTag,
    Setting,
    Tag,
)
from netlog.public import AddressPublic, EmailPublic, EventPublic, FavorPublic, PhonePublic, UrlPublic
from netlog.storage import dialect
from netlog.storage.reader import Reader, reader_of
from netlog.vocab import Circle, Direction, Kind, Source, Status


def _table(model: Any) -> Table:
    return model.__table__


CONTACT = _table(Contact)
EMAIL = _table(Email)
DETAIL = _table(Detail)
TAG = _table(Tag)
CONTACT_TAG = _table(ContactTag)
STATS = _table(ContactStats)
INTERACTION = _table(Interaction)
LINK = _table(InteractionContact)
FAVOR = _table(Favor)
SETTING = _table(Setting)
INTRODUCTION = _table(Introduction)
KNOWS = _table(Knows)
NEED = _table(NeedOffer)
NEED_TAG = _table(NeedOfferTag)

# Tags no contact uses any more; one index probe per tag (ix_contact_tag_tag).
DROP_UNUSED_TAGS = "DELETE FROM tag WHERE NOT EXISTS (SELECT 1 FROM contact_tag ct WHERE ct.tag_id = tag.id)"
# A UID netlog keeps as it came (vCard, its own export): printable, no spaces, not huge.
UID = re.compile(r"[A-Za-z0-9._:@+/=-]{1,200}")
_BATCH = 5000  # rows per executemany


def new_uid() -> str:
    """A random (version 4) UUID as text; os.urandom directly is twice uuid4()'s speed."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _utc(value: datetime) -> datetime:
    """A timestamp in UTC (one without an offset is taken to be UTC already); the
    tables store it as UTC text."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


# --- Ids and handles for new rows ------------------------------------------------------------


class Allocator:
    """Ids and handles for the rows one command inserts.

    A new row takes the id it brings (an import of netlog's own export keeps its ids)
    when that id is free, else the next one after the highest the table has ever given
    (deleted rows included: ids are never given twice). Handles come from the name, or
    the one asked for when it is valid, made unique with -2, -3...
    """

    def __init__(self, db: Reader, *, handles: Iterable[str] | None = None) -> None:
        self.db = db
        # Every handle in the ledger, when the caller has them all (an import); else each
        # name's family of handles is looked up as needed.
        self._handles: set[str] | None = set(handles) if handles is not None else None
        self._new_handles: set[str] = set()
        self._next: dict[str, int] = {}
        self._taken: dict[str, set[int]] = defaultdict(set)
        self._existing: dict[str, set[int]] = {}
        self.tag_ids: dict[str, int] | None = None

    def assign(self, contact: NewContact) -> NewContact:
        """Give a checked contact its id and handle (the ones it brings, when free), in
        place. An import assigns them as it reads, so later records can refer to a contact
        before it is written (then add_contacts(..., assigned=True))."""
        contact.id = self.take("contact", contact.id)
        contact.handle = self.handle(contact.name, contact.handle)
        return contact

    def handle(self, name: str, wanted: str | None = None) -> str:
        wanted = wanted.strip().lower() if wanted else None
        base = wanted if wanted and valid_handle(wanted) else slug(name)
        if self._handles is not None:
            taken = self._handles
        else:
            rows = self.db.rows(
                "SELECT handle FROM contact WHERE handle = :b OR handle LIKE :p ESCAPE '\\'",
                {"b": base, "p": dialect.like_pattern(base, prefix="", suffix="-%")},
            )
            taken = {row.handle for row in rows} | self._new_handles
        handle = next_free_handle(base, taken)
        (self._handles if self._handles is not None else self._new_handles).add(handle)
        return handle

    def take(self, table: str, wanted: int | None = None) -> int:
        taken = self._taken[table]
        if (
            wanted is not None
            and 0 < wanted < 2**62
            and wanted not in taken
            and not self._exists(table, wanted)
        ):
            taken.add(wanted)
            self._next[table] = max(self._next_id(table), wanted + 1)
            return wanted
        new = self._next_id(table)
        while new in taken:
            new += 1
        taken.add(new)
        self._next[table] = new + 1
        return new

    def _next_id(self, table: str) -> int:
        if table not in self._next:
            self._next[table] = (self.db.scalar(dialect.highest_id_sql(table)) or 0) + 1
        return self._next[table]

    def _exists(self, table: str, wanted: int) -> bool:
        if len(self._taken[table]) < 50:  # a few records with their own ids: ask each time
            return self.db.first(f"SELECT 1 FROM {table} WHERE id = :i", {"i": wanted}) is not None
        if table not in self._existing:  # many: read the ids once
            self._existing[table] = {row.id for row in self.db.each(f"SELECT id FROM {table}")}
        return wanted in self._existing[table]

    def tag_id(self, session: Any, name: str) -> int:
        """The id of the tag `name`, created if no contact has it yet."""
        if self.tag_ids is None:
            self.tag_ids = {row.name: row.id for row in self.db.rows("SELECT name, id FROM tag")}
        if name not in self.tag_ids:
            tag_id = self.take("tag")
            _insert_new(session, TAG, [{"id": tag_id, "name": name}])
            self.tag_ids[name] = tag_id
        return self.tag_ids[name]


def _insert_many(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys (columns of the model's table; the others
    take the table's defaults), in batches, straight to the driver's executemany.
    SQLAlchemy's own executemany processes every value of every row in Python: it was
    most of a large import's time. On SQLite, values are put in the form SQLAlchemy's
    column types store them."""
    if not rows:
        return
    keys = list(rows[0])  # every row has these keys in this order (row.values() is used)
    columns = [table.c[key] for key in keys]  # a KeyError for a key the model does not have
    quote_name = conn.dialect.identifier_preparer.quote
    style = conn.dialect.paramstyle
    positional = style in ("qmark", "format")
    if positional:
        marks = ["?" if style == "qmark" else "%s"] * len(keys)
    else:
        marks = [f"%({k})s" if style == "pyformat" else f":{k}" for k in keys]
    sql = (
        f"INSERT INTO {quote_name(table.name)} ({', '.join(quote_name(c.name) for c in columns)}) "
        f"VALUES ({', '.join(marks)})"
    )
    # Only the columns whose type SQLAlchemy would convert are converted, on SQLite.
    sqlite = conn.dialect.name == "sqlite"
    store = [_storage_of(c) if sqlite else None for c in columns]
    plain = not any(store)
    converted = [(i, put) for i, put in enumerate(store) if put is not None]
    for part in chunks(rows, _BATCH):
        if not positional:
            params: list[Any] = list(part)
        elif plain:
            params = [tuple(row.values()) for row in part]
        else:  # convert only the columns that need it: most values go as they are
            params = []
            for row in part:
                values = list(row.values())
                for i, put in converted:
                    values[i] = put(values[i])
                params.append(tuple(values))
        conn.exec_driver_sql(sql, params)


def _storage_of(column: Any) -> Any:
    """How SQLAlchemy's SQLite type for the column stores a value, when not as it is."""
    kind = column.type
    if isinstance(kind, sqltypes.DateTime):
        return _stored
    if isinstance(kind, sqltypes.Date | sqltypes.Boolean):
        return _stored
    return None


def _stored(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite types store it: a date as ISO text, a timestamp as
    UTC text with microseconds, a boolean as 0 or 1."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _insert_new(
    session: Any,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    children: Sequence[tuple[Table, list[dict[str, Any]]]] = (),
) -> None:
    """Insert new rows (ids given) and rows that belong to them; journaled for undo as
    DELETEs of the new rows by id, a few thousand ids a statement (the rows that belong
    to them go by cascade)."""
    if not rows:
        return
    if "member" in table.c and "member" not in rows[0]:  # who recorded it (journal.member_of)
        me = journal.member_of(session)
        rows = [{**row, "member": me} for row in rows]
    conn = session.connection()
    command = journal.pause(session)
    try:
        _insert_many(conn, table, rows)
        for child, child_rows in children:
            _insert_many(conn, child, child_rows)
    finally:
        journal.resume(session, command)
    journal.record(session, command, journal.delete_rows(table.name, [row["id"] for row in rows]))


# From this many touches or favors in one insert, on PostgreSQL, the summaries of their
# contacts are rebuilt after them rather than row by row (summaries_at_end).
SUMMARIES_AT_END_FROM = 2000


@contextmanager
def summaries_at_end(
    session: Any, contact_ids: Iterable[int], rows: int, tables: Sequence[str]
) -> Iterator[None]:
    """Insert `rows` touches or favors of the contacts `contact_ids` into `tables` in the
    block; on PostgreSQL, from SUMMARIES_AT_END_FROM rows, the triggers that keep the
    summaries as rows arrive wait (migration m014; this transaction only), and the
    contacts' summaries are rebuilt from their rows at the end, in the same transaction.
    Row by row, each update of a summary row leaves a version of it until the
    transaction ends, and each later one reads past them all: moving a 200,000-touch
    ledger to a server took 40 minutes. In a file, SQLite updates the row in place: the
    triggers keep up.

    Then the server's statistics of those tables are brought up to date (ANALYZE; the
    server skips the tables of a member, who does not own them, with a notice netlog
    does not show, and autovacuum does it within a minute or so): planned
    with the statistics of the tables before the rows, `check` took 100 s on the moved
    bench ledger instead of 6."""
    conn = session.connection()
    if conn.dialect.name != "postgresql" or rows < SUMMARIES_AT_END_FROM:
        yield
        return
    from netlog.migrations import recompute_contacts_sql

    conn.exec_driver_sql("SELECT set_config('netlog.summaries', 'later', true)")
    yield  # on an error the transaction is rolled back, the setting with it
    conn.exec_driver_sql("SELECT set_config('netlog.summaries', '', true)")
    for part in chunks(sorted(set(contact_ids)), 5000):  # the summary tables are not journaled
        for statement in recompute_contacts_sql(id_list(part)):
            conn.exec_driver_sql(statement)
    summaries = ("contact_stats", "member_stats", "touch_day", "met_pair")
    conn.exec_driver_sql(f"ANALYZE {', '.join((*tables, *summaries))}")  # a member's: skipped, with a notice


# --- Contacts --------------------------------------------------------------------------------


@dataclass(slots=True)
class NewContact:
    """A contact to add, as `add` or an import gives it; `checked()` makes it one to store."""

    name: str
    emails: Sequence[str] = ()
    tags: Sequence[str] = ()
    phone: str | None = None
    org: str | None = None
    title: str | None = None
    location: str | None = None
    url: str | None = None
    notes: str | None = None
    circle: str | None = None  # None: "active"
    source: str | None = None
    met_on: date | None = None
    via_id: int | None = None
    cadence_days: int | None = None
    birthday: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    archived: bool = False
    snoozed_until: date | None = None
    first_due: date | None = None
    handle: str | None = None  # wanted; the name's slug when missing or not valid
    uid: str | None = None  # kept when given and valid (the caller checks it is free)
    id: int | None = None  # wanted; kept when free
    created_at: datetime | None = None
    updated_at: datetime | None = None
    name_key: str | None = None  # the name folded for look-ups: set by checked()
    name_prefix: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    name_suffix: str | None = None
    nickname: str | None = None
    # The card's labelled entries. `emails`, `phone` and `url` alone (older files, the
    # formats that have one of each) are added to these by checked(), which leaves
    # `emails` the addresses and `phone` and `url` the preferred ones.
    email_addresses: Sequence[EmailPublic] = ()
    phone_numbers: Sequence[PhonePublic] = ()
    addresses: Sequence[AddressPublic] = ()
    urls: Sequence[UrlPublic] = ()
    events: Sequence[EventPublic] = ()


def checked(contact: NewContact) -> NewContact:
    """The contact with every value as the ledger stores it, or InvalidValue."""
    got = card.entries(
        emails=contact.email_addresses,
        plain_emails=contact.emails,
        phones=contact.phone_numbers,
        phone=contact.phone,
        addresses=contact.addresses,
        urls=contact.urls,
        url=contact.url,
        events=contact.events,
    )
    tags: dict[str, None] = {}
    for raw in contact.tags:
        tag = normalise_tag(raw)
        if not tag:
            raise InvalidValue("A tag can't be empty.")
        tags[tag] = None
    c = contact
    name = check_name(c.name)
    return NewContact(  # a new object, not replace(): an import checks 100,000 of them
        name=name,
        emails=[e.address for e in got.email_addresses],
        tags=list(tags),
        phone=got.phone,
        org=check_text(c.org, "org"),
        title=check_text(c.title, "title"),
        location=check_text(c.location, "location"),
        url=got.url,
        notes=check_text(c.notes, "notes"),
        circle=check_choice(c.circle, Circle, "circle") or "active",
        source=check_choice(c.source, Source, "source"),
        met_on=c.met_on,
        via_id=c.via_id,
        cadence_days=check_cadence(c.cadence_days),
        birthday=c.birthday,
        archived=c.archived,
        snoozed_until=c.snoozed_until,
        first_due=c.first_due,
        handle=c.handle,
        uid=c.uid if c.uid and UID.fullmatch(c.uid) else None,
        id=c.id,
        created_at=c.created_at,
        updated_at=c.updated_at,
        name_key=fold(name),
        **{part: check_name_part(getattr(c, part), part) for part in NAME_PARTS},
        email_addresses=got.email_addresses,
        phone_numbers=got.phone_numbers,
        addresses=got.addresses,
        urls=got.urls,
        events=got.events,
    )


@dataclass
class Added:
    id: int
    handle: str
    uid: str


def add_contacts(
    session: Any,
    contacts: Sequence[NewContact],
    *,
    allocator: Allocator | None = None,
    assigned: bool = False,
    now: datetime | None = None,
    via_favors: bool = True,
) -> list[Added]:
    """Insert contacts with their emails, tags and summary rows, in the order given, and
    the favor each introducer did you (sync_via_favors; an import does that at its end,
    after the favors of its file, with `via_favors=False`). With `assigned`, each is
    already checked and has its id and handle from `allocator.assign`."""
    ids = allocator or Allocator(reader_of(session))
    created = _utc(stamp(now))
    added: list[Added] = []
    for part in chunks(contacts, _BATCH):
        added += _add_batch(session, part, ids, assigned, created)
    if via_favors:
        introduced = [a.id for a, c in zip(added, contacts, strict=True) if c.via_id is not None]
        sync_via_favors(session, introduced, allocator=ids, now=now)
    return added


def _add_batch(
    session: Any, contacts: Sequence[NewContact], ids: Allocator, assigned: bool, created: datetime
) -> list[Added]:
    rows, emails, details, links, stats, added = [], [], [], [], [], []
    for given in contacts:
        c = given if assigned else ids.assign(checked(given))
        cid, handle = c.id, c.handle
        assert cid is not None and handle is not None
        uid = c.uid or new_uid()
        year, month, day = c.birthday or (None, None, None)
        born = _utc(c.created_at) if c.created_at else created
        rows.append(
            {
                "id": cid,
                "handle": handle,
                "name": c.name,
                "name_key": c.name_key or fold(c.name),
                "phone": c.phone,
                "org": c.org,
                "title": c.title,
                "location": c.location,
                "circle": c.circle,
                "source": c.source,
                "met_on": c.met_on,
                "via_id": c.via_id,
                "cadence_days": c.cadence_days,
                "birthday_year": year,
                "birthday_month": month,
                "birthday_day": day,
                "notes": c.notes,
                "archived": c.archived,
                "created_at": born,
                "updated_at": _utc(c.updated_at) if c.updated_at else born,
                "snoozed_until": c.snoozed_until,
                "url": c.url,
                "uid": uid,
                "first_due": c.first_due,
                **{part: getattr(c, part) for part in NAME_PARTS},
            }
        )
        emails += _email_rows(cid, c.email_addresses or [EmailPublic(a) for a in c.emails])
        details += _detail_rows(cid, c)
        links += [{"contact_id": cid, "tag_id": ids.tag_id(session, tag)} for tag in c.tags]
        stats.append({"contact_id": cid})
        added.append(Added(cid, handle, uid))
    children = [(STATS, stats), (EMAIL, emails), (DETAIL, details), (CONTACT_TAG, links)]
    _insert_new(session, CONTACT, rows, children=children)
    return added


_NO_ADDRESS = dict.fromkeys(card.ADDRESS_PARTS)
# The detail table's kinds, by the JSON key of their entries.
_DETAIL_KINDS = {"phone_numbers": "phone", "addresses": "address", "urls": "url", "events": "event"}


def _email_rows(cid: int, emails: Iterable[EmailPublic]) -> list[dict[str, Any]]:
    return [
        {"contact_id": cid, "address": e.address, "label": e.label, "preferred": e.preferred} for e in emails
    ]


def _detail_rows(cid: int, c: Any) -> list[dict[str, Any]]:
    """The detail table's rows for a contact's phones, addresses, links and dates (all
    with the same keys, for _insert_many)."""
    rows = []
    for name, kind in _DETAIL_KINDS.items():
        for item in getattr(c, name):
            value = (
                item.number if kind == "phone" else item.url if kind == "url" else getattr(item, "date", None)
            )
            parts = (
                {part: getattr(item, part) for part in card.ADDRESS_PARTS}
                if kind == "address"
                else _NO_ADDRESS
            )
            preferred = bool(getattr(item, "preferred", False))
            rows.append(
                {
                    "contact_id": cid,
                    "kind": kind,
                    "label": item.label,
                    "value": value,
                    "preferred": preferred,
                    **parts,
                }
            )
    return rows


def _entries_of(session: Any, contact_id: int) -> dict[str, list[Any]]:
    """A contact's entries now, by their JSON keys."""
    from netlog.ledger.contacts import entries_of

    got = entries_of(reader_of(session), [contact_id]).get(contact_id) or card.Entries()
    return {kind: getattr(got, kind) for kind in ENTRY_KINDS}


def replace_entries(session: Any, contact_id: int, kinds: Mapping[str, Sequence[Any]]) -> list[str]:
    """Replace some of a contact's entries: keys are email_addresses, phone_numbers,
    addresses, urls and events; each value is checked as `add` checks it. Returns the
    kinds that changed."""
    wanted: dict[str, Sequence[Any]] = dict(_entries_of(session, contact_id))
    before = {kind: list(items) for kind, items in wanted.items()}
    wanted.update(kinds)
    got = _checked_entries(wanted)
    changed = [kind for kind in kinds if getattr(got, kind) != before[kind]]
    if changed:
        _store_entries(session, contact_id, got, replace=set(changed))
    return changed


def add_entries(
    session: Any,
    contact_id: int,
    given: Mapping[str, Sequence[Any]],
    *,
    prefer: bool = False,
    relabel: bool = False,
) -> list[str]:
    """Add the entries a contact does not have yet (what counts as the same is
    card.entries' rule); with `prefer`, the first given of each kind becomes the preferred
    one; with `relabel`, one it has already takes the label given (else only a label it
    lacks). Returns the kinds that changed."""
    old = _entries_of(session, contact_id)
    snapshot = {kind: [replace(item) for item in items] for kind, items in old.items()}
    new = _checked_entries({kind: given.get(kind, ()) for kind in old})
    combined: dict[str, list[Any]] = {}
    changed = []
    for kind, items in old.items():
        fresh = list(getattr(new, kind))
        if not fresh:
            continue
        by_key = {_same_key(item): item for item in items}
        for item in fresh:
            had = by_key.get(_same_key(item))
            if had is not None and item.label is not None and (relabel or had.label is None):
                had.label = item.label  # the entry stays as it was written; its label changes
        if kind != "events":  # dates have no preferred one
            chosen = _same_key(fresh[0]) if prefer else None
            for item in [*items, *fresh]:
                item.preferred = (_same_key(item) == chosen) if prefer else (item.preferred and item in items)
        combined[kind] = [*items, *fresh]
    merged = _checked_entries({**old, **combined})
    for kind in combined:
        if getattr(merged, kind) != snapshot[kind]:
            changed.append(kind)
    if changed:
        _store_entries(session, contact_id, merged, replace=set(changed))
    return changed


def _same_key(item: Any) -> Any:
    if isinstance(item, EmailPublic):
        return item.address.casefold()
    if isinstance(item, PhonePublic):
        return card.phone_key(item.number)
    if isinstance(item, UrlPublic):
        return item.url.casefold().rstrip("/")
    if isinstance(item, AddressPublic):
        return tuple((getattr(item, p) or "").casefold() for p in card.ADDRESS_PARTS)
    return (item.label, item.date)


def _checked_entries(kinds: Mapping[str, Sequence[Any]]) -> card.Entries:
    return card.entries(
        emails=[replace(e) for e in kinds.get("email_addresses", ())],
        phones=[replace(p) for p in kinds.get("phone_numbers", ())],
        addresses=[replace(a) for a in kinds.get("addresses", ())],
        urls=[replace(u) for u in kinds.get("urls", ())],
        events=[replace(e) for e in kinds.get("events", ())],
    )


def _store_entries(session: Any, contact_id: int, got: card.Entries, *, replace: set[str]) -> None:
    """Write the kinds named in `replace` from `got`, and keep `contact.phone` and
    `contact.url` the preferred phone and link."""
    if "email_addresses" in replace:
        session.execute(delete(EMAIL).where(EMAIL.c.contact_id == contact_id))
        if got.email_addresses:
            session.execute(insert(EMAIL), _email_rows(contact_id, got.email_addresses))
    kinds = [kind for name, kind in _DETAIL_KINDS.items() if name in replace]
    if kinds:
        session.execute(delete(DETAIL).where(DETAIL.c.contact_id == contact_id, DETAIL.c.kind.in_(kinds)))
        only = card.Entries(**{name: getattr(got, name) for name in _DETAIL_KINDS if name in replace})
        rows = _detail_rows(contact_id, only)
        if rows:
            session.execute(insert(DETAIL), rows)
    mirrors = {}
    if "phone_numbers" in replace:
        mirrors["phone"] = got.phone
    if "urls" in replace:
        mirrors["url"] = got.url
    if mirrors:
        session.execute(update(CONTACT).where(CONTACT.c.id == contact_id).values(**mirrors))


def change_tags(
    session: Any,
    contact_id: int,
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    allocator: Allocator | None = None,
) -> list[str]:
    """Add and remove tags by name (tags no contact uses any more are dropped); returns
    the tags added."""
    ids = allocator or Allocator(reader_of(session))
    current = tags_of(ids.db, contact_id)
    added: list[str] = []
    for raw in add:
        name = normalise_tag(raw)
        if not name:
            raise InvalidValue("A tag can't be empty.")
        if name not in current:
            current.add(name)
            added.append(name)
            session.execute(
                insert(CONTACT_TAG).values(contact_id=contact_id, tag_id=ids.tag_id(session, name))
            )
    gone = [name for name in (normalise_tag(raw) for raw in remove) if name in current]
    if gone:
        session.execute(
            delete(CONTACT_TAG).where(
                CONTACT_TAG.c.contact_id == contact_id,
                CONTACT_TAG.c.tag_id.in_(
                    TAG.select().with_only_columns(TAG.c.id).where(TAG.c.name.in_(gone))
                ),
            )
        )
        session.execute(text(DROP_UNUSED_TAGS))
    return added


def update_contact(
    session: Any, contact_id: int, changes: dict[str, Any], *, now: datetime | None = None
) -> None:
    """Apply changes to a contact (and stamp it updated). Keys are its columns, plus
    `emails` and `tags` (replacing them), `birthday` ((year, month, day) or None) and
    `via` (a Found or None), and the entries replace_entries takes; `phone` and `url`
    make that number or link the preferred one (None removes them all). Every value is
    checked as `add` checks it."""
    db = reader_of(session)
    values: dict[str, Any] = {}
    lists: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            values["name"] = check_name(value)
            values["name_key"] = fold(values["name"])
        elif key == "handle":
            if not valid_handle(value):
                raise InvalidValue(
                    f"Handle {quote(value)} must be lowercase letters, digits and single hyphens, "
                    'not only digits, and not "me", which is you (e.g. jane-doe).'
                )
            clash = db.first("SELECT id, name FROM contact WHERE handle = :h", {"h": value})
            if clash is not None and clash.id != contact_id:
                raise InvalidValue(f"Handle {quote(value)} is taken by {clash.name}.")
            values["handle"] = value
        elif key == "phone":  # the phone: kept first and preferred, or all of them gone
            if value is None:
                lists["phone_numbers"] = []
            else:
                add_entries(session, contact_id, {"phone_numbers": [PhonePublic(value)]}, prefer=True)
        elif key == "url":
            if value is None:
                lists["urls"] = []
            else:
                add_entries(session, contact_id, {"urls": [UrlPublic(value)]}, prefer=True)
        elif key in ENTRY_KINDS:
            lists[key] = value
        elif key in NAME_PARTS:
            values[key] = check_name_part(value, key)
        elif key in TEXT_FIELDS:
            values[key] = check_text(value, key)
        elif key == "circle":
            values["circle"] = check_choice(value, Circle, "circle") or "active"
        elif key == "source":
            values["source"] = check_choice(value, Source, "source")
        elif key == "via":
            if value is not None:
                check_introduction(db, contact_id, value)
            values["via_id"] = value.id if value is not None else None
        elif key == "via_id":
            values["via_id"] = value
        elif key == "cadence_days":
            values["cadence_days"] = check_cadence(value)
        elif key == "birthday":
            year, month, day = value or (None, None, None)
            values |= {"birthday_year": year, "birthday_month": month, "birthday_day": day}
        elif key in (
            "birthday_year",
            "birthday_month",
            "birthday_day",
            "met_on",
            "snoozed_until",
            "first_due",
        ):
            values[key] = value
        elif key == "archived":
            values["archived"] = bool(value)
        elif key == "emails":
            lists["email_addresses"] = [EmailPublic(address) for address in value]
        elif key == "tags":
            current = tags_of(db, contact_id)
            wanted = {normalise_tag(t) for t in value}
            change_tags(session, contact_id, add=sorted(wanted - current), remove=current - wanted)
        else:  # pragma: no cover - a programming error, not user input
            raise ValueError(f"unknown field {key}")
    if lists:
        replace_entries(session, contact_id, lists)
    values["updated_at"] = _utc(stamp(now))
    session.execute(update(CONTACT).where(CONTACT.c.id == contact_id).values(**values))
    if {"via_id", "met_on"} & values.keys():
        sync_via_favors(session, [contact_id], now=now)


def sync_via_favors(
    session: Any,
    contact_ids: Sequence[int],
    *,
    allocator: Allocator | None = None,
    now: datetime | None = None,
) -> None:
    """Make each contact's `via` a favor received from the introducer: weight
    rules.INTRO_WEIGHT, done on the day you met (or were added), "introduced you to
    <name>", linked by `introduced_id`. Changing the introducer moves the favor to them,
    changing the day you met moves its day, clearing it deletes the favor; its weight and
    description stay as the user may have corrected them."""
    from netlog.ledger.rules import INTRO_WEIGHT

    if not contact_ids:
        return
    db = reader_of(session)
    new: list[NewFavor] = []
    for part in chunks(list(dict.fromkeys(contact_ids))):
        ids = id_list(part)
        day_sql = f"coalesce(met_on, {dialect.date_of('created_at')})"
        wanted = db.rows(f"SELECT id, name, via_id, {day_sql} AS day FROM contact WHERE id IN ({ids})")
        have: dict[int, list[Any]] = defaultdict(list)
        for row in db.rows(
            "SELECT id, contact_id, introduced_id, date FROM favor WHERE direction = 'received' "
            f"AND introduction_id IS NULL AND introduced_id IN ({ids}) ORDER BY id"
        ):
            have[row.introduced_id].append(row)
        for contact in wanted:
            day = required_date(contact.day)
            favors = have.get(contact.id, [])
            extra = favors[1:] if contact.via_id is not None else favors
            if extra:
                session.execute(delete(FAVOR).where(FAVOR.c.id.in_([f.id for f in extra])))
            if contact.via_id is None:
                continue
            if not favors:
                new.append(
                    NewFavor(
                        contact.via_id, "received", f"introduced you to {contact.name}", day,
                        INTRO_WEIGHT, "done", introduced_id=contact.id,
                    )
                )  # fmt: skip
            elif favors[0].contact_id != contact.via_id or as_date(favors[0].date) != day:
                session.execute(
                    update(FAVOR)
                    .where(FAVOR.c.id == favors[0].id)
                    .values(contact_id=contact.via_id, date=day, resolved_on=day)
                )
    record_favors(session, new, allocator=allocator, now=now)


def fill_in(session: Any, column: str, values: Mapping[int, Any]) -> None:
    """Set one column on contacts this command added, where the value is known only once
    they are all in (an import's late introductions and first due days). Not stamped as
    an update, since nothing the user gave changed, and not journaled: undoing the
    command deletes these contacts."""
    if not values:
        return
    assert column in ("via_id", "first_due")
    conn = session.connection()
    command = journal.pause(session)
    try:
        if conn.dialect.paramstyle == "qmark":  # SQLite: straight to the driver, as _insert_many
            quote_name = conn.dialect.identifier_preparer.quote
            put = _storage_of(CONTACT.c[column])
            sql = f"UPDATE {quote_name(CONTACT.name)} SET {quote_name(column)} = ? WHERE id = ?"
            rows = [(v if put is None else put(v), k) for k, v in values.items()]
            for part in chunks(rows, _BATCH):
                conn.exec_driver_sql(sql, list(part))
        else:
            target = CONTACT.c.id == bindparam("cid")
            statement = update(CONTACT).where(target).values({column: bindparam("value")})
            conn.execute(statement, [{"cid": k, "value": v} for k, v in values.items()])
    finally:
        journal.resume(session, command)


def remove_contact(session: Any, contact_id: int) -> Removal:
    """Delete a contact, its favors, its links to interactions, and the interactions left
    with no one; contacts it introduced keep no introducer."""
    db = reader_of(session)
    preview = removal_preview(db, contact_id)
    # The summary row goes first: each link or favor deleted below would otherwise
    # recompute it from the rows left, which is quadratic for a busy contact.
    session.execute(delete(STATS).where(STATS.c.contact_id == contact_id))
    session.execute(delete(FAVOR).where(FAVOR.c.contact_id == contact_id))
    linked = [
        row.interaction_id
        for row in db.rows(
            "SELECT interaction_id FROM interaction_contact WHERE contact_id = :c", {"c": contact_id}
        )
    ]
    session.execute(delete(LINK).where(LINK.c.contact_id == contact_id))
    for part in chunks(linked):
        session.execute(
            text(
                f"DELETE FROM interaction WHERE id IN ({id_list(part)}) AND NOT EXISTS "
                "(SELECT 1 FROM interaction_contact ic WHERE ic.interaction_id = interaction.id)"
            )
        )
    session.execute(delete(EMAIL).where(EMAIL.c.contact_id == contact_id))
    session.execute(delete(DETAIL).where(DETAIL.c.contact_id == contact_id))
    session.execute(delete(CONTACT_TAG).where(CONTACT_TAG.c.contact_id == contact_id))
    session.execute(update(CONTACT).where(CONTACT.c.via_id == contact_id).values(via_id=None))
    # Introductions to them go; favors that introduced others to them stay, done.
    session.execute(update(FAVOR).where(FAVOR.c.introduced_id == contact_id).values(introduced_id=None))
    session.execute(
        delete(INTRODUCTION).where((INTRODUCTION.c.a_id == contact_id) | (INTRODUCTION.c.b_id == contact_id))
    )
    session.execute(delete(KNOWS).where((KNOWS.c.a_id == contact_id) | (KNOWS.c.b_id == contact_id)))
    # Their needs and offers go; a need they met stays met, by someone not said.
    session.execute(delete(NEED_TAG).where(NEED_TAG.c.need_offer_id.in_(
        NEED.select().with_only_columns(NEED.c.id).where(NEED.c.contact_id == contact_id))))  # fmt: skip
    session.execute(delete(NEED).where(NEED.c.contact_id == contact_id))
    session.execute(update(NEED).where(NEED.c.met_by_id == contact_id).values(met_by_id=None))
    session.execute(delete(CONTACT).where(CONTACT.c.id == contact_id))
    session.execute(text(DROP_UNUSED_TAGS))
    return preview


_ADDRESS_COLUMNS = ", ".join(card.ADDRESS_PARTS)
# Two detail rows say the same thing (a merge keeps one): text compared without case.
_SAME_DETAIL = " AND ".join(
    f"coalesce(lower(k.{column}), '') = coalesce(lower(d.{column}), '')"
    for column in ("value", *card.ADDRESS_PARTS)
)


# A stated tie moved to the contact kept, as the pair (smaller id, larger id).
_LOW = dialect.smaller(":keep", "o.other")
_HIGH = dialect.larger(":keep", "o.other")


def move_contact_rows(session: Any, keep_id: int, duplicate_id: int) -> None:
    """Give the duplicate's emails, tags, touches, favors and introductions to the
    contact kept (what both had counts once); the duplicate is left with none of them,
    ready for remove_contact."""
    params = {"keep": keep_id, "dup": duplicate_id}
    # The duplicate's summary row goes first, so moving its links and favors does not
    # recompute it row by row; the kept contact's summary is updated as they arrive.
    for statement in (
        "DELETE FROM contact_stats WHERE contact_id = :dup",
        "INSERT INTO email (contact_id, address, label, preferred) SELECT :keep, address, label, FALSE "
        "FROM email WHERE contact_id = :dup AND lower(address) NOT IN "
        "(SELECT lower(address) FROM email WHERE contact_id = :keep) ORDER BY id",
        f"INSERT INTO detail (contact_id, kind, label, value, preferred, {_ADDRESS_COLUMNS}) "
        f"SELECT :keep, kind, label, value, FALSE, {_ADDRESS_COLUMNS} FROM detail d WHERE contact_id = :dup "
        f"AND NOT EXISTS (SELECT 1 FROM detail k WHERE k.contact_id = :keep AND k.kind = d.kind AND "
        f"{_SAME_DETAIL}) ORDER BY id",
        "INSERT INTO contact_tag (contact_id, tag_id) SELECT :keep, tag_id FROM contact_tag "
        "WHERE contact_id = :dup AND tag_id NOT IN (SELECT tag_id FROM contact_tag WHERE contact_id = :keep)",
        "UPDATE interaction_contact SET contact_id = :keep WHERE contact_id = :dup AND interaction_id NOT IN "
        "(SELECT interaction_id FROM interaction_contact WHERE contact_id = :keep)",
        "UPDATE favor SET contact_id = :keep WHERE contact_id = :dup",
        "UPDATE favor SET introduced_id = :keep WHERE introduced_id = :dup",
        # Introducing the two to each other, or one introducing you to the other, was
        # no favor: they are one person.
        "DELETE FROM favor WHERE contact_id = :keep AND introduced_id = :keep",
        "UPDATE contact SET via_id = CASE WHEN id = :keep THEN NULL ELSE :keep END WHERE via_id = :dup",
        # An introduction of the two to each other, or their stated tie, means nothing now.
        "DELETE FROM introduction WHERE (a_id = :dup AND b_id = :keep) OR (a_id = :keep AND b_id = :dup)",
        "UPDATE introduction SET a_id = :keep WHERE a_id = :dup",
        "UPDATE introduction SET b_id = :keep WHERE b_id = :dup",
        "DELETE FROM knows WHERE (a_id = :dup AND b_id = :keep) OR (a_id = :keep AND b_id = :dup)",
        f"INSERT INTO knows (a_id, b_id, date, note, created_at) "
        f"SELECT {_LOW}, {_HIGH}, o.date, o.note, o.created_at FROM "
        "(SELECT CASE WHEN a_id = :dup THEN b_id ELSE a_id END AS other, date, note, created_at "
        "FROM knows WHERE a_id = :dup OR b_id = :dup) o "
        f"WHERE NOT EXISTS (SELECT 1 FROM knows k WHERE k.a_id = {_LOW} AND k.b_id = {_HIGH})",
        "DELETE FROM knows WHERE a_id = :dup OR b_id = :dup",
        "UPDATE need_offer SET contact_id = :keep WHERE contact_id = :dup",
        "UPDATE need_offer SET met_by_id = :keep WHERE met_by_id = :dup",
        # Their needs met by each other: met by themselves now, which means by no one said.
        "UPDATE need_offer SET met_by_id = NULL WHERE contact_id = :keep AND met_by_id = :keep",
    ):
        session.execute(text(statement), params)
    # One preferred entry of each kind again, and contact.phone and .url to match.
    replace_entries(session, keep_id, _entries_of(session, keep_id))


# --- Touches and favors ----------------------------------------------------------------------


@dataclass
class NewTouch:
    """An interaction to record: one touch with one or more people."""

    date: date
    contacts: Sequence[int]  # contact ids
    kind: str | None = None  # None: "meeting"
    note: str | None = None
    id: int | None = None  # wanted; kept when free


@dataclass
class NewFavor:
    contact_id: int
    direction: str
    description: str
    date: date
    weight: int = 1
    status: str | None = None  # None: "done"
    due: dt.date | None = None
    resolved_on: dt.date | None = None  # None: the favor's day when it is done
    id: int | None = None
    introduced_id: int | None = None  # an introduction: to whom (see models.Favor)
    introduction_id: int | None = None


def checked_touch(touch: NewTouch) -> NewTouch:
    if not touch.contacts:
        raise InvalidValue("An interaction needs at least one contact.")
    return replace(
        touch,
        kind=check_choice(touch.kind, Kind, "kind") or "meeting",
        note=check_text(touch.note, "note"),
        contacts=list(dict.fromkeys(touch.contacts)),
    )


def checked_favor(favor: NewFavor) -> NewFavor:
    status = check_choice(favor.status, Status, "status") or "done"
    return replace(
        favor,
        direction=check_choice(favor.direction, Direction, "direction") or "given",
        description=check_description(favor.description),
        weight=check_weight(favor.weight),
        status=status,
        resolved_on=favor.resolved_on or (favor.date if status == "done" else None),
    )


def record_touches(
    session: Any,
    touches: Sequence[NewTouch],
    *,
    allocator: Allocator | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Insert interactions with the people in them; returns their ids."""
    ids = allocator or Allocator(reader_of(session))
    created = _utc(stamp(now))
    rows, links, new_ids = [], [], []
    for given in touches:
        t = checked_touch(given)
        tid = ids.take("interaction", t.id)
        rows.append({"id": tid, "date": t.date, "kind": t.kind, "note": t.note, "created_at": created})
        links += [{"interaction_id": tid, "contact_id": cid} for cid in t.contacts]
        new_ids.append(tid)
    people = (link["contact_id"] for link in links)
    with summaries_at_end(session, people, len(links), ("interaction", "interaction_contact")):
        _insert_new(session, INTERACTION, rows, children=[(LINK, links)])
    return new_ids


def record_favors(
    session: Any,
    favors: Sequence[NewFavor],
    *,
    allocator: Allocator | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Insert favors; returns their ids."""
    ids = allocator or Allocator(reader_of(session))
    created = _utc(stamp(now))
    rows, new_ids, people = [], [], []
    for given in favors:
        f = checked_favor(given)
        people.append(f.contact_id)
        fid = ids.take("favor", f.id)
        rows.append(
            {
                "id": fid,
                "contact_id": f.contact_id,
                "direction": f.direction,
                "description": f.description,
                "weight": f.weight,
                "date": f.date,
                "status": f.status,
                "due": f.due,
                "resolved_on": f.resolved_on,
                "created_at": created,
                "introduced_id": f.introduced_id,
                "introduction_id": f.introduction_id,
            }
        )
        new_ids.append(fid)
    with summaries_at_end(session, people, len(rows), ("favor",)):
        _insert_new(session, FAVOR, rows)
    return new_ids


def update_touch(
    session: Any,
    touch_id: int,
    *,
    on: dt.date | None = None,
    kind: str | None = None,
    note: str | None = None,
    clear_note: bool = False,
    add: Sequence[Found] = (),
    remove: Sequence[Found] = (),
) -> None:
    """Correct a touch: its day, kind, note, and who was there (never nobody)."""
    from netlog.ledger.activity import people_in

    db = reader_of(session)
    present = set(people_in(db, touch_id))
    leaving = {c.id for c in remove}
    absent = [c.name for c in remove if c.id not in present]
    if absent:
        raise InvalidValue(f"{absent[0]} was not at {touch_ref(touch_id)}: nothing to remove.")
    if not (present - leaving) | {c.id for c in add}:
        raise InvalidValue(
            f"A touch needs at least one person: to delete {touch_ref(touch_id)}, "
            f"use netlog rm-touch {touch_ref(touch_id)}."
        )
    values: dict[str, Any] = {}
    if on is not None:
        values["date"] = on
    if kind is not None:
        values["kind"] = check_choice(kind, Kind, "kind")
    if clear_note:
        values["note"] = None
    elif note is not None:
        values["note"] = check_text(note, "note")
    if values:
        session.execute(update(INTERACTION).where(INTERACTION.c.id == touch_id).values(**values))
    if leaving:
        session.execute(delete(LINK).where(LINK.c.interaction_id == touch_id, LINK.c.contact_id.in_(leaving)))
    joining = [c.id for c in add if c.id not in present]
    if joining:
        session.execute(
            insert(LINK), [{"interaction_id": touch_id, "contact_id": cid} for cid in dict.fromkeys(joining)]
        )


def update_favor(
    session: Any,
    favor: FavorPublic,
    *,
    on: dt.date | None = None,
    description: str | None = None,
    weight: int | None = None,
    due: dt.date | None = None,
    clear_due: bool = False,
) -> None:
    """Correct a favor: its day, what it was, its weight, its due day (a promise's, or the
    day to follow up on an ask). Its status changes with done and decline."""
    day = on or favor.date
    ref = favor_ref(favor.id)
    if (due is not None or clear_due) and favor.status not in ("promised", "asked"):
        raise InvalidValue(
            f"Favor {ref} is {favor.status}: "
            "a due day is for an open promise (to keep) or ask (to follow up)."
        )
    if favor.resolved_on is not None and day > favor.resolved_on:
        raise InvalidValue(
            f"Favor {ref} was {favor.status} on {favor.resolved_on.isoformat()}: "
            f"it can't have started later ({day.isoformat()})."
        )
    new_due = None if clear_due else (due or favor.due)
    if new_due is not None and new_due < day:
        raise InvalidValue(f"The due day {new_due.isoformat()} is before the favor ({day.isoformat()}).")
    values: dict[str, Any] = {"due": new_due}
    if on is not None:
        if favor.status == "done" and favor.resolved_on == favor.date:
            values["resolved_on"] = on  # done at once: done on its (corrected) day
        values["date"] = on
    if description is not None:
        values["description"] = check_description(description)
    if weight is not None:
        values["weight"] = check_weight(weight)
    session.execute(update(FAVOR).where(FAVOR.c.id == favor.id).values(**values))


def resolve_favor(session: Any, favor: FavorPublic, *, status: str, on: date) -> None:
    """Mark a promise or an ask as done or declined, stamping the day it was resolved."""
    ref = favor_ref(favor.id)
    if favor.status not in ("promised", "asked"):
        raise InvalidValue(
            f"Favor {ref} is already {favor.status}: "
            "only promised or asked favors can be marked done or declined."
        )
    if on < favor.date:
        raise InvalidValue(
            f"Favor {ref} was recorded on {favor.date.isoformat()}: "
            f"it can't be resolved before that ({on.isoformat()})."
        )
    session.execute(update(FAVOR).where(FAVOR.c.id == favor.id).values(status=status, resolved_on=on))


def remove_touch(session: Any, touch_id: int) -> None:
    """Delete a touch and who was there (each row journaled for undo, the summary kept)."""
    session.execute(delete(LINK).where(LINK.c.interaction_id == touch_id))
    session.execute(delete(INTERACTION).where(INTERACTION.c.id == touch_id))


def remove_favor(session: Any, favor_id: int) -> None:
    session.execute(update(NEED).where(NEED.c.favor_id == favor_id).values(favor_id=None))
    session.execute(delete(FAVOR).where(FAVOR.c.id == favor_id))


# --- Introductions and who knows whom ---------------------------------------------------------


@dataclass(slots=True)
class Made:
    """What `netlog intro` recorded."""

    introduction: int
    touch: int
    favors: list[int]


def record_introduction(
    session: Any,
    a: Found,
    b: Found,
    *,
    on: date,
    note: str | None = None,
    weight: int | None = None,
    now: datetime | None = None,
) -> Made:
    """You introduced `a` and `b` to each other: the introduction, one touch with both
    (kind `intro`), and a favor given to each ("introduced to <the other>")."""
    from netlog.ledger.rules import INTRO_WEIGHT

    if a.id == b.id:
        raise InvalidValue(f"{a.name} can't be introduced to themselves: give two different people.")
    note = check_text(note, "note")
    weight = check_weight(INTRO_WEIGHT if weight is None else weight)
    ids = Allocator(reader_of(session))
    touch = record_touches(
        session, [NewTouch(on, [a.id, b.id], Kind.intro.value, note)], allocator=ids, now=now
    )[0]
    (number,) = insert_introductions(
        session, [NewIntroduction(a.id, b.id, on, note, touch=touch)], allocator=ids
    )
    favors = record_favors(
        session,
        [
            NewFavor(one.id, "given", f"introduced to {other.name}", on, weight, "done",
                     introduced_id=other.id, introduction_id=number)
            for one, other in ((a, b), (b, a))
        ],
        allocator=ids,
        now=now,
    )  # fmt: skip
    return Made(number, touch, favors)


@dataclass
class NewIntroduction:
    a_id: int
    b_id: int
    date: date
    note: str | None = None
    outcome: str = "made"
    outcome_on: dt.date | None = None
    touch: int | None = None  # its interaction
    id: int | None = None  # wanted; kept when free
    outcome_note: str | None = None


def insert_introductions(
    session: Any,
    introductions: Sequence[NewIntroduction],
    *,
    allocator: Allocator | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Insert introductions (checked); returns their ids. The touch and favors that go
    with one are recorded by record_introduction, or come from the file imported."""
    from netlog.vocab import Outcome

    ids = allocator or Allocator(reader_of(session))
    created = _utc(stamp(now))
    rows = []
    for given in introductions:
        if given.a_id == given.b_id:
            raise InvalidValue("An introduction is of two different people.")
        outcome = check_choice(given.outcome, Outcome, "outcome") or "made"
        if given.outcome_on is not None and given.outcome_on < given.date:
            raise InvalidValue(
                f"The outcome ({given.outcome_on.isoformat()}) is before the introduction "
                f"({given.date.isoformat()})."
            )
        rows.append(
            {
                "id": ids.take("introduction", given.id), "date": given.date, "a_id": given.a_id,
                "b_id": given.b_id, "note": check_text(given.note, "note"), "outcome": outcome,
                "outcome_on": None if outcome == "made" else given.outcome_on, "interaction_id": given.touch,
                "outcome_note": check_text(given.outcome_note, "note"), "created_at": created,
            }
        )  # fmt: skip
    _insert_new(session, INTRODUCTION, rows)
    return [int(row["id"]) for row in rows]  # type: ignore[call-overload]


def set_introduction_outcome(
    session: Any, introduction_id: int, outcome: str, *, on: date, note: str | None = None
) -> None:
    """What became of an introduction, and (`note`) what came of it in words."""
    from netlog.vocab import Outcome

    db = reader_of(session)
    row = db.first("SELECT date FROM introduction WHERE id = :i", {"i": introduction_id})
    if row is None:
        raise InvalidValue(f"No introduction {introduction_id}: netlog intros lists them.")
    made_on = required_date(row.date)
    if on < made_on:
        raise InvalidValue(
            f"Introduction {introduction_id} was made on {made_on.isoformat()}: "
            f"its outcome can't come before that ({on.isoformat()})."
        )
    values: dict[str, Any] = {"outcome": check_choice(outcome, Outcome, "outcome"), "outcome_on": on}
    if outcome == "made":
        values["outcome_on"] = None
    if note is not None:
        values["outcome_note"] = check_text(note, "note")
    session.execute(update(INTRODUCTION).where(INTRODUCTION.c.id == introduction_id).values(**values))


def record_knows(
    session: Any, a: Found, b: Found, *, on: date, note: str | None = None, now: datetime | None = None
) -> str:
    """`a` and `b` know each other (what you know but did not see): "new", or for a pair
    already stated "same", or "updated" when `note` replaced the one it had."""
    if a.id == b.id:
        raise InvalidValue(f"{a.name} is the same person twice: give two different people.")
    low, high = sorted((a.id, b.id))
    note = check_text(note, "note")
    db = reader_of(session)
    existing = db.first("SELECT id, note FROM knows WHERE a_id = :a AND b_id = :b", {"a": low, "b": high})
    if existing is not None:
        if note is None or note == existing.note:
            return "same"
        session.execute(update(KNOWS).where(KNOWS.c.id == existing.id).values(note=note))
        return "updated"
    number = Allocator(db).take("knows")
    row = {"id": number, "a_id": low, "b_id": high, "date": on, "note": note, "created_at": _utc(stamp(now))}
    _insert_new(session, KNOWS, [row])
    return "new"


def forget_knows(session: Any, a: Found, b: Found) -> bool:
    """Take back a stated tie; True when there was one."""
    low, high = sorted((a.id, b.id))
    done = session.execute(delete(KNOWS).where(KNOWS.c.a_id == low, KNOWS.c.b_id == high))
    return bool(done.rowcount)


# --- Needs and offers ------------------------------------------------------------------------


MAX_NEED_TEXT = 500


@dataclass
class NewNeed:
    """A need or an offer to record: of a contact, or yours (`contact_id` None)."""

    contact_id: int | None
    kind: str  # need, offer
    text: str
    created_on: date
    tags: Sequence[str] = ()
    until: dt.date | None = None
    status: str = "open"
    met_on: dt.date | None = None
    met_by_id: int | None = None
    met_by_me: bool = False
    dropped_on: dt.date | None = None
    favor_id: int | None = None
    id: int | None = None  # wanted; kept when free


def checked_need(given: NewNeed) -> NewNeed:
    from netlog.vocab import NeedStatus

    if given.kind not in ("need", "offer"):
        raise InvalidValue(f"{quote(given.kind)} is neither a need nor an offer.")
    # One line: what a need or an offer is, in a few words (tables and suggestions show it).
    text = " ".join((check_text(given.text, "text") or "").split())
    if len(text) > MAX_NEED_TEXT:
        raise InvalidValue(
            f"A {given.kind} is a few words, at most {MAX_NEED_TEXT:,} characters (this one has "
            f"{len(text):,}): shorten it, and keep the rest in the contact's notes."
        )
    if not text:
        raise InvalidValue(
            f"Say what the {given.kind} is, in a few words: e.g. 'a designer for her startup'."
        )
    status = check_choice(given.status, NeedStatus, "status") or "open"
    if given.kind == "offer" and (status == "met" or given.until is not None):
        raise InvalidValue("An offer has no day to meet it by and is never met: it stays until dropped.")
    tags = []
    for raw in given.tags:
        name = normalise_tag(raw)
        if not name:
            raise InvalidValue("A tag can't be empty.")
        if name not in tags:
            tags.append(name)
    if given.until is not None and given.until < given.created_on:
        raise InvalidValue(
            f"--until ({given.until.isoformat()}) is before the day the need was noted "
            f"({given.created_on.isoformat()})."
        )
    met = status == "met"
    return replace(
        given,
        text=text,
        tags=tags,
        status=status,
        met_on=(given.met_on or given.created_on) if met else None,
        met_by_id=given.met_by_id if met and not given.met_by_me else None,
        met_by_me=bool(given.met_by_me and met),
        dropped_on=(given.dropped_on or given.created_on) if status == "dropped" else None,
    )


def insert_needs(
    session: Any, items: Sequence[NewNeed], *, allocator: Allocator | None = None, now: datetime | None = None
) -> list[int]:
    """Insert needs and offers (checked) with their tags; returns their ids."""
    ids = allocator or Allocator(reader_of(session))
    created = _utc(stamp(now))
    rows: list[dict[str, Any]] = []
    tag_rows: list[dict[str, Any]] = []
    numbers = []
    for given in items:
        n = checked_need(given)
        number = ids.take("need_offer", n.id)
        rows.append(
            {
                "id": number, "contact_id": n.contact_id, "kind": n.kind, "text": n.text,
                "created_on": n.created_on, "until": n.until, "status": n.status, "met_on": n.met_on,
                "met_by_id": n.met_by_id, "met_by_me": n.met_by_me, "dropped_on": n.dropped_on,
                "favor_id": n.favor_id, "created_at": created,
            }
        )  # fmt: skip
        tag_rows += [{"need_offer_id": number, "tag": tag} for tag in n.tags]
        numbers.append(number)
    _insert_new(session, NEED, rows, children=[(NEED_TAG, tag_rows)])
    return numbers


def _open_item(session: Any, item_id: int, kind: str) -> Any:
    row = reader_of(session).first(
        "SELECT n.id, n.kind, n.status, n.contact_id, n.text, n.created_on, c.name FROM need_offer n "
        "LEFT JOIN contact c ON c.id = n.contact_id WHERE n.id = :i",
        {"i": item_id},
    )
    if row is None or row.kind != kind:
        other = "" if row is None else f" ({item_id} is {'an offer' if kind == 'need' else 'a need'})"
        raise InvalidValue(f"No {kind} {item_id}{other}: netlog {kind}s lists them.")
    if row.status != "open":
        raise InvalidValue(f"{kind.capitalize()} {item_id} is already {row.status}.")
    return row


@dataclass(slots=True)
class Met:
    """What `need --met` recorded: the favor that stands for it (None when no one is said,
    or a contact met another's need), and whether it was one already in the ledger."""

    favor: int | None = None
    existing: bool = False


def meet_need(
    session: Any,
    need_id: int,
    *,
    on: date,
    by: Found | None = None,
    by_me: bool = False,
    weight: int = 1,
    now: datetime | None = None,
) -> Met:
    """A need is met, by a contact (`by`), by you (`by_me`), or by someone not said.

    When you met a contact's need, the favor you gave them stands for it: one already
    recorded for it (given to them since the need was noted, described as the need or
    as one of your offers, and not standing for another need), done that day if it was
    a promise; else a new one (the need's text, done that day). When a contact met
    yours, likewise a favor received from them: your ask for it (described as the
    need), done that day if it was still asked; else a new one. So following `match`'s
    advice and then marking the need met counts the favor once."""
    from netlog.ledger.needs import favor_for_need

    row = _open_item(session, need_id, "need")
    noted = required_date(row.created_on)
    if on < noted:
        raise InvalidValue(f"Need {need_id} was noted on {noted.isoformat()}: it can't be met before that.")
    if by is not None and by.id == row.contact_id:
        raise InvalidValue(f"{by.name} can't meet their own need: say who helped them, or leave --by out.")
    if by_me and row.contact_id is None:
        raise InvalidValue("You can't meet your own need: say who helped you, or leave --by out.")
    met = Met()
    if by_me or (by is not None and row.contact_id is None):
        person, direction = (row.contact_id, "given") if by_me else (by.id, "received")  # type: ignore[union-attr]
        found = favor_for_need(reader_of(session), row, person, direction, on)
        if found is not None:
            met = Met(found.id, existing=True)
            if found.status in ("asked", "promised"):
                session.execute(
                    update(FAVOR).where(FAVOR.c.id == found.id).values(status="done", resolved_on=on)
                )
        else:
            (number,) = record_favors(session, [NewFavor(person, direction, row.text, on, weight)], now=now)
            met = Met(number)
    session.execute(
        update(NEED)
        .where(NEED.c.id == need_id)
        .values(status="met", met_on=on, met_by_id=by.id if by else None, met_by_me=by_me, favor_id=met.favor)
    )
    return met


def move_need_on(session: Any, item_id: int, status: str, values: dict[str, Any]) -> None:
    """An open need met, or a need or offer dropped, as a later export says it was
    (import); `values` are its met_on, met_by_id, met_by_me and favor_id, or dropped_on."""
    session.execute(update(NEED).where(NEED.c.id == item_id).values(status=status, **values))


def drop_need(session: Any, item_id: int, kind: str, *, on: date) -> None:
    """A need no longer wanted, or an offer no longer made."""
    row = _open_item(session, item_id, kind)
    if on < required_date(row.created_on):
        raise InvalidValue(
            f"{kind.capitalize()} {item_id} was noted on {row.created_on}: drop it on a later day."
        )
    session.execute(update(NEED).where(NEED.c.id == item_id).values(status="dropped", dropped_on=on))


# --- Settings --------------------------------------------------------------------------------


def set_setting(session: Any, key: str, value: str) -> str:
    """Validate, normalise and store a setting; returns the stored value."""
    stored = normalised(key, value)
    if reader_of(session).first('SELECT 1 FROM setting WHERE "key" = :k', {"k": key}) is None:
        session.execute(insert(SETTING).values(key=key, value=stored))
    else:
        session.execute(update(SETTING).where(SETTING.c.key == key).values(value=stored))
    return stored


def unset_setting(session: Any, key: str) -> str:
    """Back to the default; returns it."""
    spec = spec_of(key)
    session.execute(delete(SETTING).where(SETTING.c.key == key))
    return spec.default
