"""The same SQL answers through both readers: the stdlib sqlite3 module (what read
commands use on a SQLite file) and a SQLAlchemy session (what a write command reads
through, and what any other database will use). Every report and look-up must print the
same bytes through either."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from netlog.storage import reader as reader_module

COMMANDS = [
    ["due", "--json"],
    ["due", "--as-of", "2026-02-20", "--json"],
    ["due", "--within", "30d", "--json"],
    ["due"],
    ["balance", "--json"],
    ["balance", "--all", "--as-of", "2026-02-28", "--json"],
    ["balance", "jane"],
    ["stale", "--json"],
    ["stale", "--days", "10", "--json"],
    ["stats", "--json"],
    ["stats", "--as-of", "2026-02-25", "--circle", "close", "--json"],
    ["show", "jane", "--json"],
    ["show", "sam"],
    ["log", "--json"],
    ["log", "--since", "2026-02-15", "--kind", "favor", "--json"],
    ["log", "--search", "NOPA", "--json"],
    ["list", "--json"],
    ["list", "--search", "acme", "--sort", "last", "--json"],
    ["list", "--tag", "climate", "--json"],
    ["list", "--archived", "--json"],
    ["list"],
    ["export"],
    ["export", "--format", "csv"],
    ["export", "--format", "vcf"],
    ["export", "--format", "ics", "--within", "60d"],
    ["undo", "--list", "--json"],
    ["config", "list", "--json"],
    ["strength", "--json"],
    ["strength", "ravi"],
    ["path", "sam", "--json"],
    ["path", "--org", "acme", "--json"],
    ["path", "--title", "cto"],
    ["intros", "--json"],
    ["export", "--format", "graphml"],
    ["needs", "--json"],
    ["offers", "--open", "--json"],
    ["match", "--json"],
    ["match", "me"],
]


@pytest.fixture
def ledger(netlog):
    for step in (
        ["add", "Jane Doe", "--org", "Acme", "--title", "CTO", "--email", "jane@acme.com", "--tag", "climate",
         "--circle", "close", "--birthday", "03-14", "--met", "2026-01-10"],
        ["add", "Sam Rivera", "--org", "Acme", "--via", "jane", "--met", "2026-01-20"],
        ["add", "Ravi Patel", "--circle", "inner", "--cadence", "2w", "--met", "2025-12-01"],
        ["add", "Élodie Martin", "--circle", "acquaintance", "--no-meet"],
        ["add", "Old Friend", "--met", "2025-06-01"],
        ["archive", "old"],
        ["meet", "jane", "sam", "--kind", "meal", "--date", "2026-02-10", "--note", "lunch at Nopa"],
        ["meet", "ravi", "--kind", "call", "--date", "2026-02-24"],
        ["give", "jane", "intro to a designer", "--weight", "2", "--date", "2026-02-12"],
        ["give", "ravi", "review his deck", "--promise", "--due", "2026-03-05", "--date", "2026-02-20"],
        ["ask", "sam", "feedback on my talk", "--date", "2026-02-26", "-q"],
        ["snooze", "sam", "2026-03-20"],
        ["config", "set", "cadence.close", "3w"],
        ["intro", "ravi", "elodie", "--date", "2026-02-15"],
        ["knows", "ravi", "sam"],
        ["need", "jane", "a designer for her startup", "--tag", "design", "--until", "2026-03-20"],
        ["need", "me", "intro to a climate VC"],
        ["offer", "sam", "brand design", "--tag", "design"],
        ["offer", "ravi", "knows climate investors"],
    ):  # fmt: skip
        netlog(*step)
    return netlog


def read_through_sqlalchemy(patch: pytest.MonkeyPatch) -> None:
    """From now on, read commands open a SQLAlchemy session instead of the stdlib reader."""
    from netlog.db import open_session

    @contextmanager
    def session_reader(location, **callbacks):
        callbacks.pop("create", None)
        with open_session(location, write=False, **callbacks) as session:
            yield reader_module.SessionReader(session)

    patch.setattr(reader_module, "open_reader", session_reader)


def outputs(netlog) -> dict[str, str]:
    # DTSTAMP is when the calendar was written (the clock, not the ledger): left out.
    return {
        " ".join(args): "".join(
            line for line in netlog(*args).stdout.splitlines(True) if not line.startswith("DTSTAMP:")
        )
        for args in COMMANDS
    }


def test_every_report_reads_the_same_through_both_readers(ledger, monkeypatch):
    stdlib = outputs(ledger)
    read_through_sqlalchemy(monkeypatch)
    sqlalchemy = outputs(ledger)
    differing = [
        command for command in COMMANDS if stdlib[" ".join(command)] != sqlalchemy[" ".join(command)]
    ]
    assert differing == []
    # The comparison is about real answers, not two empty screens: worked out by hand.
    assert '"jane-doe"' in stdlib["list --search acme --sort last --json"]
    assert (
        '"target": "sam-rivera"' in stdlib["path sam --json"] and "<node" in stdlib["export --format graphml"]
    )
    assert '"elodie-martin"' not in stdlib["list --search acme --sort last --json"]
    assert '"old-friend"' in stdlib["list --archived --json"]
    assert "Ravi Patel" in stdlib["due"]  # the promise of 03-05 is overdue
    assert "BEGIN:VCARD" in stdlib["export --format vcf"]
    # Jane and Sam know each other (Acme, and a lunch): tell her, no introduction
    assert '"action": "tell"' in stdlib["match --json"] and "Ravi Patel" in stdlib["match me"]
