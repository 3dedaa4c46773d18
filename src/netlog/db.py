"""Where the ledger lives, and how it is opened.

- The database is `netlog.db` in platformdirs' user data folder, unless `--db`
  or `NETLOG_DB` names a file path or an `sqlite:///` URL.
- A file netlog creates is mode 0600, and a folder it creates 0700: personal data.
- Every connection sets `foreign_keys=ON`, `journal_mode=WAL`, `synchronous=NORMAL`
  and a 10 s busy timeout.
- pysqlite's own transaction handling is turned off (the documented SQLAlchemy
  recipe) so netlog emits `BEGIN` itself: write sessions use `BEGIN IMMEDIATE`,
  taking the write lock up front so two writers never deadlock half-way, with a
  bounded retry if the lock is still busy after the timeout.
- `open_session()` migrates the schema on open and commits once at the end:
  one command, one transaction.

Importing this module imports SQLAlchemy (~0.4 s): only command bodies do.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from netlog.errors import StorageError
from netlog.location import Location

BUSY_TIMEOUT_MS = 10_000
BEGIN_RETRIES = 3
SQLITE_HEADER = b"SQLite format 3\x00"


def prepare_file(path: Path) -> bool:
    """Check the file can hold a ledger, creating it (0600) and its folders (0700) if missing.

    Returns True when the file was created now.
    """
    if path.is_dir():
        raise StorageError(f"{path} is a directory, not a database file: give a file path.")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StorageError(f"Cannot read {path}: permission denied. Check its permissions.")
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StorageError(f"Cannot read {path}: {exc.strerror}.") from None
        if header and header != SQLITE_HEADER:
            raise StorageError(
                f"{path} is not an SQLite database: point --db or NETLOG_DB at a netlog "
                "database, or at a new file name."
            )
        return False
    missing = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        return False  # another netlog process created it a moment ago
    except OSError as exc:
        raise StorageError(
            f"Cannot create {path}: {exc.strerror}. Check that its folder is writable, "
            "or choose another place with --db."
        ) from None
    return True


def make_engine(location: Location) -> Engine:
    engine = create_engine(location.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # netlog emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get("netlog_write") else "BEGIN"
        for attempt in range(BEGIN_RETRIES + 1):
            try:
                conn.exec_driver_sql(statement)
                return
            except DBAPIError as exc:
                if attempt == BEGIN_RETRIES or not is_busy(exc):
                    raise
                time.sleep(0.05 * 2**attempt)

    return engine


def is_busy(exc: BaseException) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in message or "database is busy" in message


def schema_version(conn: Connection) -> int:
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'netlog_migrations'"
    ).first()
    if not exists:
        return 0
    return conn.exec_driver_sql("SELECT count(*) FROM netlog_migrations").scalar_one()


def migrate(engine: Engine) -> int:
    """Apply the migrations this database has not recorded; returns the version before."""
    from netlog import dates
    from netlog.migrations import MIGRATIONS

    with engine.connect() as conn:
        before = schema_version(conn)
        conn.rollback()
    if before == len(MIGRATIONS):
        return before
    if before > len(MIGRATIONS):
        raise StorageError(
            f"This database has schema version {before}, newer than this netlog knows "
            f"({len(MIGRATIONS)}): upgrade netlog."
        )
    with engine.execution_options(netlog_write=True).connect() as conn, conn.begin():
        version = schema_version(conn)  # another process may have migrated meanwhile
        if version == 0:
            conn.exec_driver_sql(
                "CREATE TABLE netlog_migrations (id INTEGER NOT NULL PRIMARY KEY, "
                "name VARCHAR NOT NULL UNIQUE, applied_at DATETIME NOT NULL)"
            )
        for step in MIGRATIONS[version:]:
            step(conn.exec_driver_sql)
            conn.execute(
                text("INSERT INTO netlog_migrations (name, applied_at) VALUES (:n, :t)"),
                {"n": step.__name__, "t": dates.now().replace(tzinfo=None)},
            )
    return before


@contextmanager
def open_session(location: Location, *, write: bool) -> Iterator[Session]:
    """A session on a migrated ledger; a write session commits once, at the end."""
    if location.path is not None:
        prepare_file(location.path)
    engine = make_engine(location)
    try:
        migrate(engine)
        with Session(engine.execution_options(netlog_write=write), expire_on_commit=False) as session:
            yield session
            if write:
                session.commit()
    finally:
        engine.dispose()


def storage_error(exc: BaseException, location: Location) -> StorageError | None:
    """A one-line explanation of a database failure, or None if it is not one."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.Error):
        return None
    where = location.label
    message = str(orig)
    lowered = message.lower()
    if is_busy(orig):
        return StorageError(
            f"{where} is locked by another program (waited {BUSY_TIMEOUT_MS // 1000} s). "
            "Try again when it has finished."
        )
    if "not a database" in lowered or "file is encrypted" in lowered:
        return StorageError(
            f"{where} is not an SQLite database: point --db or NETLOG_DB at a netlog database."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return StorageError(
            f"{where} is read-only: netlog can't save changes. Check the permissions of the "
            "file and its folder."
        )
    if "unable to open" in lowered:
        return StorageError(
            f"Cannot open {where}: check that the file and its folder exist and are writable."
        )
    if "malformed" in lowered or "corrupt" in lowered:
        return StorageError(f"{where} is damaged ({message}). Restore a backup or run `netlog check`.")
    if "full" in lowered:
        return StorageError(f"No room left to write {where}: free some disk space. Nothing was saved.")
    if isinstance(orig, sqlite3.IntegrityError):
        return StorageError(f"The change was refused by the database ({message}). Nothing was saved.")
    return StorageError(f"Database error on {where}: {message}.")
