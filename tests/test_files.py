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

from netlog.migrations import SCHEMA_VERSION

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
    assert rows(db_path) == before and versions(db_path) == SCHEMA_VERSION
    os.unlink(f"{db_path}.bak-4-2")


def test_a_hard_link_to_the_ledger_where_the_copy_goes_is_not_written_into(netlog, db_path):
    load_fixture(4, db_path)
    os.link(db_path, f"{db_path}.bak-4")  # the same file under the copy's name
    netlog("list")
    assert versions(db_path) == SCHEMA_VERSION and versions(Path(f"{db_path}.bak-4-2")) == 4


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
    copy = Path(netlog.json("backup")["path"])
    assert copy.parent == db_path.parent / "backups" and (shared / copy.name).exists()
    assert shared.stat().st_mode & 0o777 == 0o755  # not netlog's folder: its mode is left alone
    assert copy.stat().st_mode & 0o777 == 0o600


def test_a_folder_netlog_cannot_write_in_is_one_clear_line(netlog, db_path, monkeypatch):
    import netlog.outfiles as outfiles

    netlog("add", "Jane Doe")
    real_open = os.open

    def refused(path, flags, *args):
        if outfiles.TEMP_MARK in str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refused)
    line = netlog.fail("backup", str(db_path.parent / "copy.db")).stderr
    assert line.startswith(f"Error: Cannot write in {db_path.parent}: Permission denied.")
    assert "Cannot write in" in netlog.fail("export", "-o", str(db_path.parent / "e.jsonl")).stderr


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
    import netlog.storage.files as netlog_db

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
    import netlog.storage.files as netlog_db

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


def test_a_new_ledger_made_through_a_link_is_private_and_announced(netlog, tmp_path):
    (tmp_path / "target").mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "target" / "real.db")
    result = netlog("--db", str(link), "add", "Jane Doe")
    real = tmp_path / "target" / "real.db"
    assert f"Created a new ledger at {link}" in result.stderr
    assert real.stat().st_mode & 0o777 == 0o600 and link.is_symlink()
    for side in (Path(f"{real}-wal"), Path(f"{real}-shm")):
        if side.exists():
            assert side.stat().st_mode & 0o077 == 0, side


def test_a_ledger_others_can_read_is_said_once(netlog, tmp_path):
    shared = tmp_path / "shared.db"
    shared.touch()
    os.chmod(shared, 0o644)  # an empty file made by someone else
    result = netlog("--db", str(shared), "add", "Jane Doe")  # opens the ledger twice
    warnings = [line for line in result.stderr.splitlines() if "can be read by other users" in line]
    assert warnings == [
        f"Warning: {shared} can be read by other users (mode 0644): chmod 600 {shared} keeps your contacts private."
    ]
    os.chmod(shared, 0o600)
    assert "can be read" not in netlog("--db", str(shared), "list").stderr


def big_ledger(db_path, contacts: int = 20_000) -> None:
    lines = "\n".join(
        f'{{"type": "contact", "name": "Person {n}", "notes": "{"x" * 200}"}}' for n in range(contacts)
    )
    env = {**os.environ, "NETLOG_DB": str(db_path), "NETLOG_TODAY": "2026-03-10"}
    subprocess.run([*NETLOG, "import", "-", "--format", "jsonl"], input=lines, text=True, env=env, check=True,
                   capture_output=True)  # fmt: skip


def started(argv: list[str], db_path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "NETLOG_DB": str(db_path), "NETLOG_TODAY": "2026-03-10"}
    return subprocess.Popen([*NETLOG, *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)  # fmt: skip


def handles(pid: int, signum: int) -> None:
    """Wait until the process catches the signal (Linux: SigCgt in /proc/PID/status)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        caught = int(next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16)
        if caught & (1 << (signum - 1)):
            return
        time.sleep(0.01)
    raise AssertionError("the process never caught the signal")


def test_a_terminated_export_leaves_no_file_and_no_temporary(db_path, tmp_path):
    import signal

    big_ledger(db_path)
    out = tmp_path / "out"
    out.mkdir()
    export = started(["export", "-o", str(out / "e.jsonl")], db_path)
    deadline = time.monotonic() + 30
    while not list(out.iterdir()) and time.monotonic() < deadline:  # its temporary file appears
        time.sleep(0.01)
    export.send_signal(signal.SIGTERM)
    _, err = export.communicate(timeout=60)
    assert export.returncode == 128 + signal.SIGTERM, err
    assert err == "Error: Interrupted (SIGTERM): nothing was saved.\n"
    assert list(out.iterdir()) == []


def test_a_terminated_import_saves_nothing(db_path, tmp_path):
    import signal

    (tmp_path / "empty.db").touch()
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(f'{{"type": "contact", "name": "P {n}"}}' for n in range(60_000)))
    subprocess.run([*NETLOG, "add", "Jane Doe"], env={**os.environ, "NETLOG_DB": str(db_path)}, check=True,
                   capture_output=True)  # fmt: skip
    importing = started(["import", str(source)], db_path)
    handles(importing.pid, signal.SIGHUP)  # past start-up, into the work: 60,000 take seconds
    importing.send_signal(signal.SIGHUP)
    _, err = importing.communicate(timeout=60)
    assert (importing.returncode, err) == (
        128 + signal.SIGHUP,
        "Error: Interrupted (SIGHUP): nothing was saved.\n",
    )
    assert rows(db_path) == 1


def test_a_temporary_file_a_killed_netlog_left_is_cleared_away(netlog, db_path, tmp_path):
    netlog("add", "Jane Doe")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # fmt: skip
    left = tmp_path / f".e.jsonl.netlog-tmp-{dead}-1"
    left.write_text("half an export")
    old = time.time() - 3600
    os.utime(left, (old, old))
    mine = tmp_path / f".f.jsonl.netlog-tmp-{os.getpid()}-1"  # a live process's: kept
    mine.write_text("being written")
    os.utime(mine, (old, old))
    netlog("export", "-o", str(tmp_path / "e.jsonl"))
    assert not left.exists() and mine.exists()
    beside = db_path.parent / f".netlog.db.bak-5.netlog-tmp-{dead}-2"
    beside.write_text("half a copy")
    os.utime(beside, (old, old))
    health = netlog.json("check")
    assert health["removed"] == [str(beside)] and not beside.exists()


def test_reports_on_a_full_disk_need_no_room(netlog, db_path, monkeypatch):
    import netlog.storage.files as netlog_db

    netlog("add", "Jane Doe")
    assert not Path(f"{db_path}-shm").exists()  # the last connection tidied up
    monkeypatch.setattr(netlog_db, "disk_full", lambda path: True)
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe"]
    assert netlog.json("check")["ok"] is True
    assert not Path(f"{db_path}-shm").exists()  # read without making the -shm SQLite wanted room for
    error = netlog_db.storage_error(
        sqlite3.OperationalError("disk I/O error"), netlog_db.Location("x", db_path)
    )
    assert error is not None and error.message.startswith(f"The disk holding {db_path} is full")
