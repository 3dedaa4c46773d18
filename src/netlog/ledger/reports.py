"""The reports: due, balance, stale, stats, and the calendar. Each is SQL over the
per-contact summary, with the definitions of ledger/rules.py.

Every query reads `contact_stats` (one row per contact, kept by triggers) or uses an
index on favor/interaction dates; none loads interactions into Python. All take
`as_of` (today, or `--as-of`) and a ContactFilter, whose clause also leaves archived
contacts out. For a past `as_of` the summary is computed from the rows as of that day
(`Rules.summary_source`): a full pass over the favors and links, only when asked for.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from netlog.ids import favor_ref
from netlog.ledger.activity import favor_public
from netlog.ledger.contacts import ContactFilter, filter_sql
from netlog.ledger.needs import NeedCounts, need_counts
from netlog.ledger.network import IntroCounts, intro_counts
from netlog.ledger.rows import as_date, required_date
from netlog.ledger.rules import (
    ASK_DAY_SQL,
    BALANCE_SQL,
    CADENCE_SQL,
    CIRCLE_RANK_SQL,
    DAYS_SINCE_SQL,
    DUE_DAYS_SQL,
    DUE_ON_SQL,
    FIRST_DUE_APPLIES_SQL,
    IS_DUE_SQL,
    IS_STALE_BY_DAYS_SQL,
    IS_STALE_BY_FACTOR_SQL,
    LAST_TOUCH_SQL,
    NOT_SNOOZED_SQL,
    PROMISE_DAY_SQL,
    SNOOZED_UNTIL_SQL,
    NeedHint,
    Rules,
    Standing,
    load_rules,
    ratio,
    state,
    suggestion,
    suggestion_with_need,
)
from netlog.public import (
    BalanceRowPublic,
    BirthdayPublic,
    DueContactPublic,
    DuePublic,
    FavorPublic,
    NeedPublic,
    StaleContactPublic,
)
from netlog.storage.dialect import count_if, larger, plus_days
from netlog.storage.reader import Reader
from netlog.vocab import Circle, Source

NO_LIMIT = -1  # SQLite's LIMIT -1


def _base(
    db: Reader, as_of: date, flt: ContactFilter, today: date | None, within_days: int = 0
) -> tuple[str, dict[str, Any], Rules]:
    """The contacts a report is about (the filter, and those that existed then), its
    parameters and rules."""
    rules = load_rules(db, as_of, today)
    where, params = filter_sql(flt)
    return f"{where} AND {rules.existed_sql}", params | rules.params(within_days=within_days), rules


def ledger_is_empty(db: Reader) -> bool:
    return db.scalar("SELECT NOT EXISTS (SELECT 1 FROM contact)") == 1


# --- due -------------------------------------------------------------------------------------


@dataclass
class DueReport:
    public: DuePublic
    empty_ledger: bool = False
    next_due: tuple[str, date] | None = None
    spread: set[str] = field(default_factory=set)  # handles due by an import's spread

    @property
    def anything(self) -> bool:
        p = self.public
        return bool(p.promises or p.asks or p.contacts or p.birthdays)


def _favors(db: Reader, rules: Rules, where: str, condition: str, params: dict[str, Any]) -> list:
    rows = db.rows(
        f"SELECT {rules.favor.columns} FROM favor f JOIN contact c ON c.id = f.contact_id "
        f"WHERE {where} AND {NOT_SNOOZED_SQL} AND {condition} "
        "ORDER BY coalesce(f.due, f.date), f.id LIMIT :limit",
        params,
    )
    return [favor_public(row) for row in rows]


def due_report(
    db: Reader,
    *,
    as_of: date,
    flt: ContactFilter | None = None,
    within_days: int = 0,
    limit: int | None = None,
    today: date | None = None,
) -> DueReport:
    """The morning list. Snoozed contacts and their open items are left out; promises
    to archived contacts stay (a promise is yours to keep or decline)."""
    flt = flt or ContactFilter()
    where, params, rules = _base(db, as_of, flt, today, within_days)
    owed_where, owed_params = filter_sql(replace(flt, include_archived=True))
    params |= {"limit": limit or NO_LIMIT}
    owed_where = f"{owed_where} AND {rules.existed_sql}"
    promises = _favors(db, rules, owed_where, rules.promises_due_sql(), params | owed_params)
    asks = _favors(db, rules, where, rules.asks_due_sql(), params)
    people = list(
        db.rows(
            f"""
            SELECT c.id, c.handle, c.name, c.circle, {LAST_TOUCH_SQL} AS last_touch,
                   {DAYS_SINCE_SQL} AS days_since, {CADENCE_SQL} AS cadence_days,
                   CAST({DUE_DAYS_SQL} AS REAL) / {CADENCE_SQL} AS ratio,
                   {rules.standing_sql()}, {FIRST_DUE_APPLIES_SQL} AS spread
            FROM contact c JOIN {rules.summary_source} ON s.contact_id = c.id
            WHERE {where} AND {NOT_SNOOZED_SQL} AND {IS_DUE_SQL}
            ORDER BY spread, ratio DESC, {CIRCLE_RANK_SQL}, c.name_key
            LIMIT :limit""",
            params,
        )
    )
    open_needs, hints = _needs_of_people(db, rules, [row.id for row in people])
    report = DueReport(
        DuePublic(
            as_of=as_of,
            promises=promises,
            asks=asks,
            contacts=[
                DueContactPublic(
                    handle=row.handle,
                    name=row.name,
                    circle=row.circle,
                    last_touch=required_date(row.last_touch),
                    days_since=row.days_since,
                    cadence_days=row.cadence_days,
                    overdue_ratio=round(row.ratio, 2),
                    balance=row.balance,
                    suggestion=suggestion_with_need(
                        Standing.of_row(row), rules.give_before_ask, hints.get(row.id)
                    ),
                    needs=open_needs.get(row.id, []),
                )
                for row in people
            ],
            birthdays=birthdays(
                db, as_of=as_of, days=rules.birthdays_within, flt=flt, existed=rules.existed_sql
            )[: limit or None],
        ),
        spread={row.handle for row in people if row.spread},
    )
    if not report.anything:
        report.empty_ledger = ledger_is_empty(db)
        report.next_due = None if report.empty_ledger else _next_due(db, where, params, rules)
    return report


def _needs_of_people(
    db: Reader, rules: Rules, ids: list[int]
) -> tuple[dict[int, list[NeedPublic]], dict[int, NeedHint]]:
    """The open needs of the people due, and for each who has one, the need to name in
    the suggestion: the first of theirs that `match` lists, with its offer, else their
    oldest. Not for a past day: what was open then is not kept."""
    from netlog.ledger import needs

    if rules.historical or not ids:
        return {}, {}
    open_needs = needs.open_needs_of(db, ids, rules.as_of)
    if not open_needs:
        return {}, {}
    best: dict[int | None, Any] = {}
    # The first of their needs in match's order (wanted soon first, then the score), with
    # its best offer: yours (a give) or someone's (an introduction, your give too).
    for m in needs.find_matches(
        db, rules, per_need=1, among=needs.pool(db, rules, needs_of=open_needs.keys())
    ):
        best.setdefault(m.need.owner, m)
    hints = {}
    for cid, listed in open_needs.items():
        chosen = best.get(cid)
        if chosen is None:
            hints[cid] = NeedHint(listed[0].name or "", listed[0].text)
        else:
            offerer = None if chosen.offer.owner is None else chosen.offer.row.name
            hints[cid] = NeedHint(chosen.need.row.name, chosen.need.row.text, chosen.offer.row.text, offerer)
    return open_needs, hints


def _next_due(db: Reader, where: str, params: dict[str, Any], rules: Rules) -> tuple[str, date] | None:
    """The contact who comes due next, and when (snoozes respected)."""
    row = db.first(
        f"""
            SELECT c.name, {DUE_ON_SQL} AS due_on
            FROM contact c JOIN {rules.summary_source} ON s.contact_id = c.id
            WHERE {where} ORDER BY due_on, c.name_key LIMIT 1""",
        params,
    )
    return (row.name, required_date(row.due_on)) if row else None


def _birthday_in(year: int, month: int, day: int) -> date:
    """That birthday in `year`; Feb 29 falls on Feb 28 outside leap years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def birthdays(
    db: Reader, *, as_of: date, days: int, flt: ContactFilter, existed: str = "1 = 1"
) -> list[BirthdayPublic]:
    """Birthdays from `as_of` to `days` ahead, both included, soonest first, of the
    contacts in the filter (and the `existed` clause: those already added, as of then)."""
    window = [as_of + timedelta(days=n) for n in range(days + 1)]
    pairs = {(d.month, d.day) for d in window}
    if any(d.month == 2 and d.day == 28 and not calendar.isleap(d.year) for d in window):
        pairs.add((2, 29))
    where, params = filter_sql(flt)
    params["as_of"] = as_of.isoformat()
    values = ", ".join(f"({m}, {d})" for m, d in sorted(pairs))
    rows = db.rows(
        "SELECT c.handle, c.name, c.birthday_year, c.birthday_month, c.birthday_day "
        f"FROM contact c WHERE {where} AND {existed} AND (c.birthday_month, c.birthday_day) IN "
        f"(VALUES {values})",
        params,
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


def _balance_rows_sql(rules: Rules) -> str:
    return f"""
SELECT c.id, c.handle, c.name, s.given_count, s.received_count, s.received_weight,
       {rules.standing_sql()}, {rules.one_sided_sql()} AS one_sided
FROM contact c JOIN {rules.summary_source} ON s.contact_id = c.id
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
        state=state(Standing.of_row(row, one_sided=bool(row.one_sided)), give_before_ask),
    )


def balance_report(
    db: Reader,
    *,
    as_of: date,
    flt: ContactFilter | None = None,
    everyone: bool = False,
    limit: int | None = None,
    today: date | None = None,
) -> list[BalanceRowPublic]:
    """Per contact: favors given and received (done), balance and state; owing first."""
    where, params, rules = _base(db, as_of, flt or ContactFilter(), today)
    exchanged = "" if everyone else " AND s.given_count + s.received_count > 0"
    rows = db.rows(
        f"{_balance_rows_sql(rules)} WHERE {where}{exchanged} ORDER BY balance, c.name_key LIMIT :limit",
        params | {"limit": limit or NO_LIMIT},
    )
    return [_balance_row(row, rules.give_before_ask) for row in rows]


def contact_balance(
    db: Reader, *, as_of: date, contact_id: int, today: date | None = None
) -> tuple[BalanceRowPublic, list[FavorPublic]]:
    """One contact's numbers and all their favors until `as_of`, newest first (archived or not)."""
    rules = load_rules(db, as_of, today)
    row = db.first(f"{_balance_rows_sql(rules)} WHERE c.id = :id", rules.params() | {"id": contact_id})
    favors = db.rows(
        f"SELECT {rules.favor.columns} FROM favor f JOIN contact c ON c.id = f.contact_id "
        "WHERE f.contact_id = :id AND f.date <= :as_of ORDER BY f.date DESC, f.id DESC",
        rules.params() | {"id": contact_id},
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


def exchange_totals(
    db: Reader, *, as_of: date, flt: ContactFilter | None = None, today: date | None = None
) -> Totals:
    """Done favors given, favors asked (any outcome), and the weights, from the summary."""
    where, params, rules = _base(db, as_of, flt or ContactFilter(), today)
    row = db.one(
        "SELECT coalesce(sum(s.given_count), 0) AS gives, coalesce(sum(s.asked_count), 0) AS asks, "
        "coalesce(sum(s.given_weight), 0) AS given_weight, "
        "coalesce(sum(s.received_weight), 0) AS received_weight "
        f"FROM contact c JOIN {rules.summary_source} ON s.contact_id = c.id WHERE {where}",
        params,
    )
    return Totals(row.gives, row.asks, row.given_weight, row.received_weight)


# --- stale -----------------------------------------------------------------------------------


def stale_report(
    db: Reader,
    *,
    as_of: date,
    flt: ContactFilter | None = None,
    factor: float | None = None,
    days: int | None = None,
    limit: int | None = None,
    today: date | None = None,
) -> list[StaleContactPublic]:
    """Contacts untouched for `factor` cadences or more (or `days`), by circle, oldest first."""
    where, params, rules = _base(db, as_of, flt or ContactFilter(), today)
    if days is not None:
        cold = IS_STALE_BY_DAYS_SQL
        params["days"] = days
    else:
        cold = IS_STALE_BY_FACTOR_SQL
        params["factor"] = factor if factor is not None else rules.stale_factor
    favor = rules.favor
    rows = db.rows(
        f"""
            SELECT c.id, c.handle, c.name, c.circle, {LAST_TOUCH_SQL} AS last_touch,
                   {DAYS_SINCE_SQL} AS days_since, {CADENCE_SQL} AS cadence_days,
                   {BALANCE_SQL} AS balance,
                   CASE
                     WHEN s.last_favor IS NOT NULL
                          AND s.last_favor >= coalesce(s.last_interaction, '') THEN
                       (SELECT CASE f.direction WHEN 'given' THEN 'gave' ELSE 'received' END
                               || ' (' || {favor.status} || '): ' || f.description
                        FROM favor f WHERE f.contact_id = c.id AND f.date <= :as_of
                          AND NOT {favor.declined}
                        ORDER BY {favor.touch} DESC, f.id DESC LIMIT 1)
                     WHEN s.last_interaction IS NOT NULL THEN
                       (SELECT i.kind || coalesce(': ' || i.note, '')
                        FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id
                        WHERE ic.contact_id = c.id AND i.date <= :as_of
                        ORDER BY i.date DESC, i.id DESC LIMIT 1)
                     WHEN c.met_on IS NOT NULL THEN 'met'
                     ELSE 'added'
                   END AS last_activity
            FROM contact c JOIN {rules.summary_source} ON s.contact_id = c.id
            WHERE {where} AND {cold}
            ORDER BY {CIRCLE_RANK_SQL}, days_since DESC, c.name_key
            LIMIT :limit""",
        params | {"limit": limit or NO_LIMIT},
    )
    return [
        StaleContactPublic(
            handle=row.handle,
            name=row.name,
            circle=row.circle,
            last_touch=required_date(row.last_touch),
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
    intros: IntroCounts | None = None  # over the weeks shown
    intros_since: date | None = None
    needs: NeedCounts | None = None  # over the weeks shown too

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
            "introductions": {
                "since": self.intros_since.isoformat() if self.intros_since else None,
                "made": self.intros.made if self.intros else 0,
                "connected": self.intros.connected if self.intros else 0,
                "fizzled": self.intros.fizzled if self.intros else 0,
                "connected_ratio": ratio(self.intros.connected, self.intros.made) if self.intros else None,
                "received": self.intros.received if self.intros else 0,
            },
            "needs": {
                "since": self.intros_since.isoformat() if self.intros_since else None,
                "noted": self.needs.noted if self.needs else 0,
                "met": self.needs.met if self.needs else 0,
                "met_by_you": self.needs.met_by_you if self.needs else 0,
                "met_through_introductions": self.needs.met_through_introductions if self.needs else 0,
                "offers": self.needs.offers if self.needs else 0,
            },
        }


def _touch_days_sql(rules: Rules, where: str, lo: str, hi: str) -> str:
    """The days chosen contacts were touched in [lo, hi] (hi included), one row per touch:
    each person at an interaction, each favor on its day, each favor done later on that day."""
    favor = rules.favor
    return f"""
        SELECT i.date AS d FROM interaction i
        WHERE i.date >= {lo} AND i.date <= {hi} AND EXISTS (
            SELECT 1 FROM interaction_contact ic JOIN contact c ON c.id = ic.contact_id
            WHERE ic.interaction_id = i.id AND {where})
        UNION ALL
        SELECT f.date FROM favor f JOIN contact c ON c.id = f.contact_id
        WHERE f.date >= {lo} AND f.date <= {hi} AND NOT {favor.declined} AND {where}
        UNION ALL
        SELECT f.resolved_on FROM favor f JOIN contact c ON c.id = f.contact_id
        WHERE f.resolved_on >= {lo} AND f.resolved_on <= {hi} AND f.resolved_on > f.date
          AND {favor.done} AND {where}"""


def stats_report(
    db: Reader,
    *,
    as_of: date,
    flt: ContactFilter | None = None,
    limit: int = 5,
    today: date | None = None,
) -> Stats:
    flt = flt or ContactFilter()
    where, params, rules = _base(db, as_of, flt, today)

    by_circle = {c.value: 0 for c in Circle}
    by_source = {s.value: 0 for s in Source} | {"unknown": 0}
    for circle, source, n in db.rows(
        f"SELECT c.circle, c.source, count(*) FROM contact c WHERE {where} GROUP BY 1, 2", params
    ):
        by_circle[circle] += n
        by_source[source or "unknown"] += n

    this_week = as_of - timedelta(days=as_of.weekday())
    first_week = this_week - timedelta(weeks=WEEKS_SHOWN - 1)
    counts = [0] * WEEKS_SHOWN
    for day, n in db.rows(  # counted by day, the column itself (a day's week is Python's)
        f"SELECT d, count(*) FROM ({_touch_days_sql(rules, where, ':first_week', ':as_of')}) AS touched "
        "GROUP BY d",
        params | {"first_week": first_week.isoformat()},
    ):
        counts[(required_date(day) - first_week).days // 7] += n
    weeks = [(first_week + timedelta(weeks=n), counts[n]) for n in range(WEEKS_SHOWN)]

    # Follow-through on promises with a due day: a promise counts once it is done or
    # withdrawn, or once its due day has passed while it was open (not on the day itself);
    # it was kept on time if done on or before its due day.
    favor = rules.favor
    resolved = f"({favor.done} OR {favor.declined})"
    kept, came_due = db.one(
        f"SELECT coalesce({count_if(f'{favor.done} AND coalesce(f.resolved_on, f.date) <= f.due')}, 0), "
        f"coalesce({count_if(f'{resolved} OR f.due < :as_of')}, 0) "
        f"FROM favor f JOIN contact c ON c.id = f.contact_id WHERE {where} "
        "AND f.direction = 'given' AND f.due IS NOT NULL AND f.date <= :as_of",
        params,
    )

    # How each contact answers your asks: done and declined from the summary, and asks
    # left open for ASK_EXPIRED_DAYS or more.
    follow_sql = f"""
        WITH unanswered AS (
            SELECT f.contact_id, count(*) AS n FROM favor f
            WHERE f.direction = 'received' AND {favor.open} AND f.date <= :expired
            GROUP BY f.contact_id)
        SELECT c.id, c.handle, c.name, s.received_count AS done, s.declined_count AS declined,
               coalesce(u.n, 0) AS unanswered,
               round(CAST(s.received_count AS REAL)
                     / (s.received_count + s.declined_count + coalesce(u.n, 0)), 2) AS ratio
        FROM contact c JOIN {rules.summary_source} ON s.contact_id = c.id
        LEFT JOIN unanswered u ON u.contact_id = c.id
        WHERE {where} AND s.received_count + s.declined_count + coalesce(u.n, 0) > 0
          AND c.id NOT IN (SELECT value FROM json_each(:exclude))
        ORDER BY {{order}} LIMIT :n"""
    follow_params = params | {"n": limit}

    def people(order: str, exclude: list[int]) -> list[Any]:
        rows = db.rows(follow_sql.format(order=order), follow_params | {"exclude": json.dumps(exclude)})
        return list(rows)

    # (Sums of the summary's columns, not of the output's: PostgreSQL orders by an output
    # column only when it stands alone.)
    top_rows = people("ratio DESC, s.received_count + s.declined_count DESC, c.name_key", [])
    top_ids = [r.id for r in top_rows]
    bottom_rows = people("ratio, s.declined_count + coalesce(u.n, 0) DESC, c.name_key", top_ids)

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
        totals=exchange_totals(db, as_of=as_of, flt=flt, today=rules.today),
        promises_kept=kept,
        promises_due=came_due,
        top=[shown(r) for r in top_rows],
        bottom=[shown(r) for r in bottom_rows],
        streak_weeks=_streak(db, rules, where, params, weeks),
        intros=intro_counts(db, since=first_week, until=as_of, where=where, params=params),
        intros_since=first_week,
        # your own needs count unless the report is about some contacts only
        needs=need_counts(
            db, since=first_week, until=as_of, where=where, params=params, mine=flt == ContactFilter()
        ),
    )


def _streak(
    db: Reader, rules: Rules, where: str, params: dict[str, Any], weeks: list[tuple[date, int]]
) -> int:
    """Consecutive weeks (Monday to Sunday) with a touch, counting back from this week,
    or from last week if this one has none yet (it is not over). The weeks shown
    (`weeks`: Mondays and their touches, oldest first) say it for themselves; only a
    streak as long as all of them looks further back, in one statement that steps back
    a week at a time while the week it looked at had a touch (an indexed look-up each)."""
    touched = [n > 0 for _, n in reversed(weeks)]  # this week first
    if not touched[0]:
        touched = touched[1:]
    streak = 0
    for hit in touched:
        if not hit:
            return streak
        streak += 1
    # back(n): week n before the oldest shown is looked at; n + 1 only if it had a touch,
    # so the last n is the first week without one.
    week = _touch_days_sql(
        rules, where, plus_days(":monday", "-7 * b.n"), plus_days(":monday", "6 - 7 * b.n")
    )
    before = db.one(
        f"""
        WITH RECURSIVE back(n) AS (
            SELECT 1
            UNION ALL
            SELECT b.n + 1 FROM back b WHERE EXISTS ({week}))
        SELECT max(n) FROM back""",
        params | {"monday": weeks[0][0].isoformat()},
    )[0]
    return streak + int(before) - 1


# --- calendar --------------------------------------------------------------------------------


@dataclass
class Upcoming:
    """Something to put in a calendar: a person to contact, a promise to keep, an ask to
    follow up, or a birthday (repeating: see formats/ical.py)."""

    uid: str
    day: date
    summary: str
    description: str
    repeat: str | None = None


def upcoming(db: Reader, *, as_of: date, within_days: int, today: date | None = None) -> list[Upcoming]:
    """What `due` will list from `as_of` to `within_days` ahead, each on the day it comes
    due (after a snooze, on the day the snooze ends; anything already late on `as_of`),
    and every birthday as a yearly event. UIDs stay the same from one export to the next,
    so a calendar that imports the file again updates its events."""
    where, params, rules = _base(db, as_of, ContactFilter(), today, within_days)
    owed_where, owed_params = filter_sql(ContactFilter(include_archived=True))
    entries = []
    people = db.rows(
        f"""
            SELECT * FROM (
                SELECT c.uid, c.handle, c.name, c.name_key, {rules.standing_sql()},
                       {CADENCE_SQL} AS cadence_days, {larger(DUE_ON_SQL, ":as_of")} AS due_on
                FROM contact c JOIN {rules.summary_source} ON s.contact_id = c.id
                WHERE {where}) AS people
            WHERE due_on <= :horizon ORDER BY due_on, name_key""",
        params,
    )
    for row in people:
        advice = suggestion(Standing.of_row(row), rules.give_before_ask)
        entries.append(
            Upcoming(
                uid=f"contact-{row.uid}@netlog",
                day=required_date(row.due_on),
                summary=f"Get in touch with {row.name}",
                description=(
                    f"{advice} (balance {row.balance:+d}; every {row.cadence_days} days). "
                    f"netlog show {row.handle}"
                ),
            )
        )
    open_items = (
        (
            f"{owed_where} AND {rules.existed_sql}",
            rules.open_promises_sql(),
            PROMISE_DAY_SQL,
            params | owed_params,
        ),
        (where, rules.open_asks_sql(), ASK_DAY_SQL, params),
    )
    for contacts_sql, condition, day_sql, bound in open_items:
        rows = db.rows(
            "SELECT * FROM (SELECT f.id, f.direction, f.description, c.name, c.uid, "
            f"{larger(larger(day_sql, SNOOZED_UNTIL_SQL), ':as_of')} AS day "
            f"FROM favor f JOIN contact c ON c.id = f.contact_id WHERE {contacts_sql} "
            f"AND {condition}) AS owed WHERE day <= :horizon ORDER BY day, id",
            bound,
        )
        for row in rows:
            ref = favor_ref(row.id)
            if row.direction == "given":
                summary = f"Promised {row.name}: {row.description}"
                description = f"Mark it kept with: netlog done {ref} (or netlog decline {ref})"
            else:
                summary = f"Follow up with {row.name}: {row.description}"
                description = f"When they deliver: netlog done {ref}; if not: netlog decline {ref}"
            entries.append(
                Upcoming(
                    uid=f"favor-{row.id}-{row.uid}@netlog",
                    day=as_date(row.day),  # type: ignore[arg-type]
                    summary=summary,
                    description=description,
                )
            )
    birthdays_sql = (
        "SELECT c.uid, c.name, c.birthday_year, c.birthday_month, c.birthday_day FROM contact c "
        f"WHERE {where} AND c.birthday_month IS NOT NULL "
        "ORDER BY c.birthday_month, c.birthday_day, c.name_key"
    )
    for row in db.rows(birthdays_sql, params):
        on = _birthday_in(as_of.year, row.birthday_month, row.birthday_day)
        if on < as_of:
            on = _birthday_in(as_of.year + 1, row.birthday_month, row.birthday_day)
        born = f"Born {row.birthday_year}. " if row.birthday_year else ""
        entries.append(
            Upcoming(
                uid=f"birthday-{row.uid}@netlog",
                day=on,
                summary=f"{row.name}'s birthday",
                description=f"{born}A good day to get in touch.",
                repeat="yearly-end-of-february"
                if (row.birthday_month, row.birthday_day) == (2, 29)
                else "yearly",
            )
        )
    return sorted(entries, key=lambda e: (e.repeat is not None, e.day, e.summary))
