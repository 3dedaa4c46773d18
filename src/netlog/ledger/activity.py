"""Touches (interactions) and favors, read: the records, the timeline, the balance, and
the give-before-ask warning. (Recording and correcting them is ledger/write.py.)

Every function takes a Reader (storage/reader.py): portable SQL, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from netlog.errors import NotFound
from netlog.ids import favor_ref, touch_ref
from netlog.ledger import rules
from netlog.ledger.contacts import Found, search_param
from netlog.ledger.rows import as_date, grouped, id_list, json_record, public_record
from netlog.ledger.values import check_choice
from netlog.public import BalancePublic, FavorPublic, InteractionPublic
from netlog.storage.dialect import search_sql
from netlog.storage.reader import Reader
from netlog.vocab import Kind

# A favor with its contact's handle: the columns of FavorPublic, as `f` joined to `c`.
FAVOR_SQL = (
    "SELECT f.id, c.handle AS contact, f.direction, f.description, f.weight, f.date, f.status, "
    f"f.due, f.resolved_on, {rules.FAVOR_INTRODUCTION_COLUMNS} "
    "FROM favor f JOIN contact c ON c.id = f.contact_id"
)


def favor_public(row: Any) -> FavorPublic:
    """FavorPublic from a row with its columns (FAVOR_SQL, or Rules.favor.columns)."""
    return public_record(FavorPublic, row)


def favor_json(row: Any) -> dict[str, Any]:
    """The JSON of favor_public(row), made straight from the row (for exports)."""
    return json_record(FavorPublic, row)


def favors_public(db: Reader, ids: Sequence[int]) -> list[FavorPublic]:
    rows = db.rows(f"{FAVOR_SQL} WHERE f.id IN ({id_list(ids)}) ORDER BY f.date, f.id")
    return [favor_public(row) for row in rows]


def find_favor(db: Reader, favor_id: int) -> FavorPublic:
    found = favors_public(db, [favor_id]) if 0 < favor_id < 2**63 else []
    if not found:
        raise NotFound(f"No favor has id {favor_ref(favor_id)}. Favor ids are shown by netlog log and show.")
    return found[0]


def open_promises(db: Reader, contact_id: int) -> list[FavorPublic]:
    """Promises you made to a contact that are not kept or withdrawn yet, oldest first."""
    rows = db.rows(
        f"{FAVOR_SQL} WHERE f.contact_id = :c AND f.direction = 'given' AND f.status = 'promised' "
        "ORDER BY coalesce(f.due, f.date), f.id",
        {"c": contact_id},
    )
    return [favor_public(row) for row in rows]


INTERACTION_SQL = "SELECT i.id, i.date, i.kind, i.note FROM interaction i"


def _handles_in(db: Reader, rows: Sequence[Any]) -> dict[int, list[str]]:
    """The handles of the people in each interaction of `rows`, by name."""
    return grouped(
        db,
        "SELECT ic.interaction_id, c.handle FROM interaction_contact ic "
        "JOIN contact c ON c.id = ic.contact_id WHERE ic.interaction_id IN ({ids}) "
        "ORDER BY c.name_key",
        [row.id for row in rows],
    )


def interactions_public(db: Reader, rows: Sequence[Any]) -> list[InteractionPublic]:
    handles = _handles_in(db, rows)
    return [public_record(InteractionPublic, row, contacts=handles.get(row.id, [])) for row in rows]


def interactions_json(db: Reader, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """The JSON of interactions_public, made straight from the rows (for exports)."""
    handles = _handles_in(db, rows)
    return [json_record(InteractionPublic, row, contacts=handles.get(row.id, [])) for row in rows]


def interaction_public(db: Reader, interaction_id: int) -> InteractionPublic:
    rows = (
        db.rows(f"{INTERACTION_SQL} WHERE i.id = :i", {"i": interaction_id})
        if 0 < interaction_id < 2**63
        else []
    )
    if not rows:
        raise NotFound(
            f"No touch has id {touch_ref(interaction_id)}. Touch ids are shown by netlog log and show."
        )
    return interactions_public(db, rows)[0]


def people_in(db: Reader, touch_id: int) -> list[int]:
    rows = db.rows("SELECT contact_id FROM interaction_contact WHERE interaction_id = :i", {"i": touch_id})
    return [row.contact_id for row in rows]


def balance_of(db: Reader, contact_id: int) -> BalancePublic:
    """Favors done each way with the contact: on a team's ledger, yours (as `balance`)."""
    from netlog import dates
    from netlog.ledger.members import mine

    row = mine(db).first(
        "SELECT s.given_count AS given, s.given_weight, s.received_count AS received, s.received_weight, "
        "s.given_weight - s.received_weight AS balance FROM contact_stats s WHERE s.contact_id = :c",
        {"c": contact_id, "as_of": dates.today()},
    )
    return public_record(BalancePublic, row)


def your_last_touch(db: Reader, contact_id: int) -> date | None:
    """The contact's last touch by the member asking (the touch rule over their own rows,
    as `due` and `stale` read it): on a team's ledger, where the card's is the team's."""
    from netlog.ledger.members import mine

    value = mine(db).scalar(
        f"SELECT {rules.LAST_TOUCH_SQL} FROM contact c JOIN contact_stats s ON s.contact_id = c.id "
        "WHERE c.id = :c",
        {"c": contact_id},
    )
    return as_date(value)


def ask_warning(db: Reader, contact: Found, *, today: date) -> str | None:
    """What the give-before-ask rule (ledger/rules.py) says about asking this contact
    now: None to go ahead, else the warning `ask` prints."""
    from netlog.ledger.members import mine

    db = mine(db)  # the asking member's balance and open items, as `balance` and `due` show
    now = rules.load_rules(db, today, today)
    params = now.params() | {"c": contact.id}
    row = db.one(
        f"SELECT {now.standing_sql()} FROM contact c"
        " JOIN contact_stats s ON s.contact_id = c.id WHERE c.id = :c",
        params,
    )

    def first(condition: str, order: str) -> rules.Item | None:
        found = db.first(
            f"SELECT f.id, f.description, {order} AS day FROM favor f "
            f"WHERE f.contact_id = :c AND {condition} ORDER BY day, f.id LIMIT 1",
            params,
        )
        return rules.Item(found.id, found.description, as_date(found.day)) if found else None  # type: ignore[arg-type]

    promise = first(f"{now.open_promises_sql()} AND {rules.PROMISE_DAY_SQL} <= :as_of", rules.PROMISE_DAY_SQL)
    return rules.ask_warning(
        name=contact.name,
        standing=rules.Standing.of_row(row),
        open_ask=first(now.open_asks_sql(), "f.date"),
        promise=promise,
        give_before_ask=now.give_before_ask,
    )


def needs_before_asking(db: Reader, contact: Found, *, today: date) -> str | None:
    """The line `ask` prints about the contact's open needs (ledger/needs.py)."""
    from netlog.ledger import needs
    from netlog.ledger.members import mine

    now = rules.load_rules(db, today, today)
    balance = mine(db).scalar(
        f"SELECT {rules.BALANCE_SQL} FROM contact_stats s WHERE s.contact_id = :c",
        now.params() | {"c": contact.id},
    )
    return needs.needs_before_asking(db, now, contact.id, contact.name, int(balance or 0))


# --- The timeline ----------------------------------------------------------------------------


@dataclass
class TimelineQuery:
    contact_id: int | None = None
    since: date | None = None
    until: date | None = None
    kind: str | None = None  # an interaction kind, or "favor" for favors only
    search: str | None = None  # in notes and descriptions, without case or accents
    limit: int | None = None
    newest_first: bool = False


def timeline(db: Reader, q: TimelineQuery) -> list[tuple[str, InteractionPublic | FavorPublic]]:
    """Interactions and favors in date order, as ("interaction"|"favor", record) pairs.

    With a limit, the newest `limit` items are kept (then ordered as asked).
    """
    want_interactions = q.kind != "favor"
    want_favors = q.kind in (None, "favor")
    if q.kind not in (None, "favor"):
        check_choice(q.kind, Kind, "kind")
    limit_sql = " LIMIT :limit" if q.limit else ""
    params: dict[str, Any] = {
        "limit": q.limit,
        "since": q.since.isoformat() if q.since else None,
        "until": q.until.isoformat() if q.until else None,
    }
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
        rows = db.rows(
            f"SELECT i.id, i.date, i.kind, i.note FROM {source} WHERE {' AND '.join(where)} "
            f"ORDER BY i.date DESC, i.id DESC{limit_sql}",
            params,
        )
        for interaction in interactions_public(db, rows):
            items.append((interaction.date, interaction.id, "interaction", interaction))
    if want_favors:
        where = ["1 = 1"]
        if q.contact_id is not None:
            where.append("f.contact_id = :contact")
            params["contact"] = q.contact_id
        if q.search:
            where.append(search_sql(["f.description"]))
            params["search"] = search_param(q.search)
        where += _date_range("f", q)
        rows = db.rows(
            f"{FAVOR_SQL} WHERE {' AND '.join(where)} ORDER BY f.date DESC, f.id DESC{limit_sql}", params
        )
        for row in rows:
            favor = favor_public(row)
            items.append((favor.date, favor.id, "favor", favor))
    # Newest first; on the same day favors after interactions (they usually follow a talk).
    items.sort(key=lambda item: (item[0], item[2] == "favor", item[1]), reverse=True)
    if q.limit:
        items = items[: q.limit]
    if not q.newest_first:
        items.reverse()
    return [(kind, record) for _, _, kind, record in items]


def timeline_size(db: Reader, contact_id: int) -> int:
    """How many interactions and favors a contact's timeline holds."""
    return db.scalar(
        "SELECT s.interaction_count + (SELECT count(*) FROM favor WHERE contact_id = :c) "
        "FROM contact_stats s WHERE s.contact_id = :c",
        {"c": contact_id},
    )


def _date_range(alias: str, q: TimelineQuery) -> list[str]:
    clauses = []
    if q.since:
        clauses.append(f"{alias}.date >= :since")
    if q.until:
        clauses.append(f"{alias}.date <= :until")
    return clauses
