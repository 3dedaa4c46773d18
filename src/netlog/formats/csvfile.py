"""CSV in and out: the shared row reader, generic CSV import, and the spreadsheet export.

Generic import recognises common column names (name, first/last name, email, phone,
company, title, tags, notes, birthday...); `--map "Column=field"` names the rest.

The export is one row per contact for spreadsheets, with every field of the contact
(and, for reading only, their last touch and balance). A cell that a spreadsheet would
run as a formula (text starting with `=`, `+`, `-`, `@`, tab or carriage return)
gets a leading `'`, the OWASP advice against CSV injection; numbers stay numbers.
Lists (emails, tags) are joined with `; `, a `;` or `\\` inside an item escaped with a
backslash. A labelled entry is `label: value`, with ` (preferred)` after the preferred
one; an address's seven parts (PO box, extended, street, town, region, postcode,
country) are separated by `, ` (a comma inside a part, or a colon inside a label, is
escaped with a backslash too), so `work: , Floor 3, 1 Main St, Berlin, , 10115, Germany`.
Importing that file back gives the same contacts: a file with netlog's own header is
read with that exact list syntax, any other CSV splits lists loosely on `,`, `;`, `|`
or Google's ` ::: `.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from netlog.formats.records import ENTRY_KINDS, ContactRecord, Notice, Record, Rejected
from netlog.formats.text import split_escaped
from netlog.formats.vcard_write import ADDRESS_PARTS
from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic

FIELDS = (
    "name",
    "first_name",
    "last_name",
    "middle_name",
    "name_prefix",
    "name_suffix",
    "nickname",
    "emails",
    "phone",
    "org",
    "title",
    "location",
    "url",
    "tags",
    "notes",
    "birthday",
    "met_on",
    "circle",
    "source",
    "handle",
    "via",
    "cadence_days",
    "archived",
    "snoozed_until",
    "first_due",
    "uid",
    "created_at",
    "updated_at",
    *ENTRY_KINDS,
)

_SYNONYMS = {
    "name": ["name", "full name", "display name", "contact", "contact name", "fn"],
    "first_name": ["first name", "given name", "first", "firstname", "forename"],
    "last_name": ["last name", "family name", "surname", "last", "lastname"],
    "middle_name": ["middle name", "additional name", "middle names"],
    "name_prefix": ["name prefix", "prefix", "honorific prefix"],
    "name_suffix": ["name suffix", "suffix", "honorific suffix"],
    "nickname": ["nickname", "nick name", "nick"],
    "emails": ["email", "e-mail", "email address", "e-mail address", "emails", "mail"],
    "phone": ["phone", "mobile", "telephone", "phone number", "cell", "tel", "mobile phone", "phones"],
    "org": ["company", "organization", "organisation", "org", "employer", "company name"],
    "title": ["title", "job title", "position", "role", "job"],
    "location": ["location", "city", "address", "town"],
    "url": ["url", "website", "linkedin", "profile", "linkedin url", "web"],
    "tags": ["tags", "labels", "groups", "categories", "tag"],
    "notes": ["notes", "note", "comments", "comment", "description"],
    "birthday": ["birthday", "birth date", "birthdate", "dob", "date of birth"],
    "met_on": ["met", "met on", "date met", "connected on", "first met"],
    "circle": ["circle"],
    "source": ["source"],
    "handle": ["handle"],
    "via": ["via", "introduced by"],
    "cadence_days": ["cadence days", "cadence"],
    "archived": ["archived"],
    "snoozed_until": ["snoozed until"],
    "first_due": ["first due"],
    "uid": ["uid"],
    "created_at": ["created at"],
    "updated_at": ["updated at"],
    # netlog's own labelled lists, by their names only
    "email_addresses": ["email addresses"],
    "phone_numbers": ["phone numbers"],
    "addresses": ["addresses"],
    "urls": ["urls"],
    "events": ["events"],
}
# Columns of netlog's own export that are worked out from the rows, not imported.
COMPUTED = ("last_touch", "balance")
_BY_SYNONYM = {syn: field for field, syns in _SYNONYMS.items() for syn in syns}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPLIT = re.compile(r"\s*(?::::|;|,|\|)\s*")


def delimiter_of(text: str) -> str:
    """`,` unless the header line has more `;` (Excel in much of Europe) or tabs."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def rows(text: str, *, start_line: int = 1) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line number, cells, problem) for each CSV record of `text`, which begins at
    `start_line` of the file. A record csv cannot read comes with cells None."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    line = start_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, None, f"unreadable CSV ({exc})"
            line = start_line + reader.line_num
            continue
        yield line, cells, None
        line = start_line + reader.line_num


def cell(value: str | None) -> str | None:
    """A cell's text as netlog keeps it: stripped, empty as None, and a `'` that a
    spreadsheet export put before a formula character removed again."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        value = value[1:]
    return value or None


def split_list(value: str | None, *, exact: bool = False) -> list[str]:
    """A list cell's items. `exact`: netlog's own `; ` with backslash escapes; else loose."""
    if not value:
        return []
    if not exact:
        return [part for part in _SPLIT.split(value) if part]
    items, current, chars = [], [], iter(value)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, ""))
        elif ch == ";":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    items.append("".join(current).strip())
    return [item for item in items if item]


def join_list(items: Iterable[str]) -> str:
    """The exact inverse of `split_list(..., exact=True)`."""
    return "; ".join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


def _header_key(name: str) -> str:
    """`Met_On`, ` met on ` and `MET ON` are the same column name."""
    return " ".join(name.replace("_", " ").lower().split())


def column_map(header: list[str], overrides: Mapping[str, str]) -> dict[int, str]:
    """Which netlog field each column holds, by common names and --map overrides."""
    result: dict[int, str] = {}
    lowered = {_header_key(name): i for i, name in enumerate(header)}
    for i, name in enumerate(header):
        key = _header_key(name)
        field = _BY_SYNONYM.get(key)
        if field is None and ("email" in key or "e-mail" in key):
            field = "emails"  # Work Email, E-mail 2, Personal e-mail address...
        elif field is None and any(word in key for word in ("phone", "mobile")):
            field = "phone"
        if field and (field in MULTI or field not in result.values()):
            result[i] = field
    for column, field in overrides.items():
        index = lowered.get(_header_key(column))
        if index is not None:
            result[index] = field
    return result


MULTI = ("emails", "tags", "notes")  # several columns may feed these; their values add up


def parse_map(options: Iterable[str]) -> dict[str, str]:
    """`--map "Column Name=field"` options as {column: field}; raises ValueError."""
    mapping = {}
    for option in options:
        column, sep, field = option.partition("=")
        field = field.strip().lower()
        field = field if field in FIELDS else _BY_SYNONYM.get(_header_key(field), field)  # email -> emails
        if not sep or not column.strip() or field not in FIELDS:
            raise ValueError(
                f'--map {option!r}: write it as "Column Name=field", field one of ' + ", ".join(FIELDS)
            )
        mapping[column.strip()] = field
    return mapping


def read_csv(text: str, overrides: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Contacts from a CSV file whose first line is a header."""
    from netlog.dates import parse_birthday, today
    from netlog.errors import InvalidValue

    records = rows(text)
    try:
        _, header, problem = next(records)
    except StopIteration:
        return
    if header is None:
        yield Rejected("line 1", problem or "unreadable header")
        return
    columns = column_map(header, overrides or {})
    present = {_header_key(h) for h in header}
    for column in overrides or {}:
        if _header_key(column) not in present:
            yield Notice("line 1", f"--map {column!r}: the file has no such column")
    if not {"name", "first_name", "last_name"} & set(columns.values()):
        missing = ", ".join(repr(h) for h in header[:8])
        yield Rejected(
            "line 1",
            f'no name column among {missing}: name one with --map "Column=name"',
        )
        return
    ours = {"handle", "uid", "first_due"} <= set(columns.values())  # netlog's own export
    unused = [
        h
        for i, h in enumerate(header)
        if i not in columns and h.strip() and _header_key(h) not in _COMPUTED_KEYS
    ]
    if unused:
        yield Notice("line 1", "columns not imported: " + ", ".join(unused[:10]))
    for line, cells, problem in records:
        position = f"line {line}"
        if cells is None:
            yield Rejected(position, problem or "unreadable row")
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            hint = " (an unclosed quote?)" if any("\n" in c for c in cells) else ""
            yield Rejected(position, f"{len(cells)} cells but the header has {len(header)} columns{hint}")
            continue
        values: dict[str, str | None] = {}
        for index, field in columns.items():
            value = cell(cells[index]) if index < len(cells) else None
            if field in MULTI and values.get(field) and value:
                value = f"{values[field]}{chr(10) if field == 'notes' else '; '}{value}"
            values[field] = value or values.get(field)
        name = values.get("name") or " ".join(
            v for v in (values.get("first_name"), values.get("last_name")) if v
        )
        if not name:
            yield Rejected(position, "no name in this row")
            continue
        birthday = None
        notes = values.get("notes")
        if values.get("birthday"):
            try:
                birthday = parse_birthday(values["birthday"] or "", today=today())
            except InvalidValue:
                notes = "\n".join(n for n in (notes, f"Birthday: {values['birthday']}") if n)
                yield Notice(position, f"birthday {values['birthday']!r} kept in the notes")
        try:
            dated = {key: _day(values, key) for key in ("met_on", "snoozed_until", "first_due")}
            stamps = {key: _stamp(values, key) for key in ("created_at", "updated_at")}
            cadence = _whole_number(values, "cadence_days")
            archived = _yes_no(values, "archived")
        except ValueError as exc:
            yield Rejected(position, str(exc))
            continue
        yield ContactRecord(
            position=position,
            name=name,
            emails=split_list(values.get("emails"), exact=ours),
            phone=values.get("phone"),
            org=values.get("org"),
            title=values.get("title"),
            location=values.get("location"),
            url=values.get("url"),
            tags=split_list(values.get("tags"), exact=ours),
            notes=notes,
            birthday=birthday,
            met_on=dated["met_on"],
            circle=(values.get("circle") or "").lower() or None,
            source=(values.get("source") or "").lower() or None,
            handle=values.get("handle"),
            via=values.get("via"),
            cadence_days=cadence,
            archived=archived,
            snoozed_until=dated["snoozed_until"],
            first_due=dated["first_due"],
            keeps_schedule=ours,
            uid=values.get("uid"),
            created_at=stamps["created_at"],
            updated_at=stamps["updated_at"],
            given_name=values.get("first_name"),
            family_name=values.get("last_name"),
            middle_name=values.get("middle_name"),
            name_prefix=values.get("name_prefix"),
            name_suffix=values.get("name_suffix"),
            nickname=values.get("nickname"),
            email_addresses=read_entries("email_addresses", values.get("email_addresses")),
            phone_numbers=read_entries("phone_numbers", values.get("phone_numbers")),
            addresses=read_entries("addresses", values.get("addresses")),
            urls=read_entries("urls", values.get("urls")),
            events=read_entries("events", values.get("events")),
        )


_COMPUTED_KEYS = {_header_key(c) for c in COMPUTED}
_LABELS = {"met_on": "met date", "snoozed_until": "snoozed until", "first_due": "first due day",
           "created_at": "created at", "updated_at": "updated at", "cadence_days": "cadence",
           "archived": "archived"}  # fmt: skip


def _day(values: Mapping[str, str | None], key: str):  # -> date | None
    text = values.get(key)
    if not text:
        return None
    day = parse_loose_date(text)
    if day is None:
        raise ValueError(f"{_LABELS[key]} {text!r} is not a date")
    return day


def _stamp(values: Mapping[str, str | None], key: str):  # -> datetime | None
    from datetime import datetime

    text = values.get(key)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{_LABELS[key]} {text!r} is not a timestamp (2026-03-10T09:15:02Z)") from None


def _whole_number(values: Mapping[str, str | None], key: str) -> int | None:
    text = values.get(key)
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,6}", text):
        raise ValueError(f"{_LABELS[key]} {text!r} is not a number of days")
    return int(text)


def _yes_no(values: Mapping[str, str | None], key: str) -> bool:
    text = (values.get(key) or "").lower()
    if text in ("", "no", "false", "0", "n"):
        return False
    if text in ("yes", "true", "1", "y"):
        return True
    raise ValueError(f"{_LABELS[key]} {text!r} is not yes or no")


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def parse_loose_date(value: str):  # -> date | None
    """Dates as exports write them: ISO, `30 May 2024` (English month names whatever
    the locale), `May 30, 2024`, and US `1/8/18, 6:14 PM`."""
    from datetime import date

    value = value.strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    if m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{4})", value):
        month = _MONTHS.get(m.group(2).lower())
        return _safe_date(int(m.group(3)), month, int(m.group(1)))
    if m := re.fullmatch(r"([A-Za-z]{3})[A-Za-z]*\.? (\d{1,2}),? (\d{4})", value):
        month = _MONTHS.get(m.group(1).lower())
        return _safe_date(int(m.group(3)), month, int(m.group(2)))
    if m := re.match(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b", value):
        year = int(m.group(3))
        year += 2000 if year < 100 else 0
        return _safe_date(year, int(m.group(1)), int(m.group(2)))
    return None


def _safe_date(year: int, month: int | None, day: int):
    from datetime import date

    try:
        return date(year, month, day) if month else None
    except ValueError:
        return None


# --- export ----------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "handle",
    "name",
    "emails",
    "phone",
    "org",
    "title",
    "location",
    "url",
    "circle",
    "source",
    "via",
    "met_on",
    "cadence_days",
    "birthday",
    "tags",
    "notes",
    "archived",
    "snoozed_until",
    "first_due",
    "uid",
    "created_at",
    "updated_at",
    "name_prefix",
    "given_name",
    "middle_name",
    "family_name",
    "name_suffix",
    "nickname",
    *ENTRY_KINDS,
    *COMPUTED,
)


def safe_cell(value: Any) -> Any:
    """A value for a spreadsheet: numbers as they are, text that could run as a formula
    behind a `'`."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(contacts: Iterable[Mapping[str, Any]], out: io.TextIOBase) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for contact in contacts:
        row = []
        for column in EXPORT_COLUMNS:
            value = contact.get(column)
            if column in ENTRY_KINDS:
                value = join_list(entry_text(column, item) for item in value or ())
            elif isinstance(value, list):
                value = join_list(value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            row.append(safe_cell(value))
        writer.writerow(row)


# --- labelled entries in one cell -----------------------------------------------------------

_PREFERRED = " (preferred)"


def _escape(text: str, chars: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in chars:
        text = text.replace(char, "\\" + char)
    return text


def entry_text(kind: str, item: Mapping[str, Any]) -> str:
    """One entry as a list item: `[label: ]value[ (preferred)]`."""
    if kind == "addresses":
        parts = [_escape(item.get(part) or "", ",") for part in ADDRESS_PARTS]
        while parts and not parts[-1]:
            parts.pop()
        value = ", ".join(parts)
    else:
        key = {"email_addresses": "address", "phone_numbers": "number", "urls": "url", "events": "date"}[kind]
        value = _escape(item.get(key) or "", "")
    label = item.get("label")
    text = (
        f"{_escape(label or '', ':')}: {value}" if label or ": " in value or value.startswith(":") else value
    )
    return text + (_PREFERRED if item.get("preferred") else "")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def read_entries(kind: str, value: str | None) -> list[Any]:
    """The inverse of entry_text over a list cell."""
    entries: list[Any] = []
    for item in split_list(value, exact=True):
        preferred = item.endswith(_PREFERRED)
        if preferred:
            item = item[: -len(_PREFERRED)]
        label: str | None = None
        head = split_escaped(item, ":", 1)
        if len(head) == 2 and (head[1].startswith(" ") or not head[1]):
            label, item = _unescape(head[0]).strip() or None, head[1][1:]
        if kind == "addresses":
            parts = [_unescape(p).strip() or None for p in split_escaped(item, ",")]
            parts = (parts + [None] * 7)[:7]
            po_box, extended, street, locality, region, postcode, country = parts
            entries.append(
                AddressPublic(label, po_box, extended, street, locality, region, postcode, country, preferred)
            )
        elif kind == "events":
            entries.append(EventPublic(label or "date", _unescape(item).strip()))
        else:
            make = {"email_addresses": EmailPublic, "phone_numbers": PhonePublic, "urls": UrlPublic}[kind]
            entries.append(make(_unescape(item).strip(), label, preferred))
    return entries
