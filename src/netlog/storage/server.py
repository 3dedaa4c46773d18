"""A team's ledger on a PostgreSQL server (`--db postgresql+psycopg://user@host/db`).

- The driver is psycopg 3, an optional extra (`pip install 'netlog[postgres]'`); without
  it, or when the server cannot be reached, refuses the login, or has no such database,
  the command says so in one line (`connect_error`).
- The member is the server's `current_user`: each member logs in as themselves.
- Every statement netlog sends is put in PostgreSQL's terms on the way (storage/pgsql.py
  `translate`), so the queries stay the ones SQLite runs.
- A write command takes one transaction-scoped advisory lock first, as SQLite's
  `BEGIN IMMEDIATE` takes the write lock: writers go one after another, so two of them
  never deadlock or fail to serialize half-way; readers never wait.
- A read command reads one REPEATABLE READ, READ ONLY snapshot, as on SQLite.
- Rows come back as SQLite's do (dates as ISO text, flags as 0/1, sums as integers):
  the report code cannot tell the two apart (`ServerReader`).
- The session's time zone is UTC: timestamps are stored as UTC, as on SQLite.
- The first command on an empty database creates the schema through the same
  migrations as a file (their PostgreSQL form where SQLite's SQL differs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from netlog.errors import StorageError
from netlog.location import Location
from netlog.storage import pgsql
from netlog.storage.reader import Params, SessionReader, _row_class

# The roles of a team's ledger (README, "A ledger for a team"; tests/test_postgres.py runs
# this text). One owner makes and upgrades the schema; each member logs in as themselves
# with the rights netlog needs to read and write rows, and no right to change the schema.
TEAM_SQL = """\
-- once, as a superuser: the owner, the members' group, the database
CREATE ROLE netlog_owner LOGIN PASSWORD 'change me';
CREATE ROLE netlog_member NOLOGIN;
CREATE DATABASE {database} OWNER netlog_owner;
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE {database} TO netlog_member;

-- in {database}, as netlog_owner: rights on the tables netlog makes, now and later
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO netlog_member;
ALTER DEFAULT PRIVILEGES FOR ROLE netlog_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO netlog_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO netlog_member;

-- for each member
CREATE ROLE sara LOGIN PASSWORD 'her own' IN ROLE netlog_member;
"""

WRITE_LOCK = 0x6E65746C6F67  # "netlog": the advisory lock every write transaction takes first
EXTRA = "pip install 'netlog[postgres]'"


def _driver() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StorageError(
            f"A PostgreSQL ledger needs the psycopg driver, which is not installed: run {EXTRA}."
        ) from None


# Each session runs in UTC (timestamps keep their meaning), and plans for a command's
# short reads: no JIT compiling (on the large ledger it took 455 ms of stale's 536 ms,
# because subplans' estimated costs pass its threshold) and no parallel workers (whose
# start-up made each of stats' week look-ups cost more than the look-up itself).
SESSION_OPTIONS = "-c TimeZone=UTC -c jit=off -c max_parallel_workers_per_gather=0"


def make_engine(location: Location) -> Any:
    """An engine on the server (no pool: one command, one connection)."""
    _driver()
    import logging

    # psycopg logs what it could not clean up after a lost connection; the command says
    # what happened in its one line (NETLOG_DEBUG=1 shows the traceback).
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    logging.getLogger("psycopg").propagate = False
    from sqlalchemy import event
    from sqlalchemy.engine import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(
        location.url,
        poolclass=NullPool,
        connect_args={"connect_timeout": 10, "options": SESSION_OPTIONS, "application_name": "netlog"},
    )

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _in_postgresql_terms(_conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, _many: bool):
        return pgsql.translate(statement), pgsql.parameters(statement, params)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("netlog_write"):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


def _driver_error(exc: BaseException | None) -> BaseException | None:
    """The driver's error behind `exc`: SQLAlchemy's wrapper's, or the one that was being
    handled when `exc` was raised (a connection lost in the middle of a batch, then a
    cleanup that found the transaction gone)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        orig = getattr(exc, "orig", None) or exc
        if (type(orig).__module__ or "").startswith("psycopg"):
            return orig
        exc = exc.__cause__ or exc.__context__
    return None


def connect_error(exc: BaseException, location: Location) -> StorageError | None:
    """A one-line explanation of a failure to reach or use the server, or None."""
    orig = _driver_error(exc)
    if orig is None:
        return None
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    state = getattr(orig, "sqlstate", None) or ""
    where = location.label
    database = _database(location.url)
    if state == "3D000" or re.search(r'database ".*" does not exist', message):
        return StorageError(
            f'The server has no database "{database}": create it (createdb {_createdb_args(location.url)}) '
            "and run the command again; netlog makes its tables itself."
        )
    role = re.search(r'role "(.*?)" does not exist', message)
    if role:
        return StorageError(
            f'The server has no login "{role.group(1)}" ({where}): ask whoever runs the database for '
            "your role (the README's team section), or correct the user name in the URL."
        )
    if "no password supplied" in message:  # the server asks for one and none was given
        return StorageError(
            f"The server asks for a password for {where}: set PGPASSWORD, put it in ~/.pgpass, "
            "or write it in the URL."
        )
    if state in ("28P01", "28000") or "password authentication failed" in message:
        return StorageError(
            f"The server refused the login for {where} ({message}): check the user name and the "
            "password (PGPASSWORD or ~/.pgpass)."
        )
    if "permission denied for schema" in message:  # a member's command, making or changing the tables
        return StorageError(
            f"{where} may not make or change netlog's tables ({message}): the owner's first netlog "
            "command makes them, and after an upgrade changes them (the README's team section); "
            "then run yours again."
        )
    if state == "42501" or "permission denied" in message:
        return StorageError(
            f"{where} refused: {message}. Ask whoever runs the database for netlog's grants "
            "(the README's team section)."
        )
    lowered = message.lower()
    lost = (
        "connection is lost",
        "server closed the connection",
        "terminating connection",
        "connection is closed",
    )
    if state.startswith("57P") or any(words in lowered for words in lost):  # cut, or the server stopped
        return StorageError(f"The PostgreSQL server of {where} went away ({message}). Nothing was changed.")
    if state.startswith("08") or (not state and type(orig).__name__ == "OperationalError"):
        return StorageError(
            f"Cannot reach the PostgreSQL server of {where} ({message}): check that it is running "
            "and that the host and port are right. Nothing was changed."
        )
    if state.startswith("23"):
        return StorageError(f"The change was refused by the database ({message}). Nothing was saved.")
    return StorageError(f"Database error on {where}: {message}.")


def _database(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database or ""


def _createdb_args(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    args = []
    host = parsed.host or parsed.query.get("host")
    if host:
        args.append(f"-h {host}")
    port = parsed.port or parsed.query.get("port")  # postgresql://u@/db?host=/run/pg&port=5433
    if port:
        args.append(f"-p {port}")
    if parsed.username:
        args.append(f"-U {parsed.username}")
    args.append(parsed.database or "netlog")
    return " ".join(str(a) for a in args)


# --- rows as SQLite gives them ---------------------------------------------------------


def _timestamp(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# How a value of each column type the server gives reads in SQLite, by the type's OID:
# boolean, date, timestamp, timestamptz, numeric. Text, integers and floats are the same
# in both. Chosen per column, once per statement: a report of 10,000 rows has some
# 400,000 values, most of which need nothing.
_SQLITE_FORM: dict[int, Any] = {
    16: int,
    1082: date.isoformat,
    1114: _timestamp,
    1184: _timestamp,
    1700: _number,
}


def _sqlite_rows(result: Any) -> Iterator[Any]:
    """`result`'s rows as SQLite's would read."""
    description = getattr(result, "cursor", None) and result.cursor.description
    make = _row_class(tuple(result.keys()))._make
    columns = enumerate(description or ())
    convert = [(n, f) for n, column in columns if (f := _SQLITE_FORM.get(column.type_code))]
    if not convert:
        yield from map(make, result)
        return
    for row in result:
        values = list(row)
        for n, f in convert:
            if values[n] is not None:
                values[n] = f(values[n])
        yield make(values)


def _bound(params: Params) -> dict[str, Any]:
    """Parameters for the server: timestamps as UTC without a zone (the columns' kind)."""
    if not params:
        return {}
    bound = dict(params)
    for key, value in bound.items():
        if isinstance(value, datetime) and value.tzinfo is not None:
            bound[key] = value.astimezone(timezone.utc).replace(tzinfo=None)
    return bound


class ServerReader(SessionReader):
    """A Reader on a PostgreSQL session whose rows read as SQLite's."""

    shared = True

    def member(self) -> str:
        """The member is the login the server knows (`current_user`), not a name anyone
        could set in the environment."""
        info = self.session.info  # asked once per command
        if "netlog_member" not in info:
            info["netlog_member"] = str(self.scalar("SELECT current_user"))
        return str(info["netlog_member"])

    def each(self, sql: str, params: Params = None) -> Iterator[Any]:
        from sqlalchemy import text

        yield from _sqlite_rows(self.session.execute(text(sql), _bound(params)))


# --- schema ----------------------------------------------------------------------------


class ServerRun:
    """The executor a migration step receives on PostgreSQL: SQLite's DDL in PostgreSQL's
    form (storage/pgsql.py), with `dialect` for the steps that differ more."""

    dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def __call__(self, sql: str) -> Any:
        result = None
        for statement in self.statements(sql):
            result = self.conn.exec_driver_sql(statement)
        return result

    def statements(self, sql: str) -> list[str]:
        stripped = sql.strip()
        head = " ".join(stripped.split()[:3]).upper()
        made = pgsql.trigger(stripped)
        if made is not None:
            return made
        if head.startswith("DROP TRIGGER"):
            name = stripped.split()[2]
            table = self.conn.exec_driver_sql(
                f"SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = '{name}'"
            ).scalar()
            return [f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}_fn()"]
        if head.startswith(("CREATE TABLE", "ALTER TABLE")):
            statements = [pgsql.ddl(stripped)]
            table = stripped.split()[2]
            if head.startswith("CREATE TABLE") and re.search(
                r"\bid INTEGER NOT NULL PRIMARY KEY\b", stripped
            ):
                statements += pgsql.next_id_trigger(table)
            if head.startswith("CREATE TABLE") and re.search(r"\bAUTOINCREMENT\b", stripped, re.I):
                statements += pgsql.high_id_trigger(table)
            return statements
        return [stripped]


def recorded_steps(conn: Any) -> list[str] | None:
    if conn.exec_driver_sql("SELECT to_regclass('netlog_migrations')").scalar() is None:
        return None
    return [row[0] for row in conn.exec_driver_sql("SELECT name FROM netlog_migrations ORDER BY id")]


def foreign_tables(conn: Any) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "ORDER BY table_name"
    )
    return [row[0] for row in rows]


def _schema_version(conn: Any, location: Location) -> int:
    from netlog.storage.files import applied_version

    names = recorded_steps(conn)
    if names is None:
        foreign = foreign_tables(conn)
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise StorageError(
                f"{location.label} is not a netlog ledger (its schema has tables {shown}): "
                "give netlog a database of its own (createdb), or another schema."
            )
        return 0
    return applied_version(names, location.label)


def migrate(engine: Any, location: Location, *, upto: int | None = None) -> int:
    """Apply the migrations the database has not recorded (up to version `upto`, for the
    upgrade tests), in one transaction under the write lock; returns the version before."""
    from sqlalchemy import text

    from netlog import dates
    from netlog.migrations import MIGRATIONS

    target = len(MIGRATIONS) if upto is None else upto
    with engine.connect() as conn:
        before = _schema_version(conn, location)
        conn.rollback()
    if before >= target:
        return before
    with engine.execution_options(netlog_write=True).connect() as conn, conn.begin():
        version = _schema_version(conn, location)  # another member's netlog may have done it
        if version == 0:
            conn.exec_driver_sql(
                "CREATE TABLE netlog_migrations (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                "name VARCHAR NOT NULL UNIQUE, applied_at TIMESTAMP NOT NULL)"
            )
            for statement in pgsql.compat():
                conn.exec_driver_sql(statement)
        run = ServerRun(conn)
        for step in MIGRATIONS[version:target]:
            step(run)
            conn.execute(
                text("INSERT INTO netlog_migrations (name, applied_at) VALUES (:n, :t)"),
                {"n": step.__name__, "t": dates.now().astimezone(timezone.utc).replace(tzinfo=None)},
            )
    return before


@contextmanager
def open_session(
    location: Location, *, write: bool, on_create: Callable[[str], None] | None = None
) -> Iterator[Any]:
    """A session on the migrated server ledger; a write session commits once, at the end.
    `on_create` hears of a schema made in an empty database, once the command has worked."""
    from sqlmodel import Session

    engine = make_engine(location)
    try:
        created = migrate(engine, location) == 0
        options: dict[str, Any] = {"netlog_write": write}
        if not write:
            options |= {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with Session(engine.execution_options(**options), expire_on_commit=False) as session:
            yield session
            if write:
                session.commit()
    finally:
        engine.dispose()
    if created and on_create is not None:
        on_create(location.label)


@contextmanager
def open_reader(location: Location, on_create: Callable[[str], None] | None = None) -> Iterator[ServerReader]:
    with open_session(location, write=False, on_create=on_create) as session:
        yield ServerReader(session)
        session.rollback()
