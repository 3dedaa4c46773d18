"""LinkedIn's Connections.csv.

Current exports open with a preamble ("Notes:", a quoted sentence, an empty line)
before the header `First Name,Last Name,URL,Email Address,Company,Position,Connected On`;
the header is found rather than skipped by count. Older exports have no URL column and
dates like `1/8/18, 6:14 PM`; current ones say `30 May 2024` in English whatever the
user's locale (so no strptime, which follows the locale). Members who hide their
details appear as rows with only the date: they are skipped and counted.

Everyone imported is an `online` acquaintance met on the day you connected.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlog.formats.csvfile import cell, parse_loose_date, rows
from netlog.formats.records import ContactRecord, Notice, Record, Rejected
from netlog.wording import count


def _header_line(text: str) -> int | None:
    for index, line in enumerate(text.splitlines()[:50]):
        stripped = line.lstrip("\ufeff").strip()
        if stripped.startswith("First Name,Last Name") or stripped.startswith('"First Name","Last Name"'):
            return index
    return None


def read_linkedin(text: str) -> Iterator[Record]:
    index = _header_line(text)
    if index is None:
        yield Rejected("the file", "no LinkedIn header (First Name,Last Name,...,Connected On)")
        return
    body = "\n".join(text.splitlines()[index:])
    records = rows(body, start_line=index + 1)
    _, header, _ = next(records)
    assert header is not None
    columns = {name.strip(): i for i, name in enumerate(header)}
    hidden = 0

    def get(cells: list[str], column: str) -> str | None:
        i = columns.get(column)
        return cell(cells[i]) if i is not None and i < len(cells) else None

    for line, cells, problem in records:
        position = f"line {line}"
        if cells is None:
            yield Rejected(position, problem or "unreadable row")
            continue
        if not any(c.strip() for c in cells):
            continue
        name = " ".join(v for v in (get(cells, "First Name"), get(cells, "Last Name")) if v)
        if not name:
            hidden += 1
            continue
        connected = get(cells, "Connected On")
        met_on = parse_loose_date(connected) if connected else None
        if connected and met_on is None:
            yield Notice(position, f"Connected On {connected!r} is not a date; imported without it")
        email = get(cells, "Email Address")
        yield ContactRecord(
            position=position,
            name=name,
            emails=[email] if email else [],
            org=get(cells, "Company"),
            title=get(cells, "Position"),
            url=get(cells, "URL"),
            met_on=met_on,
            source="online",
            circle="acquaintance",
            given_name=get(cells, "First Name"),
            family_name=get(cells, "Last Name"),
        )
    if hidden:
        yield Notice("the file", f"skipped {count(hidden, 'row')} of members who hide their details")
