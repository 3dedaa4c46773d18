"""Where the ledger lives, how it is opened, and how its schema is kept and upgraded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from netlog.storage.reader import os_member

FIXTURES = Path(__file__).parent / "fixtures"


def stats_of(conn: sqlite3.Connection, handle: str) -> dict[str, int]:
    row = conn.execute(
        "SELECT s.asked_count, s.declined_count FROM contact_stats s JOIN contact c ON c.id = s.contact_id "
        "WHERE c.handle = ?",
        (handle,),
    ).fetchone()
    return {"asked_count": row[0], "declined_count": row[1]}


def open_items(conn: sqlite3.Connection, handle: str) -> tuple[int, int]:
    return conn.execute(
        "SELECT s.open_asks, s.open_promises FROM contact_stats s JOIN contact c ON c.id = s.contact_id "
        "WHERE c.handle = ?",
        (handle,),
    ).fetchone()


def test_upgrading_to_v6_counts_promises_kept_before_it_as_touches(netlog, db_path):
    """A version-5 ledger where the promise to Sam (made 02-20) was kept on 03-05: version 5
    did not count that day as a touch; the upgrade recomputes the summary, and it does."""
    load_fixture(5, db_path)
    raw = sqlite3.connect(db_path)
    raw.execute(
        "UPDATE favor SET status = 'done', resolved_on = '2026-03-05' WHERE description = 'review deck'"
    )
    raw.commit()
    assert raw.execute("SELECT last_favor FROM contact_stats WHERE contact_id = 1").fetchone() == (
        "2026-02-20",
    )
    raw.close()
    sam = netlog.json("show", "sam")
    assert sam["last_touch"] == "2026-03-05"
    assert netlog.json("check")["ok"] is True


@pytest.mark.parametrize("version", [1, 6])
def test_after_the_upgrade_ids_are_never_given_twice_and_undo_still_works(netlog, db_path, version):
    load_fixture(version, db_path)
    # The fixture has favors 1-4, and the upgrade (m011) makes Sam's introduction of Jane
    # favor 5: this is f6.
    netlog("give", "jane", "a late thank-you")
    assert netlog.json("log", "--kind", "favor")[-1]["id"] == 6
    netlog("undo")  # f6 is gone...
    again = netlog.json("give", "jane", "a thank-you, again")
    assert again["id"] == 7  # ...and its id is not given to another favor
    netlog("rm-favor", "f7", "--yes")
    assert netlog.json("meet", "jane")["id"] == 4 and netlog.json("give", "sam", "x")["id"] == 8
    netlog("undo")
    netlog("undo")
    netlog("undo")  # the rm-favor of f7, undone: f7 is back, with its own id
    assert [f["id"] for f in netlog.json("log", "--kind", "favor")][-1] == 7
    assert netlog.json("check")["ok"] is True


def test_default_location_is_a_private_file_in_a_private_data_folder(netlog, monkeypatch, tmp_path):
    monkeypatch.delenv("NETLOG_DB")
    first = netlog("add", "Jane Doe")
    db = tmp_path / "xdg" / "netlog" / "netlog.db"
    assert db.is_file()
    assert f"Created a new ledger at {db}" in first.stderr
    assert "Created" not in netlog("list").stderr
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "xdg").stat().st_mode & 0o777 == 0o700  # netlog made it too


def test_a_given_path_needs_its_folder_to_exist(netlog, tmp_path):
    result = netlog.fail("--db", str(tmp_path / "typo" / "netlog.db"), "add", "Jane")
    assert "does not exist" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_reading_a_missing_ledger_at_a_given_path_creates_nothing(netlog, tmp_path):
    missing = tmp_path / "ledgr.db"
    result = netlog.fail("--db", str(missing), "due")
    assert f"There is no ledger at {missing}" in result.stderr
    assert not missing.exists()
    netlog("--db", str(missing), "add", "Jane Doe")
    assert missing.is_file()


def test_the_default_ledger_is_created_by_the_first_command(netlog, monkeypatch, tmp_path):
    monkeypatch.delenv("NETLOG_DB")
    first = netlog("due")
    assert "Your ledger is empty" in first.stdout
    assert "Created a new ledger" in first.stderr
    assert (tmp_path / "xdg" / "netlog" / "netlog.db").is_file()


@pytest.mark.parametrize("value", [":memory:", "sqlite://", "sqlite:///:memory:"])
def test_in_memory_databases_are_refused(netlog, value):
    assert "forget everything" in netlog.fail("--db", value, "add", "Jane").stderr


def test_an_unrelated_sqlite_file_is_left_alone(netlog, tmp_path):
    music = tmp_path / "music.db"
    conn = sqlite3.connect(music)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    result = netlog.fail("--db", str(music), "add", "Jane")
    assert "not a netlog ledger (it has tables songs)" in result.stderr
    tables = sqlite3.connect(music).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("songs",)]


def test_a_read_only_ledger_can_still_be_read(netlog, db_path, monkeypatch):
    """Tests may run as root, who can write anything: fake the permission check."""
    import netlog.storage.files as netlog_db

    netlog("add", "Jane Doe")
    monkeypatch.setattr(netlog_db, "unwritable", lambda path: [path])
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe"]
    assert netlog.json("due")["as_of"] == "2026-03-10"
    refused = netlog.fail("add", "Sam")
    assert f"{db_path} is read-only" in refused.stderr and "chmod u+w" in refused.stderr


def test_db_option_and_sqlite_url(netlog, tmp_path):
    netlog("--db", str(tmp_path / "a.db"), "add", "Jane Doe")
    netlog("--db", f"sqlite:///{tmp_path / 'b.db'}", "add", "Sam Rivera")
    assert [c["name"] for c in netlog.json("--db", str(tmp_path / "a.db"), "list")] == ["Jane Doe"]
    assert [c["name"] for c in netlog.json("--db", str(tmp_path / "b.db"), "list")] == ["Sam Rivera"]


def test_connections_enforce_keys_use_wal_and_wait_for_locks(netlog, db_path):
    from sqlmodel import text

    from netlog.db import open_session
    from netlog.location import locate

    netlog("add", "Jane Doe")
    with open_session(locate(str(db_path)), write=False) as session:
        pragma = {
            name: session.exec(text(f"PRAGMA {name}")).scalar_one()
            for name in ("foreign_keys", "journal_mode", "busy_timeout")
        }
    assert pragma["foreign_keys"] == 1
    assert pragma["journal_mode"] == "wal"
    assert pragma["busy_timeout"] >= 5000


def test_write_sessions_take_the_write_lock_up_front(netlog, db_path):
    """BEGIN IMMEDIATE: a second writer is kept out before the first writes anything."""
    from sqlmodel import text

    from netlog.db import open_session
    from netlog.location import locate

    netlog("add", "Jane Doe")
    with open_session(locate(str(db_path)), write=True) as session:
        session.exec(text("SELECT 1")).all()  # begins the transaction, writes nothing
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def schema(conn: sqlite3.Connection) -> dict[str, object]:
    """Tables with their columns, keys and indexes, comparable across creation methods."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'netlog_migrations' ORDER BY name"
        )
    ]
    result: dict[str, object] = {}
    for table in tables:
        columns = [
            (name, type_.split("(")[0].upper(), bool(notnull), pk)
            for _, name, type_, notnull, _default, pk in conn.execute(f'PRAGMA table_info("{table}")')
        ]
        foreign = sorted(
            (row[2], row[3], row[4], row[6]) for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')
        )
        indexes = sorted(
            (
                tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{idx[1]}")')),
                bool(idx[2]),
            )
            for idx in conn.execute(f'PRAGMA index_list("{table}")')
        )
        result[table] = {"columns": columns, "foreign": foreign, "indexes": indexes}
    return result


def test_migrations_build_the_schema_the_models_describe(tmp_path, netlog):
    from sqlmodel import SQLModel, create_engine

    from netlog import models  # noqa: F401  (registers the tables)

    netlog("--db", str(tmp_path / "migrated.db"), "config", "set", "give_before_ask", "4")
    engine = create_engine(f"sqlite:///{tmp_path / 'models.db'}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    migrated = schema(sqlite3.connect(tmp_path / "migrated.db"))
    modelled = schema(sqlite3.connect(tmp_path / "models.db"))
    assert migrated == modelled


def load_fixture(version: int, path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / f"schema-v{version}.sql").read_text())
    conn.close()


def test_every_fixture_version_is_tested():
    from netlog.migrations import SCHEMA_VERSION

    shipped = sorted(int(p.stem.split("-v")[1]) for p in FIXTURES.glob("schema-v*.sql"))
    assert shipped == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
def test_an_older_database_keeps_every_row_under_the_current_netlog(netlog, db_path, version):
    load_fixture(version, db_path)
    raw = sqlite3.connect(db_path)
    rows_before = {
        table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in (
            "contact",
            "email",
            "tag",
            "contact_tag",
            "interaction",
            "interaction_contact",
            "favor",
            "setting",
            *(["detail"] if version >= 10 else []),
            *(["need_offer", "need_offer_tag"] if version >= 12 else []),
        )
    }
    uid_before = (
        raw.execute("SELECT uid FROM contact WHERE handle = 'jane-doe'").fetchone()[0]
        if version >= 3
        else None
    )
    raw.close()

    everyone = {c["handle"]: c for c in netlog.json("list")}
    everyone |= {c["handle"]: c for c in netlog.json("list", "--archived")}
    assert {"sam-rivera", "jane-doe", "choe-yu-lim"} <= set(everyone)
    jane = netlog.json("show", "jane-doe", "--limit", "0")
    assert jane["emails"] == ["jane@acme.com", "jd@home.example"]
    assert jane["via"] == "sam-rivera" and jane["cadence_days"] == 21
    assert jane["birthday"] == "1990-07-04" and jane["tags"] == ["climate", "investor"]
    introduced = version >= 11  # the v11 ledger has Jane and Sam introduced on 02-27
    # her pending ask of 02-25 counts as a touch (v11: the introduction of 02-27)
    assert jane["last_touch"] == ("2026-02-27" if introduced else "2026-02-25")
    assert jane["balance"]["balance"] == (4 if introduced else 2)
    assert [(t["type"], t["date"]) for t in jane["timeline"]] == [
        *([("favor", "2026-02-27"), ("interaction", "2026-02-27")] if introduced else []),
        ("favor", "2026-02-25"),
        ("favor", "2026-02-12"),
        ("interaction", "2026-02-10"),
        ("interaction", "2026-01-15"),
    ]
    sam = netlog.json("show", "sam")
    # the promise; the declined ask does not count (v11: the introduction)
    assert sam["last_touch"] == ("2026-02-27" if introduced else "2026-02-20")
    favors = netlog.json("log", "--kind", "favor")
    assert sorted(f["status"] for f in favors) == [
        "asked",
        "declined",
        *(["done"] * (4 if introduced else 2)),
        "promised",
    ]
    # m011: Sam introduced you to Jane (her via), a favor received, weight 2, on the day
    # you met her; so the balance with Sam counts it.
    (via,) = [f for f in favors if f["introduced"] == "jane-doe" and f["direction"] == "received"]
    assert (via["contact"], via["description"], via["weight"], via["date"], via["status"]) == (
        "sam-rivera", "introduced you to Jane Doe", 2, "2026-01-15", "done",
    )  # fmt: skip
    assert sam["balance"]["received_weight"] == 2
    assert everyone["choe-yu-lim"]["archived"] is True
    assert everyone["choe-yu-lim"]["birthday"] == "03-05"
    assert netlog.json("config", "get", "cadence.close") == {"cadence.close": "21"}
    assert sam["snoozed_until"] == (None if version < 2 else "2026-03-20")
    if version < 10:  # m010: the phone and link she had become her first, preferred, entries
        assert jane["email_addresses"] == [
            {"address": "jane@acme.com", "label": None, "preferred": True},
            {"address": "jd@home.example", "label": None, "preferred": False},
        ]
        assert jane["phone_numbers"] == [{"number": "+1 555 0100", "label": None, "preferred": True}]
        assert (jane["addresses"], jane["events"]) == ([], [])
    else:
        assert [(e["label"], e["preferred"]) for e in jane["email_addresses"]] == [
            ("work", True),
            ("home", False),
        ]
        assert jane["phone_numbers"] == [
            {"number": "+1 555 0100", "label": "mobile", "preferred": True},
            {"number": "+1 555 0199", "label": "work", "preferred": False},
        ]
        assert jane["addresses"] == [
            {"label": "work", "po_box": None, "extended": None, "street": "1 Main St", "locality": "Berlin",
             "region": None, "postcode": "10115", "country": "Germany", "preferred": True},
        ]  # fmt: skip
        assert jane["events"] == [{"label": "anniversary", "date": "2019-06-20"}]
    assert jane["phone"] == "+1 555 0100"
    parts = (jane["given_name"], jane["family_name"], jane["nickname"])
    assert parts == (("Jane", "Doe", "JD") if version >= 9 else (None, None, None))
    assert jane["uid"] and sam["uid"] and jane["uid"] != sam["uid"]  # given by m003 if older
    if version >= 3:
        assert jane["url"] == "https://www.linkedin.com/in/jane-doe"
        label = "linkedin" if version >= 10 else None
        assert jane["urls"] == [{"url": jane["url"], "label": label, "preferred": True}]
        assert jane["uid"] == uid_before
        lin = netlog.json("show", "lin")
        assert (lin["first_due"], lin["met_on"]) == ("2026-03-15", "2022-04-01")
    raw = sqlite3.connect(db_path)
    rows_before["favor"] += 0 if introduced else 1  # Sam's introduction of Jane, made by m011
    for table, count in rows_before.items():
        assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count, table
    # the summary columns added later are filled in for the old rows: what Sam did for you
    # (his declined ask, and introducing you to Jane), Jane's open ask and the promise
    # still owed to Sam
    assert stats_of(raw, "sam-rivera") == {"asked_count": 2, "declined_count": 1}
    assert open_items(raw, "jane-doe") == (1, 0) and open_items(raw, "sam-rivera") == (0, 1)
    if introduced:
        assert [(i["a"], i["b"], i["outcome"]) for i in netlog.json("intros")] == [
            ("jane-doe", "sam-rivera", "connected")
        ]
        assert [e["kind"] for e in jane["knows"][0]["evidence"]] == [
            "introduced",
            "via",
            "same org",
            "met together",
        ]
    # v12 has Jane's need (open, tagged, wanted by 04-01), your need met, Sam's offer
    # and your dropped one (on 03-10 her need is not yet past its day)
    needs = [(n["contact"], n["text"], n["tags"], n["until"], n["status"]) for n in netlog.json("needs")]
    offers = [(n["contact"], n["text"], n["tags"], n["status"]) for n in netlog.json("offers")]
    if version >= 12:
        assert needs == [
            ("jane-doe", "a designer for her startup", ["design"], "2026-04-01", "open"),
            ("me", "intro to a climate VC", [], None, "met"),
        ]
        assert offers == [
            ("sam-rivera", "knows seed investors", ["investors"], "open"),
            ("me", "feedback on pitch decks", [], "dropped"),
        ]
    else:
        assert (needs, offers) == ([], [])
    # m013: every row made so far is the member's who upgrades the file (v13: Sara's, who made it)
    made_by = "sara" if version >= 13 else os_member()
    raw = sqlite3.connect(db_path)
    for table in ("interaction", "favor", *(["introduction", "knows"] if version >= 11 else []),
                  *(["need_offer"] if version >= 12 else []), "undo_command"):  # fmt: skip
        members = {row[0] for row in raw.execute(f"SELECT member FROM {table}")}
        assert members <= {made_by} and (members or table == "undo_command"), table
    raw.close()
    assert [(m["member"], m["touches"]) for m in netlog.json("members") if m["member"] == made_by] == [
        (made_by, 4 if introduced else 3)  # Sam's and Jane's first meetings, the lunch; the intro
    ]
    # and it takes new writes
    netlog("meet", "jane-doe", "--date", "2026-03-09")
    assert netlog.json("show", "jane-doe")["last_touch"] == "2026-03-09"


@pytest.mark.parametrize(("args", "env", "said"), [
    (["--db", "", "due"], None, "--db is empty"),
    (["due", "--db", " "], None, "--db is empty"),
    (["due"], "", "NETLOG_DB is set but empty"),
])  # fmt: skip
def test_an_empty_ledger_path_is_an_error_not_the_home_ledger(netlog, monkeypatch, tmp_path, args, env, said):
    if env is not None:
        monkeypatch.setenv("NETLOG_DB", env)
    result = netlog.fail(*args)
    assert said in result.stderr
    assert not (tmp_path / "xdg" / "netlog").exists()  # the default ledger was not made
