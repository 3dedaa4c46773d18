"""Every table of the ledger: the schema's one source of truth.

What leaves the program (the JSON shapes) is in public.py, which imports no SQLModel, so
read commands start without it.

The tables are created by the ordered steps in `migrations.py`, never by
`metadata.create_all()`; a test checks the two agree.

`contact_stats` is a per-contact summary (last touch, favor counts and weights)
kept exact by SQLite triggers inside the same transaction as every write, so
the reports read one row per contact instead of aggregating every interaction.
Triggers rather than Python hooks because then no write path can forget it:
imports, merges, undo and hand-written SQL all keep it current.
"""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_name_key", "name_key"),
        Index("ix_contact_via", "via_id"),
        Index("ix_contact_birthday", "birthday_month", "birthday_day"),
        Index("ix_contact_uid", "uid", unique=True),
        {"sqlite_autoincrement": True},  # ids are never given twice (migration m007)
    )

    id: int | None = Field(default=None, primary_key=True)
    handle: str = Field(unique=True)
    name: str
    # The name folded for look-up: lowercase, accents stripped, spaces collapsed.
    name_key: str
    phone: str | None = None
    org: str | None = None
    title: str | None = None
    location: str | None = None
    circle: str = "active"
    source: str | None = None
    met_on: date | None = None
    via_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    cadence_days: int | None = None
    birthday_year: int | None = None
    birthday_month: int | None = None
    birthday_day: int | None = None
    notes: str | None = None
    archived: bool = False
    created_at: datetime
    updated_at: datetime
    # Hidden from `due` until this day (snooze, and the spread of a large import).
    snoozed_until: date | None = None
    # A profile link (LinkedIn...), and a UID that stays the same in every export.
    url: str | None = None
    uid: str | None = Field(default_factory=lambda: str(uuid.uuid4()))
    # Until something is recorded with them, an imported contact comes due on this day.
    first_due: date | None = None
    # The name's parts as an address book keeps them (migration m009); `name` is what is
    # shown and looked up, and these are kept only when a user or a file gives them.
    name_prefix: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    name_suffix: str | None = None
    nickname: str | None = None


class Email(SQLModel, table=True):
    __tablename__ = "email"
    __table_args__ = (UniqueConstraint("contact_id", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    address: str
    # What the address is for ("work", "home", or the user's own word), and whether it
    # is the one to use (migration m010); a contact's emails keep the order they came in.
    label: str | None = None
    preferred: bool = False


class Detail(SQLModel, table=True):
    """A contact card's other labelled entries (migration m010), in the order they came:
    phone numbers, postal addresses, links and dated events (anniversaries...).

    `kind` says which: a phone's or link's text is in `value`; an event's date is in
    `value` as `YYYY-MM-DD`, or `--MM-DD` without a year; an address has its parts in
    the columns vCard's ADR gives them. `contact.phone` and `contact.url` repeat the
    preferred phone and link, which the write path keeps in step (ledger/write.py)."""

    __tablename__ = "detail"
    __table_args__ = (Index("ix_detail_contact", "contact_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    kind: str  # phone, address, url, event
    label: str | None = None
    value: str | None = None
    preferred: bool = False
    po_box: str | None = None
    extended: str | None = None
    street: str | None = None
    locality: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"
    __table_args__ = (Index("ix_contact_tag_tag", "tag_id"),)

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_date", "date"),
        Index("ix_interaction_member", "member", "date"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    date: date
    kind: str = "meeting"
    note: str | None = None
    created_at: datetime
    # Who recorded it (migration m013): on PostgreSQL the member's login, in a file the OS user.
    member: str | None = None


class InteractionContact(SQLModel, table=True):
    __tablename__ = "interaction_contact"
    __table_args__ = (Index("ix_interaction_contact_contact", "contact_id", "interaction_id"),)

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")


class Favor(SQLModel, table=True):
    __tablename__ = "favor"
    __table_args__ = (
        Index("ix_favor_contact_date", "contact_id", "date"),
        Index("ix_favor_status_due", "status", "due"),
        Index("ix_favor_date", "date"),
        Index("ix_favor_resolved", "resolved_on"),
        Index("ix_favor_introduced", "introduced_id"),
        Index("ix_favor_member", "member", "contact_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    direction: str
    description: str
    weight: int = 1
    date: date
    status: str = "done"
    due: dt.date | None = None
    resolved_on: dt.date | None = None
    created_at: datetime
    # An introduction as a favor (migration m011): given, you introduced the contact to
    # `introduced_id` (made with `netlog intro`, `introduction_id`); received, the contact
    # introduced you to `introduced_id` (their `via`).
    introduced_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    introduction_id: int | None = Field(default=None, foreign_key="introduction.id", ondelete="SET NULL")
    # Who recorded it (migration m013): on PostgreSQL the member's login, in a file the OS user.
    member: str | None = None


class Introduction(SQLModel, table=True):
    """Two contacts you introduced to each other (`netlog intro`, migration m011): with it
    come one interaction with both (kind `intro`) and a favor given to each."""

    __tablename__ = "introduction"
    __table_args__ = (
        Index("ix_introduction_a", "a_id"),
        Index("ix_introduction_b", "b_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    date: date
    a_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    b_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    note: str | None = None
    outcome: str = "made"  # made, connected, fizzled
    outcome_on: dt.date | None = None
    outcome_note: str | None = None  # what came of it, in words (`intro --outcome --note`)
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id", ondelete="SET NULL")
    created_at: datetime
    # Who recorded it (migration m013): on PostgreSQL the member's login, in a file the OS user.
    member: str | None = None


class Knows(SQLModel, table=True):
    """Two contacts you know know each other, without having seen it (`netlog knows`,
    migration m011); kept once per pair, the smaller id first."""

    __tablename__ = "knows"
    __table_args__ = (UniqueConstraint("a_id", "b_id"), Index("ix_knows_b", "b_id"))

    id: int | None = Field(default=None, primary_key=True)
    a_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    b_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    date: dt.date
    note: str | None = None
    created_at: datetime
    # Who recorded it (migration m013): on PostgreSQL the member's login, in a file the OS user.
    member: str | None = None


class NeedOffer(SQLModel, table=True):
    """Something a contact (or you) is looking for, or can give (`netlog need`, `netlog
    offer`, migration m012). `contact_id` is NULL for your own. A need stays open until
    it is met or dropped; an offer until it is dropped. Both are matched (`netlog match`)
    by the words of their text and tags, computed when matching, so a better rule of
    matching needs no migration."""

    __tablename__ = "need_offer"
    __table_args__ = (
        Index("ix_need_offer_contact", "contact_id", "kind"),
        Index("ix_need_offer_open", "kind", "status"),
        Index("ix_need_offer_met", "met_on"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="CASCADE")
    kind: str  # need, offer
    text: str
    created_on: date
    until: dt.date | None = None  # a need is wanted by this day
    status: str = "open"  # open, met (needs), dropped
    met_on: dt.date | None = None
    # Who met it: a contact, or you (`met_by_me`); neither when not said.
    met_by_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    met_by_me: bool = False
    dropped_on: dt.date | None = None
    # The favor recorded when it was met: given by you, or received from the helper.
    favor_id: int | None = Field(default=None, foreign_key="favor.id", ondelete="SET NULL")
    created_at: datetime
    # Who recorded it (migration m013): on PostgreSQL the member's login, in a file the OS user.
    member: str | None = None


class NeedOfferTag(SQLModel, table=True):
    """A need's or offer's tags, kept apart from contacts' tags."""

    __tablename__ = "need_offer_tag"

    need_offer_id: int = Field(foreign_key="need_offer.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)


class Setting(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str


class ContactStats(SQLModel, table=True):
    """Maintained by triggers (see migrations.py); never written by Python code."""

    __tablename__ = "contact_stats"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    last_interaction: date | None = None
    last_favor: date | None = None
    interaction_count: int = 0
    given_count: int = 0
    given_weight: int = 0
    received_count: int = 0
    received_weight: int = 0
    asked_count: int = 0  # favors received, whatever their status: every ask
    declined_count: int = 0  # favors received that were declined
    open_asks: int = 0  # favors received still asked: you are waiting on them
    open_promises: int = 0  # favors given still promised: you owe them


class MemberStats(SQLModel, table=True):
    """Each member's summary of each contact (migration m013), kept by triggers as
    `contact_stats` is everyone's: what a member's own due, balance and stats read."""

    __tablename__ = "member_stats"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    member: str = Field(primary_key=True)
    last_interaction: date | None = None
    last_favor: date | None = None
    interaction_count: int = 0
    given_count: int = 0
    given_weight: int = 0
    received_count: int = 0
    received_weight: int = 0
    asked_count: int = 0
    declined_count: int = 0
    open_asks: int = 0
    open_promises: int = 0


class TouchDay(SQLModel, table=True):
    """A day a contact was touched (migration m011), kept by triggers like ContactStats;
    never written by Python code."""

    __tablename__ = "touch_day"
    __table_args__ = {"sqlite_with_rowid": False}

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)


class MetPair(SQLModel, table=True):
    """Two contacts at the same touch on a day, both ways round (migration m011), kept by
    triggers like ContactStats; never written by Python code."""

    __tablename__ = "met_pair"
    __table_args__ = (Index("ix_met_pair_b", "b_id"), {"sqlite_with_rowid": False})

    a_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    b_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)


class UndoCommand(SQLModel, table=True):
    """A write command `netlog undo` can revert (see ledger/journal.py)."""

    __tablename__ = "undo_command"
    __table_args__ = (Index("ix_undo_command_member", "member", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    command: str
    created_at: datetime
    # Who recorded it (migration m013): on PostgreSQL the member's login, in a file the OS user.
    member: str | None = None


class UndoEntry(SQLModel, table=True):
    """One statement that reverses one row change of a command."""

    __tablename__ = "undo_entry"
    __table_args__ = (Index("ix_undo_entry_command", "command_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    command_id: int = Field(foreign_key="undo_command.id", ondelete="CASCADE")
    statement: str


class UndoState(SQLModel, table=True):
    """One row: the command being recorded, or NULL."""

    __tablename__ = "undo_state"

    id: int | None = Field(default=None, primary_key=True)
    recording: int | None = None
