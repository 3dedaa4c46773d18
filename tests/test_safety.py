"""Undo, backups, checks, upgrades, bad files and hostile text: nothing is lost."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from test_import import FIXTURES as IMPORT_FIXTURES
from test_import import HOSTILE, full_ledger
from test_storage import load_fixture


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every ledger table, rowids included (the journal itself left out)."""
    conn = sqlite3.connect(db)
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'undo_%' ORDER BY name"
        )
    ]
    # touch_day and met_pair, derived as the summary is, have no rowid: compared by rows.
    derived = {"touch_day": "contact_id, day", "met_pair": "a_id, b_id, day"}
    result = {
        t: conn.execute(f"SELECT * FROM {t} ORDER BY {derived[t]}").fetchall()
        if t in derived
        else conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
        for t in tables
    }
    conn.close()
    return result


JSONL_IMPORT = "\n".join(
    json.dumps(r)
    for r in [
        {
            "type": "contact",
            "name": "New Person",
            "emails": ["new@example.com"],
            "tags": ["fresh", "climate"],
        },
        {"type": "contact", "name": "Sam Rivera", "title": "Chair", "emails": ["sam@acme.example"]},
        {
            "type": "interaction",
            "date": "2026-03-01",
            "kind": "call",
            "contacts": ["new-person", "sam-rivera"],
        },
        {
            "type": "favor",
            "contact": "new-person",
            "direction": "given",
            "description": "x",
            "date": "2026-03-02",
        },
        {"type": "setting", "key": "give_before_ask", "value": "3"},
    ]
)

WRITES = {
    "add": [
        "add",
        "Mia Wong",
        "--email",
        "mia@example.com",
        "--tag",
        "new-tag",
        "--tag",
        "climate",
        "--via",
        "sam",
    ],
    "edit": [
        "edit",
        "zoe",
        "--org",
        "Globex",
        "--clear",
        "emails",
        "--email",
        "z@globex.example",
        "--clear",
        "tags",
        "--tag",
        "other",
        "--name",
        "Zoe Renamed",
    ],
    "tag": ["tag", "sam", "+vip", "-investor"],
    "archive": ["archive", "sam"],
    "unarchive": ["unarchive", "최유림"],
    "rm": ["rm", "sam", "--yes"],
    "meet": ["meet", "sam", "zoe", "--kind", "meal", "--note", "dinner"],
    "give": ["give", "zoe", "a favor", "--weight", "3"],
    "promise": ["give", "sam", "a promise", "--promise", "--due", "2026-04-01"],
    "ask": ["ask", "zoe", "an ask", "-q"],
    "done": ["done", "3"],  # the promise to Sam (favor 1 is his introduction of Zoë)
    "decline": ["decline", "3"],
    "snooze": ["snooze", "zoe", "2w"],
    "config set": ["config", "set", "cadence.inner", "10d"],
    "config unset": ["config", "unset", "cadence.close"],
    "merge": ["merge", "zoe", "sam"],
    "need": ["need", "sam", "a lawyer", "--tag", "legal", "--until", "2026-04-01"],
    "need met": ["need", "--met", "n1", "--by", "me"],  # Zoë's need: a favor given to her too
    "offer drop": ["offer", "--drop", "o2"],
}


def triggers(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()


@pytest.mark.parametrize("replay", ["row by row", "rebuilt"])
@pytest.mark.parametrize("name", [*WRITES, "import jsonl", "import linkedin"])
def test_undo_puts_the_ledger_back_exactly(netlog, db_path, name, replay, monkeypatch):
    """Each write, undone: with the summary triggers following the replay row by row, and
    as a large command is undone (here every one): the triggers set aside, every summary
    rebuilt after."""
    from netlog.ledger import journal

    if replay == "rebuilt":
        monkeypatch.setattr(journal, "REBUILD_FROM", 1)
    full_ledger(netlog)
    before = dump(db_path)
    made = triggers(db_path)
    if name == "import jsonl":
        netlog("import", "-", "--format", "jsonl", input=JSONL_IMPORT)
    elif name == "import linkedin":
        netlog("import", str(IMPORT_FIXTURES / "linkedin_current.csv"))
    else:
        netlog(*WRITES[name])
    assert dump(db_path) != before, "the command should have changed something"
    undone = netlog("undo")
    assert undone.stdout.startswith("Undid: netlog ")
    assert dump(db_path) == before
    assert netlog.json("check")["ok"] is True
    assert triggers(db_path) == made  # the ones set aside are back, as they were


def test_undo_goes_back_one_command_at_a_time(netlog, db_path):
    netlog("add", "Jane Doe")
    first = dump(db_path)
    netlog("meet", "jane", "--note", "coffee at Nopa")
    netlog("give", "jane", "intro")
    listed = netlog.json("undo", "--list")
    # Quoted as a shell would need them, so a command can be pasted back.
    assert [c["command"] for c in listed] == [
        "give jane intro",
        "meet jane --note 'coffee at Nopa'",
        "add 'Jane Doe'",
    ]
    assert listed[0]["entries"] == 1
    netlog("undo")
    netlog("undo")
    assert dump(db_path) == first
    netlog("undo")
    assert netlog.json("list") == []
    assert "nothing to undo" in netlog.fail("undo").stderr


def test_reads_and_failed_writes_leave_nothing_to_undo(netlog):
    netlog("add", "Jane Doe")
    netlog("list")
    netlog("due")
    netlog.fail("meet", "nobody")
    assert [c["command"] for c in netlog.json("undo", "--list")] == ["add 'Jane Doe'"]


def test_an_older_ledger_is_copied_before_it_is_upgraded(netlog, db_path):
    load_fixture(1, db_path)
    result = netlog("list")
    copy = Path(f"{db_path}.bak-1")
    assert f"Upgrading the ledger from schema version 1; a copy is at {copy}" in result.stderr
    assert copy.stat().st_mode & 0o777 == 0o600
    old = sqlite3.connect(copy)
    assert old.execute("SELECT count(*) FROM netlog_migrations").fetchone() == (1,)
    assert old.execute("SELECT count(*) FROM contact").fetchone() == (3,)
    assert "Upgrading" not in netlog("list").stderr  # once


def test_backup_is_a_private_consistent_copy(netlog, db_path, tmp_path):
    full_ledger(netlog)
    result = json.loads(netlog("backup", "--json").stdout)
    copy = Path(result["path"])
    assert copy.parent == db_path.parent / "backups"
    assert copy.stat().st_mode & 0o777 == 0o600
    assert copy.parent.stat().st_mode & 0o777 == 0o700
    assert dump(copy) == dump(db_path)
    named = tmp_path / "named.db"
    netlog("backup", str(named))
    assert netlog.json("--db", str(named), "check")["ok"] is True
    assert "is the ledger itself" in netlog.fail("backup", str(db_path)).stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    assert "exists: netlog never replaces it" in netlog.fail("backup", str(notes)).stderr
    assert notes.read_text() == "my notes\n"
    assert "exists: netlog never replaces it" in netlog.fail("backup", str(named)).stderr  # nor a backup


def test_backup_while_another_process_writes(netlog, db_path):
    """Writers keep going while the backup is taken: the copy is one whole moment."""
    import subprocess
    import sys

    netlog("add", "Jane Doe")
    writer = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "workers" / "hammer.py"), str(db_path), "40", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        while writer.poll() is None and len(copies) < 5:
            copies.append(Path(json.loads(netlog("backup", "--json").stdout)["path"]))
    finally:
        writer.wait(timeout=120)
    assert copies
    for copy in copies:
        health = netlog.json("--db", str(copy), "check")
        assert health["ok"] is True, health  # the summary matches the rows in every copy


def test_check_finds_a_summary_out_of_step_and_a_broken_reference(netlog, db_path):
    full_ledger(netlog)
    assert "The ledger is sound" in netlog("check").stdout
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE contact_stats SET given_weight = 99 WHERE contact_id = 2")
    conn.commit()
    result = netlog.fail("check")
    assert re.search(r"summary: zoe.*: given_weight 99 should be 2", result.stdout)
    assert "check --repair" in result.stderr
    repaired = netlog("check", "--repair")
    assert "1 contact corrected" in repaired.stderr and "The ledger is sound" in repaired.stdout
    conn.execute("UPDATE contact_stats SET given_weight = 99 WHERE contact_id = 2")
    conn.commit()
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO favor (contact_id, direction, description, weight, date, status, created_at) "
        "VALUES (999, 'given', 'ghost', 1, '2026-01-01', 'done', '2026-01-01')"
    )
    conn.commit()
    conn.execute("UPDATE interaction SET date = 'someday' WHERE id = 1")
    conn.commit()
    report = json.loads(netlog.fail("check", "--json").stdout)
    assert report["ok"] is False and report["foreign_keys"] and report["summary_mismatches"]
    assert report["bad_values"] == ["interaction 1: date 'someday' is not a date (YYYY-MM-DD)"]


CONTACT_READS = (["list"], ["show", "zoe"], ["rm", "zoe", "--yes"], ["export", "--format", "csv"])


@pytest.mark.parametrize(
    ("sql", "found", "reads"),
    [
        ("UPDATE contact SET met_on = 'last spring' WHERE id = 2", "contact 2: met_on 'last spring'", CONTACT_READS),
        ("UPDATE contact SET created_at = 'long ago' WHERE id = 2", "contact 2: created_at 'long ago'", CONTACT_READS),
        ("UPDATE favor SET due = '31/12/2026' WHERE id = 2", "favor 2: due '31/12/2026'",
         (["show", "zoe"], ["export"], ["done", "2"])),
    ],
)  # fmt: skip
def test_a_value_written_by_another_program_is_one_clear_line_and_check_finds_it(
    netlog, db_path, sql, found, reads
):
    full_ledger(netlog)
    conn = sqlite3.connect(db_path)
    conn.execute(sql)
    conn.commit()
    conn.close()
    before = dump(db_path)
    for argv in reads:
        result = netlog.fail(*argv)
        assert result.exit_code == 1, (argv, result.stderr)
        assert "holds a value netlog cannot read" in result.stderr and "netlog check" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "internal error" not in result.stderr
    assert dump(db_path) == before
    bad = json.loads(netlog.fail("check", "--json").stdout)["bad_values"]
    assert len(bad) == 1 and bad[0].startswith(found), bad


def test_a_full_disk_fails_cleanly_and_leaves_the_ledger_as_it_was(netlog, db_path, monkeypatch, tmp_path):
    """No room is simulated with max_page_count: SQLite reports SQLITE_FULL, as on a full disk."""
    import netlog.db as netlog_db

    full_ledger(netlog)
    before = dump(db_path)
    big = tmp_path / "big.jsonl"
    big.write_text(
        "\n".join(
            json.dumps({"type": "contact", "name": f"Person {n}", "notes": "x" * 500}) for n in range(3000)
        )
    )
    real = netlog_db.make_engine

    def cramped(location, **kwargs):
        engine = real(location, **kwargs)
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _limit(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 20}")

        return engine

    monkeypatch.setattr(netlog_db, "make_engine", cramped)
    result = netlog.fail("import", str(big))
    assert "is full: free some space" in result.stderr and "Nothing was saved" in result.stderr
    monkeypatch.undo()
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"type": "contact", "name": "Ok"}\n{"type": "contact", "na', "line 2: not valid JSON"),
        ("First Name,Last Name,Company\nAda,Okafor,Acme\nBob\n", "line 3"),
        (
            'name,notes\nAda,"' + "x" * 10_500_000 + '"\n',
            "line 2: unreadable CSV (field larger than field limit",
        ),
        (
            json.dumps({"type": "contact", "name": "Huge", "notes": "y" * 10_500_000}) + "\n",
            "line 1: The notes field has more than",
        ),
    ],
    ids=["truncated jsonl", "missing columns", "10 MB csv line", "10 MB jsonl line"],
)
def test_malformed_files_name_the_line_and_strict_writes_nothing(netlog, db_path, tmp_path, content, message):
    netlog("add", "Jane Doe")
    before = dump(db_path)
    path = tmp_path / "bad.txt"
    path.write_text(content)
    fmt = "jsonl" if content.startswith("{") else "csv"
    result = netlog.fail("import", str(path), "--format", fmt, "--strict")
    assert message in result.stderr, result.stderr
    assert dump(db_path) == before


def test_a_file_in_another_encoding_keeps_its_accents(netlog, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("name,company\nJosé Müller,Café Åre\n".encode("cp1252"))
    result = netlog("import", str(path))
    assert "not UTF-8: read as cp1252" in result.stderr
    assert [(c["name"], c["org"]) for c in netlog.json("list")] == [("José Müller", "Café Åre")]


def test_hostile_names_survive_csv_and_icalendar(netlog, tmp_path):
    from icalendar import Calendar

    full_ledger(netlog)
    spreadsheet = netlog("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(spreadsheet.lstrip("\ufeff"))))
    assert HOSTILE in [r["name"] for r in rows]
    copy = tmp_path / "from-csv.db"
    netlog("--db", str(copy), "import", "-", "--format", "csv", input=spreadsheet)
    names = {c["name"]: c for c in netlog.json("--db", str(copy), "list")}
    assert names[HOSTILE]["org"] == "=SUM(A1)"  # the guard quote is taken off again
    calendar = Calendar.from_ical(netlog("export", "--format", "ics").stdout)
    assert f"Get in touch with {HOSTILE}" in [str(e["summary"]) for e in calendar.walk("VEVENT")]


def test_files_netlog_writes_are_private(netlog, db_path, tmp_path):
    full_ledger(netlog)
    for fmt in ("jsonl", "json", "csv", "vcf", "ics"):
        target = tmp_path / f"out.{fmt}"
        netlog("export", "--format", fmt, "-o", str(target))
        assert target.stat().st_mode & 0o777 == 0o600, fmt
    assert db_path.stat().st_mode & 0o777 == 0o600


def test_no_shell_is_ever_started():
    """netlog starts no programs at all: no shell can see user data."""
    source = Path(__file__).parents[1] / "src" / "netlog"
    for path in source.rglob("*.py"):
        text = path.read_text()
        for needle in ("subprocess", "os.system", "os.popen", "shell=True", "os.exec", "import pty"):
            assert needle not in text, f"{path.name} uses {needle}"


def test_exports_never_replace_the_ledger_a_link_or_a_pipe(netlog, db_path, tmp_path):
    import os
    import threading

    full_ledger(netlog)
    before = dump(db_path)
    assert "is the ledger itself" in netlog.fail("export", "-o", str(db_path)).stderr
    assert dump(db_path) == before
    real = tmp_path / "real.jsonl"
    real.write_text("old")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    # A link at the name is never followed (it could lead to the ledger): refused, and
    # both the link and what it points at are left as they were.
    assert "is a symbolic link" in netlog.fail("export", "-o", str(link)).stderr
    assert link.is_symlink() and real.read_text() == "old"
    netlog("export", "-o", str(real))
    assert real.read_text().startswith('{"type": "netlog-export"')
    to_ledger = tmp_path / "innocent.jsonl"
    to_ledger.symlink_to(db_path)
    assert "is a symbolic link" in netlog.fail("export", "-o", str(to_ledger)).stderr
    hard = tmp_path / "hard.jsonl"
    os.link(db_path, hard)
    assert "is the ledger itself" in netlog.fail("export", "-o", str(hard)).stderr
    assert dump(db_path) == before
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    netlog("export", "--format", "csv", "-o", str(fifo))
    reader.join(timeout=30)
    assert received and received[0].startswith("\ufeffhandle".encode())
    assert fifo.is_fifo()  # written into, not replaced


def test_a_reader_that_stops_early_is_not_an_error_report(tmp_path):
    import subprocess
    import sys

    env = {**__import__("os").environ, "NETLOG_DB": str(tmp_path / "l.db")}
    lines = "\n".join(json.dumps({"type": "contact", "name": f"P {n}"}) for n in range(3000))
    subprocess.run([sys.executable, "-m", "netlog", "import", "-", "--format", "jsonl"], input=lines,
                   text=True, env=env, check=True, capture_output=True)  # fmt: skip
    export = subprocess.Popen([sys.executable, "-m", "netlog", "export"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env)  # fmt: skip
    assert export.stdout is not None
    export.stdout.readline()
    export.stdout.close()  # as `head -1` does
    assert export.wait(timeout=60) == 0  # a closed pipe is how a pipeline ends, not a failure
    assert export.stderr is not None and export.stderr.read() == b""


def test_commands_that_cannot_start_a_ledger_do_not_create_one(netlog, tmp_path):
    missing = tmp_path / "typo.db"
    for args in (["meet", "jane"], ["undo"], ["merge", "a", "b"], ["config", "unset", "cadence.close"]):
        assert "There is no ledger" in netlog.fail("--db", str(missing), *args).stderr
        assert not missing.exists()
    preview = netlog("--db", str(missing), "import", str(IMPORT_FIXTURES / "linkedin_old.csv"), "--dry-run")
    assert "Would create 2" in preview.stdout and not missing.exists()


def test_concatenated_exports_keep_each_history_with_its_own_contact(netlog, tmp_path):
    work, home, both = tmp_path / "w.db", tmp_path / "h.db", tmp_path / "wh.db"
    netlog("--db", str(work), "add", "Jane Doe", "--org", "Work", "--no-meet")
    netlog("--db", str(work), "meet", "jane", "--note", "work call")
    netlog("--db", str(home), "add", "Jane Doe", "--org", "Home", "--no-meet")
    netlog("--db", str(home), "meet", "jane", "--note", "home dinner")
    dumped = netlog("--db", str(work), "export").stdout + netlog("--db", str(home), "export").stdout
    result = netlog("--db", str(both), "import", "-", "--on-conflict", "new", input=dumped)
    assert "handle 'jane-doe' was already used earlier" in result.stderr
    for handle, org, note in (("jane-doe", "Work", "work call"), ("jane-doe-2", "Home", "home dinner")):
        shown = netlog.json("--db", str(both), "show", handle)
        assert shown["org"] == org
        assert [t["note"] for t in shown["timeline"]] == [note]


ESC = "\x1b"


def test_no_control_character_reaches_the_terminal(netlog, tmp_path):
    osc52 = f"v{ESC}]52;c;cHduZWQ={ESC}\\@e.io"  # writes the clipboard, in a vCard's EMAIL
    card = tmp_path / f"evil{ESC}[2J.vcf"  # a file name that would clear the screen
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Vcard\r\nEMAIL:{osc52}\r\n"
                    f"URL:https://e.io/{ESC}[2J\r\nEND:VCARD\r\n")  # fmt: skip
    imported = netlog("import", str(card))
    assert ESC not in imported.stdout + imported.stderr
    assert "evil\\x1b[2J.vcf" in imported.stderr  # the name shown, its escape visible
    eve = netlog.json("show", "eve")
    assert eve["emails"] == [] and eve["url"] is None  # neither is an address or a link
    assert "Not an email address" in eve["notes"] and ESC not in eve["notes"]
    refused = netlog.fail("add", "Xavier", "--email", f"x{ESC}[2J@e.io")
    assert "is not an email address" in refused.stderr and ESC not in refused.stderr
    assert "is not a link" in netlog.fail("add", "Yan", "--url", f"https://y.io/{ESC}[2J").stderr
    netlog("add", "Zed", "--note", "fine")
    netlog("edit", "zed", "--title", f"CEO {ESC}[31mred")  # cleaned at the door
    for argv in (["show", "zed"], ["list"], ["undo", "--list"], ["log"], ["due"]):
        out = netlog(*argv)
        assert ESC not in out.stdout + out.stderr, argv
    assert "\\x1b[2J.vcf" in netlog("undo", "--list").stdout  # the command, as typed, escaped


def test_undo_puts_back_text_that_reads_like_sql_exactly(netlog):
    """The journal keeps old values inside statements: a note that says "x IS y" or
    "I LIKE it" must come back as it was (on PostgreSQL the statements are put in its
    terms, but never inside a quoted string)."""
    said = "I LIKE it; x IS y, CROSS JOIN a ON b, CAST(1 AS REAL), typeof(z), coalesce(d, ''), it's \\ done"
    netlog("add", "Jane Doe", "--note", said)
    netlog("edit", "jane", "--note", "something else")
    netlog("undo")
    assert netlog.json("show", "jane")["notes"] == said
