"""A team's ledger on a PostgreSQL server: connecting, the schema, the members' grants,
many writers at once, kills and a server going away.

The connection errors that need no server run everywhere; the rest need one
(`NETLOG_TEST_POSTGRES`, see servers.py) and are skipped without it, saying why. On the
PostgreSQL run the whole suite also runs against the server (conftest.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import servers
from depth import trials
from servers import needs_server
from test_concurrency import HAMMER, NETLOG, contacts_file
from test_errors import one_error_line

from netlog.migrations import SCHEMA_VERSION


def admin_rows(database: str, sql: str) -> list[tuple]:
    import psycopg

    url = servers.database_url(database).replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description is not None else []


def env_for(url: str) -> dict[str, str]:
    return {**os.environ, "NETLOG_DB": url, "NETLOG_TODAY": "2026-03-10"}


# --- without a server ------------------------------------------------------------


def test_a_server_that_does_not_answer_is_one_line(netlog):
    # Port 9 (discard) on this machine: nothing listens, the connection is refused at once.
    line = one_error_line(netlog.fail("--db", "postgresql://nobody@127.0.0.1:9/team", "due"))
    assert line.startswith(
        "Error: Cannot reach the PostgreSQL server of postgresql://nobody@127.0.0.1:9/team"
    )
    assert "check that it is running" in line


def test_the_password_is_never_shown(netlog):
    line = one_error_line(netlog.fail("--db", "postgresql://sara:s3cret@127.0.0.1:9/team", "list"))
    assert "s3cret" not in line and "postgresql://sara:***@127.0.0.1:9/team" in line


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql://sara@/team?host=/tmp&port=abc", "port=abc is not a number"),
        ("postgresql://sara@localhost:abc/team", "Port could not be cast to integer value as 'abc'"),
        ("postgresql://sara@[::1/team", "Invalid IPv6 URL"),
        ("postgresql://sara@localhost/", "the name of the database is missing after the host"),
    ],
)
def test_a_malformed_server_url_is_one_line(netlog, url, problem):
    line = one_error_line(netlog.fail("--db", url, "due"))
    assert line == (
        f"Error: {url} is not a PostgreSQL URL netlog can use ({problem}): write "
        "postgresql+psycopg://USER@HOST[:PORT]/DATABASE."
    )


def test_a_password_in_the_query_is_never_shown_either(netlog):
    line = one_error_line(netlog.fail("--db", "postgresql://sara@127.0.0.1:9/team?password=s3cret", "list"))
    assert "s3cret" not in line and "postgresql://sara@127.0.0.1:9/team?password=***" in line


def test_without_the_driver_the_extra_to_install_is_named(netlog, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
        line = one_error_line(netlog.fail("--db", "postgresql://sara@127.0.0.1:9/team", "list"))
    assert line == (
        "Error: A PostgreSQL ledger needs the psycopg driver, which is not installed: "
        "run pip install 'netlog[postgres]'."
    )


def test_another_driver_is_a_clear_error(netlog):
    line = one_error_line(netlog.fail("--db", "postgresql+psycopg2://sara@host/team", "list"))
    assert "write postgresql+psycopg://" in line


@pytest.mark.sqlite_file
def test_in_a_file_rows_record_the_os_user_and_undo_takes_back_the_last_command(netlog, monkeypatch):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USER", "sara")
    netlog("add", "Jane Doe")
    monkeypatch.setenv("USER", "sjones")  # the same person on another machine's account
    netlog("give", "jane", "a deck review")
    members = [
        (m["member"], m["you"], m["touches"], m["favors"], m["commands"]) for m in netlog.json("members")
    ]
    assert members == [("sara", False, 1, 0, 1), ("sjones", True, 0, 1, 1)]
    assert [c["command"] for c in netlog.json("undo", "--list")] == [
        "give jane 'a deck review'",
        "add 'Jane Doe'",
    ]
    monkeypatch.setenv("USER", "sara")
    # the reports answer for the whole file (it has one member): sjones's favor counts
    assert netlog.json("balance")[0]["balance"] == 1
    assert "Undid: netlog give jane 'a deck review'." in netlog("undo").stdout


# --- with a server ---------------------------------------------------------------


@needs_server
def test_the_first_command_on_an_empty_database_makes_the_schema(netlog, monkeypatch):
    with servers.fresh_database(empty=True) as database:
        monkeypatch.setenv("NETLOG_DB", servers.database_url(database))
        made = netlog("add", "José Díaz", "--org", "Acme")
        assert (
            f"Created a new ledger at postgresql://{servers.database_url(database).split('://')[1]}."
            in made.stderr
        )
        assert "Created" not in netlog("add", "Sam Lee").stderr
        steps = admin_rows(database, "SELECT name FROM netlog_migrations ORDER BY id")
        assert len(steps) == SCHEMA_VERSION and steps[0] == ("m001_initial",)
        # look-up ignores case and accents, as on SQLite
        assert netlog.json("show", "JOSE")["name"] == "José Díaz"
        assert [c["handle"] for c in netlog.json("list", "--search", "diaz")] == ["jose-diaz"]


@needs_server
def test_a_database_that_does_not_exist_names_the_createdb_to_run(netlog):
    url = servers.database_url("netlog_no_such_database")
    line = one_error_line(netlog.fail("--db", url, "due"))
    assert 'The server has no database "netlog_no_such_database": create it (createdb ' in line
    # the createdb names the server's port, wherever the URL gives it (after the host or as port=)
    assert f"-p {server_port()} " in line or server_port() == "5432"
    assert line.endswith(
        "netlog_no_such_database) and run the command again; netlog makes its tables itself."
    )


def server_port() -> str:
    """The port of the server under test (the URL's, or a socket's `port=`)."""
    from sqlalchemy.engine import make_url

    url = make_url(servers.database_url("postgres"))
    return str(url.port or url.query.get("port") or 5432)


@needs_server
def test_a_wrong_password_is_one_line_naming_the_login_but_not_the_password(netlog):
    if not role_exists("netlog_password_test"):
        servers.run_admin("CREATE ROLE netlog_password_test LOGIN PASSWORD 'the right one'")
    port = server_port()
    # a database that does not exist: a server that let the login in would say so instead
    url = f"postgresql://netlog_password_test:wrong@127.0.0.1:{port}/netlog_password_test"
    line = one_error_line(netlog.fail("--db", url, "list"))
    if "refused the login" not in line:
        pytest.fail(
            f"the server must ask for passwords over TCP on 127.0.0.1:{port}, as .ci/run's does: {line}"
        )
    assert line.startswith(
        f"Error: The server refused the login for postgresql://netlog_password_test:***@127.0.0.1:{port}/"
        "netlog_password_test ("
    )
    assert 'password authentication failed for user "netlog_password_test"' in line and "wrong" not in line
    assert line.endswith("): check the user name and the password (PGPASSWORD or ~/.pgpass).")


@needs_server
def test_a_login_without_a_password_where_the_server_asks_for_one_says_so(netlog, monkeypatch, tmp_path):
    if not role_exists("netlog_password_test"):
        servers.run_admin("CREATE ROLE netlog_password_test LOGIN PASSWORD 'the right one'")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url = f"postgresql://netlog_password_test@127.0.0.1:{server_port()}/netlog_password_test"
    line = one_error_line(netlog.fail("--db", url, "list"))
    assert line == (
        f"Error: The server asks for a password for postgresql://netlog_password_test@127.0.0.1:{server_port()}"
        "/netlog_password_test: set PGPASSWORD, put it in ~/.pgpass, or write it in the URL."
    )


@needs_server
def test_an_unknown_login_is_named(netlog):
    url = as_member("postgres", "netlog_nobody_at_all")
    line = one_error_line(netlog.fail("--db", url, "due"))
    assert line.startswith(
        'Error: The server has no login "netlog_nobody_at_all" (postgresql://netlog_nobody_at_all@'
    )
    assert line.endswith("ask whoever runs the database for your role (the README's team section), or correct "
                         "the user name in the URL.")  # fmt: skip


@needs_server
def test_a_database_of_another_program_is_left_alone(netlog):
    with servers.fresh_database(empty=True) as database:
        admin_rows(database, "CREATE TABLE invoices (id int)")
        line = one_error_line(netlog.fail("--db", servers.database_url(database), "add", "Jane Doe"))
        assert "is not a netlog ledger (its schema has tables invoices)" in line
        assert admin_rows(database, "SELECT count(*) FROM information_schema.tables "
                                    "WHERE table_schema = 'public'") == [(1,)]  # fmt: skip


@needs_server
def test_timestamps_are_kept_in_utc_whatever_the_server_zone(netlog, monkeypatch):
    with servers.fresh_database(empty=True) as database:
        admin_rows(database, f"ALTER DATABASE {database} SET TimeZone = 'Asia/Tokyo'")
        monkeypatch.setenv("NETLOG_DB", servers.database_url(database))
        netlog("add", "Jane Doe")
        # NETLOG_TODAY fixes the day; the time of day is the clock's, in UTC
        now = datetime.now(timezone.utc)
        expected = datetime.combine(date(2026, 3, 10), now.time(), tzinfo=timezone.utc).timestamp()
        stored = admin_rows(database, "SELECT extract(epoch FROM created_at AT TIME ZONE 'UTC') FROM contact")
        assert abs(float(stored[0][0]) - expected) < 10  # not 9 hours off (Tokyo)


@needs_server
def test_a_personal_ledger_moves_to_the_server_whole_and_again_changes_nothing(netlog, tmp_path):
    personal = str(tmp_path / "mine.db")
    netlog("--db", personal, "add", "Jane Doe", "--org", "Acme", "--met", "2026-01-05", "--tag", "design")
    netlog("--db", personal, "add", "Sam Lee", "--via", "jane", "--met", "2026-01-20")
    netlog("--db", personal, "meet", "jane", "sam", "--date", "2026-02-01", "--note", "lunch")
    netlog("--db", personal, "give", "jane", "a deck review", "--promise", "--due", "2026-03-20")
    netlog("--db", personal, "intro", "jane", "sam", "--date", "2026-02-03")
    netlog("--db", personal, "knows", "jane", "sam")
    netlog("--db", personal, "need", "jane", "a designer", "--until", "2026-04-01")
    netlog("--db", personal, "offer", "sam", "design work")
    exported = netlog("--db", personal, "export", "--format", "jsonl").stdout
    with servers.fresh_database() as database:
        team = servers.database_url(database)
        for _ in range(2):
            netlog("--db", team, "import", "-", "--format", "jsonl", input=exported)
        assert netlog("--db", team, "export", "--format", "jsonl").stdout == exported
        assert netlog.json("--db", team, "show", "sam")["via"] == "jane-doe"
        assert "a deck review" in exported and '"due": "2026-03-20"' in exported  # it was all in the file


@needs_server
def test_a_server_ledger_is_backed_up_by_its_server_and_exported_like_a_file(netlog, tmp_path):
    netlog("add", "Jane Doe")
    line = one_error_line(netlog.fail("backup"))
    assert "is kept by its server: back it up there (pg_dump -Fc), or export it whole with:" in line
    netlog("export", "--format", "jsonl", "-o", str(tmp_path / "team.jsonl"))
    assert '"name": "Jane Doe"' in (tmp_path / "team.jsonl").read_text()
    netlog("import", str(tmp_path / "team.jsonl"), "--dry-run")


FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture_into_server(version: int, database: str) -> dict[str, int]:
    """A server database as netlog of schema `version` left it: its migrations up to that
    version, then the rows of tests/fixtures/schema-v{version}.sql (triggers off, as the
    rows are already what they made). Returns each table's row count."""
    import sqlite3

    import psycopg

    from netlog.location import locate
    from netlog.storage import server

    location = locate(servers.database_url(database))
    engine = server.make_engine(location)
    try:
        server.migrate(engine, location, upto=version)
    finally:
        engine.dispose()
    source = sqlite3.connect(":memory:")
    source.executescript((FIXTURES / f"schema-v{version}.sql").read_text())
    tables = [row[0] for row in source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'netlog_migrations' ORDER BY name")]  # fmt: skip
    url = servers.database_url(database).replace("postgresql+psycopg://", "postgresql://", 1)
    counts = {}
    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")  # no triggers, no reference checks
        for table in tables:
            columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
            flags = {row[0] for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND data_type = 'boolean'", [table])}  # fmt: skip
            rows = [
                [bool(v) if c in flags and v is not None else v for c, v in zip(columns, row, strict=True)]
                for row in source.execute(f'SELECT * FROM "{table}"')
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            with conn.cursor() as cursor:
                cursor.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING', rows
                )
            counts[table] = len(rows)
        if version >= 7:  # AUTOINCREMENT's record of the highest ids given
            for name, seq in source.execute("SELECT name, seq FROM sqlite_sequence"):
                conn.execute("INSERT INTO netlog_high_id (name, seq) VALUES (%s, %s)", [name, seq])
        conn.execute("SET session_replication_role = DEFAULT")
    return counts


@needs_server
@pytest.mark.parametrize("version", list(range(1, SCHEMA_VERSION)))
def test_a_server_ledger_of_an_older_schema_keeps_every_row_under_the_current_netlog(netlog, version):
    """The PostgreSQL form of every migration, run on a ledger with rows in it: made at
    each earlier version (the same rows as the SQLite fixtures), upgraded by this netlog."""
    with servers.fresh_database(empty=True) as database:
        before = load_fixture_into_server(version, database)
        url = servers.database_url(database)
        introduced = version >= 11
        jane = netlog.json("--db", url, "show", "jane-doe", "--limit", "0")  # the first command upgrades
        # the same answers as the SQLite upgrade test (tests/test_storage.py), worked out there
        assert jane["last_touch"] == ("2026-02-27" if introduced else "2026-02-25")
        assert jane["emails"] == ["jane@acme.com", "jd@home.example"]
        assert jane["tags"] == ["climate", "investor"] and jane["via"] == "sam-rivera"
        # from v13 the rows are their maker's, Sara's; before it, the one upgrading's
        made_by = "sara" if version >= 13 else admin_rows(database, "SELECT current_user")[0][0]
        balances = {r["handle"]: r for r in netlog.json("--db", url, "balance", "--member", made_by)}
        assert balances["jane-doe"]["balance"] == (4 if introduced else 2)
        assert balances["sam-rivera"]["received_weight"] == 2
        assert netlog.json("--db", url, "check")["ok"] is True
        steps = admin_rows(database, "SELECT count(*) FROM netlog_migrations")
        assert steps == [(SCHEMA_VERSION,)]
        before["favor"] += 0 if introduced else 1  # Sam's introduction of Jane, made by m011
        for table in ("contact", "email", "tag", "contact_tag", "interaction", "interaction_contact",
                      "favor", "setting", *(["detail"] if version >= 10 else [])):  # fmt: skip
            assert admin_rows(database, f"SELECT count(*) FROM {table}") == [(before[table],)], table
        assert admin_rows(database, "SELECT DISTINCT member FROM favor") == [(made_by,)]
        # and it takes new writes, with ids never given before
        netlog("--db", url, "meet", "jane-doe", "--date", "2026-03-09")
        assert netlog.json("--db", url, "show", "jane-doe")["last_touch"] == "2026-03-09"


def team_database(name: str) -> str:
    """A database set up with the README's SQL for three members (the superuser runs the
    role statements; the owner's part runs as the owner)."""
    from netlog.storage.server import TEAM_SQL

    text = TEAM_SQL.format(database=name)
    setup, owner, member = (part.strip() for part in text.split("\n\n"))
    run = [strip_comments(s) for s in setup.split(";") if strip_comments(s)]
    servers.run_admin(*[s for s in run if not (s.startswith("CREATE ROLE") and role_exists(s.split()[2]))])
    owner_statements = [strip_comments(s) for s in owner.split(";") if strip_comments(s)]
    admin_rows(name, "SET ROLE netlog_owner; " + "; ".join(owner_statements))
    for who in ("sara", "omar", "lena"):
        if not role_exists(who):
            statement = strip_comments(member).rstrip(";").replace("sara", who).replace("her own", who)
            servers.run_admin(statement)
    return name


def role_exists(name: str) -> bool:
    """Roles belong to the server, not to a database: a run before this one may have made them."""
    return bool(admin_rows("postgres", f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'"))


def strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--")).strip()


def as_member(database: str, who: str) -> str:
    base = servers.database_url(database)
    scheme, _, rest = base.partition("://")
    authority, _, path = rest.partition("/")
    host = authority.split("@", 1)[-1]
    return f"{scheme}://{who}@{host}/{path}"


@pytest.fixture
def team():
    name = f"netlog_team_{os.getpid()}"
    servers.run_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    team_database(name)
    yield name
    servers.drop_database(name)


@needs_server
def test_members_with_the_readme_grants_can_use_netlog_but_not_change_the_schema(netlog, team):
    owner = as_member(team, "netlog_owner")
    # a member who comes first may not make the tables: they are told whose command does
    early = one_error_line(netlog.fail("--db", as_member(team, "sara"), "list"))
    assert "may not make or change netlog's tables (permission denied for schema public)" in early
    assert early.endswith("the owner's first netlog command makes them, and after an upgrade changes "
                          "them (the README's team section); then run yours again.")  # fmt: skip
    netlog("--db", owner, "list")  # the owner's first command makes the schema
    sara = as_member(team, "sara")
    netlog("--db", sara, "add", "Jane Doe", "--org", "Acme")
    netlog("--db", sara, "meet", "jane", "--note", "coffee")
    netlog("--db", sara, "give", "jane", "an intro")
    netlog("--db", sara, "ask", "jane", "a review")
    netlog("--db", sara, "need", "jane", "a designer")
    netlog("--db", sara, "offer", "me", "design reviews")
    netlog("--db", sara, "edit", "jane", "--title", "CTO")
    netlog("--db", sara, "undo")
    assert netlog.json("--db", sara, "show", "jane").get("title") is None
    assert netlog.json("--db", sara, "check")["ok"] is True
    assert [c["handle"] for c in netlog.json("--db", sara, "due")["contacts"]] == []
    import psycopg

    url = sara.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in (
            "DROP TABLE contact",
            "ALTER TABLE contact ADD COLUMN x int",
            "CREATE TABLE mine (x int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


@needs_server
def test_two_members_each_undo_only_their_own_writes(netlog, team):
    netlog("--db", as_member(team, "netlog_owner"), "list")
    sara, omar = as_member(team, "sara"), as_member(team, "omar")
    netlog("--db", sara, "add", "Jane Doe", "--org", "Acme")
    netlog("--db", omar, "add", "Zoe Park")
    netlog("--db", sara, "give", "jane", "a deck review")
    netlog("--db", omar, "meet", "jane", "zoe", "--note", "lunch with omar")
    # Sara's undo takes back her favor, not Omar's lunch, which came after it
    assert "Undid: netlog give jane 'a deck review'." in netlog("--db", sara, "undo").stdout
    notes = [t["note"] for t in netlog.json("--db", sara, "log", "--kind", "meeting")]
    assert sorted(notes, key=str) == [None, None, "lunch with omar"]  # the adds' meetings, and his
    assert netlog.json("--db", sara, "log", "--kind", "favor") == []
    # her next command back is the add of Jane: Omar's lunch is with Jane, so it stays
    result = netlog.fail("--db", sara, "undo")
    line = one_error_line(result)
    assert line == (
        "Error: Your last command (netlog add 'Jane Doe' --org Acme) cannot be undone now: omar has "
        "changed what it wrote since (netlog meet jane zoe --note 'lunch with omar'). Nothing was "
        "changed; correct it with edit, edit-touch or edit-favor instead."
    )
    assert netlog.json("--db", omar, "show", "jane")["name"] == "Jane Doe"
    # an edit of the same contact by both: Sara's cannot be undone over Omar's
    netlog("--db", sara, "edit", "jane", "--title", "CTO")
    netlog("--db", omar, "edit", "jane", "--title", "CEO")
    netlog.fail("--db", sara, "undo")
    assert netlog.json("--db", sara, "show", "jane")["title"] == "CEO"
    # Omar's own undo is his to make, and then Sara's edit is hers to take back
    netlog("--db", omar, "undo")
    netlog("--db", sara, "undo")
    assert netlog.json("--db", sara, "show", "jane").get("title") is None
    members = {m["member"]: m for m in netlog.json("--db", sara, "members")}
    assert (members["sara"]["you"], members["omar"]["you"]) == (True, False)
    # Omar's touches: the meeting his add records, and the lunch; Sara's favor was undone
    assert (members["sara"]["favors"], members["omar"]["touches"]) == (0, 2)
    assert [c["command"] for c in netlog.json("--db", omar, "undo", "--list")] == [
        "meet jane zoe --note 'lunch with omar'",
        "add 'Zoe Park'",
    ]


@needs_server
def test_each_member_sees_their_own_due_and_balance_and_the_team_sees_all(netlog, team):
    netlog("--db", as_member(team, "netlog_owner"), "list")
    sara, omar = as_member(team, "sara"), as_member(team, "omar")
    # Sara met Jane 100 days before 2026-03-10 (active circle: every 90 days); Omar saw her
    # yesterday. Sara promised her a deck review, due the 8th; Omar asked her for a review.
    netlog("--db", sara, "add", "Jane Doe", "--met", "2025-11-30")
    netlog("--db", omar, "meet", "jane", "--date", "2026-03-09")
    netlog(
        "--db",
        sara,
        "give",
        "jane",
        "a deck review",
        "--promise",
        "--due",
        "2026-03-08",
        "--date",
        "2026-03-01",
    )
    netlog("--db", sara, "give", "jane", "an intro", "--weight", "2", "--date", "2025-12-01")
    netlog("--db", omar, "ask", "jane", "a review", "--date", "2026-03-09", "-q")
    # Zoe: Sara met her 129 days ago, Omar yesterday. Sara is due to get in touch; Omar is
    # not, and neither is the team, which saw her yesterday.
    netlog("--db", sara, "add", "Zoe Park", "--met", "2025-11-01")
    netlog("--db", omar, "meet", "zoe", "--date", "2026-03-09")
    mine = netlog.json("--db", sara, "due")
    # (Jane: her promise of 03-01 is Sara's touch 9 days ago)
    assert [(c["handle"], c["days_since"]) for c in mine["contacts"]] == [("zoe-park", 129)]
    # `show` gives the team's last touch, and Sara's own beside it: it agrees with her due
    assert "2026-03-09 (the team's; yours 2025-11-01)" in netlog("--db", sara, "show", "zoe").stdout
    assert "(the team's" not in netlog("--db", omar, "show", "zoe").stdout  # his is the team's
    assert netlog.json("--db", omar, "due")["contacts"] == []
    assert netlog.json("--db", sara, "due", "--team")["contacts"] == []
    assert [p["description"] for p in mine["promises"]] == ["a deck review"]
    assert netlog.json("--db", omar, "due")["promises"] == []
    # the list says whose it is when it is not yours
    assert "Promises you made" in netlog("--db", sara, "due").stdout
    for scope, whose in ((["--team"], "the team"), (["--member", "sara"], "sara")):
        shown = netlog("--db", omar, "due", *scope).stdout
        assert f", for {whose}" in shown.splitlines()[0] and f"Promises {whose} made" in shown
    # balances: Sara gave 2 (the intro; the review is still a promise), Omar asked once (open)
    assert netlog.json("--db", sara, "balance")[0]["balance"] == 2
    assert netlog.json("--db", omar, "balance") == []  # an open ask is no exchange yet
    assert netlog.json("--db", omar, "balance", "--team")[0]["balance"] == 2
    assert netlog.json("--db", omar, "balance", "--member", "sara")[0]["balance"] == 2
    # stale: Omar touched both yesterday; Sara, Zoe when they met and Jane with her promise
    assert [(r["handle"], r["days_since"]) for r in netlog.json("--db", sara, "stale", "--days", "5")] == [
        ("zoe-park", 129),
        ("jane-doe", 9),
    ]
    assert netlog.json("--db", omar, "stale", "--days", "5") == []
    # show's balance is hers too, as balance says; the team's is --team's
    assert netlog.json("--db", sara, "show", "jane")["balance"]["balance"] == 2
    assert netlog.json("--db", omar, "show", "jane")["balance"]["balance"] == 0
    # stats counts the introductions and needs each member noted
    netlog("--db", sara, "intro", "jane", "zoe", "--date", "2026-03-05")
    netlog("--db", omar, "need", "zoe", "a designer")
    sara_stats, omar_stats = (netlog.json("--db", who, "stats") for who in (sara, omar))
    assert (sara_stats["introductions"]["made"], omar_stats["introductions"]["made"]) == (1, 0)
    assert (sara_stats["needs"]["noted"], omar_stats["needs"]["noted"]) == (0, 1)
    team_stats = netlog.json("--db", sara, "stats", "--team")
    assert (team_stats["introductions"]["made"], team_stats["needs"]["noted"]) == (1, 1)
    line = one_error_line(netlog.fail("--db", sara, "due", "--member", "nobody"))
    assert line == 'Error: No member "nobody" has recorded anything here: netlog members lists who has.'
    netlog.fail("--db", sara, "due", "--member", "omar", "--team", code=2)


@needs_server
def test_the_give_before_ask_advice_is_each_members_own(netlog, team):
    netlog("--db", as_member(team, "netlog_owner"), "list")
    sara, omar = as_member(team, "sara"), as_member(team, "omar")
    netlog("--db", sara, "add", "Jane Doe")
    netlog("--db", sara, "give", "jane", "an intro to her first client", "--weight", "4")
    # Sara gave 4: she is ready to ask, and her ask says nothing against it
    assert netlog.json("--db", sara, "balance")[0]["state"] == "ready to ask"
    assert "balance" not in netlog("--db", sara, "ask", "jane", "a review").stderr
    # Omar has given nothing: his ask warns him, and his balance agrees
    warned = netlog("--db", omar, "ask", "jane", "an intro").stderr
    assert "your balance with Jane Doe is +0" in warned
    assert netlog.json("--db", omar, "balance", "--all")[0]["balance"] == 0


@needs_server
def test_a_members_stats_count_the_introductions_they_received(netlog, team):
    netlog("--db", as_member(team, "netlog_owner"), "list")
    sara, omar = as_member(team, "sara"), as_member(team, "omar")
    netlog("--db", sara, "add", "Sam Rivera", "--met", "2026-02-01")
    netlog("--db", sara, "add", "Jane Doe", "--via", "sam", "--met", "2026-03-05")  # Sam introduced Sara

    def received(who: str, *scope: str) -> int:
        return netlog.json("--db", who, "stats", *scope)["introductions"]["received"]

    assert received(sara) == 1
    assert received(omar) == 0  # not his: nobody introduced Omar to anyone
    assert received(omar, "--member", "sara") == 1
    assert received(omar, "--team") == 1
    # the figures say whose they are when not yours
    assert netlog("--db", omar, "stats", "--member", "sara").stdout.splitlines()[0] == "Stats for sara"
    assert netlog("--db", omar, "stats", "--team").stdout.splitlines()[0] == "Stats for the team"
    assert netlog("--db", omar, "stats").stdout.splitlines()[0] == "2 contacts"
    # Omar has exchanged no favors; the team has (Sam's introduction of Jane to Sara)
    assert netlog("--db", omar, "balance").stdout.strip() == (
        "You have no favors done with anyone yet: --team shows the team's balance."
    )
    assert "Sam Rivera" in netlog("--db", omar, "balance", "--team").stdout
    # the introduction was Sara's: Omar reads so, Sara reads it as hers
    for who, introduced in ((omar, "sara"), (sara, "you")):
        (sam,) = netlog.json("--db", who, "show", "jane")["knows"]
        assert [e["text"] for e in sam["evidence"]] == [
            f"Sam Rivera introduced {introduced} to Jane Doe (2026-03-05)"
        ]


@needs_server
def test_a_path_through_a_teammates_tie_says_whose_it_is(netlog, team):
    netlog("--db", as_member(team, "netlog_owner"), "list")
    sara, omar = as_member(team, "sara"), as_member(team, "omar")
    netlog("--db", sara, "add", "Jane Doe", "--met", "2026-02-01")
    netlog("--db", omar, "add", "Zoe Park", "--met", "2026-03-01")
    netlog("--db", omar, "add", "Ana Lima", "--no-meet")
    netlog("--db", omar, "meet", "zoe", "ana", "--date", "2026-03-04")
    direct, through_zoe = netlog.json("--db", sara, "path", "ana")
    # Omar met Ana: the team's tie, his to use
    (hop,) = direct["hops"]
    assert [(e["kind"], e["text"]) for e in hop["evidence"]] == [
        ("team tie", "omar on your team knows Ana Lima: last touch 2026-03-04 (1 touch); ask omar")
    ]
    assert direct["advice"].startswith("ask omar on your team, who knows Ana Lima, to introduce you; ")
    first, second = through_zoe["hops"]
    assert (first["from"], first["to"], second["to"]) == ("me", "zoe-park", "ana-lima")
    assert [(e["kind"], e["text"], e["date"], e["count"]) for e in first["evidence"]] == [
        ("team tie", "omar on your team knows Zoe Park: last touch 2026-03-04 (2 touches); ask omar",
         "2026-03-04", 2),
    ]  # fmt: skip
    assert through_zoe["advice"].startswith(
        "omar on your team knows Zoe Park: ask omar first, then ask Zoe Park to introduce you to Ana Lima; "
    )
    # the meeting is Omar's touch, and says so to Sara (not to Omar)
    assert (
        second["evidence"][0]["text"] == "Zoe Park knows Ana Lima: met together 2026-03-04 (recorded by omar)"
    )
    omar_second = netlog.json("--db", omar, "path", "ana")[1]["hops"][1]
    assert omar_second["evidence"][0]["text"] == "Zoe Park knows Ana Lima: met together 2026-03-04"
    # once Sara has met them together too, it is both of theirs; `show` says the same
    netlog("--db", sara, "meet", "zoe", "ana", "--date", "2026-03-06")
    assert netlog.json("--db", sara, "path", "ana")[1]["hops"][1]["evidence"][0]["text"] == (
        "Zoe Park knows Ana Lima: met together on 2 days, last 2026-03-06 (recorded by omar and you)"
    )
    (ana,) = netlog.json("--db", sara, "show", "zoe")["knows"]
    assert [e["text"] for e in ana["evidence"]] == [
        "met together on 2 days, last 2026-03-06 (recorded by omar and you)"
    ]
    # a tie Omar states is his, by name, for Sara; for him it is his own
    netlog("--db", omar, "knows", "jane", "zoe", "--note", "same climbing gym")
    stated = [e["text"] for e in netlog.json("--db", sara, "show", "jane")["knows"][0]["evidence"]]
    assert stated == ['omar noted they know each other (2026-03-10): "same climbing gym"']
    stated = [e["text"] for e in netlog.json("--db", omar, "show", "jane")["knows"][0]["evidence"]]
    assert stated == ['you noted they know each other (2026-03-10): "same climbing gym"']
    # for Omar it is his own tie
    assert [p["hops"][0]["evidence"][0]["kind"] for p in netlog.json("--db", omar, "path", "ana")] == [
        "your tie",
        "your tie",
    ]


PROCESSES = 20
WRITES = trials(50, 100)


@needs_server
def test_a_large_import_sums_its_contacts_up_once_at_the_end_as_row_by_row(
    netlog, team, tmp_path, monkeypatch
):
    """Thousands of touches or favors at once (here any number: the threshold lowered)
    leave the summary triggers waiting and rebuild their contacts' summaries at the end:
    the same figures as row by row, for the importer, the teammate and the team. A file
    as large as the ledger (here: counted as 10,000 records) is a member's to import too, though the indexes an
    import sets aside are the owner's."""
    from netlog.formats import registry
    from netlog.ledger import write

    netlog("--db", as_member(team, "netlog_owner"), "list")
    sara, omar = as_member(team, "sara"), as_member(team, "omar")
    netlog("--db", omar, "add", "Jane Doe", "--no-meet")
    netlog("--db", omar, "meet", "jane", "--date", "2026-01-05")
    netlog("--db", omar, "give", "jane", "a deck review", "--date", "2026-02-01")
    monkeypatch.setattr(write, "SUMMARIES_AT_END_FROM", 1)
    monkeypatch.setattr(registry, "estimate", lambda data, fmt: 10_000)  # as large as a big file
    records = [
        {"type": "contact", "name": "Sam Rivera", "handle": "sam-rivera"},
        {"type": "interaction", "date": "2026-03-01", "kind": "meal", "contacts": ["jane-doe", "sam-rivera"]},
        {"type": "interaction", "date": "2026-03-05", "kind": "call", "contacts": ["sam-rivera"]},
        {"type": "favor", "contact": "jane-doe", "direction": "given", "description": "an intro",
         "weight": 2, "date": "2026-02-20", "status": "done"},
        {"type": "favor", "contact": "sam-rivera", "direction": "received", "description": "a review",
         "weight": 1, "date": "2026-02-15", "status": "done"},
    ]  # fmt: skip
    source = tmp_path / "sara.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    netlog("--db", sara, "import", str(source))
    assert netlog.json("--db", sara, "check")["ok"] is True  # every summary as the rows give it

    def days(who: str, *scope: str) -> dict[str, int]:
        return {
            r["handle"]: r["days_since"] for r in netlog.json("--db", who, "stale", "--days", "1", *scope)
        }

    def balances(who: str, *scope: str) -> dict[str, int]:
        return {r["handle"]: r["balance"] for r in netlog.json("--db", who, "balance", *scope)}

    # 2026-03-10: Sara's last touch of Jane is the meal (9 days), of Sam the call (5 days);
    # Omar's of Jane his favor of 02-01 (37 days); the team's, Sara's.
    assert days(sara) == {"jane-doe": 9, "sam-rivera": 5}
    assert days(omar)["jane-doe"] == 37
    assert days(sara, "--team") == {"jane-doe": 9, "sam-rivera": 5}
    # Sara gave Jane 2 and owes Sam 1; Omar gave Jane 1; the team gave Jane 3
    assert balances(sara) == {"jane-doe": 2, "sam-rivera": -1}
    assert balances(omar) == {"jane-doe": 1}
    assert balances(sara, "--team") == {"jane-doe": 3, "sam-rivera": -1}
    # Jane and Sam were at the same meal: they met together, on Sara's word
    assert "met together 2026-03-01" in netlog("--db", omar, "show", "sam").stdout


@needs_server
def test_undoing_a_large_import_puts_every_summary_back(netlog, team, tmp_path, monkeypatch):
    """The undo of a large command (here any: the threshold lowered) has the summary
    triggers wait while it replays and rebuilds every summary after: the teammate's
    figures and the importer's are the ones before the import, and later writes are
    summed up again row by row."""
    from netlog.ledger import journal

    netlog("--db", as_member(team, "netlog_owner"), "list")
    sara, omar = as_member(team, "sara"), as_member(team, "omar")
    netlog("--db", omar, "add", "Jane Doe", "--no-meet")
    netlog("--db", omar, "meet", "jane", "--date", "2026-02-01")
    netlog("--db", sara, "give", "jane", "an intro", "--weight", "2", "--date", "2026-02-10")
    records = [
        {"type": "contact", "name": "Zoe Park", "handle": "zoe-park"},
        {"type": "interaction", "date": "2026-03-01", "kind": "meal", "contacts": ["jane-doe", "zoe-park"]},
        {"type": "favor", "contact": "jane-doe", "direction": "received", "description": "a review",
         "weight": 3, "date": "2026-03-02", "status": "done"},
    ]  # fmt: skip
    source = tmp_path / "sara.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    netlog("--db", sara, "import", str(source))
    monkeypatch.setattr(journal, "REBUILD_FROM", 1)
    assert netlog("--db", sara, "undo").stdout.startswith("Undid: netlog import")
    assert netlog.json("--db", sara, "check")["ok"] is True
    # 2026-03-10: Jane was last touched by Sara with her intro (28 days), by Omar on 02-01
    # (37 days); Sara's balance with her is the intro's 2 again, not 2 - 3
    stale = {who: {r["handle"]: r["days_since"] for r in netlog.json("--db", who, "stale", "--days", "1")}
             for who in (sara, omar)}  # fmt: skip
    assert stale == {sara: {"jane-doe": 28}, omar: {"jane-doe": 37}}
    assert [(r["handle"], r["balance"]) for r in netlog.json("--db", sara, "balance")] == [("jane-doe", 2)]
    netlog.fail("--db", sara, "show", "zoe-park")
    netlog("--db", omar, "meet", "jane", "--date", "2026-03-09")  # row by row again
    assert netlog.json("--db", sara, "show", "jane")["last_touch"] == "2026-03-09"
    assert netlog.json("--db", sara, "check")["ok"] is True


@needs_server
def test_the_owners_large_import_leaves_the_server_knowing_the_new_rows(netlog, tmp_path, monkeypatch):
    """After a large import by the ledger's owner the server plans with statistics that
    count the new rows (ANALYZE, in the import's transaction), not those of the empty
    tables: planned for empty tables, `check` on the moved bench ledger took 100 s."""
    from netlog.ledger import write

    monkeypatch.setattr(write, "SUMMARIES_AT_END_FROM", 1)
    with servers.fresh_database() as database:
        url = servers.database_url(database)
        netlog("--db", url, "add", "Jane Doe", "--no-meet")
        records = [{"type": "interaction", "date": f"2026-02-{day:02d}", "kind": "call", "contacts": ["jane-doe"]}
                   for day in range(1, 29)]  # fmt: skip
        source = tmp_path / "calls.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records))
        netlog("--db", url, "import", str(source))
        counted = admin_rows(database, "SELECT relname, reltuples FROM pg_class WHERE relname IN "
                             "('interaction', 'interaction_contact', 'touch_day') ORDER BY relname")  # fmt: skip
        assert counted == [("interaction", 28), ("interaction_contact", 28), ("touch_day", 28)]
        assert netlog.json("--db", url, "show", "jane")["last_touch"] == "2026-02-28"


@needs_server
def test_the_summary_triggers_wait_only_in_the_transaction_that_asks(netlog):
    """The setting an import's bulk insert gives is its transaction's own: the next
    transaction on the same connection, and everyone else's, keep the summaries row by row."""
    import psycopg

    with servers.fresh_database() as database:
        url = servers.database_url(database)
        netlog("--db", url, "add", "Jane Doe", "--no-meet")
        given = "SELECT given_count FROM contact_stats"
        insert = ("INSERT INTO favor (contact_id, direction, description, weight, date, status, created_at) "
                  "SELECT id, 'given', 'x', 1, '2026-03-01', 'done', now() FROM contact")  # fmt: skip
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
            conn.execute("SELECT set_config('netlog.summaries', 'later', true)")
            conn.execute(insert)
            assert conn.execute(given).fetchall() == [(0,)]  # waiting: the import sums up at the end
            conn.rollback()
            conn.execute(insert)
            assert conn.execute(given).fetchall() == [(1,)]
            conn.commit()
        assert netlog.json("--db", url, "check")["ok"] is True


@needs_server
def test_twenty_writers_of_three_members_lose_nothing(netlog, team):
    owner = as_member(team, "netlog_owner")
    netlog("--db", owner, "add", "Jane Doe", "--no-meet")
    members = ["sara", "omar", "lena"]
    workers = [
        subprocess.Popen(
            [sys.executable, str(HAMMER), as_member(team, members[n % 3]), str(WRITES), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(owner),
        )
        for n in range(PROCESSES)
    ]
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))
    assert [f for r in reports for f in r["failures"]] == []
    notes = {row[0] for row in admin_rows(team, "SELECT note FROM interaction")}
    favors = {row[0] for row in admin_rows(team, "SELECT description FROM favor")}
    for n in range(PROCESSES):
        for i in range(WRITES):
            assert (f"touch {n}-{i}" in notes) if i % 2 == 0 else (f"favor {n}-{i}" in favors)
    assert len(notes) == PROCESSES * WRITES // 2 and len(favors) == PROCESSES * WRITES // 2
    assert netlog.json("--db", owner, "check")["ok"] is True


@pytest.fixture(scope="module")
def big_import(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pg-import")
    return contacts_file(folder / "contacts.jsonl", 20_000)


def contact_count(database: str) -> int:
    return admin_rows(database, "SELECT count(*) FROM contact")[0][0]


@needs_server
def test_an_import_killed_at_any_moment_leaves_none_or_all_of_it(netlog, big_import):
    timing = servers.new_database()
    try:
        started = time.perf_counter()
        subprocess.run([*NETLOG, "import", str(big_import)], env=env_for(servers.database_url(timing)),
                       check=True, capture_output=True)  # fmt: skip
        duration = time.perf_counter() - started
        assert contact_count(timing) == 20_000
    finally:
        servers.drop_database(timing)
    outcomes = []
    kills = trials(4, 12)
    for trial in range(kills):
        with servers.fresh_database() as database:
            url = servers.database_url(database)
            subprocess.run([*NETLOG, "add", "Jane Doe"], env=env_for(url), check=True, capture_output=True)
            process = subprocess.Popen([*NETLOG, "import", str(big_import)], env=env_for(url),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(duration * (trial + 0.5) / kills)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
            time.sleep(0.2)  # the server notices the closed connection and rolls back
            count = contact_count(database)
            assert count in (1, 20_001), f"trial {trial}: {count} contacts"
            assert admin_rows(database, "SELECT count(*) FROM contact_stats") == [(count,)]
            outcomes.append(count)
    assert 1 in outcomes


@needs_server
def test_the_server_going_away_mid_command_is_one_line_and_nothing_half_written(netlog, big_import):
    with servers.fresh_database() as database:
        url = servers.database_url(database)
        netlog("--db", url, "add", "Jane Doe")
        process = subprocess.Popen([*NETLOG, "import", str(big_import)], env=env_for(url),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 60
        killed: list[tuple] = []
        while not killed and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
            # cut while it inserts the contacts: well before its COMMIT, which must not win the race
            killed = admin_rows(
                "postgres",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{database}' AND application_name = 'netlog' "
                "AND state IN ('active', 'idle in transaction') AND query ILIKE 'INSERT INTO%contact%'",
            )
        _, err = process.communicate(timeout=60)
        assert killed, "the import ended before its connection could be cut"
        assert process.returncode == 1, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in err
        assert lines[0].startswith("Error: The PostgreSQL server of ") and "went away" in lines[0]
        assert lines[0].endswith("Nothing was changed.")
        assert contact_count(database) == 1


def test_the_readme_names_the_server_variable():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert servers.ENV in readme
