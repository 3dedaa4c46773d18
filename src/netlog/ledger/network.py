"""The network: introductions, who knows whom, tie strength and warm paths.

Everything a user sees here is scored by ledger/rules.py (strength's six factors, the
points of each kind of evidence, how paths rank, whether to give before asking); this
module only gathers the facts, by SQL over indexes and the summary:

- A contact's strength comes from one row per contact: the summary (`contact_stats`),
  the circle and cadence, and one aggregate of the touch days of the last year.
- Ties between two contacts are read for the contacts asked about, never for the whole
  ledger: introductions and stated ties by their indexes, `via` by `ix_contact_via`,
  meetings by the link table's index on the contact and its primary key on the
  interaction. Colleagues (same organisation) are grouped in Python from the strength
  rows already read: in an organisation of hundreds, every pair is a tie, and only the
  strongest few of them can be on a best path.

Paths: every contact is someone you know, so the target's own tie is one path; the
others go through one or two people between. A path's strength is its weakest hop
(rules.path_rank). A path through two people is kept only when it is stronger than
going to the second of them yourself.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from netlog.ledger import rules
from netlog.ledger.rows import as_date, chunks, id_list
from netlog.ledger.rules import Rules, Standing, TieFacts
from netlog.public import (
    EvidencePublic,
    HopPublic,
    IntroductionPublic,
    KnowsPublic,
    PathPublic,
    StrengthBasisPublic,
    StrengthFactorsPublic,
    StrengthPublic,
)
from netlog.storage.dialect import count_if, date_of, days_between, larger
from netlog.storage.reader import Reader
from netlog.wording import count

ME = "me"

# --- introductions -----------------------------------------------------------------------

INTRO_SQL = """
SELECT i.id, i.date, a.handle AS a, b.handle AS b, i.note, i.outcome, i.outcome_on, i.outcome_note,
       i.interaction_id
FROM introduction i JOIN contact a ON a.id = i.a_id JOIN contact b ON b.id = i.b_id"""


def introductions(
    db: Reader,
    *,
    contact_id: int | None = None,
    outcome: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[IntroductionPublic]:
    """Introductions you made, newest first (of one contact's, with `contact_id`)."""
    clauses, params = ["1 = 1"], dict[str, Any]()
    if contact_id is not None:
        clauses.append("(i.a_id = :c OR i.b_id = :c)")
        params["c"] = contact_id
    if outcome is not None:
        clauses.append("i.outcome = :outcome")
        params["outcome"] = outcome
    if since is not None:
        clauses.append("i.date >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        clauses.append("i.date <= :until")
        params["until"] = until.isoformat()
    rows = db.rows(f"{INTRO_SQL} WHERE {' AND '.join(clauses)} ORDER BY i.date DESC, i.id DESC", params)
    return introductions_of_rows(db, rows)


def introduction(db: Reader, introduction_id: int) -> IntroductionPublic | None:
    rows = db.rows(f"{INTRO_SQL} WHERE i.id = :i", {"i": introduction_id})
    return introductions_of_rows(db, rows)[0] if rows else None


def introductions_of_rows(db: Reader, rows: Sequence[Any]) -> list[IntroductionPublic]:
    """Records from rows of INTRO_SQL (a query's, or an export's page)."""
    favors: dict[int, list[int]] = defaultdict(list)
    if rows:
        for f in db.rows(
            "SELECT id, introduction_id FROM favor "
            f"WHERE introduction_id IN ({id_list([r.id for r in rows])}) ORDER BY id"
        ):
            favors[f.introduction_id].append(f.id)
    return [
        IntroductionPublic(
            id=r.id,
            date=as_date(r.date),  # type: ignore[arg-type]
            a=r.a,
            b=r.b,
            note=r.note,
            outcome=r.outcome,
            outcome_on=as_date(r.outcome_on),
            outcome_note=r.outcome_note,
            touch=r.interaction_id,
            favors=favors.get(r.id, []),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class IntroCounts:
    made: int
    connected: int
    fizzled: int
    received: int  # introductions you received (a contact's `via`), by the day you met


def intro_counts(
    db: Reader, *, since: date, until: date, where: str = "1 = 1", params: Any = None
) -> IntroCounts:
    """Introductions made in [since, until] (with the share that connected), and received:
    contacts met in those days whom someone introduced. `where` filters contacts `c`: an
    introduction counts when either of the two passes."""
    bounds = {"lo": since.isoformat(), "hi": until.isoformat(), **(params or {})}
    settled = {
        outcome: count_if(f"i.outcome = '{outcome}' AND coalesce(i.outcome_on, i.date) <= :hi")
        for outcome in ("connected", "fizzled")
    }
    made = db.one(
        "SELECT count(*) AS n, "
        f"coalesce({settled['connected']}, 0) AS connected, coalesce({settled['fizzled']}, 0) AS fizzled "
        "FROM introduction i "
        "WHERE i.date >= :lo AND i.date <= :hi AND EXISTS (SELECT 1 FROM contact c "
        f"WHERE c.id IN (i.a_id, i.b_id) AND {where})"
        + (" AND i.member = :netlog_member" if db.viewer is not None else ""),  # one member's: theirs
        bounds,
    )
    # One member's: those they recorded, whose introduction is their favor received from
    # the introducer (made with the contact; `f` is the member's favors, ledger/members.py).
    theirs = (
        " AND EXISTS (SELECT 1 FROM favor f WHERE f.introduced_id = c.id AND f.contact_id = c.via_id "
        "AND f.direction = 'received')"
        if db.viewer is not None
        else ""
    )
    received = db.scalar(
        f"SELECT count(*) FROM contact c WHERE c.via_id IS NOT NULL AND {where} AND "
        f"coalesce(c.met_on, {date_of('c.created_at')}) >= :lo AND "
        f"coalesce(c.met_on, {date_of('c.created_at')}) <= :hi{theirs}",
        bounds,
    )
    return IntroCounts(made.n, made.connected, made.fizzled, received or 0)


# --- strength ----------------------------------------------------------------------------


def _strength_sql(where: str, *, everyone: bool) -> str:
    """With `everyone`, most of the ledger: the touch days counted in one pass."""
    touch_days = "coalesce(td.n, 0)" if everyone else rules.TOUCH_DAYS_SQL
    joined = f"LEFT JOIN {rules.TOUCH_DAYS_BY_CONTACT_SQL} td ON td.contact_id = c.id" if everyone else ""
    return f"""
SELECT c.id, c.handle, c.name, c.name_key, c.circle, c.archived, c.org,
       {rules.DAYS_SINCE_SQL} AS days_since, {rules.CADENCE_SQL} AS cadence_days,
       CASE WHEN {rules.IS_STALE_BY_FACTOR_SQL} THEN 1 ELSE 0 END AS stale,
       s.given_weight, s.received_weight,
       {larger("0", days_between(":as_of", f"coalesce(c.met_on, {date_of('c.created_at')})"))} AS days_known,
       {touch_days} AS touch_days, coalesce(ni.n, 0) AS introductions
FROM contact c JOIN contact_stats s ON s.contact_id = c.id
LEFT JOIN ({rules.INTRODUCTIONS_SQL}) ni ON ni.contact_id = c.id {joined}
WHERE {where}"""


@dataclass(slots=True)
class Tie:
    """Your tie with one contact, and what netlog needs of them for paths."""

    id: int
    handle: str
    name: str
    name_key: str
    org: str | None
    archived: bool
    facts: TieFacts
    points: dict[str, float]
    strength: int
    stale: bool
    team: str | None = None  # the organisation folded, to compare (filled for paths)

    @property
    def tie(self) -> str:
        return rules.tie_label(self.strength)

    @property
    def record(self) -> StrengthPublic:
        return StrengthPublic(
            handle=self.handle,
            name=self.name,
            strength=self.strength,
            tie=self.tie,
            stale=self.stale,
            strength_factors=StrengthFactorsPublic(**self.points),
        )

    @property
    def basis(self) -> StrengthBasisPublic:
        """What the points were worked out from (`strength CONTACT`)."""
        return StrengthBasisPublic(**self._basis())

    def _basis(self) -> dict[str, Any]:
        f = self.facts
        return {
            "circle": f.circle,
            "days_since": f.days_since,
            "cadence_days": f.cadence_days,
            "touch_days": f.touch_days,
            "given_weight": f.given_weight,
            "received_weight": f.received_weight,
            "years_known": round(f.days_known / 365, 1),
            "introductions": f.introductions,
        }

    def as_json(self) -> dict[str, Any]:
        """What public_dict(self.record) gives, made without the records (10,000 of them
        for `strength --json`); tests/test_readme.py checks the two agree."""
        return {
            "handle": self.handle,
            "name": self.name,
            "strength": self.strength,
            "tie": self.tie,
            "stale": self.stale,
            "strength_factors": self.points,
        }


def _tie(row: Any) -> Tie:
    # The row has a column for each of TieFacts' fields, by name: it serves as the facts.
    points = rules.strength_points(row)
    return Tie(
        row.id, row.handle, row.name, row.name_key, row.org, bool(row.archived), row, points,
        rules.strength_of(points), bool(row.stale),
    )  # fmt: skip


def ties(db: Reader, r: Rules, *, ids: Collection[int] | None = None, archived: bool = False) -> list[Tie]:
    """Your tie with each contact (not archived ones, unless `archived`; or those of `ids`),
    strongest first."""
    where = "1 = 1" if archived else "c.archived = 0"
    if ids is not None:
        where += f" AND c.id IN ({id_list(ids) if ids else 'NULL'})"
    params = {**r.params(), "factor": r.stale_factor}
    found = [_tie(row) for row in db.each(_strength_sql(where, everyone=ids is None), params)]
    found.sort(key=lambda t: (-t.strength, t.name_key, t.id))
    return found


def tie_of(db: Reader, r: Rules, contact_id: int) -> Tie:
    (tie,) = ties(db, r, ids=[contact_id], archived=True)
    return tie


# --- who knows whom ----------------------------------------------------------------------


@dataclass(slots=True)
class Evidence:
    kind: str
    points: int
    date: date | str | None = None  # a meeting's as read (ISO text), made a date when shown
    count: int = 1
    note: str | None = None
    outcome: str | None = None  # an introduction's
    introducer: int | None = None  # via: which of the two introduced you to the other
    org: str | None = None  # same org: as the first of the two writes it
    member: str | None = None  # introduced, stated, via: who of a team recorded it (via: was introduced)
    members: tuple[str, ...] = ()  # met together, on a team's ledger: who recorded the meetings


Edges = dict[int, dict[int, list[Evidence]]]


def _add(edges: Edges, wanted: Collection[int], x: int, y: int, evidence: Evidence) -> None:
    if x == y:
        return
    if x in wanted:
        edges[x].setdefault(y, []).append(evidence)
    if y in wanted:
        edges[y].setdefault(x, []).append(evidence)


def sparse_edges(db: Reader, ids: Collection[int], *, among: Collection[int] | None = None) -> Edges:
    """Ties of the contacts `ids` with anyone not archived, from introductions, `via`,
    meetings and stated ties: {contact: {other: [evidence]}}. Colleagues are added by
    the callers. With `among`, meetings only with those (the few a path can still go
    through). (Archived contacts are left out here, in Python: as a subquery in each
    statement SQLite 3.40 ran it once per row.)"""
    edges: Edges = defaultdict(dict)
    if not ids:
        return edges
    wanted = set(ids)
    archived = {row.id for row in db.rows("SELECT id FROM contact WHERE archived = 1")}

    def add(x: int, y: int, evidence: Evidence) -> None:
        if x not in archived and y not in archived:
            _add(edges, wanted, x, y, evidence)

    for part in chunks(sorted(wanted), 5000):
        listed = id_list(part)
        for row in db.rows(
            "SELECT a_id, b_id, date, outcome, note, member FROM introduction "
            f"WHERE a_id IN ({listed}) OR b_id IN ({listed})"
        ):
            points = rules.evidence_points("introduced", outcome=row.outcome)
            add(
                row.a_id,
                row.b_id,
                Evidence(
                    "introduced",
                    points,
                    as_date(row.date),
                    note=row.note,
                    outcome=row.outcome,
                    member=row.member,
                ),
            )
        for row in db.rows(
            f"SELECT c.id, c.via_id, coalesce(c.met_on, {date_of('c.created_at')}) AS day, "
            # who was introduced: the member of the favor received the introduction is
            "(SELECT vf.member FROM favor vf WHERE vf.introduced_id = c.id AND vf.contact_id = c.via_id "
            "AND vf.direction = 'received' ORDER BY vf.id LIMIT 1) AS member FROM contact c "
            f"WHERE c.via_id IN ({listed}) OR (c.id IN ({listed}) AND c.via_id IS NOT NULL)"
        ):
            points = rules.evidence_points("via")
            evidence = Evidence("via", points, as_date(row.day), introducer=row.via_id, member=row.member)
            add(row.id, row.via_id, evidence)
        for row in db.rows(
            f"SELECT a_id, b_id, date, note, member FROM knows WHERE a_id IN ({listed}) OR b_id IN ({listed})"
        ):
            add(
                row.a_id,
                row.b_id,
                Evidence(
                    "stated",
                    rules.evidence_points("stated"),
                    as_date(row.date),
                    note=row.note,
                    member=row.member,
                ),
            )
        # Met together: the days they were at a touch with someone (an introduction's own
        # touch is the introduction, not a meeting), from `met_pair`, kept by triggers.
        for row in db.rows(
            "SELECT a_id AS x, b_id AS y, count(*) AS days, max(day) AS last FROM met_pair "
            f"WHERE a_id IN ({listed}) {'' if among is None else f'AND b_id IN ({id_list(among)})'} "
            "GROUP BY a_id, b_id"
        ):
            if row.y in archived or row.x in archived:
                continue
            points = rules.evidence_points("met together", count=row.days)
            edges[row.x].setdefault(row.y, []).append(Evidence("met together", points, row.last, row.days))
    return edges


def _with_teams(found: list[Tie]) -> list[Tie]:
    keys: dict[str | None, str | None] = {}  # a few organisations, many people
    for tie in found:
        if tie.org not in keys:
            keys[tie.org] = org_key(tie.org)
        tie.team = keys[tie.org]
    return found


def org_key(org: str | None) -> str | None:
    from netlog.ledger.names import fold

    key = fold(org) if org else ""
    return key or None


def _same_org(evidence: list[Evidence]) -> bool:
    return any(e.kind == "same org" for e in evidence)


def add_colleague(edges: Edges, x: Tie, other: Tie) -> None:
    """`other` works where `x` does: a tie, or more evidence for the tie they have."""
    if other.id == x.id:
        return
    evidence = edges[x.id].setdefault(other.id, [])
    if not _same_org(evidence):
        evidence.append(Evidence("same org", rules.evidence_points("same org"), org=x.org))


def tie_strength(evidence: list[Evidence]) -> int:
    """One point per kind: the strongest piece of each kind counts (two introductions of
    the same pair are one tie)."""
    best: dict[str, int] = {}
    for e in evidence:
        best[e.kind] = max(best.get(e.kind, 0), e.points)
    return rules.edge_strength(list(best.values()))


def evidence_public(
    evidence: list[Evidence], names: dict[int, str], x: int, y: int, me: str | None = None
) -> list[EvidencePublic]:
    """Evidence in words, strongest first. On a team's ledger (`me`: the member asking),
    an introduction or a stated tie a teammate recorded is theirs, by name."""
    out = []
    for e in sorted(evidence, key=lambda e: (-e.points, e.kind)):
        when = as_date(e.date)  # meetings keep the text they were read as, until shown
        day = when.isoformat() if when else ""
        who = e.member if me is not None and e.member is not None and e.member != me else "you"
        if e.kind == "introduced":
            text = f"{who} introduced them on {day}" + ("" if e.outcome == "made" else f" ({e.outcome})")
        elif e.kind == "via":
            other = y if e.introducer == x else x
            text = f"{names.get(e.introducer or 0, '?')} introduced {who} to {names.get(other, '?')} ({day})"
        elif e.kind == "met together":
            text = f"met together {day}" if e.count == 1 else f"met together on {e.count} days, last {day}"
            others = sorted(m for m in e.members if m != me)
            if me is not None and others:  # a teammate's touches: theirs, by name
                text += f" (recorded by {' and '.join(others + (['you'] if me in e.members else []))})"
        elif e.kind == "same org":
            text = f"both at {e.org}"
        else:
            text = f"{who} noted they know each other ({day})"
        if e.note:
            text += f': "{e.note}"'
        out.append(EvidencePublic(kind=e.kind, text=text, date=when, count=e.count, note=e.note))
    return out


def _recorded_by(db: Reader, ties: list[tuple[int, int, list[Evidence]]]) -> None:
    """On a team's ledger, who recorded the meetings behind each "met together" of the ties
    `ties` (x, y, evidence): the members of their touches together, as `met_pair` counts
    them (rules.MEETING_SQL)."""
    wanted = {(x, y): e for x, y, evidence in ties for e in evidence if e.kind == "met together"}
    if not db.shared or not wanted:
        return
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    for row in db.rows(
        "SELECT a.contact_id AS x, b.contact_id AS y, i.member FROM interaction_contact a "
        "JOIN interaction_contact b ON b.interaction_id = a.interaction_id "
        "JOIN interaction i ON i.id = a.interaction_id "
        f"WHERE a.contact_id IN ({id_list({x for x, _ in wanted})}) "
        f"AND b.contact_id IN ({id_list({y for _, y in wanted})}) "
        f"AND {rules.MEETING_SQL} AND i.member IS NOT NULL GROUP BY a.contact_id, b.contact_id, i.member"
    ):
        if (row.x, row.y) in wanted:
            found[row.x, row.y].add(row.member)
    for pair, e in wanted.items():
        e.members = tuple(sorted(found.get(pair, ())))


def knows_of(db: Reader, r: Rules, contact_id: int) -> list[KnowsPublic]:
    """Whom a contact knows, and why, strongest first."""
    edges = sparse_edges(db, [contact_id])
    me = db.one("SELECT id, name, org, archived FROM contact WHERE id = :i", {"i": contact_id})
    key = org_key(me.org)
    names = {contact_id: me.name}
    if key is not None and not me.archived:
        colleagues = db.rows(
            "SELECT id, org FROM contact WHERE archived = 0 AND org IS NOT NULL AND id != :i "
            "AND netlog_fold(org) = :key",
            {"i": contact_id, "key": key},
        )
        mine = edges[contact_id]
        for row in colleagues:
            if org_key(row.org) == key:
                evidence = mine.setdefault(row.id, [])
                evidence.append(Evidence("same org", rules.evidence_points("same org"), org=me.org))
    others = edges.get(contact_id, {})
    if not others:
        return []
    rows = db.rows(f"SELECT id, handle, name FROM contact WHERE id IN ({id_list(others)})")
    names |= {row.id: row.name for row in rows}
    _recorded_by(db, [(contact_id, other, evidence) for other, evidence in others.items()])
    found = [
        KnowsPublic(
            handle=row.handle,
            name=row.name,
            strength=tie_strength(others[row.id]),
            evidence=evidence_public(
                others[row.id], names, contact_id, row.id, db.member() if db.shared else None
            ),
        )
        for row in rows
    ]
    found.sort(key=lambda k: (-k.strength, k.name.casefold(), k.handle))
    return found


# --- warm paths --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Path:
    people: tuple[int, ...]  # from the first person asked to the target
    hops: tuple[int, ...]  # the hops' strengths: yours with the first, then each tie
    evidence: tuple[list[Evidence], ...]  # of each tie after the first hop

    @property
    def rank(self) -> tuple[int, int, int]:
        return rules.path_rank(list(self.hops))


def warm_paths(db: Reader, r: Rules, targets: Sequence[int], *, single: bool, limit: int) -> list[PathPublic]:
    """The best ways to the targets (contact ids): each target's own tie, then through
    one or two people. With `single` (one target), its own tie comes first whatever its
    strength; otherwise all are ranked together."""
    everyone = _with_teams(ties(db, r))
    by_id = {t.id: t for t in everyone}
    wanted = [t for t in dict.fromkeys(targets)]
    for missing in [t for t in wanted if t not in by_id]:  # archived: still yours to reach
        by_id[missing] = _with_teams([tie_of(db, r, missing)])[0]
    target_set = set(wanted)
    # Colleagues, strongest first, and how many of the strongest can be on a best path.
    teams: dict[str, list[Tie]] = defaultdict(list)
    for tie in everyone:
        if tie.team is not None:
            teams[tie.team].append(tie)
    # Colleagues tie by the same points, so only the strongest `limit` of an organisation
    # can be on a best path through it (one more, for the person themselves); all of them
    # with --limit 0.
    keep = limit + 1 if limit > 0 else len(everyone)
    strongest: dict[str, list[Tie]] = {}  # per organisation, worked out once

    def strongest_colleagues(x: Tie) -> list[Tie]:
        if x.team is None or x.archived:
            return []
        if x.team not in strongest:
            chosen = strongest[x.team] = []
            for other in teams[x.team]:
                if other.id not in target_set:
                    chosen.append(other)
                    if len(chosen) > keep:  # one more, for when x is one of them
                        break
        return [other for other in strongest[x.team] if other.id != x.id][:keep]

    def ties_of(ids: Collection[int], among: Collection[int] | None = None) -> Edges:
        edges = sparse_edges(db, ids, among=among)
        for x in ids:
            tie = by_id.get(x)
            if tie is None or tie.team is None or tie.archived:
                continue
            for y in list(edges.get(x, {})):
                other = by_id.get(y)
                if other is not None and other.team == tie.team:
                    add_colleague(edges, tie, other)
            for other in strongest_colleagues(tie):
                add_colleague(edges, tie, other)
        return edges

    found: list[_Path] = [_Path((t,), (by_id[t].strength,), ()) for t in wanted]
    first = ties_of(wanted)
    second_hop: dict[int, list[tuple[int, int, list[Evidence]]]] = defaultdict(list)  # b -> [(t, e, ev)]
    for t in wanted:
        for b, evidence in first.get(t, {}).items():
            if b in target_set or b not in by_id:
                continue
            e = tie_strength(evidence)
            found.append(_Path((b, t), (by_id[b].strength, e), (evidence,)))
            if by_id[b].strength < e:  # someone you know less well than they know the target
                second_hop[b].append((t, e, evidence))
    # A path through two people is no stronger than its last tie: only those that could
    # still make the list are looked for.
    bar = 0
    if limit > 0 and len(found) >= limit:
        bar = heapq.nlargest(limit, (p.rank for p in found))[-1][0]
        second_hop = {
            b: kept for b, reached in second_hop.items() if (kept := [x for x in reached if x[1] >= bar])
        }

    def shortcut(a: int, t: int) -> int:
        """The tie of a with the target itself (0 without one): a path through someone
        else to a target a knows as well is only longer."""
        evidence = first.get(t, {}).get(a)
        if evidence is not None:
            return tie_strength(evidence)
        same_team = by_id[a].team is not None and by_id[a].team == by_id[t].team
        return rules.evidence_points("same org") if same_team else 0

    if rules.PATH_MOST_BETWEEN >= 2 and second_hop:
        # The first of the two is someone you know at least as well as the bar.
        strong = [t.id for t in everyone if t.strength >= bar] if bar else None
        further = ties_of(list(second_hop), among=strong)
        for b, reached in second_hop.items():
            through_b = by_id[b].strength
            for a, evidence_ab in further.get(b, {}).items():
                if a in target_set or a not in by_id or by_id[a].strength <= through_b:
                    continue
                e_ab = tie_strength(evidence_ab)
                if e_ab <= through_b:
                    continue
                for t, e_bt, evidence_bt in reached:
                    if a == t:
                        continue
                    hops = (by_id[a].strength, e_ab, e_bt)
                    if min(hops) <= min(through_b, e_bt):  # no better than going to b yourself
                        continue
                    if min(by_id[a].strength, shortcut(a, t)) >= min(hops):  # a knows t as well
                        continue
                    found.append(_Path((a, b, t), hops, (evidence_ab, evidence_bt)))
    direct = [p for p in found if len(p.people) == 1]
    others = [p for p in found if len(p.people) > 1]
    pool = others if single else found
    if limit > 0:  # only the best few are shown: no need to sort them all
        pool = heapq.nsmallest(limit, pool, key=_order(by_id))
    ordered = (direct if single else []) + sorted(pool, key=_order(by_id))
    chosen = ordered[:limit] if limit > 0 else ordered
    return _paths_public(db, r, chosen, by_id)


def _order(by_id: dict[int, Tie]) -> Any:
    def key(p: _Path) -> tuple[Any, ...]:
        weakest, total, shorter = p.rank
        return (-weakest, -total, -shorter, [by_id[i].name_key for i in p.people], p.people)

    return key


def members_ties(db: Reader, ids: Collection[int]) -> dict[int, list[Any]]:
    """On a team's ledger, who of the team is in touch with each contact: per member, their
    touches (the touch rule's: touches, and favors not declined), latest first."""
    if not ids:
        return {}
    rows = db.rows(
        f"""
        SELECT contact_id, member, count(*) AS n, max(day) AS last FROM (
            SELECT ic.contact_id, i.member, i.date AS day FROM interaction_contact ic
            JOIN interaction i ON i.id = ic.interaction_id WHERE ic.contact_id IN ({id_list(ids)})
            UNION ALL SELECT f.contact_id, f.member, f.date FROM favor f
            WHERE f.contact_id IN ({id_list(ids)}) AND f.status != 'declined'
        ) AS touched WHERE member IS NOT NULL
        GROUP BY contact_id, member ORDER BY contact_id, last DESC, member"""
    )
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row.contact_id, []).append(row)
    return found


def _paths_public(db: Reader, r: Rules, chosen: list[_Path], by_id: dict[int, Tie]) -> list[PathPublic]:
    asked = sorted({p.people[0] for p in chosen})
    standing = standings(db, r, asked)
    names = {i: t.name for i, t in by_id.items()}
    team = members_ties(db, asked) if db.shared else {}
    me = db.member() if db.shared else None
    shown = [(x, y, ev) for p in chosen for x, y, ev in zip(p.people, p.people[1:], p.evidence, strict=False)]
    _recorded_by(db, shown)
    out = []
    for p in chosen:
        first = by_id[p.people[0]]
        theirs = team.get(first.id, [])
        through = theirs[0] if theirs and all(t.member != me for t in theirs) else None
        if through is None:
            you = EvidencePublic(
                kind="your tie",
                text=f"you: {first.facts.circle}, strength {first.strength} ({first.tie})"
                + (", stale" if first.stale else ""),
                date=None,
                count=1,
                note=None,
            )
        else:  # a teammate's tie, not yours: the path goes through them
            you = EvidencePublic(
                kind="team tie",
                text=f"{through.member} on your team knows {first.name}: last touch {through.last} "
                f"({count(through.n, 'touch')}); ask {through.member}",
                date=as_date(through.last),
                count=through.n,
                note=None,
            )
        hops = [HopPublic(from_=ME, to=first.handle, strength=p.hops[0], evidence=[you])]
        for (x, y), strength, evidence in zip(
            zip(p.people, p.people[1:], strict=False), p.hops[1:], p.evidence, strict=True
        ):
            words = evidence_public(evidence, names, x, y, me)
            for item in words:
                item.text = f"{names[x]} knows {names[y]}: {item.text}"
            hops.append(
                HopPublic(from_=by_id[x].handle, to=by_id[y].handle, strength=strength, evidence=words)
            )
        target = by_id[p.people[-1]]
        if len(p.people) == 1 and through is not None:
            how = f"ask {through.member} on your team, who knows {target.name}, to introduce you"
        elif len(p.people) == 1:
            how = f"write to {target.name} yourself"
        elif len(p.people) == 2:
            how = f"ask {first.name} to introduce you to {target.name}"
        else:
            how = f"ask {first.name} to introduce you to {names[p.people[1]]}, who knows {target.name}"
        advice = f"{how}; {rules.before_asking(first.name, standing[first.id], r.give_before_ask)}"
        if through is not None and len(p.people) > 1:
            advice = (
                f"{through.member} on your team knows {first.name}: ask {through.member} first, then {advice}"
            )
        weakest, total, _ = p.rank
        out.append(
            PathPublic(
                target=target.handle,
                strength=weakest,
                total=total,
                hops=hops,
                ask=first.handle,
                advice=advice,
            )
        )
    return out


def standings(db: Reader, r: Rules, ids: Collection[int]) -> dict[int, Standing]:
    from netlog.ledger.members import mine

    if not ids:
        return {}
    rows = mine(db).rows(
        f"SELECT c.id, {r.standing_sql()} FROM contact c JOIN contact_stats s ON s.contact_id = c.id "
        f"WHERE c.id IN ({id_list(ids)})",
        r.params(),
    )
    return {row.id: Standing.of_row(row) for row in rows}


def target_ids(
    db: Reader, *, org: str | None = None, tag: str | None = None, title: str | None = None
) -> list[int]:
    """Contacts (not archived) at an organisation, with a tag, or with a title: matched as
    look-up is, without case or accents; org and title as part of the text. (Folded in
    Python once per distinct organisation or title: a few dozen, not a call per row.)"""
    from netlog.ledger.names import fold, normalise_tag

    clauses, params = ["c.archived = 0"], dict[str, Any]()
    wanted = {column: fold(text) for column, text in (("org", org), ("title", title)) if text}
    for column in wanted:
        clauses.append(f"c.{column} IS NOT NULL")
    if tag:
        clauses.append(
            "EXISTS (SELECT 1 FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            "WHERE ct.contact_id = c.id AND t.name = :tag)"
        )
        params["tag"] = normalise_tag(tag)
    rows = db.rows(f"SELECT c.id, c.org, c.title FROM contact c WHERE {' AND '.join(clauses)}", params)
    folded: dict[str, str] = {}

    def matches(value: str, part: str) -> bool:
        if value not in folded:
            folded[value] = fold(value)
        return part in folded[value]

    return [row.id for row in rows if all(matches(getattr(row, col), part) for col, part in wanted.items())]


# --- the whole graph ---------------------------------------------------------------------


def graph(db: Reader, r: Rules) -> tuple[list[Any], list[Any]]:
    """Every contact (not archived) and every tie between two of them, for a graph file
    (formats/graph.py): colleagues only as a kind of a tie the ledger shows otherwise."""
    from netlog.formats.graph import Edge, Node

    everyone = sorted(_with_teams(ties(db, r)), key=lambda t: t.id)
    by_id = {t.id: t for t in everyone}
    nodes = [Node(t.handle, t.name, t.facts.circle, t.org, t.strength) for t in everyone]
    edges = sparse_edges(db, list(by_id))
    out = []
    for x in sorted(edges):
        for y in sorted(edges[x]):
            if y <= x or x not in by_id or y not in by_id:
                continue
            evidence = list(edges[x][y])
            if by_id[x].team is not None and by_id[x].team == by_id[y].team:
                evidence.append(Evidence("same org", rules.evidence_points("same org"), org=by_id[x].org))
            kinds = tuple(dict.fromkeys(e.kind for e in sorted(evidence, key=lambda e: -e.points)))
            met = max((e.count for e in evidence if e.kind == "met together"), default=0)
            out.append(Edge(by_id[x].handle, by_id[y].handle, kinds, met, tie_strength(evidence)))
    return nodes, out
