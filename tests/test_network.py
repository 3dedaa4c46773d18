"""Introductions, who knows whom, tie strength and warm paths, on a ledger worked out by
hand (today is 2026-03-10; cadences: inner 14, close 30, active 90, acquaintance 180).

    Ravi Shah   inner         met 2024-03-10
    Zoe Park    acquaintance  met 2026-01-10  Acme
    Sam Lee     active        met 2025-06-10  Acme, introduced to you by Ravi (via)
    Mia Chen    close         met 2021-03-10
    Leo Brown   active        met 2026-02-10  Globex

    2026-02-01  meeting with Ravi and Zoe
    2026-02-15  you introduce Ravi and Mia (later: connected)
    2026-03-01  meeting with Mia and Leo
    2026-03-05  you introduce Zoe and Leo
    stated: Mia knows Zoe ("climbing club")

Ties between them (rules.EDGE_POINTS): Ravi-Zoe met together once 30; Mia-Leo met
together once 30; Ravi-Mia introduced, connected 70; Zoe-Leo introduced 40; Mia-Zoe
stated 50; Ravi-Sam via 60; Zoe-Sam same org 40.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def five(netlog):
    netlog("add", "Ravi Shah", "--circle", "inner", "--met", "2024-03-10", "--no-meet")
    netlog("add", "Zoe Park", "--circle", "acquaintance", "--org", "Acme", "--met", "2026-01-10", "--no-meet")
    netlog("add", "Sam Lee", "--org", "Acme", "--via", "ravi", "--met", "2025-06-10", "--no-meet")
    netlog("add", "Mia Chen", "--circle", "close", "--met", "2021-03-10", "--no-meet")
    netlog("add", "Leo Brown", "--org", "Globex", "--met", "2026-02-10", "--no-meet")
    netlog("meet", "ravi", "zoe", "--date", "2026-02-01")
    netlog("intro", "ravi", "mia", "--date", "2026-02-15")
    netlog("intro", "--outcome", "1", "connected", "--date", "2026-02-20")
    netlog("meet", "mia", "leo", "--date", "2026-03-01")
    netlog("intro", "zoe", "leo", "--date", "2026-03-05", "--note", "both into climbing gear")
    netlog("knows", "mia", "zoe", "--note", "climbing club")
    return netlog


def test_strength_of_each_tie_as_worked_out_by_hand(five):
    everyone = {s["handle"]: s for s in five.json("strength")}
    # Ravi: inner 30; last touch 02-15 is 23 days, cadence 14: 14/23 x 20 = 12.2; touch
    # days 2025-06-10 (Sam's introduction), 02-01, 02-15: 3/12 x 20 = 5.0; 730 days known:
    # 730/1825 x 15 = 6.0; weight 2 each way: 4/10 x 10 = 4.0; introductions (Mia, and
    # Sam through him) 2/2 x 5 = 5.0. 62.2 -> 62.
    assert everyone["ravi-shah"]["strength_factors"] == {
        "closeness": 30.0, "recency": 12.2, "frequency": 5.0, "tenure": 6.0, "reciprocity": 4.0,
        "introductions": 5.0,
    }  # fmt: skip
    assert (everyone["ravi-shah"]["strength"], everyone["ravi-shah"]["tie"]) == (62, "strong")
    # Zoe: 7.5 + 20 (5 days) + 2/12 x 20 = 3.3 + 59/1825 x 15 = 0.5 + one way 2/10 x 0.5 x 10
    # = 1.0 + 1/2 x 5 = 2.5: 34.8 -> 35.
    assert everyone["zoe-park"]["strength_factors"] == {
        "closeness": 7.5, "recency": 20.0, "frequency": 3.3, "tenure": 0.5, "reciprocity": 1.0,
        "introductions": 2.5,
    }  # fmt: skip
    assert everyone["zoe-park"]["strength"] == 35
    # Sam: never touched since met 273 days ago: 90/273 x 20 = 6.6; 15 + 6.6 + 273/1825 x 15
    # = 2.2: 23.8 -> 24, a weak tie, and stale (273 >= 2 x 90).
    assert everyone["sam-lee"]["strength"] == 24
    assert (everyone["sam-lee"]["tie"], everyone["sam-lee"]["stale"]) == ("weak", True)
    # Mia: 22.5 + 20 + 3.3 + 15 (five years) + 1.0 + 2.5 = 64.3 -> 64.
    assert everyone["mia-chen"]["strength"] == 64
    # Leo: 15 + 20 + 3.3 + 28/1825 x 15 = 0.2 + 1.0 + 2.5 = 42.
    assert everyone["leo-brown"]["strength"] == 42
    assert [s["handle"] for s in five.json("strength")] == [
        "mia-chen", "ravi-shah", "leo-brown", "zoe-park", "sam-lee",
    ]  # fmt: skip
    assert five.json("strength", "ravi")["basis"] == {
        "circle": "inner", "days_since": 23, "cadence_days": 14, "touch_days": 3, "given_weight": 2,
        "received_weight": 2, "years_known": 2.0, "introductions": 2,
    }  # fmt: skip


def test_a_strong_tie_gone_quiet_is_stale_not_weak(netlog):
    netlog("add", "Old Friend", "--circle", "inner", "--met", "2016-03-10", "--no-meet")
    netlog("give", "old", "helped him move", "--weight", "5", "--date", "2025-01-10")
    netlog("ask", "old", "a reference", "--weight", "5", "--done", "--date", "2025-01-20")
    friend = netlog.json("strength", "old")
    # Quiet 414 days on a 14-day cadence: recency 14/414 x 20 = 0.7, no touch in the last
    # year; but inner (30), ten years (15) and weight 10 both ways (10): 55.7 -> 56.
    assert friend["strength"] == 56 and friend["tie"] == "medium"
    assert friend["stale"] is True


def test_a_path_to_one_person_starts_with_your_own_tie(five):
    paths = five.json("path", "zoe", "--limit", "0")
    simple = [([paths[i]["hops"][0]["from"]] + [h["to"] for h in p["hops"]], p["strength"], p["total"])
              for i, p in enumerate(paths)]  # fmt: skip
    assert simple == [
        (["me", "zoe-park"], 35, 35),  # your own tie, first whatever its strength
        (["me", "mia-chen", "zoe-park"], 50, 114),  # min(64, stated 50)
        # Sam (24) knows Zoe (40) better than you know Sam, and Ravi knows Sam (via 60):
        (["me", "ravi-shah", "sam-lee", "zoe-park"], 40, 162),  # min(62, 60, 40)
        (["me", "leo-brown", "zoe-park"], 40, 82),  # min(42, introduced 40): smaller sum
        (["me", "ravi-shah", "zoe-park"], 30, 92),  # min(62, met together 30)
        (["me", "sam-lee", "zoe-park"], 24, 64),  # min(24, same org 40)
    ]
    best = paths[1]
    assert best["ask"] == "mia-chen"
    assert best["hops"][1]["evidence"][0]["kind"] == "stated"
    assert best["hops"][1]["evidence"][0]["text"] == (
        'Mia Chen knows Zoe Park: you noted they know each other (2026-03-10): "climbing club"'
    )
    # You gave Mia an introduction (weight 2) and she gave nothing back: +2, short of +4.
    assert best["advice"] == (
        "ask Mia Chen to introduce you to Zoe Park; your balance with Mia Chen is +2, short of the +4 "
        "to reach before asking: give first"
    )
    assert paths[2]["advice"].startswith("ask Ravi Shah to introduce you to Sam Lee, who knows Zoe Park;")


def test_a_path_into_an_organisation_ranks_every_way_together(five):
    paths = five.json("path", "--org", "acme")
    simple = [([h["to"] for h in p["hops"]], p["strength"]) for p in paths]
    assert simple == [
        (["ravi-shah", "sam-lee"], 60),  # min(62, via 60): Ravi introduced you to Sam
        (["mia-chen", "zoe-park"], 50),
        (["leo-brown", "zoe-park"], 40),
        (["zoe-park"], 35),
        (["ravi-shah", "zoe-park"], 30),
        (["sam-lee"], 24),
    ]
    assert five.json("path", "--org", "ACME", "--limit", "2") == paths[:2]


def test_whom_someone_knows_and_why(five):
    zoe = five.json("show", "zoe")
    assert [(k["handle"], k["strength"]) for k in zoe["knows"]] == [
        ("mia-chen", 50), ("leo-brown", 40), ("sam-lee", 40), ("ravi-shah", 30),
    ]  # fmt: skip
    assert [e["text"] for e in zoe["knows"][1]["evidence"]] == [
        'you introduced them on 2026-03-05: "both into climbing gear"'
    ]
    assert zoe["strength"] == 35 and zoe["strength_factors"]["recency"] == 20.0
    ravi = five.json("show", "ravi")
    # Introduced (connected) 70 is the tie with Mia; Sam came through Ravi: via 60.
    assert [(k["handle"], k["strength"], [e["kind"] for e in k["evidence"]]) for k in ravi["knows"]] == [
        ("mia-chen", 70, ["introduced"]),
        ("sam-lee", 60, ["via"]),
        ("zoe-park", 30, ["met together"]),
    ]


def test_an_introduction_is_a_touch_and_a_favor_to_each(five):
    (latest, first) = five.json("intros")
    assert first == {
        "id": 1, "date": "2026-02-15", "a": "ravi-shah", "b": "mia-chen", "note": None,
        "outcome": "connected", "outcome_on": "2026-02-20", "outcome_note": None, "touch": first["touch"],
        "favors": first["favors"],
    }  # fmt: skip
    favors = {f["id"]: f for f in five.json("log", "--kind", "favor")}
    given = [favors[i] for i in first["favors"]]
    assert [(f["contact"], f["description"], f["weight"], f["introduced"]) for f in given] == [
        ("ravi-shah", "introduced to Mia Chen", 2, "mia-chen"),
        ("mia-chen", "introduced to Ravi Shah", 2, "ravi-shah"),
    ]
    touches = five.json("log", "--kind", "intro")  # oldest first
    assert [(t["date"], t["contacts"]) for t in touches] == [
        ("2026-02-15", ["mia-chen", "ravi-shah"]),
        ("2026-03-05", ["leo-brown", "zoe-park"]),
    ]
    assert first["touch"] == touches[0]["id"]
    assert latest["note"] == "both into climbing gear" and latest["outcome"] == "made"
    stats = five.json("stats")["introductions"]
    # Both made in the twelve weeks shown, one connected; Sam was met before them.
    assert stats == {
        "since": "2025-12-22", "made": 2, "connected": 1, "fizzled": 0, "connected_ratio": 0.5, "received": 0,
    }  # fmt: skip


def test_undo_takes_an_introduction_back_whole(five):
    before = (five.json("log", "--limit", "0"), five.json("balance", "--all"))
    five("intro", "ravi", "leo", "--weight", "3")
    assert len(five.json("intros")) == 3
    five("undo")
    assert five.json("intros")[0]["id"] == 2
    assert (five.json("log", "--limit", "0"), five.json("balance", "--all")) == before


def test_an_introduction_you_received_counts_in_the_balance_and_follows_the_via(five):
    def via_favors():
        return [
            (f["contact"], f["description"], f["weight"], f["date"])
            for f in five.json("log", "--kind", "favor", "--limit", "0")
            if f["direction"] == "received" and f["introduced"] == "sam-lee"
        ]

    assert via_favors() == [("ravi-shah", "introduced you to Sam Lee", 2, "2025-06-10")]
    five("edit", "sam", "--via", "mia")  # it was Mia after all
    assert via_favors() == [("mia-chen", "introduced you to Sam Lee", 2, "2025-06-10")]
    five("edit", "sam", "--met", "2025-07-01")
    assert via_favors() == [("mia-chen", "introduced you to Sam Lee", 2, "2025-07-01")]
    # Mia: +2 from introducing her to Ravi, -2 for introducing you to Sam.
    assert five.json("show", "mia")["balance"]["balance"] == 0
    five("edit", "sam", "--clear", "via")
    assert via_favors() == []


def test_a_stated_tie_can_be_taken_back(five):
    five("knows", "mia", "zoe", "--forget")
    assert "mia-chen" not in [k["handle"] for k in five.json("show", "zoe")["knows"]]
    five.fail("knows", "mia", "zoe", "--forget")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["intro", "ravi"], "the two people"),
        (["intro", "ravi", "ravi"], "themselves"),
        (["intro", "--outcome", "9", "connected"], "No introduction 9"),
        (["intro", "--outcome", "1", "married"], "connected"),
        (["intro", "--outcome", "1", "fizzled", "--date", "2026-02-01"], "can't come before"),
        (["knows", "zoe", "zoe"], "same person"),
        (["path"], "one target"),
        (["path", "zoe", "--org", "acme"], "one target"),
        (["path", "--org", "Initech"], "No contact"),
        (["meet", "ravi", "--kind", "intro"], "netlog intro"),
        (["intros", "--contact", ""], "can't be empty"),
        (["path", "--org", " "], "is empty"),
        (["intro", "--outcome", "99999999999999999999999", "connected"], "--outcome"),
    ],
)
def test_bad_network_input_says_what_to_do(five, args, message):
    result = five(*args, ok=False)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_merging_moves_introductions_and_ties(five):
    five("add", "M. Chen", "--force", "--met", "2026-03-01", "--no-meet")
    five("intro", "m-chen", "sam")
    five("knows", "m-chen", "ravi")  # the same pair as Mia's introduction: one tie
    five("merge", "mia-chen", "m-chen")
    mia = five.json("show", "mia")
    assert sorted(i["id"] for i in mia["introductions"]) == [1, 3]
    assert {k["handle"]: sorted(e["kind"] for e in k["evidence"]) for k in mia["knows"]}["ravi-shah"] == [
        "introduced",
        "stated",
    ]
    assert five("check").exit_code == 0


def test_removing_someone_removes_their_introductions_and_ties(five):
    five("rm", "zoe", "--yes")
    assert [i["id"] for i in five.json("intros")] == [1]
    assert "zoe-park" not in [k["handle"] for k in five.json("show", "mia")["knows"]]
    leo = {
        f["description"]: f["introduced"]
        for f in five.json("log", "--kind", "favor")
        if f["contact"] == "leo-brown"
    }
    assert leo == {"introduced to Zoe Park": None}  # the favor was given; whom to is gone


def test_introductions_and_ties_travel_in_the_export(five, tmp_path):
    out = tmp_path / "all.json"
    five("export", "--format", "json", "-o", str(out))
    five("--db", str(tmp_path / "copy.db"), "import", str(out))
    again = tmp_path / "again.json"
    five("--db", str(tmp_path / "copy.db"), "export", "--format", "json", "-o", str(again))
    import json

    first, second = json.loads(out.read_text()), json.loads(again.read_text())

    def stamped_off(rows):
        return [{k: v for k, v in r.items() if k not in ("created_at", "updated_at")} for r in rows]

    for section in ("contacts", "interactions", "introductions", "favors", "knows"):
        assert stamped_off(second[section]) == stamped_off(first[section]), section
    assert len(first["introductions"]) == 2 and len(first["knows"]) == 1
    # Importing it again adds nothing.
    five("--db", str(tmp_path / "copy.db"), "import", str(out))
    assert five.json("--db", str(tmp_path / "copy.db"), "intros") == five.json("intros")
    assert len(five.json("--db", str(tmp_path / "copy.db"), "log", "--kind", "favor", "--limit", "0")) == len(
        five.json("log", "--kind", "favor", "--limit", "0")
    )


def test_check_finds_and_repairs_the_kept_touch_days_and_meetings(five, db_path):
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM met_pair WHERE a_id = (SELECT id FROM contact WHERE handle = 'ravi-shah')")
    conn.execute("DELETE FROM touch_day WHERE day = '2026-03-01'")  # Mia and Leo's meeting
    conn.commit()
    conn.close()
    report = five.fail("check")
    assert "ravi-shah: met_together '0 pairs" in report.stdout
    assert "mia-chen: touch_days" in report.stdout and "leo-brown: touch_days" in report.stdout
    five("check", "--repair")
    assert five("check").exit_code == 0
    assert [k["handle"] for k in five.json("show", "ravi")["knows"]] == ["mia-chen", "sam-lee", "zoe-park"]
    assert five.json("strength", "mia")["basis"]["touch_days"] == 2


def test_merging_the_two_people_of_an_introduction_leaves_no_favor_to_oneself(five):
    five("add", "M. Chen", "--force", "--via", "mia", "--met", "2026-03-01", "--no-meet")
    five("intro", "zoe", "m-chen")
    before = five.json("balance", "mia")
    five("merge", "mia-chen", "m-chen")
    # Mia "introducing you to M. Chen" was no favor, and Zoe's introduction to M. Chen
    # stays one (to Mia now); nothing introduces Mia to herself.
    favors = [f for f in five.json("log", "--kind", "favor", "--limit", "0") if f["contact"] == "mia-chen"]
    assert [(f["description"], f["introduced"]) for f in favors] == [
        ("introduced to Ravi Shah", "ravi-shah"),
        ("introduced to Zoe Park", "zoe-park"),
    ]
    assert five.json("balance", "mia")["balance"] == before["balance"] + 2 + 2


def test_a_note_on_a_stated_tie_or_an_outcome_is_kept_as_said(five):
    assert "Updated the note" in five("knows", "mia", "zoe", "--note", "board games too").stdout
    assert "Already noted" in five("knows", "mia", "zoe").stdout
    five("intro", "--outcome", "2", "fizzled", "--note", "Leo moved away")
    latest = five.json("intros")[0]
    assert (latest["note"], latest["outcome"], latest["outcome_note"]) == (
        "both into climbing gear", "fizzled", "Leo moved away",
    )  # fmt: skip
