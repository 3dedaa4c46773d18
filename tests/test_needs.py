"""Needs and offers, and the matches made of them, on a ledger worked out by hand (today
is 2026-03-10).

Everyone was met today and nothing has been recorded with them, so each strength is the
circle's closeness plus full recency (rules.STRENGTH_WEIGHTS): inner 30 + 20 = 50,
active 15 + 20 = 35. A match's points are multiplied by (200 + a + b) / 400, with you
at 100: Jane (50) and Bob (35) 0.7125; Jane and you 0.875; you and Ravi (50) 0.875; Ana
(35) and Ravi 0.7125; Ana and Leo (inner, 50) 0.7125; Mia (50) and Bob 0.7125.
"""

from __future__ import annotations

import shlex
import sqlite3

import pytest
from typer.testing import CliRunner

from netlog.cli import app

PEOPLE = [
    ["Jane Doe", "--circle", "inner"],
    ["Bob Stone", "--title", "Brand Designer"],
    ["Ravi Shah", "--circle", "inner", "--org", "Seedcamp"],
    ["Ana Lima"],
    ["Leo Costa", "--circle", "inner", "--org", "Lisbon Homes"],
    ["Mia Chen", "--circle", "inner"],
    ["Tom Wu"],
]

# The twelve needs (n1-n12) and fifteen offers (o13-o27); their ids follow this order.
NEEDS = [
    ["jane", "a designer for her startup", "--tag", "design", "--until", "2026-03-15"],  # n1, wanted soon
    ["jane", "feedback on her pitch deck"],  # n2
    ["me", "intro to a VC", "--tag", "investors"],  # n3
    ["ana", "a flat in Lisbon"],  # n4
    ["mia", "advice on visas"],  # n5: only "advice" in common with career advice: generic
    ["leo", "someone who can help"],  # n6: nothing but words that carry no meaning
    ["mia", "a React developer"],  # n7
    ["ana", "someone who knows São Paulo"],  # n8
    ["bob", "a smart lawyer"],  # n9: "art direction" is inside "smart", but no word of it
    ["ravi", "tickets for the conference", "--date", "2026-03-01", "--until", "2026-03-05"],  # n10: expired
    ["leo", "photos of the wedding"],  # n11: met below
    ["ravi", "a car for the weekend"],  # n12: "career" begins with "car", but is no car
]
OFFERS = [
    ["bob", "brand and logo design", "--tag", "design"],  # o13
    ["me", "feedback on pitch decks"],  # o14
    ["ravi", "knows seed investors", "--tag", "investors"],  # o15
    ["leo", "short lets and rentals"],  # o16: Leo works at Lisbon Homes
    ["mia", "career advice"],  # o17
    ["tom", "React and TypeScript development"],  # o18: Tom is archived below
    ["bob", "web developers I worked with"],  # o19
    ["ravi", "office space in sao paulo"],  # o20
    ["mia", "wedding photography"],  # o21: n11 is met
    ["jane", "conference tickets"],  # o22: n10 is past its day
    ["ana", "art direction"],  # o23
    ["jane", "design reviews"],  # o24: her own need n1 is no match for her
    ["me", "intros to investors"],  # o25: your own need n3 is no match for you
    ["bob", "pitch coaching"],  # o26: dropped below
    ["ana", "career coaching"],  # o27
]


@pytest.fixture(scope="module")
def market_file(tmp_path_factory):
    """The ledger, made once through the commands; each test gets its own copy."""
    folder = tmp_path_factory.mktemp("market")
    env = {"NETLOG_DB": str(folder / "netlog.db"), "NETLOG_TODAY": "2026-03-10", "XDG_DATA_HOME": str(folder)}
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output

    for person in PEOPLE:
        run("add", *person, "--met", "2026-03-10", "--no-meet")
    for need in NEEDS:
        run("need", *need)
    for offer in OFFERS:
        run("offer", *offer)
    run("need", "--met", "n11")
    run("offer", "--drop", "o26")
    run("archive", "tom")
    return folder / "netlog.db"


@pytest.fixture
def market(netlog, db_path, market_file):
    source, target = sqlite3.connect(market_file), sqlite3.connect(db_path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return netlog


def test_the_strengths_the_scores_are_worked_from(market):
    strengths = {s["handle"]: s["strength"] for s in market.json("strength")}
    assert strengths == {
        "jane-doe": 50, "bob-stone": 35, "ravi-shah": 50, "ana-lima": 35, "leo-costa": 50, "mia-chen": 50,
    }  # fmt: skip


def test_the_matches_a_person_would_make_in_order(market):
    found = market.json("match")
    rows = [(m["need"]["id"], m["offer"]["id"], m["action"], m["score"]) for m in found]
    assert rows == [
        # n1 is wanted by 03-15, in 5 days: first whatever its score. "design" is a tag of
        # both (2 points); Bob's title has it too, and his web offer matches by the title
        # alone (1 point): one suggestion per person, the better offer. Jane's own design
        # reviews are not for her. 2 x 0.7125 = 1.425.
        (1, 13, "introduce", 1.425),
        # n2 and your offer share feedback, pitch, deck (3 points; "feedback" alone would
        # not do): 3 x 0.875 = 2.625. Bob's pitch coaching is dropped.
        (2, 14, "give", 2.625),
        # your n3: VC is read as investor, a tag on both sides: 2 x 0.875 = 1.75.
        (3, 15, "ask", 1.75),
        # n8: sao and paulo, São folded: 2 x 0.7125 = 1.425.
        (8, 20, "introduce", 1.425),
        # n4: Lisbon is only in Leo's organisation: 1 x 0.7125; n7: developer is Bob's
        # developers: the same, and the older need first.
        (4, 16, "introduce", 0.7125),
        (7, 19, "introduce", 0.7125),
    ]
    first, give, ask = found[0], found[1], found[2]
    assert first["suggestion"] == (
        "Jane Doe needs 'a designer for her startup'; Bob Stone offers 'brand and logo design' "
        "(tags: design). Introduce them: netlog intro jane-doe bob-stone"
    )
    assert [(r["kind"], r["terms"], r["value"]) for r in first["reasons"]] == [
        ("tags", ["design"], 2.0),
        ("strength", [], 0.7125),
        ("until", [], 5),
    ]
    assert first["reasons"][1]["text"] == "you know Jane Doe (50) and Bob Stone (35): x 0.71"
    # giving it and noting it met is one command: the favor is recorded with the need
    assert give["command"] == "netlog need --met n2 --by me"
    assert give["reasons"][0] == {
        "kind": "words", "terms": ["feedback", "pitch", "deck"], "value": 3.0,
        "text": "words in common: feedback, pitch, deck",
    }  # fmt: skip
    # Nothing given to Ravi yet: the balance advice says give first.
    assert ask["suggestion"] == (
        "You need 'intro to a VC'; Ravi Shah offers 'knows seed investors' (tags: investors). Your "
        "balance with Ravi Shah is +0, short of the +4 to reach before asking: give first. To ask: "
        "netlog ask ravi-shah 'intro to a VC'"
    )
    assert found[4]["reasons"][0]["text"] == "works at Lisbon Homes: lisbon"
    assert found[3]["reasons"][0]["terms"] == ["sao", "paulo"]
    assert (first["need"]["contact"], ask["need"]["contact"], give["offer"]["contact"]) == (
        "jane-doe",
        "me",
        "me",
    )


def test_match_for_one_person_or_one_need(market):
    assert [(m["need"]["id"], m["offer"]["id"]) for m in market.json("match", "jane")] == [(1, 13), (2, 14)]
    assert [(m["need"]["id"], m["offer"]["id"]) for m in market.json("match", "me")] == [(2, 14), (3, 15)]
    assert [(m["need"]["id"], m["offer"]["id"]) for m in market.json("match", "ravi")] == [(3, 15), (8, 20)]
    assert [m["offer"]["id"] for m in market.json("match", "--need", "n1")] == [13]
    assert market.json("match", "--need", "5") == []  # advice on visas: no match
    assert len(market.json("match", "--limit", "2")) == 2
    assert market.fail("match", "--need", "n11").stderr.count("met") == 1


def test_lists_and_show(market):
    everyone = market.json("needs")
    assert [n["id"] for n in everyone] == list(range(1, 13))
    statuses = {n["id"]: n["status"] for n in everyone}
    assert (statuses[10], statuses[11], statuses[1]) == ("expired", "met", "open")
    assert [n["id"] for n in market.json("needs", "--open")] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 12]
    assert [n["id"] for n in market.json("needs", "--contact", "me")] == [3]
    assert [n["id"] for n in market.json("offers", "--tag", "Design")] == [13]
    assert [n["id"] for n in market.json("offers", "--contact", "bob", "--open")] == [13, 19]
    jane = market.json("show", "jane")
    assert [n["text"] for n in jane["needs"]] == ["a designer for her startup", "feedback on her pitch deck"]
    assert [n["text"] for n in jane["offers"]] == ["conference tickets", "design reviews"]
    shown = market("show", "jane").stdout
    assert "a designer for her startup [design], by 2026-03-15 (n1)" in shown


def test_meeting_a_need_records_the_favor(market):
    met = market.json("need", "--met", "n2", "--by", "me")
    assert (met["status"], met["met_on"], met["met_by"], met["favor"]) == ("met", "2026-03-10", "me", 1)
    (favor,) = market.json("log", "--kind", "favor")
    assert (favor["contact"], favor["direction"], favor["description"], favor["status"]) == (
        "jane-doe", "given", "feedback on her pitch deck", "done",
    )  # fmt: skip
    assert market.json("balance", "jane")["balance"] == 1
    # Ravi met yours: a favor received from him
    market("need", "--met", "n3", "--by", "ravi")
    assert market.json("show", "ravi")["balance"]["received_weight"] == 1
    # Bob met Ana's: no favor of yours
    bob = market.json("need", "--met", "n4", "--by", "bob")
    assert (bob["met_by"], bob["favor"]) == ("bob-stone", None)
    assert [(m["need"]["id"]) for m in market.json("match")] == [1, 8, 7]
    # undo takes the last one back whole
    market("undo")
    assert [n["id"] for n in market.json("needs", "--open")] == [1, 4, 5, 6, 7, 8, 9, 12]


def test_what_is_done_already_is_counted_once(market):
    # You gave Jane the feedback before noting her need met: that favor stands for it.
    market("give", "jane", "feedback on pitch decks")  # f1, your offer's words
    (given,) = [m for m in market.json("match", "jane") if m["need"]["id"] == 2]
    assert (given["action"], given["advice"]) == ("note met", "you gave it (f1, 2026-03-10): note it met")
    assert market("need", "--met", "n2", "--by", "me").stdout.strip().endswith("(favor f1 done).")
    assert [f["id"] for f in market.json("log", "--kind", "favor")] == [1]
    assert market.json("needs")[1]["favor"] == 1
    # Your ask of Ravi for your need: match says follow up on it, not ask again.
    market("ask", "ravi", "intro to a VC", "-q")  # f2
    (followed,) = [m for m in market.json("match", "me") if m["need"]["id"] == 3]
    assert (followed["action"], followed["command"]) == ("follow up", "netlog need --met n3 --by ravi-shah")
    assert followed["advice"] == "you asked Ravi Shah for it (f2, 2026-03-10): follow up, then note it met"
    # ...and once he did it, the ask is done: no second favor from him.
    market("need", "--met", "n3", "--by", "ravi")
    (ask,) = [f for f in market.json("log", "--kind", "favor") if f["id"] == 2]
    assert ask["status"] == "done" and len(market.json("log", "--kind", "favor")) == 2
    assert market.json("show", "ravi")["balance"]["received_weight"] == 1


def test_people_who_know_each_other_are_told_not_introduced(market):
    market("meet", "ana", "ravi", "--date", "2026-03-09")
    (sao,) = [m for m in market.json("match", "ana") if m["need"]["id"] == 8]
    assert sao["action"] == "tell"
    assert sao["advice"] == "they know each other (met together 2026-03-09): tell Ana Lima"
    assert sao["command"] == (
        "netlog meet ana-lima --kind message --note 'told about Ravi Shah: office space in sao paulo (n8)'"
    )
    # told as suggested: the next step is to note it met once Ravi helped her
    market(*shlex.split(sao["command"])[1:])
    (sao,) = [m for m in market.json("match", "ana") if m["need"]["id"] == 8]
    assert (sao["action"], sao["advice"]) == (
        "follow up",
        "you told Ana Lima on 2026-03-10: once Ravi Shah helped",
    )
    assert sao["command"] == "netlog need --met n8 --by ravi-shah"
    # introduced as suggested: the same
    market("intro", "mia", "bob")
    (react,) = [m for m in market.json("match", "mia") if m["need"]["id"] == 7]
    assert react["advice"] == "you introduced them on 2026-03-10: once Bob Stone helped Mia Chen"
    assert react["command"] == "netlog need --met n7 --by bob-stone"


def test_undo_takes_back_a_need_with_its_tags_and_favor(market):
    market("need", "--met", "n1", "--by", "me")
    market("undo")
    assert market.json("log", "--kind", "favor") == []
    assert market.json("needs")[0]["status"] == "open"
    market("undo")  # the archive of Tom
    market("undo")  # the drop of o26
    market("undo")  # n11 met
    market("undo")  # o27
    offers = market.json("offers")
    assert [o["id"] for o in offers][-2:] == [25, 26] and offers[-1]["status"] == "open"
    assert market("check").exit_code == 0


def test_due_names_the_need_match_lists_first(netlog):
    netlog("add", "Jane Doe", "--met", "2025-11-30", "--no-meet")
    netlog("add", "Bob Stone", "--met", "2025-11-30", "--no-meet")
    netlog("need", "jane", "feedback on her pitch deck")
    netlog("need", "jane", "a designer for her startup", "--until", "2026-03-20")  # in 10 days
    netlog("offer", "me", "pitch deck feedback")
    netlog("offer", "bob", "brand design")
    (jane,) = [c for c in netlog.json("due")["contacts"] if c["handle"] == "jane-doe"]
    # the need wanted soon first, as match lists it, though you could fill the other
    assert (
        jane["suggestion"] == "Jane Doe needs 'a designer for her startup': Bob Stone offers 'brand design'"
    )
    assert netlog.json("match", "jane")[0]["need"]["id"] == 2


def test_due_names_the_need(netlog):
    # Met 100 days ago, active (90 days): all three are due.
    for name in ("Jane Doe", "Bob Stone", "Ravi Shah"):
        netlog("add", name, "--met", "2025-11-30", "--no-meet")
    netlog("need", "jane", "a designer for her startup")
    netlog("offer", "bob", "brand design")
    netlog("need", "bob", "feedback on his pitch deck")
    netlog("offer", "me", "pitch deck feedback")
    netlog("need", "ravi", "a flat in Lisbon")
    netlog("ask", "ravi", "a reference", "--date", "2025-12-01", "--done")  # you owe Ravi 1
    due = {c["handle"]: c for c in netlog.json("due")["contacts"]}
    assert due["jane-doe"]["suggestion"] == (
        "Jane Doe needs 'a designer for her startup': Bob Stone offers 'brand design'"
    )
    # Bob could use your own offer: the need you can fill
    assert (
        due["bob-stone"]["suggestion"]
        == "give 'pitch deck feedback': Bob Stone needs 'feedback on his pitch deck'"
    )
    # what you owe first; then the need, which nobody offers
    assert due["ravi-shah"]["suggestion"] == "give first: you owe 1; Ravi Shah needs 'a flat in Lisbon'"
    assert [n["text"] for n in due["ravi-shah"]["needs"]] == ["a flat in Lisbon"]


def test_ask_names_their_needs_first(netlog):
    netlog("add", "Jane Doe", "--met", "2026-01-10")
    netlog("need", "jane", "feedback on her pitch deck")
    netlog("need", "jane", "a flat in Lisbon")
    netlog("offer", "me", "pitch deck reviews")
    said = netlog("ask", "jane", "an intro to her investor").stderr
    assert (
        "Jane Doe needs 'feedback on her pitch deck' (n1) (and 1 more); you offer 'pitch deck reviews': "
        "give it first (balance +0)." in " ".join(said.split())
    )
    netlog("need", "--drop", "n1")
    said = netlog("ask", "jane", "another intro").stderr
    assert "Jane Doe needs 'a flat in Lisbon' (n2): help with it first" in " ".join(said.split())
    assert "needs" not in netlog("ask", "jane", "a third", "-q").stderr


def test_stats_counts_needs_met_by_you_and_through_your_introductions(netlog):
    for name in ("Jane Doe", "Bob Stone", "Ravi Shah"):
        netlog("add", name, "--met", "2026-01-05", "--no-meet")
    netlog("need", "jane", "a designer", "--date", "2026-02-01")
    netlog("need", "jane", "a lawyer", "--date", "2026-02-01")
    netlog("need", "ravi", "a flat", "--date", "2026-02-01")
    netlog("need", "bob", "a car", "--date", "2025-10-01")  # before the 12 weeks shown
    netlog("intro", "jane", "bob", "--date", "2026-02-10")
    netlog("need", "--met", "n1", "--by", "bob", "--date", "2026-02-20")  # through your intro
    netlog("need", "--met", "n2", "--by", "ravi", "--date", "2026-02-20")  # not introduced by you
    netlog("need", "--met", "n3", "--by", "me", "--date", "2026-02-21")
    netlog("need", "--met", "n4", "--date", "2025-12-01")  # met before the weeks shown
    needs = netlog.json("stats")["needs"]
    assert needs == {
        "since": "2025-12-22", "noted": 3, "met": 3, "met_by_you": 1, "met_through_introductions": 1,
        "offers": 0,
    }  # fmt: skip


def test_needs_and_offers_travel_in_the_export(market, tmp_path):
    market("need", "--met", "n2", "--by", "me")
    export = tmp_path / "all.jsonl"
    market("export", "-o", str(export))
    before = (market.json("needs"), market.json("offers"))
    other = str(tmp_path / "other.db")
    market("--db", other, "import", str(export))
    assert (market.json("--db", other, "needs"), market.json("--db", other, "offers")) == before
    market("--db", other, "import", str(export))  # again: nothing new
    assert len(market.json("--db", other, "needs")) == 12
    # A later export of the same ledger, imported into the copy: what was met or dropped
    # since is met or dropped there too (and the favor that stands for it comes along).
    market("need", "--met", "n1", "--by", "bob")
    market("offer", "--drop", "o13")
    market("need", "--met", "n3", "--by", "ravi")  # f2, received from Ravi
    market("export", "-o", str(export))
    market("--db", other, "import", str(export))
    assert (market.json("--db", other, "needs"), market.json("--db", other, "offers")) == (
        market.json("needs"), market.json("offers"),
    )  # fmt: skip
    assert market.json("--db", other, "needs")[2]["favor"] == 2
    document = tmp_path / "all.json"
    market("export", "--format", "json", "-o", str(document))
    third = str(tmp_path / "third.db")
    market("--db", third, "import", str(document))
    assert market.json("--db", third, "offers") == market.json("offers")


def test_an_imported_need_keeps_its_favor_when_the_favor_is_renumbered(market, tmp_path):
    market("need", "--met", "n2", "--by", "me")  # f1
    export = tmp_path / "all.jsonl"
    market("export", "-o", str(export))
    busy = str(tmp_path / "busy.db")
    market("--db", busy, "add", "Someone Else")
    market("--db", busy, "give", "someone", "a favor of its own")  # takes f1 there
    market("--db", busy, "import", str(export))
    (need,) = [n for n in market.json("--db", busy, "needs") if n["id"] == 2]
    favors = {f["id"]: f for f in market.json("--db", busy, "log", "--kind", "favor")}
    assert need["favor"] == 2 and favors[2]["description"] == "feedback on her pitch deck"


def test_merge_and_rm_keep_needs_with_their_person(market):
    market("add", "J. Doe", "--force", "--no-meet")
    market("need", "j-doe", "a lawyer")  # n28
    market("need", "--met", "n28", "--by", "jane-doe")  # the one met the other's need
    assert market.json("merge", "jane-doe", "j-doe", "--dry-run")["moved"]["needs"] == 1
    assert "1 need or offer" in market("merge", "jane-doe", "j-doe").stdout
    lawyer = market.json("needs", "--contact", "jane")[-1]
    assert (lawyer["text"], lawyer["status"], lawyer["met_by"]) == ("a lawyer", "met", None)
    market("need", "--met", "n4", "--by", "leo")
    market("rm", "leo", "--yes")
    needs = {n["id"]: n for n in market.json("needs")}
    assert 6 not in needs and 11 not in needs  # Leo's needs went with him
    assert (needs[4]["status"], needs[4]["met_by"]) == ("met", None)
    assert 16 not in {o["id"] for o in market.json("offers")}
    assert market("check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["need", "jane"], "whose need"),
        (["need", "jane", "  "], "Say what the need is"),
        (["need", "nobody", "a lawyer"], "No contact matches"),
        (["need", "jane", "a lawyer", "--until", "2026-01-01"], "before the day"),
        (["need", "jane", "a lawyer", "--until", "someday"], "not a date"),
        (["need", "--met", "o13"], "is an offer id"),
        (["need", "--met", "n99"], "No need 99"),
        (["need", "--met", "n11"], "already met"),
        (["need", "--met", "n1", "--by", "jane"], "their own need"),
        (["need", "--met", "n3", "--by", "me"], "your own need"),
        (["need", "--met", "n1", "--drop", "n2"], "not both"),
        (["need", "jane", "x", "--by", "bob"], "--by goes with --met"),
        (["need", "--met", "n1", "--weight", "3"], "--weight is the favor's"),
        (["offer", "--drop", "n1"], "is a need id"),
        (["offer", "--drop", "o26"], "already dropped"),
        (["match", "jane", "--need", "n1"], "not both"),
        (["match", "--need", "o13"], "is an offer id"),
        (["needs", "--contact", ""], "can't be empty"),
        (["need", "--met", "99999999999999999999999"], "not a need id"),
    ],
)
def test_bad_input_says_what_to_do(market, args, message):
    result = market(*args, ok=False)
    assert result.exit_code in (1, 2)
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
