"""The one way netlog writes a file: exports, backups, pre-upgrade copies.

- The content goes to a private (0600) temporary file in the target's own folder,
  opened with O_CREAT|O_EXCL|O_NOFOLLOW (never an existing file, never through a link),
  is flushed to disk (fsync), and only then takes the final name in one atomic rename.
  A failed, interrupted or killed write leaves the old file as it was and no half file;
  a temporary file left by a killed netlog is removed by the next write in that folder
  (and by `netlog check`), once its process is gone.
- The final name is never followed as a link and never truncated: a symbolic link
  there is refused, and a name that is the ledger (or its -wal, -shm) is refused.
- `replace=False` (backups, pre-upgrade copies) never replaces anything: an existing
  name gets the next free `-2`, `-3`... or, when the name was given, is an error.
- A pipe or device (`/dev/stdout`, a shell's `>(...)`) is written straight into, never
  replaced; only exports write there.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from netlog.errors import InvalidValue

TEMP_MARK = ".netlog-tmp-"  # in every temporary file's name: .{name}.netlog-tmp-{pid}-{n}
STALE_AFTER = 10.0  # seconds unchanged: with its process gone, a temporary file is litter
_counter = iter(range(1, 1 << 62))


def is_special(path: Path) -> bool:
    """A pipe, device or socket: written into, never replaced."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_target(target: str | Path, ledger: Path | None) -> Path:
    """The path to write, after the checks every output shares (`ledger`: the ledger's
    file, never written over; None for a ledger on a server)."""
    path = Path(target).expanduser().absolute()
    if path.is_symlink():
        raise InvalidValue(
            f"{target} is a symbolic link: netlog writes no file through a link (it could "
            "lead to the ledger or to a file you did not mean). Give the real path."
        )
    if ledger is not None:
        ledger_real = Path(os.path.realpath(ledger))
        real = Path(os.path.realpath(path))
        if real in (ledger_real, Path(f"{ledger_real}-wal"), Path(f"{ledger_real}-shm")) or _same_file(
            path, ledger
        ):
            raise InvalidValue(f"{target} is the ledger itself: write to another file.")
    if path.is_dir():
        raise InvalidValue(f"{target} is a folder: give a file name.")
    if not path.parent.is_dir():
        raise InvalidValue(f"The folder {path.parent} does not exist.")
    return path


def _same_file(a: Path, b: Path) -> bool:
    """True for two names of one file (a hard link to the ledger, say)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path) -> list[Path]:
    """Remove temporary files a killed netlog left in `folder`; returns what went."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and TEMP_MARK in name):
            continue
        try:
            pid = int(name.rsplit(TEMP_MARK, 1)[1].split("-", 1)[0])
            old = now - entry.lstat().st_mtime > STALE_AFTER
        except (ValueError, OSError):
            continue
        if old and not _alive(pid) and not entry.is_symlink():
            try:
                entry.unlink()
                removed.append(entry)
            except OSError:
                pass
    return removed


def _temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new private file in `folder`, never an existing one, never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        path = folder / f".{name}{TEMP_MARK}{os.getpid()}-{next(_counter)}"
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise InvalidValue(f"Cannot write in {folder}: {exc.strerror}.") from None
        os.fchmod(fd, 0o600)  # whatever the umask
        return fd, path


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _numbered(path: Path, n: int) -> Path:
    """netlog-20261201-0930.db, netlog-20261201-0930-2.db...; netlog.db.bak-4, netlog.db.bak-4-2..."""
    if n == 1:
        return path
    if path.name.endswith(".db"):
        return path.with_name(f"{path.name[:-3]}-{n}.db")
    return path.with_name(f"{path.name}-{n}")


def write_file(
    target: Path,
    fill: Callable[[Path, BinaryIO], None],
    *,
    replace: bool,
    numbered: bool = False,
) -> Path:
    """Write `target` through a temporary file (see the module's docstring); returns the
    name written. `fill(path, stream)` writes the content, through the stream or the path
    (SQLite's backup writes to a path). Without `replace` an existing name is an error,
    or, when `numbered`, the next free `-2`, `-3`..."""
    folder = target.parent
    clean_stale(folder)
    fd, temporary = _temporary(folder, target.name)
    try:
        with os.fdopen(fd, "wb") as stream:
            fill(temporary, stream)
            stream.flush()
            os.fsync(stream.fileno())
        written = _place(temporary, target, replace=replace, numbered=numbered)
        _fsync_folder(folder)
        return written
    finally:
        temporary.unlink(missing_ok=True)


def write_files(folder: Path, files: Sequence[tuple[str, bytes]]) -> None:
    """Write many files into one folder (a vdir's cards), replacing them, by the same
    rules as write_file, in three steps instead of each file doing all: every temporary
    written, the disk synced once, then every rename and one sync of the folder. (File by
    file, 10,000 cards took 81 s here: a listing of the folder and two fsyncs each.)"""
    if not files:
        return
    clean_stale(folder)
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, data in files:
            fd, temporary = _temporary(folder, name)
            temporaries.append((temporary, folder / name))
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
        _sync_all([temporary for temporary, _ in temporaries])
        for temporary, target in temporaries:
            _place(temporary, target, replace=True, numbered=False)
        _fsync_folder(folder)
    finally:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)


def _sync_all(paths: Sequence[Path]) -> None:
    """Every one of `paths` on the disk: one sync of everything where the system has it
    (Unix), else each file's own fsync."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:  # pragma: no cover - Windows
        with open(path, "rb+") as stream:
            os.fsync(stream.fileno())


def _place(temporary: Path, target: Path, *, replace: bool, numbered: bool) -> Path:
    if replace:
        if target.is_symlink():  # became one since the check: never write through it
            raise InvalidValue(f"{target} is a symbolic link: netlog writes no file through a link.")
        os.replace(temporary, target)  # replaces the name, never what a link points at
        return target
    for n in range(1, 10_000):
        candidate = _numbered(target, n)
        try:
            os.link(temporary, candidate)  # atomic, and fails if the name is taken
            return candidate
        except FileExistsError:
            if not numbered:
                raise InvalidValue(
                    f"{target} exists: netlog never replaces it. Choose another name."
                ) from None
        except OSError:  # a file system without hard links
            if candidate.exists() or candidate.is_symlink():
                if not numbered:
                    raise InvalidValue(
                        f"{target} exists: netlog never replaces it. Choose another name."
                    ) from None
                continue
            os.replace(temporary, candidate)
            return candidate
    raise InvalidValue(f"Cannot find a free name beside {target}: clear out the folder.")


@contextmanager
def open_output(target: str | None, ledger: Path | None) -> Iterator[tuple[BinaryIO, Path | None]]:
    """(stream, path written or None for stdout) for an export, which replaces the file."""
    if target in (None, "-"):
        yield sys.stdout.buffer, None
        return
    given = Path(target).expanduser()
    if is_special(given):  # /dev/stdout (itself a link), a pipe: written into, never replaced
        with given.open("wb") as stream:
            yield stream, given
        return
    path = check_target(target, ledger)
    folder = path.parent
    clean_stale(folder)
    fd, temporary = _temporary(folder, path.name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream, path
            stream.flush()
            os.fsync(stream.fileno())
        _place(temporary, path, replace=True, numbered=False)
        _fsync_folder(folder)
    finally:
        temporary.unlink(missing_ok=True)
