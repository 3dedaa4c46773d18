"""Every file netlog writes goes through one helper (outfiles.py): a private temporary
file, never through a link, renamed into place; copies and backups never replace a file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from test_storage import load_fixture

NETLOG = [sys.executable, "-m", "netlog"]


def rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        conn.close()


def versions(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM netlog_migrations").fetchone()[0]
    finally:
        conn.close()


def test_a_link_where_the_pre_upgrade_copy_goes_is_never_followed(netlog, db_path, tmp_path):
    load_fixture(4, db_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("my diary\n")
    Path(f"{db_path}.bak-4").symlink_to(victim)
    result = netlog("list")
    assert victim.read_text() == "my diary\n" and Path(f"{db_path}.bak-4").is_symlink()
    copy = Path(f"{db_path}.bak-4-2")
    assert f"a copy is at {copy}" in result.stderr
    assert versions(copy) == 4 and copy.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*netlog-tmp*"))  # no temporary left behind


def test_a_link_to_the_ledger_itself_where_the_copy_goes_leaves_the_ledger_whole(netlog, db_path):
    load_fixture(4, db_path)
    before = rows(db_path)
    Path(f"{db_path}.bak-4").symlink_to(db_path)
    netlog("list")
    assert rows(db_path) == before and versions(db_path) == 7
    os.unlink(f"{db_path}.bak-4-2")


def test_a_hard_link_to_the_ledger_where_the_copy_goes_is_not_written_into(netlog, db_path):
    load_fixture(4, db_path)
    os.link(db_path, f"{db_path}.bak-4")  # the same file under the copy's name
    netlog("list")
    assert versions(db_path) == 7 and versions(Path(f"{db_path}.bak-4-2")) == 4


def test_commands_starting_together_on_an_old_ledger_upgrade_it_once(db_path):
    load_fixture(1, db_path)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as every ledger netlog has opened
    conn.execute("BEGIN IMMEDIATE")  # another program writing: all six must wait for it
    env = {**os.environ, "NETLOG_DB": str(db_path), "NETLOG_TODAY": "2026-03-10"}
    adds = [
        subprocess.Popen(
            [*NETLOG, "add", f"Person {n}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    time.sleep(2)  # they start, find an old schema, and wait for the write lock
    conn.execute("ROLLBACK")
    conn.close()
    said = [add.communicate(timeout=120) for add in adds]
    assert [add.returncode for add in adds] == [0] * 6, said
    assert sum(err.count("Upgrading the ledger") for _, err in said) == 1
    copies = sorted(p.name for p in db_path.parent.glob(f"{db_path.name}.bak-*"))
    assert copies == [f"{db_path.name}.bak-1"]
    assert versions(db_path.parent / copies[0]) == 1  # the copy is of the old schema
    assert rows(db_path) == 3 + 6


def test_two_backups_in_the_same_second_are_two_files(netlog, db_path):
    netlog("add", "Jane Doe")
    first = netlog.json("backup")["path"]
    second = netlog.json("backup")["path"]
    assert first != second and Path(first).exists() and Path(second).exists()
    assert rows(Path(first)) == rows(Path(second)) == 1


def test_a_backups_folder_that_is_a_link_is_not_made_private_under_you(netlog, db_path, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    (db_path.parent / "backups").symlink_to(shared)
    netlog("add", "Jane Doe")
    refused = netlog.fail("backup")
    assert "Cannot create" in refused.stderr and shared.stat().st_mode & 0o777 == 0o755


def ledger_with_changes_in_its_wal(netlog, db_path) -> None:
    """A, then B and C committed while another process held a read transaction, which is
    then killed: B and C are only in the -wal (nothing checkpointed them into the file)."""
    import signal

    netlog("add", "Ann A", "--no-meet")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         f"c = sqlite3.connect({str(db_path)!r}, isolation_level=None)\n"
         "c.execute('BEGIN'); c.execute('SELECT count(*) FROM contact').fetchone()\n"
         "print('holding', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    netlog("add", "Bea B", "--no-meet")
    netlog("add", "Cal C", "--no-meet")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert Path(f"{db_path}-wal").stat().st_size > 0
    conn = sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True)
    assert conn.execute("SELECT count(*) FROM contact").fetchone() == (1,)  # the file alone
    conn.close()


def test_a_read_only_ledger_is_read_with_its_wal(netlog, db_path, monkeypatch):
    import netlog.db as netlog_db

    ledger_with_changes_in_its_wal(netlog, db_path)
    monkeypatch.setattr(netlog_db, "unwritable", lambda path: [path])  # as if chmod 0444
    assert [c["handle"] for c in netlog.json("list")] == ["ann-a", "bea-b", "cal-c"]
    lines = netlog("export").stdout.splitlines()
    assert sum('"type": "contact"' in line for line in lines) == 3
    health = netlog.json("check")
    assert health["ok"] is True and health["contacts"] == 3


def test_a_read_only_ledger_whose_wal_cannot_be_read_in_place_is_read_from_a_copy(
    netlog, db_path, monkeypatch
):
    import netlog.db as netlog_db

    ledger_with_changes_in_its_wal(netlog, db_path)
    monkeypatch.setattr(netlog_db, "unwritable", lambda path: [path])
    monkeypatch.setattr(netlog_db, "_readable", lambda uri: False)  # no -shm, a folder it can't write
    assert [c["handle"] for c in netlog.json("list")] == ["ann-a", "bea-b", "cal-c"]
    copy = db_path.parent / "copy.db"
    netlog("backup", str(copy))
    assert rows(copy) == 3


def test_a_forged_migrations_record_is_named_not_trusted(netlog, db_path):
    load_fixture(4, db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO netlog_migrations (name, applied_at) VALUES ('m005_something_else', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    line = netlog.fail("list").stderr
    assert "records schema step 5 as 'm005_something_else', which is not netlog's step 5" in line
    assert "m005_undo_journal" in line and "Traceback" not in line
