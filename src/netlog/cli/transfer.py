"""Import, export and merge."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from netlog import dates
from netlog.cli.app import app, state
from netlog.cli.common import JsonOpt, complete_contact, reading, writing
from netlog.formats.registry import READS, WRITES

PANEL = "Import and export"
MAX_LISTED = 20  # rejections and notices shown one by one before "and N more"


# The --format choices, from the one list of formats (formats/registry.py).
InFormat = Enum("InFormat", {name: name for name in ("auto", *READS)}, type=str)  # type: ignore[misc]
OutFormat = Enum("OutFormat", {name: name for name in WRITES}, type=str)  # type: ignore[misc]


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


@app.command("import", rich_help_panel=PANEL)
def import_(
    source: Annotated[
        str, typer.Argument(metavar="FILE|DIR|-", help="The file, a folder of vCards, or - for stdin.")
    ],
    format: Annotated[
        InFormat, typer.Option("--format", "-f", help="Format of the file.", case_sensitive=False)
    ] = InFormat("auto"),
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
    a folder of vCards (a vdir, as khard and vdirsyncer keep them), LinkedIn's
    Connections.csv, Google Contacts CSV and CSV with a header. The format is
    detected from the content. A contact already in the ledger (same
    profile URL, email or name) is updated: empty fields filled, emails and tags
    added. The whole import is one transaction.

    Examples:
      netlog import Connections.csv
      netlog import contacts.vcf --dry-run
      netlog import ~/.contacts/personal
      netlog import people.csv --map "Employer=org" --on-conflict skip
      jq -c '.[] | .type = "contact"' people.json | netlog import - --format jsonl
    """
    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.formats.csvfile import parse_map
    from netlog.formats.registry import detect, estimate
    from netlog.ledger.importing import ImportOptions, import_file

    try:
        mapping = parse_map(map_ or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--map") from None
    options = ImportOptions(
        today=dates.today(),
        on_conflict=on_conflict.value,
        overwrite=overwrite,
        spread=not no_spread,
        dry_run=dry_run,
        strict=strict,
    )
    folder = Path(source).expanduser() if source != "-" else None
    if folder is not None and folder.is_dir():
        if format.value not in ("auto", "vdir") or mapping:
            raise typer.BadParameter(
                f"{source} is a folder: it is read as a folder of vCards", param_hint="--format"
            )
        _import_folder(folder, options, json_out)
        return
    if format.value == "vdir":
        raise typer.BadParameter(
            f"{source} is not a folder: vdir is a folder of vCards", param_hint="--format"
        )
    data, name = _read_input(source)
    label = name or "stdin"
    fmt = detect(data, name) if format.value == "auto" else format.value
    if mapping and fmt != "csv":
        raise typer.BadParameter(
            f"--map applies to CSV files with a header; this is {fmt}", param_hint="--map"
        )
    with (
        _scratch_if_missing(dry_run) as scratch,
        writing(create=True, announce=not scratch) as session,
        render.progress(f"Importing {label}", estimate(data, fmt)) as tick,
    ):
        fmt, summary = import_file(
            session, data, fmt=fmt, name=name, options=options, mapping=mapping, progress=tick
        )
    failure = summary.failure(label, strict)
    _report_import(summary, fmt=fmt, label=label, dry_run=dry_run, json_out=json_out, failed=bool(failure))
    if failure:
        raise InvalidValue(failure)


def _import_folder(folder: Path, options: Any, json_out: bool) -> None:
    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.ledger.importing import import_folder

    dry_run, strict = options.dry_run, options.strict
    label = folder.name or str(folder)
    with (
        _scratch_if_missing(dry_run) as scratch,
        writing(create=True, announce=not scratch) as session,
        render.progress(f"Importing {label}", 0) as tick,
    ):
        fmt, summary = import_folder(session, folder, options=options, progress=tick)
    failure = summary.failure(label, strict)
    _report_import(summary, fmt=fmt, label=label, dry_run=dry_run, json_out=json_out, failed=bool(failure))
    if failure:
        raise InvalidValue(failure)


@contextmanager
def _scratch_if_missing(dry_run: bool) -> Iterator[bool]:
    """A dry run that cannot use the ledger itself runs against a throwaway one: when the
    ledger does not exist yet (a dry run must not create it), or when netlog may not
    write it (a dry run writes nothing, but still needs a transaction it can roll back),
    then against a copy. Yields whether it does."""
    from netlog.location import locate
    from netlog.storage.files import copy_ledger, unwritable

    location = locate(state.db)
    missing = not location.server and not location.path.exists()
    if not dry_run or location.server or not (missing or unwritable(location.path)):  # a server rolls back
        yield False
        return
    import tempfile

    saved = state.db
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "dry-run.db"
        if not missing:
            with reading():
                pass  # a netlog ledger, of this netlog's schema
            copy_ledger(location.path, scratch, numbered=False)
        state.db = str(scratch)
        try:
            yield True
        finally:
            state.db = saved


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


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
    if counts["introductions"] or counts["knows"]:
        extra += (
            f"; {_count(counts['introductions'], 'introduction')}, {_count(counts['knows'], 'stated tie')}"
        )
    if counts["needs"]:
        from netlog.wording import count

        extra += f"; {count(counts['needs'], 'need or offer')}"
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
    ] = OutFormat("jsonl"),
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE|DIR|-", help="Write here (default: stdout; vdir: a folder)."
        ),
    ] = None,
    vcard_version: Annotated[str, typer.Option(help="vCard version: 3.0 or 4.0.")] = "3.0",
    within: Annotated[
        str, typer.Option(metavar="DURATION", help="ics: what comes due this far ahead.")
    ] = "30d",
    todo: Annotated[bool, typer.Option("--todo", help="ics: tasks (VTODO) instead of events.")] = False,
    delete: Annotated[
        bool, typer.Option("--delete", help="vdir: remove the cards of contacts no longer in netlog.")
    ] = False,
) -> None:
    """Write everything out: the whole ledger, a spreadsheet, an address book, a calendar.

    jsonl/json hold everything (contacts, interactions, introductions, favors, stated
    ties, settings) and
    import back unchanged. csv is one row per contact for spreadsheets. vcf is an
    address book. vdir is a folder of vCards, one per contact named by its UID, as
    khard and vdirsyncer keep one: only cards that changed are rewritten. ics is what
    is due, for calendar apps. graphml and dot are who knows whom, for Gephi or
    Graphviz. Files are private (0600).

    Examples:
      netlog export -o backup.jsonl
      netlog export --format csv -o contacts.csv
      netlog export --format vcf --vcard-version 4.0 -o contacts.vcf
      netlog export --format ics --within 2w -o netlog.ics
      netlog export --format vdir -o ~/.contacts/netlog
      netlog export --format graphml -o network.graphml
    """
    if vcard_version not in ("3.0", "4.0"):
        raise typer.BadParameter("use 3.0 or 4.0", param_hint="--vcard-version")
    within_days = dates.parse_duration_days(within)
    if format.value == "vdir":
        _export_vdir(output, vcard_version, delete)
        return
    if delete:
        raise typer.BadParameter("--delete is for --format vdir", param_hint="--delete")
    from netlog.ledger.exporting import export as write_out
    from netlog.location import locate
    from netlog.outfiles import open_output

    with reading() as db, open_output(output, locate(state.db).file) as (stream, path):
        write_out(db, format.value, stream, today=dates.today(), vcard_version=vcard_version,
                  within_days=within_days, todo=todo)  # fmt: skip
    if path is not None:
        from netlog import render

        render.note(f"Wrote {path}.")


def _export_vdir(output: str | None, vcard_version: str, delete: bool) -> None:
    from netlog import render
    from netlog.ledger.exporting import export_vdir
    from netlog.wording import count

    if output in (None, "-"):
        raise typer.BadParameter("vdir is a folder: give it with -o DIR", param_hint="--output")
    folder = Path(output).expanduser()
    with reading() as db:
        result = export_vdir(db, folder, vcard_version=vcard_version, delete=delete)
    said = f"{count(len(result.written), 'card')} written, {result.unchanged} unchanged"
    if result.removed:
        said += f", {len(result.removed)} removed"
    render.note(f"Wrote {folder}: {said}.")
    if result.others:
        verb = (
            "belongs to no contact in netlog and was"
            if len(result.others) == 1
            else "belong to no contact in netlog and were"
        )
        removable = f" (--delete removes the {result.ours} netlog wrote)" if result.ours else ""
        render.note(f"{count(len(result.others), 'card')} in {folder} {verb} left there{removable}.")


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
    from netlog.ledger.merging import merge_contacts, merge_moves
    from netlog.public import public_dict
    from netlog.storage.reader import reader_of
    from netlog.wording import count

    with writing() as session:
        db = reader_of(session)
        kept = contacts.resolve_contact(db, keep)
        dup = contacts.resolve_contact(db, duplicate)
        dup_label = f"{dup.name} ({dup.handle})"
        moves = merge_moves(db, kept.id, dup.id)
        merge_contacts(session, kept.id, dup.id)
        result = contacts.contact_public(db, kept.id)
        introduced = contacts.introduced_by(db, kept.id)
        balance = activity.balance_of(db, kept.id)
        if dry_run:
            session.rollback()
    if json_out:
        render.emit_json(public_dict(result) | {"moved": moves.as_json()})
        return
    verb = "Would merge" if dry_run else "Merged"
    moved = [count(moves.touches, "touch"), count(moves.favors, "favor"), count(moves.tags, "new tag"),
             count(moves.emails, "new email"), count(moves.introduced, "introduction")]  # fmt: skip
    if moves.needs:
        moved.append(count(moves.needs, "need or offer"))
    render.say(f"{verb} {dup_label} into {result.name} ({result.handle}), with {', '.join(moved)}:")
    render.console().print(render.contact_panel(result, introduced=introduced, balance=balance))
    if dry_run:
        render.note("Dry run: nothing was written.")
