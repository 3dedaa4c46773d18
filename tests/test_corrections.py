"""Correcting the past: one touch or favor at a time, every change undoable."""

from __future__ import annotations

import sqlite3

import pytest


def dump(db_path) -> list[str]:
    conn = sqlite3.connect(db_path)
    rows = [line for line in conn.iterdump() if "undo_" not in line]
    conn.close()
    return rows


@pytest.fixture
def week(netlog):
    """Jane met on 03-01 (t1), Sam on 03-01 (t2), lunch with Jane on 03-05 (t3),
    an intro promised to Jane (f1), an ask of Sam (f2)."""
    netlog("add", "Jane Doe", "--circle", "inner", "--met", "2026-03-01")
    netlog("add", "Sam Rivera", "--met", "2026-03-01")
    netlog("meet", "jane", "--kind", "meal", "--note", "lunch at Nopa", "--date", "2026-03-05")
    netlog("give", "jane", "intro to a designer", "--promise", "--due", "2026-03-09", "--date", "2026-03-05")
    netlog("ask", "sam", "a reference", "--date", "2026-03-06", "-q")
    return netlog


def test_log_shows_the_id_of_every_touch_and_favor(week):
    out = week("log").stdout
    for ref in ("t1", "t2", "t3", "f1", "f2"):
        assert f" {ref}" in out, ref
    items = week.json("log")
    assert [(i["type"], i["id"]) for i in items] == [
        ("interaction", 1), ("interaction", 2), ("interaction", 3), ("favor", 1), ("favor", 2),
    ]  # fmt: skip


def test_edit_touch_corrects_day_kind_note_and_people(week):
    changed = week.json("edit-touch", "t3", "--date", "2026-03-06", "--kind", "call", "--note", "a call",
                        "--add", "sam")  # fmt: skip
    assert changed == {"id": 3, "date": "2026-03-06", "kind": "call", "note": "a call",
                       "contacts": ["jane-doe", "sam-rivera"]}  # fmt: skip
    assert week.json("show", "sam")["last_touch"] == "2026-03-06"  # the ask and now the call
    week("edit-touch", "3", "--remove", "jane", "--clear-note")
    assert week.json("show", "jane")["last_touch"] == "2026-03-05"  # the promise, not the call
    assert week.json("log", "sam", "--kind", "call")[0]["note"] is None


def test_a_touch_keeps_at_least_one_person(week):
    result = week.fail("edit-touch", "t1", "--remove", "jane")
    assert "needs at least one person" in result.stderr and "netlog rm-touch t1" in result.stderr
    assert "was not at t1" in week.fail("edit-touch", "t1", "--remove", "sam").stderr


def test_edit_favor_moves_a_promise_out_of_the_morning_list(week):
    assert [p["id"] for p in week.json("due")["promises"]] == [1]  # due 03-09, late today
    moved = week.json("edit-favor", "f1", "--due", "3d")
    assert moved["due"] == "2026-03-13"
    assert week.json("due")["promises"] == []
    assert [p["id"] for p in week.json("due", "--as-of", "2026-03-13")["promises"]] == [1]


def test_edit_favor_sets_the_day_to_follow_up_on_an_ask(week):
    assert week.json("due")["asks"] == []  # 4 days old: not yet
    week("edit-favor", "f2", "--due", "2026-03-10")
    assert [a["id"] for a in week.json("due")["asks"]] == [2]
    week("edit-favor", "f2", "--no-due")
    assert week.json("due")["asks"] == []


def test_a_due_day_is_only_for_an_open_promise_or_ask(week):
    week("give", "jane", "a book")  # f3, done at once
    refused = week.fail("edit-favor", "f3", "--due", "3d")
    assert "Favor f3 is done: a due day is for an open promise" in refused.stderr
    week("done", "f1")
    assert "Favor f1 is done" in week.fail("edit-favor", "f1", "--no-due").stderr
    assert week.json("stats")["follow_through"]["came_due"] == 1  # f1 only, kept late


def test_edit_favor_corrects_weight_description_and_day(week):
    week("done", "f1", "--date", "2026-03-08")
    fixed = week.json("edit-favor", "f1", "--weight", "3", "--what", "intro to Ana", "--date", "2026-03-04")
    assert (fixed["weight"], fixed["description"], fixed["date"]) == (3, "intro to Ana", "2026-03-04")
    assert week.json("balance", "jane")["balance"] == 3
    late = week.fail("edit-favor", "f1", "--date", "2026-03-09")
    assert "was done on 2026-03-08" in late.stderr


def test_removing_needs_yes_off_a_terminal_and_undo_brings_it_back(week, db_path):
    before = dump(db_path)
    assert "--yes" in week.fail("rm-touch", "t3").stderr
    assert "--yes" in week.fail("rm-favor", "f1").stderr
    assert dump(db_path) == before
    gone = week.json("rm-touch", "t3", "--yes")
    assert gone["note"] == "lunch at Nopa"  # the touch as it was
    week("rm-favor", "f1", "--yes")
    assert [i["id"] for i in week.json("log")] == [1, 2, 2]  # t1, t2, f2
    week("undo")
    week("undo")
    assert dump(db_path) == before


def test_removing_on_a_terminal_asks_first(week, monkeypatch):
    import netlog.cli.common as common

    monkeypatch.setattr(common, "interactive", lambda: True)
    kept = week.fail("rm-favor", "f1", input="n\n")
    assert 'Delete favor f1 "intro to a designer" (jane-doe, 2026-03-05)?' in kept.stdout
    assert [f["id"] for f in week.json("log", "--kind", "favor")] == [1, 2]
    week("rm-favor", "f1", input="y\n")
    assert [f["id"] for f in week.json("log", "--kind", "favor")] == [2]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rm-favor", "t3"], "t3 is a touch id; this command takes a favor (fN)"),
        (["edit-touch", "f1", "--note", "x"], "f1 is a favor id; this command takes a touch (tN)"),
        (["done", "x1"], "'x1' is not a favor id (like f12 or 12)"),
        (["edit-favor", "f1"], "nothing to change"),
    ],
)
def test_ids_of_the_wrong_kind_are_usage_errors(week, argv, message):
    assert message in week.fail(*argv, code=2).stderr


def test_unknown_ids_say_where_ids_are_shown(week):
    assert (
        "No touch has id t99. Touch ids are shown by netlog log"
        in week.fail("rm-touch", "t99", "--yes").stderr
    )
