"""Import, export and merge."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from netlog import dates
from netlog.cli.app import app, state
from netlog.cli.common import JsonOpt, complete_contact, ledger

if TYPE_CHECKING:
    from netlog.formats.records import Record

PANEL = "Import and export"
MAX_LISTED = 20  # rejections and notices shown one by one before "and N more"


class InFormat(str, Enum):
    auto = "auto"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    vcf = "vcf"
    linkedin = "linkedin"
    google = "google"


class OutFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    vcf = "vcf"
    ics = "ics"


class Conflict(str, Enum):
    update = "update"
    skip = "skip"
    new = "new"


def _read_input(source: str) -> tuple[bytes, str | None]:
    from netlog.errors import InvalidValue

    if source == "-":
        return sys.stdin.buffer.read(), None
    path = Path(source).expanduser()
    try:
        return path.read_bytes(), path.name
    except IsADirectoryError:
        raise InvalidValue(f"{path} is a folder: give the file to import.") from None
    except FileNotFoundError:
        raise InvalidValue(f"{path} does not exist: check the file name.") from None
    except OSError as exc:
        raise InvalidValue(f"Cannot read {path}: {exc.strerror}.") from None


def _records(data: bytes, fmt: str, name: str | None, mapping: dict[str, str]) -> Iterator[Record]:
    from netlog.errors import InvalidValue
    from netlog.formats import csvfile, google, jsonl, linkedin, text
    from netlog.formats.records import Notice

    if fmt == "vcf":
        from netlog.formats.vcard import read_vcards

        yield from read_vcards(data)
        return
    decoded, fallback = text.decode(data)
    if "\x00" in decoded[:4000]:  # binary garbage; UTF-16 text was decoded without NULs
        raise InvalidValue(f"{name or 'The input'} looks binary, not {fmt} text: check the file.")
    if fallback:
        yield Notice("the file", f"not UTF-8: read as {fallback}; check accented letters")
    if fmt == "jsonl":
        yield from jsonl.read_lines(decoded.splitlines())
    elif fmt == "json":
        yield from jsonl.read_document(decoded)
    elif fmt == "linkedin":
        yield from linkedin.read_linkedin(decoded)
    elif fmt == "google":
        yield from google.read_google(decoded)
    else:
        yield from csvfile.read_csv(decoded, mapping)


def _detect(data: bytes, name: str | None) -> str:
    from netlog.errors import InvalidValue
    from netlog.formats import detect, text

    if not data.strip():
        raise InvalidValue(f"{name or 'The input'} is empty: nothing to import.")
    decoded, _ = text.decode(data[:200_000])
    found = detect.detect(decoded, name)
    if found is None:
        raise InvalidValue(
            f"Cannot tell what format {name or 'the input'} is in: give --format "
            "(jsonl, json, csv, vcf, linkedin, google)."
        )
    return found


@app.command("import", rich_help_panel=PANEL)
def import_(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="The file, or - for stdin.")],
    format: Annotated[
        InFormat, typer.Option("--format", "-f", help="Format of the file.", case_sensitive=False)
    ] = InFormat.auto,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="COLUMN=FIELD", help='CSV column to field, e.g. "Company=org".'),
    ] = None,
    on_conflict: Annotated[
        Conflict,
        typer.Option(
            help="When a contact is already there: update, skip, or add a new one.", case_sensitive=False
        ),
    ] = Conflict.update,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="With update: replace non-empty fields too.")
    ] = False,
    no_spread: Annotated[
        bool, typer.Option("--no-spread", help="Don't spread new contacts' first due days.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Import nothing if any record is rejected.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Bring in contacts (and netlog's own interactions and favors) from a file.

    Reads netlog's JSON/JSON Lines export, vCard files (Apple, Google, Outlook...),
    LinkedIn's Connections.csv, Google Contacts CSV and CSV with a header. The
    format is detected from the content. A contact already in the ledger (same
    profile URL, email or name) is updated: empty fields filled, emails and tags
    added. The whole import is one transaction.

    Examples:
      netlog import Connections.csv
      netlog import contacts.vcf --dry-run
      netlog import people.csv --map "Employer=org" --on-conflict skip
      jq -c '.[] | .type = "contact"' people.json | netlog import - --format jsonl
    """
    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.formats.csvfile import parse_map
    from netlog.ledger.transfer import ImportOptions, import_records

    try:
        mapping = parse_map(map_ or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--map") from None
    data, name = _read_input(source)
    if not data.strip():
        raise InvalidValue(f"{name or 'The input'} is empty: nothing to import.")
    fmt = _detect(data, name) if format is InFormat.auto else format.value
    if mapping and fmt != "csv":
        raise typer.BadParameter(
            f"--map applies to CSV files with a header; this is {fmt}", param_hint="--map"
        )
    label = name or "stdin"
    expected = _estimate(data, fmt)
    options = ImportOptions(
        today=dates.today(),
        on_conflict=on_conflict.value,
        overwrite=overwrite,
        spread=not no_spread,
        expected=expected,
    )
    with (
        _scratch_if_missing(dry_run) as scratch,
        ledger(write=True, create=True, announce=not scratch) as session,
        render.progress(f"Importing {label}", expected) as tick,
    ):
        summary = import_records(session, _records(data, fmt, name, mapping), options, progress=tick)
        counts = summary.counts()
        # Records already there (skipped) count as read: re-running an import that adds
        # nothing new is a success, and its one bad line is reported, not fatal.
        imported = sum(
            counts[k] for k in ("created", "updated", "skipped", "interactions", "favors", "settings")
        )
        failed = summary.rejected and (strict or not imported)
        if dry_run or failed:
            session.rollback()
    if not (imported or summary.rejected):
        raise InvalidValue(f"{label} holds no records ({fmt}): nothing to import.")
    if failed:
        _report_import(summary, fmt=fmt, label=label, dry_run=dry_run, json_out=json_out, failed=True)
        why = "(--strict)" if strict and imported else "and nothing could be imported"
        first, count = summary.rejected[0], len(summary.rejected)
        where = label if first.position in ("the file", "the input") else first.position
        if count == 1:
            raise InvalidValue(f"{where}: {first.reason}; rejected {why}, so nothing was written.")
        raise InvalidValue(
            f"{count} records rejected {why}, so nothing was written. First, {where}: {first.reason}"
        )
    _report_import(summary, fmt=fmt, label=label, dry_run=dry_run, json_out=json_out)


@contextmanager
def _scratch_if_missing(dry_run: bool) -> Iterator[bool]:
    """A dry run that cannot use the ledger itself runs against a throwaway one: when the
    ledger does not exist yet (a dry run must not create it), or when netlog may not
    write it (a dry run writes nothing, but still needs a transaction it can roll back),
    then against a copy. Yields whether it does."""
    from netlog.location import locate
    from netlog.storage.files import copy_ledger, unwritable

    location = locate(state.db)
    missing = not location.path.exists()
    if not dry_run or not (missing or unwritable(location.path)):
        yield False
        return
    import tempfile

    saved = state.db
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "dry-run.db"
        if not missing:
            with ledger(write=False):
                pass  # a netlog ledger, of this netlog's schema
            copy_ledger(location.path, scratch, numbered=False)
        state.db = str(scratch)
        try:
            yield True
        finally:
            state.db = saved


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


def _estimate(data: bytes, fmt: str) -> int:
    """Roughly how many records the file holds (0: a small file, not worth counting)."""
    if len(data) < 1_000_000:
        return 0
    if fmt == "vcf":
        return max(1, data.upper().count(b"BEGIN:VCARD"))
    return max(1, data.count(b"\n"))


def _report_import(
    summary: Any, *, fmt: str, label: str, dry_run: bool, json_out: bool, failed: bool = False
) -> None:
    from netlog import render

    counts = summary.counts()
    if json_out:
        render.emit_json(
            {
                "format": fmt,
                "dry_run": dry_run,
                "written": not (dry_run or failed),
                **counts,
                "handles": {
                    "created": summary.created,
                    "updated": summary.updated,
                    "skipped": summary.skipped,
                },
                "rejections": [{"position": r.position, "reason": r.reason} for r in summary.rejected],
                "notices": [{"position": n.position, "message": n.message} for n in summary.notices],
            }
        )
    # A failed import's error line names its first rejection: a lone one is not listed twice.
    rejected = [] if failed and len(summary.rejected) == 1 else summary.rejected
    for kind, items in (("Rejected", rejected), ("Note", summary.notices)):
        for item in items[:MAX_LISTED]:
            detail = item.reason if kind == "Rejected" else item.message
            where = "" if item.position in ("the file", "the input") else f", {item.position}"
            render.note(f"{kind}{where}: {detail}")
        if len(items) > MAX_LISTED:
            render.note(f"... and {len(items) - MAX_LISTED} more ({kind.lower()}).")
    if dry_run and not failed and not json_out:
        for verb, handles in (("create", summary.created), ("update", summary.updated),
                              ("skip", summary.skipped)):  # fmt: skip
            if handles:
                shown = ", ".join(handles[:MAX_LISTED])
                more = f" and {len(handles) - MAX_LISTED} more" if len(handles) > MAX_LISTED else ""
                render.say(f"Would {verb} {len(handles)}: {shown}{more}")
    if failed:
        return
    verb = "Dry run of" if dry_run else "Imported"
    extra = ""
    if counts["interactions"] or counts["favors"]:
        extra = f"; {_count(counts['interactions'], 'interaction')}, {_count(counts['favors'], 'favor')}"
    render.note(
        f"{verb} {label} ({fmt}): {counts['created']} created, {counts['updated']} updated, "
        f"{counts['skipped']} skipped, {counts['rejected']} rejected{extra}."
        + (" Nothing was written." if dry_run else "")
    )
    if summary.spread_days and counts["created"] >= 10 and not dry_run:
        render.note(
            f"New contacts come due over the next {summary.spread_days} days, at most "
            f"{summary.spread_per_day} a day (setting import.per_day), not all at once "
            "(--no-spread turns this off)."
        )


@app.command(rich_help_panel=PANEL)
def export(
    format: Annotated[
        OutFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = OutFormat.jsonl,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE|-", help="Write here (default: stdout).")
    ] = None,
    vcard_version: Annotated[str, typer.Option(help="vCard version: 3.0 or 4.0.")] = "3.0",
    within: Annotated[
        str, typer.Option(metavar="DURATION", help="ics: what comes due this far ahead.")
    ] = "30d",
    todo: Annotated[bool, typer.Option("--todo", help="ics: tasks (VTODO) instead of events.")] = False,
) -> None:
    """Write everything out: the whole ledger, a spreadsheet, an address book, a calendar.

    jsonl/json hold everything (contacts, interactions, favors, settings) and
    import back unchanged. csv is one row per contact for spreadsheets. vcf is an
    address book. ics is what is due, for calendar apps. Files are private (0600).

    Examples:
      netlog export -o backup.jsonl
      netlog export --format csv -o contacts.csv
      netlog export --format vcf --vcard-version 4.0 -o contacts.vcf
      netlog export --format ics --within 2w -o netlog.ics
    """
    import io

    if vcard_version not in ("3.0", "4.0"):
        raise typer.BadParameter("use 3.0 or 4.0", param_hint="--vcard-version")
    within_days = dates.parse_duration_days(within)
    from netlog.location import locate
    from netlog.outfiles import open_output

    with ledger(write=False) as session, open_output(output, locate(state.db).path) as (stream, path):
        if format in (OutFormat.jsonl, OutFormat.json):
            _export_netlog(session, stream, lines=format is OutFormat.jsonl)
        elif format is OutFormat.csv:
            from netlog.formats.csvfile import write_csv
            from netlog.ledger.transfer import export_contacts

            wrapper = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
            try:
                write_csv(export_contacts(session), wrapper)
            finally:
                wrapper.detach()  # the stream is not the wrapper's to close (stdout, a pipe)
        elif format is OutFormat.vcf:
            from netlog.formats.vcard import write_vcards
            from netlog.ledger.transfer import export_contacts

            for card in write_vcards(export_contacts(session), version=vcard_version):
                stream.write(card.encode("utf-8"))
        else:
            from netlog.formats.ical import write_ics
            from netlog.ledger.reports import upcoming

            entries = upcoming(session, as_of=dates.today(), within_days=within_days)
            stream.write(write_ics(entries, todo=todo))
        stream.flush()
    if path is not None:
        from netlog import render

        render.note(f"Wrote {path}.")


def _export_netlog(session: Any, stream: BinaryIO, *, lines: bool) -> None:
    """netlog's own format, streamed record by record."""
    import json

    from netlog.formats import jsonl
    from netlog.ledger.transfer import export_records

    if lines:
        stream.write((jsonl.dumps(jsonl.header()) + "\n").encode())
        for kind, record in export_records(session):
            stream.write((jsonl.dumps({"type": kind, **record}) + "\n").encode())
        return
    head = {"format": jsonl.FORMAT_NAME, "format_version": jsonl.FORMAT_VERSION}
    stream.write(json.dumps(head, ensure_ascii=False)[:-1].encode())
    section = None
    for kind, record in export_records(session):
        name = kind + "s"
        if name != section:
            stream.write(("]" if section else "").encode() + f', "{name}": ['.encode())
            first = True
            section = name
        stream.write(("" if first else ",\n").encode() + json.dumps(record, ensure_ascii=False).encode())
        first = False
    stream.write(("]" if section else "").encode() + b"}\n")


@app.command(rich_help_panel=PANEL)
def merge(
    keep: Annotated[
        str,
        typer.Argument(
            metavar="KEEP", help="The contact to keep (id, handle or name).", autocompletion=complete_contact
        ),
    ],
    duplicate: Annotated[
        str, typer.Argument(metavar="DUPLICATE", help="The contact to fold into KEEP and delete.")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the result; write nothing.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Fold a duplicate into the contact you keep: emails, tags, history, introductions.

    KEEP's empty fields are filled from DUPLICATE, their notes joined, and the
    duplicate is deleted, in one transaction.

    Examples:
      netlog merge jane-doe jane-doe-2
      netlog merge jane-doe "J. Doe" --dry-run
    """
    from netlog import render
    from netlog.ledger import activity, contacts
    from netlog.ledger.transfer import merge_contacts, merge_moves
    from netlog.models import public_dict
    from netlog.wording import count

    with ledger(write=True) as session:
        kept = contacts.resolve_contact(session, keep)
        dup = contacts.resolve_contact(session, duplicate)
        assert kept.id is not None and dup.id is not None
        dup_label = f"{dup.name} ({dup.handle})"
        moves = merge_moves(session, kept.id, dup.id)
        merge_contacts(session, kept.id, dup.id)
        session.expire_all()
        result = contacts.contact_public(session, kept.id)
        introduced = contacts.introduced_by(session, kept.id)
        balance = activity.balance_of(session, kept.id)
        if dry_run:
            session.rollback()
    if json_out:
        render.emit_json(public_dict(result) | {"moved": moves.as_json()})
        return
    verb = "Would merge" if dry_run else "Merged"
    moved = [count(moves.touches, "touch"), count(moves.favors, "favor"), count(moves.tags, "new tag"),
             count(moves.emails, "new email"), count(moves.introduced, "introduction")]  # fmt: skip
    render.say(f"{verb} {dup_label} into {result.name} ({result.handle}), with {', '.join(moved)}:")
    render.console().print(render.contact_panel(result, introduced=introduced, balance=balance))
    if dry_run:
        render.note("Dry run: nothing was written.")
