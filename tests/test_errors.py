"""Every expected problem ends in one clear line on stderr and exit 1 (usage errors: 2)."""

from __future__ import annotations

import sqlite3

import pytest


def one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_unknown_contact_suggests_the_nearest_name(netlog):
    netlog("add", "Jane Doe")
    line = one_error_line(netlog.fail("show", "jnae doe"))
    assert 'No contact matches "jnae doe". Did you mean "Jane Doe"?' in line


def test_unknown_contact_in_an_empty_ledger_says_how_to_add(netlog):
    netlog("config", "set", "give_before_ask", "4")  # creates the ledger, empty of contacts
    line = one_error_line(netlog.fail("meet", "zelda"))
    assert "ledger is empty" in line and 'netlog add "zelda"' in line


def test_ambiguous_contact_lists_the_handles(netlog):
    netlog("add", "Jane Doe")
    netlog("add", "Jane Smith")
    line = one_error_line(netlog.fail("meet", "jane"))
    assert "Jane Doe (jane-doe)" in line and "Jane Smith (jane-smith)" in line
    assert netlog.json("log") != []  # nothing was recorded by the failed meet...
    assert len(netlog.json("log")) == 2  # ...only the two first meetings


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["meet", "jane", "--date", "tomorrow"], "after today"),
        (["meet", "jane", "--date", "2026-02-30"], "not a date"),
        (["meet", "jane", "--date", "03/04/2026"], "ambiguous"),
        (["meet", "jane", "--date", "friday"], 'write "last friday" or "next friday"'),
        (["give", "jane", "coffee", "--date", "in 3 days"], "after today"),
        (["ask", "jane", "intro", "--date", "next week"], "after today"),
        (["add", "Sam", "--met", "someday"], "not a date"),
        (["add", "Sam", "--cadence", "often"], "not a duration"),
        (["add", "Sam", "--cadence", "0d"], "not a positive duration"),
        (["add", "Sam", "--birthday", "02-30"], "not a real day"),
        (["add", "Sam", "--email", "not-an-email"], "not an email address"),
        (["add", "   "], "needs a name"),
        (["give", "jane", "  "], "Describe the favor"),
        (["give", "ravi", "x", "--promise", "--due", "2026-03-01", "--date", "2026-03-05"], "before"),
        (["done", "999"], "No favor has id f999"),
        (["config", "set", "cadence.close", "soon"], "not a duration"),
        (["config", "get", "nope"], 'no setting "nope"'),
        (["edit", "jane", "--handle", "Bad Handle"], "lowercase letters"),
        (["edit", "jane", "--via", "jane"], "introduced themselves"),
        (["log", "--since", "2026-03-05", "--until", "2026-03-01"], "is after --until"),
        (["log", "--since", "30x"], "nor a duration back from today (30d"),
    ],
)
def test_bad_values_exit_1_with_one_line(netlog, args, message):
    netlog("add", "Jane Doe")
    netlog("add", "Ravi Patel")
    line = one_error_line(netlog.fail(*args))
    assert message in line


def test_a_failed_command_writes_nothing(netlog):
    # The contact row is inserted before the bad email is checked: the whole
    # command must roll back, not leave a contact without its email.
    netlog.fail("add", "Sam Rivera", "--email", "ok@example.com", "--email", "broken")
    assert netlog.json("list") == []


def test_resolving_a_done_favor_again_is_refused(netlog):
    netlog("add", "Jane Doe")
    favor = netlog.json("give", "jane", "coffee")
    line = one_error_line(netlog.fail("done", str(favor["id"])))
    assert "already done" in line


@pytest.mark.parametrize(
    "args",
    [
        ["add", "Sam", "--circle", "best-friends"],
        ["meet", "jane", "--kind", "party"],
        ["give", "jane", "x", "--weight", "9"],
        ["give", "jane", "x", "--due", "tomorrow"],
        ["list", "--sort", "age"],
        ["frobnicate"],
        ["add"],
        ["edit", "jane"],
        ["list", "--limit", "99999999999999999999"],
        ["show", "jane", "--limit", "-1"],
        ["log", "--limit", "99999999999999999999"],
    ],
)
def test_usage_errors_exit_2(netlog, args):
    netlog("add", "Jane Doe")
    result = netlog.fail(*args, code=2)
    assert "Usage:" in result.stderr or "Error" in result.stderr


def test_database_path_that_is_a_directory(netlog, tmp_path):
    folder = tmp_path / "adir"
    folder.mkdir()
    line = one_error_line(netlog.fail("--db", str(folder), "list"))
    assert "is a directory" in line


def test_database_that_is_not_sqlite_is_left_untouched(netlog, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("my shopping list\n")
    line = one_error_line(netlog.fail("--db", str(bogus), "add", "Jane"))
    assert "not an SQLite database" in line
    assert bogus.read_text() == "my shopping list\n"


def test_truncated_database(netlog, tmp_path, db_path):
    netlog("add", "Jane Doe")
    data = db_path.read_bytes()
    broken = tmp_path / "broken.db"
    broken.write_bytes(data[:150])
    line = one_error_line(netlog.fail("--db", str(broken), "list"))
    assert str(broken) in line


def test_read_only_database(netlog, db_path, monkeypatch):
    """Tests may run as root, who ignores file modes, so SQLite itself refuses to write."""
    netlog("add", "Jane Doe")
    import netlog.db as netlog_db

    real = netlog_db.make_engine

    def read_only_engine(location, **kwargs):
        engine = real(location, **kwargs)
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _ro(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA query_only = ON")

        return engine

    monkeypatch.setattr(netlog_db, "make_engine", read_only_engine)
    line = one_error_line(netlog.fail("add", "Sam"))
    assert "read-only" in line and str(db_path) in line


def test_locked_database(netlog, db_path, monkeypatch):
    import netlog.storage.files as netlog_db

    netlog("add", "Jane Doe")
    monkeypatch.setattr(netlog_db, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(netlog_db, "WAIT_BUDGET_S", 0.3)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        line = one_error_line(netlog.fail("meet", "jane"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by another program" in line
    assert len(netlog.json("log")) == 1


def test_newer_schema_is_refused(netlog, db_path):
    netlog("add", "Jane Doe")
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO netlog_migrations (name, applied_at) VALUES ('m999', '2030-01-01')")
    line = one_error_line(netlog.fail("list"))
    assert "upgrade netlog" in line


@pytest.mark.parametrize("command", [["list"], ["show", "jane"], ["due"]])
def test_bad_netlog_today_is_reported_by_every_command(netlog, monkeypatch, command):
    netlog("add", "Jane Doe")
    monkeypatch.setenv("NETLOG_TODAY", "next tuesday")
    line = one_error_line(netlog.fail(*command))
    assert "NETLOG_TODAY" in line


def test_unsupported_database_url(netlog):
    line = one_error_line(netlog.fail("--db", "mysql://localhost/netlog", "list"))
    assert '"mysql" URLs are not supported' in line and "SQLite or PostgreSQL" in line


def test_debug_shows_the_traceback(netlog, monkeypatch):
    from netlog.errors import NotFound

    netlog("add", "Jane Doe")
    monkeypatch.setenv("NETLOG_DEBUG", "1")
    with pytest.raises(NotFound):
        netlog("show", "nobody")


def test_ctrl_c_mid_write_exits_130_and_saves_nothing(netlog, monkeypatch):
    netlog("add", "Jane Doe")
    before = netlog.json("log")
    from netlog.ledger import write

    real = write.record_touches

    def interrupted(session, *args, **kwargs):
        real(session, *args, **kwargs)  # the row is written in the transaction...
        raise KeyboardInterrupt  # ...and the user presses Ctrl-C before the commit

    monkeypatch.setattr(write, "record_touches", interrupted)
    result = netlog.fail("meet", "jane", "--note", "lunch", code=130)
    assert one_error_line(result) == "Error: Interrupted: nothing was saved."
    monkeypatch.setattr(write, "record_touches", real)
    assert netlog.json("log") == before


def test_a_dry_run_into_a_new_ledger_creates_nothing_and_says_nothing_of_it(netlog, tmp_path):
    target = tmp_path / "new.db"
    source = tmp_path / "people.jsonl"
    source.write_text('{"type": "contact", "name": "Jane Doe"}\n')
    result = netlog("--db", str(target), "import", str(source), "--dry-run")
    assert "Would create 1: jane-doe" in result.stdout
    assert "Created a new ledger" not in result.stderr and not target.exists()


def test_a_full_disk_does_not_first_claim_a_new_ledger(netlog, tmp_path, monkeypatch):
    from netlog.ledger import write

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(write, "add_contacts", full)
    result = netlog.fail("--db", str(tmp_path / "new.db"), "add", "Jane Doe")
    assert one_error_line(result).startswith("Error: The disk holding")
    assert "Created a new ledger" not in result.stderr


def test_a_read_only_mount_is_not_a_chmod_away(netlog, db_path, monkeypatch):
    import os
    from types import SimpleNamespace

    import netlog.storage.files as netlog_db

    netlog("add", "Jane Doe")
    monkeypatch.setattr(netlog_db, "unwritable", lambda path: [path])
    monkeypatch.setattr(os, "statvfs", lambda path: SimpleNamespace(f_flag=os.ST_RDONLY))
    line = one_error_line(netlog.fail("add", "Sam Rivera"))
    assert "is on a read-only file system" in line and "chmod" not in line
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe"]  # reading still works
    copy = db_path.parent / "copy.db"
    netlog("backup", str(copy))  # the ledger is opened read-only (immutable) for the copy
    assert sqlite3.connect(copy).execute("SELECT name FROM contact").fetchall() == [("Jane Doe",)]


def test_a_backup_that_cannot_read_the_ledger_says_so(tmp_path):
    from netlog.errors import StorageError
    from netlog.storage.files import copy_ledger

    garbage = tmp_path / "ledger.db"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)  # the right header, then junk
    with pytest.raises(StorageError, match=f"Cannot read the ledger {garbage}"):
        copy_ledger(garbage, tmp_path / "copy.db", numbered=False)


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("deep.json", DEEP, "deep.json: nested too deeply to read"),
        ("deep.jsonl", '{"type": "contact", "name": "Ok"}\n' + DEEP + "\n" + '{"type": "contact", "name": "Ok Too"}\n',
         None),  # the deep line is rejected, the others import
        ("digits.json", '{"type": "contact", "name": "X", "cadence_days": ' + "9" * 5000 + "}",
         "a number of 5,000 digits"),
        ("id.jsonl", '{"type": "contact", "name": "X", "id": ' + "1" * 5000 + "}\n", "a number of 5,000 digits"),
        ("stamp.json", '{"type": "contact", "name": "X", "created_at": "9999-12-31T23:59:59-05:00"}',
         '"created_at" is not an ISO timestamp'),
    ],
)  # fmt: skip
def test_hostile_json_is_rejected_in_one_line(netlog, tmp_path, name, text, said):
    source = tmp_path / name
    source.write_text(text)
    if said is None:
        result = netlog("import", str(source))
        assert "Rejected, line 2: nested too deeply to read" in result.stderr
        assert [c["name"] for c in netlog.json("list")] == ["Ok", "Ok Too"]
        return
    line = one_error_line(netlog.fail("import", str(source)))
    assert said in line


def test_a_backups_path_that_is_a_file_is_one_clear_line(netlog, db_path):
    netlog("add", "Jane Doe")
    (db_path.parent / "backups").write_text("not a folder")
    line = one_error_line(netlog.fail("backup"))
    assert "Cannot create" in line and "give a path" in line


def test_an_error_while_giving_up_after_ctrl_c_still_counts_as_the_ctrl_c(netlog, monkeypatch):
    from netlog.ledger import write

    def interrupted_then_broken(session, *args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("This Session's transaction has been rolled back") from None

    netlog("add", "Jane Doe")
    monkeypatch.setattr(write, "record_touches", interrupted_then_broken)
    result = netlog.fail("meet", "jane", code=130)
    assert one_error_line(result) == "Error: Interrupted: nothing was saved."
