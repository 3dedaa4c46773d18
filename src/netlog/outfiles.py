"""Writing files safely: exports and backups.

- A regular file is written to a private (0600) temporary file beside it and renamed into
  place when complete, so a failed or interrupted write never leaves half a file and the
  old file stays until the new one is whole.
- A symlink is followed: its target is written, the link stays a link.
- Something that is not a regular file (a pipe, `/dev/stdout`, a shell's `>(...)`) is
  written straight into; netlog never replaces it or changes its mode.
- The ledger itself, and its -wal and -shm files, are never a target.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from netlog.errors import InvalidValue


def resolve_target(target: str, ledger: Path) -> Path:
    """The real path to write, after the checks every output shares. A pipe or device
    (`/dev/stdout`, a shell's `>(...)`) is returned as given: it is written into."""
    given = Path(target).expanduser()
    if is_special(given):
        return given
    path = Path(os.path.realpath(given))
    ledger_real = Path(os.path.realpath(ledger))
    if path in (ledger_real, Path(f"{ledger_real}-wal"), Path(f"{ledger_real}-shm")):
        raise InvalidValue(f"{target} is the ledger itself: write to another file.")
    if path.is_dir():
        raise InvalidValue(f"{target} is a folder: give a file name.")
    if not path.parent.is_dir():
        raise InvalidValue(f"The folder {path.parent} does not exist.")
    return path


def is_special(path: Path) -> bool:
    """A pipe, device or socket: written into, never replaced."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    return not stat.S_ISREG(mode)


@contextmanager
def temporary_beside(path: Path) -> Iterator[Path]:
    """A private temporary file in the target's folder, renamed onto the target on success."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise InvalidValue(f"Cannot write in {path.parent}: {exc.strerror}.") from None
    os.close(fd)
    temporary = Path(name)
    os.chmod(temporary, 0o600)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def open_output(target: str | None, ledger: Path) -> Iterator[tuple[BinaryIO, Path | None]]:
    """(stream, path written or None for stdout) for an export."""
    if target in (None, "-"):
        yield sys.stdout.buffer, None
        return
    path = resolve_target(target, ledger)
    if is_special(path):
        with path.open("wb") as stream:
            yield stream, path
        return
    with temporary_beside(path) as temporary, temporary.open("wb") as stream:
        yield stream, path
