"""What every importer yields: plain records with their place in the file.

Readers (one module per format) turn a file into a stream of these; the ledger's
import (`ledger/importing.py`) matches, creates or updates. Readers never touch the
database, so each can be tested on a string.

`position` says where a record came from, for messages: "line 12", "card 3 (line 40)".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime

from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic


@dataclass
class ContactRecord:
    position: str
    name: str
    emails: list[str] = field(default_factory=list)
    phone: str | None = None
    org: str | None = None
    title: str | None = None
    location: str | None = None
    url: str | None = None  # profile link: a LinkedIn URL if there is one
    circle: str | None = None
    source: str | None = None
    met_on: date | None = None
    birthday: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    tags: list[str] = field(default_factory=list)
    notes: str | None = None
    uid: str | None = None
    # Only netlog's own export carries these:
    id: int | None = None
    handle: str | None = None
    via: str | None = None  # the introducer's handle
    cadence_days: int | None = None
    archived: bool = False
    snoozed_until: date | None = None
    first_due: date | None = None
    # True when the record states its own first due day, even "none" (netlog's export):
    # an import then keeps it instead of spreading the contact.
    keeps_schedule: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # The name's parts, as an address book has them (vCard N and NICKNAME, Google's
    # columns); `name` stays the name shown and looked up.
    name_prefix: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    name_suffix: str | None = None
    nickname: str | None = None
    # The card's labelled entries, for the formats that have them. `emails` still lists
    # the addresses (import matches by them); `phone` and `url` alone are for formats
    # with one of each, and are added to these as the preferred ones.
    email_addresses: list[EmailPublic] = field(default_factory=list)
    phone_numbers: list[PhonePublic] = field(default_factory=list)
    addresses: list[AddressPublic] = field(default_factory=list)
    urls: list[UrlPublic] = field(default_factory=list)
    events: list[EventPublic] = field(default_factory=list)


# The labelled entries, by their JSON keys.
ENTRY_KINDS = ("email_addresses", "phone_numbers", "addresses", "urls", "events")

# The name parts, in the order of vCard's N (after the family name) and Google's columns.
NAME_PARTS = ("name_prefix", "given_name", "middle_name", "family_name", "name_suffix", "nickname")


@dataclass
class InteractionRecord:
    position: str
    date: date
    kind: str
    note: str | None
    contacts: list[str]  # handles
    id: int | None = None


@dataclass
class FavorRecord:
    position: str
    contact: str  # handle
    direction: str
    description: str
    weight: int
    date: date
    status: str
    due: dt.date | None = None
    resolved_on: dt.date | None = None
    id: int | None = None
    introduced: str | None = None  # handle: the favor was an introduction to them
    introduction: int | None = None  # the file's introduction id


@dataclass
class IntroductionRecord:
    position: str
    a: str  # handles
    b: str
    date: date
    note: str | None = None
    outcome: str = "made"
    outcome_on: dt.date | None = None
    touch: int | None = None  # the file's interaction id
    outcome_note: str | None = None
    id: int | None = None


@dataclass
class KnowsRecord:
    position: str
    a: str  # handles
    b: str
    date: date
    note: str | None = None


@dataclass
class NeedRecord:
    """A need or an offer (`kind`) of a contact, or yours (`contact` "me")."""

    position: str
    kind: str
    contact: str  # a handle, or "me"
    text: str
    created_on: date
    tags: list[str] = field(default_factory=list)
    until: dt.date | None = None
    status: str = "open"
    met_on: dt.date | None = None
    met_by: str | None = None  # a handle, or "me"
    dropped_on: dt.date | None = None
    favor: int | None = None  # the file's favor id
    id: int | None = None


@dataclass
class SettingRecord:
    position: str
    key: str
    value: str


@dataclass
class Rejected:
    """A record that cannot be imported, and why (the import goes on without it)."""

    position: str
    reason: str


@dataclass
class Notice:
    """Something the user should know about a record that was imported anyway."""

    position: str
    message: str


Record = (
    ContactRecord
    | InteractionRecord
    | FavorRecord
    | IntroductionRecord
    | KnowsRecord
    | NeedRecord
    | SettingRecord
    | Rejected
    | Notice
)
