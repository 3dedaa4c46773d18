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
        f["weight"] for f in favors
        if f["direction"] == "given" and f["status"] == "done" and f["contact"] not in archived
    )  # fmt: skip
    assert sum(r["given_weight"] for r in balance) == given_live <= given
    assert json.loads(json.dumps(netlog.json("--db", str(db), "due")))["contacts"]
