"""Every field of a contact card survives each format that carries it.

netlog -> format -> a fresh ledger -> JSON gives the same contact card, for vCard 3.0
and 4.0, a vdir, netlog's CSV and Google's CSV, over generated contacts: names in many
scripts, family names of several words, several labelled phones and emails (one
preferred), addresses with commas, semicolons and line breaks, year-less birthdays and
anniversaries, notes of several lines.

Google's CSV has no UID column, so a contact comes back with a new UID from it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from depth import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# What an address book holds; the rest (circle, cadence, history) only netlog's own formats.
CARD = (
    "name", "name_prefix", "given_name", "middle_name", "family_name", "name_suffix", "nickname",
    "emails", "email_addresses", "phone", "phone_numbers", "org", "title", "location", "addresses",
    "url", "urls", "birthday", "events", "tags", "notes", "uid",
)  # fmt: skip

# Words in many scripts; a name is one to three of them.
SCRIPTS = [
    "abcdefghijklmnopqrstuvwxyz",
    "áéíóúñçøåäöüßœ",
    "абвгдежзиклмнопрстуфхцчшщэюя",
    "αβγδεζηθικλμνξοπρστυφχψω",
    "山田太郎花子李王张",
    "אבגדהוזחטיכלמנסעפצקרשת",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
]
WORD = st.sampled_from(SCRIPTS).flatmap(lambda letters: st.text(letters, min_size=1, max_size=8))
WORDS = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
# Free text a user types: commas, semicolons, colons, backslashes, quotes, line breaks.
PIECE = st.text("abcxyz ÅØ李 ,;:\\\"'-/&", min_size=1, max_size=12).map(str.strip).filter(bool)
LINES = st.lists(PIECE, min_size=1, max_size=3).map("\n".join)
LABEL = st.sampled_from(
    [None, "work", "home", "mobile", "other", "fax", "work fax", "assistant", "mum's office"]
)
DAY = st.sampled_from(["02-29", "12-31", "07-04", "1984-02-29", "1990-07-04", "2001-01-01"])


@st.composite
def contacts(draw: st.DrawFn) -> dict:
    name = draw(WORDS)
    contact: dict = {"type": "contact", "name": name}
    if draw(st.booleans()):  # the parts, a family name of several words among them
        contact |= {"given_name": draw(WORDS), "family_name": draw(WORDS)}
        for part in ("middle_name", "name_prefix", "name_suffix"):
            if draw(st.booleans()):
                contact[part] = draw(WORD)
    if draw(st.booleans()):
        contact["nickname"] = draw(WORD)
    emails = draw(st.lists(st.sampled_from(["a@x.example", "b.c@y.example", "d+e@z.example"]), unique=True))
    contact["email_addresses"] = [
        {"address": address, "label": draw(LABEL), "preferred": draw(st.booleans())} for address in emails
    ]
    numbers = draw(st.lists(st.sampled_from(["+44 20 7946 0000", "555-0100", "+1 (555) 010-0199, ext. 7"]),
                            unique=True))  # fmt: skip
    contact["phone_numbers"] = [
        {"number": number, "label": draw(LABEL), "preferred": draw(st.booleans())} for number in numbers
    ]
    contact["addresses"] = [
        {
            "label": draw(LABEL),
            "street": draw(LINES),
            "extended": draw(st.none() | PIECE),
            "po_box": draw(st.none() | PIECE),
            "locality": draw(st.none() | PIECE),
            "region": draw(st.none() | PIECE),
            "postcode": draw(st.none() | st.sampled_from(["10115", "SW1A 1AA"])),
            "country": draw(st.none() | WORDS),
            "preferred": draw(st.booleans()),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    links = draw(st.lists(st.sampled_from(["https://www.linkedin.com/in/x", "https://x.example/a?b=1,c=2;d"]),
                          unique=True))  # fmt: skip
    contact["urls"] = [{"url": link, "label": draw(LABEL), "preferred": False} for link in links]
    contact["events"] = [
        {"label": label, "date": draw(DAY)}
        for label in draw(st.lists(st.sampled_from(["anniversary", "first met", "name day"]), unique=True))
    ]
    for key, strategy in (
        ("org", PIECE),
        ("title", PIECE),
        ("location", PIECE),
        ("birthday", DAY),
        ("notes", LINES),
    ):
        if draw(st.booleans()):
            contact[key] = draw(strategy)
    contact["tags"] = draw(st.lists(st.sampled_from(["friends", "vip", "met; at conf"]), unique=True))
    return contact


def card_of(contact: dict, uid: bool = True) -> dict:
    return {key: contact[key] for key in CARD if uid or key != "uid"}


FORMATS = [("vcf", "3.0"), ("vcf", "4.0"), ("vdir", "3.0"), ("vdir", "4.0"), ("csv", None), ("google", None)]


@pytest.fixture(scope="module")
def empty_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty ledger to copy: a fresh ledger per example without the upgrade."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    from conftest import Netlog

    Netlog()("--db", str(path), "config", "set", "give_before_ask", "4")
    return path


@pytest.mark.parametrize(("fmt", "version"), FORMATS, ids=[f"{f} {v or ''}".strip() for f, v in FORMATS])
def test_every_card_field_survives(netlog, tmp_path, empty_ledger, fmt, version):
    @settings(
        max_examples=examples(25),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(people=st.lists(contacts(), min_size=1, max_size=4))
    def round_trip(people: list[dict]) -> None:
        folder = Path(tmp_path) / "run"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        first, second = folder / "first.db", folder / "second.db"
        shutil.copy(empty_ledger, first)
        shutil.copy(empty_ledger, second)
        source = folder / "people.jsonl"
        source.write_text("".join(json.dumps(p) + "\n" for p in people))
        netlog("--db", str(first), "import", str(source), "--on-conflict", "new")
        out = folder / ("cards" if fmt == "vdir" else f"out.{fmt}")
        extra = ["--vcard-version", version] if version else []
        netlog("--db", str(first), "export", "--format", fmt, "-o", str(out), *extra)
        netlog("--db", str(second), "import", str(out), "--on-conflict", "new")
        keep_uid = fmt != "google"
        before = sorted((card_of(c, keep_uid) for c in netlog.json("--db", str(first), "list")), key=repr)
        after = sorted((card_of(c, keep_uid) for c in netlog.json("--db", str(second), "list")), key=repr)
        assert after == before

    round_trip()
