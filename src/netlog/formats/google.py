"""Google Contacts CSV, in both of the layouts Google has written.

Current: `First Name,Middle Name,Last Name,...,Labels,E-mail 1 - Label,E-mail 1 - Value,...`
Legacy:  `Name,Given Name,Additional Name,Family Name,...,Group Membership,E-mail 1 - Type,...`

The numbered groups (`E-mail 2 - Value`, `Phone 3 - Value`, `Website 1 - Value`...)
vary in count from file to file, so columns are mapped by pattern. One cell may hold
several values joined by ` ::: `. Labels become tags, except Google's own system groups
(`* myContacts`, `* starred`). Birthdays may lack a year (`--07-04`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from netlog.formats.csvfile import cell, rows
from netlog.formats.records import ContactRecord, Notice, Record, Rejected

_GROUP = re.compile(r"^(E-mail|Phone|Website|Address|Organization) (\d+) - (.+)$")
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
        emails = group(cells, "E-mail", "Value")
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
        websites = group(cells, "Website", "Value")
        linkedin = [w for w in websites if "linkedin.com/" in w.lower()]
        url = next(iter(linkedin or websites), None)
        others = [w for w in websites if w != url]
        if others:
            notes = "\n".join(n for n in (notes, "Links: " + ", ".join(others)) if n)
        phones = group(cells, "Phone", "Value")
        if len(phones) > 1:
            notes = "\n".join(n for n in (notes, "Other phones: " + ", ".join(phones[1:])) if n)
        city = next(iter(group(cells, "Address", "City")), None)
        country = next(iter(group(cells, "Address", "Country")), None)
        location = ", ".join(p for p in (city, country) if p) or get(cells, "Location")
        yield ContactRecord(
            position=position,
            name=name,
            emails=emails,
            phone=phones[0] if phones else None,
            org=org,
            title=get(cells, "Organization Title") or next(iter(group(cells, "Organization", "Title")), None),
            location=location,
            url=url,
            birthday=birthday,
            tags=tags,
            notes=notes,
            name_prefix=parts[0],
            given_name=parts[1],
            middle_name=parts[2],
            family_name=parts[3],
            name_suffix=parts[4],
            nickname=get(cells, "Nickname"),
        )
