"""The shared definitions every report, warning and suggestion uses, written once.

- touch: an interaction with the contact, or a favor with them on its date (promised,
  asked or done) and, when it is done later, on the day it was done (keeping a promise,
  or receiving what you asked for, is a touch). Declining touches nobody, and a declined
  favor is no touch at all.
- last touch: the latest touch; a contact with none counts from `met_on`, else from the
  day they were added.
- cadence: the contact's own, else their circle's default from the settings
  (`cadence.inner` 14d, `cadence.close` 30d, `cadence.active` 90d,
  `cadence.acquaintance` 180d).
- due: when the last touch is a cadence old or older (days >= cadence); an imported
  contact with nothing recorded comes due on its `first_due` instead (see
  `ledger/importing.py`, the spread).
- stale: when the last touch is `stale.factor` cadences old or older (days >=
  factor x cadence), or, with `stale --days N`, N days or older (from the last touch
  itself, an import's spread aside).
- balance: weight of done favors given minus weight of done favors received.
  given / received count done favors only: promises and pending asks do not count
  until they are done.
- ready to ask: the balance has reached `give_before_ask` (weight, so one big favor
  counts as several small ones), no ask of yours to them is still open, and no promise
  of yours to them has come due. The state in `balance`, the warning of `ask` and the
  suggestion in `due` all use this (see Standing).
- state, the first that applies: `one-sided` (in the last 365 days you gave at least 5
  done favors and received none), `owing` (balance < 0), `even` (0), `invested`
  (0 < balance < give_before_ask), `promise due` (enough given, but a promise to them
  has come due), `ask open` (enough given, but you are waiting on an ask), `ready to ask`.
- promise in `due`: open, and its due day has come (due <= as of), or, without a due
  day, promised 14 days ago or more. Late: the day after its due day. Kept on time:
  done on or before its due day.
- ask to follow up: open, and its follow-up day (`due`) has come, or, without one,
  asked 14 days ago or more. Unanswered (against follow-through): open 30 days or more.
- give:ask ratio: done favors you gave per favor you asked for (every favor
  received, whatever became of it: done, pending or declined).

Reports "as of" a past day answer as if nothing after that day had been recorded: the
summary (`contact_stats`, kept by triggers) only knows the present, so for a past day
the same columns are computed from the rows (`summary_source`), a favor's status is
what it was that day (open until it was done or declined), and contacts added later
do not exist yet. Snoozes and archiving are as they are now.

The SQL pieces read `contact` as `c`, `contact_stats` (or its stand-in) as `s` and
`favor` as `f`, and take the settings as bound parameters (see `Rules.params`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from netlog.ids import favor_ref
from netlog.ledger.settings import get_float, get_int
from netlog.storage.dialect import count_if, date_of, days_between, larger, later_of, plus_days
from netlog.storage.reader import Reader
from netlog.vocab import Circle

PROMISE_GRACE_DAYS = 14  # a promise with no due day shows in `due` once this old
ASK_FOLLOW_UP_DAYS = 14  # an ask with no follow-up day shows in `due` once this old
ASK_EXPIRED_DAYS = 30  # an ask open this long counts as unanswered in follow-through
ONE_SIDED_GIVEN = 5
ONE_SIDED_WINDOW = timedelta(days=365)

LAST_TOUCH_SQL = (
    f"coalesce({later_of('s.last_interaction', 's.last_favor')}, c.met_on, {date_of('c.created_at')})"
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

# Days since last touch, as of :as_of (never negative: a contact added after an
# earlier --as-of counts as touched that day).
DAYS_SINCE_SQL = larger("0", days_between(":as_of", LAST_TOUCH_SQL))

# An imported contact with nothing recorded yet comes due on its `first_due` (the spread
# of a large import) rather than a cadence after the day it was met or added. For due
# and stale, it counts as last touched a cadence before that day.
FIRST_DUE_APPLIES_SQL = "(c.first_due IS NOT NULL AND s.last_interaction IS NULL AND s.last_favor IS NULL)"
# The first due day as shown: only while it applies (nothing recorded with them yet).
FIRST_DUE_SQL = f"CASE WHEN {FIRST_DUE_APPLIES_SQL} THEN c.first_due END"
DUE_DAYS_SQL = (
    f"(CASE WHEN {FIRST_DUE_APPLIES_SQL} "
    f"THEN {days_between(':as_of', 'c.first_due')} + {CADENCE_SQL} "
    f"ELSE {DAYS_SINCE_SQL} END)"
)
# Due: a cadence old or older (with `due --within`, that many days sooner).
IS_DUE_SQL = f"{DUE_DAYS_SQL} + :within >= {CADENCE_SQL}"
# Stale: factor x cadence old or older (an import's spread counted as for due), or
# with --days, a last touch :days old or older, whatever the cadence or the spread.
IS_STALE_BY_FACTOR_SQL = f"{DUE_DAYS_SQL} >= :factor * {CADENCE_SQL}"
IS_STALE_BY_DAYS_SQL = f"{DAYS_SINCE_SQL} >= :days"
# The day a contact comes due (their snooze respected).
# The snooze's end as a day to compare with (none: before every day).
SNOOZED_UNTIL_SQL = "coalesce(c.snoozed_until, '')"
DUE_ON_SQL = larger(plus_days(":as_of", f"{CADENCE_SQL} - {DUE_DAYS_SQL}"), SNOOZED_UNTIL_SQL)
NOT_SNOOZED_SQL = "(c.snoozed_until IS NULL OR c.snoozed_until <= :as_of)"

# The day a promise comes due: its due day, or PROMISE_GRACE_DAYS after it was made; the
# day to follow up on an ask: the one set with edit-favor --due, or ASK_FOLLOW_UP_DAYS after.
PROMISE_DAY_SQL = f"coalesce(f.due, {plus_days('f.date', str(PROMISE_GRACE_DAYS))})"
ASK_DAY_SQL = f"coalesce(f.due, {plus_days('f.date', str(ASK_FOLLOW_UP_DAYS))})"

# What a favor was as of :as_of. Today (and later) the stored status is the answer; for
# a past day, a favor done or declined after it was still open then.
_DONE_THEN = "(f.status = 'done' AND coalesce(f.resolved_on, f.date) <= :as_of)"
_DECLINED_THEN = "(f.status = 'declined' AND coalesce(f.resolved_on, f.date) <= :as_of)"
_OPEN_THEN = f"NOT ({_DONE_THEN} OR {_DECLINED_THEN})"


# A favor that is an introduction: to whom (a handle), and which introduction it was.
FAVOR_INTRODUCTION_COLUMNS = (
    "(SELECT x.handle FROM contact x WHERE x.id = f.introduced_id) AS introduced, "
    "f.introduction_id AS introduction"
)


@dataclass(frozen=True)
class FavorSQL:
    """A favor's status-dependent facts as SQL, now or as of a past day."""

    done: str
    declined: str
    open: str

    @property
    def touch(self) -> str:
        """The day a favor last touched its contact, or NULL (declined)."""
        return (
            f"(CASE WHEN {self.done} AND f.resolved_on > f.date THEN f.resolved_on "
            f"WHEN {self.declined} THEN NULL ELSE f.date END)"
        )

    @property
    def status(self) -> str:
        open_status = "CASE f.direction WHEN 'given' THEN 'promised' ELSE 'asked' END"
        return f"(CASE WHEN {self.open} THEN {open_status} ELSE f.status END)"

    @property
    def columns(self) -> str:
        """Favor columns for FavorPublic, with status and resolution as of then."""
        return (
            "f.id, c.handle AS contact, f.direction, f.description, f.weight, f.date, "
            f"{self.status} AS status, f.due, CASE WHEN {self.open} THEN NULL ELSE f.resolved_on END "
            f"AS resolved_on, {FAVOR_INTRODUCTION_COLUMNS}"
        )


FAVOR_NOW = FavorSQL(
    done="(f.status = 'done')",
    declined="(f.status = 'declined')",
    open="(f.status IN ('promised', 'asked'))",
)
FAVOR_THEN = FavorSQL(done=_DONE_THEN, declined=_DECLINED_THEN, open=_OPEN_THEN)

# `contact_stats` as it was on :as_of, computed from the rows (the same columns).
SUMMARY_AS_OF_SQL = f"""(
SELECT c0.id AS contact_id, li.last_interaction, coalesce(li.n, 0) AS interaction_count,
       lf.last_favor,
       coalesce(lf.given_count, 0) AS given_count, coalesce(lf.given_weight, 0) AS given_weight,
       coalesce(lf.received_count, 0) AS received_count,
       coalesce(lf.received_weight, 0) AS received_weight,
       coalesce(lf.asked_count, 0) AS asked_count, coalesce(lf.declined_count, 0) AS declined_count,
       coalesce(lf.open_asks, 0) AS open_asks, coalesce(lf.open_promises, 0) AS open_promises
FROM contact c0
LEFT JOIN (SELECT ic.contact_id, max(i.date) AS last_interaction, count(*) AS n
           FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id
           WHERE i.date <= :as_of GROUP BY ic.contact_id) li ON li.contact_id = c0.id
LEFT JOIN (SELECT f.contact_id, max({FAVOR_THEN.touch}) AS last_favor,
                  {count_if(f"f.direction = 'given' AND {_DONE_THEN}")} AS given_count,
                  sum(CASE WHEN f.direction = 'given' AND {_DONE_THEN} THEN f.weight ELSE 0 END)
                      AS given_weight,
                  {count_if(f"f.direction = 'received' AND {_DONE_THEN}")} AS received_count,
                  sum(CASE WHEN f.direction = 'received' AND {_DONE_THEN} THEN f.weight ELSE 0 END)
                      AS received_weight,
                  {count_if("f.direction = 'received'")} AS asked_count,
                  {count_if(f"f.direction = 'received' AND {_DECLINED_THEN}")} AS declined_count,
                  {count_if(f"f.direction = 'received' AND {_OPEN_THEN}")} AS open_asks,
                  {count_if(f"f.direction = 'given' AND {_OPEN_THEN}")} AS open_promises
           FROM favor f WHERE f.date <= :as_of GROUP BY f.contact_id) lf ON lf.contact_id = c0.id
)"""


@dataclass(frozen=True)
class Rules:
    """The settings the definitions depend on, read once per command, and the day asked about."""

    as_of: date
    today: date
    give_before_ask: int
    cadences: dict[str, int]
    stale_factor: float
    birthdays_within: int

    @property
    def historical(self) -> bool:
        """A past day: answered from the rows, as if nothing later had been recorded."""
        return self.as_of < self.today

    @property
    def favor(self) -> FavorSQL:
        return FAVOR_THEN if self.historical else FAVOR_NOW

    @property
    def summary_source(self) -> str:
        """What `s` is read from: the summary table, or its stand-in for a past day."""
        return f"{SUMMARY_AS_OF_SQL} s" if self.historical else "contact_stats s"

    @property
    def existed_sql(self) -> str:
        """True for contacts already in the ledger on the day asked about."""
        return f"{date_of('c.created_at')} <= :as_of" if self.historical else "1 = 1"

    def one_sided_sql(self) -> str:
        """1 when the contact is one-sided as of :as_of. The favor table is only read (by
        index) for contacts with enough favors given overall to possibly qualify."""
        done = self.favor.done
        return f"""
CASE WHEN s.given_count < {ONE_SIDED_GIVEN} THEN 0 WHEN
    (SELECT count(*) FROM favor f WHERE f.contact_id = c.id AND f.direction = 'given'
     AND {done} AND f.date > :year_ago AND f.date <= :as_of) >= {ONE_SIDED_GIVEN}
    AND NOT EXISTS (SELECT 1 FROM favor f WHERE f.contact_id = c.id AND f.direction = 'received'
     AND {done} AND f.date > :year_ago AND f.date <= :as_of) THEN 1 ELSE 0
END"""

    def params(self, *, within_days: int = 0) -> dict[str, Any]:
        """Bound parameters for the SQL pieces above."""
        horizon = self.as_of + timedelta(days=within_days)
        return {
            "as_of": self.as_of.isoformat(),
            "within": within_days,
            "horizon": horizon.isoformat(),
            "expired": (self.as_of - timedelta(days=ASK_EXPIRED_DAYS)).isoformat(),
            "year_ago": (self.as_of - ONE_SIDED_WINDOW).isoformat(),
            **{f"cadence_{circle}": days for circle, days in self.cadences.items()},
        }

    def open_promises_sql(self) -> str:
        return f"f.direction = 'given' AND {self.favor.open} AND f.date <= :as_of"

    def open_asks_sql(self) -> str:
        return f"f.direction = 'received' AND {self.favor.open} AND f.date <= :as_of"

    def standing_sql(self) -> str:
        """Columns for a Standing, per contact `c` with its summary `s`: the counts of
        asks to chase and promises come due are read by index, for the rows shown, and
        only for those the summary says have an open ask or promise (most have none)."""
        chase = f"{self.open_asks_sql()} AND {ASK_DAY_SQL} <= :as_of"
        owed = f"{self.open_promises_sql()} AND {PROMISE_DAY_SQL} <= :as_of"
        return (
            f"{BALANCE_SQL} AS balance, s.given_weight, s.open_asks, "
            "CASE WHEN s.open_asks = 0 THEN 0 ELSE "
            f"(SELECT count(*) FROM favor f WHERE f.contact_id = c.id AND {chase}) END AS asks_to_chase, "
            "CASE WHEN s.open_promises = 0 THEN 0 ELSE "
            f"(SELECT count(*) FROM favor f WHERE f.contact_id = c.id AND {owed}) END AS promises_due"
        )

    def promises_due_sql(self) -> str:
        """Open promises that `due` lists: their day (PROMISE_DAY_SQL) has come, or comes
        by :horizon."""
        return f"{self.open_promises_sql()} AND {PROMISE_DAY_SQL} <= :horizon"

    def asks_due_sql(self) -> str:
        """Open asks to follow up: their day (ASK_DAY_SQL) has come, or comes by :horizon."""
        return f"{self.open_asks_sql()} AND {ASK_DAY_SQL} <= :horizon"


def load_rules(db: Reader, as_of: date, today: date | None = None) -> Rules:
    from netlog import dates

    return Rules(
        as_of=as_of,
        today=today or dates.today(),
        give_before_ask=get_int(db, "give_before_ask"),
        cadences={c.value: get_int(db, f"cadence.{c.value}") for c in Circle},
        stale_factor=get_float(db, "stale.factor"),
        birthdays_within=get_int(db, "birthdays.within"),
    )


# --- the advice --------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where you stand with one contact, as the advice needs it."""

    balance: int  # weight given minus weight received, done favors
    given_weight: int = 0
    open_asks: int = 0  # asks of yours still open
    asks_to_chase: int = 0  # ...of which the day to follow up has come
    promises_due: int = 0  # promises of yours to them whose day has come
    one_sided: bool = False

    @classmethod
    def of_row(cls, row: Any, *, one_sided: bool = False) -> Standing:
        """From a row with the columns of Rules.standing_sql()."""
        return cls(
            balance=row.balance,
            given_weight=row.given_weight,
            open_asks=row.open_asks,
            asks_to_chase=row.asks_to_chase,
            promises_due=row.promises_due,
            one_sided=one_sided,
        )


def ready_to_ask(standing: Standing, give_before_ask: int) -> bool:
    """Enough given (in weight, net of what you received), no ask still open, and no
    promise to them come due: keep it first."""
    return standing.balance >= give_before_ask and standing.open_asks == 0 and standing.promises_due == 0


def state(standing: Standing, give_before_ask: int) -> str:
    if standing.one_sided:
        return "one-sided"
    if standing.balance < 0:
        return "owing"
    if standing.balance == 0:
        return "even"
    if standing.balance < give_before_ask:
        return "invested"
    if standing.promises_due:
        return "promise due"
    if standing.open_asks:
        return "ask open"
    return "ready to ask"


def suggestion(standing: Standing, give_before_ask: int) -> str:
    """The one-line advice `due` gives for a person to contact: first what you promised
    them and is due (keeping it is the best give), then what you owe, then the ask to
    follow up. An ask put off to a later day is not chased, but it still keeps you from
    asking again."""
    if standing.promises_due:
        return "keep your promise"
    if standing.balance < 0:
        return f"give first: you owe {-standing.balance}"
    if standing.asks_to_chase:
        return "follow up on your ask"
    if standing.given_weight == 0:
        return "offer something useful"
    if ready_to_ask(standing, give_before_ask):
        return "you could ask now"
    return "catch up"


@dataclass(frozen=True)
class Item:
    """A favor named in a warning."""

    id: int
    description: str
    day: date


def ask_warning(
    *, name: str, standing: Standing, open_ask: Item | None, promise: Item | None, give_before_ask: int
) -> str | None:
    """What `ask` says before recording a new ask, or None when the rules say go ahead.
    The same order as `suggestion`: what you owe, what you promised, what you wait on, then
    the balance."""
    if standing.balance < 0:
        balance = standing.balance
        return f"you owe {name} {-balance} (balance {balance:+d}): give first, then ask. Recorded anyway."
    if promise is not None:
        return (
            f'you promised {name} "{promise.description}" ({favor_ref(promise.id)}, due '
            f"{promise.day.isoformat()}): keep it before asking. Recorded anyway."
        )
    if open_ask is not None:
        more = f" and {standing.open_asks - 1} more" if standing.open_asks > 1 else ""
        return (
            f'{name} has not answered your ask "{open_ask.description}" of '
            f"{open_ask.day.isoformat()} ({favor_ref(open_ask.id)}){more}: follow up on it before asking "
            "again. Recorded anyway."
        )
    if not ready_to_ask(standing, give_before_ask):
        return (
            f"your balance with {name} is {standing.balance:+d}; the give-before-ask rule suggests "
            f"+{give_before_ask} (weight given minus received) before asking. Recorded anyway."
        )
    return None


def promise_is_late(due: date | None, as_of: date) -> bool:
    """Late from the day after its due day: on its due day a promise is still on time."""
    return due is not None and as_of > due


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


# --- introductions and tie strength -------------------------------------------------------

# An introduction is a favor of this weight unless you say otherwise: to each of the two
# you introduced (`netlog intro`), and from whoever introduced you to someone (`via`).
INTRO_WEIGHT = 2

# Tie strength, 0-100: the points of six factors, each worked out as a share (0 to 1) of
# its weight below. Granovetter (1973) names a tie's strength as "a combination of the
# amount of time, the emotional intensity, the intimacy (mutual confiding), and the
# reciprocal services which characterize the tie". Gilbert and Karahalios (CHI 2009)
# measured how much each dimension predicts it: intimacy 32.8 %, intensity 19.7 %,
# duration 16.5 %, social distance 13.8 %, services 7.9 %, emotional support 4.8 %,
# structural 4.5 %, with "days since last communication" the strongest single variable.
# netlog has no measure of social distance or emotional support; their share goes to the
# nearest dimensions it does measure, and the weights are rounded so they add up to 100:
STRENGTH_WEIGHTS = {
    "closeness": 30,  # intimacy, as you state it: the circle you put them in
    "recency": 20,  # intimacy's strongest variable: how recent the last touch, for their cadence
    "frequency": 20,  # intensity: days with a touch in the last 365
    "tenure": 15,  # duration: years since you met
    "reciprocity": 10,  # services (and support): done favors both ways, by weight
    "introductions": 5,  # structural: introductions between you and the rest of your network
}
CLOSENESS = {"inner": 1.0, "close": 0.75, "active": 0.5, "acquaintance": 0.25}
FREQUENCY_FULL_DAYS = 12  # a touch a month, or more, in the last year: all the points
FREQUENCY_WINDOW_DAYS = 365
TENURE_FULL_YEARS = 5
RECIPROCITY_FULL_WEIGHT = 10  # weight exchanged, both ways together
ONE_WAY_SHARE = 0.5  # favors that only ever went one way count half
INTRODUCTIONS_FULL = 2
# A tie's label, from its strength. Strength is about the history of a tie, not how
# quiet it is now: a strong tie gone quiet is stale (see the stale rule), not weak.
STRONG_FROM = 60
MEDIUM_FROM = 30


# The days with a touch (see "touch" above) in the FREQUENCY_WINDOW_DAYS up to :as_of
# (from :year_ago, excluded), for contact `c`: from `touch_day`, which triggers keep.
TOUCH_DAYS_SQL = (
    "(SELECT count(*) FROM touch_day t WHERE t.contact_id = c.id AND t.day > :year_ago AND t.day <= :as_of)"
)
# Two people met together at a touch of theirs (interaction `i`) unless it was the
# touch an introduction recorded: that is the introduction, not a meeting. (The
# triggers that keep `met_pair`, migrations.py m011, were written with the same rule.)
MEETING_SQL = "i.kind != 'intro'"

# The same count for every contact at once, to join as `td` (no row: none): one pass over
# the window for a report on everyone, where a member's touch days (ledger/members.py)
# would otherwise be looked up contact by contact, through all of their touches.
TOUCH_DAYS_BY_CONTACT_SQL = (
    "(SELECT t.contact_id, count(*) AS n FROM touch_day t WHERE t.day > :year_ago AND t.day <= :as_of "
    "GROUP BY t.contact_id)"
)

# Per contact, the introductions between you and the rest of your network: those you
# made for them (`netlog intro`) and those they made for you (their name in `via`).
INTRODUCTIONS_SQL = """
SELECT contact_id, count(*) AS n FROM (
    SELECT a_id AS contact_id FROM introduction
    UNION ALL SELECT b_id FROM introduction
    UNION ALL SELECT via_id FROM contact WHERE via_id IS NOT NULL
) made GROUP BY contact_id"""


@dataclass(slots=True)
class TieFacts:
    """What a contact's strength is worked out from."""

    circle: str
    days_since: int
    cadence_days: int
    touch_days: int
    given_weight: int
    received_weight: int
    days_known: int
    introductions: int


def strength_points(facts: TieFacts) -> dict[str, float]:
    """Each factor's points (its weight times its share, 0 to 1), to one decimal; the
    strength is their sum, rounded. (Any object with TieFacts' attributes will do: the
    strength report passes its rows.)"""
    w = STRENGTH_WEIGHTS
    given, received = facts.given_weight, facts.received_weight
    days, cadence = facts.days_since, facts.cadence_days
    # Recency: full while the last touch is within the cadence, then the cadence over the
    # days: half at twice the cadence, a quarter at four times.
    recency = 1.0 if days <= cadence else cadence / days
    reciprocity = min(1.0, (given + received) / RECIPROCITY_FULL_WEIGHT)
    if not (given > 0 and received > 0):
        reciprocity *= ONE_WAY_SHARE
    return {
        "closeness": round(w["closeness"] * CLOSENESS.get(facts.circle, 0.0), 1),
        "recency": round(w["recency"] * recency, 1),
        "frequency": round(w["frequency"] * min(1.0, facts.touch_days / FREQUENCY_FULL_DAYS), 1),
        "tenure": round(w["tenure"] * min(1.0, facts.days_known / (365 * TENURE_FULL_YEARS)), 1),
        "reciprocity": round(w["reciprocity"] * reciprocity, 1),
        "introductions": round(w["introductions"] * min(1.0, facts.introductions / INTRODUCTIONS_FULL), 1),
    }


def strength_of(points: dict[str, float]) -> int:
    return round(sum(points.values()) + 1e-9)


def tie_label(strength: int) -> str:
    if strength >= STRONG_FROM:
        return "strong"
    if strength >= MEDIUM_FROM:
        return "medium"
    return "weak"


# Who knows whom: what the ledger shows of the tie between two contacts, and how strong
# that makes it. You see these ties only from outside, so they are scored by the
# evidence, not by the six factors above.
EDGE_POINTS = {
    "introduced": {"made": 40, "connected": 70, "fizzled": 15},  # by you: `netlog intro`
    "via": 60,  # one introduced you to the other: they knew each other well enough
    "same org": 40,  # colleagues now (both not archived)
    "stated": 50,  # `netlog knows`: you know it, without having seen how well
}
MET_TOGETHER_FIRST = 30  # one day you saw them together...
MET_TOGETHER_MORE = 10  # ...and this for each further day
MET_TOGETHER_MOST = 80
EDGE_MORE_KINDS = 10  # each further kind of evidence adds this to the strongest
# Paths reach the target through at most this many people between you and them.
PATH_MOST_BETWEEN = 2


def evidence_points(kind: str, *, count: int = 1, outcome: str | None = None) -> int:
    if kind == "met together":
        return min(MET_TOGETHER_MOST, MET_TOGETHER_FIRST + MET_TOGETHER_MORE * (count - 1))
    if kind == "introduced":
        return EDGE_POINTS["introduced"][outcome or "made"]  # type: ignore[index]
    return EDGE_POINTS[kind]  # type: ignore[return-value]


def edge_strength(points: list[int]) -> int:
    """The tie between two contacts: its strongest evidence, and more for each other kind."""
    return min(100, max(points) + EDGE_MORE_KINDS * (len(points) - 1)) if points else 0


def path_rank(hop_strengths: list[int]) -> tuple[int, int, int]:
    """How a path ranks, best first when sorted in reverse: its weakest hop, then the sum
    of its hops, then the fewer hops."""
    return (min(hop_strengths), sum(hop_strengths), -len(hop_strengths))


def before_asking(name: str, standing: Standing, give_before_ask: int) -> str:
    """Whether to give before asking someone (for an introduction, on a path), by the same
    rule as the ask warning and due's suggestion."""
    if standing.balance < 0:
        return f"you owe {name} {-standing.balance}: give first"
    if standing.promises_due:
        return f"keep your promise to {name} first"
    if standing.open_asks:
        return f"{name} has an ask of yours open: follow up on it before asking again"
    if not ready_to_ask(standing, give_before_ask):
        return (
            f"your balance with {name} is {standing.balance:+d}, short of the +{give_before_ask} "
            "to reach before asking: give first"
        )
    return f"you can ask {name} (balance {standing.balance:+d})"


# --- needs and offers --------------------------------------------------------------------

# A need is open until it is met or dropped; past its `until` day, still open, it is
# expired: listed, but no longer matched. An offer is open until it is dropped.
NEED_SOON_DAYS = 14  # a need wanted within this many days ranks before every other
MATCHES_PER_NEED = 3  # offers `match` shows per need (every one with --need)
# What a need and an offer have in common, in points. Words are compared folded (case
# and accents) and stemmed ("designer" is "design"); a tag is its words, and a word both
# sides have as a tag is a shared tag. The offerer's organisation and title count as
# words of the offer (what they do is what they can give).
WORD_POINTS = 1
TAG_POINTS = 2  # "tags count double"
ORG_POINTS = 1
TITLE_POINTS = 1
# Words that carry no meaning in a need or an offer: never compared.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "anyone",
        "anything",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "best",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "etc",
        "few",
        "for",
        "from",
        "further",
        "get",
        "getting",
        "good",
        "great",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "like",
        "looking",
        "look",
        "looks",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "need",
        "needed",
        "needing",
        "needs",
        "new",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "please",
        "really",
        "same",
        "she",
        "should",
        "so",
        "some",
        "someone",
        "somebody",
        "something",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "want",
        "wanted",
        "wanting",
        "wants",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "help",
        "helps",
        "helping",
        "find",
        "finding",
        "person",
        "people",
        "thing",
        "things",
        "way",
    ]
)
# Words too general to make a match on their own ("advice on visas" and "career advice"
# have nothing to give each other); they add their points beside a word that is not.
GENERIC_WORDS = frozenset(
    [
        "advice",
        "advise",
        "feedback",
        "intro",
        "intros",
        "introduction",
        "introductions",
        "introduce",
        "know",
        "knows",
        "knowing",
        "contact",
        "contacts",
        "connection",
        "connections",
        "connect",
        "network",
        "review",
        "support",
        "info",
        "information",
        "tips",
        "tip",
        "chat",
        "coffee",
        "call",
        "question",
        "questions",
        "experience",
        "expert",
        "expertise",
        "work",
        "working",
    ]
)
# Short forms, read as the word they stand for.
ALIASES = {
    "vc": "investor",
    "vcs": "investor",
    "dev": "developer",
    "devs": "developers",
    "cv": "resume",
    "cvs": "resume",
}


def need_status(status: str, kind: str, until: date | None, as_of: date) -> str:
    """A need still open after its until day is expired."""
    if kind == "need" and status == "open" and until is not None and until < as_of:
        return "expired"
    return status


# The needs and offers `match` considers, as `n`: open, and a need not past its day.
NEED_OPEN_SQL = "(n.status = 'open' AND (n.until IS NULL OR n.until >= :as_of))"


def match_key(points: int, need_side: int, offer_side: int) -> int:
    """A match's score times 400, as a whole number to rank by: its points times how well
    you know both sides, (200 + a + b) / 400 for strengths a and b (0-100; you are 100):
    0.5 for two people you hardly know, 1 for you and someone as strong as you."""
    return points * (200 + need_side + offer_side)


def match_score(key: int) -> float:
    """The score as shown: exact, as key / 400 has at most four decimals."""
    return round(key / 400, 4)


def strength_factor(need_side: int, offer_side: int) -> float:
    """The factor of match_key, as shown (exact, at most four decimals)."""
    return round((200 + need_side + offer_side) / 400, 4)


def need_is_soon(until: date | None, as_of: date) -> bool:
    return until is not None and (until - as_of).days <= NEED_SOON_DAYS


def match_order(*, until: date | None, key: int, need_id: int, offer_id: int, as_of: date) -> tuple:
    """How matches rank, best first when sorted: needs wanted soon first (the nearest
    day first), then the score, then the older need and offer."""
    soon = need_is_soon(until, as_of)
    return (not soon, until if soon else date.max, -key, need_id, offer_id)


@dataclass(frozen=True)
class NeedHint:
    """A need of someone due, for `due`'s suggestion: with the offer that fills it (yours
    when `offerer` is None), or no offer."""

    name: str
    need: str
    offer: str | None = None
    offerer: str | None = None


def _need_line(hint: NeedHint) -> str:
    if hint.offer is not None and hint.offerer is None:
        return f"give '{hint.offer}': {hint.name} needs '{hint.need}'"
    if hint.offer is not None:
        return f"{hint.name} needs '{hint.need}': {hint.offerer} offers '{hint.offer}'"
    return f"{hint.name} needs '{hint.need}'"


def suggestion_with_need(standing: Standing, give_before_ask: int, hint: NeedHint | None) -> str:
    """`due`'s suggestion, naming an open need of theirs when they have one: what you
    could give for it, or whom to introduce them to. "offer something useful" becomes
    the need itself; any other advice keeps its place first."""
    base = suggestion(standing, give_before_ask)
    if hint is None:
        return base
    if base == "offer something useful":
        return _need_line(hint)
    return f"{base}; {_need_line(hint)}"


def shared_word(in_need_tags: bool, in_offer: str) -> tuple[str, int]:
    """What a stem both a need and an offer have is worth, by where the offer has it
    (`tag`, `word`, `title` or `org`, the first that applies): a tag on both sides is a
    shared tag; a word of the offer's text or tags, a word in common; else the offerer's
    title, then organisation."""
    if in_offer == "tag" and in_need_tags:
        return "tags", TAG_POINTS
    if in_offer in ("tag", "word"):
        return "words", WORD_POINTS
    if in_offer == "title":
        return "title", TITLE_POINTS
    return "org", ORG_POINTS


# A need met through your introduction: a contact met it whom you had introduced to its
# owner, on or before the day it was met (`n` the need).
MET_THROUGH_INTRO_SQL = """(n.met_by_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM introduction i WHERE i.date <= n.met_on
    AND ((i.a_id = n.contact_id AND i.b_id = n.met_by_id)
         OR (i.b_id = n.contact_id AND i.a_id = n.met_by_id))))"""
