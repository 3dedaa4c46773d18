"""How the ledger file is opened.

- A file netlog creates is mode 0600. In the default location (the platform's data
  folder) netlog also creates missing folders, mode 0700; for a path given with
  `--db`/`NETLOG_DB` the folder must exist, so a typo does not silently start a
  new ledger somewhere else.
- Every connection sets `foreign_keys=ON`, `journal_mode=WAL`, `synchronous=NORMAL`
  and a busy timeout.
- pysqlite's own transaction handling is turned off (the documented SQLAlchemy
  recipe) so netlog emits `BEGIN` itself: write sessions use `BEGIN IMMEDIATE`,
  taking the write lock up front so two writers never deadlock half-way, with a
  bounded retry if the lock is still busy after the timeout.
- A file the user may read but not write is opened read-only and immutable, so
  reports still work and SQLite leaves no side files behind.
- `open_session()` migrates the schema on open and commits once at the end:
  one command, one transaction.

Importing this module imports SQLAlchemy (~0.4 s): only command bodies do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlmodel import Session

from netlog.errors import NetlogError, StorageError
from netlog.location import Location
from netlog.storage import files
from netlog.storage.files import (
    applied_version,
    commit,
    copy_ledger,
    foreign_tables,
    not_a_ledger,
    patiently,
    read_only_error,
    read_only_uri,
    recorded_steps,
    register_functions,
    upgrade_lock,
)


def make_engine(location: Location, *, read_uri: str | None = None) -> Engine:
    """An engine on the ledger; with `read_uri` (see `read_only_uri`), one that only reads."""
    read_only = read_uri is not None
    url = f"sqlite:///{read_uri}&uri=true" if read_uri else location.url
    engine = create_engine(url, connect_args={"timeout": files.BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # netlog emits BEGIN itself
        register_functions(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {files.BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("netlog_write")
        statement = "BEGIN IMMEDIATE" if write else "BEGIN"
        patiently(lambda: conn.exec_driver_sql(statement), location)  # waits its turn

    return engine


def schema_version(conn: Connection, location: Location | None = None) -> int:
    names = recorded_steps(conn.exec_driver_sql)
    return 0 if names is None else applied_version(names, location.label if location else "The ledger")


def pending_migrations(engine: Engine, location: Location) -> int:
    """The schema version of the file, checked against what this netlog knows."""
    with engine.connect() as conn:
        names = recorded_steps(conn.exec_driver_sql)
        foreign = foreign_tables(conn.exec_driver_sql) if names is None else []
        conn.rollback()
    if foreign:
        raise not_a_ledger(location.label, foreign)
    return 0 if names is None else applied_version(names, location.label)


def migrate(engine: Engine, location: Location, on_backup: Callable[[Path, int], None] | None = None) -> int:
    """Apply the migrations this database has not recorded; returns the version before.

    One netlog upgrades at a time: when several commands start at once on an older
    ledger, the first takes the upgrade lock (a lock on `<file>.upgrade-lock`), copies the
    ledger to `<file>.bak-<old version>` (never replacing a file: `-2`... if the name is
    taken), says so, and upgrades in one transaction; the others wait for the lock, then
    find the upgrade done. The copy is read before the upgrade's transaction begins,
    while every other netlog waits: reading it from a second connection inside that
    transaction made SQLite fail the commit ("locking protocol") under contention.
    """
    from netlog.migrations import MIGRATIONS

    before = pending_migrations(engine, location)
    if before == len(MIGRATIONS):
        return before
    if before == 0:  # a new ledger: nothing to copy, and its transaction is lock enough
        _apply_migrations(engine, location)
        return before
    with upgrade_lock(location):
        version = pending_migrations(engine, location)  # the one before us may have done it
        if version == len(MIGRATIONS):
            return before
        if version > 0:
            _copy_before_upgrade(location, version, on_backup)
        # A transaction SQLite gave up on under contention ("locking protocol") was rolled
        # back whole: it is run again, within the wait budget (the copy is made once).
        patiently(lambda: _apply_migrations(engine, location), location)
    return before


def upgrade(location: Location, on_backup: Callable[[Path, int], None] | None = None) -> None:
    """Bring the ledger file to this netlog's schema (see `migrate`): what a read command
    does, through the write path, the one time it finds an older ledger."""
    engine = make_engine(location)
    try:
        migrate(engine, location, on_backup)
    finally:
        engine.dispose()


def _apply_migrations(engine: Engine, location: Location) -> None:
    from netlog import dates
    from netlog.migrations import MIGRATIONS

    with engine.execution_options(netlog_write=True).connect() as conn:
        version = pending_migrations(engine, location)
        rebuilds = any(getattr(step, "rebuilds_tables", False) for step in MIGRATIONS[version:])
        raw = conn.connection.dbapi_connection
        assert raw is not None
        if rebuilds:  # SQLite ignores these inside a transaction: set before BEGIN
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.execute("PRAGMA legacy_alter_table = ON")
        try:
            with conn.begin():  # BEGIN IMMEDIATE
                version = schema_version(conn, location)
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
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if rebuilds else []
                if broken:
                    raise StorageError(
                        f"Upgrading {location.label} would break {len(broken)} reference(s) between "
                        "rows: nothing was changed. Run netlog check, and restore a backup if it "
                        "finds problems."
                    )
                commit(raw, location)  # then SQLAlchemy's own commit has nothing left to do
        finally:
            if rebuilds:
                raw.execute("PRAGMA legacy_alter_table = OFF")
                raw.execute("PRAGMA foreign_keys = ON")


def _copy_before_upgrade(
    location: Location, version: int, on_backup: Callable[[Path, int], None] | None
) -> None:
    """The pre-upgrade copy: the ledger exactly as the old schema left it."""
    try:
        copy = copy_ledger(location.path, Path(f"{location.path}.bak-{version}"), numbered=True)
    except (OSError, sqlite3.Error, NetlogError) as exc:
        raise StorageError(
            f"Cannot save a copy of {location.path} before upgrading it ({exc}): "
            "free some space or make its folder writable, then try again."
        ) from None
    if on_backup is not None:
        on_backup(copy, version)


@contextmanager
def open_session(
    location: Location,
    *,
    write: bool,
    create: bool = False,
    on_create: Callable[[Path], None] | None = None,
    on_backup: Callable[[Path, int], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[Session]:
    """A session on a migrated ledger; a write session commits once, at the end.

    A missing file is created for writes (or when `create` says so); `on_create` hears
    of it when the session has ended well.
    """
    created, blocked = files.opening(location, create=create, on_warning=on_warning)
    if blocked and write:
        raise read_only_error(blocked[0])
    # A report on a full disk is read as a read-only ledger is: SQLite needs no room then,
    # where an ordinary open may want some for the -shm and fail with "disk I/O error".
    quiet = not write and files.disk_full(location.path)
    with ExitStack() as reading:
        read_uri = reading.enter_context(read_only_uri(location)) if blocked or quiet else None
        with _session(location, write=write, read_uri=read_uri, on_backup=on_backup) as session:
            yield session
    # Said once the command has worked: a write that failed (a full disk) has saved nothing,
    # and must not first claim to have made a ledger.
    if created and on_create is not None:
        on_create(location.path)


@contextmanager
def _session(
    location: Location, *, write: bool, read_uri: str | None, on_backup: Callable[[Path, int], None] | None
) -> Iterator[Session]:
    from netlog.migrations import SCHEMA_VERSION

    engine = make_engine(location, read_uri=read_uri)
    try:
        if read_uri is not None:
            if pending_migrations(engine, location) != SCHEMA_VERSION:
                raise StorageError(
                    f"{location.label} needs an upgrade to this netlog's schema, but it is "
                    f"read-only: make {files.unwritable(location.path)[0]} writable and try again."
                )
        else:
            migrate(engine, location, on_backup)
        bound = engine.execution_options(netlog_write=write)
        with Session(bound, expire_on_commit=False) as session:
            yield session
            if write:
                session.flush()
                commit(session.connection().connection.dbapi_connection, location)
                session.commit()
    finally:
        engine.dispose()
