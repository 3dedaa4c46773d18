"""The shared definitions every report uses, written once.

- last touch: the latest interaction or favor (done, promised or asked); a contact
  with neither counts from `met_on`, else from the day they were added.
- cadence: the contact's own, else their circle's default from the settings
  (`cadence.inner` 14d, `cadence.close` 30d, `cadence.active` 90d,
  `cadence.acquaintance` 180d).
- balance: weight of done favors given minus weight of done favors received.
  given / received count done favors only: promises and pending asks do not
  count until they are done.
- due: when the last touch is a cadence old; an imported contact with nothing recorded
  comes due on its `first_due` instead (see `ledger/transfer.py`, the spread).
- state, the first that applies: `one-sided` (in the last 365 days you gave at
  least 5 done favors and received none), `owing` (balance < 0), `even` (0),
  `invested` (0 < balance < give_before_ask), `ready to ask`.
- give:ask ratio: done favors you gave per favor you asked for (every favor
  received, whatever became of it: done, pending or declined).

The SQL pieces read `contact` as `c` and `contact_stats` as `s`, and take the
settings as bound parameters (see `rule_params`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from netlog.ledger.settings import get_float, get_int
from netlog.vocab import Circle

# SQLite's two-argument max() is NULL if either side is; coalesce picks the known one.
LAST_TOUCH_SQL = (
    "coalesce(max(s.last_interaction, s.last_favor), s.last_interaction, s.last_favor, "
    "c.met_on, date(c.created_at))"
)

BALANCE_SQL = "(s.given_weight - s.received_weight)"

CADENCE_SQL = (
    "coalesce(c.cadence_days, CASE c.circle WHEN 'inner' THEN :cadence_inner "
    "WHEN 'close' THEN :cadence_close WHEN 'active' THEN :cadence_active "
    "ELSE :cadence_acquaintance END)"
)

CIRCLE_RANK_SQL = (
    "CASE c.circle "
    + " ".join(f"WHEN '{circle.value}' THEN {rank}" for rank, circle in enumerate(Circle))
    + " END"
)

# Days since last touch, as of :as_of (never negative: records dated after an
# earlier --as-of count as touched that day).
DAYS_SINCE_SQL = f"max(0, CAST(julianday(:as_of) - julianday({LAST_TOUCH_SQL}) AS INTEGER))"

# An imported contact with nothing recorded yet comes due on its `first_due` (the spread
# of a large import) rather than a cadence after the day it was met or added. For due
# and stale, it counts as last touched a cadence before that day.
FIRST_DUE_APPLIES_SQL = "(c.first_due IS NOT NULL AND s.last_interaction IS NULL AND s.last_favor IS NULL)"
DUE_DAYS_SQL = (
    f"(CASE WHEN {FIRST_DUE_APPLIES_SQL} "
    f"THEN CAST(julianday(:as_of) - julianday(c.first_due) AS INTEGER) + {CADENCE_SQL} "
    f"ELSE {DAYS_SINCE_SQL} END)"
)

ONE_SIDED_GIVEN = 5
ONE_SIDED_WINDOW = timedelta(days=365)

# 1 when the contact is one-sided as of :as_of. The favor table is only read (by
# index) for contacts with enough favors given overall to possibly qualify.
ONE_SIDED_SQL = f"""
CASE WHEN s.given_count < {ONE_SIDED_GIVEN} THEN 0 ELSE
    (SELECT count(*) FROM favor f WHERE f.contact_id = c.id AND f.direction = 'given'
     AND f.status = 'done' AND f.date > :year_ago AND f.date <= :as_of) >= {ONE_SIDED_GIVEN}
    AND NOT EXISTS (SELECT 1 FROM favor f WHERE f.contact_id = c.id AND f.direction = 'received'
     AND f.status = 'done' AND f.date > :year_ago AND f.date <= :as_of)
END"""


@dataclass(frozen=True)
class Rules:
    """The settings the definitions depend on, read once per command."""

    as_of: date
    give_before_ask: int
    cadences: dict[str, int]
    stale_factor: float
    birthdays_within: int

    def params(self) -> dict[str, Any]:
        """Bound parameters for the SQL pieces above."""
        return {
            "as_of": self.as_of.isoformat(),
            "year_ago": (self.as_of - ONE_SIDED_WINDOW).isoformat(),
            **{f"cadence_{circle}": days for circle, days in self.cadences.items()},
        }


def load_rules(session: Session, as_of: date) -> Rules:
    return Rules(
        as_of=as_of,
        give_before_ask=get_int(session, "give_before_ask"),
        cadences={c.value: get_int(session, f"cadence.{c.value}") for c in Circle},
        stale_factor=get_float(session, "stale.factor"),
        birthdays_within=get_int(session, "birthdays.within"),
    )


def state(*, balance: int, one_sided: bool, give_before_ask: int) -> str:
    if one_sided:
        return "one-sided"
    if balance < 0:
        return "owing"
    if balance == 0:
        return "even"
    if balance < give_before_ask:
        return "invested"
    return "ready to ask"


def suggestion(*, balance: int, given: int, give_before_ask: int) -> str:
    """The one-line advice `due` gives for a person to contact."""
    if balance < 0:
        return f"give first: you owe {-balance}"
    if given == 0:
        return "offer something useful"
    if balance >= give_before_ask:
        return "you could ask now"
    return "catch up"


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None
