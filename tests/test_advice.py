"""The advice agrees with itself: one rule for each thing `due`, `stale`, `balance`,
`stats` and `ask` say (ledger/rules.py), tested on both sides of every boundary.

Default cadences: inner 14 days, close 30, active 90. Dates are worked out by hand.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def on(monkeypatch):
    """Move "today" (NETLOG_TODAY), as the days of real use go by."""

    def move(day: str) -> None:
        monkeypatch.setenv("NETLOG_TODAY", day)

    return move


# --- touches ---------------------------------------------------------------------------------


def test_keeping_a_promise_touches_the_contact_on_the_day_it_is_kept(netlog, on):
    on("2026-03-01")
    netlog("add", "Tom Inner", "--circle", "inner", "--met", "2026-02-20")
    netlog("give", "tom", "two intros", "--promise")  # favor 1, a touch on 03-01
    on("2026-03-20")
    assert netlog.json("show", "tom")["last_touch"] == "2026-03-01"  # 19 days: due...
    assert [p["handle"] for p in netlog.json("due")["contacts"]] == ["tom-inner"]
    netlog("done", "1")  # ...until the promise is kept, today
    assert netlog.json("show", "tom")["last_touch"] == "2026-03-20"
    assert netlog.json("due")["contacts"] == []
    assert netlog.json("stale", "--days", "1") == []
    # and the day counts in the weekly touches: the week of 03-16 has this one touch
    weeks = {w["week"]: w["touches"] for w in netlog.json("stats")["touches_per_week"]}
    assert weeks["2026-03-16"] == 1


def test_receiving_what_you_asked_for_touches_them_too(netlog, on):
    on("2026-03-01")
    netlog("add", "Uma Close", "--circle", "close", "--met", "2026-01-10")
    netlog("ask", "uma", "a reference", "-q")  # favor 1
    on("2026-04-15")
    netlog("done", "1", "--date", "2026-04-12")
    assert netlog.json("show", "uma")["last_touch"] == "2026-04-12"


def test_declining_touches_nobody(netlog, on):
    on("2026-03-01")
    netlog("add", "Vic Inner", "--circle", "inner", "--met", "2026-02-20")
    netlog("give", "vic", "a talk", "--promise")  # favor 1
    on("2026-03-20")
    netlog("decline", "1")
    vic = netlog.json("show", "vic")
    assert vic["last_touch"] == "2026-02-20"  # the meeting: a withdrawn promise is no touch
    assert [(p["handle"], p["days_since"]) for p in netlog.json("due")["contacts"]] == [("vic-inner", 28)]


# --- boundaries, each on both sides ------------------------------------------------------------


@pytest.mark.parametrize(("met", "due"), [("2026-02-24", True), ("2026-02-25", False)])
def test_due_from_the_day_the_cadence_is_reached(netlog, met, due):
    netlog("add", "Ann Inner", "--circle", "inner", "--met", met)  # 14 or 13 days before 03-10
    assert bool(netlog.json("due")["contacts"]) is due


@pytest.mark.parametrize(("met", "cold"), [("2026-02-10", True), ("2026-02-11", False)])
def test_stale_from_the_day_it_is_factor_times_the_cadence(netlog, met, cold):
    netlog("add", "Ann Inner", "--circle", "inner", "--met", met)  # 28 or 27 days: 2 x 14 = 28
    assert bool(netlog.json("stale")) is cold


@pytest.mark.parametrize(("met", "cold"), [("2026-02-24", True), ("2026-02-25", False)])
def test_stale_days_counts_that_day_in(netlog, met, cold):
    netlog("add", "Bo Active", "--met", met)  # 14 or 13 days
    assert bool(netlog.json("stale", "--days", "14")) is cold


@pytest.mark.parametrize(("promised", "listed"), [("2026-02-24", True), ("2026-02-25", False)])
def test_a_promise_without_a_due_day_shows_once_14_days_old(netlog, promised, listed):
    netlog("add", "Cy Close", "--circle", "close", "--met", "2026-02-20")
    netlog("give", "cy", "an article", "--promise", "--date", promised)
    assert bool(netlog.json("due")["promises"]) is listed


@pytest.mark.parametrize(("asked", "listed"), [("2026-02-24", True), ("2026-02-25", False)])
def test_an_ask_shows_for_follow_up_once_14_days_old(netlog, asked, listed):
    netlog("add", "Di Close", "--circle", "close", "--met", "2026-02-20")
    netlog("ask", "di", "a reference", "--date", asked, "-q")
    assert bool(netlog.json("due")["asks"]) is listed


@pytest.mark.parametrize(("asked", "unanswered"), [("2026-02-08", 1), ("2026-02-09", 0)])
def test_an_ask_counts_as_unanswered_once_30_days_old(netlog, asked, unanswered):
    netlog("add", "Ed Close", "--circle", "close", "--met", "2026-02-01")
    netlog("ask", "ed", "a reference", "--date", asked, "-q")  # 30 or 29 days before 03-10
    people = netlog.json("stats")["ask_follow_through"]["top"]
    assert [p["unanswered"] for p in people] == ([1] if unanswered else [])


def test_a_promise_on_its_due_day_is_due_but_not_late(netlog):
    netlog("add", "Fay Close", "--circle", "close", "--met", "2026-03-01")
    netlog("give", "fay", "the slides", "--promise", "--due", "2026-03-10", "--date", "2026-03-02")
    due = netlog.json("due")
    assert [p["description"] for p in due["promises"]] == ["the slides"]
    assert "today" in netlog("due").stdout and "late" not in netlog("due").stdout
    # follow-through does not count it against you on the day...
    assert netlog.json("stats")["follow_through"] == {"kept_on_time": 0, "came_due": 0, "ratio": None}
    # ...but does from the next day, when it is late
    assert netlog.json("stats", "--as-of", "2026-03-11")["follow_through"]["came_due"] == 1
    assert "1 day late" in netlog("due", "--as-of", "2026-03-11").stdout


def test_a_promise_kept_on_its_due_day_is_kept_on_time(netlog):
    netlog("add", "Gil Close", "--circle", "close", "--met", "2026-03-01")
    netlog("give", "gil", "the slides", "--promise", "--due", "2026-03-10", "--date", "2026-03-02")
    netlog("done", "1")  # today, 03-10: its due day
    assert netlog.json("stats")["follow_through"] == {"kept_on_time": 1, "came_due": 1, "ratio": 1.0}


# --- what snooze and archive hide ------------------------------------------------------------


def test_snooze_hides_the_person_and_what_is_open_with_them(netlog):
    netlog("add", "Aisha Inner", "--circle", "inner", "--met", "2026-01-01")
    netlog("ask", "aisha", "an intro", "--date", "2026-02-01", "-q")  # 37 days: to follow up
    netlog("give", "aisha", "a review", "--promise", "--due", "2026-03-09", "--date", "2026-02-01")
    before = netlog.json("due")
    assert (len(before["contacts"]), len(before["asks"]), len(before["promises"])) == (1, 1, 1)
    netlog("snooze", "aisha", "1w")  # until 03-17
    hidden = netlog.json("due")
    assert hidden["contacts"] == hidden["asks"] == hidden["promises"] == []
    back = netlog.json("due", "--as-of", "2026-03-17")
    assert (len(back["contacts"]), len(back["asks"]), len(back["promises"])) == (1, 1, 1)


def test_archiving_someone_you_owe_warns_and_keeps_the_promise_in_due(netlog):
    netlog("add", "Gus Inner", "--circle", "inner", "--met", "2026-01-01")
    netlog("give", "gus", "a reference", "--promise", "--due", "2026-03-05", "--date", "2026-02-01")
    archived = netlog("archive", "gus")
    assert 'you still owe Gus Inner "a reference" (f1, due 2026-03-05)' in archived.stderr
    assert "netlog done f1" in archived.stderr and "netlog decline f1" in archived.stderr
    due = netlog.json("due")
    assert due["contacts"] == []  # no longer someone to keep in touch with...
    assert [p["description"] for p in due["promises"]] == ["a reference"]  # ...but still owed
    assert netlog("archive", "gus").stderr.count("you still owe") == 1  # says it every time
    netlog("decline", "1")
    assert netlog("unarchive", "gus").stderr == ""
    assert "you still owe" not in netlog("archive", "gus").stderr


# --- a past day, answered as it was --------------------------------------------------------


REPORTS = (["due"], ["balance"], ["balance", "--all"], ["stale"], ["stats"], ["balance", "kim"])


def test_a_past_as_of_answers_as_if_nothing_later_had_been_recorded(netlog, on):
    on("2026-03-10")
    netlog("add", "Kim Close", "--circle", "close", "--met", "2026-01-05")
    netlog("add", "Lee Inner", "--circle", "inner", "--met", "2026-02-01")
    netlog("add", "Max Active", "--met", "2025-11-01")
    netlog("give", "kim", "an intro", "--weight", "2", "--date", "2026-01-20")
    netlog("give", "kim", "a review", "--promise", "--due", "2026-03-06", "--date", "2026-02-10")
    netlog("ask", "lee", "a reference", "--date", "2026-02-05", "-q")
    netlog("ask", "max", "advice", "--done", "--date", "2026-01-15")
    said_then = {" ".join(argv): netlog.json(*argv) for argv in REPORTS}
    assert said_then["due"]["promises"] and said_then["due"]["asks"] and said_then["due"]["contacts"]
    # Three weeks later: the promise kept, the ask declined, new people, touches, favors.
    on("2026-03-31")
    netlog("done", "2", "--date", "2026-03-20")
    netlog("decline", "3", "--date", "2026-03-12")
    netlog("meet", "max", "lee", "--date", "2026-03-25")
    netlog("give", "max", "a big intro", "--weight", "5", "--date", "2026-03-26")
    netlog("ask", "kim", "a loan", "--done", "--weight", "3", "--date", "2026-03-27")
    netlog("add", "New Person", "--circle", "inner", "--met", "2026-01-01")
    for argv in REPORTS:
        assert netlog.json(*argv, "--as-of", "2026-03-10") == said_then[" ".join(argv)], argv


def test_an_ask_put_off_is_not_chased_but_still_keeps_you_from_asking_again(netlog):
    netlog("add", "Jane Close", "--circle", "close", "--met", "2026-01-01")  # 68 days: due
    netlog("give", "jane", "a big intro", "--weight", "5", "--date", "2026-01-01")
    netlog("ask", "jane", "a reference", "--date", "2026-01-01", "-q")  # f2, open 68 days
    netlog("edit-favor", "f2", "--due", "2026-05-15")  # follow up in May, not now
    due = netlog.json("due")
    assert due["asks"] == []
    assert [(p["handle"], p["suggestion"]) for p in due["contacts"]] == [("jane-close", "catch up")]
    assert netlog.json("balance", "jane")["state"] == "ask open"
    assert "has not answered your ask" in netlog("ask", "jane", "another").stderr


def test_a_promise_come_due_comes_before_asking(netlog):
    netlog("add", "Jane Close", "--circle", "close", "--met", "2026-02-01")
    netlog("give", "jane", "a big intro", "--weight", "5", "--date", "2026-02-01")
    netlog("give", "jane", "send the deck", "--promise", "--due", "2026-03-05", "--date", "2026-02-20")
    assert netlog.json("balance", "jane")["state"] == "promise due"  # +5, but the deck is 5 days late
    warned = netlog("ask", "jane", "an intro to her CFO").stderr
    assert 'you promised Jane Close "send the deck" (f2, due 2026-03-05): keep it before asking' in warned
    netlog("done", "f2")
    assert netlog.json("balance", "jane")["state"] == "ask open"  # kept; the new ask is open now
