"""What leaves the program: the shapes JSON output is built from.

Their field names are the documented keys (the README's key lists are generated from
them). Plain dataclasses, not pydantic models, and free of SQLModel: reports and exports
build thousands of them from values the ledger has already checked, a dataclass costs a
tenth as much, and read commands import neither SQLModel nor SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(slots=True)
class EmailPublic:
    address: str
    label: str | None = None  # work, home, other, or the user's own word
    preferred: bool = False


@dataclass(slots=True)
class PhonePublic:
    number: str
    label: str | None = None  # mobile, work, home, other, fax... or the user's own word
    preferred: bool = False


@dataclass(slots=True)
class AddressPublic:
    label: str | None = None
    po_box: str | None = None
    extended: str | None = None  # suite, floor, building
    street: str | None = None
    locality: str | None = None  # town or city
    region: str | None = None  # state, province, county
    postcode: str | None = None
    country: str | None = None
    preferred: bool = False


@dataclass(slots=True)
class UrlPublic:
    url: str
    label: str | None = None  # linkedin, website, blog...
    preferred: bool = False


@dataclass(slots=True)
class EventPublic:
    label: str  # anniversary, or the user's own word
    date: str  # YYYY-MM-DD, or --MM-DD when the year is not known


@dataclass(slots=True)
class ContactPublic:
    id: int
    handle: str
    name: str
    emails: list[str]
    phone: str | None
    org: str | None
    title: str | None
    location: str | None
    circle: str
    source: str | None
    via: str | None
    met_on: date | None
    cadence_days: int | None
    birthday: str | None
    tags: list[str]
    notes: str | None
    url: str | None
    archived: bool
    last_touch: date | None
    snoozed_until: date | None
    first_due: date | None
    uid: str | None
    created_at: datetime
    updated_at: datetime
    name_prefix: str | None
    given_name: str | None
    middle_name: str | None
    family_name: str | None
    name_suffix: str | None
    nickname: str | None
    email_addresses: list[EmailPublic]
    phone_numbers: list[PhonePublic]
    addresses: list[AddressPublic]
    urls: list[UrlPublic]
    events: list[EventPublic]


@dataclass(slots=True)
class InteractionPublic:
    id: int
    date: date
    kind: str
    note: str | None
    contacts: list[str]


@dataclass(slots=True)
class FavorPublic:
    id: int
    contact: str
    direction: str
    description: str
    weight: int
    date: date
    status: str
    due: dt.date | None
    resolved_on: dt.date | None
    # An introduction: given, you introduced the contact to `introduced`; received, they
    # introduced you to `introduced` (their `via`). `introduction` is its id (netlog intros).
    introduced: str | None = None
    introduction: int | None = None


@dataclass(slots=True)
class BalancePublic:
    given: int
    given_weight: int
    received: int
    received_weight: int
    balance: int


@dataclass(slots=True)
class DueContactPublic:
    handle: str
    name: str
    circle: str
    last_touch: date
    days_since: int
    cadence_days: int
    overdue_ratio: float
    balance: int
    suggestion: str
    needs: list[NeedPublic] = field(default_factory=list)  # their open needs (netlog need)


@dataclass(slots=True)
class BirthdayPublic:
    handle: str
    name: str
    date: date
    in_days: int
    age: int | None


@dataclass(slots=True)
class DuePublic:
    as_of: date
    promises: list[FavorPublic]
    asks: list[FavorPublic]
    contacts: list[DueContactPublic]
    birthdays: list[BirthdayPublic]


@dataclass(slots=True)
class BalanceRowPublic:
    handle: str
    name: str
    given: int
    given_weight: int
    received: int
    received_weight: int
    balance: int
    state: str


@dataclass(slots=True)
class StaleContactPublic:
    handle: str
    name: str
    circle: str
    last_touch: date
    days_since: int
    cadence_days: int
    balance: int
    last_activity: str | None


@dataclass(slots=True)
class IntroductionPublic:
    id: int
    date: date
    a: str  # the two you introduced, by handle
    b: str
    note: str | None
    outcome: str  # made, connected, fizzled
    outcome_on: dt.date | None
    outcome_note: str | None  # what came of it, in words
    touch: int | None  # the interaction of kind intro recorded with it
    favors: list[int]  # the favor given to each


@dataclass(slots=True)
class EvidencePublic:
    kind: str  # your tie (or a team tie: a teammate's), introduced, via, met together, same org, stated
    text: str  # the evidence in words
    date: dt.date | None  # the latest day it happened (met together, introduced, stated)
    count: int  # how many times (days met together; 1 for the others)
    note: str | None


@dataclass(slots=True)
class KnowsPublic:
    handle: str
    name: str
    strength: int  # of the tie between the two, from the evidence (0-100)
    evidence: list[EvidencePublic]


@dataclass(slots=True)
class StrengthFactorsPublic:
    closeness: float
    recency: float
    frequency: float
    tenure: float
    reciprocity: float
    introductions: float


@dataclass(slots=True)
class StrengthBasisPublic:
    circle: str
    days_since: int  # since the last touch
    cadence_days: int
    touch_days: int  # distinct days with a touch in the last 365
    given_weight: int
    received_weight: int
    years_known: float
    introductions: int


@dataclass(slots=True)
class StrengthPublic:
    handle: str
    name: str
    strength: int  # 0-100, the sum of the factors
    tie: str  # strong, medium or weak
    stale: bool  # no touch for stale.factor cadences: a reason to reach out, not a weak tie
    strength_factors: StrengthFactorsPublic  # each factor's points


@dataclass(slots=True)
class HopPublic:
    from_: str  # a handle, or "me" for the first hop
    to: str
    strength: int
    evidence: list[EvidencePublic]


@dataclass(slots=True)
class PathPublic:
    target: str
    strength: int  # the weakest hop's strength
    total: int  # the sum of the hops' strengths: the tie-break
    hops: list[HopPublic]
    ask: str  # whom to ask first: the first hop's handle (the target when it is direct)
    advice: str


@dataclass(slots=True)
class NeedPublic:
    """A need or an offer (`netlog needs`, `netlog offers`)."""

    id: int
    contact: str  # a handle, or "me" for your own
    kind: str  # need or offer
    text: str
    tags: list[str]
    created_on: date
    until: dt.date | None  # a need is wanted by this day
    status: str  # open, met, dropped; or expired: a need still open after its until day
    met_on: dt.date | None
    met_by: str | None  # who met it: a handle, "me", or null when not said
    name: str | None = None  # the contact's name (null for your own)
    dropped_on: dt.date | None = None
    favor: int | None = None  # the favor recorded when it was met


@dataclass(slots=True)
class ReasonPublic:
    kind: str  # words, tags, org, title: points; strength, until: how it ranks
    terms: list[str]  # the words or tags in common (empty for strength and until)
    value: float  # points (words 1 each, tags 2 each...), or the strength factor
    text: str


@dataclass(slots=True)
class MatchPublic:
    need: NeedPublic
    offer: NeedPublic
    score: float  # the points times the strength factor
    reasons: list[ReasonPublic]
    suggestion: str
    action: str  # introduce, tell, give, ask, follow up or note met
    command: str  # the netlog command that does it
    advice: str  # what to do, in words: for an ask, whether to give first


@dataclass(slots=True)
class MemberPublic:
    """Someone who writes to the ledger (`netlog members`): on PostgreSQL a login, in a
    file the OS user; with what they recorded."""

    member: str
    you: bool  # the member running the command
    touches: int
    favors: int
    introductions: int
    ties: int  # stated with `knows`
    needs: int  # needs and offers
    commands: int  # in the undo journal: what `undo` can still take back


def public_dict(model: Any) -> dict[str, Any]:
    """A *Public record as a dict for JSON, in one step (see netlog/jsonable.py)."""
    from netlog.jsonable import record_dict

    return record_dict(model)
