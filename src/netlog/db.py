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

import os
import sqlite3
import stat
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from netlog.errors import NetlogError, StorageError
from netlog.location import Location

BUSY_TIMEOUT_MS = 5_000  # SQLite's own wait for a lock, each try
WAIT_BUDGET_S = 60.0  # a write waits its turn this long in all before it gives up
SQLITE_HEADER = b"SQLite format 3\x00"


def prepare_file(location: Location, *, create: bool = True) -> bool:
    """Check the file can hold a ledger, creating it (0600) if missing; True if created.

    A missing file at a path the user gave is only created by a write (`create`): a
    report on a mistyped --db should say so, not show an empty new ledger.
    """
    path = location.path
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
                "ledger, or at a new file name."
            )
        return False
    if not create and not location.default:
        raise StorageError(
            f"There is no ledger at {path}: check --db or NETLOG_DB, or start one there with netlog add."
        )
    if path.is_symlink():  # a link to a file not made yet: make that file, privately
        path = Path(os.path.realpath(path))
        if not path.parent.is_dir():
            raise StorageError(
                f"{location.path} is a link to {path}, whose folder does not exist: create it first."
            )
    missing = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    if missing and not location.default:
        raise StorageError(
            f"The folder {path.parent} does not exist: create it first, or check the path "
            "given with --db or NETLOG_DB."
        )
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR)  # whatever the umask
        os.close(fd)
    except FileExistsError:
        return False  # another netlog process created it a moment ago
    except OSError as exc:
        raise StorageError(
            f"Cannot create {path}: {exc.strerror}. Check that its folder is writable, "
            "or choose another place with --db."
        ) from None
    return True


def disk_full(path: Path) -> bool:
    """True when the file system holding `path` has no room left for netlog."""
    try:
        info = os.statvfs(path.parent)
        return info.f_bavail * info.f_frsize < 64 * 1024
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def exposure(path: Path) -> str | None:
    """A warning when other users may read the ledger (SQLite gives its -wal and -shm the
    same permissions), else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return (
        f"{path} can be read by other users (mode {stat.S_IMODE(mode):04o}): chmod 600 {path} "
        "keeps your contacts private."
    )


def unwritable(path: Path) -> list[Path]:
    """The files (or folder) that stop SQLite from writing this ledger."""
    blocked = [
        candidate
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if _refuses_writes(candidate)
    ]
    if not blocked and not os.access(path.parent, os.W_OK | os.X_OK):
        blocked.append(path.parent)  # WAL needs to create its side files there
    return blocked


def read_only_error(path: Path) -> StorageError:
    """Why netlog can't write `path`, and what to do: a read-only mount is not a chmod away."""
    try:
        mounted_read_only = bool(os.statvfs(path if path.is_dir() else path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        mounted_read_only = False
    if mounted_read_only:
        return StorageError(
            f"{path} is on a read-only file system: netlog can read it but not save changes. "
            "Copy the ledger somewhere writable and point --db at the copy (or remount it)."
        )
    return StorageError(
        f"{path} is read-only: netlog can't save changes. Make it writable (chmod u+w {path}) and try again."
    )


def _refuses_writes(path: Path) -> bool:
    """True if `path` exists and can't be opened for writing. Opened, not os.access-ed:
    other netlog processes delete and recreate the -wal and -shm files at any moment,
    and only the open itself tells "missing" (fine) from "not allowed" in one step."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        return False  # prepare_file reports a directory in its own words
    except OSError:
        return True
    os.close(fd)
    return False


def make_engine(location: Location, *, read_uri: str | None = None) -> Engine:
    """An engine on the ledger; with `read_uri` (see `read_only_uri`), one that only reads."""
    read_only = read_uri is not None
    url = f"sqlite:///{read_uri}&uri=true" if read_uri else location.url
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # netlog emits BEGIN itself
        register_functions(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("netlog_write")
        statement = "BEGIN IMMEDIATE" if write else "BEGIN"
        started = time.monotonic()
        attempt = 0
        while True:
            try:
                conn.exec_driver_sql(statement)
                return
            except DBAPIError as exc:
                if not is_busy(exc):
                    raise
                waited = time.monotonic() - started
                if waited >= WAIT_BUDGET_S:
                    raise StorageError(
                        f"{location.label} is locked by another program (waited {waited:.0f} s). "
                        "Try again when it has finished."
                    ) from None
                attempt += 1
                time.sleep(min(0.05 * 2**attempt, 1.0))

    return engine


def register_functions(connection: sqlite3.Connection) -> None:
    """SQL functions netlog's queries use: `netlog_fold(text)`, the case- and
    accent-insensitive form of a name (ledger/names.py), for searches."""
    from netlog.ledger.names import fold

    def fold_or_null(value: object) -> str | None:
        return None if value is None else fold(str(value))

    connection.create_function("netlog_fold", 1, fold_or_null, deterministic=True)


@contextmanager
def read_only_uri(location: Location) -> Iterator[str]:
    """A SQLite URI that reads a ledger netlog may not write, as it is, leaving nothing
    beside it.

    With nothing in its -wal, the file is all there is: opened immutable (no locks, no
    side files). With changes still in the -wal, immutable would read stale data; then
    SQLite reads it read-only with the WAL, which works when the -shm is there or can be
    made. When it cannot, netlog reads a private copy of the file and its -wal."""
    path = location.path
    wal = Path(f"{path}-wal")
    try:
        pending = wal.stat().st_size > 0
    except OSError:
        pending = False
    if not pending:
        yield f"file:{url_quote(str(path))}?mode=ro&immutable=1"
        return
    uri = f"file:{url_quote(str(path))}?mode=ro"
    if _readable(uri):
        yield uri
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="netlog-read-") as folder:
        copy = Path(folder) / "ledger.db"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, Path(f"{copy}-wal"))
        except OSError as exc:
            raise StorageError(
                f"Cannot read {path} with its -wal ({exc.strerror}): make its folder writable, "
                "or let the program that wrote it finish."
            ) from None
        yield f"file:{url_quote(str(copy))}?mode=rw"


def _readable(uri: str) -> bool:
    try:
        probe = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
    except sqlite3.Error:
        return False
    return True


def is_busy(exc: BaseException) -> bool:
    """Another connection is in the way, for now: wait and try again. SQLITE_PROTOCOL
    ("locking protocol") is SQLite giving up on a WAL index that other connections keep
    changing (checkpoints while many commands start at once): transient, like a lock."""
    message = str(getattr(exc, "orig", exc)).lower()
    return any(word in message for word in ("database is locked", "database is busy", "locking protocol"))


def schema_version(conn: Connection, location: Location | None = None) -> int:
    """How many of netlog's migrations the file has, recognised by name and order: a
    record netlog does not know, or steps out of order, is an error, not a version."""
    from netlog.migrations import MIGRATIONS

    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'netlog_migrations'"
    ).first()
    if not exists:
        return 0
    applied = [row[0] for row in conn.exec_driver_sql("SELECT name FROM netlog_migrations ORDER BY id")]
    known = [step.__name__ for step in MIGRATIONS]
    if applied == known[: len(applied)]:
        return len(applied)
    label = location.label if location else "The ledger"
    strange = next((name for name, step in zip(applied, known, strict=False) if name != step), None)
    if len(applied) > len(known) and strange is None:
        raise StorageError(
            f"{label} has schema version {len(applied)}, newer than this netlog knows "
            f"({len(known)}): upgrade netlog."
        )
    where = applied.index(strange) + 1 if strange else len(known) + 1
    raise StorageError(
        f"{label} records schema step {where} as {strange or applied[len(known)]!r}, which is "
        f"not netlog's step {where}{f' ({known[where - 1]!r})' if where <= len(known) else ''}: "
        "it was changed by another program or a different netlog. Restore a backup (its "
        ".bak copies), or open it with the netlog that made it."
    )


def _foreign_tables(conn: Connection) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [row[0] for row in rows]


def pending_migrations(engine: Engine, location: Location) -> int:
    """The schema version of the file, checked against what this netlog knows."""
    from netlog.migrations import SCHEMA_VERSION

    with engine.connect() as conn:
        version = schema_version(conn, location)
        foreign = _foreign_tables(conn) if version == 0 else []
        conn.rollback()
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise StorageError(
            f"{location.label} is an SQLite database but not a netlog ledger (it has tables "
            f"{shown}): point --db or NETLOG_DB at a netlog ledger or at a new file name."
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{location.label} has schema version {version}, newer than this netlog knows "
            f"({SCHEMA_VERSION}): upgrade netlog."
        )
    return version


def copy_ledger(
    source: Path, target: Path, *, numbered: bool, through: sqlite3.Connection | None = None
) -> Path:
    """A consistent copy of a live ledger through SQLite's online backup API, written
    through outfiles.write_file (private, atomic, never replacing a file); returns the
    name written (with `numbered`, the next free one).

    All pages are copied in one step, inside one read transaction: the copy is the
    ledger as of one moment, even while other processes write, and the copy never holds
    the write lock. A ledger netlog may not write is opened as reports open it
    (`read_only_uri`). A failure names the file at fault: the ledger it could not read,
    or the copy it could not write.
    """
    from netlog.outfiles import write_file

    def fill(path: Path, stream: object) -> None:
        with ExitStack() as stack:
            if through is not None:  # the connection that holds the write lock reads it
                _backup_into(through, path, target)
                return
            if unwritable(source):
                uri = stack.enter_context(read_only_uri(Location(f"sqlite:///{source}", source)))
            else:
                uri = f"file:{url_quote(str(source))}?mode=ro"
            try:
                src = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
                stack.callback(src.close)
                src.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as exc:
                raise StorageError(f"Cannot read the ledger {source}: {exc}. Nothing was changed.") from None
            _backup_into(src, path, target)

    return write_file(target, fill, replace=False, numbered=numbered)


def _backup_into(src: sqlite3.Connection, path: Path, target: Path) -> None:
    try:
        dst = sqlite3.connect(path)
        try:
            dst.execute("PRAGMA journal_mode = OFF")  # a new file: no -journal to leave behind
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot write the copy {target}: {exc}. Nothing was changed.") from None


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
        _apply_migrations(engine, location)
    return before


@contextmanager
def upgrade_lock(location: Location) -> Iterator[None]:
    """An exclusive lock among netlog processes, held while one upgrades the ledger (not
    a lock of SQLite's, which readers never wait for)."""
    path = Path(f"{location.path}.upgrade-lock")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise StorageError(f"Cannot upgrade {location.label}: cannot make {path} ({exc.strerror}).") from None
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the netlog that is upgrading
        except ImportError:  # Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        yield
        path.unlink(missing_ok=True)  # done: whoever waited on it finds the upgrade made
    finally:
        os.close(fd)  # and the lock with it


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


def commit(raw: Any, location: Location) -> None:
    """COMMIT, waiting out what is transient. With many commands starting at once SQLite
    may refuse a commit for now ("database is locked", or "locking protocol" when the WAL
    index keeps changing under it) and keep the transaction open: then it is tried again,
    within the same budget as BEGIN. If the transaction is gone, nothing was saved."""
    started = time.monotonic()
    attempt = 0
    while raw.in_transaction:
        try:
            raw.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or not raw.in_transaction:
                raise
            waited = time.monotonic() - started
            if waited >= WAIT_BUDGET_S:
                raise StorageError(
                    f"{location.label} is locked by another program (waited {waited:.0f} s). "
                    "Try again when it has finished."
                ) from None
            attempt += 1
            time.sleep(min(0.05 * 2**attempt, 1.0))


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
    created = prepare_file(location, create=create)
    warning = exposure(location.path)
    if warning and on_warning is not None:
        on_warning(warning)
    blocked = unwritable(location.path)
    if blocked and write:
        raise read_only_error(blocked[0])
    # A report on a full disk is read as a read-only ledger is: SQLite needs no room then,
    # where an ordinary open may want some for the -shm and fail with "disk I/O error".
    quiet = not write and disk_full(location.path)
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
                    f"read-only: make {unwritable(location.path)[0]} writable and try again."
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


def _unreadable_value(exc: BaseException) -> bool:
    """A stored value that cannot be read as its column's type, by netlog or by SQLAlchemy."""
    from netlog.ledger.rows import StoredValueError

    if isinstance(exc, StoredValueError):
        return True
    if not isinstance(exc, ValueError):
        return False
    frames = traceback.extract_tb(exc.__traceback__)
    return any("sqlalchemy" in f.filename and "processors" in f.filename for f in frames)


def storage_error(exc: BaseException, location: Location) -> StorageError | None:
    """A one-line explanation of a database failure, or None if it is not one."""
    if _unreadable_value(exc):
        return StorageError(
            f"{location.label} holds a value netlog cannot read ({exc}), probably written by "
            "another program: `netlog check` shows which row; fix that row or restore a backup."
        )
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.Error):
        return None
    where = location.label
    message = str(orig)
    lowered = message.lower()
    if is_busy(orig):
        return StorageError(f"{where} is locked by another program. Try again when it has finished.")
    if "not a database" in lowered or "file is encrypted" in lowered:
        return StorageError(f"{where} is not an SQLite database: point --db or NETLOG_DB at a netlog ledger.")
    if "readonly" in lowered or "read-only" in lowered:
        blocked = unwritable(location.path)
        if blocked:
            return read_only_error(blocked[0])
        return StorageError(
            f"{where} is read-only: netlog can't save changes. Check the permissions of the "
            "file, its -wal and -shm files, and its folder."
        )
    if "unable to open" in lowered:
        return StorageError(
            f"Cannot open {where}: check that the file and its folder exist and are writable."
        )
    if "malformed" in lowered or "corrupt" in lowered:
        return StorageError(f"{where} is damaged ({message}): restore it from a backup copy.")
    if "full" in lowered or ("disk i/o error" in lowered and disk_full(location.path)):
        return StorageError(
            f"The disk holding {where} is full: free some space and try again. Nothing was saved."
        )
    if isinstance(orig, sqlite3.IntegrityError):
        return StorageError(f"The change was refused by the database ({message}). Nothing was saved.")
    return StorageError(f"Database error on {where}: {message}.")
