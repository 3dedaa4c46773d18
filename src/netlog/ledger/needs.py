"""Needs and offers: listing them, and matching them into suggestions (`netlog match`).

How a match scores and ranks is ledger/rules.py's (shared_word, strength_factor,
match_order); what a text's words are is ledger/words.py's. This module gathers the
open needs and offers in one query, indexes the offers by stem, and for each need
collects the offers that share a word with it that is not a generic one, in one pass:
with 3,000 needs and 8,000 offers that is a few hundred thousand dictionary steps, not
24 million comparisons. Only the matches shown are explained in words.
"""

from __future__ import annotations

import heapq
import shlex
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from netlog.ids import favor_ref, need_ref
from netlog.ledger import rules, words
from netlog.ledger.names import ME
from netlog.ledger.rows import as_date, chunks, id_list
from netlog.ledger.rules import Rules
from netlog.public import MatchPublic, NeedPublic, ReasonPublic
from netlog.storage.dialect import count_if
from netlog.storage.reader import Reader

YOU = 100  # your strength with yourself, in the strength factor

NEED_SQL = """
SELECT n.id, n.contact_id, c.handle, c.name, c.org, c.title, n.kind, n.text, n.created_on, n.until,
       n.status, n.met_on, n.met_by_me, m.handle AS met_by, n.dropped_on, n.favor_id
FROM need_offer n LEFT JOIN contact c ON c.id = n.contact_id LEFT JOIN contact m ON m.id = n.met_by_id"""


def _tags(db: Reader, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids):
        for row in db.rows(
            f"SELECT need_offer_id, tag FROM need_offer_tag WHERE need_offer_id IN ({id_list(chunk)}) "
            "ORDER BY need_offer_id, tag"
        ):
            found[row.need_offer_id].append(row.tag)
    return found


def _public(row: Any, tags: list[str], as_of: date) -> NeedPublic:
    until = as_date(row.until)
    return NeedPublic(
        id=row.id,
        contact=row.handle or ME,
        kind=row.kind,
        text=row.text,
        tags=tags,
        created_on=as_date(row.created_on),  # type: ignore[arg-type]
        until=until,
        status=rules.need_status(row.status, row.kind, until, as_of),
        met_on=as_date(row.met_on),
        met_by=ME if row.met_by_me else row.met_by,
        name=row.name,
        dropped_on=as_date(row.dropped_on),
        favor=row.favor_id,
    )


def needs_of_rows(db: Reader, rows: Sequence[Any], as_of: date) -> list[NeedPublic]:
    tags = _tags(db, [r.id for r in rows])
    return [_public(r, tags.get(r.id, []), as_of) for r in rows]


def list_needs(
    db: Reader,
    *,
    kind: str | None,
    as_of: date,
    contact_id: int | None = None,
    mine: bool = False,
    tag: str | None = None,
    open_only: bool = False,
) -> list[NeedPublic]:
    """Needs or offers (`kind`; both for None), oldest first: one contact's
    (`contact_id`) or your own (`mine`), with a tag, or only the open ones."""
    clauses, params = ["1 = 1"], dict[str, Any](as_of=as_of.isoformat())
    if kind is not None:
        clauses.append("n.kind = :kind")
        params["kind"] = kind
    if mine:
        clauses.append("n.contact_id IS NULL")
    elif contact_id is not None:
        clauses.append("n.contact_id = :c")
        params["c"] = contact_id
    if tag is not None:
        from netlog.ledger.names import normalise_tag

        clauses.append(
            "EXISTS (SELECT 1 FROM need_offer_tag t WHERE t.need_offer_id = n.id AND t.tag = :tag)"
        )
        params["tag"] = normalise_tag(tag)
    if open_only:
        clauses.append(rules.NEED_OPEN_SQL)
    rows = db.rows(f"{NEED_SQL} WHERE {' AND '.join(clauses)} ORDER BY n.id", params)
    return needs_of_rows(db, rows, as_of)


def same_open(db: Reader, item: Any, as_of: date) -> int | None:
    """The id of an open need or offer of the same person with the same text (any case),
    or None: noting it again is likely a slip."""
    row = db.first(
        f"SELECT n.id FROM need_offer n WHERE n.kind = :k AND {rules.NEED_OPEN_SQL} "
        "AND (n.contact_id = :c OR (n.contact_id IS NULL AND :c IS NULL)) AND lower(n.text) = lower(:t) "
        "ORDER BY n.id LIMIT 1",
        {"k": item.kind, "c": item.contact_id, "t": " ".join(item.text.split()), "as_of": as_of.isoformat()},
    )
    return row.id if row is not None else None


def need_by_id(db: Reader, item_id: int, as_of: date) -> NeedPublic | None:
    rows = db.rows(f"{NEED_SQL} WHERE n.id = :i", {"i": item_id})
    return needs_of_rows(db, rows, as_of)[0] if rows else None


def open_needs_of(db: Reader, contact_ids: Collection[int], as_of: date) -> dict[int, list[NeedPublic]]:
    """The open needs of each of these contacts, oldest first."""
    found: dict[int, list[NeedPublic]] = defaultdict(list)
    ids = list(contact_ids)
    for chunk in chunks(ids):
        rows = db.rows(
            f"{NEED_SQL} WHERE n.kind = 'need' AND {rules.NEED_OPEN_SQL} "
            f"AND n.contact_id IN ({id_list(chunk)}) ORDER BY n.id",
            {"as_of": as_of.isoformat()},
        )
        for record, row in zip(needs_of_rows(db, rows, as_of), rows, strict=True):
            found[row.contact_id].append(record)
    return found


# --- matching ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    row: Any
    words: dict[str, str]  # stem -> the word as written, of the text
    tags: dict[str, str]  # ...of the tags
    tag_list: list[str]
    # An offer's: where it has each stem (the first of tag, word, title, org).
    where: dict[str, str] = field(default_factory=dict)
    title: dict[str, str] = field(default_factory=dict)
    org: dict[str, str] = field(default_factory=dict)

    @property
    def owner(self) -> int | None:
        return self.row.contact_id


@dataclass(slots=True)
class Match:
    need: _Item
    offer: _Item
    points: int
    key: int  # rules.match_key

    @property
    def score(self) -> float:
        return rules.match_score(self.key)


@dataclass(slots=True)
class Pool:
    """The open needs and offers matched, and the strength of everyone who has one."""

    needs: list[_Item]
    offers: list[_Item]
    strength: dict[int | None, int]


def pool(db: Reader, r: Rules, *, needs_of: Collection[int] | None = None) -> Pool:
    """Open needs (of the contacts `needs_of` only, when given) and offers, read once."""
    needs, offers = open_items(db, r.as_of, needs_of=needs_of)
    if needs_of is not None:  # a few needs: only the offers that could match one of them
        generic = words.generic_stems()
        wanted = {s for n in needs for s in (*n.words, *n.tags) if s not in generic}
        offers = [o for o in offers if not wanted.isdisjoint(o.where)]
    owners = {n.owner for n in needs} | {o.owner for o in offers}
    return Pool(needs, offers, _strengths(db, r, {i for i in owners if i is not None}))


def open_items(
    db: Reader, as_of: date, *, needs_of: Collection[int] | None = None
) -> tuple[list[_Item], list[_Item]]:
    """Open needs (not past their day) and offers, of you and of contacts not archived."""
    where = f"{rules.NEED_OPEN_SQL} AND (n.contact_id IS NULL OR c.archived = 0)"
    if needs_of is not None:
        where += f" AND (n.kind = 'offer' OR n.contact_id IN ({id_list(needs_of)}))"
    params = {"as_of": as_of.isoformat()}
    rows = db.rows(f"{NEED_SQL} WHERE {where} ORDER BY n.id", params)
    tags: dict[int, list[str]] = defaultdict(list)
    for row in db.rows(
        "SELECT t.need_offer_id, t.tag FROM need_offer_tag t JOIN need_offer n ON n.id = t.need_offer_id "
        f"LEFT JOIN contact c ON c.id = n.contact_id WHERE {where} ORDER BY t.need_offer_id, t.tag",
        params,
    ):
        tags[row.need_offer_id].append(row.tag)
    described: dict[str | None, dict[str, str]] = {None: {}}

    def words_once(value: str | None) -> dict[str, str]:
        if value not in described:
            described[value] = words.words_of(value)
        return described[value]

    needs, offers = [], []
    for row in rows:
        tag_list = tags.get(row.id, [])
        item = _Item(row, words.words_of(row.text), words.words_of_all(tag_list), tag_list)
        if row.kind == "need":
            needs.append(item)
            continue
        item.org, item.title = words_once(row.org), words_once(row.title)
        for place, found in (("org", item.org), ("title", item.title), ("word", item.words)):
            item.where.update(dict.fromkeys(found, place))
        item.where.update(dict.fromkeys(item.tags, "tag"))
        offers.append(item)
    return needs, offers


_PLACES = ("tag", "word", "title", "org")


def _points(need: _Item, offer: _Item, stems: Collection[str]) -> int:
    return sum(rules.shared_word(s in need.tags, offer.where[s])[1] for s in stems)


class _Market:
    """The open offers indexed by stem and by where they have it, with each owner's
    strength: what matching a need looks up."""

    def __init__(self, offers: list[_Item], strength: dict[int | None, int]) -> None:
        # Numbered strongest owner first (then oldest): among offers with the same points,
        # the lower number is the better match.
        self.offers = sorted(offers, key=lambda o: (-strength.get(o.owner, 0), o.row.id))
        offers = self.offers
        self.owner = [o.owner for o in offers]
        self.strength = [strength.get(o.owner, 0) for o in offers]
        self.index: dict[tuple[str, str], list[int]] = defaultdict(list)
        for number, offer in enumerate(offers):
            for stem, place in offer.where.items():
                self.index[stem, place].append(number)
        self.sets: dict[tuple[str, str], set[int]] = {}
        self.generic = words.generic_stems()
        # Points of a stem both have, by whether the need has it as a tag and where the
        # offer has it (rules.shared_word).
        self.worth = {(tagged, place): rules.shared_word(tagged, place)[1] for tagged in (True, False)
                      for place in _PLACES}  # fmt: skip

    def most(self, need: _Item) -> int:
        """The most points any offer could have with this need (0: no offer shares a
        word with it that is not generic)."""
        stems = need.words.keys() | need.tags.keys()
        if not any(s not in self.generic and any((s, p) in self.index for p in _PLACES) for s in stems):
            return 0
        return sum(
            max((self.worth[s in need.tags, p] for p in _PLACES if (s, p) in self.index), default=0)
            for s in stems
        )

    def points(self, need: _Item) -> Counter[int]:
        """Each offer's points with this need, for the offers sharing a word with it that
        is not generic: counted in C (Counter.update), a few hundred offers per need."""
        found: Counter[int] = Counter()
        stems = need.words.keys() | need.tags.keys()
        generic = [s for s in stems if s in self.generic]
        for stem in stems:
            if stem in self.generic:
                continue
            tagged = stem in need.tags
            for place in _PLACES:
                numbers = self.index.get((stem, place))
                if numbers:
                    for _ in range(self.worth[tagged, place]):
                        found.update(numbers)
        for stem in generic:  # only beside a word that is not generic
            tagged = stem in need.tags
            for place in _PLACES:
                if (stem, place) not in self.index:
                    continue
                if (stem, place) not in self.sets:
                    self.sets[stem, place] = set(self.index[stem, place])
                for number in self.sets[stem, place].intersection(found):
                    found[number] += self.worth[tagged, place]
        return found

    def best(
        self, need: _Item, need_strength: int, *, per_need: int | None, about: Any, at_least: int = 0
    ) -> list[Match]:
        """The best offer of each person for this need, the best `per_need` of them, none
        scoring below `at_least` (a key). Offers are taken by points, most first, and in
        the order of their owner's strength; the search stops at the first that scores
        below the ones kept: none after it could do better."""
        groups: dict[int, list[int]] = defaultdict(list)
        for number, points in self.points(need).items():
            groups[points].append(number)
        best: dict[int | None, tuple[int, int, int, int]] = {}  # owner -> (key, -id, points, number)
        floor = at_least
        owners, strengths, offers = self.owner, self.strength, self.offers
        for points in sorted(groups, reverse=True):
            if rules.match_key(points, need_strength, YOU) < floor:
                break
            for number in sorted(groups[points]):
                whose = owners[number]
                if (
                    whose in best
                    or whose == need.owner
                    or (about is not _ANYONE and about not in (need.owner, whose))
                ):
                    continue  # a person's first offer met is their best: more points, or as many and older
                key = rules.match_key(points, need_strength, strengths[number])
                if key < floor:
                    break
                best[whose] = (key, -offers[number].row.id, points, number)
                if per_need is not None and len(best) >= per_need:
                    floor = max(floor, sorted(best.values(), reverse=True)[per_need - 1][0])
        kept = sorted(best.values(), reverse=True)[:per_need]
        return [Match(need, offers[number], points, key) for key, _, points, number in kept]


_ANYONE = object()


def find_matches(
    db: Reader,
    r: Rules,
    *,
    about: int | None = None,
    mine: bool = False,
    need_id: int | None = None,
    needs_of: Collection[int] | None = None,
    per_need: int | None = rules.MATCHES_PER_NEED,
    yours_only: bool = False,
    limit: int | None = None,
    among: Pool | None = None,
) -> list[Match]:
    """Matches of open needs with open offers of someone else, best first (see
    rules.match_order): for each need, the best offer of each person, at most
    `per_need` of them; the first `limit` of all. Only those of need `need_id`, of the
    needs of contacts `needs_of`, with contact `about` (or, `mine`, you) on either side,
    or (`yours_only`) with your own offers. `among`: the pool, when the caller has read
    it.

    With a limit, needs wanted soon are matched first (they rank first), then the
    others by the best score they could reach; once the list is full, a need that could
    not reach its last score is not looked at, nor any after it."""
    among = among or pool(db, r)
    needs, offers, strength = among.needs, among.offers, among.strength
    if need_id is not None:
        needs = [n for n in needs if n.row.id == need_id]
    if needs_of is not None:
        wanted = set(needs_of)
        needs = [n for n in needs if n.owner in wanted]
    if yours_only:
        offers = [o for o in offers if o.owner is None]
    if not needs or not offers:
        return []
    market = _Market(offers, strength)
    side: Any = _ANYONE if about is None and not mine else (None if mine else about)

    def until(need: _Item) -> date | None:
        return as_date(need.row.until)

    soon = sorted(
        (n for n in needs if rules.need_is_soon(until(n), r.as_of)), key=lambda n: (until(n), n.row.id)
    )
    later = [n for n in needs if not rules.need_is_soon(until(n), r.as_of)]
    reach = {id(n): rules.match_key(market.most(n), strength.get(n.owner, 0), YOU) for n in later}
    later.sort(key=lambda n: (-reach[id(n)], n.row.id))
    found: list[Match] = []
    for need in soon:
        if limit is not None and len(found) >= limit:
            return found[:limit]  # the soon ones fill the list: nothing after them can rank
        found += market.best(need, strength.get(need.owner, 0), per_need=per_need, about=side)
    room = None if limit is None else limit - len(found)
    kept: list[int] = []  # the keys of the best `room` matches of the later needs (a min-heap)
    for need in later:
        floor = kept[0] if room is not None and len(kept) >= room else 0
        if reach[id(need)] == 0 or reach[id(need)] < floor:
            break  # the needs are in the order of their reach: none after can do better
        for m in market.best(
            need, strength.get(need.owner, 0), per_need=per_need, about=side, at_least=floor
        ):
            found.append(m)
            if room is not None:
                heapq.heappush(kept, m.key)
                if len(kept) > room:
                    heapq.heappop(kept)
    found.sort(
        key=lambda m: rules.match_order(
            until=until(m.need), key=m.key, need_id=m.need.row.id, offer_id=m.offer.row.id, as_of=r.as_of,
        )
    )  # fmt: skip
    return found if limit is None else found[:limit]


def _strengths(db: Reader, r: Rules, ids: set[int]) -> dict[int | None, int]:
    from netlog.ledger.network import ties

    found: dict[int | None, int] = {None: YOU}
    if len(ids) > 2000:  # most of the ledger: one pass over everyone is cheaper
        found.update((t.id, t.strength) for t in ties(db, r) if t.id in ids)
        return found
    for chunk in chunks(sorted(ids)):
        found.update((t.id, t.strength) for t in ties(db, r, ids=chunk))
    return found


# --- in words ------------------------------------------------------------------------------


def _term(need_word: str, offer_word: str) -> str:
    """A word in common, shown as the shorter of the two ways it was written when one
    begins the other ("design" for designer and design), else both ("vc ~ investors")."""
    short, long = sorted((need_word, offer_word), key=len)
    return short if long.startswith(short) else f"{need_word} ~ {offer_word}"


def _reasons(m: Match, strength: dict[int | None, int], as_of: date) -> list[ReasonPublic]:
    need, offer = m.need, m.offer
    shared = [s for s in {**need.words, **need.tags} if s in offer.where]
    by_kind: dict[str, list[str]] = defaultdict(list)
    for stem in shared:
        kind, _ = rules.shared_word(stem in need.tags, offer.where[stem])
        by_kind[kind].append(stem)
    seen = {**offer.org, **offer.title, **offer.words, **offer.tags}

    def written(stem: str, kind: str) -> str:
        if kind == "tags":
            return _term(need.tags[stem], offer.tags[stem])
        return _term(need.words.get(stem) or need.tags[stem], seen[stem])

    reasons = []
    labels = {
        "words": "words in common",
        "tags": "tags",
        "title": f"title {offer.row.title!r}" if offer.row.title else "title",
        "org": f"works at {offer.row.org}" if offer.row.org else "org",
    }
    for kind in ("words", "tags", "title", "org"):
        if by_kind.get(kind):
            shown = [written(stem, kind) for stem in by_kind[kind]]
            value = float(_points(need, offer, by_kind[kind]))
            reasons.append(ReasonPublic(kind, shown, value, f"{labels[kind]}: {', '.join(shown)}"))
    a, b = strength.get(need.owner, 0), strength.get(offer.owner, 0)
    factor = rules.strength_factor(a, b)
    known = [f"{item.row.name} ({n})" for item, n in ((need, a), (offer, b)) if item.owner is not None]
    reasons.append(ReasonPublic("strength", [], factor, f"you know {' and '.join(known)}: x {factor:.2f}"))
    until = as_date(need.row.until)
    if until is not None:
        soon = rules.need_is_soon(until, as_of)
        reasons.append(
            ReasonPublic(
                "until",
                [],
                (until - as_of).days,
                f"needed by {until.isoformat()}" + (" (soon: ranked first)" if soon else ""),
            )
        )
    return reasons


def _handle(item: _Item) -> str:
    return item.row.handle or ME


def _acquainted(db: Reader, found: Sequence[Match]) -> dict[tuple[int, int], str]:
    """For the pairs a match would introduce, those who know each other already, with
    the strongest evidence in words (ledger/network.py: introduced, via, met together,
    stated, same organisation)."""
    from netlog.ledger.network import evidence_public, org_key, sparse_edges

    pairs = {(m.need.owner, m.offer.owner) for m in found if m.need.owner and m.offer.owner}
    if not pairs:
        return {}
    a_ids, b_ids = {a for a, _ in pairs}, {b for _, b in pairs}
    edges = sparse_edges(db, a_ids, among=b_ids)
    names = {
        row.id: row.name
        for row in db.rows(f"SELECT id, name FROM contact WHERE id IN ({id_list(a_ids | b_ids)})")
    }
    orgs = {m.need.owner: m.need.row.org for m in found} | {m.offer.owner: m.offer.row.org for m in found}
    known = {}
    for a, b in pairs:
        evidence = edges.get(a, {}).get(b, [])
        if evidence:
            known[a, b] = evidence_public(evidence, names, a, b)[0].text
        elif org_key(orgs.get(a)) is not None and org_key(orgs.get(a)) == org_key(orgs.get(b)):
            known[a, b] = f"both at {orgs[a]}"
    return known


def favor_for_need(db: Reader, need: Any, person: int, direction: str, on: date) -> Any:
    """A favor already recorded that stands for this need (`need` has its text and the
    day it was noted), or None: with `person`, `direction` ("given" by you, "received"
    from them), from the day the need was noted to `on`, not declined, not standing for
    another need, described as the need (or, given, as one of your offers); a promise or
    an ask, or done."""
    texts = {need.text.casefold()}
    if direction == "given":
        texts |= {
            r.text.casefold()
            for r in db.rows("SELECT text FROM need_offer WHERE kind = 'offer' AND contact_id IS NULL")
        }
    rows = db.rows(
        "SELECT f.id, f.description, f.status, f.date FROM favor f "
        "WHERE f.contact_id = :c AND f.direction = :d AND f.date >= :noted AND f.date <= :on "
        "AND f.status != 'declined' "
        "AND NOT EXISTS (SELECT 1 FROM need_offer n WHERE n.favor_id = f.id) ORDER BY f.date, f.id",
        {"c": person, "d": direction, "noted": str(need.created_on), "on": on.isoformat()},
    )
    wanted = "promised" if direction == "given" else "asked"
    usable = [r for r in rows if r.description.casefold() in texts and r.status in (wanted, "done")]
    return usable[0] if usable else None


def _introduced_on(db: Reader, found: Sequence[Match]) -> dict[tuple[int, int], date]:
    """The latest day you introduced each pair a match would introduce, either way round."""
    people = {m.need.owner for m in found if m.need.owner} | {m.offer.owner for m in found if m.offer.owner}
    if not people:
        return {}
    days: dict[tuple[int, int], date] = {}
    listed = id_list(people)
    for row in db.rows(
        "SELECT a_id, b_id, max(date) AS day FROM introduction "
        f"WHERE a_id IN ({listed}) AND b_id IN ({listed}) GROUP BY a_id, b_id"
    ):
        day = as_date(row.day)
        assert day is not None
        for pair in ((row.a_id, row.b_id), (row.b_id, row.a_id)):
            days[pair] = max(days.get(pair, day), day)
    return days


def _tell_note(need: _Item, offer: _Item) -> str:
    return f"told about {offer.row.name}: {offer.row.text} ({need_ref(need.row.id, 'need')})"


def _told_on(db: Reader, found: Sequence[Match]) -> dict[tuple[int, str], date]:
    """The latest day of a touch with the one in need carrying a tell's note (the
    command `match` suggests for `tell`), by (contact, note)."""
    notes = {(m.need.owner, _tell_note(m.need, m.offer)) for m in found if m.need.owner and m.offer.owner}
    if not notes:
        return {}
    people = id_list({who for who, _ in notes})
    told: dict[tuple[int, str], date] = {}
    for row in db.rows(
        "SELECT ic.contact_id, i.note, max(i.date) AS day FROM interaction i "
        "JOIN interaction_contact ic ON ic.interaction_id = i.id "
        f"WHERE ic.contact_id IN ({people}) AND i.note IS NOT NULL GROUP BY ic.contact_id, i.note"
    ):
        day = as_date(row.day)
        if (row.contact_id, row.note) in notes and day is not None:
            told[row.contact_id, row.note] = day
    return told


def _next_step(
    db: Reader,
    r: Rules,
    m: Match,
    *,
    standing: Any,
    known: str | None,
    introduced: date | None,
    told: date | None,
) -> tuple[str, str, str]:
    """(action, advice, command) for a match: what to do next, given what is recorded."""
    need, offer = m.need, m.offer
    ref = need_ref(need.row.id, "need")
    noted = as_date(need.row.created_on) or date.min
    met = f"netlog need --met {ref} --by {_handle(offer) if offer.owner is not None else ME}"
    if offer.owner is None:  # your offer: give it
        given = favor_for_need(db, need.row, need.owner, "given", r.as_of)  # type: ignore[arg-type]
        if given is None:
            return "give", "give it, and note it met", met
        if given.status == "promised":
            return (
                "follow up",
                f"you promised it ({favor_ref(given.id)}, {given.date}): keep it, and note it met",
                met,
            )
        return "note met", f"you gave it ({favor_ref(given.id)}, {given.date}): note it met", met
    if need.owner is None:  # your need: ask them
        asked = favor_for_need(db, need.row, offer.owner, "received", r.as_of)
        if asked is not None and asked.status == "done":
            return (
                "note met",
                f"{offer.row.name} did it ({favor_ref(asked.id)}, {asked.date}): note it met",
                met,
            )
        if asked is not None:
            advice = f"you asked {offer.row.name} for it ({favor_ref(asked.id)}, {asked.date}): follow up"
            advice += ", then note it met"
            return "follow up", advice, met
        advice = (
            rules.before_asking(offer.row.name, standing, r.give_before_ask)
            if standing is not None
            else f"you can ask {offer.row.name}"
        )
        return "ask", advice, f"netlog ask {_handle(offer)} {shlex.quote(need.row.text)}"
    if introduced is not None and introduced >= noted:
        advice = (
            f"you introduced them on {introduced.isoformat()}: once {offer.row.name} helped {need.row.name}"
        )
        return "follow up", advice, met
    if told is not None:
        return (
            "follow up",
            f"you told {need.row.name} on {told.isoformat()}: once {offer.row.name} helped",
            met,
        )
    if known is not None:
        note = _tell_note(need, offer)
        return (
            "tell",
            f"they know each other ({known}): tell {need.row.name}",
            f"netlog meet {_handle(need)} --kind message --note {shlex.quote(note)}",
        )
    return "introduce", "introduce them", f"netlog intro {_handle(need)} {_handle(offer)}"


def explain(db: Reader, r: Rules, found: Sequence[Match]) -> list[MatchPublic]:
    """The matches as records, each with its reasons and a suggestion in words: what to
    do next, and the netlog command that does it.

    - A contact's need, your offer: give it (`need --met ID --by me` records the favor);
      a favor you recorded for it already (or promised) is noted met (or kept).
    - Your need, a contact's offer: ask them, with the give-before-ask advice; once
      asked, follow up; once they did it, note it met.
    - A contact's need, another's offer: introduce them; when they know each other
      already, tell the one in need about the other's offer instead; once introduced
      (since the need was noted) or told, note it met when the other helped."""
    from netlog.ledger.network import standings

    if not found:
        return []
    owners = {m.need.owner for m in found} | {m.offer.owner for m in found}
    strength = _strengths(db, r, {i for i in owners if i is not None})
    asked = standings(db, r, {m.offer.owner for m in found if m.need.owner is None and m.offer.owner})
    known = _acquainted(db, found)
    introduced = _introduced_on(db, found)
    told = _told_on(db, found)
    ids = sorted({m.need.row.id for m in found} | {m.offer.row.id for m in found})
    tags = _tags(db, ids)
    out = []
    for m in found:
        need, offer = m.need, m.offer
        reasons = _reasons(m, strength, r.as_of)
        why = "; ".join(x.text for x in reasons if x.kind in ("words", "tags", "title", "org"))
        if offer.owner is None:
            said = f"{need.row.name} needs '{need.row.text}'; you offer '{offer.row.text}'"
        elif need.owner is None:
            said = f"You need '{need.row.text}'; {offer.row.name} offers '{offer.row.text}'"
        else:
            said = f"{need.row.name} needs '{need.row.text}'; {offer.row.name} offers '{offer.row.text}'"
        pair: Any = (need.owner, offer.owner)
        action, advice, command = _next_step(
            db,
            r,
            m,
            standing=asked.get(offer.owner) if offer.owner is not None else None,
            known=known.get(pair),
            introduced=introduced.get(pair),
            told=told.get((need.owner, _tell_note(need, offer))) if need.owner is not None else None,
        )
        then = ". To ask" if action == "ask" else ""
        text = f"{said} ({why}). {advice[0].upper()}{advice[1:]}{then}: {command}"
        out.append(
            MatchPublic(
                need=_public(need.row, tags.get(need.row.id, []), r.as_of),
                offer=_public(offer.row, tags.get(offer.row.id, []), r.as_of),
                score=m.score,
                reasons=reasons,
                suggestion=text,
                action=action,
                command=command,
                advice=advice,
            )
        )
    return out


def needs_before_asking(db: Reader, r: Rules, contact_id: int, name: str, balance: int) -> str | None:
    """What `ask` says of a contact's open needs before you ask them: one you could fill
    from your own offers first, else their oldest; None when they have none."""
    listed = open_needs_of(db, [contact_id], r.as_of).get(contact_id, [])
    if not listed:
        return None
    more = f" (and {len(listed) - 1} more)" if len(listed) > 1 else ""
    found = find_matches(db, r, needs_of=[contact_id], per_need=None)
    mine = [m for m in found if m.offer.owner is None]
    if mine:
        m = mine[0]
        return (
            f"{name} needs '{m.need.row.text}' ({need_ref(m.need.row.id, 'need')}){more}; you offer "
            f"'{m.offer.row.text}': give it first (balance {balance:+d})."
        )
    if found:  # someone else offers it: an introduction is yours to give
        m = found[0]
        return (
            f"{name} needs '{m.need.row.text}' ({need_ref(m.need.row.id, 'need')}){more}; "
            f"{m.offer.row.name} offers '{m.offer.row.text}': help with it first (balance {balance:+d})."
        )
    first = listed[0]
    return (
        f"{name} needs '{first.text}' ({need_ref(first.id, 'need')}){more}: help with it first "
        f"(balance {balance:+d})."
    )


@dataclass(frozen=True)
class NeedCounts:
    noted: int  # needs noted in the days asked about
    met: int  # needs met in them
    met_by_you: int
    met_through_introductions: int  # met by someone you had introduced to them
    offers: int  # offers noted


def need_counts(db: Reader, *, since: date, until: date, where: str, params: Any, mine: bool) -> NeedCounts:
    """Needs noted and met in [since, until], of contacts `c` passing `where` (and your
    own, with `mine`)."""
    yours = "n.contact_id IS NULL OR " if mine else ""
    owner = f"({yours}(c.id IS NOT NULL AND {where}))"  # c: the contact whose it is, joined
    bounds = {"lo": since.isoformat(), "hi": until.isoformat(), **(params or {})}
    met = "(n.status = 'met' AND n.met_on >= :lo AND n.met_on <= :hi)"
    noted = "n.created_on >= :lo AND n.created_on <= :hi"
    if db.viewer is not None:  # one member's stats: the needs and offers they noted
        owner += " AND n.member = :netlog_member"
    counts = {
        "noted": f"n.kind = 'need' AND {noted}",
        "offers": f"n.kind = 'offer' AND {noted}",
        "met": met,
        "by_you": f"{met} AND n.met_by_me = 1",
        "through": f"{met} AND {rules.MET_THROUGH_INTRO_SQL}",
    }
    row = db.one(
        f"SELECT {', '.join(f'coalesce({count_if(c)}, 0) AS {k}' for k, c in counts.items())} "
        f"FROM need_offer n LEFT JOIN contact c ON c.id = n.contact_id WHERE {owner}",
        bounds,
    )
    return NeedCounts(row.noted, row.met, row.by_you, row.through, row.offers)
