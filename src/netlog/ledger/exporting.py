"""Export: the ledger out, in any format of the registry (formats/registry.py).

Each table is streamed by id in pages through the Reader, so memory stays flat in the
ledger's size, and records are written as they are read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from netlog import jsonable
from netlog.ledger.activity import FAVOR_SQL, INTERACTION_SQL, favor_json, interactions_json
from netlog.ledger.contacts import CONTACT_ROW_SQL, public_contacts
from netlog.storage.reader import Reader

PAGE = 1000


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
    elif fmt == "vcf":
        from netlog.formats.vcard_write import write_vcards

        for card in write_vcards(export_contacts(db), version=vcard_version):
            stream.write(card.encode("utf-8"))
    elif fmt == "ics":
        from netlog.formats.ical import write_ics
        from netlog.ledger.reports import upcoming

        stream.write(write_ics(upcoming(db, as_of=today, within_days=within_days), todo=todo))
    else:  # pragma: no cover - the CLI offers registry.WRITES only
        raise ValueError(f"no writer for {fmt}")
    stream.flush()


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
        name = kind + "s"
        if name != section:
            stream.write(("]" if section else "").encode() + f', "{name}": ['.encode())
        else:
            stream.write(b",\n")
        section = name
        stream.write(",\n".join(item(record) for record in records).encode())
    stream.write(("]" if section else "").encode() + b"}\n")


def export_pages(db: Reader) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """("setting"|"contact"|"interaction"|"favor", a page of records as dicts), by id."""
    settings = [
        {"key": row.key, "value": row.value}
        for row in db.rows('SELECT "key", value FROM setting ORDER BY "key"')
    ]
    if settings:
        yield "setting", settings
    for page in _pages(db, CONTACT_ROW_SQL, "c"):
        yield "contact", [jsonable.record_dict(contact) for contact in public_contacts(db, page)]
    for page in _pages(db, INTERACTION_SQL, "i"):
        yield "interaction", interactions_json(db, page)
    for page in _pages(db, FAVOR_SQL, "f"):
        yield "favor", [favor_json(row) for row in page]


def export_contacts(db: Reader) -> Iterator[dict[str, Any]]:
    """Every contact as a dict plus its balance, for the CSV and vCard exports."""
    sql = CONTACT_ROW_SQL.replace(
        "SELECT c.id,", "SELECT s.given_weight - s.received_weight AS balance, c.id,", 1
    )
    for page in _pages(db, sql, "c"):
        balances = {row.id: row.balance for row in page}
        for contact in public_contacts(db, page):
            yield jsonable.record_dict(contact) | {"balance": balances[contact.id]}


def _pages(db: Reader, sql: str, alias: str) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = db.rows(f"{sql} WHERE {alias}.id > :last ORDER BY {alias}.id LIMIT {PAGE}", {"last": last})
        if not rows:
            return
        yield rows
        last = rows[-1].id
