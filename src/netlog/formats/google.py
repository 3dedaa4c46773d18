"""Google Contacts CSV, in both of the layouts Google has written.

Current: `First Name,Middle Name,Last Name,...,Labels,E-mail 1 - Label,E-mail 1 - Value,...`
Legacy:  `Name,Given Name,Additional Name,Family Name,...,Group Membership,E-mail 1 - Type,...`

The numbered groups (`E-mail 2 - Value`, `Phone 3 - Value`, `Website 1 - Value`...)
vary in count from file to file, so columns are mapped by pattern. One cell may hold
several values joined by ` ::: `. Labels become tags, except Google's own system groups
(`* myContacts`, `* starred`). Birthdays may lack a year (`--07-04`).

An entry's label marks the primary one with a leading `* ` (`* Work`). Google has no
column for the shown name: a contact without name parts is written with its whole name
as the First Name, and such a row reads back without parts. netlog adds the `Name` and
`Location` columns of Google's older layout, for the name shown and its `location`.

`write_google` writes the current layout, with as many numbered groups as the contact
with the most entries needs, so the file imports into Google Contacts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from netlog.formats.csvfile import cell, rows, safe_cell
from netlog.formats.records import ContactRecord, Notice, Record, Rejected
from netlog.formats.vcard_write import (
    COMMON_LABELS,
    event_day,
    location_from,
    name_components,
    one_piece,
    profile_link,
)
from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic

_GROUP = re.compile(r"^(E-mail|Phone|Website|Address|Organization|Event) (\d+) - (.+)$")
_SEPARATOR = " ::: "


def _values(value: str | None) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in value.split(_SEPARATOR) if part.strip()]


def read_google(text: str) -> Iterator[Record]:
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
    plain = {title.strip(): i for i, title in enumerate(header)}
    groups: dict[str, list[tuple[int, str, int]]] = {}
    for i, title in enumerate(header):
        if m := _GROUP.match(title.strip()):
            groups.setdefault(m.group(1), []).append((int(m.group(2)), m.group(3), i))

    def get(cells: list[str], *names: str) -> str | None:
        for name in names:
            i = plain.get(name)
            if i is not None and i < len(cells) and cells[i].strip():
                return cell(cells[i])
        return None

    def group(cells: list[str], kind: str, part: str) -> list[str]:
        found = []
        for _, what, i in sorted(groups.get(kind, [])):
            if what == part and i < len(cells):
                found.extend(_values(cells[i]))
        return found

    def numbered(cells: list[str], kind: str) -> list[dict[str, str | None]]:
        """Each numbered group of `kind` (E-mail 1, E-mail 2...) as {part: text}."""
        found: dict[int, dict[str, str | None]] = {}
        for number, what, i in sorted(groups.get(kind, [])):
            found.setdefault(number, {})[what] = cell(cells[i]) if i < len(cells) else None
        return [found[n] for n in sorted(found)]

    def labelled(cells: list[str], kind: str) -> list[tuple[str | None, bool, str]]:
        """(label, primary, value) for every value of every group of `kind`."""
        entries = []
        for parts in numbered(cells, kind):
            label, primary = _label(parts.get("Label") or parts.get("Type"))
            entries += [(label, primary, value) for value in _values(parts.get("Value"))]
        return entries

    for line, cells, problem in records:
        position = f"line {line}"
        if cells is None:
            yield Rejected(position, problem or "unreadable row")
            continue
        if not any(c.strip() for c in cells):
            continue
        parts = [
            get(cells, "Name Prefix"),
            get(cells, "First Name", "Given Name"),
            get(cells, "Middle Name", "Additional Name"),
            get(cells, "Last Name", "Family Name"),
            get(cells, "Name Suffix"),
        ]
        name: str | None = get(cells, "Name") or " ".join(p for p in parts if p)
        org = get(cells, "Organization Name") or next(iter(group(cells, "Organization", "Name")), None)
        name = name or get(cells, "Nickname", "File As") or org
        email_list = [EmailPublic(v, label, primary) for label, primary, v in labelled(cells, "E-mail")]
        emails = [e.address for e in email_list]
        if not name:
            name = emails[0] if emails else ""
        if not name:
            yield Rejected(position, "no name, organisation or email in this row")
            continue
        birthday = None
        raw_birthday = get(cells, "Birthday")
        notes = get(cells, "Notes")
        if raw_birthday:
            try:
                birthday = parse_birthday(raw_birthday.strip(), today=today())
            except InvalidValue:
                notes = "\n".join(n for n in (notes, f"Birthday: {raw_birthday}") if n)
                yield Notice(position, f"birthday {raw_birthday!r} kept in the notes")
        labels = _values(get(cells, "Labels", "Group Membership"))
        tags = [label for label in labels if not label.startswith("*")]
        links = [UrlPublic(v, label, primary) for label, primary, v in labelled(cells, "Website")]
        phones = [PhonePublic(v, label, primary) for label, primary, v in labelled(cells, "Phone")]
        addresses = [a for a in map(_address, numbered(cells, "Address")) if a is not None]
        events = []
        for event in numbered(cells, "Event"):
            label, _ = _label(event.get("Label") or event.get("Type"))
            value = event.get("Value")
            if not value:
                continue
            try:
                year, month, day = event_day(value)
            except ValueError:
                notes = "\n".join(n for n in (notes, f"{(label or 'date').capitalize()}: {value}") if n)
                continue
            shown = f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"
            events.append(EventPublic(label or "date", shown))
        located = next((place for place in map(location_from, addresses) if place), None)
        names: dict[str, Any] = {
            "name_prefix": parts[0],
            "given_name": parts[1],
            "middle_name": parts[2],
            "family_name": parts[3],
            "name_suffix": parts[4],
        }
        if one_piece(name, names):
            names = dict.fromkeys(names)
        yield ContactRecord(
            position=position,
            name=name,
            emails=emails,
            email_addresses=email_list,
            phone_numbers=phones,
            phone=next((p.number for p in phones if p.preferred), phones[0].number if phones else None),
            addresses=addresses,
            urls=links,
            url=profile_link(links),
            events=events,
            org=org,
            title=get(cells, "Organization Title") or next(iter(group(cells, "Organization", "Title")), None),
            # netlog's own export says where someone is in its Location column (kept
            # even when empty); other files have only the addresses to go by.
            location=get(cells, "Location") if "Location" in plain else located,
            birthday=birthday,
            tags=tags,
            notes=notes,
            nickname=get(cells, "Nickname"),
            **names,
        )


def _label(text: str | None) -> tuple[str | None, bool]:
    """(label, primary): Google marks the primary entry `* Work`."""
    if not text:
        return None, False
    primary = text.startswith("* ") or text == "*"
    return (text[2:] if primary else text).strip() or None, primary


# Google's address columns, and the parts of netlog's address they hold.
_ADDRESS = (
    ("Street", "street"), ("City", "locality"), ("PO Box", "po_box"), ("Region", "region"),
    ("Postal Code", "postcode"), ("Country", "country"), ("Extended Address", "extended"),
)  # fmt: skip


def _address(parts: dict[str, str | None]) -> AddressPublic | None:
    values = {ours: parts.get(theirs) for theirs, ours in _ADDRESS}
    if not any(values.values()):
        if not parts.get("Formatted"):
            return None
        values["street"] = parts.get("Formatted")  # only the whole address, as one text
    label, primary = _label(parts.get("Label") or parts.get("Type"))
    return AddressPublic(label=label, preferred=primary, **values)


# --- export ----------------------------------------------------------------------------------

_NAME_COLUMNS = ("First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
                 "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
                 "Organization Name", "Organization Title", "Organization Department", "Birthday", "Notes",
                 "Photo", "Labels", "Name", "Location")  # fmt: skip
_KINDS = (
    ("E-mail", "email_addresses", "address"), ("Phone", "phone_numbers", "number"),
    ("Address", "addresses", None), ("Website", "urls", "url"), ("Event", "events", "date"),
)  # fmt: skip


def _google_label(label: str | None) -> str:
    """Google writes its own labels capitalised: Work, Mobile, Work Fax."""
    if not label:
        return ""
    common = all(word in COMMON_LABELS for word in label.split())
    return label.title() if common else label  # the user's own word as they wrote it


def google_header(counts: dict[str, int]) -> list[str]:
    """Google's current header, with `counts[kind]` numbered groups of each kind."""
    header = list(_NAME_COLUMNS)
    for title, kind, _ in _KINDS:
        for n in range(1, counts.get(kind, 0) + 1):
            if kind == "addresses":
                header += [f"Address {n} - Label", f"Address {n} - Formatted"]
                header += [f"Address {n} - {theirs}" for theirs, _ in _ADDRESS]
            else:
                header += [f"{title} {n} - Label", f"{title} {n} - Value"]
    return header


def google_row(contact: Any, counts: dict[str, int]) -> list[Any]:
    """One contact (its export JSON) as a row under google_header(counts)."""
    name = contact.get("name") or ""
    family, given, middle, prefix, suffix = name_components(contact, name)
    birthday = contact.get("birthday") or ""
    if re.fullmatch(r"\d\d-\d\d", birthday):
        birthday = "--" + birthday  # Google's year-less form
    labels = " ::: ".join([*contact.get("tags", []), "* myContacts"])
    text = {key: contact.get(key) or "" for key in ("nickname", "org", "title", "notes", "location")}
    row: list[Any] = [
        given, middle, family, "", "", "", prefix, suffix, text["nickname"], "", text["org"],
        text["title"], "", birthday, text["notes"], "", labels, name, text["location"],
    ]  # fmt: skip
    for _, kind, key in _KINDS:
        items = list(contact.get(kind) or [])
        for n in range(counts.get(kind, 0)):
            item = items[n] if n < len(items) else None
            label = _google_label((item or {}).get("label"))
            if item is not None and item.get("preferred") and len(items) > 1:
                label = f"* {label}"  # the primary one of several
            if kind == "addresses":
                parts = [(item or {}).get(ours) or "" for _, ours in _ADDRESS]
                formatted = ", ".join(p for p in parts if p) if item else ""
                row += [label, formatted, *parts]
            else:
                value = (item or {}).get(key) or ""
                if kind == "events" and re.fullmatch(r"\d\d-\d\d", value):
                    value = "--" + value
                row += [label, value]
    return [value if _HARMLESS.fullmatch(str(value)) else safe_cell(value) for value in row]


# Phone numbers and Google's year-less dates start with + or -, which a spreadsheet would
# take as a formula; made only of these characters they cannot run anything, and Google
# must get them as they are.
_HARMLESS = re.compile(r"\+?[\d ().-]*")
