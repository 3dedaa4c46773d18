"""Every exchange format netlog knows, in one list.

The import and export commands take their --format choices from here, the error that
asks for --format names them from here, and `read` and `detect` dispatch on them; a
new format is one entry here plus its module. Nothing here imports a format's module
until a file in that format is read (vobject, for one, is slow to import).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from netlog.errors import InvalidValue
from netlog.formats.records import Notice, Record


@dataclass(frozen=True)
class Format:
    name: str
    reads: bool
    writes: bool
    what: str


FORMATS = (
    Format("jsonl", True, True, "netlog's own, one record per line: everything, and it imports back"),
    Format("json", True, True, "netlog's own as one document (or an array, as list --json prints)"),
    Format("csv", True, True, "a spreadsheet, one row per contact, with a header row"),
    Format("vcf", True, True, "vCard 3.0 or 4.0: an address book (Apple, Google, Outlook...)"),
    Format("linkedin", True, False, "LinkedIn's Connections.csv"),
    Format("google", True, True, "Google Contacts CSV (the layout Google imports)"),
    Format("ics", False, True, "what comes due, for calendar apps (events or tasks)"),
    Format("vdir", True, True, "a folder of vCards, one per contact (khard, vdirsyncer)"),
    Format("graphml", False, True, "who knows whom, for Gephi, Cytoscape or yEd"),
    Format("dot", False, True, "who knows whom, for Graphviz"),
)
READS = tuple(f.name for f in FORMATS if f.reads)
WRITES = tuple(f.name for f in FORMATS if f.writes)


def detect(data: bytes, name: str | None) -> str:
    """The format of a file to import, from its content (the name only breaks ties)."""
    from netlog.formats import detect as sniff
    from netlog.formats import text

    if not data.strip():
        raise InvalidValue(f"{name or 'The input'} is empty: nothing to import.")
    decoded, _ = text.decode(data[:200_000])
    found = sniff.detect(decoded, name)
    if found is None:
        raise InvalidValue(
            f"Cannot tell what format {name or 'the input'} is in: give --format ({', '.join(READS)})."
        )
    return found


def read(data: bytes, fmt: str, name: str | None, mapping: Mapping[str, str]) -> Iterator[Record]:
    """The records of a file in format `fmt`."""
    from netlog.formats import text

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
        from netlog.formats.jsonl import read_lines

        yield from read_lines(decoded.splitlines())
    elif fmt == "json":
        from netlog.formats.jsonl import read_document

        yield from read_document(decoded)
    elif fmt == "linkedin":
        from netlog.formats.linkedin import read_linkedin

        yield from read_linkedin(decoded)
    elif fmt == "google":
        from netlog.formats.google import read_google

        yield from read_google(decoded)
    else:
        from netlog.formats.csvfile import read_csv

        yield from read_csv(decoded, mapping)


def estimate(data: bytes, fmt: str) -> int:
    """Roughly how many records the file holds (0: a small file, not worth counting)."""
    if len(data) < 1_000_000:
        return 0
    if fmt == "vcf":
        return max(1, data.upper().count(b"BEGIN:VCARD"))
    return max(1, data.count(b"\n"))
