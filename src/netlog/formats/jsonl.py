"""netlog's own JSON and JSON Lines: the export, and what scripts feed back in.

Each record is an object with a "type" (`contact`, `interaction`, `favor`,
`introduction`, `knows`, `setting`)
and the same keys as the `--json` output; keys netlog computes (`last_touch`) are
ignored on the way in. An object without a "type" is read by its keys, so the output
of `netlog list --json` (an array of contacts) imports as it is.

JSON Lines starts with a header line `{"type": "netlog-export", "format_version": 1}`;
the JSON form is one object with the same header keys and an array per record type.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from typing import Any

from netlog.dates import EARLIEST, LATEST
from netlog.formats.records import (
    ENTRY_KINDS,
    NAME_PARTS,
    ContactRecord,
    FavorRecord,
    InteractionRecord,
    IntroductionRecord,
    KnowsRecord,
    NeedRecord,
    Notice,
    Record,
    Rejected,
    SettingRecord,
)
from netlog.formats.vcard_write import ADDRESS_PARTS
from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic

FORMAT_NAME = "netlog-export"
FORMAT_VERSION = 1
SECTIONS = ("settings", "contacts", "interactions", "introductions", "favors", "knows", "needs", "offers")


def section_of(kind: str) -> str:
    """The JSON document's array for a record type: `contact` -> `contacts`, `knows` -> `knows`."""
    return kind if kind.endswith("s") else kind + "s"


def kind_of(section: str) -> str:
    return section if section == "knows" else section[:-1]


# A whole number written as text: ASCII digits ("¹".isdigit() is true, int("¹") fails),
# and few enough of them that it is a plausible id or count, not a denial of service.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")


# The keys each record type is read from; others are reported, once per input.
KNOWN_KEYS = {
    "contact": {
        "type", "id", "handle", "name", "emails", "email", "phone", "org", "title", "location", "circle",
        "source", "via", "met_on", "cadence_days", "birthday", "tags", "notes", "url", "archived",
        "last_touch", "snoozed_until", "first_due", "uid", "created_at", "updated_at", *NAME_PARTS,
        *ENTRY_KINDS,
    },
    "interaction": {"type", "id", "date", "kind", "note", "contacts"},
    "favor": {"type", "id", "contact", "direction", "description", "weight", "date", "status", "due",
              "resolved_on", "introduced", "introduction"},
    "introduction": {"type", "id", "date", "a", "b", "note", "outcome", "outcome_on", "outcome_note", "touch",
                     "favors"},
    "knows": {"type", "handle", "a", "b", "date", "note", "name", "strength", "evidence"},
    "setting": {"type", "key", "value"},
    "need": {"type", "id", "contact", "kind", "text", "tags", "created_on", "until", "status", "met_on",
             "met_by", "name", "dropped_on", "favor"},
}  # fmt: skip
KNOWN_KEYS["offer"] = KNOWN_KEYS["need"]


class Bad(ValueError):
    """A field of the wrong shape; becomes a Rejected with the record's position."""


class Unreadable(ValueError):
    """Text that is not JSON netlog can read, and where."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


MAX_DIGITS = 30  # a whole number longer than this is no id, count or date netlog keeps


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Unreadable(f"a number of {len(text.lstrip('-')):,} digits: no value netlog keeps is that long")
    return int(text)


def _loads(text: str) -> Any:
    """json.loads, with every way it fails as one reason: bad syntax (with its place), a
    document nested deeper than Python can follow, a number too long to be a value."""
    try:
        return json.loads(text, parse_int=_whole)
    except Unreadable:
        raise
    except json.JSONDecodeError as exc:
        raise Unreadable(f"not valid JSON ({exc.msg}, column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise Unreadable("nested too deeply to read (hundreds of levels of arrays or objects)") from None
    except ValueError as exc:  # a float or number form Python refuses
        raise Unreadable(f"not valid JSON ({exc})") from None


def header() -> dict[str, Any]:
    return {"type": FORMAT_NAME, "format_version": FORMAT_VERSION}


def dumps(record: dict[str, Any]) -> str:
    from netlog import jsonable

    return jsonable.dumps(record, separators=(", ", ": "))


def read_lines(lines: Iterable[str]) -> Iterator[Record]:
    """Records from JSON Lines, one object per line; blank lines are skipped."""
    unknown: Counter[str] = Counter()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        position = f"line {number}"
        try:
            item = _loads(line)
        except Unreadable as exc:
            yield Rejected(position, exc.reason)
            continue
        yield from _record(item, position, unknown)
    yield from _unknown_notice(unknown)


def _unknown_notice(unknown: Counter[str]) -> Iterator[Record]:
    if unknown:
        shown = ", ".join(f"{key} ({n})" for key, n in unknown.most_common(10))
        yield Notice("the input", f"keys not imported (records with them): {shown}")


def read_document(text: str) -> Iterator[Record]:
    """Records from one JSON document: netlog's export object, or an array of records."""
    try:
        document = _loads(text)
    except Unreadable as exc:
        yield Rejected(f"line {exc.line}" if exc.line else "the file", exc.reason)
        return
    unknown: Counter[str] = Counter()
    if isinstance(document, list):
        for number, item in enumerate(document, 1):
            yield from _record(item, f"item {number}", unknown)
    elif isinstance(document, dict) and document.get("format") == FORMAT_NAME:
        if _version_problem(document):
            yield Rejected("the file", _version_problem(document) or "")
            return
        for section in SECTIONS:
            kind = kind_of(section)
            items = document.get(section) or []
            if not isinstance(items, list):
                yield Rejected(section, f'"{section}" should be a list of objects')
                continue
            for number, item in enumerate(items, 1):
                if isinstance(item, dict):
                    item = {"type": kind, **item}
                yield from _record(item, f"{section}[{number}]", unknown)
    elif isinstance(document, dict):
        yield from _record(document, "the object", unknown)
    else:
        yield Rejected("the file", "expected a JSON object or an array of objects")
    yield from _unknown_notice(unknown)


def _version_problem(item: dict[str, Any]) -> str | None:
    version = item.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return (
            f"export format version {version!r} is newer than this netlog reads "
            f"({FORMAT_VERSION}): upgrade netlog"
        )
    return None


def _record(item: Any, position: str, unknown: Counter[str]) -> Iterator[Record]:
    if not isinstance(item, dict):
        yield Rejected(position, "expected a JSON object")
        return
    kind = item.get("type")
    if kind is not None and not isinstance(kind, str):
        yield Rejected(position, f'"type" should be text such as "contact", not {type(kind).__name__}')
        return
    kind = kind or _guess_type(item)
    if kind in KNOWN_KEYS:
        unknown.update(key for key in item if key not in KNOWN_KEYS[kind])
    try:
        if kind in (FORMAT_NAME, "netlog"):
            problem = _version_problem(item)
            if problem:
                yield Rejected(position, problem)
        elif kind == "contact":
            yield _contact(item, position)
        elif kind == "interaction":
            yield _interaction(item, position)
        elif kind == "favor":
            yield _favor(item, position)
        elif kind == "introduction":
            yield IntroductionRecord(
                position=position,
                a=_text(item, "a", required=True),
                b=_text(item, "b", required=True),
                date=_date(item, "date", required=True),  # type: ignore[arg-type]
                note=_text(item, "note"),
                outcome=_text(item, "outcome") or "made",
                outcome_on=_date(item, "outcome_on"),
                touch=_int(item, "touch"),
                id=_int(item, "id"),
                outcome_note=_text(item, "outcome_note"),
            )
        elif kind == "knows":
            yield KnowsRecord(
                position=position,
                a=_text(item, "a", required=True),
                b=_text(item, "b", required=True),
                date=_date(item, "date", required=True),  # type: ignore[arg-type]
                note=_text(item, "note"),
            )
        elif kind in ("need", "offer"):
            yield _need(kind, item, position)
        elif kind == "setting":
            yield SettingRecord(
                position, _text(item, "key", required=True), _text(item, "value", required=True)
            )
        else:
            what = f"unknown record type {kind!r}" if kind else 'no "type", and not recognisable'
            kinds = "a contact, interaction, favor, introduction, knows, need, offer or setting"
            yield Rejected(position, f"{what}: a record is {kinds}")
    except Bad as exc:
        yield Rejected(position, str(exc))


def _guess_type(item: dict[str, Any]) -> str | None:
    if "direction" in item:
        return "favor"
    if "contacts" in item and "date" in item:
        return "interaction"
    if "name" in item:
        return "contact"
    if "key" in item and "value" in item:
        return "setting"
    return None


def _text(item: dict[str, Any], key: str, *, required: bool = False) -> Any:
    value = item.get(key)
    if type(value) is str and value:  # the common case first: bulk imports call this a lot
        return value
    if value is None or value == "":
        if required:
            raise Bad(f'"{key}" is missing')
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise Bad(f'"{key}" should be text, not {type(value).__name__}')
    return value


def _int(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
            return int(value)
        raise Bad(f'"{key}" should be a whole number, not {value!r}')
    return value


def _date(item: dict[str, Any], key: str, *, required: bool = False) -> date | None:
    value = _text(item, key, required=required)
    if value is None:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        raise Bad(f'"{key}" is not an ISO date (YYYY-MM-DD): {value!r}') from None
    if not EARLIEST <= day <= LATEST:
        raise Bad(f'"{key}" is not a date from {EARLIEST.year} to {LATEST.year}: {value!r}')
    return day


def _stamp(item: dict[str, Any], key: str) -> datetime | None:
    value = _text(item, key)
    if value is None:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if stamp.tzinfo is not None:
            stamp.astimezone(timezone.utc)  # 9999-12-31T23:59:59-05:00 is past the calendar's end
    except (ValueError, OverflowError):
        raise Bad(f'"{key}" is not an ISO timestamp: {value!r}') from None
    if not EARLIEST.year <= stamp.year <= LATEST.year:
        raise Bad(f'"{key}" is not a timestamp from {EARLIEST.year} to {LATEST.year}: {value!r}')
    return stamp


def _strings(item: dict[str, Any], key: str) -> list[str]:
    value = item.get(key)
    if not value:
        return []
    if type(value) is list:
        kept = [v for v in value if type(v) is str and v.strip()]
        if len(kept) == len(value) or all(isinstance(v, str) for v in value):
            return kept
    elif isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    raise Bad(f'"{key}" should be a list of text')


def _birthday(item: dict[str, Any]) -> tuple[int | None, int, int] | None:
    value = _text(item, "birthday")
    if value is None:
        return None
    from netlog.dates import parse_birthday
    from netlog.errors import InvalidValue

    try:
        return parse_birthday(value)
    except InvalidValue as exc:
        raise Bad(exc.message) from None


def _optional(item: dict[str, Any], key: str) -> Any:
    """Like _text for a key that may be absent: the common cases without a call to _text."""
    value = item.get(key)
    if value is None or (type(value) is str and value):
        return value
    return _text(item, key)


def _contact(item: dict[str, Any], position: str) -> ContactRecord:
    emails = _strings(item, "emails") or _strings(item, "email")
    archived = item.get("archived", False)
    if not isinstance(archived, bool):
        raise Bad('"archived" should be true or false')
    get = item.get
    return ContactRecord(
        position=position,
        name=_text(item, "name", required=True),
        emails=emails,
        phone=_optional(item, "phone"),
        org=_optional(item, "org"),
        title=_optional(item, "title"),
        location=_optional(item, "location"),
        url=_optional(item, "url"),
        circle=_optional(item, "circle"),
        source=_optional(item, "source"),
        met_on=_date(item, "met_on") if get("met_on") else None,
        birthday=_birthday(item) if get("birthday") else None,
        tags=_strings(item, "tags"),
        notes=_optional(item, "notes"),
        uid=_optional(item, "uid"),
        id=_int(item, "id") if "id" in item else None,
        handle=_optional(item, "handle"),
        via=_optional(item, "via"),
        cadence_days=_int(item, "cadence_days") if "cadence_days" in item else None,
        archived=archived,
        snoozed_until=_date(item, "snoozed_until") if get("snoozed_until") else None,
        first_due=_date(item, "first_due") if get("first_due") else None,
        keeps_schedule="first_due" in item,
        created_at=_stamp(item, "created_at") if get("created_at") else None,
        updated_at=_stamp(item, "updated_at") if get("updated_at") else None,
        name_prefix=_optional(item, "name_prefix"),
        given_name=_optional(item, "given_name"),
        middle_name=_optional(item, "middle_name"),
        family_name=_optional(item, "family_name"),
        name_suffix=_optional(item, "name_suffix"),
        nickname=_optional(item, "nickname"),
        email_addresses=_entries(item, "email_addresses", EmailPublic, "address"),
        phone_numbers=_entries(item, "phone_numbers", PhonePublic, "number"),
        addresses=_entries(item, "addresses", AddressPublic, None),
        urls=_entries(item, "urls", UrlPublic, "url"),
        events=_entries(item, "events", EventPublic, "date"),
    )


_ENTRY_KEYS: dict[type, tuple[str, ...]] = {
    EmailPublic: ("address", "label", "preferred"),
    PhonePublic: ("number", "label", "preferred"),
    AddressPublic: ("label", *ADDRESS_PARTS, "preferred"),
    UrlPublic: ("url", "label", "preferred"),
    EventPublic: ("label", "date"),
}


def _entries(item: dict[str, Any], key: str, make: type, required: str | None) -> list[Any]:
    """A list of labelled entries, each an object with the keys `show --json` gives."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Bad(f'"{key}" should be a list of objects')
    result = []
    for entry in value:
        values: dict[str, Any] = {}
        for name in _ENTRY_KEYS[make]:
            if name == "preferred":
                flag = entry.get(name, False)
                if not isinstance(flag, bool):
                    raise Bad(f'"{key}": "preferred" should be true or false')
                values[name] = flag
            else:
                values[name] = _text(entry, name)
        if required and values[required] is None:
            continue  # an entry without its value says nothing
        if make is EventPublic and values["label"] is None:
            values["label"] = "date"
        result.append(make(**values))
    return result


def _need(kind: str, item: dict[str, Any], position: str) -> NeedRecord:
    given = item.get("kind")
    if given is not None and given != kind:
        raise Bad(f'"kind" is {given!r} in a record of type {kind!r}')
    status = _text(item, "status") or "open"
    return NeedRecord(
        position=position,
        kind=kind,
        contact=_text(item, "contact", required=True),
        text=_text(item, "text", required=True),
        created_on=_date(item, "created_on", required=True),  # type: ignore[arg-type]
        tags=_strings(item, "tags"),
        until=_date(item, "until"),
        status="open" if status == "expired" else status,  # expired is open past its day
        met_on=_date(item, "met_on"),
        met_by=_text(item, "met_by"),
        dropped_on=_date(item, "dropped_on"),
        favor=_int(item, "favor"),
        id=_int(item, "id"),
    )


def _interaction(item: dict[str, Any], position: str) -> InteractionRecord:
    contacts = _strings(item, "contacts")
    if not contacts:
        raise Bad('"contacts" is missing: list the handles of who was there')
    return InteractionRecord(
        position=position,
        date=_date(item, "date", required=True),  # type: ignore[arg-type]
        kind=_text(item, "kind") or "meeting",
        note=_text(item, "note"),
        contacts=contacts,
        id=_int(item, "id"),
    )


def _favor(item: dict[str, Any], position: str) -> FavorRecord:
    weight = _int(item, "weight")
    return FavorRecord(
        position=position,
        contact=_text(item, "contact", required=True),
        direction=_text(item, "direction", required=True),
        description=_text(item, "description", required=True),
        weight=1 if weight is None else weight,
        date=_date(item, "date", required=True),  # type: ignore[arg-type]
        status=_text(item, "status") or "done",
        due=_date(item, "due"),
        resolved_on=_date(item, "resolved_on"),
        id=_int(item, "id"),
        introduced=_text(item, "introduced"),
        introduction=_int(item, "introduction"),
    )
