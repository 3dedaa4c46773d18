"""Build a realistic ledger for benchmarks and for trying reports on real-looking data.

    python -m bench.generate --contacts 2000 --interactions 20000 --favors 5000 \
        --seed 1 --db /tmp/ledger.db

Written through netlog's own storage layer (migrations, models, triggers), with
bulk inserts. Activity is skewed as in real life: a few people get most of the
touches (a Zipf-like weight by rank). Dates spread over five years before
NETLOG_TODAY (or today). All circles and sources, tags, introductions (via),
promises, asks, birthdays, a few archived contacts, and needs and offers.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path

FIRST = (  # noqa: SIM905
    "Ada Ben Cleo Dev Elena Farid Grace Hiro Ines Jonas Kemi Liam Maya Noor Omar Priya "
    "Quinn Rosa Sami Tariq Uma Vera Wei Xavier Yara Zoe Aiko Bruno Chidi Dana Emeka "
    "Fatima Goran Hana Ivan Jana Kofi Lena Mateo Nadia Olu Paulo Rina Sven Tomás Ulla "
    "Viktor Wren Yusuf "
).split()
LAST = (  # noqa: SIM905
    "Smith Garcia Müller Rossi Nakamura Okafor Kowalski Haddad Silva Novak Jensen Kim "
    "Patel Nguyen Cohen Dubois Ivanova Mensah O'Brien Lindqvist Costa Tanaka Abebe "
    "Fischer Moreau Horvat Ahmed Walsh Bauer Santos "
).split()
CITIES = ["London", "Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast"]
NON_LATIN = ["최유림", "安藤ロイド", "李小龍", "Алексей Смирнов", "Ελένη Παπαδοπούλου", "محمد علي"]
ORGS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Labs",
    "Wayne Foundation",
    "Pied Piper",
    "Vandelay",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    None,
    None,
    None,
]
TITLES = [
    "CTO",
    "Founder",
    "Engineer",
    "Designer",
    "Partner",
    "PM",
    "Recruiter",
    "Professor",
    "Doctor",
    "Lawyer",
    None,
    None,
]
TAGS = [
    "climate",
    "investor",
    "hiring",
    "python",
    "design",
    "alumni",
    "board",
    "mentor",
    "neighbour",
    "conference",
    "health",
    "music",
    "chess",
    "running",
    "book-club",
]
CIRCLES = ["inner"] * 3 + ["close"] * 10 + ["active"] * 40 + ["acquaintance"] * 47
SOURCES = [
    "personal",
    "work",
    "work",
    "work",
    "education",
    "group",
    "service",
    "chance",
    "online",
    "online",
    None,
]
KINDS = ["meeting"] * 3 + ["call"] * 2 + ["message"] * 3 + ["email"] * 2 + ["meal", "event", "other"]
GIFTS = [
    "intro to a designer",
    "reviewed a deck",
    "shared a job lead",
    "coffee and advice",
    "recommended a book",
    "wrote a reference",
    "lent a book",
    "helped move",
]
YEARS = 5


# Needs and offers, from templates over a vocabulary of the kind people write: roles,
# topics, places and documents. Three needs and eight offers per ten contacts.
ROLES = [
    "designer",
    "developer",
    "lawyer",
    "accountant",
    "recruiter",
    "copywriter",
    "photographer",
    "data scientist",
    "product manager",
    "mentor",
    "co-founder",
    "translator",
    "marketer",
    "engineer",
    "sales lead",
    "researcher",
    "illustrator",
    "coach",
    "editor",
    "architect",
]
TOPICS = [
    "fundraising",
    "visas",
    "pricing",
    "hiring",
    "marketing",
    "contracts",
    "taxes",
    "branding",
    "sales",
    "climate policy",
    "supply chains",
    "machine learning",
    "public speaking",
    "negotiation",
    "grant writing",
    "open source",
    "security",
    "logistics",
    "retail",
    "healthcare",
    "education",
    "energy",
    "payments",
    "insurance",
    "real estate",
]
PLACES = [
    "Lisbon",
    "Berlin",
    "São Paulo",
    "Nairobi",
    "Toronto",
    "Singapore",
    "Madrid",
    "Seoul",
    "Mexico City",
    "Amsterdam",
    "Lagos",
    "Bangalore",
    *CITIES,
]
DOCUMENTS = ["pitch deck", "CV", "business plan", "website", "grant application", "book proposal"]
INVESTORS = ["seed investors", "angel investors", "a climate VC", "impact funds", "family offices"]
NEED_TEMPLATES = [
    "a {role} for her startup",
    "intro to {investor}",
    "a flat in {place}",
    "advice on {topic}",
    "feedback on my {document}",
    "someone who knows {place}",
    "a {role} in {place}",
    "help with {topic}",
    "a {role} who knows {topic}",
]
OFFER_TEMPLATES = ["{topic} advice", "knows {investor}", "{role} work", "can introduce {role}s",
                   "rentals in {place}", "reviews {document}s", "{role} friends in {place}",
                   "workshops on {topic}", "years in {topic}", "a spare desk in {place}"]  # fmt: skip


def _wish(rng: random.Random, template: str) -> tuple[str, str]:
    """A need's or offer's text, and the tag a person would give it: what it is about."""
    slots = {"role": rng.choice(ROLES), "topic": rng.choice(TOPICS), "place": rng.choice(PLACES),
             "document": rng.choice(DOCUMENTS), "investor": rng.choice(INVESTORS)}  # fmt: skip
    used = next(slot for slot in slots if "{" + slot + "}" in template)
    tag = {"role": "hiring", "investor": "investors", "document": "feedback", "place": "travel"}.get(
        used, slots["topic"]
    )
    return template.format(**slots), tag


def _today() -> date:
    from netlog import dates

    return dates.today()


def generate(*, db: Path, contacts: int, interactions: int, favors: int, seed: int) -> dict[str, int]:
    from sqlmodel import text

    from netlog.db import open_session
    from netlog.ledger import write
    from netlog.ledger.contacts import Found
    from netlog.ledger.names import fold, next_free_handle, slug
    from netlog.location import locate
    from netlog.storage.reader import reader_of

    rng = random.Random(seed)
    today = _today()
    start = today - timedelta(days=365 * YEARS)
    created = datetime.now(timezone.utc)
    stamp = created.replace(tzinfo=None).isoformat(sep=" ")

    def day_between(lo: date, hi: date) -> date:
        return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))

    taken: set[str] = set()
    contact_rows = []
    met: list[date] = []
    for n in range(1, contacts + 1):
        name = rng.choice(NON_LATIN) if rng.random() < 0.03 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        handle = next_free_handle(slug(name), taken)
        taken.add(handle)
        met_on = day_between(start, today)
        met.append(met_on)
        birthday = (rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28))
        has_birthday = rng.random() < 0.4
        contact_rows.append(
            {
                "id": n,
                "handle": handle,
                "name": name,
                "name_key": fold(name),
                "org": rng.choice(ORGS),
                "title": rng.choice(TITLES),
                "circle": rng.choice(CIRCLES),
                "source": rng.choice(SOURCES),
                "met_on": met_on.isoformat(),
                "via_id": rng.randint(1, n - 1) if n > 1 and rng.random() < 0.2 else None,
                "cadence_days": rng.choice([7, 21, 60, 365]) if rng.random() < 0.05 else None,
                "birthday_year": birthday[0] if has_birthday and rng.random() < 0.5 else None,
                "birthday_month": birthday[1] if has_birthday else None,
                "birthday_day": birthday[2] if has_birthday else None,
                "archived": rng.random() < 0.03,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )

    # Skewed activity: the contact of rank r gets weight 1 / r^1.1.
    order = list(range(1, contacts + 1))
    rng.shuffle(order)
    cumulative = list(accumulate(1 / (rank**1.1) for rank in range(1, contacts + 1)))

    def someone() -> int:
        return rng.choices(order, cum_weights=cumulative)[0]

    interaction_rows, link_rows = [], []
    for n in range(1, interactions + 1):
        people = {someone() for _ in range(1 if rng.random() < 0.85 else rng.randint(2, 3))}
        earliest = max(met[p - 1] for p in people)
        interaction_rows.append(
            {
                "id": n,
                "date": day_between(earliest, today).isoformat(),
                "kind": rng.choice(KINDS),
                "note": rng.choice([None, None, "catch-up", "talked hiring", "lunch"]),
                "created_at": stamp,
            }
        )
        link_rows.extend({"interaction_id": n, "contact_id": p} for p in people)

    favor_rows = []
    for n in range(1, favors + 1):
        who = someone()
        on = day_between(met[who - 1], today)
        given = rng.random() < 0.65
        # Open promises and asks are recent: older ones were settled long ago.
        recent = (today - on).days < 60
        if given:
            status = rng.choices(["done", "promised", "declined"], [88, 10 if recent else 0, 2])[0]
        else:
            status = rng.choices(["done", "asked", "declined"], [60, 25 if recent else 0, 15])[0]
        due = (
            on + timedelta(days=rng.randint(3, 30))
            if status == "promised" or (given and status == "done" and rng.random() < 0.2)
            else None
        )
        favor_rows.append(
            {
                "id": n,
                "contact_id": who,
                "direction": "given" if given else "received",
                "description": rng.choice(GIFTS),
                "weight": rng.choices([1, 2, 3, 4, 5], [50, 25, 13, 8, 4])[0],
                "date": on.isoformat(),
                "status": status,
                "due": due.isoformat() if due else None,
                "resolved_on": (
                    min(today, on + timedelta(days=rng.randint(0, 20))).isoformat()
                    if status in ("done", "declined")
                    else None
                ),
                "created_at": stamp,
            }
        )

    contact_tag_rows = [
        {"contact_id": c, "tag_id": t}
        for c in range(1, contacts + 1)
        for t in rng.sample(range(1, len(TAGS) + 1), rng.choice([0, 0, 1, 1, 2, 3]))
    ]
    email_rows = [
        {"contact_id": c, "address": f"person{c}@example.com"}
        for c in range(1, contacts + 1)
        if rng.random() < 0.5
    ]

    tags_of: dict[int, list[str]] = {}
    for row in contact_tag_rows:
        tags_of.setdefault(row["contact_id"], []).append(TAGS[row["tag_id"] - 1])
    emails_of = {row["contact_id"]: [row["address"]] for row in email_rows}
    # The card's labelled entries, from a generator of their own (the rest of the ledger
    # is the same as before they were added): phones on most, an address on a third.
    from netlog.public import AddressPublic, PhonePublic

    cards = random.Random(seed + 1)
    phones_of = {
        c: [
            PhonePublic(f"+44 20 7946 {c % 10000:04d}", "mobile"),
            PhonePublic(f"+44 20 7000 {c % 10000:04d}", "work"),
        ][: cards.choice([0, 1, 1, 2, 2])]
        for c in range(1, contacts + 1)
    }
    addresses_of = {
        c: [AddressPublic("home", street=f"{c} Main St", locality=cards.choice(CITIES), country="UK")]
        for c in range(1, contacts + 1)
        if cards.random() < 0.33
    }

    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    # Through the one write path, as `add`, `meet` and `give` write (and `import` in bulk).
    db.parent.mkdir(parents=True, exist_ok=True)
    with open_session(locate(str(db)), write=True, create=True) as session:
        if session.exec(text("SELECT count(*) FROM contact")).scalar_one():
            raise SystemExit(f"{db} already has contacts: generate into a new file.")
        ids = write.Allocator(reader_of(session), handles=())
        write.add_contacts(
            session,
            [
                write.NewContact(
                    id=row["id"],
                    handle=row["handle"],
                    name=row["name"],
                    org=row["org"],
                    title=row["title"],
                    circle=row["circle"],
                    source=row["source"],
                    met_on=day(row["met_on"]),
                    via_id=row["via_id"],
                    cadence_days=row["cadence_days"],
                    birthday=(row["birthday_year"], row["birthday_month"], row["birthday_day"])
                    if row["birthday_month"]
                    else None,
                    archived=row["archived"],
                    tags=tags_of.get(row["id"], []),
                    emails=emails_of.get(row["id"], []),
                    phone_numbers=phones_of.get(row["id"], []),
                    addresses=addresses_of.get(row["id"], []),
                    created_at=created,
                )
                for row in contact_rows
            ],
            allocator=ids,
        )
        people: dict[int, list[int]] = {}
        for link in link_rows:
            people.setdefault(link["interaction_id"], []).append(link["contact_id"])
        write.record_touches(
            session,
            [
                write.NewTouch(day(r["date"]), people[r["id"]], r["kind"], r["note"], r["id"])
                for r in interaction_rows
            ],
            allocator=ids,
        )
        write.record_favors(
            session,
            [
                write.NewFavor(
                    r["contact_id"],
                    r["direction"],
                    r["description"],
                    day(r["date"]),
                    r["weight"],
                    r["status"],
                    day(r["due"]),
                    day(r["resolved_on"]),
                    r["id"],
                )
                for r in favor_rows
            ],
            allocator=ids,
        )
        # Introductions you made and ties you stated, from a generator of their own: one
        # of each per twenty contacts, among those met by then.
        network = random.Random(seed + 2)
        found = {row["id"]: Found(row["id"], row["handle"], row["name"], False) for row in contact_rows}
        for _ in range(contacts // 20):
            a, b = network.sample(range(1, contacts + 1), 2)
            on = max(day(contact_rows[a - 1]["met_on"]), day(contact_rows[b - 1]["met_on"]))  # type: ignore[type-var]
            write.record_introduction(session, found[a], found[b], on=on)
        for _ in range(contacts // 20):
            a, b = network.sample(range(1, contacts + 1), 2)
            write.record_knows(session, found[a], found[b], on=today)
        # Needs and offers, from a generator of their own: one in twenty yours, a third
        # tagged, one need in six wanted by a day in the next two months.
        wishes = random.Random(seed + 3)

        def owner() -> int | None:
            return None if wishes.random() < 0.05 else wishes.randint(1, contacts)

        items = []
        for kind, count, templates in (
            ("need", contacts * 3 // 10, NEED_TEMPLATES),
            ("offer", contacts * 8 // 10, OFFER_TEMPLATES),
        ):
            for _ in range(count):
                text, tag = _wish(wishes, wishes.choice(templates))
                soon = kind == "need" and wishes.random() < 0.17
                items.append(
                    write.NewNeed(
                        owner(), kind, text, today, [tag] if wishes.random() < 0.33 else [],
                        until=today + timedelta(days=wishes.randint(1, 60)) if soon else None,
                    )
                )  # fmt: skip
        write.insert_needs(session, items, allocator=ids)
    return {
        "contacts": contacts,
        "interactions": interactions,
        "links": len(link_rows),
        "favors": favors,
        "needs": contacts * 3 // 10,
        "offers": contacts * 8 // 10,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--interactions", type=int, default=20000)
    parser.add_argument("--favors", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    counts = generate(
        db=args.db,
        contacts=args.contacts,
        interactions=args.interactions,
        favors=args.favors,
        seed=args.seed,
    )
    print(", ".join(f"{v} {k}" for k, v in counts.items()) + f" -> {args.db}", file=sys.stderr)


if __name__ == "__main__":
    main()
