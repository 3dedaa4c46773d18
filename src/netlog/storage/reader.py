"""One read path: portable SQL with `:name` parameters, over whichever driver is open.

Every report and look-up (due, balance, stale, stats, list, show, log, export,
completion) reads through a Reader. On a SQLite file, a read command opens one with
the stdlib `sqlite3` module (`open_reader`), so it never imports SQLAlchemy: that is
most of a command's start-up. A write command reads through the session it writes
with (`SessionReader`), so it sees its own changes. The SQL text is the same for both;
what differs between databases lives in storage/dialect.py.

A Reader holds one read transaction for the whole command: every query of a report
sees the ledger as of one moment, even while other commands write.

Rows come back as named tuples: `row.handle`, `row[0]`.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from netlog.errors import StorageError
from netlog.location import Location
from netlog.storage import files

Params = Mapping[str, Any] | None


def _bound(params: Params) -> dict[str, Any]:
    """Parameters as SQLite stores them: a date as ISO text, a timestamp as UTC text (the
    sqlite3 module's own date adapters are deprecated)."""
    if not params:
        return {}
    bound = dict(params)
    for key, value in bound.items():
        if isinstance(value, date):
            if isinstance(value, datetime):
                if value.tzinfo is not None:
                    value = value.astimezone(timezone.utc).replace(tzinfo=None)
                bound[key] = value.isoformat(sep=" ")
            else:
                bound[key] = value.isoformat()
    return bound


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> Any:
    return namedtuple("Row", names, rename=True)


def os_member() -> str:
    """The member on a SQLite file: the OS user (one member per file)."""
    import getpass

    try:
        return getpass.getuser() or "me"
    except Exception:  # no user name to be had (a container without one): one member still
        return "me"


class Reader:
    """Rows for SQL, whatever the database: the interface every read function takes."""

    shared = False  # a team's ledger on a server (several members), not a file (one)
    viewer: str | None = None  # the member a report answers for (ledger/members.py), or everyone

    def member(self) -> str:
        """Who is writing and asking: the OS user on a file (see ServerReader on a server)."""
        return os_member()

    def rows(self, sql: str, params: Params = None) -> list[Any]:
        return list(self.each(sql, params))

    def each(self, sql: str, params: Params = None) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def first(self, sql: str, params: Params = None) -> Any | None:
        for row in self.each(sql, params):
            return row
        return None

    def one(self, sql: str, params: Params = None) -> Any:
        """The row of a query that always has one (an aggregate, or a row known to exist)."""
        row = self.first(sql, params)
        if row is None:
            raise LookupError(f"no row for: {sql}")
        return row

    def scalar(self, sql: str, params: Params = None) -> Any:
        row = self.first(sql, params)
        return None if row is None else row[0]


class SqliteReader(Reader):
    """A Reader on a stdlib sqlite3 connection."""

    def __init__(self, connection: sqlite3.Connection, location: Location | None = None) -> None:
        self.connection = connection
        self.location = location

    def _execute(self, sql: str, params: Params) -> sqlite3.Cursor:
        """The statement run; a read that finds the WAL index changing under it (many
        commands starting at once) is run again, as a write waits for its lock."""
        bound = _bound(params)
        if self.location is None:
            return self.connection.execute(sql, bound)
        return files.patiently(lambda: self.connection.execute(sql, bound), self.location)

    def rows(self, sql: str, params: Params = None) -> list[Any]:
        cursor = self._execute(sql, params)
        make = _row_class(tuple(d[0] for d in cursor.description))._make
        return list(map(make, cursor.fetchall()))

    def each(self, sql: str, params: Params = None) -> Iterator[Any]:
        cursor = self._execute(sql, params)
        make = _row_class(tuple(d[0] for d in cursor.description))._make
        for batch in iter(lambda: cursor.fetchmany(1000), []):
            yield from map(make, batch)


class SessionReader(Reader):
    """A Reader on a SQLAlchemy session (or connection): reads what this transaction wrote."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def each(self, sql: str, params: Params = None) -> Iterator[Any]:
        from sqlalchemy import text

        yield from self.session.execute(text(sql), _bound(params))


def reader_of(source: Reader | Any) -> Reader:
    """A Reader for a Reader (itself) or a SQLAlchemy session (on PostgreSQL, one whose
    rows read as SQLite's: storage/server.py)."""
    if isinstance(source, Reader):
        return source
    bind = getattr(source, "bind", None)
    if getattr(getattr(bind, "dialect", None), "name", "") == "postgresql":
        from netlog.storage.server import ServerReader

        return ServerReader(source)
    return SessionReader(source)


@contextmanager
def open_reader(
    location: Location,
    *,
    create: bool = False,
    on_create: Callable[[Path], None] | None = None,
    on_backup: Callable[[Path, int], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[SqliteReader]:
    """A Reader on the ledger file through the stdlib sqlite3 module, in one read
    transaction. A ledger of an older schema is upgraded first, through the write path
    (that one time SQLAlchemy is imported); a read-only ledger or one on a full disk is
    read as it is (see files.read_only_uri)."""
    created, blocked = files.opening(location, create=create, on_warning=on_warning)
    quiet = files.disk_full(location.path)
    with ExitStack() as stack:
        if blocked or quiet:
            uri = stack.enter_context(files.read_only_uri(location))
        else:
            uri = f"file:{url_quote(str(location.path))}?mode=rw"
        connection = _connect(uri)
        stack.callback(connection.close)
        if not files.patiently(lambda: _current(connection, location), location):
            if blocked:
                raise StorageError(
                    f"{location.label} needs an upgrade to this netlog's schema, but it is "
                    f"read-only: make {blocked[0]} writable and try again."
                )
            from netlog.db import upgrade

            upgrade(location, on_backup)
        connection.execute("BEGIN")  # one snapshot for every query of the command
        yield SqliteReader(connection, location)
        connection.rollback()
    if created and on_create is not None:
        on_create(location.path)


def _connect(uri: str) -> sqlite3.Connection:
    connection = sqlite3.connect(uri, uri=True, timeout=files.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    files.register_functions(connection)
    connection.execute(f"PRAGMA busy_timeout = {files.BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA query_only = ON")  # a reader never writes, by construction
    return connection


def _current(connection: sqlite3.Connection, location: Location) -> bool:
    """True when the file has this netlog's whole schema (an error for one that is not
    a netlog ledger, or a newer or foreign one)."""
    from netlog.migrations import SCHEMA_VERSION

    names = files.recorded_steps(connection.execute)
    if names is None:
        foreign = files.foreign_tables(connection.execute)
        if foreign:
            raise files.not_a_ledger(location.label, foreign)
        return False
    return files.applied_version(names, location.label) == SCHEMA_VERSION
