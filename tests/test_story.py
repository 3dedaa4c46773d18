"""A week of networking through the real CLI, checked through its JSON."""

from __future__ import annotations

import pytest

CONTACT_KEYS = {
    "id",
    "handle",
    "name",
    "emails",
    "phone",
    "org",
    "title",
    "location",
    "circle",
    "source",
    "via",
    "met_on",
    "cadence_days",
    "birthday",
    "tags",
    "notes",
    "archived",
    "last_touch",
    "snoozed_until",
    "url",
    "first_due",
    "uid",
    "created_at",
    "updated_at",
    # the name's parts, added after the rest
    "name_prefix",
    "given_name",
    "middle_name",
    "family_name",
    "name_suffix",
    "nickname",
    # and the card's labelled entries, added after those
    "email_addresses",
    "phone_numbers",
    "addresses",
    "urls",
    "events",
}
FAVOR_KEYS = {
    "id",
    "contact",
    "direction",
    "description",
    "weight",
    "date",
    "status",
    "due",
    "resolved_on",
    "introduced",
    "introduction",
}
INTERACTION_KEYS = {"id", "date", "kind", "note", "contacts"}


def test_add_records_every_field_and_a_first_meeting(netlog):
    sam = netlog.json("add", "Sam Rivera", "--org", "Acme")
    jane = netlog.json(
        "add",
        "Jane Doe",
        "--email",
        "jane@acme.com",
        "--email",
        "jd@home.example",
        "--phone",
        "+1 555 0100",
        "--org",
        "Acme",
        "--title",
        "CTO",
        "--location",
        "Berlin",
        "--circle",
        "close",
        "--source",
        "work",
        "--via",
        "sam",
        "--met",
        "2026-03-02",
        "--tag",
        "Investor",
        "--tag",
        "climate",
        "--note",
        "Met at the climate meetup",
        "--cadence",
        "3w",
        "--birthday",
        "1990-07-04",
    )
    assert set(jane) == CONTACT_KEYS
    assert jane["handle"] == "jane-doe"
    assert jane["emails"] == ["jane@acme.com", "jd@home.example"]
    assert jane["email_addresses"] == [  # the first given is the preferred one
        {"address": "jane@acme.com", "label": None, "preferred": True},
        {"address": "jd@home.example", "label": None, "preferred": False},
    ]
    assert jane["phone_numbers"] == [{"number": "+1 555 0100", "label": None, "preferred": True}]
    assert jane["via"] == sam["handle"] == "sam-rivera"
    assert jane["met_on"] == "2026-03-02"
    assert jane["last_touch"] == "2026-03-02"  # the first meeting, on --met
    assert jane["cadence_days"] == 21
    assert jane["birthday"] == "1990-07-04"
    assert jane["tags"] == ["climate", "investor"]  # case-folded, sorted
    assert jane["circle"] == "close" and jane["source"] == "work"
    assert jane["created_at"].startswith("2026-03-10T") and jane["created_at"].endswith("Z")

    timeline = netlog.json("show", "jane")["timeline"]
    assert [(t["type"], t["kind"], t["date"]) for t in timeline] == [("interaction", "meeting", "2026-03-02")]


def test_no_meet_records_no_interaction_and_no_meeting_day(netlog):
    dr = netlog.json("add", "Dr. Lee", "--no-meet", "--source", "service")
    assert dr["met_on"] is None
    assert dr["last_touch"] == "2026-03-10"  # counted from the day they were added
    assert netlog.json("show", "lee")["timeline"] == []
    met = netlog.json("add", "Ravi Patel", "--no-meet", "--met", "2026-01-05")
    assert met["met_on"] == "2026-01-05"
    assert netlog.json("show", "ravi")["timeline"] == []


def test_a_week_of_networking(netlog):
    netlog("add", "Sam Rivera", "--met", "2026-02-01")
    netlog("add", "Jane Doe", "--via", "sam", "--met", "2026-03-02")
    netlog("add", "Ravi Patel", "--circle", "inner", "--met", "2026-03-03")

    lunch = netlog.json(
        "meet", "jane", "ravi", "--kind", "meal", "--date", "2026-03-04", "--note", "lunch at Nopa"
    )
    assert set(lunch) == INTERACTION_KEYS
    assert lunch["contacts"] == ["jane-doe", "ravi-patel"]
    assert lunch["kind"] == "meal" and lunch["date"] == "2026-03-04"

    gave = netlog.json("give", "jane", "intro to Sam's investor", "--weight", "2", "--date", "yesterday")
    assert set(gave) == FAVOR_KEYS
    assert (gave["status"], gave["direction"], gave["weight"], gave["date"]) == (
        "done",
        "given",
        2,
        "2026-03-09",
    )
    assert gave["resolved_on"] == "2026-03-09"

    promise = netlog.json("give", "ravi", "review his deck", "--promise", "--due", "next friday")
    assert (promise["status"], promise["due"], promise["resolved_on"]) == (
        "promised",
        "2026-03-13",
        None,
    )

    asked = netlog.json("ask", "ravi", "feedback on my talk", "--quiet")
    assert (asked["direction"], asked["status"]) == ("received", "asked")

    kept = netlog.json("done", str(promise["id"]), "--date", "2026-03-10")
    assert (kept["status"], kept["resolved_on"]) == ("done", "2026-03-10")
    delivered = netlog.json("done", str(asked["id"]))
    assert delivered["status"] == "done"

    jane = netlog.json("show", "jane")
    assert jane["balance"] == {
        "given": 1,
        "given_weight": 2,
        "received": 0,
        "received_weight": 0,
        "balance": 2,
    }
    assert jane["last_touch"] == "2026-03-09"
    # newest first: the favor of 03-09, the lunch of 03-04, the first meeting of 03-02
    assert [(t["type"], t["date"]) for t in jane["timeline"]] == [
        ("favor", "2026-03-09"),
        ("interaction", "2026-03-04"),
        ("interaction", "2026-03-02"),
    ]

    ravi = netlog.json("show", "ravi")
    assert ravi["balance"] == {
        "given": 1,
        "given_weight": 1,
        "received": 1,
        "received_weight": 1,
        "balance": 0,
    }

    sam = netlog.json("show", "sam")
    assert sam["introduced"] == ["jane-doe"]

    log = netlog.json("log", "--since", "2026-03-04")
    assert [(item["type"], item["date"]) for item in log] == [
        ("interaction", "2026-03-04"),
        ("favor", "2026-03-09"),
        ("favor", "2026-03-10"),
        ("favor", "2026-03-10"),
    ]
    assert netlog.json("log", "--since", "6d") == log  # six days before 03-10
    only_jane = netlog.json("log", "jane", "--kind", "meal")
    assert [item["note"] for item in only_jane] == ["lunch at Nopa"]


def test_ask_warns_until_enough_weight_was_given(netlog):
    netlog("add", "Jane Doe")
    first = netlog("ask", "jane", "an intro")  # favor 1
    assert "your balance with Jane Doe is +0" in first.stderr
    assert "suggests +4" in first.stderr
    netlog("decline", "1")
    netlog("give", "jane", "a big intro", "--weight", "4")  # favor 2: one favor, worth 4
    assert netlog.json("balance", "jane")["state"] == "ready to ask"
    assert netlog("ask", "jane", "another intro").stderr == ""  # favor 3
    # While that ask is open, asking again is early, whatever the balance.
    assert netlog.json("balance", "jane")["state"] == "ask open"
    again = netlog("ask", "jane", "one more", "--quiet")  # favor 4, no warning asked for
    assert again.stderr == ""
    netlog("decline", "4")
    open_ask = netlog("ask", "jane", "yet another")  # favor 5
    assert 'has not answered your ask "another intro" of 2026-03-10 (f3)' in open_ask.stderr
    netlog("decline", "5")
    netlog("done", "3")  # she delivered (weight 1): balance 4 - 1 = +3
    assert "your balance with Jane Doe is +3" in netlog("ask", "jane", "a fourth").stderr


def test_ask_when_you_owe_says_by_how_much_and_done_never_warns(netlog):
    netlog("add", "Sam Rivera")
    helped = netlog("ask", "sam", "fixed my laptop", "--done", "--weight", "2")
    assert helped.stderr == ""  # they helped unprompted: nothing to warn about
    owing = netlog("ask", "sam", "an intro")
    assert "you owe Sam Rivera 2 (balance -2): give first" in owing.stderr


def test_balance_due_and_ask_give_the_same_advice(netlog):
    """The state, the suggestion and the warning read one rule (ledger/rules.py)."""
    for name in ("Ann Owed", "Bo Asked", "Cy Ready", "Di Short", "Ed Promised"):
        netlog("add", name, "--met", "2025-12-01")  # all due today: 99 days, cadence 90
    netlog("ask", "ann", "a loan", "--done", "--weight", "2", "--date", "2025-12-01")
    netlog("give", "bo", "a big intro", "--weight", "5", "--date", "2025-12-01")
    netlog("ask", "bo", "a reference", "--date", "2025-12-01", "-q")
    netlog("give", "cy", "a big intro", "--weight", "4", "--date", "2025-12-01")
    netlog("give", "di", "coffee", "--weight", "3", "--date", "2025-12-01")
    netlog("ask", "ed", "a loan", "--done", "--weight", "2", "--date", "2025-12-01")
    netlog("give", "ed", "a review", "--promise", "--date", "2025-12-01")  # owing, and promised
    states = {r["handle"]: r["state"] for r in netlog.json("balance")}
    advice = {p["handle"]: p["suggestion"] for p in netlog.json("due")["contacts"]}
    assert states == {"ann-owed": "owing", "bo-asked": "ask open", "cy-ready": "ready to ask",
                      "di-short": "invested", "ed-promised": "owing"}  # fmt: skip
    assert advice == {"ann-owed": "give first: you owe 2", "bo-asked": "follow up on your ask",
                      "cy-ready": "you could ask now", "di-short": "catch up",
                      "ed-promised": "keep your promise"}  # fmt: skip
    warned = {handle: bool(netlog("ask", handle, "x").stderr) for handle in states}
    assert warned == {"ann-owed": True, "bo-asked": True, "cy-ready": False, "di-short": True,
                      "ed-promised": True}  # fmt: skip


def test_give_before_ask_follows_the_setting(netlog):
    netlog("add", "Jane Doe")
    netlog("config", "set", "give_before_ask", "1")
    netlog("give", "jane", "coffee")
    assert netlog("ask", "jane", "intro").stderr == ""


def test_ask_json_keeps_stdout_pure_while_warning(netlog):
    import json

    netlog("add", "Jane Doe")
    result = netlog("ask", "jane", "intro", "--json")
    assert json.loads(result.stdout)["description"] == "intro"
    assert "Warning" in result.stderr


def test_edit_changes_only_what_is_given(netlog):
    netlog("add", "Jane Doe", "--org", "Acme", "--email", "a@acme.com", "--tag", "x")
    edited = netlog.json("edit", "jane", "--title", "CTO", "--email", "b@acme.com")
    assert (edited["org"], edited["title"]) == ("Acme", "CTO")
    assert edited["emails"] == ["a@acme.com", "b@acme.com"]
    replaced = netlog.json(
        "edit",
        "jane",
        "--clear",
        "emails",
        "--email",
        "c@globex.com",
        "--clear",
        "org",
        "--name",
        "Jane Smith",
    )
    assert replaced["emails"] == ["c@globex.com"]
    assert replaced["org"] is None
    assert (replaced["name"], replaced["handle"]) == ("Jane Smith", "jane-doe")
    assert netlog.json("edit", "jane-doe", "--handle", "jane-s")["handle"] == "jane-s"


def test_tag_adds_and_removes(netlog):
    netlog("add", "Jane Doe", "--tag", "old")
    assert netlog.json("tag", "jane", "+vip", "-old", "climate")["tags"] == ["climate", "vip"]


def test_archive_hides_from_list_but_keeps_the_contact(netlog):
    netlog("add", "Jane Doe")
    netlog("add", "Sam Rivera")
    assert netlog.json("archive", "jane")["archived"] is True
    assert [c["handle"] for c in netlog.json("list")] == ["sam-rivera"]
    assert [c["handle"] for c in netlog.json("list", "--archived")] == ["jane-doe"]
    netlog("unarchive", "jane")
    assert len(netlog.json("list")) == 2


def test_rm_deletes_favors_and_interactions_no_one_else_was_in(netlog):
    netlog("add", "Jane Doe")  # interaction 1: only Jane
    netlog("add", "Ravi Patel")  # interaction 2: only Ravi
    netlog("meet", "jane", "ravi")  # interaction 3: both
    netlog("give", "jane", "coffee")
    removed = netlog("rm", "jane", "--yes")
    assert "1 favor and 1 interaction" in removed.stdout
    log = netlog.json("log")
    assert [(item["type"], item["contacts"]) for item in log] == [
        ("interaction", ["ravi-patel"]),
        ("interaction", ["ravi-patel"]),
    ]


def test_list_filters_and_sorts(netlog):
    netlog(
        "add", "Zoe Adams", "--circle", "inner", "--org", "Acme Corp", "--tag", "vip", "--met", "2026-01-05"
    )
    netlog("add", "Adam Zed", "--source", "online", "--note", "met on a forum", "--met", "2026-02-01")
    netlog("add", "Mia Ng", "--org", "Globex", "--tag", "vip", "--email", "mia@globex.com")

    def handles(*args):
        return [c["handle"] for c in netlog.json("list", *args)]

    assert handles() == ["adam-zed", "mia-ng", "zoe-adams"]
    assert handles("--sort", "last") == ["mia-ng", "adam-zed", "zoe-adams"]
    assert handles("--sort", "added") == ["zoe-adams", "adam-zed", "mia-ng"]
    assert handles("--circle", "inner") == ["zoe-adams"]
    assert handles("--source", "online") == ["adam-zed"]
    assert handles("--tag", "VIP") == ["mia-ng", "zoe-adams"]
    assert handles("--tag", "vip", "--org", "acme") == ["zoe-adams"]
    assert handles("--search", "forum") == ["adam-zed"]
    assert handles("--search", "globex.com") == ["mia-ng"]
    assert handles("--limit", "1") == ["adam-zed"]
    assert netlog.json("list", "--circle", "close") == []


def test_empty_ledger_list_says_how_to_start(netlog):
    netlog("config", "set", "give_before_ask", "4")
    result = netlog("list")
    assert result.stdout == ""
    assert "netlog add" in result.stderr


def test_config_round_trip(netlog):
    netlog("add", "Jane Doe")
    assert netlog.json("config", "get", "cadence.close") == {"cadence.close": "30"}
    assert netlog("config", "set", "cadence.close", "3w").stdout.strip() == "cadence.close = 21"
    settings = netlog.json("config", "list")
    assert settings["cadence.close"] == "21"
    assert settings["give_before_ask"] == "4"
    netlog("config", "unset", "cadence.close")
    assert netlog("config", "get", "cadence.close").stdout.strip() == "30"


def test_human_output_is_plain_when_piped(netlog):
    netlog("add", "Jane Doe", "--org", "Acme")
    out = netlog("list").stdout
    assert "jane-doe" in out and "Acme" in out
    assert "\x1b[" not in out  # no colour codes when not a terminal
    shown = netlog("show", "jane").stdout
    assert "Jane Doe" in shown and "meeting" in shown


def test_same_name_on_a_terminal_asks_first(netlog, monkeypatch):
    import netlog.cli.contacts as cli_contacts

    netlog("add", "Jane Doe")
    monkeypatch.setattr(cli_contacts, "interactive", lambda: True)
    declined = netlog.fail("add", "Jane Doe", input="n\n")
    assert "already in your ledger" in declined.stdout
    assert len(netlog.json("list")) == 1
    netlog("add", "Jane Doe", input="y\n")
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe", "jane-doe-2"]


def test_same_name_in_a_script_adds_the_next_handle_and_says_so(netlog):
    netlog("add", "Jane Doe")
    again = netlog("add", "jane doe")
    assert "already in your ledger (jane-doe)" in again.stderr
    assert netlog.json("show", "jane-doe-2")["name"] == "jane doe"


HOSTILE = ["Bob [/x]", "Lee [red]", "[bold red]Rich[/] Markup", "Emo :smile:", "Ann \u202eevil"]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_printed_as_typed_never_as_markup(netlog, text):
    netlog("add", text, "--note", text, "--met", "2026-01-01", "--circle", "inner")
    netlog("meet", "1", "--note", text, "--date", "2026-01-02")
    netlog("give", "1", text, "--promise", "--date", "2026-02-01", "--due", "2026-03-01")
    for args in (["list"], ["show", "1"], ["log"], ["due"], ["stale"], ["balance", "--all"]):
        out = netlog(*args).stdout
        assert text in out, (args, out)


def test_meeting_someone_twice_in_one_command_names_them_once(netlog):
    netlog("add", "Jane Doe")
    assert netlog("meet", "jane", "jane-doe").stdout.count("Jane Doe") == 1


def test_show_says_how_many_older_items_are_hidden(netlog):
    netlog("add", "Jane Doe", "--met", "2026-01-01")
    for n in range(3):
        netlog("meet", "jane", "--date", f"2026-02-0{n + 1}")
    result = netlog("show", "jane", "--limit", "2")
    assert "2 older items not shown" in result.stderr
    assert len(netlog.json("show", "jane", "--limit", "0")["timeline"]) == 4


def test_rm_says_who_loses_their_introducer(netlog):
    netlog("add", "Sam Rivera")
    netlog("add", "Jane Doe", "--via", "sam")
    result = netlog("rm", "sam", "--yes")
    assert "1 contact they introduced has no introducer now" in result.stderr
    assert netlog.json("show", "jane")["via"] is None


def test_introductions_cannot_go_round_in_a_circle(netlog):
    netlog("add", "Sam Rivera")
    netlog("add", "Jane Doe", "--via", "sam")
    netlog("add", "Ravi Patel", "--via", "jane")
    assert "can't also have been introduced" in netlog.fail("edit", "sam", "--via", "ravi").stderr


def test_tag_typos_are_reported(netlog):
    netlog("add", "Jane Doe", "--tag", "family")
    assert "had no tag 'famly'" in netlog("tag", "jane", "-famly").stderr
    netlog.fail("tag", "jane", "+", code=2)
    netlog.fail("tag", "jane", "-", code=2)


def test_archiving_twice_says_so(netlog):
    netlog("add", "Jane Doe")
    netlog("archive", "jane")
    assert "already archived" in netlog("archive", "jane").stdout


def test_control_characters_are_dropped_from_notes_but_lines_kept(netlog):
    jane = netlog.json("add", "Jane Doe", "--note", "line one\nline\x1b[31m two\x07")
    assert jane["notes"] == "line one\nline[31m two"


def test_choices_ignore_case(netlog):
    assert netlog.json("add", "Jane Doe", "--circle", "CLOSE", "--source", "Work")["circle"] == "close"


def test_a_failed_add_does_not_claim_it_added(netlog):
    netlog("add", "Jane Doe")
    result = netlog.fail("add", "Jane Doe", "--via", "nobody")
    assert "adding" not in result.stderr and "added" not in result.stderr
    assert len(netlog.json("list")) == 1


def test_clear_takes_the_option_name_too(netlog):
    netlog("add", "Jane Doe", "--email", "jane@acme.com", "--tag", "vip")
    netlog("edit", "jane", "--clear", "email", "--clear", "tag")
    jane = netlog.json("show", "jane")
    assert (jane["emails"], jane["tags"]) == ([], [])
