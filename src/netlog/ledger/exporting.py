"""Export: the ledger out, in any format of the registry (formats/registry.py).

Each table is streamed by id in pages through the Reader, so memory stays flat in the
ledger's size, and records are written as they are read.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from netlog import jsonable
from netlog.errors import InvalidValue
from netlog.ledger import needs, network
from netlog.ledger.activity import FAVOR_SQL, INTERACTION_SQL, favor_json, interactions_json
from netlog.ledger.contacts import CONTACT_ROW_SQL, contacts_json
from netlog.ledger.rows import id_list
from netlog.public import public_dict
from netlog.storage.reader import Reader

PAGE = 1000
INTRODUCTION_SQL = network.INTRO_SQL
KNOWS_SQL = (
    "SELECT k.id, a.handle AS a, b.handle AS b, k.date, k.note FROM knows k "
    "JOIN contact a ON a.id = k.a_id JOIN contact b ON b.id = k.b_id"
)


def export(
    db: Reader,
    fmt: str,
    stream: BinaryIO,
    *,
    today: date,
    vcard_version: str = "3.0",
    within_days: int = 30,
    todo: bool = False,
) -> None:
    """Write the ledger to `stream` in format `fmt` (one of registry.WRITES)."""
    if fmt in ("jsonl", "json"):
        write_netlog(db, stream, lines=fmt == "jsonl")
    elif fmt == "csv":
        from netlog.formats.csvfile import write_csv

        wrapper = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
        try:
            write_csv(export_contacts(db), wrapper)
        finally:
            wrapper.detach()  # the stream is not the wrapper's to close (stdout, a pipe)
    elif fmt == "google":
        write_google(db, stream)
    elif fmt == "vcf":
        from netlog.formats.vcard_write import write_vcards

        for card in write_vcards(export_contacts(db), version=vcard_version):
            stream.write(card.encode("utf-8"))
    elif fmt in ("graphml", "dot"):
        from netlog.formats import graph
        from netlog.ledger.rules import load_rules

        nodes, edges = network.graph(db, load_rules(db, today))
        (graph.write_graphml if fmt == "graphml" else graph.write_dot)(nodes, edges, stream)
    elif fmt == "ics":
        from netlog.formats.ical import write_ics
        from netlog.ledger.reports import upcoming

        stream.write(write_ics(upcoming(db, as_of=today, within_days=within_days), todo=todo))
    else:  # pragma: no cover - the CLI offers registry.WRITES only
        raise ValueError(f"no writer for {fmt}")
    stream.flush()


def write_google(db: Reader, stream: BinaryIO) -> None:
    """Google Contacts CSV, with as many numbered columns of each kind as the contact
    with the most of it needs (counted in SQL first, so contacts still stream)."""
    import csv

    from netlog.formats.google import google_header, google_row

    most = (
        "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM {table} {where} GROUP BY contact_id) AS c"
    )
    counts = {"email_addresses": db.scalar(most.format(table="email", where=""))}
    for kind, name in (
        ("phone_numbers", "phone"),
        ("addresses", "address"),
        ("urls", "url"),
        ("events", "event"),
    ):
        counts[kind] = db.scalar(most.format(table="detail", where=f"WHERE kind = '{name}'"))
    counts = {kind: max(1, int(n or 0)) if kind != "events" else int(n or 0) for kind, n in counts.items()}
    wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(wrapper, lineterminator="\r\n")
        writer.writerow(google_header(counts))
        for contact in export_contacts(db):
            writer.writerow(google_row(contact, counts))
    finally:
        wrapper.detach()


@dataclass
class VdirResult:
    written: list[str] = field(default_factory=list)  # file names new or changed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # with delete: cards of no contact
    others: list[str] = field(default_factory=list)  # of no contact, left as they are
    ours: int = 0  # how many of the others netlog wrote (--delete would remove those)


def export_vdir(db: Reader, folder: Path, *, vcard_version: str = "3.0", delete: bool = False) -> VdirResult:
    """Write one vCard per contact into `folder`, named by the contact's UID, as khard and
    vdirsyncer keep an address book. A card whose text has not changed is not rewritten
    (so a sync sees no change); a changed one is replaced atomically (outfiles). A .vcf
    the ledger has no contact for is removed only with `delete`, and only when netlog
    wrote it (it is in the folder's note): a card another program put there (one made on
    the phone, not imported yet) is never removed.

    So that an export with nothing changed need not make 10,000 cards to compare them,
    the folder keeps a note of what netlog last wrote (`.netlog-vdir.json`: per card the
    contact's `updated_at` and the file's size and modification time, and which writer
    wrote them). A card is made again when any of those differ: the contact changed, the
    file was changed by another program (a sync), or netlog writes cards differently now.
    vdir readers (vdirsyncer, khard) list only the `.vcf` files."""
    from netlog.outfiles import write_files

    if vcard_version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {vcard_version!r}")
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except FileExistsError:
        raise InvalidValue(f"{folder} is a file, not a folder: give a folder for the vCards.") from None
    except OSError as exc:
        raise InvalidValue(f"Cannot make the folder {folder}: {exc.strerror}.") from None
    result = VdirResult()
    writer = _card_writer(vcard_version)
    noted, same_writer = _vdir_note(folder, writer)
    names: set[str] = set()
    stamps: dict[int, tuple[str, str]] = {}  # contact id -> (file name, updated_at)
    note: dict[str, list[Any]] = {}
    for row in db.each("SELECT id, uid, handle, updated_at FROM contact ORDER BY id"):
        name = card_file_name(str(row.uid or row.handle))
        names.add(name)
        stamp = str(row.updated_at)
        on_disk = _file_state(folder / name)
        if same_writer and on_disk is not None and noted.get(name) == [stamp, *on_disk]:
            result.unchanged += 1
            note[name] = noted[name]
        else:
            stamps[row.id] = (name, stamp)
    changed = _changed_cards(db, folder, stamps, vcard_version, result)
    write_files(folder, changed)
    for name, stamp in stamps.values():
        on_disk = _file_state(folder / name)
        if on_disk is not None:
            note[name] = [stamp, *on_disk]
    for path in sorted(folder.glob("*.vcf")):
        if path.name not in names:
            if delete and path.name in noted:  # netlog wrote it, for a contact now gone
                path.unlink(missing_ok=True)
                result.removed.append(path.name)
            else:
                result.others.append(path.name)
                if path.name in noted:
                    result.ours += 1
                    note[path.name] = noted[path.name]  # still netlog's, for a later --delete
    write_files(folder, [(VDIR_NOTE, json.dumps({"writer": writer, "cards": note}).encode("utf-8"))])
    return result


VDIR_NOTE = ".netlog-vdir.json"


def _card_writer(vcard_version: str) -> str:
    """Which writer makes the cards: its code and the vCard version (a change to either
    makes every card again)."""
    import hashlib

    from netlog.formats import vcard_write

    try:
        code = Path(vcard_write.__file__).read_bytes()
    except OSError:  # pragma: no cover - installed without its source
        code = b""
    return f"{vcard_version}:{hashlib.sha256(code).hexdigest()[:16]}"


def _vdir_note(folder: Path, writer: str) -> tuple[dict[str, Any], bool]:
    """The cards the last export into `folder` wrote (none when the note is missing or
    unreadable), and whether the same writer wrote them."""
    path = folder / VDIR_NOTE
    try:
        if path.is_symlink():
            return {}, False
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, False
    if not isinstance(saved, dict) or not isinstance(saved.get("cards"), dict):
        return {}, False
    return saved["cards"], saved.get("writer") == writer


def _file_state(path: Path) -> list[int] | None:
    """A regular file's size and modification time (ns), or None."""
    import stat

    try:
        info = path.lstat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns] if stat.S_ISREG(info.st_mode) else None


def _changed_cards(
    db: Reader, folder: Path, stamps: dict[int, tuple[str, str]], vcard_version: str, result: VdirResult
) -> list[tuple[str, bytes]]:
    """The cards of these contacts whose text differs from their file's."""
    from netlog.formats.vcard_write import card

    changed = []
    ids = sorted(stamps)
    for start in range(0, len(ids), PAGE):
        chunk = ids[start : start + PAGE]
        for contact in export_contacts(db, ids=chunk):
            name = stamps[contact["id"]][0]
            target = folder / name
            data = card(contact, vcard_version).encode("utf-8")
            try:
                same = not target.is_symlink() and target.read_bytes() == data
            except OSError:
                same = False
            if same:
                result.unchanged += 1
            else:
                changed.append((name, data))
                result.written.append(name)
    return changed


def card_file_name(uid: str) -> str:
    """The file a contact's card goes in: its UID, with what a file name can't hold
    (a `/`, a leading dot) made `_`, and `.vcf`."""
    safe = re.sub(r"[^A-Za-z0-9._@+=-]", "_", uid).lstrip(".") or "contact"
    return f"{safe}.vcf"


def write_netlog(db: Reader, stream: BinaryIO, *, lines: bool) -> None:
    """netlog's own format (JSON Lines, or one JSON document), a page of records at a time."""
    from netlog.formats import jsonl

    if lines:
        line = jsonable.encoder(separators=(", ", ": ")).encode
        stream.write((line(jsonl.header()) + "\n").encode())
        for kind, records in export_pages(db):
            stream.write("".join(line({"type": kind, **record}) + "\n" for record in records).encode())
        return
    item = jsonable.encoder().encode
    head = {"format": jsonl.FORMAT_NAME, "format_version": jsonl.FORMAT_VERSION}
    stream.write(json.dumps(head, ensure_ascii=False)[:-1].encode())
    section = None
    for kind, records in export_pages(db):
        name = jsonl.section_of(kind)
        if name != section:
            stream.write(("]" if section else "").encode() + f', "{name}": ['.encode())
        else:
            stream.write(b",\n")
        section = name
        stream.write(",\n".join(item(record) for record in records).encode())
    stream.write(("]" if section else "").encode() + b"}\n")


def export_pages(db: Reader) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """("setting"|"contact"|"interaction"|"introduction"|"favor"|"knows", a page of records
    as dicts), by id. Introductions come before the favors that name them."""
    settings = [
        {"key": row.key, "value": row.value}
        for row in db.rows('SELECT "key", value FROM setting ORDER BY "key"')
    ]
    if settings:
        yield "setting", settings
    for page in _pages(db, CONTACT_ROW_SQL, "c"):
        yield "contact", contacts_json(db, page)
    for page in _pages(db, INTERACTION_SQL, "i"):
        yield "interaction", interactions_json(db, page)
    for page in _pages(db, INTRODUCTION_SQL, "i"):
        yield "introduction", [public_dict(record) for record in network.introductions_of_rows(db, page)]
    for page in _pages(db, FAVOR_SQL, "f"):
        yield "favor", [favor_json(row) for row in page]
    for page in _pages(db, KNOWS_SQL, "k"):
        yield "knows", [{"a": row.a, "b": row.b, "date": str(row.date), "note": row.note} for row in page]
    for kind in ("need", "offer"):
        sql = f"SELECT * FROM ({needs.NEED_SQL} WHERE n.kind = '{kind}') x"
        for page in _pages(db, sql, "x"):
            # the status as kept: "expired" is a reading of it on a day, not a state
            yield kind, [public_dict(record) for record in needs.needs_of_rows(db, page, date.min)]


def export_contacts(db: Reader, *, ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """Every contact (or those of `ids`, a page of them) as a dict plus its balance, for
    the CSV and vCard exports."""
    sql = CONTACT_ROW_SQL.replace(
        "SELECT c.id,", "SELECT s.given_weight - s.received_weight AS balance, c.id,", 1
    )
    if ids is not None:
        pages: Iterable[list[Any]] = [db.rows(f"{sql} WHERE c.id IN ({id_list(ids)}) ORDER BY c.id")]
    else:
        pages = _pages(db, sql, "c")
    for page in pages:
        for row, contact in zip(page, contacts_json(db, page), strict=True):
            contact["balance"] = row.balance
            yield contact


def _pages(db: Reader, sql: str, alias: str) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = db.rows(f"{sql} WHERE {alias}.id > :last ORDER BY {alias}.id LIMIT {PAGE}", {"last": last})
        if not rows:
            return
        yield rows
        last = rows[-1].id
