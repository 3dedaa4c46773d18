"""Contacts, read: finding the one a CONTACT argument means, listing, and the record
that leaves the program. (Changing them is ledger/write.py.)

The look-up rules for a CONTACT argument live here, once (`resolve_contact`):
a number is an id, then an exact handle, then a name compared without case
or accents, whole or as a unique prefix of the name or of any word in it.
Archived contacts are only matched when no active contact matches.

Every function takes a Reader (storage/reader.py): portable SQL, no SQLAlchemy.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from netlog import dates
from netlog.errors import Ambiguous, InvalidValue, NotFound, quote
from netlog.formats.records import ENTRY_KINDS
from netlog.ledger.card import Entries
from netlog.ledger.names import fold, normalise_tag, normalise_url
from netlog.ledger.rows import chunks, grouped, id_list, json_record, public_record
from netlog.ledger.rules import FIRST_DUE_SQL, LAST_TOUCH_SQL
from netlog.ledger.values import check_choice, check_name
from netlog.public import AddressPublic, ContactPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic
from netlog.storage.dialect import like_pattern, search_sql
from netlog.storage.reader import Reader
from netlog.vocab import Circle, Source

# An id is ASCII digits only: str.isdigit() is also true of "¹" or "③", which int() refuses.
_ID = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class Found:
    """A contact as a look-up finds it: enough to name it, and to change it by id."""

    id: int
    handle: str
    name: str
    archived: bool
    via_id: int | None = None


_FOUND = "SELECT id, handle, name, archived, via_id FROM contact"


def _found(rows: Sequence[Any]) -> list[Found]:
    return [Found(r.id, r.handle, r.name, bool(r.archived), r.via_id) for r in rows]


def contact_by_id(db: Reader, contact_id: int) -> Found | None:
    rows = _found(db.rows(f"{_FOUND} WHERE id = :i", {"i": contact_id}))
    return rows[0] if rows else None


def resolve_contact(db: Reader, ref: str) -> Found:
    """The one contact a CONTACT argument means, or NotFound / Ambiguous."""
    ref = ref.strip()
    if not ref:
        raise InvalidValue("A contact reference can't be empty: give a name, handle or id.")
    if _ID.fullmatch(ref):
        found = contact_by_id(db, int(ref))
        if found is not None:
            return found
    by_handle = _found(db.rows(f"{_FOUND} WHERE handle = :h", {"h": ref.lower()}))
    if by_handle:
        return by_handle[0]
    matches = _name_matches(db, fold(ref)) or _nickname_matches(db, fold(ref))
    active = [c for c in matches if not c.archived]
    matches = active or matches
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(f"{c.name} ({c.handle})" for c in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise Ambiguous(f"{quote(ref)} matches {len(matches)} contacts: {listed}{more}. Use a handle.")
    raise NotFound(_not_found_message(db, ref))


def _name_matches(db: Reader, key: str) -> list[Found]:
    if not key:
        return []
    exact = _found(db.rows(f"{_FOUND} WHERE name_key = :k ORDER BY id", {"k": key}))
    if exact:
        return exact
    like = like_pattern(key, prefix="", suffix="")
    rows = db.rows(
        f"{_FOUND} WHERE name_key LIKE :p ESCAPE '\\' OR name_key LIKE :w ESCAPE '\\' "
        "OR name_key LIKE :hy ESCAPE '\\' OR handle LIKE :h ESCAPE '\\' ORDER BY name_key, id",
        {"p": f"{like}%", "w": f"% {like}%", "hy": f"%-{like}%", "h": f"{like}%"},
    )
    return _found(rows)


def _nickname_matches(db: Reader, key: str) -> list[Found]:
    """Contacts one of whose nicknames (`JD, Janie`) is `key`, compared without case or
    accents: a look-up by name that found nobody tries these."""
    if not key:
        return []
    rows = db.rows(
        f"{_FOUND.replace('SELECT ', 'SELECT nickname, ', 1)} WHERE nickname IS NOT NULL ORDER BY id"
    )
    return _found([r for r in rows if key in (fold(n) for n in r.nickname.split(","))])


def _not_found_message(db: Reader, ref: str) -> str:
    names = {row.name_key: row.name for row in db.rows("SELECT name_key, name FROM contact")}
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


def same_name(db: Reader, name: str) -> list[Found]:
    """Contacts already called `name` (compared without case or accents)."""
    return _found(db.rows(f"{_FOUND} WHERE name_key = :k ORDER BY id", {"k": fold(check_name(name))}))


def tags_of(db: Reader, contact_id: int) -> set[str]:
    rows = db.rows(
        "SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = :c",
        {"c": contact_id},
    )
    return {row.name for row in rows}


def check_introduction(db: Reader, contact_id: int, introducer: Found) -> None:
    """Refuse an introducer who was introduced, directly or not, by this contact."""
    me = contact_by_id(db, contact_id)
    assert me is not None
    if introducer.id == contact_id:
        raise InvalidValue(f"{me.name} can't have introduced themselves.")
    seen = {introducer.id}
    step: Found | None = introducer
    while step is not None and step.via_id is not None and step.via_id not in seen:
        if step.via_id == contact_id:
            raise InvalidValue(
                f"{me.name} introduced you to {introducer.name} (directly or through "
                "others), so they can't also have been introduced by them."
            )
        seen.add(step.via_id)
        step = contact_by_id(db, step.via_id)


# --- Duplicates at the door ------------------------------------------------------------------


@dataclass
class Claim:
    """An email or profile link that already belongs to another contact."""

    what: str  # "email" or "profile link"
    value: str
    owner: Found


def claimed(
    db: Reader, *, emails: Sequence[str] = (), url: str | None = None, other_than: int | None = None
) -> list[Claim]:
    """Emails and a profile link among these that already belong to someone (an address
    compares without case, a link without scheme, www or trailing slash)."""
    found: list[Claim] = []
    wanted = {e.strip().casefold(): e.strip() for e in emails if e.strip()}
    if wanted:
        for row in db.rows("SELECT contact_id, address FROM email"):
            if row.address.casefold() in wanted and row.contact_id != other_than:
                owner = contact_by_id(db, row.contact_id)
                assert owner is not None
                found.append(Claim("email", wanted[row.address.casefold()], owner))
    key = normalise_url(url)
    if key:
        rows = db.rows(
            "SELECT id, url FROM contact WHERE url IS NOT NULL AND id != :me", {"me": other_than or 0}
        )
        for row in rows:
            if normalise_url(row.url) == key:
                owner = contact_by_id(db, row.id)
                assert owner is not None
                found.append(Claim("profile link", url or "", owner))
                break
    return found


def refuse_claimed(claims: Sequence[Claim], *, editing: Found | None = None) -> None:
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


# --- Reading contacts out --------------------------------------------------------------------

# Every column of a contact as ContactPublic names it (the rest are worked out below).
CONTACT_ROW_SQL = f"""
SELECT c.id, c.handle, c.name, c.phone, c.org, c.title, c.location, c.circle, c.source,
       v.handle AS via, c.met_on, c.cadence_days, c.birthday_year, c.birthday_month,
       c.birthday_day, c.notes, c.url, c.archived, {LAST_TOUCH_SQL} AS last_touch,
       c.snoozed_until, {FIRST_DUE_SQL} AS first_due, c.uid, c.created_at, c.updated_at,
       c.name_prefix, c.given_name, c.middle_name, c.family_name, c.name_suffix, c.nickname
FROM contact c
JOIN contact_stats s ON s.contact_id = c.id
LEFT JOIN contact v ON v.id = c.via_id
"""


def public_contacts(db: Reader, rows: Sequence[Any]) -> list[ContactPublic]:
    """ContactPublic for rows of CONTACT_ROW_SQL, emails and tags fetched in batches."""
    return _contacts(db, rows, public_record)


def contacts_json(db: Reader, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """The JSON of public_contacts, made straight from the rows (for long lists)."""
    return _contacts(db, rows, json_record)


def _contacts(db: Reader, rows: Sequence[Any], make: Callable[..., Any]) -> list[Any]:
    ids = [row.id for row in rows]
    got = entries_of(db, ids)
    plain = make is json_record  # JSON is made straight away: the entries as objects
    none = Entries()
    tags = grouped(
        db,
        "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
        "WHERE ct.contact_id IN ({ids}) ORDER BY t.name",
        ids,
    )
    result = []
    for row in rows:
        card = got.get(row.id, none)
        lists: dict[str, list[Any]] = {kind: getattr(card, kind) for kind in ENTRY_KINDS}
        if plain:
            lists = {key: [_as_dict(item) for item in items] for key, items in lists.items()}
        result.append(
            make(
                ContactPublic,
                row,
                emails=[e.address for e in card.email_addresses],
                tags=tags.get(row.id, []),
                birthday=dates.format_birthday(row.birthday_year, row.birthday_month, row.birthday_day),
                **lists,
            )
        )
    return result


def _as_dict(item: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__slots__}


_ADDRESS_COLUMNS = "po_box, extended, street, locality, region, postcode, country"


def entries_of(db: Reader, ids: Sequence[int]) -> dict[int, Entries]:
    """Each contact's labelled emails, phones, addresses, links and dates, in the order
    they were given, fetched in batches."""
    result: dict[int, Entries] = {}

    def of(cid: int) -> Entries:
        if cid not in result:
            result[cid] = Entries()
        return result[cid]

    for chunk in chunks(ids):
        listed = id_list(chunk)
        for row in db.rows(
            "SELECT contact_id, address, label, preferred FROM email "
            f"WHERE contact_id IN ({listed}) ORDER BY id"
        ):
            of(row.contact_id).email_addresses.append(
                EmailPublic(row.address, row.label, bool(row.preferred))
            )
        for row in db.rows(
            f"SELECT contact_id, kind, label, value, preferred, {_ADDRESS_COLUMNS} FROM detail "
            f"WHERE contact_id IN ({listed}) ORDER BY id"
        ):
            entries = of(row.contact_id)
            preferred = bool(row.preferred)
            if row.kind == "phone":
                entries.phone_numbers.append(PhonePublic(row.value, row.label, preferred))
            elif row.kind == "url":
                entries.urls.append(UrlPublic(row.value, row.label, preferred))
            elif row.kind == "event":
                entries.events.append(EventPublic(row.label, row.value))
            elif row.kind == "address":
                entries.addresses.append(
                    AddressPublic(
                        row.label,
                        row.po_box,
                        row.extended,
                        row.street,
                        row.locality,
                        row.region,
                        row.postcode,
                        row.country,
                        preferred,
                    )
                )
    return result


def contact_public(db: Reader, contact_id: int) -> ContactPublic:
    rows = db.rows(CONTACT_ROW_SQL + " WHERE c.id = :i", {"i": contact_id})
    if not rows:
        raise NotFound(f"No contact has id {contact_id}.")
    return public_contacts(db, rows)[0]


@dataclass
class ContactFilter:
    circle: str | None = None
    source: str | None = None
    tags: Sequence[str] = ()
    org: str | None = None
    search: str | None = None
    archived: bool = False  # archived contacts only, instead of active ones only
    include_archived: bool = False  # both (promises you owe an archived contact)


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
            + search_sql(["c.name", "c.nickname", "c.org", "c.title", "c.notes", "c.location", "c.handle"])
            + " OR EXISTS (SELECT 1 FROM email e WHERE e.contact_id = c.id AND "
            + search_sql(["e.address"])
            + ") OR EXISTS (SELECT 1 FROM detail d WHERE d.contact_id = c.id AND "
            + search_sql(["d.value", "d.street", "d.locality", "d.region", "d.postcode", "d.country"])
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
    db: Reader, flt: ContactFilter, *, sort: str = "name", limit: int | None = None, as_json: bool = False
) -> list[Any]:
    """The contacts that pass the filter, as ContactPublic records (or, `as_json`, as the
    dicts JSON shows, made without a record per contact: a list of thousands)."""
    where, params = filter_sql(flt)
    sql = f"{CONTACT_ROW_SQL} WHERE {where} ORDER BY {_SORTS[sort]}"
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = limit
    rows = db.rows(sql, params)
    return contacts_json(db, rows) if as_json else public_contacts(db, rows)


def introduced_by(db: Reader, contact_id: int) -> list[str]:
    """Handles of the people this contact introduced you to."""
    rows = db.rows("SELECT handle FROM contact WHERE via_id = :c ORDER BY name_key", {"c": contact_id})
    return [row.handle for row in rows]


# --- Before removing -------------------------------------------------------------------------


@dataclass
class Removal:
    favors: int
    interactions: int
    introduced: int  # contacts whose introducer this was
    needs: int = 0  # their needs and offers


SOLO_INTERACTIONS_SQL = """
SELECT count(*) FROM interaction_contact ic WHERE ic.contact_id = :c
AND NOT EXISTS (SELECT 1 FROM interaction_contact o
                WHERE o.interaction_id = ic.interaction_id AND o.contact_id != :c)
"""


def removal_preview(db: Reader, contact_id: int) -> Removal:
    def count(sql: str) -> int:
        return db.scalar(sql, {"c": contact_id})

    return Removal(
        favors=count("SELECT count(*) FROM favor WHERE contact_id = :c"),
        interactions=count(SOLO_INTERACTIONS_SQL),
        introduced=count("SELECT count(*) FROM contact WHERE via_id = :c"),
        needs=count("SELECT count(*) FROM need_offer WHERE contact_id = :c"),
    )
