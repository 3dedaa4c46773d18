"""The reports: due, balance, stale, stats. Each is SQL over the per-contact summary.

Every query reads `contact_stats` (one row per contact, kept by triggers) or
uses an index on favor/interaction dates; none loads interactions into Python.
All take `as_of` (today, or `--as-of`) and a ContactFilter, whose clause also
leaves archived contacts out.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, text

from netlog.ledger.activity import favor_public
from netlog.ledger.contacts import ContactFilter, filter_sql
from netlog.ledger.rows import as_date
from netlog.ledger.rules import (
    BALANCE_SQL,
    CADENCE_SQL,
    CIRCLE_RANK_SQL,
    DAYS_SINCE_SQL,
    DUE_DAYS_SQL,
    LAST_TOUCH_SQL,
    ONE_SIDED_SQL,
    load_rules,
    ratio,
    state,
    suggestion,
)
from netlog.models import (
    BalanceRowPublic,
    BirthdayPublic,
    DueContactPublic,
    DuePublic,
    FavorPublic,
    StaleContactPublic,
)
from netlog.vocab import Circle, Source

PROMISE_GRACE = timedelta(days=14)  # a promise with no due date is late after this
ASK_FOLLOW_UP = timedelta(days=14)  # an ask still pending after this needs a follow-up
ASK_EXPIRED = timedelta(days=30)  # a pending ask this old counts against follow-through
NO_LIMIT = -1  # SQLite's LIMIT -1


def _base(session: Session, as_of: date, flt: ContactFilter) -> tuple[str, dict[str, Any], Any]:
    rules = load_rules(session, as_of)
    where, params = filter_sql(flt)
    return where, params | rules.params(), rules


def ledger_is_empty(session: Session) -> bool:
    return session.exec(text("SELECT NOT EXISTS (SELECT 1 FROM contact)")).scalar_one() == 1


# --- due -------------------------------------------------------------------------------------


@dataclass
class DueReport:
    public: DuePublic
    empty_ledger: bool = False
    next_due: tuple[str, date] | None = None

    @property
    def anything(self) -> bool:
        p = self.public
        return bool(p.promises or p.asks or p.contacts or p.birthdays)


def due_report(
    session: Session,
    *,
    as_of: date,
    flt: ContactFilter | None = None,
    within_days: int = 0,
    limit: int | None = None,
) -> DueReport:
    flt = flt or ContactFilter()
    where, params, rules = _base(session, as_of, flt)
    params |= {
        "horizon": (as_of + timedelta(days=within_days)).isoformat(),
        "promise_cutoff": (as_of - PROMISE_GRACE).isoformat(),
        "ask_cutoff": (as_of - ASK_FOLLOW_UP).isoformat(),
        "within": within_days,
        "limit": limit or NO_LIMIT,
    }
    favors_sql = (
        "SELECT f.*, c.handle FROM favor f JOIN contact c ON c.id = f.contact_id "
        f"WHERE {where} AND f.date <= :as_of AND "
    )
    promises = session.exec(
        text(
            favors_sql + "f.status = 'promised' AND ((f.due IS NOT NULL AND f.due <= :horizon) "
            "OR (f.due IS NULL AND f.date <= :promise_cutoff)) "
            "ORDER BY coalesce(f.due, f.date), f.id LIMIT :limit"
        ),
        params=params,
    )
    asks = session.exec(
        text(favors_sql + "f.status = 'asked' AND f.date <= :ask_cutoff ORDER BY f.date, f.id LIMIT :limit"),
        params=params,
    )
    people = session.exec(
        text(f"""
            SELECT c.handle, c.name, c.circle, {LAST_TOUCH_SQL} AS last_touch,
                   {DAYS_SINCE_SQL} AS days_since, {CADENCE_SQL} AS cadence_days,
                   CAST({DUE_DAYS_SQL} AS REAL) / {CADENCE_SQL} AS ratio,
                   {BALANCE_SQL} AS balance, s.given_count
            FROM contact c JOIN contact_stats s ON s.contact_id = c.id
            WHERE {where} AND (c.snoozed_until IS NULL OR c.snoozed_until <= :as_of)
              AND {DUE_DAYS_SQL} + :within >= {CADENCE_SQL}
            ORDER BY ratio DESC, {CIRCLE_RANK_SQL}, c.name_key
            LIMIT :limit"""),
        params=params,
    )
    report = DueReport(
        DuePublic(
            as_of=as_of,
            promises=[favor_public(row) for row in promises],
            asks=[favor_public(row) for row in asks],
            contacts=[
                DueContactPublic(
                    handle=row.handle,
                    name=row.name,
                    circle=row.circle,
                    last_touch=as_date(row.last_touch),
                    days_since=row.days_since,
                    cadence_days=row.cadence_days,
                    overdue_ratio=round(row.ratio, 2),
                    balance=row.balance,
                    suggestion=suggestion(
                        balance=row.balance,
                        given=row.given_count,
                        give_before_ask=rules.give_before_ask,
                    ),
                )
                for row in people
            ],
            birthdays=birthdays(session, as_of=as_of, days=rules.birthdays_within, flt=flt)[: limit or None],
        )
    )
    if not report.anything:
        report.empty_ledger = ledger_is_empty(session)
        report.next_due = None if report.empty_ledger else _next_due(session, where, params)
    return report


def _next_due(session: Session, where: str, params: dict[str, Any]) -> tuple[str, date] | None:
    """The contact who comes due next, and when (snoozes respected)."""
    row = session.exec(
        text(f"""
            SELECT c.name, max(date(:as_of, ({CADENCE_SQL} - {DUE_DAYS_SQL}) || ' days'),
                               coalesce(c.snoozed_until, '')) AS due_on
            FROM contact c JOIN contact_stats s ON s.contact_id = c.id
            WHERE {where} ORDER BY due_on, c.name_key LIMIT 1"""),
        params=params,
    ).first()
    return (row.name, as_date(row.due_on)) if row else None


def _birthday_in(year: int, month: int, day: int) -> date:
    """That birthday in `year`; Feb 29 falls on Feb 28 outside leap years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def birthdays(session: Session, *, as_of: date, days: int, flt: ContactFilter) -> list[BirthdayPublic]:
    """Birthdays from `as_of` to `days` ahead, both included, soonest first."""
    window = [as_of + timedelta(days=n) for n in range(days + 1)]
    pairs = {(d.month, d.day) for d in window}
    if any(d.month == 2 and d.day == 28 and not calendar.isleap(d.year) for d in window):
        pairs.add((2, 29))
    where, params = filter_sql(flt)
    values = ", ".join(f"({m}, {d})" for m, d in sorted(pairs))
    rows = session.exec(
        text(
            "SELECT c.handle, c.name, c.birthday_year, c.birthday_month, c.birthday_day "
            f"FROM contact c WHERE {where} AND (c.birthday_month, c.birthday_day) IN "
            f"(VALUES {values})"
        ),
        params=params,
    )
    found = []
    for row in rows:
        on = _birthday_in(as_of.year, row.birthday_month, row.birthday_day)
        if on < as_of:
            on = _birthday_in(as_of.year + 1, row.birthday_month, row.birthday_day)
        age = on.year - row.birthday_year if row.birthday_year else None
        found.append(
            BirthdayPublic(handle=row.handle, name=row.name, date=on, in_days=(on - as_of).days, age=age)
        )
    return sorted(found, key=lambda b: (b.in_days, b.name))


# --- balance ---------------------------------------------------------------------------------

_BALANCE_ROWS_SQL = f"""
SELECT c.id, c.handle, c.name, s.given_count, s.given_weight, s.received_count,
       s.received_weight, {BALANCE_SQL} AS balance, {ONE_SIDED_SQL} AS one_sided
FROM contact c JOIN contact_stats s ON s.contact_id = c.id
"""


def _balance_row(row: Any, give_before_ask: int) -> BalanceRowPublic:
    return BalanceRowPublic(
        handle=row.handle,
        name=row.name,
        given=row.given_count,
        given_weight=row.given_weight,
        received=row.received_count,
        received_weight=row.received_weight,
        balance=row.balance,
        state=state(balance=row.balance, one_sided=bool(row.one_sided), give_before_ask=give_before_ask),
    )


def balance_report(
    session: Session,
    *,
    as_of: date,
    flt: ContactFilter | None = None,
    everyone: bool = False,
    limit: int | None = None,
) -> list[BalanceRowPublic]:
    """Per contact: favors given and received (done), balance and state; owing first."""
    where, params, rules = _base(session, as_of, flt or ContactFilter())
    exchanged = "" if everyone else " AND s.given_count + s.received_count > 0"
    rows = session.exec(
        text(f"{_BALANCE_ROWS_SQL} WHERE {where}{exchanged} ORDER BY balance, c.name_key LIMIT :limit"),
        params=params | {"limit": limit or NO_LIMIT},
    )
    return [_balance_row(row, rules.give_before_ask) for row in rows]


def contact_balance(
    session: Session, *, as_of: date, contact_id: int
) -> tuple[BalanceRowPublic, list[FavorPublic]]:
    """One contact's numbers and all their favors, newest first (archived or not)."""
    rules = load_rules(session, as_of)
    row = session.exec(
        text(f"{_BALANCE_ROWS_SQL} WHERE c.id = :id"), params=rules.params() | {"id": contact_id}
    ).one()
    favors = session.exec(
        text(
            "SELECT f.*, c.handle FROM favor f JOIN contact c ON c.id = f.contact_id "
            "WHERE f.contact_id = :id ORDER BY f.date DESC, f.id DESC"
        ),
        params={"id": contact_id},
    )
    return _balance_row(row, rules.give_before_ask), [favor_public(f) for f in favors]


@dataclass
class Totals:
    gives: int
    asks: int
    given_weight: int
    received_weight: int

    @property
    def give_ask_ratio(self) -> float | None:
        return ratio(self.gives, self.asks)


def exchange_totals(session: Session, *, as_of: date, flt: ContactFilter | None = None) -> Totals:
    """Done favors given, favors asked (any outcome), and the weights, from the summary."""
    where, params, _ = _base(session, as_of, flt or ContactFilter())
    row = session.exec(
        text(
            "SELECT coalesce(sum(s.given_count), 0) AS gives, coalesce(sum(s.asked_count), 0) AS asks, "
            "coalesce(sum(s.given_weight), 0) AS given_weight, "
            "coalesce(sum(s.received_weight), 0) AS received_weight "
            f"FROM contact c JOIN contact_stats s ON s.contact_id = c.id WHERE {where}"
        ),
        params=params,
    ).one()
    return Totals(row.gives, row.asks, row.given_weight, row.received_weight)


# --- stale -----------------------------------------------------------------------------------


def stale_report(
    session: Session,
    *,
    as_of: date,
    flt: ContactFilter | None = None,
    factor: float | None = None,
    days: int | None = None,
    limit: int | None = None,
) -> list[StaleContactPublic]:
    """Contacts untouched for more than `factor` cadences (or `days`), by circle, oldest first."""
    where, params, rules = _base(session, as_of, flt or ContactFilter())
    if days is not None:
        threshold = ":days"
        params["days"] = days
    else:
        threshold = f":factor * {CADENCE_SQL}"
        params["factor"] = factor if factor is not None else rules.stale_factor
    rows = session.exec(
        text(f"""
            SELECT c.handle, c.name, c.circle, {LAST_TOUCH_SQL} AS last_touch,
                   {DAYS_SINCE_SQL} AS days_since, {CADENCE_SQL} AS cadence_days,
                   {BALANCE_SQL} AS balance,
                   CASE
                     WHEN s.last_favor IS NOT NULL
                          AND s.last_favor >= coalesce(s.last_interaction, '') THEN
                       (SELECT CASE f.direction WHEN 'given' THEN 'gave' ELSE 'received' END
                               || ' (' || f.status || '): ' || f.description
                        FROM favor f WHERE f.contact_id = c.id
                          AND f.status IN ('done', 'promised', 'asked')
                        ORDER BY f.date DESC, f.id DESC LIMIT 1)
                     WHEN s.last_interaction IS NOT NULL THEN
                       (SELECT i.kind || coalesce(': ' || i.note, '')
                        FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id
                        WHERE ic.contact_id = c.id ORDER BY i.date DESC, i.id DESC LIMIT 1)
                     WHEN c.met_on IS NOT NULL THEN 'met'
                     ELSE 'added'
                   END AS last_activity
            FROM contact c JOIN contact_stats s ON s.contact_id = c.id
            WHERE {where} AND {DUE_DAYS_SQL} > {threshold}
            ORDER BY {CIRCLE_RANK_SQL}, days_since DESC, c.name_key
            LIMIT :limit"""),
        params=params | {"limit": limit or NO_LIMIT},
    )
    return [
        StaleContactPublic(
            handle=row.handle,
            name=row.name,
            circle=row.circle,
            last_touch=as_date(row.last_touch),
            days_since=row.days_since,
            cadence_days=row.cadence_days,
            balance=row.balance,
            last_activity=row.last_activity,
        )
        for row in rows
    ]


# --- stats -----------------------------------------------------------------------------------

WEEKS_SHOWN = 12


@dataclass
class Stats:
    as_of: date
    total: int
    by_circle: dict[str, int]
    by_source: dict[str, int]
    touches_per_week: list[tuple[date, int]]
    totals: Totals
    promises_kept: int
    promises_due: int
    top: list[dict[str, Any]] = field(default_factory=list)
    bottom: list[dict[str, Any]] = field(default_factory=list)
    streak_weeks: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "contacts": {
                "total": self.total,
                "by_circle": self.by_circle,
                "by_source": self.by_source,
            },
            "touches_per_week": [
                {"week": week.isoformat(), "touches": n} for week, n in self.touches_per_week
            ],
            "gives": self.totals.gives,
            "asks": self.totals.asks,
            "give_ask_ratio": self.totals.give_ask_ratio,
            "follow_through": {
                "kept_on_time": self.promises_kept,
                "came_due": self.promises_due,
                "ratio": ratio(self.promises_kept, self.promises_due),
            },
            "ask_follow_through": {"top": self.top, "bottom": self.bottom},
            "streak_weeks": self.streak_weeks,
        }


_TOUCH_STATUSES = "('done', 'promised', 'asked')"


def _touch_exists_sql(where: str) -> str:
    """SQL true when a chosen contact was touched in [:lo, :hi)."""
    return f"""(
        EXISTS (SELECT 1 FROM interaction i WHERE i.date >= :lo AND i.date < :hi AND EXISTS (
            SELECT 1 FROM interaction_contact ic JOIN contact c ON c.id = ic.contact_id
            WHERE ic.interaction_id = i.id AND {where}))
        OR EXISTS (SELECT 1 FROM favor f JOIN contact c ON c.id = f.contact_id
            WHERE f.date >= :lo AND f.date < :hi AND +f.status IN {_TOUCH_STATUSES} AND {where}))"""


def stats_report(session: Session, *, as_of: date, flt: ContactFilter | None = None, limit: int = 5) -> Stats:
    flt = flt or ContactFilter()
    where, params, _ = _base(session, as_of, flt)

    by_circle = {c.value: 0 for c in Circle}
    by_source = {s.value: 0 for s in Source} | {"unknown": 0}
    for circle, source, n in session.exec(
        text(f"SELECT c.circle, c.source, count(*) FROM contact c WHERE {where} GROUP BY 1, 2"),
        params=params,
    ):
        by_circle[circle] += n
        by_source[source or "unknown"] += n

    this_week = as_of - timedelta(days=as_of.weekday())
    first_week = this_week - timedelta(weeks=WEEKS_SHOWN - 1)
    counts = dict(
        session.exec(
            text(f"""
                SELECT CAST((julianday(d) - julianday(:first_week)) / 7 AS INTEGER) AS w, count(*)
                FROM (
                    SELECT i.date AS d FROM interaction i
                    WHERE i.date >= :first_week AND i.date <= :as_of AND EXISTS (
                        SELECT 1 FROM interaction_contact ic JOIN contact c ON c.id = ic.contact_id
                        WHERE ic.interaction_id = i.id AND {where})
                    UNION ALL
                    SELECT f.date FROM favor f JOIN contact c ON c.id = f.contact_id
                    WHERE f.date >= :first_week AND f.date <= :as_of
                      AND +f.status IN {_TOUCH_STATUSES} AND {where}
                ) GROUP BY w"""),
            params=params | {"first_week": first_week.isoformat()},
        ).all()
    )
    weeks = [(first_week + timedelta(weeks=n), counts.get(n, 0)) for n in range(WEEKS_SHOWN)]

    # Promises with a due date, through the (status, due) index: kept ones, and open or
    # withdrawn ones whose day has come. `+f.status` keeps the planner off other indexes.
    kept, done_with_due = session.exec(
        text(
            "SELECT coalesce(sum(f.resolved_on <= f.due), 0), count(*) "
            f"FROM favor f JOIN contact c ON c.id = f.contact_id WHERE {where} "
            "AND f.status = 'done' AND f.due IS NOT NULL AND f.direction = 'given'"
        ),
        params=params,
    ).one()
    late = session.exec(
        text(
            f"SELECT count(*) FROM favor f JOIN contact c ON c.id = f.contact_id WHERE {where} "
            "AND f.status IN ('promised', 'declined') AND f.due <= :as_of AND f.direction = 'given'"
        ),
        params=params,
    ).scalar_one()
    came_due = done_with_due + late

    # How each contact answers your asks: done and declined from the summary, and asks
    # left pending for 30 days (few, found by the status index).
    follow_sql = f"""
        WITH unanswered AS (
            SELECT f.contact_id, count(*) AS n FROM favor f
            WHERE f.status = 'asked' AND f.direction = 'received' AND f.date <= :expired
            GROUP BY f.contact_id)
        SELECT c.id, c.handle, c.name, s.received_count AS done, s.declined_count AS declined,
               coalesce(u.n, 0) AS unanswered,
               round(CAST(s.received_count AS REAL)
                     / (s.received_count + s.declined_count + coalesce(u.n, 0)), 2) AS ratio
        FROM contact c JOIN contact_stats s ON s.contact_id = c.id
        LEFT JOIN unanswered u ON u.contact_id = c.id
        WHERE {where} AND s.received_count + s.declined_count + coalesce(u.n, 0) > 0
          AND c.id NOT IN (SELECT value FROM json_each(:exclude))
        ORDER BY {{order}} LIMIT :n"""
    follow_params = params | {"expired": (as_of - ASK_EXPIRED).isoformat(), "n": limit}

    def people(order: str, exclude: list[int]) -> list[Any]:
        rows = session.exec(
            text(follow_sql.format(order=order)),
            params=follow_params | {"exclude": json.dumps(exclude)},
        )
        return list(rows)

    top_rows = people("ratio DESC, done + declined DESC, c.name_key", [])
    top_ids = [r.id for r in top_rows]
    bottom_rows = people("ratio, declined + unanswered DESC, c.name_key", top_ids)

    def shown(row: Any) -> dict[str, Any]:
        return {
            "handle": row.handle,
            "name": row.name,
            "done": row.done,
            "declined": row.declined,
            "unanswered": row.unanswered,
            "ratio": row.ratio,
        }

    return Stats(
        as_of=as_of,
        total=sum(by_circle.values()),
        by_circle=by_circle,
        by_source=by_source,
        touches_per_week=weeks,
        totals=exchange_totals(session, as_of=as_of, flt=flt),
        promises_kept=kept,
        promises_due=came_due,
        top=[shown(r) for r in top_rows],
        bottom=[shown(r) for r in bottom_rows],
        streak_weeks=_streak(session, where, params, as_of),
    )


def _streak(session: Session, where: str, params: dict[str, Any], as_of: date) -> int:
    """Consecutive weeks (Monday to Sunday) with a touch, counting back from this week,
    or from last week if this one has none yet (it is not over). One indexed look-up
    per week of the streak."""
    statement = text(f"SELECT {_touch_exists_sql(where)}")
    end = (as_of + timedelta(days=1)).isoformat()  # nothing after as_of counts

    def touched(monday: date) -> bool:
        hi = min((monday + timedelta(weeks=1)).isoformat(), end)
        return bool(session.exec(statement, params=params | {"lo": monday.isoformat(), "hi": hi}).scalar())

    week = as_of - timedelta(days=as_of.weekday())
    if not touched(week):
        week -= timedelta(weeks=1)
    streak = 0
    while touched(week):
        streak += 1
        week -= timedelta(weeks=1)
    return streak


# --- calendar --------------------------------------------------------------------------------


@dataclass
class Upcoming:
    """Something to put in a calendar: a person to contact or a promise to keep."""

    uid: str
    day: date
    summary: str
    description: str


def upcoming(session: Session, *, as_of: date, within_days: int) -> list[Upcoming]:
    """People coming due and promises falling due from `as_of` to `within_days` ahead;
    anything already late is put on `as_of`."""
    where, params, rules = _base(session, as_of, ContactFilter())
    params |= {"horizon": (as_of + timedelta(days=within_days)).isoformat()}
    entries = []
    people = session.exec(
        text(f"""
            SELECT c.uid, c.handle, c.name, {BALANCE_SQL} AS balance, s.given_count,
                   {CADENCE_SQL} AS cadence_days,
                   max(date(:as_of, ({CADENCE_SQL} - {DUE_DAYS_SQL}) || ' days'),
                       coalesce(c.snoozed_until, ''), :as_of) AS due_on
            FROM contact c JOIN contact_stats s ON s.contact_id = c.id
            WHERE {where} AND due_on <= :horizon
            ORDER BY due_on, c.name_key"""),
        params=params,
    )
    for row in people:
        advice = suggestion(balance=row.balance, given=row.given_count, give_before_ask=rules.give_before_ask)
        entries.append(
            Upcoming(
                uid=f"contact-{row.uid}@netlog",
                day=as_date(row.due_on),  # type: ignore[arg-type]
                summary=f"Get in touch with {row.name}",
                description=(
                    f"{advice} (balance {row.balance:+d}; every {row.cadence_days} days). "
                    f"netlog show {row.handle}"
                ),
            )
        )
    promises = session.exec(
        text(
            "SELECT f.id, f.description, f.due, c.name, c.uid FROM favor f "
            f"JOIN contact c ON c.id = f.contact_id WHERE {where} AND f.status = 'promised' "
            "AND f.due IS NOT NULL AND f.due <= :horizon ORDER BY f.due, f.id"
        ),
        params=params,
    )
    for row in promises:
        entries.append(
            Upcoming(
                uid=f"favor-{row.id}-{row.uid}@netlog",
                day=max(as_date(row.due), as_of),  # type: ignore[type-var]
                summary=f"Promised {row.name}: {row.description}",
                description=f"Mark it kept with: netlog done {row.id}",
            )
        )
    return sorted(entries, key=lambda e: (e.day, e.summary))
