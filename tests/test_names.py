"""Handles, and how a CONTACT argument finds its contact."""

from __future__ import annotations

import pytest
from depth import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlog.ledger.names import fold, next_free_handle, slug, valid_handle


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Jane Doe", "jane-doe"),
        ("  Jane   Doe ", "jane-doe"),
        ("José Müller", "jose-muller"),
        ("Zoë O'Brien-Smith", "zoe-o-brien-smith"),
        ("최유림", "choe-yu-lim"),
        ("安藤ロイド", "an-teng-roido"),
        ("李小龍", "li-xiao-long"),
        ("Алексей Смирнов", "aleksey-smirnov"),
        ("1984", "contact-1984"),
        ("!!!", "contact"),
    ],
)
def test_handles_are_readable_ascii(name, handle):
    assert slug(name) == handle


def test_collisions_get_a_number():
    assert next_free_handle("jane-doe", set()) == "jane-doe"
    assert next_free_handle("jane-doe", {"jane-doe"}) == "jane-doe-2"
    assert next_free_handle("jane-doe", {"jane-doe", "jane-doe-2"}) == "jane-doe-3"


@given(st.text(min_size=1, max_size=80))
def test_every_name_gets_a_valid_handle(name):
    handle = slug(name)
    assert valid_handle(handle), handle
    assert len(handle) <= 48


def test_fold_ignores_case_and_accents_but_keeps_other_scripts():
    assert fold("José  DÍAZ") == "jose diaz"
    assert fold("安藤ロイド") == "安藤ロイド"  # the dakuten is part of the letter
    assert fold("최유림") == "최유림"


# --- Look-up through the CLI -----------------------------------------------------------------

PEOPLE = ["Jane Doe", "Jane Smith", "José Díaz", "Mary-Jane Watson", "최유림", "Jan"]


@pytest.fixture
def people(netlog):
    for name in PEOPLE:
        netlog("add", name, "--no-meet")
    return netlog


@pytest.mark.parametrize(
    ("ref", "handle"),
    [
        ("1", "jane-doe"),  # an id
        ("jane-smith", "jane-smith"),  # an exact handle
        ("Jane Doe", "jane-doe"),  # the whole name
        ("JANE DOE", "jane-doe"),  # any case
        ("jose", "jose-diaz"),  # without accents
        ("díaz", "jose-diaz"),  # a word of the name
        ("smi", "jane-smith"),  # a prefix of a word
        ("watson", "mary-jane-watson"),
        ("jan", "jan"),  # an exact name beats prefixes of longer ones
        ("최유림", "choe-yu-lim"),
        ("choe", "choe-yu-lim"),  # a handle prefix, for names in other scripts
    ],
)
def test_contact_references(people, ref, handle):
    assert people.json("show", ref)["handle"] == handle


@pytest.mark.parametrize("ref", ["jane", "ja"])
def test_ambiguous_references_list_every_match(people, ref):
    result = people.fail("show", ref)
    for handle in ("jane-doe", "jane-smith", "mary-jane-watson"):
        assert handle in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "¹"],
        ["archive", "¹"],
        ["meet", "²"],
        ["give", "③", "a favor"],
        ["show", "٣"],
        ["show", "1" * 40],
    ],
)
def test_digits_other_than_ascii_are_not_ids_but_names_that_match_nobody(people, argv):
    # "¹".isdigit() is true and int("¹") fails: this was exit 70. "٣" is an Arabic-Indic
    # three: int() reads it, but a user typing it means a name, not contact 3.
    result = people.fail(*argv)
    assert result.stderr.startswith("Error: No contact matches")


def test_archived_contacts_only_match_when_nothing_else_does(netlog):
    netlog("add", "Jane Doe")
    netlog("add", "Jane Old")
    netlog("archive", "jane-old")
    assert netlog.json("show", "jane")["handle"] == "jane-doe"
    assert netlog.json("show", "old")["handle"] == "jane-old"


@settings(
    max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
        .map(str.strip)
        .filter(lambda s: s and any(ch.isalnum() for ch in s)),
        min_size=1,
        max_size=4,
    )
)
def test_any_contact_is_found_by_its_handle_and_its_id(tmp_path_factory, names):
    """Whatever the names, each contact's handle and id find exactly that contact."""
    import json
    import os

    from typer.testing import CliRunner

    from netlog.cli import app

    runner = CliRunner()
    db = tmp_path_factory.mktemp("names") / "n.db"
    env = {"NETLOG_DB": str(db), "NETLOG_TODAY": os.environ["NETLOG_TODAY"]}
    added = []
    for name in names:
        result = runner.invoke(app, ["add", "--json", "--no-meet", "--", name], env=env)
        assert result.exit_code == 0, result.stderr
        added.append(json.loads(result.stdout))
    for contact in added:
        for ref in (contact["handle"], str(contact["id"])):
            shown = runner.invoke(app, ["show", "--json", "--", ref], env=env)
            assert shown.exit_code == 0, shown.stderr
            assert json.loads(shown.stdout)["id"] == contact["id"]
