"""Interactions (touches) and favors (exchanges), and the timeline that shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, text

from netlog.errors import InvalidValue, NotFound
from netlog.ids import favor_ref, touch_ref
from netlog.ledger import rules
from netlog.ledger.contacts import check_choice, check_text, search_param, search_sql
from netlog.ledger.rows import as_date, grouped, id_list, stamp
from netlog.models import (
    BalancePublic,
    Contact,
    Favor,
    FavorPublic,
    Interaction,
    InteractionContact,
    InteractionPublic,
)
from netlog.vocab import Direction, Kind, Status


def check_weight(weight: int) -> int:
    if not 1 <= weight <= 5:
        raise InvalidValue(f"Weight {weight} is out of range: use 1 (small) to 5 (big).")
    return weight


def check_description(description: str) -> str:
    value = check_text(description, "description")
    if not value:
        raise InvalidValue("Describe the favor in a few words, e.g. 'intro to Sam at Acme'.")
    return value


def record_interaction(
    session: Session,
    *,
    contacts: Sequence[Contact],
    on: date,
    kind: str = "meeting",
    note: str | None = None,
    now: datetime | None = None,
) -> Interaction:
    """One touch with one or more people (lunch with two people is one interaction)."""
    if not contacts:
        raise InvalidValue("An interaction needs at least one contact.")
    interaction = Interaction(
        date=on,
        kind=check_choice(kind, Kind, "kind") or "meeting",
        note=check_text(note, "note"),
        created_at=stamp(now),
    )
    session.add(interaction)
    session.flush()
    seen: set[int] = set()
    for contact in contacts:
        assert contact.id is not None
        if contact.id not in seen:
            seen.add(contact.id)
            session.add(InteractionContact(interaction_id=interaction.id, contact_id=contact.id))
    session.flush()
    return interaction


def record_favor(
    session: Session,
    *,
    contact: Contact,
    direction: str,
    description: str,
    on: date,
    weight: int = 1,
    status: str = "done",
    due: date | None = None,
    now: datetime | None = None,
) -> Favor:
    favor = Favor(
        contact_id=contact.id,
        direction=check_choice(direction, Direction, "direction"),
        description=check_description(description),
        weight=check_weight(weight),
        date=on,
        status=check_choice(status, Status, "status") or "done",
        due=due,
        resolved_on=on if status == "done" else None,
        created_at=stamp(now),
    )
    session.add(favor)
    session.flush()
    return favor


def ask_warning(session: Session, contact: Contact, *, today: date) -> str | None:
    """What the give-before-ask rule (ledger/rules.py) says about asking this contact
    now: None to go ahead, else the warning `ask` prints."""
    assert contact.id is not None
    now = rules.load_rules(session, today, today)
    params = now.params() | {"c": contact.id}
    row = session.exec(
        text(f"SELECT {now.standing_sql()} FROM contact c JOIN contact_stats s ON s.contact_id = c.id "
             "WHERE c.id = :c"),
        params=params,
    ).one()  # fmt: skip

    def first(condition: str, order: str) -> rules.Item | None:
        found = session.exec(
            text(
                f"SELECT f.id, f.description, {order} AS day FROM favor f "
                f"WHERE f.contact_id = :c AND {condition} ORDER BY day, f.id LIMIT 1"
            ),
            params=params,
        ).first()
        return rules.Item(found.id, found.description, as_date(found.day)) if found else None  # type: ignore[arg-type]

    promise = first(f"{now.open_promises_sql()} AND {rules.PROMISE_DAY_SQL} <= :as_of", rules.PROMISE_DAY_SQL)
    return rules.ask_warning(
        name=contact.name,
        standing=rules.Standing(
            balance=row.balance,
            given_weight=row.given_weight,
            open_asks=row.open_asks,
            asks_to_chase=row.asks_to_chase,
            promises_due=row.promises_due,
        ),
        open_ask=first(now.open_asks_sql(), "f.date"),
        promise=promise,
        give_before_ask=now.give_before_ask,
    )


def get_favor(session: Session, favor_id: int) -> Favor:
    favor = session.get(Favor, favor_id) if 0 < favor_id < 2**63 else None
    if favor is None:
        raise NotFound(f"No favor has id {favor_ref(favor_id)}. Favor ids are shown by netlog log and show.")
    return favor


def get_interaction(session: Session, touch_id: int) -> Interaction:
    interaction = session.get(Interaction, touch_id) if 0 < touch_id < 2**63 else None
    if interaction is None:
        raise NotFound(f"No touch has id {touch_ref(touch_id)}. Touch ids are shown by netlog log and show.")
    return interaction


def people_in(session: Session, touch_id: int) -> list[int]:
    rows = session.exec(
        text("SELECT contact_id FROM interaction_contact WHERE interaction_id = :i"), params={"i": touch_id}
    )
    return [row[0] for row in rows]


def update_interaction(
    session: Session,
    interaction: Interaction,
    *,
    on: date | None = None,
    kind: str | None = None,
    note: str | None = None,
    clear_note: bool = False,
    add: Sequence[Contact] = (),
    remove: Sequence[Contact] = (),
) -> Interaction:
    """Correct a touch: its day, kind, note, and who was there (never nobody)."""
    assert interaction.id is not None
    present = set(people_in(session, interaction.id))
    leaving = {c.id for c in remove}
    absent = [c.name for c in remove if c.id not in present]
    if absent:
        raise InvalidValue(f"{absent[0]} was not at {touch_ref(interaction.id)}: nothing to remove.")
    staying = (present - leaving) | {c.id for c in add}
    if not staying:
        raise InvalidValue(
            f"A touch needs at least one person: to delete {touch_ref(interaction.id)}, "
            f"use netlog rm-touch {touch_ref(interaction.id)}."
        )
    if on is not None:
        interaction.date = on
    if kind is not None:
        interaction.kind = check_choice(kind, Kind, "kind") or interaction.kind
    if clear_note:
        interaction.note = None
    elif note is not None:
        interaction.note = check_text(note, "note")
    session.add(interaction)
    for contact_id in leaving:
        session.exec(
            text("DELETE FROM interaction_contact WHERE interaction_id = :i AND contact_id = :c"),
            params={"i": interaction.id, "c": contact_id},
        )
    for contact in add:
        if contact.id not in present:
            present.add(contact.id)  # type: ignore[arg-type]
            session.add(InteractionContact(interaction_id=interaction.id, contact_id=contact.id))
    session.flush()
    return interaction


def update_favor(
    session: Session,
    favor: Favor,
    *,
    on: date | None = None,
    description: str | None = None,
    weight: int | None = None,
    due: date | None = None,
    clear_due: bool = False,
) -> Favor:
    """Correct a favor: its day, what it was, its weight, its due day (a promise's, or the
    day to follow up on an ask). Its status changes with done and decline."""
    day = on or favor.date
    if (due is not None or clear_due) and favor.status not in ("promised", "asked"):
        raise InvalidValue(
            f"Favor {favor_ref(favor.id or 0)} is {favor.status}: a due day is for an open "
            "promise (to keep) or ask (to follow up)."
        )
    if favor.resolved_on is not None and day > favor.resolved_on:
        raise InvalidValue(
            f"Favor {favor_ref(favor.id or 0)} was {favor.status} on {favor.resolved_on.isoformat()}: "
            f"it can't have started later ({day.isoformat()})."
        )
    new_due = None if clear_due else (due or favor.due)
    if new_due is not None and new_due < day:
        raise InvalidValue(f"The due day {new_due.isoformat()} is before the favor ({day.isoformat()}).")
    if on is not None:
        if favor.status == "done" and favor.resolved_on == favor.date:
            favor.resolved_on = on  # done at once: done on its (corrected) day
        favor.date = on
    if description is not None:
        favor.description = check_description(description)
    if weight is not None:
        favor.weight = check_weight(weight)
    favor.due = new_due
    session.add(favor)
    session.flush()
    return favor


def remove_interaction(session: Session, interaction: Interaction) -> None:
    """Delete a touch and who was there (each row journaled for undo, the summary kept)."""
    session.exec(
        text("DELETE FROM interaction_contact WHERE interaction_id = :i"), params={"i": interaction.id}
    )
    session.delete(interaction)
    session.flush()


def remove_favor(session: Session, favor: Favor) -> None:
    session.delete(favor)
    session.flush()


def resolve_favor(session: Session, favor: Favor, *, status: str, on: date) -> Favor:
    """Mark a promise or an ask as done or declined, stamping the day it was resolved."""
    if favor.status not in ("promised", "asked"):
        raise InvalidValue(
            f"Favor {favor_ref(favor.id or 0)} is already {favor.status}: only promised or asked "
            "favors can be marked done or declined."
        )
    if on < favor.date:
        raise InvalidValue(
            f"Favor {favor_ref(favor.id or 0)} was recorded on {favor.date.isoformat()}: it can't be "
            f"resolved before that ({on.isoformat()})."
        )
    favor.status = status
    favor.resolved_on = on
    session.add(favor)
    session.flush()
    return favor


# --- Reading activity out --------------------------------------------------------------------


def favor_public(row: Any) -> FavorPublic:
    """FavorPublic from a row with favor columns plus `handle`."""
    return FavorPublic(
        id=row.id,
        contact=row.handle,
        direction=row.direction,
        description=row.description,
        weight=row.weight,
        date=as_date(row.date),
        status=row.status,
        due=as_date(row.due),
        resolved_on=as_date(row.resolved_on),
    )


def favors_public(session: Session, ids: Sequence[int]) -> list[FavorPublic]:
    rows = session.exec(
        text(
            "SELECT f.*, c.handle FROM favor f JOIN contact c ON c.id = f.contact_id "
            f"WHERE f.id IN ({id_list(ids)}) ORDER BY f.date, f.id"
        )
    )
    return [favor_public(row) for row in rows]


def open_promises(session: Session, contact_id: int) -> list[FavorPublic]:
    """Promises you made to a contact that are not kept or withdrawn yet, oldest first."""
    rows = session.exec(
        text(
            "SELECT f.*, c.handle FROM favor f JOIN contact c ON c.id = f.contact_id "
            "WHERE f.contact_id = :c AND f.direction = 'given' AND f.status = 'promised' "
            "ORDER BY coalesce(f.due, f.date), f.id"
        ),
        params={"c": contact_id},
    )
    return [favor_public(row) for row in rows]


def interactions_public(session: Session, rows: Sequence[Any]) -> list[InteractionPublic]:
    handles = grouped(
        session,
        "SELECT ic.interaction_id, c.handle FROM interaction_contact ic "
        "JOIN contact c ON c.id = ic.contact_id WHERE ic.interaction_id IN ({ids}) "
        "ORDER BY c.name_key",
        [row.id for row in rows],
    )
    return [
        InteractionPublic(
            id=row.id,
            date=as_date(row.date),
            kind=row.kind,
            note=row.note,
            contacts=handles.get(row.id, []),
        )
        for row in rows
    ]


def interaction_public(session: Session, interaction_id: int) -> InteractionPublic:
    rows = list(session.exec(text("SELECT * FROM interaction WHERE id = :i"), params={"i": interaction_id}))
    return interactions_public(session, rows)[0]


def balance_of(session: Session, contact_id: int) -> BalancePublic:
    row = session.exec(
        text(
            "SELECT given_count, given_weight, received_count, received_weight "
            "FROM contact_stats WHERE contact_id = :c"
        ),
        params={"c": contact_id},
    ).one()
    return BalancePublic(
        given=row[0],
        given_weight=row[1],
        received=row[2],
        received_weight=row[3],
        balance=row[1] - row[3],
    )


@dataclass
class TimelineQuery:
    contact_id: int | None = None
    since: date | None = None
    until: date | None = None
    kind: str | None = None  # an interaction kind, or "favor" for favors only
    search: str | None = None  # in notes and descriptions, without case or accents
    limit: int | None = None
    newest_first: bool = False


def timeline(session: Session, q: TimelineQuery) -> list[tuple[str, InteractionPublic | FavorPublic]]:
    """Interactions and favors in date order, as ("interaction"|"favor", record) pairs.

    With a limit, the newest `limit` items are kept (then ordered as asked).
    """
    want_interactions = q.kind != "favor"
    want_favors = q.kind in (None, "favor")
    if q.kind not in (None, "favor"):
        check_choice(q.kind, Kind, "kind")
    order = "DESC"
    limit_sql = " LIMIT :limit" if q.limit else ""
    params: dict[str, Any] = {"limit": q.limit, "since": q.since, "until": q.until}
    items: list[tuple[date, int, str, Any]] = []
    if want_interactions:
        where = ["1 = 1"]
        source = "interaction i"
        if q.contact_id is not None:
            source = "interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id"
            where.append("ic.contact_id = :contact")
            params["contact"] = q.contact_id
        if q.kind:
            where.append("i.kind = :kind")
            params["kind"] = q.kind
        if q.search:
            where.append(search_sql(["i.note"]))
            params["search"] = search_param(q.search)
        where += _date_range("i", q)
        rows = list(
            session.exec(
                text(
                    f"SELECT i.* FROM {source} WHERE {' AND '.join(where)} "
                    f"ORDER BY i.date {order}, i.id {order}{limit_sql}"
                ),
                params=params,
            )
        )
        for record in interactions_public(session, rows):
            items.append((record.date, record.id, "interaction", record))
    if want_favors:
        where = ["1 = 1"]
        if q.contact_id is not None:
            where.append("f.contact_id = :contact")
            params["contact"] = q.contact_id
        if q.search:
            where.append(search_sql(["f.description"]))
            params["search"] = search_param(q.search)
        where += _date_range("f", q)
        rows = session.exec(
            text(
                "SELECT f.*, c.handle FROM favor f JOIN contact c ON c.id = f.contact_id "
                f"WHERE {' AND '.join(where)} ORDER BY f.date {order}, f.id {order}{limit_sql}"
            ),
            params=params,
        )
        for row in rows:
            record = favor_public(row)
            items.append((record.date, record.id, "favor", record))
    # Newest first; on the same day favors after interactions (they usually follow a talk).
    items.sort(key=lambda item: (item[0], item[2] == "favor", item[1]), reverse=True)
    if q.limit:
        items = items[: q.limit]
    if not q.newest_first:
        items.reverse()
    return [(kind, record) for _, _, kind, record in items]


def timeline_size(session: Session, contact_id: int) -> int:
    """How many interactions and favors a contact's timeline holds."""
    return session.exec(
        text(
            "SELECT s.interaction_count + (SELECT count(*) FROM favor WHERE contact_id = :c) "
            "FROM contact_stats s WHERE s.contact_id = :c"
        ),
        params={"c": contact_id},
    ).scalar_one()


def _date_range(alias: str, q: TimelineQuery) -> list[str]:
    clauses = []
    if q.since:
        clauses.append(f"{alias}.date >= :since")
    if q.until:
        clauses.append(f"{alias}.date <= :until")
    return clauses
