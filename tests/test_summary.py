"""The per-contact summary (contact_stats) stays exact whatever writes the ledger.

The reports read last touch and favor balances from `contact_stats`, which
SQLite triggers keep current. Here random sequences of every kind of write,
through the ledger functions and through plain SQL, are checked against a
recomputation from the base tables done independently in Python.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from depth import examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import text

from netlog.db import open_session
from netlog.ledger import activity, write
from netlog.ledger.rows import id_list
from netlog.location import locate
from netlog.migrations import recompute_contacts_sql
from netlog.storage.reader import reader_of

START = date(2026, 1, 1)


def expected_stats(session) -> dict[int, tuple]:
    """What contact_stats should hold, computed from the base rows in Python."""
    contact_ids = [row[0] for row in session.exec(text("SELECT id FROM contact"))]
    interaction_dates = dict(session.exec(text("SELECT id, date FROM interaction")).all())
    last_interaction: dict[int, str] = {}
    interaction_count: dict[int, int] = defaultdict(int)
    for interaction_id, contact_id in session.exec(
        text("SELECT interaction_id, contact_id FROM interaction_contact")
    ):
        day = interaction_dates[interaction_id]
        interaction_count[contact_id] += 1
        last_interaction[contact_id] = max(last_interaction.get(contact_id, day), day)
    last_favor: dict[int, str] = {}
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0, 0])
    for contact_id, direction, weight, day, status, resolved in session.exec(
        text("SELECT contact_id, direction, weight, date, status, resolved_on FROM favor")
    ):
        if status in ("done", "promised", "asked"):
            # a favor touches on its day, and a promise kept (an ask met) later on that day
            touched = resolved if status == "done" and resolved and resolved > day else day
            last_favor[contact_id] = max(last_favor.get(contact_id, touched), touched)
        if status == "done":
            offset = 0 if direction == "given" else 2
            sums[contact_id][offset] += 1
            sums[contact_id][offset + 1] += weight
        if direction == "received":
            sums[contact_id][4] += 1  # every ask, whatever became of it
            sums[contact_id][5] += status == "declined"
        open_ = status in ("promised", "asked")
        sums[contact_id][6] += direction == "received" and open_  # asks you wait on
        sums[contact_id][7] += direction == "given" and open_  # promises you owe
    return {
        cid: (
            last_interaction.get(cid),
            last_favor.get(cid),
            interaction_count[cid],
            *sums[cid],
        )
        for cid in contact_ids
    }


def actual_stats(session) -> dict[int, tuple]:
    rows = session.exec(
        text(
            "SELECT contact_id, last_interaction, last_favor, interaction_count, given_count, "
            "given_weight, received_count, received_weight, asked_count, declined_count, "
            "open_asks, open_promises FROM contact_stats"
        )
    )
    return {row[0]: tuple(row[1:]) for row in rows}


day_offsets = st.integers(min_value=0, max_value=60)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add")),
        st.tuples(st.just("meet"), st.lists(st.integers(0, 9), min_size=1, max_size=3), day_offsets),
        st.tuples(
            st.just("favor"),
            st.integers(0, 9),
            st.sampled_from(["given", "received"]),
            st.sampled_from(["done", "promised", "asked", "declined"]),
            st.integers(1, 5),
            day_offsets,
        ),
        st.tuples(st.just("resolve"), st.integers(0, 20), st.sampled_from(["done", "declined"]), day_offsets),
        st.tuples(st.just("rm"), st.integers(0, 9)),
        # plain SQL, as a merge, an undo or a hand edit would write
        st.tuples(st.just("move-interaction-date"), st.integers(0, 20), day_offsets),
        st.tuples(st.just("relink"), st.integers(0, 20), st.integers(0, 9)),
        st.tuples(st.just("delete-interaction"), st.integers(0, 20)),
        st.tuples(
            st.just("change-favor"),
            st.integers(0, 20),
            st.integers(0, 9),
            st.sampled_from(["done", "asked", "declined"]),
            st.integers(1, 5),
            day_offsets,
        ),
        st.tuples(st.just("delete-favor"), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=25,
)


def pick(ids: list[int], index: int) -> int | None:
    return ids[index % len(ids)] if ids else None


def apply(session, op) -> None:
    contact_ids = [row[0] for row in session.exec(text("SELECT id FROM contact ORDER BY id"))]
    interaction_ids = [row[0] for row in session.exec(text("SELECT id FROM interaction ORDER BY id"))]
    favor_ids = [row[0] for row in session.exec(text("SELECT id FROM favor ORDER BY id"))]
    kind = op[0]
    if kind == "add":
        write.add_contacts(session, [write.NewContact(f"Person {len(contact_ids)}")])
    elif kind == "meet" and contact_ids:
        people = [pick(contact_ids, i) for i in op[1]]
        write.record_touches(session, [write.NewTouch(START + timedelta(days=op[2]), people)])
    elif kind == "favor" and contact_ids:
        _, who, direction, status, weight, offset = op
        favor = write.NewFavor(
            pick(contact_ids, who), direction, "something", START + timedelta(days=offset), weight, status
        )
        write.record_favors(session, [favor])
    elif kind == "resolve" and favor_ids:
        favor = activity.find_favor(reader_of(session), pick(favor_ids, op[1]))
        if favor.status in ("promised", "asked"):
            write.resolve_favor(session, favor, status=op[2], on=favor.date + timedelta(days=op[3]))
    elif kind == "rm" and contact_ids:
        write.remove_contact(session, pick(contact_ids, op[1]))
    elif kind == "move-interaction-date" and interaction_ids:
        session.exec(
            text("UPDATE interaction SET date = :d WHERE id = :i"),
            params={"d": (START + timedelta(days=op[2])).isoformat(), "i": pick(interaction_ids, op[1])},
        )
    elif kind == "relink" and interaction_ids and contact_ids:
        session.exec(
            text(
                "UPDATE OR IGNORE interaction_contact SET contact_id = :c "
                "WHERE rowid = (SELECT min(rowid) FROM interaction_contact WHERE interaction_id = :i)"
            ),
            params={"c": pick(contact_ids, op[2]), "i": pick(interaction_ids, op[1])},
        )
    elif kind == "delete-interaction" and interaction_ids:
        session.exec(
            text("DELETE FROM interaction WHERE id = :i"), params={"i": pick(interaction_ids, op[1])}
        )
    elif kind == "change-favor" and favor_ids and contact_ids:
        _, which, who, status, weight, offset = op
        session.exec(
            text(
                "UPDATE favor SET contact_id = :c, status = :s, weight = :w, date = :d, "
                "resolved_on = CASE WHEN :s = 'done' THEN date(:d, '+3 days') END WHERE id = :i"
            ),
            params={
                "c": pick(contact_ids, who),
                "s": status,
                "w": weight,
                "d": (START + timedelta(days=offset)).isoformat(),
                "i": pick(favor_ids, which),
            },
        )
    elif kind == "delete-favor" and favor_ids:
        session.exec(text("DELETE FROM favor WHERE id = :i"), params={"i": pick(favor_ids, op[1])})
    session.flush()


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
# Each write path at least once, whatever the random draw:
@example([("favor", 0, "given", "promised", 2, 3), ("resolve", 0, "done", 5)])
@example([("meet", [0, 1], 9), ("move-interaction-date", 0, 1), ("relink", 0, 2)])
@example([("meet", [0], 5), ("delete-interaction", 0), ("rm", 1)])
@example([("favor", 0, "received", "done", 4, 8), ("change-favor", 0, 2, "asked", 1, 2)])
@example([("favor", 1, "given", "done", 3, 8), ("delete-favor", 0)])
def test_summary_matches_a_full_recomputation_after_any_writes(ops):
    with tempfile.TemporaryDirectory() as folder:
        location = locate(str(Path(folder) / "s.db"))
        with open_session(location, write=True, create=True) as session:
            write.add_contacts(session, [write.NewContact(f"Seed {i}") for i in range(3)])
            for op in ops:
                apply(session, op)
                assert actual_stats(session) == expected_stats(session), op
            # The stand-in that past --as-of reports read agrees with the summary, for a
            # day after everything was recorded.
            assert summary_as_of(session, "2199-12-31") == actual_stats(session)
            # A large import's rebuild of its contacts' summaries, at its end on a server
            # (write.summaries_at_end), gives what the triggers gave, from any summary.
            # (a member's row that has nothing left in it may stay or go, as `check` reads it)
            someone = (
                "WHERE interaction_count + given_count + received_count + asked_count + open_promises > 0"
            )
            tables = {"member_stats": someone, "touch_day": "", "met_pair": ""}
            kept = {t: sorted(session.exec(text(f"SELECT * FROM {t} {where}")).all(), key=str)
                    for t, where in tables.items()}  # fmt: skip
            session.exec(text("UPDATE contact_stats SET given_weight = 99, last_interaction = NULL"))
            session.exec(text("UPDATE member_stats SET interaction_count = 99"))
            session.exec(text("DELETE FROM touch_day"))
            ids = id_list(row[0] for row in session.exec(text("SELECT contact_id FROM contact_stats")))
            for statement in recompute_contacts_sql(ids):
                session.exec(text(statement))
            assert actual_stats(session) == expected_stats(session)
            for table, rows in kept.items():
                again = session.exec(text(f"SELECT * FROM {table} {tables[table]}")).all()
                assert sorted(again, key=str) == rows, table


def summary_as_of(session, day: str) -> dict[int, tuple]:
    from netlog.ledger.rules import SUMMARY_AS_OF_SQL

    rows = session.exec(
        text(
            "SELECT contact_id, last_interaction, last_favor, interaction_count, given_count, "
            "given_weight, received_count, received_weight, asked_count, declined_count, "
            f"open_asks, open_promises FROM {SUMMARY_AS_OF_SQL}"
        ),
        params={"as_of": day},
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def test_summary_survives_a_check_recomputation(netlog, db_path):
    """The stored recomputation SQL (used by `netlog check`) agrees with the triggers."""
    import sqlite3

    from netlog.migrations import recompute_all_stats_sql

    netlog("add", "Jane Doe", "--met", "2026-01-02")
    netlog("add", "Sam Rivera")
    netlog("meet", "jane", "sam", "--date", "2026-02-01")
    netlog("give", "jane", "intro", "--weight", "3")
    netlog("ask", "sam", "advice", "--done", "-q")
    conn = sqlite3.connect(db_path)
    before = conn.execute("SELECT * FROM contact_stats ORDER BY contact_id").fetchall()
    conn.execute("UPDATE contact_stats SET given_weight = 99, last_interaction = NULL")
    for statement in recompute_all_stats_sql():
        conn.execute(statement)
    assert conn.execute("SELECT * FROM contact_stats ORDER BY contact_id").fetchall() == before
    assert before == [
        # contact, last interaction, last favor, interactions, given, weight, received, weight,
        # asks, declined asks, open asks, open promises
        (1, "2026-02-01", "2026-03-10", 2, 1, 3, 0, 0, 0, 0, 0, 0),
        (2, "2026-03-10", "2026-03-10", 2, 0, 0, 1, 1, 1, 0, 0, 0),
    ]
