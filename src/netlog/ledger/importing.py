"""Import: records in, matched against the ledger, written through the one write path.

- An incoming contact matches an existing one by UID (netlog's own export), then
  profile URL, then email, then the normalised full name; contacts created earlier in
  the same import count too, so a file that lists someone twice merges them. Two
  different profile URLs mean two people, whatever their names.
- On a match, `on_conflict` decides: `update` (default) fills empty fields and adds
  emails and tags, and overwrites non-empty fields only with `overwrite`; `skip`
  leaves the contact alone; `new` creates another contact anyway.
- New contacts are given their ids and handles as they are read (so later records
  match them) and written in batches by `write.add_contacts`, exactly as `add` writes
  one; touches and favors go through `write.record_touches` / `record_favors`.
- An import is lenient where an address book is odd, and says so: an email that is not
  one, or a link with spaces, goes into the notes; an implausible birthday year or a
  future meeting day is dropped. Anything else wrong rejects that record alone.
- Interactions and favors refer to contacts by handle: a handle of this file (even if
  the contact got another handle here) or one already in the ledger.
- `spread`: new contacts with nothing recorded would all come due together (on day
  one if met long ago, else a cadence after the import). Each gets a first due day
  (`first_due`) spread evenly over its cadence (longer if needed), most recently met
  first, never more than the `import.per_day` setting (5) on one day, so the morning
  list grows by a handful a day.
- The policy: the whole import is one transaction. It is rolled back for a dry run,
  with `strict` when any record is rejected, and when records were rejected and none
  imported; `ImportSummary.written` says which.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from netlog.errors import InvalidValue, NotFound
from netlog.formats import registry
from netlog.formats.records import (
    ENTRY_KINDS,
    NAME_PARTS,
    ContactRecord,
    FavorRecord,
    InteractionRecord,
    IntroductionRecord,
    KnowsRecord,
    NeedRecord,
    Notice,
    Record,
    Rejected,
    SettingRecord,
)
from netlog.ledger import journal, write
from netlog.ledger.card import MAX_LABEL
from netlog.ledger.contacts import Found
from netlog.ledger.names import fold, normalise_tag, normalise_url
from netlog.ledger.rows import chunks, grouped, id_list, stamp
from netlog.ledger.settings import get_int
from netlog.ledger.values import check_email, check_url
from netlog.storage.reader import reader_of
from netlog.vocab import Circle

# Secondary indexes a large import builds once at the end instead of row by row
# (random keys make each insert a B-tree walk; building afterwards is one sort).
DEFERRED_INDEXES = (
    "ix_contact_name_key",
    "ix_contact_via",
    "ix_contact_birthday",
    "ix_contact_uid",
    "ix_contact_tag_tag",
)
BATCH = 2000  # new contacts written at a time
_FILLABLE = ("org", "title", "location", "met_on", "source", "notes", *NAME_PARTS)


@dataclass
class ImportOptions:
    today: date
    on_conflict: str = "update"  # update | skip | new
    overwrite: bool = False
    spread: bool = True
    expected: int = 0  # roughly how many records the file holds (0: unknown)
    dry_run: bool = False
    strict: bool = False  # nothing is written if any record is rejected


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)  # handles
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    interactions: int = 0
    favors: int = 0
    introductions: int = 0
    knows: int = 0
    needs: int = 0  # needs and offers
    settings: int = 0
    spread_days: int = 0  # the new contacts come due over this many days from today
    spread_per_day: int = 0  # at most this many a day
    written: bool = False  # False: rolled back (a dry run, or a failed import)
    failed: bool = False  # rolled back because of rejected records

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "skipped": len(self.skipped),
            "rejected": len(self.rejected),
            "interactions": self.interactions,
            "favors": self.favors,
            "introductions": self.introductions,
            "knows": self.knows,
            "needs": self.needs,
            "settings": self.settings,
        }

    @property
    def imported(self) -> int:
        """Records read into the ledger. Records already there (skipped) count: re-running
        an import that adds nothing new is a success."""
        counts = self.counts()
        kinds = (
            "created",
            "updated",
            "skipped",
            "interactions",
            "favors",
            "introductions",
            "knows",
            "needs",
            "settings",
        )
        return sum(counts[k] for k in kinds)

    def failure(self, label: str, strict: bool) -> str | None:
        """The one-line error of a failed import, or None."""
        if not self.failed:
            return None
        why = "(--strict)" if strict and self.imported else "and nothing could be imported"
        first, count = self.rejected[0], len(self.rejected)
        where = label if first.position in ("the file", "the input") else first.position
        if count == 1:
            return f"{where}: {first.reason.rstrip('.')}; rejected {why}, so nothing was written."
        return f"{count} records rejected {why}, so nothing was written. First, {where}: {first.reason}"


def import_file(
    session: Any,
    data: bytes,
    *,
    fmt: str | None,
    name: str | None,
    options: ImportOptions,
    mapping: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, ImportSummary]:
    """Import a file (format detected when `fmt` is None) into the session's ledger, and
    keep or roll back the whole of it by the policy above; returns the format and what
    happened."""
    if not data.strip():
        raise InvalidValue(f"{name or 'The input'} is empty: nothing to import.")
    fmt = fmt or registry.detect(data, name)
    if mapping and fmt != "csv":
        raise InvalidValue(f"--map applies to CSV files with a header; this is {fmt}.")
    options = replace(options, expected=options.expected or registry.estimate(data, fmt))
    records = registry.read(data, fmt, name, mapping or {})
    return fmt, _import(session, records, name=name or "stdin", fmt=fmt, options=options, progress=progress)


def import_folder(
    session: Any,
    folder: Path,
    *,
    options: ImportOptions,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, ImportSummary]:
    """Import a folder of vCards (a vdir: one .vcf per contact, as khard and vdirsyncer
    keep them), by the same policy as a file."""
    from collections import Counter

    from netlog.formats.vcard import not_kept, read_vcards

    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".vcf" and p.is_file())
    except OSError as exc:
        raise InvalidValue(f"Cannot read the folder {folder}: {exc.strerror}.") from None

    def records() -> Iterator[Record]:
        unused: Counter[str] = Counter()  # one count for the folder, not a notice a card
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as exc:
                yield Rejected(path.name, f"cannot read it ({exc.strerror})")
                continue
            for record in read_vcards(data, unused):
                record.position = f"{path.name}, {record.position}"
                yield record
        yield from not_kept(unused, "the folder")

    options = replace(options, expected=options.expected or len(paths))
    return "vdir", _import(
        session, records(), name=str(folder), fmt="vdir", options=options, progress=progress
    )


def _import(
    session: Any,
    records: Iterable[Record],
    *,
    name: str,
    fmt: str,
    options: ImportOptions,
    progress: Callable[[int], None] | None,
) -> ImportSummary:
    summary = import_records(session, records, options, progress)
    if not (summary.imported or summary.rejected):
        raise InvalidValue(f"{name} holds no records ({fmt}): nothing to import.")
    summary.failed = bool(summary.rejected) and (options.strict or not summary.imported)
    summary.written = not (options.dry_run or summary.failed)
    if not summary.written:
        session.rollback()
    return summary


def import_records(
    session: Any,
    records: Iterable[Record],
    options: ImportOptions,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    importer = Importer(session, options)
    for count, record in enumerate(records, 1):
        importer.add(record)
        if progress is not None and count % 500 == 0:
            progress(count)
    # The indexes set aside come back in this transaction. On any other way out (a bad
    # file, Ctrl-C) the transaction is rolled back, and they with it: running more SQL
    # then, on a connection an interrupt may have left half-way, would only hide the
    # real reason behind a second error.
    return importer.finish()


class Importer:
    """One import into one session; feed records, then `finish()`."""

    def __init__(self, session: Any, options: ImportOptions) -> None:
        self.session = session
        self.db = reader_of(session)
        self.options = options
        self.member = journal.member_of(session)  # who imports: the rows' member
        self.summary = ImportSummary()
        self.now = stamp()
        # A bigger page cache for this connection: index inserts in bulk need it.
        session.connection().exec_driver_sql("PRAGMA cache_size = -65536")
        self.handles: dict[str, int] = {}
        self.handle_by_id: dict[int, str] = {}
        self.by_uid: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.url_of: dict[int, str] = {}
        # The contacts this import has created or matched, each with the identity the
        # file gave it (see _identity): a contact the file calls one person is never
        # matched again, by link, email or name, to a record the file calls another.
        self.claimed: dict[int, str] = {}
        for row in self.db.each("SELECT id, handle, uid, url, name_key FROM contact"):
            cid = row.id
            self.handles[row.handle] = cid
            self.handle_by_id[cid] = row.handle
            if row.uid:
                self.by_uid[row.uid] = cid
            if row.url and (key := normalise_url(row.url)):
                self.by_url.setdefault(key, cid)
                self.url_of[cid] = key
            self.by_name[row.name_key].append(cid)
        for row in self.db.each("SELECT contact_id, address FROM email"):
            self.by_email.setdefault(row.address.casefold(), row.contact_id)
        self.ids = write.Allocator(self.db, handles=self.handles)
        self.file_handles: dict[str, int] = {}  # a handle as written in the file -> contact id
        self.pending: list[write.NewContact] = []
        self.pending_ids: set[int] = set()
        self.late_via: list[tuple[str, int, str]] = []  # (position, contact, introducer's handle)
        self.interactions: list[tuple[InteractionRecord, list[int | None]]] = []
        self.favors: list[tuple[FavorRecord, int | None]] = []
        self.introductions: list[IntroductionRecord] = []
        self.knows: list[KnowsRecord] = []
        self.needs: list[NeedRecord] = []
        self.touch_ids: dict[int, int] = {}  # the file's interaction id -> the ledger's
        self.intro_ids: dict[int, int] = {}  # the file's introduction id -> the ledger's
        self.favor_ids: dict[int, int] = {}  # the file's favor id -> the ledger's
        # What the ledger held before this import, read in bulk where the file asks:
        self.touches_here: dict[int, Any] = {}  # interactions with the file's ids
        self.people_here: dict[int, list[int]] = {}  # their people
        self.favors_here: dict[int, Any] = {}  # favors with the file's ids
        self.needs_here: dict[tuple[str, str, str, int | None], Any] | None = None  # by what they say
        self.introduced: list[int] = []  # new contacts with an introducer: their via favors
        self.fresh: list[tuple[int, str, date | None, int | None, bool]] = []  # spread candidates
        self.set_aside: list[str] = []
        self._set_aside_indexes()

    def _set_aside_indexes(self) -> None:
        """A large import, at least the size of the ledger, builds some indexes after the
        rows are in; restored by finish(), in this same transaction (a rollback or a kill
        restores them anyway)."""
        if not (self.options.expected >= 10_000 and self.options.expected >= len(self.handles)):
            return
        marks = ", ".join(f":n{i}" for i in range(len(DEFERRED_INDEXES)))
        params = {f"n{i}": name for i, name in enumerate(DEFERRED_INDEXES)}
        conn = self.session.connection()
        for row in self.db.rows(f"SELECT name, sql FROM sqlite_master WHERE name IN ({marks})", params):
            conn.exec_driver_sql(f"DROP INDEX {row.name}")
            self.set_aside.append(row.sql)

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
            elif isinstance(record, IntroductionRecord):
                self.introductions.append(record)
            elif isinstance(record, KnowsRecord):
                self.knows.append(record)
            elif isinstance(record, NeedRecord):
                self.needs.append(record)
            elif isinstance(record, SettingRecord):
                write.set_setting(self.session, record.key, record.value)
                self.summary.settings += 1
            elif isinstance(record, Rejected):
                self.summary.rejected.append(record)
            elif isinstance(record, Notice):
                self.summary.notices.append(record)
        except (InvalidValue, NotFound) as exc:  # a bad value, an unknown setting...
            self.summary.rejected.append(Rejected(record.position, exc.message))

    def _lenient(self, record: ContactRecord) -> ContactRecord:
        """The record with what an address book gets wrong kept in the notes or dropped,
        each with a notice (changed in place)."""
        notes = [record.notes] if record.notes else []
        emails, not_emails = [], []
        for raw in record.emails:
            try:
                emails.append(check_email(raw))
            except InvalidValue:
                not_emails.append(raw.strip())
        labelled = []
        for entry in record.email_addresses:
            try:
                labelled.append(replace(entry, address=check_email(entry.address)))
            except InvalidValue:
                if entry.address.strip() not in not_emails:
                    not_emails.append(entry.address.strip())
        record.email_addresses = labelled
        links = []
        for link in record.urls:
            try:
                links.append(replace(link, url=check_url(link.url) or link.url))
            except InvalidValue:
                notes.append(f"Not a link: {link.url}")
                self._notice(record, "kept a link in the notes: it holds spaces or control characters")
        record.urls = links
        long = [
            item
            for kind in ENTRY_KINDS
            for item in getattr(record, kind)
            if item.label and len(item.label.strip()) > MAX_LABEL
        ]
        for item in long:  # an address book's long label costs it its end, not the card
            item.label = item.label.strip()[:MAX_LABEL].rstrip()
        if long:
            self._notice(record, f"a label longer than {MAX_LABEL} characters was cut to {MAX_LABEL}")
        if not_emails:  # kept, not lost: an address book's odd entry is still worth having
            shown = ", ".join(not_emails)
            notes.append(f"Not an email address: {shown}")
            self._notice(record, f"kept {shown!r} in the notes: not an email address")
        url = record.url
        if url is not None:
            try:
                url = check_url(url)
            except InvalidValue:
                notes.append(f"Not a link: {url}")
                self._notice(record, "kept the link in the notes: it holds spaces or control characters")
                url = None
        uid = record.uid
        if uid is not None and not write.UID.fullmatch(uid):
            self._notice(record, "its UID is not one netlog can keep; gave it a new one")
            uid = None
        birthday = record.birthday
        if birthday:
            year, month, day = birthday
            if year is not None and (year < 1900 or date(year, month, day) > self.options.today):
                self._notice(record, f"birthday year {year} is not plausible; kept the day and month")
                birthday = (None, month, day)
        met_on = record.met_on
        if met_on and met_on > self.options.today:
            self._notice(record, f"met on {met_on.isoformat()} is in the future; left empty")
            met_on = None
        # In place: the record is this import's own, read from the file for it.
        record.emails, record.url, record.uid = emails, url, uid
        record.birthday, record.met_on, record.notes = birthday, met_on, "\n".join(notes) or None
        return record

    def _notice(self, record: ContactRecord, message: str) -> None:
        self.summary.notices.append(Notice(record.position, message))

    def _contact(self, record: ContactRecord) -> None:
        record = self._lenient(record)
        new = write.checked(
            write.NewContact(
                name=record.name,
                emails=record.emails,
                tags=[t for t in record.tags if normalise_tag(t)],  # an empty tag is no tag
                phone=record.phone,
                org=record.org,
                title=record.title,
                location=record.location,
                url=record.url,
                notes=record.notes,
                circle=record.circle,
                source=record.source,
                met_on=record.met_on,
                cadence_days=record.cadence_days,
                birthday=record.birthday,
                archived=record.archived,
                snoozed_until=record.snoozed_until,
                first_due=record.first_due,
                handle=record.handle,
                uid=record.uid if record.uid and record.uid not in self.by_uid else None,
                id=record.id,
                created_at=record.created_at,
                updated_at=record.updated_at or record.created_at,
                **{part: getattr(record, part) for part in NAME_PARTS},
                **{kind: getattr(record, kind) for kind in ENTRY_KINDS},
            )
        )
        name_key = new.name_key or fold(new.name)
        url_key = normalise_url(new.url)
        identity = _identity(record)
        new_anyway = self.options.on_conflict == "new"
        match = None if new_anyway else self._match(record, identity, name_key, url_key)
        if match is not None:
            if identity is not None:
                self.claimed.setdefault(match, identity)
            if record.handle:
                self._file_handle(record, match)
            handle = self.handle_by_id[match]
            if self.options.on_conflict == "skip":
                self.summary.skipped.append(handle)
            elif self._update(match, new, record):
                self.summary.updated.append(handle)
            else:
                self.summary.skipped.append(handle)
            return
        self._create(record, new, name_key, url_key)

    def _match(
        self, record: ContactRecord, identity: str | None, name_key: str, url: str | None
    ) -> int | None:
        if record.uid and record.uid in self.by_uid:
            return self.by_uid[record.uid]

        def free(cid: int | None) -> bool:  # not someone else, by the file's own word
            return cid is not None and (identity is None or self.claimed.get(cid, identity) == identity)

        if url and free(self.by_url.get(url)):
            return self.by_url[url]
        for email in record.emails:
            if free(cid := self.by_email.get(email.casefold())):
                return cid
        for cid in self.by_name.get(name_key, ()):
            if free(cid) and (not url or cid not in self.url_of):  # two profiles: two people
                return cid
        return None

    def _create(
        self, record: ContactRecord, new: write.NewContact, name_key: str, url_key: str | None
    ) -> None:
        introducer = self._contact_id(record.via) if record.via else None
        new.via_id = introducer
        self.ids.assign(new)
        cid, handle = new.id, new.handle
        assert cid is not None and handle is not None
        if record.via and introducer is None:  # later in the file, perhaps
            self.late_via.append((record.position, cid, record.via))
        if record.via:
            self.introduced.append(cid)
        uid = new.uid = new.uid or write.new_uid()
        self.pending.append(new)
        self.pending_ids.add(cid)
        # Index the new contact at once, so later records match it.
        self.handles[handle] = cid
        self.handle_by_id[cid] = handle
        if record.handle:
            self._file_handle(record, cid)
        self.by_uid[uid] = cid
        if (identity := _identity(record)) is not None:
            self.claimed[cid] = identity
        if url_key:
            self.by_url.setdefault(url_key, cid)
            self.url_of[cid] = url_key
        for email in new.emails:
            self.by_email.setdefault(email.casefold(), cid)
        self.by_name[name_key].append(cid)
        self.summary.created.append(handle)
        if record.first_due is None and not record.keeps_schedule:
            assert new.circle is not None
            self.fresh.append((cid, new.circle, new.met_on, new.cadence_days, new.archived))
        if len(self.pending) >= BATCH:
            self._flush_contacts()  # memory stays flat; a spread fills first due days in later

    def _update(self, cid: int, new: write.NewContact, record: ContactRecord) -> bool:
        """Fill the matched contact's empty fields (all of them with overwrite), add its
        new emails and tags; False when that changes nothing."""
        if cid in self.pending_ids:
            self._flush_contacts()  # the contact is still waiting to go in
        current = self.db.one(
            f"SELECT {', '.join(_FILLABLE)}, circle, cadence_days, "
            "birthday_year, birthday_month, birthday_day FROM contact WHERE id = :c",
            {"c": cid},
        )
        overwrite = self.options.overwrite
        changes: dict[str, Any] = {}
        for column in _FILLABLE:
            value = getattr(new, column)
            if value is None:
                continue
            old = getattr(current, column)
            shown = value.isoformat() if isinstance(value, date) else value
            if old in (None, "") or (overwrite and str(old) != shown):
                changes[column] = value
        stored = (current.birthday_year, current.birthday_month, current.birthday_day)
        if new.birthday and new.birthday != stored and (current.birthday_month is None or overwrite):
            changes["birthday"] = new.birthday
        if overwrite:
            if record.circle and new.circle != current.circle:  # given in the file, not the default
                changes["circle"] = new.circle
            if new.cadence_days and new.cadence_days != current.cadence_days:
                changes["cadence_days"] = new.cadence_days
        given = {kind: getattr(new, kind) for kind in ENTRY_KINDS if getattr(new, kind)}
        if overwrite and given:
            added_entries = write.replace_entries(self.session, cid, given)
        else:
            added_entries = write.add_entries(self.session, cid, given)
        for email in new.emails:
            self.by_email.setdefault(email.casefold(), cid)
        added_tags = write.change_tags(self.session, cid, add=new.tags, allocator=self.ids)
        if changes or added_entries or added_tags:
            write.update_contact(self.session, cid, changes, now=self.now)
            return True
        return False

    def _flush_contacts(self) -> None:
        if self.pending:
            write.add_contacts(
                self.session, self.pending, allocator=self.ids, assigned=True, now=self.now, via_favors=False
            )
            self.pending, self.pending_ids = [], set()

    # --- the end -----------------------------------------------------------------------------

    def finish(self) -> ImportSummary:
        if self.options.spread:
            self._spread(self._referenced())  # before the rows go in: no UPDATE afterwards
        self._flush_contacts()
        self._late_introductions()
        self._insert_interactions()
        self._insert_introductions()
        self._insert_favors()
        self._insert_knows()
        self._insert_needs()
        # Each new contact's introducer did you a favor: made here unless the file had it.
        write.sync_via_favors(self.session, self.introduced, allocator=self.ids, now=self.now)
        conn = self.session.connection()
        for sql in self.set_aside:
            conn.exec_driver_sql(sql)
        self.set_aside = []
        return self.summary

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

    def _late_introductions(self) -> None:
        """Introducers who came later in the file than the people they introduced."""
        links = {}
        for position, cid, via in self.late_via:
            introducer = self._contact_id(via)
            if introducer is None or introducer == cid:
                self.summary.notices.append(
                    Notice(position, f"introducer {via!r} is not in the ledger; left empty")
                )
            else:
                links[cid] = introducer
        write.fill_in(self.session, "via_id", links)

    def _rows_by_id(self, table: str, columns: str, ids: Iterable[int | None]) -> dict[int, Any]:
        """The rows of `table` already in the ledger with these ids, read in chunks: one
        look-up a record would cost a round trip each on a server (20,000 of them for a
        ledger of 20,000 touches)."""
        wanted = sorted({i for i in ids if i is not None})
        found: dict[int, Any] = {}
        for chunk in chunks(wanted):
            for row in self.db.rows(f"SELECT id, {columns} FROM {table} WHERE id IN ({id_list(chunk)})"):
                found[int(row.id)] = row
        return found

    def _insert_interactions(self) -> None:
        touches = []
        in_file = (record.id for record, _ in self.interactions)
        self.touches_here = self._rows_by_id("interaction", "date, kind", in_file)
        self.people_here = grouped(
            self.db,
            "SELECT interaction_id, contact_id FROM interaction_contact WHERE interaction_id IN ({ids})",
            sorted(self.touches_here),
        )
        for record, known in self.interactions:
            try:
                _not_future(record.date, self.options.today)
                people = [k or self._contact_id(h) for h, k in zip(record.contacts, known, strict=True)]
                missing = [h for h, p in zip(record.contacts, people, strict=True) if p is None]
                if missing:
                    raise InvalidValue(f"no contact with handle {missing[0]!r}")
                touch = write.checked_touch(
                    write.NewTouch(
                        record.date, [p for p in people if p is not None], record.kind, record.note, record.id
                    )
                )
                before = self._imported_before(touch)
                if before is not None:
                    if touch.id is not None:
                        self.touch_ids[touch.id] = before
                    continue
            except InvalidValue as exc:
                self.summary.rejected.append(Rejected(record.position, exc.message))
                continue
            touches.append(touch)
        wanted = [t.id for t in touches]
        new_ids = write.record_touches(self.session, touches, allocator=self.ids, now=self.now)
        self.touch_ids.update({w: n for w, n in zip(wanted, new_ids, strict=True) if w is not None})
        self.summary.interactions += len(touches)

    def _insert_introductions(self) -> None:
        for record in self.introductions:
            try:
                a, b = self._contact_id(record.a), self._contact_id(record.b)
                missing = record.a if a is None else record.b if b is None else None
                if missing is not None:
                    raise InvalidValue(f"no contact with handle {missing!r}")
                assert a is not None and b is not None
                _not_future(record.date, self.options.today)
                before = self.db.first(
                    "SELECT id FROM introduction WHERE date = :d AND ((a_id = :a AND b_id = :b) "
                    "OR (a_id = :b AND b_id = :a))",
                    {"d": record.date, "a": a, "b": b},
                )
                if before is not None:  # imported before
                    if record.id is not None:
                        self.intro_ids[record.id] = before.id
                    continue
                touch = self.touch_ids.get(record.touch) if record.touch is not None else None
                new = write.NewIntroduction(
                    a,
                    b,
                    record.date,
                    record.note,
                    record.outcome,
                    record.outcome_on,
                    touch,
                    record.id,
                    record.outcome_note,
                )
                (number,) = write.insert_introductions(self.session, [new], allocator=self.ids, now=self.now)
            except InvalidValue as exc:
                self.summary.rejected.append(Rejected(record.position, exc.message))
                continue
            if record.id is not None:
                self.intro_ids[record.id] = number
            self.summary.introductions += 1

    def _insert_knows(self) -> None:
        for record in self.knows:
            a, b = self._contact_id(record.a), self._contact_id(record.b)
            if a is None or b is None or a == b:
                missing = record.a if a is None else record.b
                why = (
                    f"no contact with handle {missing!r}"
                    if a is None or b is None
                    else "the same contact twice"
                )
                self.summary.rejected.append(Rejected(record.position, why))
                continue
            found = [Found(a, "", "", False), Found(b, "", "", False)]
            try:
                if (
                    write.record_knows(self.session, *found, on=record.date, note=record.note, now=self.now)
                    == "new"
                ):
                    self.summary.knows += 1
            except InvalidValue as exc:
                self.summary.rejected.append(Rejected(record.position, exc.message))

    def _insert_needs(self) -> None:
        from netlog.ledger.names import is_me

        items = []
        for record in self.needs:
            try:
                owner = None if is_me(record.contact) else self._contact_id(record.contact)
                if owner is None and not is_me(record.contact):
                    raise InvalidValue(f"no contact with handle {record.contact!r}")
                _not_future(record.created_on, self.options.today)
                met_by_me = is_me(record.met_by)
                met_by = self._contact_id(record.met_by) if record.met_by and not met_by_me else None
                if record.met_by and not met_by_me and met_by is None:
                    raise InvalidValue(f"no contact with handle {record.met_by!r} (met_by)")
                before = self._need_imported_before(record, owner)
                if before is not None:
                    self._need_moved_on(before, record, met_by, met_by_me)
                    continue
                favor = self.favor_ids.get(record.favor) if record.favor is not None else None
                item = write.NewNeed(
                    owner, record.kind, record.text, record.created_on, record.tags, until=record.until,
                    status=record.status, met_on=record.met_on, met_by_id=met_by, met_by_me=met_by_me,
                    dropped_on=record.dropped_on, favor_id=favor, id=record.id,
                )  # fmt: skip
                items.append(write.checked_need(item))
            except InvalidValue as exc:
                self.summary.rejected.append(Rejected(record.position, exc.message))
        write.insert_needs(self.session, items, allocator=self.ids, now=self.now)
        self.summary.needs += len(items)

    def _need_imported_before(self, record: NeedRecord, owner: int | None) -> Any:
        """The same need or offer in the ledger (same kind, owner, text and day), or None."""
        if self.needs_here is None:  # read once: a look-up a need is a round trip each on a server
            self.needs_here = {}
            for row in self.db.rows("SELECT id, status, kind, text, created_on, contact_id FROM need_offer "
                                    "ORDER BY id"):  # fmt: skip
                key = (row.kind, row.text, str(row.created_on), row.contact_id)
                self.needs_here.setdefault(key, row)
        text = " ".join(record.text.split())
        return self.needs_here.get((record.kind, text, str(record.created_on), owner))

    def _need_moved_on(self, before: Any, record: NeedRecord, met_by: int | None, met_by_me: bool) -> None:
        """A need open in the ledger and met or dropped in the file (a later export of the
        same ledger) is met or dropped here too; nothing goes the other way."""
        if before.status != "open" or record.status == "open":
            return
        if record.status == "met" and record.kind == "need":
            values: dict[str, Any] = {"met_on": record.met_on or record.created_on, "met_by_id": met_by,
                                      "met_by_me": met_by_me}  # fmt: skip
            favor = self.favor_ids.get(record.favor) if record.favor is not None else None
            if favor is not None and not self.db.first(
                "SELECT 1 FROM need_offer WHERE favor_id = :f", {"f": favor}
            ):
                values["favor_id"] = favor
        elif record.status == "dropped":
            values = {"dropped_on": record.dropped_on or record.created_on}
        else:
            return
        write.move_need_on(self.session, before.id, record.status, values)
        self.summary.needs += 1

    def _imported_before(self, touch: write.NewTouch) -> int | None:
        """The id of the same interaction imported before: same id, date, kind and people;
        or, when the file's id is another interaction's here (it was taken when the file
        was first imported, so the touch got a new one), same day, kind, note and people,
        recorded by the same member (two members may well share a lunch's day and note)."""
        if touch.id is None:
            return None
        row = self.touches_here.get(touch.id)
        if row is None:
            return None
        if (
            str(row.date) == touch.date.isoformat()
            and row.kind == touch.kind
            and set(self.people_here.get(touch.id, ())) == set(touch.contacts)
        ):
            return touch.id
        for other in self.db.rows(
            "SELECT i.id FROM interaction i JOIN interaction_contact ic ON ic.interaction_id = i.id "
            "WHERE ic.contact_id = :c AND i.date = :d AND i.kind = :k AND i.note IS :n AND i.member = :m",
            {"c": touch.contacts[0], "d": touch.date, "k": touch.kind, "n": touch.note, "m": self.member},
        ):
            if self._people(other.id) == set(touch.contacts):
                return int(other.id)
        return None

    def _people(self, interaction_id: int) -> set[int]:
        rows = self.db.rows(
            "SELECT contact_id FROM interaction_contact WHERE interaction_id = :i", {"i": interaction_id}
        )
        return {p.contact_id for p in rows}

    def _insert_favors(self) -> None:
        favors = []
        self.favors_here = self._rows_by_id(
            "favor", "contact_id, description, date", (r.id for r, _ in self.favors)
        )
        for record, known in self.favors:
            try:
                person = known or self._contact_id(record.contact)
                if person is None:
                    raise InvalidValue(f"no contact with handle {record.contact!r}")
                _not_future(record.date, self.options.today)
                introduced = self._contact_id(record.introduced) if record.introduced else None
                if (
                    introduced is not None
                    and record.direction == "received"
                    and record.introduction is None
                    and self.db.first(
                        "SELECT 1 FROM favor WHERE direction = 'received' AND introduction_id IS NULL "
                        "AND introduced_id = :x",
                        {"x": introduced},
                    )
                ):
                    continue  # the introduction to them is in the ledger already
                favor = write.checked_favor(
                    write.NewFavor(
                        person,
                        record.direction,
                        record.description,
                        record.date,
                        record.weight,
                        record.status,
                        record.due,
                        record.resolved_on,
                        record.id,
                        introduced,
                        self.intro_ids.get(record.introduction) if record.introduction is not None else None,
                    )
                )
                before = self._favor_before(favor, person)
                if before is not None and favor.id is not None:
                    self.favor_ids[favor.id] = before
                    continue  # imported before
            except InvalidValue as exc:
                self.summary.rejected.append(Rejected(record.position, exc.message))
                continue
            favors.append(favor)
        numbers = write.record_favors(self.session, favors, allocator=self.ids, now=self.now)
        for favor, number in zip(favors, numbers, strict=True):
            if favor.id is not None:  # kept when it was free, else a new one
                self.favor_ids[favor.id] = number
        self.summary.favors += len(favors)

    def _favor_before(self, favor: write.NewFavor, person: int) -> int | None:
        """The id of the same favor imported before: same id, contact, description and day;
        or, when the file's id is another favor's here (taken at the first import), the
        same contact, direction, description and day, recorded by the same member."""
        if favor.id is None:
            return None
        row = self.favors_here.get(favor.id)
        if row is None:
            return None
        if (
            row.contact_id == person
            and row.description == favor.description
            and str(row.date) == str(favor.date)
        ):
            return favor.id
        other = self.db.first(
            "SELECT id FROM favor WHERE contact_id = :c AND direction = :dir AND description = :d "
            "AND date = :day AND member = :m ORDER BY id",
            {
                "c": person,
                "dir": favor.direction,
                "d": favor.description,
                "day": favor.date,
                "m": self.member,
            },
        )
        return None if other is None else int(other.id)

    def _spread(self, touched: set[int]) -> None:
        """First due days for new contacts with nothing recorded, spread over their cadence
        and never more than `import.per_day` on one day.

        With N of them on a cadence of C days, the span is C days, or N / per_day days if
        that is longer; the i-th most recently met gets the slot of days
        [i*span//N, (i+1)*span//N) from today, and in it the day that the first due days
        already in the ledger (earlier imports) leave least busy; a slot that is full
        passes its contact on to the next day with room. So about N / span a day, and
        imports one after another do not pile up on the same days. Set on the contacts
        still waiting to be written, and in one UPDATE per batch on those written already.
        """
        cadences = {c.value: get_int(self.db, f"cadence.{c.value}") for c in Circle}
        per_day = get_int(self.db, "import.per_day")
        groups: dict[int, list[tuple[int, date | None]]] = defaultdict(list)
        for cid, circle, met_on, cadence_days, archived in self.fresh:
            if cid not in touched and not archived:
                groups[cadence_days or cadences[circle]].append((cid, met_on))
        if not groups:
            return
        today = self.options.today
        loads: Counter[int] = Counter()
        for row in self.db.rows(
            "SELECT first_due AS day, count(*) AS n FROM contact WHERE first_due >= :t GROUP BY first_due",
            {"t": today},
        ):
            loads[(date.fromisoformat(str(row.day)) - today).days] += row.n
        first_due: dict[int, date] = {}
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
                first_due[cid] = today + timedelta(days=day)
        self.summary.spread_days = last + 1
        self.summary.spread_per_day = per_day
        for contact in self.pending:  # still waiting: they go in with it
            if contact.id in first_due:
                contact.first_due = first_due.pop(contact.id)
        write.fill_in(self.session, "first_due", first_due)  # the ones written already


def _identity(record: ContactRecord) -> str | None:
    """Who the file says a record is, when it says: its UID, else its handle (netlog's
    own exports give both). Two records with different identities are two people, however
    alike their names; records without one are told apart by link, email and name."""
    if record.uid:
        return f"uid:{record.uid}"
    if record.handle:
        return f"handle:{record.handle.strip().lower()}"
    return None


def _not_future(day: date, today: date) -> None:
    if day > today:
        raise InvalidValue(
            f"dated {day.isoformat()}, after today ({today.isoformat()}): it can't have happened yet"
        )
