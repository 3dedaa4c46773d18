"""The benchmark tools run at a tiny scale, so they cannot rot. No time is asserted."""

from __future__ import annotations

import json

from bench.generate import generate


def test_generator_builds_a_consistent_ledger(netlog, tmp_path):
    db = tmp_path / "gen.db"
    counts = generate(db=db, contacts=300, interactions=1000, favors=300, seed=3)
    assert counts["contacts"] == 300
    listed = netlog.json("--db", str(db), "list") + netlog.json("--db", str(db), "list", "--archived")
    assert len(listed) == 300
    assert {c["circle"] for c in listed} == {"inner", "close", "active", "acquaintance"}
    assert any(c["via"] for c in listed)
    # The summary the triggers kept during the bulk insert matches the rows.
    balance = netlog.json("--db", str(db), "balance", "--all")
    favors = [item for item in netlog.json("--db", str(db), "log", "--kind", "favor")]
    given = sum(f["weight"] for f in favors if f["direction"] == "given" and f["status"] == "done")
    archived = {c["handle"] for c in listed if c["archived"]}
    given_live = sum(
        f["weight"]
        for f in favors
        if f["direction"] == "given" and f["status"] == "done" and f["contact"] not in archived
    )
    assert sum(r["given_weight"] for r in balance) == given_live <= given
    assert json.loads(json.dumps(netlog.json("--db", str(db), "due")))["contacts"]
    # three needs and eight offers per ten contacts, and matches made of them
    assert (counts["needs"], counts["offers"]) == (90, 240)
    assert len(netlog.json("--db", str(db), "needs")) == 90
    assert netlog.json("--db", str(db), "match")


def test_runner_measures_every_command_and_checks_every_target(tmp_path, capsys):
    """The runner end to end at a tiny scale, once each: it must not rot. Times are not checked."""
    from bench.run import main

    results = tmp_path / "RESULTS.md"
    main(["--scale", "tiny", "--runs", "1", "--warmups", "0", "--write-results", str(results)])
    table = results.read_text()
    for row in ("python -c pass", "sqlite3 due query", "minimal Typer app --help", "netlog --help",
                "netlog due --json", "netlog balance --json", "netlog stale --json", "netlog stats --json",
                "netlog show <busiest> --json", "netlog log --json --since 30d", "netlog list --json",
                "netlog list (table)", "netlog meet (one write)", "netlog export (jsonl)",
                "netlog export --format vcf", "netlog export --format vdir (all new)",
                "netlog export --format vdir (unchanged)", "netlog import (500 contacts jsonl)",
                "netlog import (200 vCards)", "netlog import (1 vCard)",
                "minimal Typer app, one option", "netlog path --org Acme --json", "netlog strength --json",
                "netlog meet (3 people)", "netlog match --json"):  # fmt: skip
        assert row in table, row
    targets = [
        line
        for line in table.splitlines()
        if line.startswith("| ") and line.endswith(("| yes |", "| **no** |"))
    ]
    # help; six reads and list --json against help; the table against list --json; two reports
    # large vs empty; two exports' time and one's memory; a vdir new and unchanged; two
    # import rates and memory; the vCard import rate; a write of one and of three people;
    # paths and strengths against due; the matches against due
    assert len(targets) == 25
    assert "Python" in table and "SQLite" in table  # the machine is named


def test_the_writers_bench_runs_and_loses_no_write(tmp_path):
    """bench.writers at a tiny scale, so it cannot rot: no write may fail. No time is checked."""
    from bench.writers import main

    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nearlier table\n")
    assert main(["--writers", "3", "--writes", "4", "--write-results", str(results)]) == 0
    text = results.read_text()
    assert text.startswith("# Results\n\nearlier table") and "## Concurrent writers" in text
    assert "| 3 | 12 | 0 |" in text  # three writers, twelve writes, none failed
