"""The ledger file and SQLite, without SQLAlchemy: opening, checking, copying, errors.

Everything here uses the stdlib `sqlite3` module only, so read commands (which open
the ledger through `storage/reader.py`) start without importing SQLAlchemy; db.py
(the write path) builds on it.

- A file netlog creates is mode 0600. In the default location (the platform's data
  folder) netlog also creates missing folders, mode 0700; for a path given with
  `--db`/`NETLOG_DB` the folder must exist, so a typo does not silently start a
  new ledger somewhere else.
- A file the user may read but not write is read as it is (`read_only_uri`): immutable
  when its -wal is empty, with its WAL otherwise.
- Failures of SQLite become one-line StorageErrors naming the file (`storage_error`).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote as url_quote

from netlog.errors import StorageError, StoredValueError
from netlog.location import Location

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5_000  # SQLite's own wait for a lock, each try
WAIT_BUDGET_S = 60.0  # a write waits its turn this long in all before it gives up
SQLITE_HEADER = b"SQLite format 3\x00"


def opening(
    location: Location, *, create: bool, on_warning: Callable[[str], None] | None
) -> tuple[bool, list[Path]]:
    """What every open of the ledger does first, for reads and writes alike: make the
    file if it may be made, warn once if others can read it, and see whether netlog may
    write it. Returns (whether it was created, the paths that block writing)."""
    created = prepare_file(location, create=create)
    warning = exposure(location.path)
    if warning and on_warning is not None:
        on_warning(warning)
    return created, unwritable(location.path)


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


def patiently(
    step: Callable[[], T], location: Location, *, again: Callable[[BaseException], bool] = is_busy
) -> T:
    """`step()`, run again while SQLite says another connection is in the way (`again`:
    is_busy), within WAIT_BUDGET_S in all. For steps that can simply be run again: a
    read, a COMMIT still pending, or a whole transaction that was rolled back."""
    started = time.monotonic()
    attempt = 0
    while True:
        try:
            return step()
        except Exception as exc:
            if not again(exc):
                raise
            waited = time.monotonic() - started
            if waited >= WAIT_BUDGET_S:
                raise StorageError(
                    f"{location.label} is locked by another program (waited {waited:.0f} s). "
                    "Try again when it has finished."
                ) from None
            attempt += 1
            time.sleep(min(0.05 * 2**attempt, 1.0))


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
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the netlog that is upgrading
        yield
        path.unlink(missing_ok=True)  # done: whoever waited on it finds the upgrade made
    finally:
        os.close(fd)  # and the lock with it


def commit(raw: Any, location: Location) -> None:
    """COMMIT, waiting out what is transient. With many commands starting at once SQLite
    may refuse a commit for now ("database is locked", or "locking protocol" when the WAL
    index keeps changing under it) and keep the transaction open: then it is tried again,
    within the same budget as BEGIN. If the transaction is gone, nothing was saved."""
    if raw.in_transaction:
        patiently(
            lambda: raw.execute("COMMIT"),
            location,
            again=lambda exc: is_busy(exc) and raw.in_transaction,  # still ours to commit
        )


def _unreadable_value(exc: BaseException) -> bool:
    """A stored value that cannot be read as its column's type, by netlog or by SQLAlchemy."""
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


def applied_version(names: Sequence[str], label: str) -> int:
    """How many of netlog's migrations a ledger has, from the names it records in order:
    a record netlog does not know, or steps out of order, is an error, not a version."""
    from netlog.migrations import MIGRATIONS

    applied = list(names)
    known = [step.__name__ for step in MIGRATIONS]
    if applied == known[: len(applied)]:
        return len(applied)
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


def recorded_steps(run: Callable[[str], Any]) -> list[str] | None:
    """The migration names a ledger records, in order, or None if it has no record at all."""
    exists = run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'netlog_migrations'").fetchone()
    if not exists:
        return None
    return [row[0] for row in run("SELECT name FROM netlog_migrations ORDER BY id").fetchall()]


def foreign_tables(run: Callable[[str], Any]) -> list[str]:
    """The tables of an SQLite file that is not (yet) a netlog ledger."""
    rows = run(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def not_a_ledger(label: str, tables: Sequence[str]) -> StorageError:
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return StorageError(
        f"{label} is an SQLite database but not a netlog ledger (it has tables "
        f"{shown}): point --db or NETLOG_DB at a netlog ledger or at a new file name."
    )
