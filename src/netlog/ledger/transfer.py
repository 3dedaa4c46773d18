"""Import and export: records in, records out, in one transaction, in bulk.

Import
- An incoming contact matches an existing one by UID (netlog's own export), then
  profile URL, then email, then the normalised full name; contacts created earlier in
  the same import count too, so a file that lists someone twice merges them. Two
  different profile URLs mean two people, whatever their names.
- On a match, `on_conflict` decides: `update` (default) fills empty fields and adds
  emails and tags, and overwrites non-empty fields only with `overwrite`; `skip`
  leaves the contact alone; `new` creates another contact anyway.
- New contacts are inserted with executemany in batches (ids assigned here: the
  write transaction holds the lock, so no one else can take them). The per-row
  trigger that gives each new contact its `contact_stats` row costs more than the
  insert itself, so the import drops it, inserts those rows in bulk per batch, and
  creates it again before finishing, all inside the one transaction (a rollback
  restores it). The other summary triggers stay on.
- Interactions and favors refer to contacts by handle: a handle of this file (even if
  the contact got another handle here) or one already in the ledger.
- `spread`: new contacts with nothing recorded would all come due together (on day
  one if met long ago, else a cadence after the import). Each gets a first due day
  (`first_due`) spread evenly over its cadence (longer if needed), most recently met
  first, never more than the `import.per_day` setting (5) on one day, so the morning
  list grows by a handful a day.
- Nothing here commits: the caller's transaction writes all of it, or none of it
  (`--dry-run` and `--strict` roll back).

Export streams each table by id in pages, so memory stays flat in the ledger's size.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlmodel import Session, text

from netlog.dates import format_birthday
from netlog.errors import InvalidValue, NotFound
from netlog.formats.records import (
    ContactRecord,
    FavorRecord,
    InteractionRecord,
    Notice,
    Record,
    Rejected,
    SettingRecord,
)
from netlog.ledger import journal
from netlog.ledger.activity import check_description, check_weight, favor_public, interactions_public
from netlog.ledger.contacts import (
    _CONTACT_ROW_SQL,
    check_cadence,
    check_choice,
    check_email,
    check_name,
    check_text,
    check_url,
    public_contacts,
)
from netlog.ledger.names import fold, next_free_handle, normalise_tag, normalise_url, slug, valid_handle
from netlog.ledger.rows import stamp
from netlog.ledger.settings import get_int, set_setting
from netlog.models import public_dict
from netlog.vocab import Circle, Direction, Kind, Source, Status

STATS_TRIGGER = "contact_stats_on_contact"
# Secondary indexes a large import builds once at the end instead of row by row
# (random keys make each insert a B-tree walk; building afterwards is one sort).
DEFERRED_INDEXES = ("ix_contact_name_key", "ix_contact_via", "ix_contact_birthday", "ix_contact_uid",
                    "ix_contact_tag_tag")  # fmt: skip
CONTACT_COLUMNS = (
    "id",
    "handle",
    "name",
    "name_key",
    "phone",
    "org",
    "title",
    "location",
    "url",
    "met_on",
    "source",
    "notes",
    "circle",
    "cadence_days",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "archived",
    "created_at",
    "updated_at",
    "snoozed_until",
    "first_due",
    "uid",
)
_INSERT_CONTACT = (
    f"INSERT INTO contact ({', '.join(CONTACT_COLUMNS)}) VALUES ({', '.join('?' for _ in CONTACT_COLUMNS)})"
)
PAGE = 1000
# A UID netlog keeps as it came (vCard, its own export): printable, no spaces, not huge.
_UID = re.compile(r"[A-Za-z0-9._:@+/=-]{1,200}")


@dataclass
class ImportOptions:
    today: date
    on_conflict: str = "update"  # update | skip | new
    overwrite: bool = False
    spread: bool = True
    expected: int = 0  # roughly how many records the file holds (0: unknown)


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)  # handles
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    interactions: int = 0
    favors: int = 0
    settings: int = 0
    spread_days: int = 0  # the new contacts come due over this many days from today
    spread_per_day: int = 0  # at most this many a day

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "skipped": len(self.skipped),
            "rejected": len(self.rejected),
            "interactions": self.interactions,
            "favors": self.favors,
            "settings": self.settings,
        }


_FILLABLE = ("phone", "org", "title", "location", "url", "met_on", "source", "notes")


class Importer:
    """One import into one session; feed records, then `finish()`."""

    def __init__(self, session: Session, options: ImportOptions) -> None:
        self.session = session
        self.options = options
        self.summary = ImportSummary()
        self.now = stamp()
        self.now_text = _utc_text(self.now)
        conn = session.connection()
        self.conn = conn
        # A bigger page cache for this connection: index inserts in bulk need it.
        conn.exec_driver_sql("PRAGMA cache_size = -65536")
        # New rows are journaled compactly at the end (one DELETE per few thousand ids);
        # the triggers record only changes to rows that were already there.
        self.journal_command = journal.pause(session)
        self.new_ids: dict[str, list[int]] = defaultdict(list)
        self.handles: dict[str, int] = {}
        self.handle_by_id: dict[int, str] = {}
        self.by_uid: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.url_of: dict[int, str] = {}
        for cid, handle, uid, url, name_key in conn.exec_driver_sql(
            "SELECT id, handle, uid, url, name_key FROM contact"
        ):
            self.handles[handle] = cid
            self.handle_by_id[cid] = handle
            if uid:
                self.by_uid[uid] = cid
            if url and (key := normalise_url(url)):
                self.by_url.setdefault(key, cid)
                self.url_of[cid] = key
            self.by_name[name_key].append(cid)
        for cid, address in conn.exec_driver_sql("SELECT contact_id, address FROM email"):
            self.by_email.setdefault(address.casefold(), cid)
        self.tag_ids = dict(conn.exec_driver_sql("SELECT name, id FROM tag").all())
        self.next_id = {
            table: _last_id(conn, table) + 1 for table in ("contact", "interaction", "favor", "tag")
        }
        self.taken_ids: dict[str, set[int]] = defaultdict(set)
        self._existing_ids: dict[str, set[int]] = {}
        self.file_handles: dict[str, int] = {}  # a handle as written in the file -> contact id
        self.pending_contacts: list[tuple[Any, ...]] = []
        self.pending_emails: list[tuple[int, str]] = []
        self.pending_tags: list[tuple[int, int]] = []
        # (position, contact id, via handle, the introducer's id if known at that point)
        self.pending_via: list[tuple[str, int, str, int | None]] = []
        self.interactions: list[tuple[InteractionRecord, list[int | None]]] = []
        self.favors: list[tuple[FavorRecord, int | None]] = []
        self.fresh: list[tuple[int, str, date | None, int | None, bool]] = []  # spread candidates
        self._set_aside_schema()

    def _set_aside_schema(self) -> None:
        """Drop what slows a bulk insert; restore_schema() puts it back."""
        conn = self.conn
        # Schema objects set aside for the bulk insert and put back by restore_schema(),
        # in this same transaction: a rollback or a kill restores them anyway.
        self.set_aside: list[tuple[str, str]] = []
        names = [STATS_TRIGGER]
        if self.options.expected >= 10_000 and self.options.expected >= len(self.handles):
            names += DEFERRED_INDEXES  # a large import, at least the size of the ledger
        marks = ", ".join("?" for _ in names)
        query = f"SELECT name, sql FROM sqlite_master WHERE name IN ({marks})"
        found = conn.exec_driver_sql(query, tuple(names))
        for name, sql in found.all():
            kind = "TRIGGER" if name == STATS_TRIGGER else "INDEX"
            conn.exec_driver_sql(f"DROP {kind} {name}")
            self.set_aside.append((name, sql))

    # --- records -----------------------------------------------------------------------------

    def add(self, record: Record) -> None:
        try:
            if isinstance(record, ContactRecord):
                self._contact(record)
            elif isinstance(record, InteractionRecord):
                # Handles mean what they mean at this point of the file: two files
                # concatenated may each have a "jane-doe" (forward references wait).
                self.interactions.append((record, [self._contact_id(h) for h in record.contacts]))
            elif isinstance(record, FavorRecord):
                self.favors.append((record, self._contact_id(record.contact)))
            elif isinstance(record, SettingRecord):
                journal.resume(self.session, self.journal_command)
                try:
                    set_setting(self.session, record.key, record.value)
                    self.session.flush()  # written now, while the journal records
                finally:
                    journal.pause(self.session)
                self.summary.settings += 1
            elif isinstance(record, Rejected):
                self.summary.rejected.append(record)
            elif isinstance(record, Notice):
                self.summary.notices.append(record)
        except (InvalidValue, NotFound) as exc:  # a bad value, an unknown setting...
            self.summary.rejected.append(Rejected(record.position, exc.message))

    def _match(self, record: ContactRecord, name_key: str, url: str | None) -> int | None:
        if record.uid and record.uid in self.by_uid:
            return self.by_uid[record.uid]
        if url and url in self.by_url:
            return self.by_url[url]
        for email in record.emails:
            if email.strip().casefold() in self.by_email:
                return self.by_email[email.strip().casefold()]
        for cid in self.by_name.get(name_key, ()):
            if not url or cid not in self.url_of:  # different profiles: different people
                return cid
        return None

    def _contact(self, record: ContactRecord) -> None:
        name = check_name(record.name)
        emails, not_emails = [], []
        for raw in record.emails:
            try:
                emails.append(check_email(raw))
            except InvalidValue:
                not_emails.append(raw.strip())
        emails = list(dict.fromkeys(emails))
        if not_emails:  # kept, not lost: an address book's odd entry is still worth having
            shown = ", ".join(not_emails)
            record.notes = "\n".join(n for n in (record.notes, f"Not an email address: {shown}") if n)
            self.summary.notices.append(
                Notice(record.position, f"kept {shown!r} in the notes: not an email address")
            )
        if record.url is not None:
            try:
                record.url = check_url(record.url)
            except InvalidValue:
                record.notes = "\n".join(n for n in (record.notes, f"Not a link: {record.url}") if n)
                self.summary.notices.append(
                    Notice(
                        record.position, "kept the link in the notes: it holds spaces or control characters"
                    )
                )
                record.url = None
        if record.uid is not None and not _UID.fullmatch(record.uid):
            self.summary.notices.append(
                Notice(record.position, "its UID is not one netlog can keep; gave it a new one")
            )
            record.uid = None
        if record.birthday and record.birthday[0] is not None:
            year, month, day = record.birthday
            if year < 1900 or date(year, month, day) > self.options.today:
                note = f"birthday year {year} is not plausible; kept the day and month"
                self.summary.notices.append(Notice(record.position, note))
                record.birthday = (None, month, day)
        if record.met_on and record.met_on > self.options.today:
            self.summary.notices.append(
                Notice(record.position, f"met on {record.met_on.isoformat()} is in the future; left empty")
            )
            record.met_on = None
        tags = list(dict.fromkeys(t for t in (normalise_tag(t) for t in record.tags) if t))
        check_choice(record.circle, Circle, "circle")
        check_choice(record.source, Source, "source")
        check_cadence(record.cadence_days)
        fields = {  # the order of _FILLABLE, and of CONTACT_COLUMNS after name_key
            "phone": check_text(record.phone, "phone"),
            "org": check_text(record.org, "org"),
            "title": check_text(record.title, "title"),
            "location": check_text(record.location, "location"),
            "url": record.url,
            "met_on": record.met_on,
            "source": record.source,
            "notes": check_text(record.notes, "notes"),
        }
        name_key = fold(name)
        url_key = normalise_url(fields["url"])
        match = None if self.options.on_conflict == "new" else self._match(record, name_key, url_key)
        if match is not None:
            if record.handle:
                self._file_handle(record, match)
            handle = self._handle_of(match)
            if self.options.on_conflict == "skip":
                self.summary.skipped.append(handle)
            elif self._update(match, fields, emails, tags, record):
                self.summary.updated.append(handle)
            else:
                self.summary.skipped.append(handle)
            return
        self._create(record, name, name_key, url_key, emails, tags, fields)

    def _handle_of(self, contact_id: int) -> str:
        return self.handle_by_id.get(contact_id, str(contact_id))

    def _existing(self, table: str) -> set[int]:
        """Ids already in a table, read once, the first time a record brings its own id."""
        if table not in self._existing_ids:
            rows = self.conn.exec_driver_sql(f"SELECT id FROM {table}")
            self._existing_ids[table] = {row[0] for row in rows}
        return self._existing_ids[table]

    def _take_id(self, table: str, wanted: int | None) -> int:
        """The record's own id when it is free (keeps exports identical), else the next."""
        if (
            wanted is not None
            and 0 < wanted < 2**62
            and wanted not in self.taken_ids[table]
            and wanted not in self._existing(table)
        ):
            self.taken_ids[table].add(wanted)
            self.next_id[table] = max(self.next_id[table], wanted + 1)
            return wanted
        while self.next_id[table] in self.taken_ids[table]:
            self.next_id[table] += 1
        new = self.next_id[table]
        self.taken_ids[table].add(new)
        self.next_id[table] += 1
        return new

    def _create(
        self,
        record: ContactRecord,
        name: str,
        name_key: str,
        url_key: str | None,
        emails: list[str],
        tags: list[str],
        fields: dict[str, Any],
    ) -> None:
        cid = self._take_id("contact", record.id)
        wanted = record.handle.strip().lower() if record.handle else None
        base = wanted if wanted and valid_handle(wanted) else slug(name)
        handle = next_free_handle(base, self.handles.keys())  # type: ignore[arg-type]
        uid = record.uid if record.uid and record.uid not in self.by_uid else _new_uid()
        year, month, day = record.birthday or (None, None, None)
        met_on = fields["met_on"]
        self.pending_contacts.append(
            (
                cid,
                handle,
                name,
                name_key,
                fields["phone"],
                fields["org"],
                fields["title"],
                fields["location"],
                fields["url"],
                met_on.isoformat() if met_on else None,
                fields["source"],
                fields["notes"],
                record.circle or "active",
                record.cadence_days,
                year,
                month,
                day,
                record.archived,
                _utc_text(record.created_at) if record.created_at else self.now_text,
                _utc_text(record.updated_at)
                if record.updated_at
                else (_utc_text(record.created_at) if record.created_at else self.now_text),
                _sql(record.snoozed_until),
                _sql(record.first_due),
                uid,
            )
        )
        self.pending_emails.extend((cid, e) for e in emails)
        self.pending_tags.extend((cid, self._tag_id(t)) for t in tags)
        if record.via:
            self.pending_via.append((record.position, cid, record.via, self._contact_id(record.via)))
        # Index the new contact at once, so later records match it.
        self.handles[handle] = cid
        self.handle_by_id[cid] = handle
        if record.handle:
            self._file_handle(record, cid)
        self.by_uid[uid] = cid
        if url_key:
            self.by_url.setdefault(url_key, cid)
            self.url_of[cid] = url_key
        for email in emails:
            self.by_email.setdefault(email.casefold(), cid)
        self.by_name[name_key].append(cid)
        self.summary.created.append(handle)
        if record.first_due is None and not record.keeps_schedule:
            circle = record.circle or "active"
            self.fresh.append((cid, circle, fields["met_on"], record.cadence_days, record.archived))

    def _tag_id(self, name: str) -> int:
        if name not in self.tag_ids:
            tid = self._take_id("tag", None)
            self.conn.exec_driver_sql("INSERT INTO tag (id, name) VALUES (?, ?)", (tid, name))
            self.new_ids["tag"].append(tid)
            self.tag_ids[name] = tid
        return self.tag_ids[name]

    def _update(
        self,
        cid: int,
        fields: dict[str, Any],
        emails: list[str],
        tags: list[str],
        record: ContactRecord,
    ) -> bool:
        self._flush_contacts()  # the contact may still be pending in this batch
        current = self.conn.exec_driver_sql(
            "SELECT phone, org, title, location, url, met_on, source, notes, birthday_month, "
            "circle, cadence_days, birthday_year, birthday_day FROM contact WHERE id = ?",
            (cid,),
        ).one()
        changes: dict[str, Any] = {}
        for i, column in enumerate(_FILLABLE):
            new = fields[column]
            if new is None:
                continue
            old = current[i]
            old = old.isoformat() if isinstance(old, date) else old
            new_text = new.isoformat() if isinstance(new, date) else new
            if old in (None, "") or (self.options.overwrite and old != new_text):
                changes[column] = new
        stored_birthday = (current[11], current[8], current[12])
        if (
            record.birthday
            and record.birthday != stored_birthday
            and (current[8] is None or self.options.overwrite)
        ):
            year, month, day = record.birthday
            changes |= {"birthday_year": year, "birthday_month": month, "birthday_day": day}
        if self.options.overwrite:
            if record.circle and record.circle != current[9]:
                changes["circle"] = record.circle
            if record.cadence_days and record.cadence_days != current[10]:
                changes["cadence_days"] = record.cadence_days
        known_emails = {
            a.casefold()
            for (a,) in self.conn.exec_driver_sql("SELECT address FROM email WHERE contact_id = ?", (cid,))
        }
        new_emails = [e for e in emails if e.casefold() not in known_emails]
        known_tags = {
            t
            for (t,) in self.conn.exec_driver_sql(
                "SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = ?",
                (cid,),
            )
        }
        new_tags = [t for t in tags if t not in known_tags]
        if not (changes or new_emails or new_tags):
            return False
        journal.resume(self.session, self.journal_command)
        try:
            self._apply_update(cid, changes, new_emails, new_tags)
        finally:
            journal.pause(self.session)
        return True

    def _apply_update(
        self, cid: int, changes: dict[str, Any], new_emails: list[str], new_tags: list[str]
    ) -> None:
        if changes:
            assignments = ", ".join(f"{column} = ?" for column in changes)
            self.conn.exec_driver_sql(
                f"UPDATE contact SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), self.now_text, cid),
            )
        for email in new_emails:
            self.conn.exec_driver_sql("INSERT INTO email (contact_id, address) VALUES (?, ?)", (cid, email))
            self.by_email.setdefault(email.casefold(), cid)
        for tag in new_tags:
            self.conn.exec_driver_sql(
                "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)",
                (cid, self._tag_id(tag)),
            )

    def _flush_contacts(self) -> None:
        if not self.pending_contacts:
            return
        self.conn.exec_driver_sql(_INSERT_CONTACT, self.pending_contacts)
        self.new_ids["contact"].extend(row[0] for row in self.pending_contacts)
        self.conn.exec_driver_sql(
            "INSERT INTO contact_stats (contact_id) VALUES (?)", [(row[0],) for row in self.pending_contacts]
        )
        if self.pending_emails:
            self.conn.exec_driver_sql(
                "INSERT OR IGNORE INTO email (contact_id, address) VALUES (?, ?)", self.pending_emails
            )
        if self.pending_tags:
            self.conn.exec_driver_sql(
                "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", self.pending_tags
            )
        self.pending_contacts, self.pending_emails, self.pending_tags = [], [], []

    # --- the end -----------------------------------------------------------------------------

    def finish(self) -> ImportSummary:
        if self.options.spread:
            self._spread(self._referenced())  # before the rows go in: no UPDATE afterwards
        self._flush_contacts()
        self._resolve_introductions()
        self._insert_interactions()
        self._insert_favors()
        self.restore_schema()
        # Undone newest first: favors, interactions, then contacts (their emails, tags,
        # links and summary rows go with them), then the tags no one had before.
        entries = []
        for table in ("tag", "contact", "interaction", "favor"):
            entries += journal.delete_rows(table, self.new_ids[table])
        journal.record(self.session, self.journal_command, entries)
        return self.summary

    def restore_schema(self) -> None:
        for _, sql in self.set_aside:
            self.conn.exec_driver_sql(sql)
        self.set_aside = []

    def _referenced(self) -> set[int]:
        """Contacts this file records an interaction or a favor with."""
        referenced = {cid for _, known in self.interactions for cid in known}
        referenced |= {known for _, known in self.favors}
        referenced |= {self._contact_id(h) for record, _ in self.interactions for h in record.contacts}
        referenced |= {self._contact_id(record.contact) for record, _ in self.favors}
        return {cid for cid in referenced if cid is not None}

    def _file_handle(self, record: ContactRecord, cid: int) -> None:
        assert record.handle is not None
        earlier = self.file_handles.get(record.handle)
        if earlier is not None and earlier != cid:
            self.summary.notices.append(
                Notice(
                    record.position,
                    f"handle {record.handle!r} was already used earlier in this input; "
                    "records after this one mean this contact",
                )
            )
        self.file_handles[record.handle] = cid

    def _contact_id(self, handle: str) -> int | None:
        return self.file_handles.get(handle) or self.handles.get(handle.strip().lower())

    def _resolve_introductions(self) -> None:
        for position, cid, via, known in self.pending_via:
            introducer = known or self._contact_id(via)
            if introducer is None or introducer == cid:
                self.summary.notices.append(
                    Notice(position, f"introducer {via!r} is not in the ledger; left empty")
                )
                continue
            self.conn.exec_driver_sql("UPDATE contact SET via_id = ? WHERE id = ?", (introducer, cid))

    def _insert_interactions(self) -> None:
        rows, links = [], []
        for record, known in self.interactions:
            try:
                _not_future(record.date, self.options.today)
                kind = check_choice(record.kind, Kind, "kind")
                note = check_text(record.note, "note")
                people = [k or self._contact_id(h) for h, k in zip(record.contacts, known, strict=True)]
                missing = [h for h, p in zip(record.contacts, people, strict=True) if p is None]
                if missing:
                    raise InvalidValue(f"no contact with handle {missing[0]!r}")
                if self._existing_interaction(record, people):
                    continue
                iid = self._take_id("interaction", record.id)
            except InvalidValue as exc:
                self.summary.rejected.append(Rejected(record.position, exc.message))
                continue
            rows.append((iid, record.date.isoformat(), kind, note, self.now_text))
            self.new_ids["interaction"].append(iid)
            for person in dict.fromkeys(people):
                links.append((iid, person))
            self.summary.interactions += 1
        if rows:
            self.conn.exec_driver_sql(
                "INSERT INTO interaction (id, date, kind, note, created_at) VALUES (?, ?, ?, ?, ?)", rows
            )
            self.conn.exec_driver_sql(
                "INSERT OR IGNORE INTO interaction_contact (interaction_id, contact_id) VALUES (?, ?)",
                links,
            )

    def _existing_interaction(self, record: InteractionRecord, people: list[int | None]) -> bool:
        """The same interaction imported before (same id, date, kind and people)."""
        if record.id is None:
            return False
        row = self.conn.exec_driver_sql(
            "SELECT date, kind, (SELECT group_concat(contact_id) FROM (SELECT contact_id FROM "
            "interaction_contact WHERE interaction_id = ? ORDER BY contact_id)) FROM interaction "
            "WHERE id = ?",
            (record.id, record.id),
        ).first()
        if row is None:
            return False
        same_people = row[2] == ",".join(str(p) for p in sorted(set(people)))  # type: ignore[type-var]
        return str(row[0]) == record.date.isoformat() and row[1] == record.kind and same_people

    def _insert_favors(self) -> None:
        rows = []
        for record, known in self.favors:
            try:
                person = known or self._contact_id(record.contact)
                if person is None:
                    raise InvalidValue(f"no contact with handle {record.contact!r}")
                _not_future(record.date, self.options.today)
                direction = check_choice(record.direction, Direction, "direction")
                status = check_choice(record.status, Status, "status")
                description = check_description(record.description)
                weight = check_weight(record.weight)
                if (
                    record.id is not None
                    and self.conn.exec_driver_sql(
                        "SELECT 1 FROM favor WHERE id = ? AND contact_id = ? AND description = ? "
                        "AND date = ?",
                        (record.id, person, description, record.date.isoformat()),
                    ).first()
                ):
                    continue  # imported before
                fid = self._take_id("favor", record.id)
            except InvalidValue as exc:
                self.summary.rejected.append(Rejected(record.position, exc.message))
                continue
            resolved = record.resolved_on or (record.date if status == "done" else None)
            rows.append(
                (
                    fid,
                    person,
                    direction,
                    description,
                    weight,
                    record.date.isoformat(),
                    status,
                    _sql(record.due),
                    _sql(resolved),
                    self.now_text,
                )
            )
            self.new_ids["favor"].append(fid)
            self.summary.favors += 1
        if rows:
            self.conn.exec_driver_sql(
                "INSERT INTO favor (id, contact_id, direction, description, weight, date, status, "
                "due, resolved_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def _spread(self, touched: set[int]) -> None:
        """First due days for new contacts with nothing recorded, spread over their cadence
        and never more than `import.per_day` on one day.

        With N of them on a cadence of C days, the span is C days, or N / per_day days if
        that is longer; the i-th most recently met gets the slot of days
        [i*span//N, (i+1)*span//N) from today, and in it the day that the first due days
        already in the ledger (earlier imports) leave least busy; a slot that is full
        passes its contact on to the next day with room. So about N / span a day, and
        imports one after another do not pile up on the same days. Set on the rows before
        they are inserted.
        """
        cadences = {c.value: get_int(self.session, f"cadence.{c.value}") for c in Circle}
        per_day = get_int(self.session, "import.per_day")
        groups: dict[int, list[tuple[int, date | None]]] = defaultdict(list)
        for cid, circle, met_on, cadence_days, archived in self.fresh:
            if cid not in touched and not archived:
                groups[cadence_days or cadences[circle]].append((cid, met_on))
        if not groups:
            return
        today = self.options.today
        loads: Counter[int] = Counter()
        for day, count in self.conn.exec_driver_sql(
            "SELECT first_due, count(*) FROM contact WHERE first_due >= ? GROUP BY first_due",
            (today.isoformat(),),
        ):
            loads[(date.fromisoformat(day) - today).days] += count
        first_due: dict[int, str] = {}
        last = 0
        for cadence, people in sorted(groups.items()):
            people.sort(key=lambda p: p[1] or date.min, reverse=True)  # recently met first; stable
            n = len(people)
            span = max(cadence, -(-n // per_day))
            for i, (cid, _) in enumerate(people):
                start = i * span // n
                slot = range(start, max((i + 1) * span // n, start + 1))
                day = min(slot, key=lambda d: (loads[d], d))
                while loads[day] >= per_day:  # the slot is full (earlier imports): next free day
                    day += 1
                loads[day] += 1
                last = max(last, day)
                first_due[cid] = (today + timedelta(days=day)).isoformat()
        self.summary.spread_days = last + 1
        self.summary.spread_per_day = per_day
        column = CONTACT_COLUMNS.index("first_due")
        pending = set()
        for n, row in enumerate(self.pending_contacts):
            if row[0] in first_due:
                self.pending_contacts[n] = (*row[:column], first_due[row[0]], *row[column + 1 :])
            pending.add(row[0])
        inserted = [(day, cid) for cid, day in first_due.items() if cid not in pending]
        if inserted:  # rows written early because a later record updated them
            self.conn.exec_driver_sql("UPDATE contact SET first_due = ? WHERE id = ?", inserted)


def _last_id(conn: Any, table: str) -> int:
    """The highest id the table has ever given, deleted rows included (AUTOINCREMENT keeps
    it in sqlite_sequence), so an import never gives a new record an old record's id."""
    used = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar() or 0
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
        seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).scalar()
        used = max(used, seq or 0)
    return used


def _not_future(day: date, today: date) -> None:
    if day > today:
        raise InvalidValue(
            f"dated {day.isoformat()}, after today ({today.isoformat()}): it can't have happened yet"
        )


def _new_uid() -> str:
    """A random (version 4) UUID as text; os.urandom directly is twice uuid4()'s speed."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _sql(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else value


def _utc_text(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(sep=" ")


def import_records(
    session: Session,
    records: Iterable[Record],
    options: ImportOptions,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    importer = Importer(session, options)
    for count, record in enumerate(records, 1):
        importer.add(record)
        if progress is not None and count % 500 == 0:
            progress(count)
    summary = importer.finish()
    # The trigger and indexes set aside come back in this transaction. On any other way
    # out (a bad file, Ctrl-C) the transaction is rolled back, and they with it: running
    # more SQL then, on a connection an interrupt may have left half-way, would only
    # hide the real reason behind a second error.
    importer.restore_schema()
    return summary


# --- export ----------------------------------------------------------------------------------


def export_records(session: Session) -> Iterator[tuple[str, dict[str, Any]]]:
    """("setting"|"contact"|"interaction"|"favor", record as JSON data), by id, in pages."""
    for key, value in session.exec(text('SELECT "key", value FROM setting ORDER BY "key"')):
        yield "setting", {"key": key, "value": value}
    for page in _pages(session, _CONTACT_ROW_SQL, "c"):
        for contact in public_contacts(session, page):
            yield "contact", public_dict(contact)
    for page in _pages(session, "SELECT i.* FROM interaction i", "i"):
        for interaction in interactions_public(session, page):
            yield "interaction", public_dict(interaction)
    favors = "SELECT f.*, c.handle FROM favor f JOIN contact c ON c.id = f.contact_id"
    for page in _pages(session, favors, "f"):
        for row in page:
            yield "favor", public_dict(favor_public(row))


def _pages(session: Session, sql: str, alias: str) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = list(
            session.exec(
                text(f"{sql} WHERE {alias}.id > :last ORDER BY {alias}.id LIMIT {PAGE}"),
                params={"last": last},
            )
        )
        if not rows:
            return
        yield rows
        last = rows[-1].id


def export_contacts(session: Session) -> Iterator[dict[str, Any]]:
    """Every contact as JSON data plus its balance, for the CSV and vCard exports."""
    sql = _CONTACT_ROW_SQL.replace(
        "SELECT c.*,", "SELECT c.*, s.given_weight - s.received_weight AS balance,"
    )
    for page in _pages(session, sql, "c"):
        balances = {row.id: row.balance for row in page}
        for contact in public_contacts(session, page):
            yield public_dict(contact) | {"balance": balances[contact.id]}


# --- merge -----------------------------------------------------------------------------------


@dataclass
class MergeMoves:
    """What a merge brings from the duplicate to the contact kept."""

    touches: int  # interactions the duplicate was in (those both were in count once)
    favors: int
    tags: int  # tags the contact kept did not have yet
    emails: int  # emails the contact kept did not have yet
    introduced: int  # contacts the duplicate had introduced you to

    def as_json(self) -> dict[str, int]:
        return {
            "touches": self.touches,
            "favors": self.favors,
            "tags": self.tags,
            "emails": self.emails,
            "introduced": self.introduced,
        }


def merge_moves(session: Session, keep_id: int, duplicate_id: int) -> MergeMoves:
    params = {"keep": keep_id, "dup": duplicate_id}

    def count(sql: str) -> int:
        return session.exec(text(sql), params=params).scalar_one()

    return MergeMoves(
        touches=count("SELECT count(*) FROM interaction_contact WHERE contact_id = :dup"),
        favors=count("SELECT count(*) FROM favor WHERE contact_id = :dup"),
        tags=count(
            "SELECT count(*) FROM contact_tag WHERE contact_id = :dup AND tag_id NOT IN "
            "(SELECT tag_id FROM contact_tag WHERE contact_id = :keep)"
        ),
        emails=count(
            "SELECT count(*) FROM email WHERE contact_id = :dup AND lower(address) NOT IN "
            "(SELECT lower(address) FROM email WHERE contact_id = :keep)"
        ),
        introduced=count("SELECT count(*) FROM contact WHERE via_id = :dup AND id != :keep"),
    )


def merge_contacts(session: Session, keep_id: int, duplicate_id: int) -> None:
    """Move the duplicate's emails, tags, interactions, favors and introductions onto the
    contact kept, fill its empty fields (notes are joined, not dropped), delete the duplicate."""
    if keep_id == duplicate_id:
        raise InvalidValue("Those are the same contact: give two different ones.")
    conn = session.connection()
    params = {"keep": keep_id, "dup": duplicate_id}

    def run(sql: str) -> None:
        conn.execute(text(sql), params)

    # The duplicate's summary row goes first, so moving its links and favors does not
    # recompute it row by row; the kept contact's summary is updated as they arrive.
    run("DELETE FROM contact_stats WHERE contact_id = :dup")
    keep = conn.execute(text("SELECT * FROM contact WHERE id = :keep"), params).mappings().one()
    dup = conn.execute(text("SELECT * FROM contact WHERE id = :dup"), params).mappings().one()
    fills = {
        column: dup[column]
        for column in (
            "phone",
            "org",
            "title",
            "location",
            "url",
            "met_on",
            "source",
            "via_id",
            "cadence_days",
            "birthday_year",
            "birthday_month",
            "birthday_day",
        )
        if keep[column] is None and dup[column] is not None
    }
    if fills.get("via_id") == keep_id:
        del fills["via_id"]
    # You met the person on the first of the two days: the earlier one is kept.
    if keep["met_on"] is not None and dup["met_on"] is not None and str(dup["met_on"]) < str(keep["met_on"]):
        fills["met_on"] = dup["met_on"]
    if keep["birthday_month"] is not None:
        for column in ("birthday_year", "birthday_month", "birthday_day"):
            fills.pop(column, None)
    # Where both have a value and they differ, the kept one stays and the duplicate's
    # goes into the notes: a merge loses nothing.
    differing = [
        f"{label} {dup[column]}"
        for column, label in (
            ("phone", "phone"),
            ("org", "org"),
            ("title", "title"),
            ("location", "location"),
            ("url", "link"),
        )
        if keep[column] is not None and dup[column] is not None and keep[column] != dup[column]
    ]
    if keep["met_on"] is not None and dup["met_on"] is not None and keep["met_on"] != dup["met_on"]:
        differing.append(f"met on {max(str(keep['met_on']), str(dup['met_on']))}")  # the later day
    dup_birthday = (dup["birthday_year"], dup["birthday_month"], dup["birthday_day"])
    keep_birthday = (keep["birthday_year"], keep["birthday_month"], keep["birthday_day"])
    if (
        keep["birthday_month"] is not None
        and dup["birthday_month"] is not None
        and dup_birthday != keep_birthday
    ):
        differing.append(f"birthday {format_birthday(*dup_birthday)}")
    notes = [keep["notes"]]
    if dup["notes"] and dup["notes"] != keep["notes"]:
        notes.append(dup["notes"])
    if differing:
        notes.append(f"Not kept when {dup['name']} ({dup['handle']}) was merged in: " + "; ".join(differing))
    if len([n for n in notes if n]) > (1 if keep["notes"] else 0):
        fills["notes"] = "\n\n".join(n for n in notes if n)
    if fills:
        assignments = ", ".join(f"{column} = :{column}" for column in fills)
        conn.execute(text(f"UPDATE contact SET {assignments} WHERE id = :keep"), params | fills)
    run(
        "INSERT OR IGNORE INTO email (contact_id, address) SELECT :keep, address FROM email "
        "WHERE contact_id = :dup AND lower(address) NOT IN "
        "(SELECT lower(address) FROM email WHERE contact_id = :keep)"
    )
    run(
        "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) "
        "SELECT :keep, tag_id FROM contact_tag WHERE contact_id = :dup"
    )
    run("UPDATE OR IGNORE interaction_contact SET contact_id = :keep WHERE contact_id = :dup")
    run("DELETE FROM interaction_contact WHERE contact_id = :dup")  # meetings both were at
    run("UPDATE favor SET contact_id = :keep WHERE contact_id = :dup")
    run("UPDATE contact SET via_id = CASE WHEN id = :keep THEN NULL ELSE :keep END WHERE via_id = :dup")
    conn.execute(
        text("UPDATE contact SET updated_at = :now WHERE id = :keep"), params | {"now": _utc_text(stamp())}
    )
    run("DELETE FROM email WHERE contact_id = :dup")
    run("DELETE FROM contact_tag WHERE contact_id = :dup")
    run("DELETE FROM contact WHERE id = :dup")
