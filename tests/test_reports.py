"""Reports on ledgers built by hand, with answers worked out on paper.

Today is Tuesday 2026-03-10 throughout. Default cadences: inner 14 days,
close 30, active 90, acquaintance 180.
"""

from __future__ import annotations

from datetime import date as d
from datetime import timedelta

import pytest
from builders import building

DUE_CONTACT_KEYS = {
    "handle",
    "name",
    "circle",
    "last_touch",
    "days_since",
    "cadence_days",
    "overdue_ratio",
    "balance",
    "suggestion",
    "needs",  # their open needs (added with needs and offers)
}


@pytest.fixture
def morning(db_path):
    """A ledger whose morning list is worked out in the tests below."""
    with building(db_path) as b:
        # 28 days since met, inner (14): ratio 2.0. Two small favors given: balance +2.
        ann = b.contact("Ann Inner", circle="inner", met=d(2026, 2, 10))
        b.give(ann, on=d(2026, 2, 10))
        b.give(ann, on=d(2026, 2, 10))
        # 30 days, close (30): due today exactly, ratio 1.0. Received a favor of weight 2.
        ben = b.contact("Ben Close", circle="close", met=d(2026, 2, 8), birthday=(None, 3, 18))
        b.receive(ben, on=d(2026, 2, 8), weight=2)
        # 90 days, active (90): ratio 1.0 too; Ben goes first, his circle is closer.
        b.contact("Cat Active", met=d(2025, 12, 10))
        # 160 days, acquaintance (180): not due, unless --within 20d.
        b.contact("Dan Acquaintance", circle="acquaintance", met=d(2025, 10, 1))
        # 9 days with her own 7-day cadence: ratio 9/7 = 1.29. Gave weight 4: ready to ask.
        eve = b.contact("Eve Override", cadence=7, met=d(2026, 3, 1))
        b.give(eve, on=d(2026, 3, 1), weight=4)
        # Overdue, but snoozed until Thursday; and an archived one, never shown as a person
        # to contact, though the promise made to him stays in the list.
        b.contact("Fay Snoozed", circle="inner", met=d(2026, 1, 1), snoozed_until=d(2026, 3, 12))
        gus = b.contact("Gus Archived", circle="inner", met=d(2026, 1, 1), archived=True)
        b.give(gus, on=d(2026, 3, 1), status="promised", due=d(2026, 3, 5))
        # Hal: met yesterday, so not due; two promises and a birthday today.
        hal = b.contact("Hal Recent", circle="close", met=d(2026, 3, 9), birthday=(1990, 3, 10))
        b.give(hal, on=d(2026, 3, 9), status="promised", due=d(2026, 3, 9), what="send the article")
        b.give(hal, on=d(2026, 3, 9), status="promised", due=d(2026, 3, 12), what="review deck")
        b.receive(hal, on=d(2026, 3, 9), status="done", what="lent a book")
        # Ivy: a promise with no due date from 18 days ago (late after 14), a fresh one,
        # an ask of exactly 14 days ago (due for a follow-up) and one of 13 days ago.
        ivy = b.contact("Ivy Asks", circle="acquaintance", met=d(2026, 1, 10), birthday=(None, 3, 17))
        b.give(ivy, on=d(2026, 2, 20), status="promised", what="find a speaker")
        b.give(ivy, on=d(2026, 3, 1), status="promised", what="too recent")
        b.receive(ivy, on=d(2026, 2, 24), status="asked", what="intro to her CFO")
        b.receive(ivy, on=d(2026, 2, 25), status="asked", what="not yet late")
    return db_path


def test_due_lists_what_a_person_would_write_by_hand(netlog, morning):
    due = netlog.json("due")
    assert set(due) == {"as_of", "promises", "asks", "contacts", "birthdays"}
    assert due["as_of"] == "2026-03-10"
    # Promises: late by their due date, or 14+ days old without one; oldest first. Gus is
    # archived, but what you promised him is still yours to keep (or decline).
    assert [(p["contact"], p["description"], p["due"]) for p in due["promises"]] == [
        ("ivy-asks", "find a speaker", None),
        ("gus-archived", "a favor", "2026-03-05"),
        ("hal-recent", "send the article", "2026-03-09"),
    ]
    assert [(a["contact"], a["description"]) for a in due["asks"]] == [("ivy-asks", "intro to her CFO")]
    people = due["contacts"]
    assert all(set(p) == DUE_CONTACT_KEYS for p in people)
    assert [
        (p["handle"], p["days_since"], p["cadence_days"], p["overdue_ratio"], p["balance"], p["suggestion"])
        for p in people
    ] == [
        ("ann-inner", 28, 14, 2.0, 2, "catch up"),
        ("eve-override", 9, 7, 1.29, 4, "you could ask now"),
        ("ben-close", 30, 30, 1.0, -2, "give first: you owe 2"),
        ("cat-active", 90, 90, 1.0, 0, "offer something useful"),
    ]
    assert people[0]["last_touch"] == "2026-02-10"
    assert due["birthdays"] == [
        {"handle": "hal-recent", "name": "Hal Recent", "date": "2026-03-10", "in_days": 0, "age": 36},
        {"handle": "ivy-asks", "name": "Ivy Asks", "date": "2026-03-17", "in_days": 7, "age": None},
    ]


def test_due_within_looks_ahead(netlog, morning):
    due = netlog.json("due", "--within", "20d")
    assert "dan-acquaintance" in [p["handle"] for p in due["contacts"]]  # 160 + 20 >= 180
    assert "review deck" in [p["description"] for p in due["promises"]]  # due on 03-12
    assert "dan-acquaintance" not in [p["handle"] for p in netlog.json("due", "--within", "19d")["contacts"]]


def test_snoozed_contacts_come_back_on_the_day(netlog, morning):
    def handles(*args):
        return [p["handle"] for p in netlog.json("due", *args)["contacts"]]

    assert "fay-snoozed" not in handles("--as-of", "2026-03-11")
    assert handles("--as-of", "2026-03-12")[0] == "fay-snoozed"  # 70 days / 14 = 5.0
    netlog("snooze", "fay", "--clear")
    assert handles()[0] == "fay-snoozed"
    snoozed = netlog.json("snooze", "ann", "2w")
    assert snoozed["snoozed_until"] == "2026-03-24"
    assert "ann-inner" not in handles()


def test_due_filters(netlog, morning):
    inner = netlog.json("due", "--circle", "inner")
    assert [p["handle"] for p in inner["contacts"]] == ["ann-inner"]
    assert [p["contact"] for p in inner["promises"]] == ["gus-archived"]  # archived, still owed
    assert inner["birthdays"] == []
    limited = netlog.json("due", "--limit", "1")
    assert [p["handle"] for p in limited["contacts"]] == ["ann-inner"]
    assert len(limited["promises"]) == 1


def test_due_exit_status(netlog, morning, tmp_path):
    assert netlog.fail("due", "--exit-status").stdout  # due things: exit 1, list still printed
    quiet = tmp_path / "quiet.db"
    netlog("--db", str(quiet), "add", "Zed", "--circle", "acquaintance")
    assert netlog("--db", str(quiet), "due", "--exit-status").exit_code == 0


def test_bare_netlog_is_due(netlog, morning):
    assert netlog().stdout == netlog("due").stdout
    assert "People to contact" in netlog().stdout


def test_due_human_output_reads_well(netlog, morning):
    out = netlog("due").stdout
    assert out.startswith("Due on Tuesday 2026-03-10")
    for text in ("Promises you made", "send the article", "1 day late", "Asks to follow up",
                 "People to contact", "give first: you owe 2", "Birthdays", "turns 36"):  # fmt: skip
        assert text in out, text


def test_empty_ledger_says_how_to_start(netlog):
    netlog("config", "set", "give_before_ask", "4")  # a ledger with no contacts yet
    result = netlog("due")
    assert "Your ledger is empty" in result.stdout and "netlog add" in result.stdout
    assert netlog.json("due") == {
        "as_of": "2026-03-10",
        "promises": [],
        "asks": [],
        "contacts": [],
        "birthdays": [],
    }


def test_nothing_due_says_who_is_next(netlog):
    netlog("add", "Zoe Close", "--circle", "close", "--met", "2026-03-01")
    out = netlog("due").stdout
    assert "Nothing is due" in out
    assert "Zoe Close, in 21 days (2026-03-31)" in out


def test_cadence_settings_change_who_is_due(netlog, morning):
    netlog("config", "set", "cadence.active", "100d")
    assert "cat-active" not in [p["handle"] for p in netlog.json("due")["contacts"]]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Across the new year: Dec 30 to Jan 6, both included.
        (
            "2026-12-30",
            [("dec-thirty", "2026-12-30", 0), ("jan-three", "2027-01-03", 4), ("jan-six", "2027-01-06", 7)],
        ),
        # A leap-day birthday falls on Feb 28 in other years.
        ("2027-02-25", [("leap-day", "2027-02-28", 3)]),
        ("2028-02-25", [("leap-day", "2028-02-29", 4)]),
    ],
)
def test_birthdays_across_the_year_boundary(netlog, db_path, as_of, expected):
    with building(db_path) as b:
        for name, birthday in [("Dec Thirty", (None, 12, 30)), ("Jan Three", (1999, 1, 3)),
                               ("Jan Six", (None, 1, 6)), ("Jan Seven", (None, 1, 7)),
                               ("Dec Twenty Nine", (None, 12, 29)),
                               ("Leap Day", (2000, 2, 29))]:  # fmt: skip
            b.contact(name, birthday=birthday, circle="acquaintance", met=d(2026, 3, 1))
    got = netlog.json("due", "--as-of", as_of)["birthdays"]
    assert [(b["handle"], b["date"], b["in_days"]) for b in got] == expected


# --- balance ---------------------------------------------------------------------------------


@pytest.fixture
def exchanges(db_path):
    with building(db_path) as b:
        joe = b.contact("Joe Generous", met=d(2025, 1, 1))
        for n in range(5):  # five gifts this year, nothing back: one-sided, not ready to ask
            b.give(joe, on=d(2026, 1, 1 + n))
        kim = b.contact("Kim Fair", met=d(2025, 1, 1))
        for n in range(5):
            b.give(kim, on=d(2026, 1, 1 + n))
        b.receive(kim, on=d(2026, 2, 1))  # one back this year: balance 4, ready to ask
        lou = b.contact("Lou Old", met=d(2024, 1, 1))
        b.give(lou, on=d(2025, 2, 1))  # over 365 days ago: only 4 in the last year
        for n in range(4):
            b.give(lou, on=d(2026, 1, 1 + n))
        mo = b.contact("Mo Owed", met=d(2025, 1, 1))
        b.receive(mo, on=d(2026, 1, 5), weight=2)
        b.receive(mo, on=d(2026, 1, 6))
        b.give(mo, on=d(2026, 1, 7), status="promised")  # promises don't count
        ned = b.contact("Ned Even", met=d(2025, 1, 1))
        b.give(ned, on=d(2026, 1, 1))
        b.receive(ned, on=d(2026, 1, 2))
        b.receive(ned, on=d(2026, 1, 3), status="asked")  # pending asks don't count
        oz = b.contact("Oz Invested", met=d(2025, 1, 1))
        b.give(oz, on=d(2026, 1, 1))
        b.give(oz, on=d(2026, 1, 2), weight=2)
        b.receive(oz, on=d(2026, 1, 3), status="declined")
        b.contact("Pat Nothing", met=d(2025, 1, 1))
    return db_path


def test_balance_orders_by_balance_and_names_the_state(netlog, exchanges):
    rows = netlog.json("balance")
    assert [
        (
            r["handle"],
            r["given"],
            r["given_weight"],
            r["received"],
            r["received_weight"],
            r["balance"],
            r["state"],
        )
        for r in rows
    ] == [
        ("mo-owed", 0, 0, 2, 3, -3, "owing"),
        ("ned-even", 1, 1, 1, 1, 0, "even"),
        ("oz-invested", 2, 3, 0, 0, 3, "invested"),
        ("kim-fair", 5, 5, 1, 1, 4, "ready to ask"),
        ("joe-generous", 5, 5, 0, 0, 5, "one-sided"),
        ("lou-old", 5, 5, 0, 0, 5, "ready to ask"),
    ]
    everyone = [r["handle"] for r in netlog.json("balance", "--all")]
    assert everyone.index("pat-nothing") == everyone.index("ned-even") + 1


def test_balance_totals_line(netlog, exchanges):
    out = netlog("balance").stdout
    # gives: 5 + 5 + 5 + 1 + 2 = 18 done; asks: kim 1, mo 2, ned 2, oz 1 = 6 (any outcome)
    assert "gave 18 favors (weight 19), asked 6; give:ask 3:1" in out


def test_balance_of_one_contact_lists_their_favors(netlog, exchanges):
    mo = netlog.json("balance", "mo")
    assert (mo["balance"], mo["state"]) == (-3, "owing")
    assert [(f["direction"], f["status"], f["date"]) for f in mo["favors"]] == [
        ("given", "promised", "2026-01-07"),
        ("received", "done", "2026-01-06"),
        ("received", "done", "2026-01-05"),
    ]


def test_one_sided_needs_five_gifts_within_the_year(netlog, exchanges):
    # A year later, Joe's gifts have aged out of the window.
    rows = {r["handle"]: r["state"] for r in netlog.json("balance", "--as-of", "2027-01-02")}
    assert rows["joe-generous"] == "ready to ask"


def test_give_before_ask_setting_moves_ready_to_ask(netlog, exchanges):
    netlog("config", "set", "give_before_ask", "3")
    rows = {r["handle"]: r["state"] for r in netlog.json("balance")}
    assert rows["oz-invested"] == "ready to ask"


# --- stale -----------------------------------------------------------------------------------


@pytest.fixture
def cold(db_path):
    with building(db_path) as b:
        b.contact("Quinn Inner", circle="inner", met=d(2026, 2, 9))  # 29 days > 2 x 14
        b.contact("Rae Inner", circle="inner", met=d(2026, 1, 1))  # 68 days
        b.contact("Ann Fine", circle="inner", met=d(2026, 2, 10))  # 28 days = 2 x 14: cold from today
        sol = b.contact("Sol Close", circle="close", met=d(2025, 6, 1))
        b.meet(sol, on=d(2025, 12, 1), kind="call", note="catch-up")  # 99 days > 60
        tia = b.contact("Tia Active", met=d(2025, 6, 1))
        b.give(tia, on=d(2025, 7, 1), what="intro to a recruiter")  # 252 days > 180
        b.contact("Uma Acq", circle="acquaintance", met=d(2025, 6, 1))  # 282 days < 360
        b.contact("Vic Archived", circle="inner", met=d(2025, 1, 1), archived=True)
    return db_path


def test_stale_groups_by_circle_oldest_first(netlog, cold):
    rows = netlog.json("stale")
    assert set(rows[0]) == {
        "handle",
        "name",
        "circle",
        "last_touch",
        "days_since",
        "cadence_days",
        "balance",
        "last_activity",
    }
    assert [(r["handle"], r["days_since"], r["cadence_days"], r["last_activity"]) for r in rows] == [
        ("rae-inner", 68, 14, "meeting"),
        ("quinn-inner", 29, 14, "meeting"),
        ("ann-fine", 28, 14, "meeting"),
        ("sol-close", 99, 30, "call: catch-up"),
        ("tia-active", 252, 90, "gave (done): intro to a recruiter"),
    ]
    out = netlog("stale").stdout
    assert out.index("Inner circle") < out.index("Close circle") < out.index("Active circle")


def test_stale_with_days_or_factor(netlog, cold):
    assert [r["handle"] for r in netlog.json("stale", "--days", "200")] == ["tia-active", "uma-acq"]
    assert [r["handle"] for r in netlog.json("stale", "--factor", "4")] == ["rae-inner"]
    netlog("config", "set", "stale.factor", "3")
    assert [r["handle"] for r in netlog.json("stale")] == ["rae-inner", "sol-close"]
    netlog.fail("stale", "--days", "10", "--factor", "2", code=2)


# --- stats -----------------------------------------------------------------------------------


@pytest.fixture
def habits(db_path):
    with building(db_path) as b:
        x = b.contact("Xena", circle="inner", source="work", met=d(2026, 2, 23))
        y = b.contact("Yuri", circle="close", source="work", met=d(2025, 1, 1))
        z = b.contact("Zara", source="group", met=d(2025, 1, 1))
        w = b.contact("Walt", met=d(2025, 1, 1))
        b.contact("Old Archived", met=d(2026, 3, 9), archived=True)  # not counted anywhere
        # Touches (interactions, favors by their date unless declined, and promises kept
        # later on the day they were kept), by week:
        # 03-09: two meetings; 03-02: one, and Yuri's second promise kept on 03-07;
        # 02-23: Xena met, Yuri's promise of 02-25, Zara's ask of 02-28, and Yuri's first
        # promise kept on 02-28; 02-16: Yuri's promise of 02-20; 02-09: none.
        b.meet(x, y, on=d(2026, 3, 9))
        b.meet(z, on=d(2026, 3, 10))
        b.meet(y, on=d(2026, 3, 3))
        # promises: kept on time, kept late, still open past due, not due yet, kept early
        b.give(y, on=d(2026, 2, 20), status="done", due=d(2026, 3, 1), resolved_on=d(2026, 2, 28))
        b.give(y, on=d(2026, 2, 25), status="done", due=d(2026, 3, 5), resolved_on=d(2026, 3, 7))
        b.give(z, on=d(2026, 1, 20), status="promised", due=d(2026, 3, 8))
        b.give(z, on=d(2026, 1, 20), status="promised", due=d(2026, 3, 20))
        b.give(w, on=d(2026, 1, 20), status="done", due=d(2026, 3, 20), resolved_on=d(2026, 2, 2))
        # asks: Xena delivered both, Yuri one of two, Walt never answered (40 days)
        b.receive(x, on=d(2026, 1, 5))
        b.receive(x, on=d(2026, 1, 6))
        b.receive(y, on=d(2026, 1, 5))
        b.receive(y, on=d(2026, 1, 6), status="declined")
        b.receive(w, on=d(2026, 1, 29), status="asked")
        b.receive(z, on=d(2026, 2, 28), status="asked")  # 10 days: too early to judge
    return db_path


def test_stats_numbers(netlog, habits):
    stats = netlog.json("stats")
    assert stats["contacts"] == {
        "total": 4,
        "by_circle": {"inner": 1, "close": 1, "active": 2, "acquaintance": 0},
        "by_source": {
            "personal": 0,
            "work": 2,
            "education": 0,
            "group": 1,
            "service": 0,
            "chance": 0,
            "online": 0,
            "unknown": 1,
        },
    }
    weeks = stats["touches_per_week"]
    assert len(weeks) == 12 and weeks[0]["week"] == "2025-12-22" and weeks[-1]["week"] == "2026-03-09"
    assert [w["touches"] for w in weeks[-5:]] == [0, 1, 4, 2, 2]
    # gives done: 3 (two kept promises and the early one); asks: 6, whatever the outcome
    assert (stats["gives"], stats["asks"], stats["give_ask_ratio"]) == (3, 6, 0.5)
    assert stats["follow_through"] == {"kept_on_time": 2, "came_due": 4, "ratio": 0.5}
    top = stats["ask_follow_through"]["top"]
    assert [(p["handle"], p["done"], p["declined"], p["unanswered"], p["ratio"]) for p in top] == [
        ("xena", 2, 0, 0, 1.0),
        ("yuri", 1, 1, 0, 0.5),
        ("walt", 0, 0, 1, 0.0),
    ]
    assert stats["ask_follow_through"]["bottom"] == []  # no one left after the top five
    assert stats["streak_weeks"] == 4  # 03-09, 03-02, 02-23, 02-16


def test_stats_top_and_bottom_do_not_overlap(netlog, habits):
    follow = netlog.json("stats", "--limit", "1")["ask_follow_through"]
    assert [p["handle"] for p in follow["top"]] == ["xena"]
    assert [p["handle"] for p in follow["bottom"]] == ["walt"]


def test_streak_counts_from_last_week_until_this_week_has_a_touch(netlog, habits):
    assert netlog.json("stats", "--as-of", "2026-03-16")["streak_weeks"] == 4
    assert netlog.json("stats", "--as-of", "2026-03-23")["streak_weeks"] == 0


@pytest.mark.parametrize("weeks", [12, 38, 40])
def test_a_streak_longer_than_the_weeks_shown_is_counted_to_its_start(netlog, db_path, weeks):
    """A touch every week for `weeks` weeks up to this one (2026-03-09's), none the week
    before they began, one the week before that: the streak is `weeks`, on whichever
    side of the 12 weeks shown, or of each later look-up of 26, it begins."""
    this_week = d(2026, 3, 9)
    with building(db_path) as b:
        pat = b.contact("Pat", met=this_week - timedelta(weeks=weeks + 1) + timedelta(days=2))
        for n in range(weeks):  # on a different weekday each week, Sunday included
            b.meet(pat, on=this_week - timedelta(weeks=n) + timedelta(days=n % 7))
    stats = netlog.json("stats", "--as-of", "2026-03-15")
    assert stats["streak_weeks"] == weeks
    assert stats["touches_per_week"][0]["touches"] == (1 if weeks >= 12 else 0)


def test_stats_human_output_has_a_bar_chart(netlog, habits):
    out = netlog("stats").stdout
    assert "Touches per week" in out and "█" in out
    assert "Give:ask ratio: 0.5:1" in out and "Streak: 4 weeks" in out


def test_reports_skip_archived_contacts(netlog, db_path):
    with building(db_path) as b:
        gone = b.contact("Gone", circle="inner", met=d(2025, 1, 1), archived=True)
        b.give(gone, on=d(2026, 3, 1))
    assert netlog.json("due")["contacts"] == []
    assert netlog.json("balance") == []
    assert netlog.json("stale") == []
    assert netlog.json("stats")["gives"] == 0


def test_reports_filter_by_tag(netlog, db_path):
    with building(db_path) as b:
        b.contact("Tagged", circle="inner", met=d(2026, 1, 1), tags=("climate",))
        b.contact("Untagged", circle="inner", met=d(2026, 1, 1))
    assert [c["handle"] for c in netlog.json("due", "--tag", "climate")["contacts"]] == ["tagged"]
    assert [c["handle"] for c in netlog.json("stale", "--tag", "Climate")] == ["tagged"]
    assert netlog.json("stats", "--tag", "climate")["contacts"]["total"] == 1
