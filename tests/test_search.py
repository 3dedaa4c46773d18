"""Finding what was said: --search on list and log, without case or accents."""

from __future__ import annotations

import pytest


@pytest.fixture
def people(netlog):
    netlog("add", "José Díaz", "--org", "Globex", "--title", "Head of Café Operations", "--no-meet")
    netlog("add", "Ana Lima", "--email", "ana@nopa.example", "--no-meet", "--tag", "Climate Tech")
    netlog("add", "Bea Kim", "--note", "Runs the 50% club at Nopa", "--no-meet")
    netlog("add", "Cal Ode", "--org", "Initech", "--no-meet")
    return netlog


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("jose", ["jose-diaz"]),  # the name, without its accent
        ("DÍAZ", ["jose-diaz"]),
        ("globex", ["jose-diaz"]),  # the org
        ("cafe operations", ["jose-diaz"]),  # the title, without its accent
        ("nopa", ["ana-lima", "bea-kim"]),  # an email, and the notes
        ("climate", ["ana-lima"]),  # a tag
        ("50%", ["bea-kim"]),  # % is a character here, not a wildcard
        ("5_%", []),
        ("nobody", []),
    ],
)
def test_list_search_looks_in_every_field_a_person_sees(people, text, handles):
    assert [c["handle"] for c in people.json("list", "--search", text)] == handles


def test_log_search_looks_in_notes_and_descriptions(netlog):
    netlog("add", "Jane Doe", "--no-meet")
    netlog("meet", "jane", "--note", "Lunch at Nopa, talked hiring", "--date", "2026-03-02")
    netlog("meet", "jane", "--note", "coffee", "--date", "2026-03-03")
    netlog("give", "jane", "Intro to a designer at NOPA Labs")
    netlog("give", "jane", "a book")
    found = netlog.json("log", "--search", "nopa")
    assert [(i["type"], i["id"]) for i in found] == [("interaction", 1), ("favor", 1)]
    assert netlog.json("log", "--search", "nopa", "--kind", "favor")[0]["description"].startswith("Intro")
    assert (
        netlog("log", "jane", "--search", "zebra").stderr
        == 'Nothing recorded with Jane Doe matching "zebra".\n'
    )
