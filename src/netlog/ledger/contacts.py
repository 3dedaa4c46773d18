"""Contacts: create, change, find, list and remove them.

The look-up rules for a CONTACT argument live here, once (`resolve_contact`):
a number is an id, then an exact handle, then a name compared without case
or accents, whole or as a unique prefix of the name or of any word in it.
Archived contacts are only matched when no active contact matches.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlmodel import Session, select, text

from netlog import dates
from netlog.errors import Ambiguous, InvalidValue, NotFound, quote
from netlog.ledger.names import (
    clean_name,
    fold,
    next_free_handle,
    normalise_tag,
    normalise_url,
    slug,
    valid_handle,
)
from netlog.ledger.rows import as_date, as_utc, chunks, grouped, id_list, stamp
from netlog.ledger.rules import FIRST_DUE_SQL, LAST_TOUCH_SQL
from netlog.models import Contact, ContactPublic, ContactTag, Email, Tag
from netlog.vocab import Circle, Source

# Columns `add` and `edit` may set directly, with their meaning for error messages.
TEXT_FIELDS = ("phone", "org", "title", "location", "notes", "url")
MAX_TEXT = 10_000
# Tags no contact uses any more; one index probe per tag (ix_contact_tag_tag).
DROP_UNUSED_TAGS = "DELETE FROM tag WHERE NOT EXISTS (SELECT 1 FROM contact_tag ct WHERE ct.tag_id = tag.id)"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and line feed
# An id is ASCII digits only: str.isdigit() is also true of "¹" or "③", which int() refuses.
_ID = re.compile(r"[0-9]{1,18}")


@cache
def _allowed(choices: type) -> tuple[str, ...]:
    return tuple(c.value for c in choices)  # type: ignore[attr-defined]


def check_choice(value: str | None, choices: type, field: str) -> str | None:
    if value is None:
        return None
    allowed = _allowed(choices)
    if value not in allowed:
        raise InvalidValue(f"{field} {quote(value)} is not one of: {', '.join(allowed)}.")
    return value


def check_name(name: str) -> str:
    cleaned = clean_name(name)
    if not cleaned:
        raise InvalidValue("A contact needs a name: give some letters, e.g. netlog add 'Jane Doe'.")
    if len(cleaned) > 300:
        raise InvalidValue("That name is longer than 300 characters: shorten it.")
    return cleaned


def check_text(value: str | None, field: str) -> str | None:
    """Free text as stored: empty means none; surrounding space trimmed; control
    characters other than line breaks and tabs dropped (they only garble terminals)."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    if len(value) > MAX_TEXT:
        raise InvalidValue(f"The {field} field has more than {MAX_TEXT:,} characters: shorten it.")
    return value or None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Invalid in an address or a link (RFC 5322, RFC 3986), and what a terminal would act on.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def check_email(address: str) -> str:
    value = address.strip()
    if _INVISIBLE.search(value) or not _EMAIL.fullmatch(value):
        raise InvalidValue(f"{quote(address)} is not an email address (like jane@example.com).")
    return value


def check_url(url: str | None) -> str | None:
    """A link as stored: trimmed; control characters and spaces inside are refused."""
    if url is None:
        return None
    value = url.strip()
    if _INVISIBLE.search(value) or " " in value:
        raise InvalidValue(f"{quote(url)} is not a link: it holds spaces or control characters.")
    return check_text(value, "url")


def check_cadence(days: int | None) -> int | None:
    if days is not None and not 1 <= days <= 365 * 200:
        raise InvalidValue(f"A cadence of {days} days is out of range: use 1d to 200y.")
    return days


def allocate_handle(session: Session, name: str, *, taken: set[str] | None = None) -> str:
    base = slug(name)
    if taken is None:
        rows = session.exec(
            text("SELECT handle FROM contact WHERE handle = :b OR handle LIKE :p ESCAPE '\\'"),
            params={"b": base, "p": like_pattern(base, prefix="", suffix="-%")},
        )
        taken = {row[0] for row in rows}
    return next_free_handle(base, taken)


@dataclass
class Claim:
    """An email or profile link that already belongs to another contact."""

    what: str  # "email" or "profile link"
    value: str
    owner: Contact


def claimed(
    session: Session, *, emails: Sequence[str] = (), url: str | None = None, other_than: int | None = None
) -> list[Claim]:
    """Emails and a profile link among these that already belong to someone (an address
    compares without case, a link without scheme, www or trailing slash)."""
    found: list[Claim] = []
    wanted = {e.strip().casefold(): e.strip() for e in emails if e.strip()}
    if wanted:
        for contact_id, address in session.exec(text("SELECT contact_id, address FROM email")):
            if address.casefold() in wanted and contact_id != other_than:
                owner = session.get(Contact, contact_id)
                assert owner is not None
                found.append(Claim("email", wanted[address.casefold()], owner))
    key = normalise_url(url)
    if key:
        rows = session.exec(text("SELECT id, url FROM contact WHERE url IS NOT NULL AND id != :me"),
                            params={"me": other_than or 0})  # fmt: skip
        for contact_id, existing in rows:
            if normalise_url(existing) == key:
                owner = session.get(Contact, contact_id)
                assert owner is not None
                found.append(Claim("profile link", url or "", owner))
                break
    return found


def refuse_claimed(claims: Sequence[Claim], *, editing: Contact | None = None) -> None:
    """The duplicate-at-the-door error: who has it already, and the ways forward."""
    if not claims:
        return
    first = claims[0]
    owner = first.owner
    if editing is None:
        way = f"Update them with netlog edit {owner.handle}, or add anyway with --force."
    else:
        merge = f"netlog merge {editing.handle} {owner.handle}"
        way = f"Fold them into one with {merge}, or add it anyway with --force."
    raise InvalidValue(
        f"{quote(first.value)} is already the {first.what} of {owner.name} ({owner.handle}): "
        f"the same person? {way}"
    )


def same_name(session: Session, name: str) -> list[Contact]:
    """Contacts already called `name` (compared without case or accents)."""
    return list(session.exec(select(Contact).where(Contact.name_key == fold(check_name(name)))))


def create_contact(
    session: Session,
    *,
    name: str,
    emails: Sequence[str] = (),
    phone: str | None = None,
    org: str | None = None,
    title: str | None = None,
    location: str | None = None,
    circle: str = "active",
    source: str | None = None,
    via: Contact | None = None,
    met_on: date | None = None,
    cadence_days: int | None = None,
    birthday: tuple[int | None, int, int] | None = None,
    tags: Sequence[str] = (),
    notes: str | None = None,
    url: str | None = None,
    now: datetime | None = None,
) -> Contact:
    """Insert a contact with its emails and tags; the handle is derived from the name."""
    name = check_name(name)
    created = stamp(now)
    contact = Contact(
        handle=allocate_handle(session, name),
        name=name,
        name_key=fold(name),
        phone=check_text(phone, "phone"),
        org=check_text(org, "org"),
        title=check_text(title, "title"),
        location=check_text(location, "location"),
        circle=check_choice(circle, Circle, "circle") or "active",
        source=check_choice(source, Source, "source"),
        via_id=via.id if via else None,
        met_on=met_on,
        cadence_days=check_cadence(cadence_days),
        notes=check_text(notes, "notes"),
        url=check_url(url),
        created_at=created,
        updated_at=created,
    )
    if birthday:
        contact.birthday_year, contact.birthday_month, contact.birthday_day = birthday
    session.add(contact)
    session.flush()
    assert contact.id is not None
    add_emails(session, contact.id, emails)
    change_tags(session, contact.id, add=tags)
    return contact


def add_emails(session: Session, contact_id: int, emails: Iterable[str]) -> None:
    existing = {
        a.casefold() for a in session.exec(select(Email.address).where(Email.contact_id == contact_id))
    }
    for raw in emails:
        address = check_email(raw)
        if address.casefold() not in existing:
            existing.add(address.casefold())
            session.add(Email(contact_id=contact_id, address=address))
    session.flush()


def replace_emails(session: Session, contact_id: int, emails: Iterable[str]) -> None:
    checked = [check_email(e) for e in emails]
    session.exec(text("DELETE FROM email WHERE contact_id = :c"), params={"c": contact_id})
    add_emails(session, contact_id, checked)


def change_tags(
    session: Session, contact_id: int, *, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> None:
    """Add and remove tags by name; tags no contact uses any more are dropped."""
    for raw in add:
        name = normalise_tag(raw)
        if not name:
            raise InvalidValue("A tag can't be empty.")
        tag = session.exec(select(Tag).where(Tag.name == name)).first()
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            session.flush()
        if session.get(ContactTag, (contact_id, tag.id)) is None:
            session.add(ContactTag(contact_id=contact_id, tag_id=tag.id))
    for raw in remove:
        name = normalise_tag(raw)
        session.exec(
            text(
                "DELETE FROM contact_tag WHERE contact_id = :c "
                "AND tag_id = (SELECT id FROM tag WHERE name = :n)"
            ),
            params={"c": contact_id, "n": name},
        )
    session.flush()
    session.exec(text(DROP_UNUSED_TAGS))


def tags_of(session: Session, contact_id: int) -> set[str]:
    rows = session.exec(
        text("SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = :c"),
        params={"c": contact_id},
    )
    return {row[0] for row in rows}


def update_contact(
    session: Session, contact: Contact, changes: dict[str, Any], *, now: datetime | None = None
) -> Contact:
    """Apply `edit`'s changes. Keys are Contact fields plus `emails`, `tags`, `birthday`, `via`."""
    for field, value in changes.items():
        if field == "name":
            contact.name = check_name(value)
            contact.name_key = fold(contact.name)
        elif field == "handle":
            if not valid_handle(value):
                raise InvalidValue(
                    f"Handle {quote(value)} must be lowercase letters, digits and single hyphens, "
                    "and not only digits (e.g. jane-doe)."
                )
            clash = session.exec(select(Contact).where(Contact.handle == value)).first()
            if clash is not None and clash.id != contact.id:
                raise InvalidValue(f"Handle {quote(value)} is taken by {clash.name}.")
            contact.handle = value
        elif field == "url":
            contact.url = check_url(value)
        elif field in TEXT_FIELDS:
            setattr(contact, field, check_text(value, field))
        elif field == "circle":
            contact.circle = check_choice(value, Circle, "circle") or "active"
        elif field == "source":
            contact.source = check_choice(value, Source, "source")
        elif field == "via":
            if value is not None:
                check_introduction(session, contact, value)
            contact.via_id = value.id if value else None
        elif field == "met_on":
            contact.met_on = value
        elif field == "cadence_days":
            contact.cadence_days = check_cadence(value)
        elif field == "birthday":
            year, month, day = value or (None, None, None)
            contact.birthday_year, contact.birthday_month, contact.birthday_day = year, month, day
        elif field == "archived":
            contact.archived = bool(value)
        elif field == "snoozed_until":
            contact.snoozed_until = value
        elif field == "emails":
            assert contact.id is not None
            replace_emails(session, contact.id, value)
        elif field == "tags":
            assert contact.id is not None
            current = tags_of(session, contact.id)
            wanted = {normalise_tag(t) for t in value}
            change_tags(session, contact.id, add=wanted - current, remove=current - wanted)
        else:  # pragma: no cover - a programming error, not user input
            raise ValueError(f"unknown field {field}")
    contact.updated_at = stamp(now)
    session.add(contact)
    session.flush()
    return contact


def check_introduction(session: Session, contact: Contact, introducer: Contact) -> None:
    """Refuse an introducer who was introduced, directly or not, by this contact."""
    if introducer.id == contact.id:
        raise InvalidValue(f"{contact.name} can't have introduced themselves.")
    seen = {introducer.id}
    step = introducer
    while step.via_id is not None and step.via_id not in seen:
        if step.via_id == contact.id:
            raise InvalidValue(
                f"{contact.name} introduced you to {introducer.name} (directly or through "
                "others), so they can't also have been introduced by them."
            )
        seen.add(step.via_id)
        nxt = session.get(Contact, step.via_id)
        if nxt is None:
            break
        step = nxt


# --- Finding contacts ------------------------------------------------------------------------


def resolve_contact(session: Session, ref: str) -> Contact:
    """The one contact a CONTACT argument means, or NotFound / Ambiguous."""
    ref = ref.strip()
    if not ref:
        raise InvalidValue("A contact reference can't be empty: give a name, handle or id.")
    if _ID.fullmatch(ref):
        found = session.get(Contact, int(ref))
        if found is not None:
            return found
    by_handle = session.exec(select(Contact).where(Contact.handle == ref.lower())).first()
    if by_handle is not None:
        return by_handle
    matches = _name_matches(session, fold(ref))
    active = [c for c in matches if not c.archived]
    matches = active or matches
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(f"{c.name} ({c.handle})" for c in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise Ambiguous(f"{quote(ref)} matches {len(matches)} contacts: {listed}{more}. Use a handle.")
    raise NotFound(_not_found_message(session, ref))


def _name_matches(session: Session, key: str) -> list[Contact]:
    if not key:
        return []
    exact = list(session.exec(select(Contact).where(Contact.name_key == key)))
    if exact:
        return exact
    like = like_pattern(key, prefix="", suffix="")
    statement = select(Contact).where(
        text(
            "contact.name_key LIKE :p ESCAPE '\\' OR contact.name_key LIKE :w ESCAPE '\\' "
            "OR contact.name_key LIKE :hy ESCAPE '\\' OR contact.handle LIKE :h ESCAPE '\\'"
        )
    )
    rows = session.exec(
        statement, params={"p": f"{like}%", "w": f"% {like}%", "hy": f"%-{like}%", "h": f"{like}%"}
    )
    return sorted(rows, key=lambda c: c.name_key)


def _not_found_message(session: Session, ref: str) -> str:
    names = {row[0]: row[1] for row in session.exec(text("SELECT name_key, name FROM contact"))}
    if not names:
        return f"No contact matches {quote(ref)}: the ledger is empty. Add one with: netlog add {quote(ref)}"
    close = difflib.get_close_matches(fold(ref), list(names), n=3, cutoff=0.6)
    if not close:  # a typo in one word of a longer name
        words = {w: k for k in names for w in k.split()}
        close = [words[w] for w in difflib.get_close_matches(fold(ref), list(words), 3, 0.7)]
    if close:
        suggestions = " or ".join(f"{quote(names[k])}" for k in dict.fromkeys(close))
        return f"No contact matches {quote(ref)}. Did you mean {suggestions}?"
    return f"No contact matches {quote(ref)}. See everyone with: netlog list"


# --- Reading contacts out --------------------------------------------------------------------

_CONTACT_ROW_SQL = f"""
SELECT c.*, v.handle AS via_handle, {LAST_TOUCH_SQL} AS last_touch, {FIRST_DUE_SQL} AS first_due_now
FROM contact c
JOIN contact_stats s ON s.contact_id = c.id
LEFT JOIN contact v ON v.id = c.via_id
"""


def public_contacts(session: Session, rows: Sequence[Any]) -> list[ContactPublic]:
    """ContactPublic for rows of `_CONTACT_ROW_SQL`, emails and tags fetched in batches."""
    ids = [row.id for row in rows]
    emails = grouped(
        session, "SELECT contact_id, address FROM email WHERE contact_id IN ({ids}) ORDER BY id", ids
    )
    tags = grouped(
        session,
        "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
        "WHERE ct.contact_id IN ({ids}) ORDER BY t.name",
        ids,
    )
    return [
        ContactPublic(
            id=row.id,
            handle=row.handle,
            name=row.name,
            emails=emails.get(row.id, []),
            phone=row.phone,
            org=row.org,
            title=row.title,
            location=row.location,
            circle=row.circle,
            source=row.source,
            via=row.via_handle,
            met_on=as_date(row.met_on),
            cadence_days=row.cadence_days,
            birthday=dates.format_birthday(row.birthday_year, row.birthday_month, row.birthday_day),
            tags=tags.get(row.id, []),
            notes=row.notes,
            url=row.url,
            archived=bool(row.archived),
            last_touch=as_date(row.last_touch),
            snoozed_until=as_date(row.snoozed_until),
            first_due=as_date(row.first_due_now),
            uid=row.uid,
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
        )
        for row in rows
    ]


def contact_public(session: Session, contact_id: int) -> ContactPublic:
    rows = list(session.exec(text(_CONTACT_ROW_SQL + " WHERE c.id = :i"), params={"i": contact_id}))
    if not rows:
        raise NotFound(f"No contact has id {contact_id}.")
    return public_contacts(session, rows)[0]


@dataclass
class ContactFilter:
    circle: str | None = None
    source: str | None = None
    tags: Sequence[str] = ()
    org: str | None = None
    search: str | None = None
    archived: bool = False  # archived contacts only, instead of active ones only
    include_archived: bool = False  # both (promises you owe an archived contact)


def like_pattern(value: str, *, prefix: str = "%", suffix: str = "%") -> str:
    """`value` for `LIKE ... ESCAPE '\\'`: its own %, _ and \\ taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{prefix}{escaped}{suffix}"


def search_sql(columns: Sequence[str], param: str = "search") -> str:
    """True when any of `columns` contains :param, compared without case or accents
    (`netlog_fold` is registered on every connection: see db.py)."""
    return "(" + " OR ".join(f"netlog_fold({c}) LIKE :{param} ESCAPE '\\'" for c in columns) + ")"


def search_param(text: str) -> str:
    return like_pattern(fold(text))


def filter_sql(flt: ContactFilter) -> tuple[str, dict[str, Any]]:
    """A WHERE clause (on `c`) and its parameters for a ContactFilter."""
    clauses = ["1 = 1" if flt.include_archived else "c.archived = :archived"]
    params: dict[str, Any] = {"archived": flt.archived}
    if flt.circle:
        clauses.append("c.circle = :circle")
        params["circle"] = check_choice(flt.circle, Circle, "circle")
    if flt.source:
        clauses.append("c.source = :source")
        params["source"] = check_choice(flt.source, Source, "source")
    for i, tag in enumerate(flt.tags):
        clauses.append(
            f"EXISTS (SELECT 1 FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            f"WHERE ct.contact_id = c.id AND t.name = :tag{i})"
        )
        params[f"tag{i}"] = normalise_tag(tag)
    if flt.org:
        clauses.append("c.org LIKE :org ESCAPE '\\'")
        params["org"] = like_pattern(flt.org.strip())
    if flt.search:
        clauses.append(
            "("
            + search_sql(["c.name", "c.org", "c.title", "c.notes", "c.location", "c.handle"])
            + " OR EXISTS (SELECT 1 FROM email e WHERE e.contact_id = c.id AND "
            + search_sql(["e.address"])
            + ") OR EXISTS (SELECT 1 FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            + "WHERE ct.contact_id = c.id AND "
            + search_sql(["t.name"])
            + "))"
        )
        params["search"] = search_param(flt.search)
    return " AND ".join(clauses), params


_SORTS = {
    "name": "c.name_key, c.id",
    "last": "last_touch DESC, c.name_key",
    "added": "c.created_at, c.id",
}


def list_contacts(
    session: Session, flt: ContactFilter, *, sort: str = "name", limit: int | None = None
) -> list[ContactPublic]:
    where, params = filter_sql(flt)
    sql = f"{_CONTACT_ROW_SQL} WHERE {where} ORDER BY {_SORTS[sort]}"
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = limit
    rows = list(session.exec(text(sql), params=params))
    return public_contacts(session, rows)


def introduced_by(session: Session, contact_id: int) -> list[str]:
    """Handles of the people this contact introduced you to."""
    rows = session.exec(
        text("SELECT handle FROM contact WHERE via_id = :c ORDER BY name_key"),
        params={"c": contact_id},
    )
    return [row[0] for row in rows]


# --- Removing --------------------------------------------------------------------------------


@dataclass
class Removal:
    favors: int
    interactions: int
    introduced: int  # contacts whose introducer this was


def removal_preview(session: Session, contact_id: int) -> Removal:
    def count(sql: str) -> int:
        return session.exec(text(sql), params={"c": contact_id}).scalar_one()

    return Removal(
        favors=count("SELECT count(*) FROM favor WHERE contact_id = :c"),
        interactions=count(_SOLO_INTERACTIONS),
        introduced=count("SELECT count(*) FROM contact WHERE via_id = :c"),
    )


_SOLO_INTERACTIONS = """
SELECT count(*) FROM interaction_contact ic WHERE ic.contact_id = :c
AND NOT EXISTS (SELECT 1 FROM interaction_contact o
                WHERE o.interaction_id = ic.interaction_id AND o.contact_id != :c)
"""


def remove_contact(session: Session, contact: Contact) -> Removal:
    """Delete a contact, its favors, its links to interactions, and interactions left empty."""
    contact_id = contact.id
    assert contact_id is not None
    preview = removal_preview(session, contact_id)
    params = {"c": contact_id}
    # Drop the summary row first: each link or favor deleted below would otherwise
    # recompute it from the rows left, which is quadratic for a busy contact.
    session.exec(text("DELETE FROM contact_stats WHERE contact_id = :c"), params=params)
    session.exec(text("DELETE FROM favor WHERE contact_id = :c"), params=params)
    linked = [
        row[0]
        for row in session.exec(
            text("SELECT interaction_id FROM interaction_contact WHERE contact_id = :c"), params=params
        )
    ]
    session.exec(text("DELETE FROM interaction_contact WHERE contact_id = :c"), params=params)
    for chunk in chunks(linked):
        session.exec(
            text(
                f"DELETE FROM interaction WHERE id IN ({id_list(chunk)}) AND NOT EXISTS "
                "(SELECT 1 FROM interaction_contact ic WHERE ic.interaction_id = interaction.id)"
            )
        )
    session.exec(text("DELETE FROM email WHERE contact_id = :c"), params=params)
    session.exec(text("DELETE FROM contact_tag WHERE contact_id = :c"), params=params)
    session.exec(text("UPDATE contact SET via_id = NULL WHERE via_id = :c"), params=params)
    session.exec(text("DELETE FROM contact WHERE id = :c"), params=params)
    session.exec(text(DROP_UNUSED_TAGS))
    session.expunge(contact)
    return preview
