"""vCards out: RFC 6350 (4.0) and RFC 2426 (3.0) text, written directly.

Building each card as a vobject component was 96 % of exporting an address book; the
text is simple enough to write here. It is what vobject writes (and so what khard and
vdirsyncer, which read with vobject, expect), checked by reading it back with vobject
in tests/test_vcard.py:

- VERSION, PRODID and UID first, then the properties in alphabetical order;
- every text value backslash-escaped (`\\`, `,`, `;`, new lines as `\\n`), the
  components of N, ADR and ORG each escaped and joined with `;`, the CATEGORIES with `,`;
- lines folded at 75 octets (a CRLF and a space), never inside a character.

Birthdays without a year are written the way Apple Contacts and Google read them back:
`--MMDD` in 4.0, and in 3.0 (which has no way to say "no year") `1604-MM-DD` with
`X-APPLE-OMIT-YEAR=1604`.

Labels: the ones vCard has a TYPE for (work, home, mobile as CELL, fax, pager...) are
written as TYPEs; any other (assistant, linkedin, a user's own word) as Apple writes it,
an item group with an `X-ABLabel`, which Apple, Google and khard read. The preferred
entry of each kind is `TYPE=PREF` in 3.0 and `PREF=1` in 4.0. Anniversaries are
`ANNIVERSARY` in 4.0; 3.0 has none, so they and other dates are Apple's labelled
`X-ABDATE` (and the anniversary also `X-ANNIVERSARY`, which khard and Evolution read).

`location` is netlog's own summary of where someone is. When the addresses give it
(their first town, region and country) nothing more is written; otherwise it goes in an
`X-NETLOG-LOCATION` line (empty for none), so it comes back as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any

PRODID = "-//netlog//netlog vCard export//EN"
_TEXT = (("notes", "NOTE"), ("org", "ORG"), ("phone", "TEL"), ("title", "TITLE"), ("url", "URL"))
FOLD_AT = 75  # octets per line, CRLF not counted (RFC 6350 section 3.2)


def write_vcards(contacts: Iterable[Mapping[str, Any]], *, version: str = "3.0") -> Iterator[str]:
    """Yield one serialised card (a str ending in CRLF) per contact."""
    if version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {version!r}")
    return (card(contact, version) for contact in contacts)


def escape(text: str) -> str:
    """A text value as vCard escapes it."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def card(contact: Mapping[str, Any], version: str) -> str:
    lines = [f"VERSION:{version}", f"PRODID:{PRODID}"]
    if uid := clean(contact.get("uid")):
        lines.append(f"UID:{escape(uid)}")
    name = clean(contact.get("name")) or clean(contact.get("handle")) or "?"
    props: list[tuple[str, str]] = []  # (sort key, line) for all but the first three
    items = _Items()
    addresses = contact.get("addresses") or []
    for address in addresses:
        parts = [escape(clean(address.get(part)) or "") for part in ADDRESS_PARTS]
        props += items.lines(
            "ADR", ";".join(parts), address.get("label"), prefers(addresses, address), version
        )
    location = clean(contact.get("location"))
    derived = next((place for place in (location_from(_Parts(a)) for a in addresses) if place), None)
    if location != derived:  # an empty one says "none", where the addresses would give one
        props.append(("x-netlog-location", f"X-NETLOG-LOCATION:{escape(location or '')}"))
    if birthday := birthday_value(contact.get("birthday"), version):
        props.append(("bday", f"BDAY{birthday}"))
    tags = [escape(t) for t in (clean(t) for t in contact.get("tags") or ()) if t]
    if tags:
        props.append(("categories", "CATEGORIES:" + ",".join(tags)))
    emails = contact.get("email_addresses")
    if emails is None:  # a record from before labelled emails
        emails = [{"address": e} for e in contact.get("emails") or ()]
    for email in emails:
        if address := clean(email.get("address")):
            # TYPE=INTERNET is vCard 3.0's; 4.0 dropped it (and readers warn about unknown types).
            extra = ["INTERNET"] if version == "3.0" else []
            props += items.lines(
                "EMAIL", escape(address), email.get("label"), prefers(emails, email), version, extra
            )
    for event in contact.get("events") or ():
        props += _event_lines(items, event, version)
    props.append(("fn", f"FN:{escape(name)}"))
    props.append(("n", "N:" + ";".join(escape(part) for part in name_components(contact, name))))
    if nickname := clean(contact.get("nickname")):
        props.append(("nickname", "NICKNAME:" + ",".join(escape(n.strip()) for n in nickname.split(", "))))
    for key, prop in (("notes", "NOTE"), ("org", "ORG"), ("title", "TITLE")):
        if text := clean(contact.get(key)):
            props.append((prop.lower(), f"{prop}:{escape(text)}"))
    phones = contact.get("phone_numbers")
    if phones is None:
        phones = [{"number": contact["phone"], "preferred": True}] if contact.get("phone") else []
    for phone in phones:
        if number := clean(phone.get("number")):
            props += items.lines("TEL", escape(number), phone.get("label"), prefers(phones, phone), version)
    urls = contact.get("urls")
    if urls is None:
        urls = [{"url": contact["url"], "preferred": True}] if contact.get("url") else []
    for link in urls:
        if url := clean(link.get("url")):
            # escaped as text: vobject (khard, vdirsyncer) reads a URL up to its first bare comma
            props += items.lines("URL", escape(url), link.get("label"), prefers(urls, link), version)
    if stamp := rev(contact.get("updated_at")):
        props.append(("rev", f"REV:{stamp}"))
    props.sort(key=lambda item: item[0])  # stable: several emails keep their order
    lines += (line for _, line in props)
    return "BEGIN:VCARD\r\n" + "".join(fold(line) for line in lines) + "END:VCARD\r\n"


_EVENT_DAY = re.compile(r"(?:(\d{4})-?|--)?(\d{1,2})-?(\d{1,2})")


def event_day(text: str) -> tuple[int | None, int, int]:
    """A dated event's (year or None, month, day), from `YYYY-MM-DD`, `MM-DD` or
    `--MMDD`; any year from 1 on (an anniversary may be long ago). ValueError if not."""
    text = text.strip()
    match = _EVENT_DAY.fullmatch(text)
    if not match or (not match.group(1) and "-" not in text):
        raise ValueError(text)
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    if year == 0:
        raise ValueError(text)
    date(year or 2000, month, day)  # 2000: 29 February is a day without a year too
    return year, month, day


def prefers(items: Sequence[Mapping[str, Any]], item: Mapping[str, Any]) -> bool:
    """Whether to say PREF: for the preferred one of several (one alone is the one)."""
    return len(items) > 1 and bool(item.get("preferred"))


ADDRESS_PARTS = ("po_box", "extended", "street", "locality", "region", "postcode", "country")
# Apple's built-in labels, as netlog keeps them (others are Apple's word in lower case).
APPLE_LABELS = {"HomeFAX": "home fax", "WorkFAX": "work fax", "OtherFAX": "other fax",
                "AssistantPhone": "assistant", "HomePage": "homepage"}  # fmt: skip
# Words of the labels every address book has: these are kept in lower case.
COMMON_LABELS = frozenset({
    "work", "home", "other", "mobile", "cell", "fax", "pager", "main", "iphone", "video", "text",
    "textphone", "car", "isdn", "modem", "bbs", "school", "assistant", "homepage", "anniversary",
    "linkedin", "profile", "blog", "website", "date", "personal", "voice",
})  # fmt: skip


# Labels vCard has a TYPE for, and the TYPE: "work fax" is TYPE=WORK,FAX.
_TYPES = {"work": "WORK", "home": "HOME", "other": "OTHER", "mobile": "CELL", "fax": "FAX",
          "pager": "PAGER", "main": "MAIN", "iphone": "IPHONE", "video": "VIDEO", "text": "TEXT",
          "textphone": "TEXTPHONE", "car": "CAR", "isdn": "ISDN", "modem": "MODEM", "bbs": "BBS"}  # fmt: skip


class _Items:
    """Numbers Apple's item groups (item1.TEL + item1.X-ABLabel) across one card."""

    def __init__(self) -> None:
        self.count = 0

    def lines(
        self,
        name: str,
        value: str,
        label: Any,
        preferred: Any,
        version: str,
        extra: list[str] | None = None,
    ) -> list[tuple[str, str]]:
        words = (clean(label) or "").split()
        typed = bool(words) and all(w in _TYPES for w in words)
        types = list(extra or []) + ([_TYPES[w] for w in words] if typed else [])
        params = ""
        if preferred and version == "3.0":
            types.append("PREF")
        if types:
            params += ";TYPE=" + ",".join(t if version == "3.0" else t.lower() for t in types)
        if preferred and version == "4.0":
            params += ";PREF=1"
        key = name.lower()
        if not words or typed:
            return [(key, f"{name}{params}:{value}")]
        self.count += 1
        group = f"item{self.count}"
        return [
            (key, f"{group}.{name}{params}:{value}"),
            (key, f"{group}.X-ABLabel:{escape(apple_label(words))}"),
        ]


def apple_label(words: list[str]) -> str:
    text = " ".join(words)
    builtin = {v: k for k, v in APPLE_LABELS.items()}.get(text)
    if builtin or text == "anniversary":
        return f"_$!<{builtin or 'Anniversary'}>!$_"
    return text


def _event_lines(items: _Items, event: Mapping[str, Any], version: str) -> list[tuple[str, str]]:
    label = clean(event.get("label")) or "date"
    value = birthday_value(event.get("date"), version)
    if value is None:
        return []
    # One sort key for every date, so they keep their order among themselves.
    if label == "anniversary" and version == "4.0":
        return [("anniversary", f"ANNIVERSARY{value}")]
    params, text = value.split(":", 1)
    items.count += 1
    group = f"item{items.count}"
    lines = [
        ("anniversary", f"{group}.X-ABDATE{params}:{text}"),
        ("anniversary", f"{group}.X-ABLabel:{escape(apple_label(label.split()))}"),
    ]
    if label == "anniversary":
        lines.append(("anniversary", f"X-ANNIVERSARY{value}"))
    return lines


_LINKEDIN = re.compile(r"linkedin\.com/(in|pub)/", re.IGNORECASE)


def profile_link(urls: Sequence[Any]) -> str | None:
    """What `url` shows, the profile link: a LinkedIn profile when there is one (what a
    LinkedIn export is matched by), else the preferred link, else the first."""
    chosen = next((u for u in urls if _LINKEDIN.search(u.url)), None)
    chosen = chosen or next((u for u in urls if u.preferred), urls[0] if urls else None)
    return chosen.url if chosen else None


class _Parts:
    """An address given as a mapping, read as location_from reads an AddressPublic."""

    def __init__(self, address: Mapping[str, Any]) -> None:
        self.locality = clean(address.get("locality"))
        self.region = clean(address.get("region"))
        self.country = clean(address.get("country"))


def location_from(address: Any) -> str | None:
    """Where an address says someone is: "town, region, country" (what `location` takes
    from a card's first address that has any of them)."""
    parts = [part for part in (address.locality, address.region, address.country) if part]
    return ", ".join(parts) or None


def fold(line: str) -> str:
    """One content line, folded at 75 octets, with its CRLF."""
    if len(line) * 4 <= FOLD_AT or len(line.encode("utf-8")) <= FOLD_AT:
        return line + "\r\n"
    parts: list[str] = []
    start, size = 0, 0
    for index, char in enumerate(line):
        width = len(char.encode("utf-8"))
        if size + width > FOLD_AT:
            parts.append(line[start:index])
            start, size = index, 1  # the space that starts a continuation line
        size += width
    parts.append(line[start:])
    return "\r\n ".join(parts) + "\r\n"


def clean(value: Any) -> str | None:
    """Text for a card: one kind of line break, no other control characters, trimmed."""
    if value is None:
        return None
    text = str(value)
    if text.isprintable():  # the common case: no line breaks, no control characters
        return text.strip() or None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip() or None


# Unicode's control characters (category Cc) but for line breaks and tabs.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def name_components(contact: Mapping[str, Any], name: str) -> list[str]:
    """N's five components: family, given, middle, prefix, suffix. The contact's own name
    parts when it has any (from a file, or given by the user); else the whole name as the
    given name, since netlog cannot know which words are the family name ("Seán Ó
    Briain"). Readers give such a card back with no parts (see `one_piece`)."""
    keys = ("family_name", "given_name", "middle_name", "name_prefix", "name_suffix")
    parts = [clean(contact.get(key)) or "" for key in keys]
    if any(parts):
        return parts
    return ["", " ".join(name.split()), "", "", ""]


def one_piece(name: str, parts: Mapping[str, Any]) -> bool:
    """True when a file's name parts are only the shown name as a given name: what
    netlog writes for a contact without parts, so it has none when read back."""
    others = ("name_prefix", "middle_name", "family_name", "name_suffix")
    given = parts.get("given_name")
    return bool(given) and not any(parts.get(k) for k in others) and " ".join(name.split()) == given


def birthday_value(birthday: Any, version: str) -> str | None:
    """The BDAY line after its name: parameters, a colon and the value."""
    match = re.fullmatch(r"(?:(\d{4})-)?(\d\d)-(\d\d)", str(birthday or "").strip())
    if not match:
        return None
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    if version == "4.0":
        return f":{year:04d}{month:02d}{day:02d}" if year else f":--{month:02d}{day:02d}"
    if year:
        return f":{year:04d}-{month:02d}-{day:02d}"
    return f";X-APPLE-OMIT-YEAR=1604:1604-{month:02d}-{day:02d}"


def rev(updated_at: Any) -> str | None:
    """REV as `YYYYMMDDTHHMMSSZ` in UTC, from a datetime or an ISO 8601 string."""
    if isinstance(updated_at, datetime):
        moment = updated_at
    elif updated_at:
        text = str(updated_at).strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"  # fromisoformat reads a Z only from Python 3.11
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")
