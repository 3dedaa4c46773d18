"""Many processes at once, and processes killed half-way: nothing is lost or half-written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from depth import trials

HAMMER = Path(__file__).parent / "workers" / "hammer.py"
PROCESSES = trials(4, 8)
WRITES = trials(30, 100)


def env_for(db: Path) -> dict[str, str]:
    return {**os.environ, "NETLOG_DB": str(db), "NETLOG_TODAY": "2026-03-10"}


NETLOG = [sys.executable, "-m", "netlog"]


def run_netlog(db: Path, *args: str, input: str | None = None) -> float:
    """Run netlog on `db` in its own process, as a user would; returns the seconds it took."""
    start = time.perf_counter()
    subprocess.run([*NETLOG, *args], input=input, text=True, env=env_for(db), check=True, capture_output=True)
    return time.perf_counter() - start


def sound(db: Path) -> None:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_processes_writing_at_once_lose_nothing(netlog, db_path):
    netlog("add", "Jane Doe", "--no-meet")
    workers = [
        subprocess.Popen(
            [sys.executable, str(HAMMER), str(db_path), str(WRITES), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(db_path),
        )
        for n in range(PROCESSES)
    ]
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))
    failures = [f for r in reports for f in r["failures"]]
    assert failures == []
    conn = sqlite3.connect(db_path)
    notes = {row[0] for row in conn.execute("SELECT note FROM interaction")}
    favors = {row[0] for row in conn.execute("SELECT description FROM favor")}
    for n in range(PROCESSES):
        for i in range(WRITES):
            assert (f"touch {n}-{i}" in notes) if i % 2 == 0 else (f"favor {n}-{i}" in favors)
    assert len(notes) == PROCESSES * WRITES // 2 and len(favors) == PROCESSES * WRITES // 2
    sound(db_path)
    assert netlog.json("check")["ok"] is True  # the summary kept up with every write


def contacts_file(path: Path, count: int) -> Path:
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "type": "contact",
                    "name": f"Imported Person {n}",
                    "emails": [f"p{n}@example.com"],
                    "tags": ["bulk"],
                    "met_on": "2025-01-01",
                }
            )
            for n in range(count)
        )
        + "\n"
    )
    return path


def test_readers_are_never_blocked_by_a_long_import_and_see_it_whole(netlog, db_path, tmp_path):
    netlog("add", "Jane Doe", "--circle", "inner", "--met", "2026-01-01")
    source = contacts_file(tmp_path / "many.jsonl", 20_000)
    importer = subprocess.Popen(
        [*NETLOG, "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(db_path),
    )
    seen = []
    # A WAL reader is not blocked by a writer, but SQLite documents moments when a query
    # still gets SQLITE_BUSY ("Sometimes Queries Return SQLITE_BUSY In WAL Mode": another
    # connection recovering or restarting the WAL file). They last microseconds, so a
    # second's patience is enough; a reader blocked by the import would wait for all of it.
    reader = sqlite3.connect(db_path, timeout=1)
    try:
        while importer.poll() is None:
            due = netlog.json("due")  # the real command, in this process
            assert due["contacts"][0]["handle"] == "jane-doe"
            seen.append(reader.execute("SELECT count(*) FROM contact").fetchone()[0])
    finally:
        importer.wait(timeout=120)
    assert importer.returncode == 0, importer.stderr.read() if importer.stderr else ""
    seen.append(reader.execute("SELECT count(*) FROM contact").fetchone()[0])
    assert set(seen) <= {1, 20_001}  # nothing, then everything: never part of it
    assert seen[-1] == 20_001
    assert len(seen) >= 3  # the readers really ran during the import


def kill_at(argv: list[str], env: dict[str, str], delay: float) -> None:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


TRIALS = trials(10, 40)


def schema_objects(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name"
    ).fetchall()


@pytest.fixture(scope="module")
def import_case(tmp_path_factory):
    """A ledger with a few people, and a file of 8,000 contacts to import into it."""
    folder = tmp_path_factory.mktemp("crash-import")
    base = folder / "base.db"
    run_netlog(base, "add", "Jane Doe")
    source = contacts_file(folder / "contacts.jsonl", 8_000)
    return base, source, run_netlog(folder / "timing.db", "import", str(source))


def test_an_import_killed_at_any_moment_leaves_none_or_all_of_it(import_case, tmp_path):
    base, source, duration = import_case
    outcomes = []
    for trial in range(TRIALS):
        db = tmp_path / f"trial-{trial}.db"
        shutil.copy(base, db)
        # From start-up to the end, evenly: each trial stops it at a different point.
        kill_at([*NETLOG, "import", str(source)], env_for(db), duration * trial / TRIALS)
        sound(db)
        conn = sqlite3.connect(db)
        count = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
        assert count in (1, 8_001), f"trial {trial}: {count} contacts"
        # every contact has its summary row, and the schema is whole (nothing set aside)
        assert conn.execute("SELECT count(*) FROM contact_stats").fetchone() == (count,)
        assert schema_objects(conn) == schema_objects(sqlite3.connect(base))
        outcomes.append(count)
    assert 1 in outcomes  # some kills came before the commit...
    assert outcomes[-1] in (1, 8_001)


@pytest.fixture(scope="module")
def rm_case(tmp_path_factory):
    """A contact with 6,000 interactions and 1,000 favors, some shared with someone else."""
    folder = tmp_path_factory.mktemp("crash-rm")
    base = folder / "base.db"
    run_netlog(base, "add", "Busy Person")
    run_netlog(base, "add", "Other Person")
    lines = [
        json.dumps(
            {
                "type": "interaction",
                "date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "kind": "call",
                "contacts": ["busy-person"] + (["other-person"] if n % 10 == 0 else []),
            }
        )
        for n in range(6_000)
    ]
    lines += [
        json.dumps(
            {
                "type": "favor",
                "contact": "busy-person",
                "direction": "given",
                "description": f"favor {n}",
                "date": "2025-06-01",
            }
        )
        for n in range(1_000)
    ]
    run_netlog(base, "import", "-", "--format", "jsonl", input="\n".join(lines))
    timing = folder / "timing.db"
    shutil.copy(base, timing)
    return base, run_netlog(timing, "rm", "busy", "--yes")


def test_a_removal_killed_at_any_moment_leaves_none_or_all_of_it(rm_case, tmp_path):
    base, duration = rm_case
    for trial in range(TRIALS):
        db = tmp_path / f"trial-{trial}.db"
        shutil.copy(base, db)
        kill_at([*NETLOG, "rm", "busy", "--yes"], env_for(db), duration * trial / TRIALS)
        sound(db)
        conn = sqlite3.connect(db)
        people = conn.execute("SELECT count(*) FROM contact WHERE handle = 'busy-person'").fetchone()[0]
        interactions = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
        favors = conn.execute("SELECT count(*) FROM favor").fetchone()[0]
        # Both first meetings stay; the 600 shared calls stay with Other Person.
        assert (people, interactions, favors) in ((1, 6_002, 1_000), (0, 601, 0)), trial
