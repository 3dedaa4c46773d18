"""Where the ledger file is: `--db`, `NETLOG_DB`, or the platform's data folder.

Kept free of SQLAlchemy so that shell completion can find the file and read
handles with the stdlib `sqlite3` module alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netlog.errors import StorageError


@dataclass(frozen=True)
class Location:
    """A resolved database file: its path and its SQLAlchemy URL."""

    url: str
    path: Path
    default: bool = False  # the platform's data folder, which netlog may create

    @property
    def label(self) -> str:
        return str(self.path)


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("netlog", appauthor=False) / "netlog.db"


def locate(option: str | None) -> Location:
    """Turn `--db`/`NETLOG_DB` (a file path or an sqlite:/// URL) into a Location.

    An empty value is an error, not the default ledger: `NETLOG_DB=$TYPO netlog add`
    must not write to the ledger in your home folder."""
    import os

    if option is not None and not option.strip():
        raise StorageError("--db is empty: give a ledger file, or leave --db out for the default ledger.")
    if option is None and "NETLOG_DB" in os.environ and not os.environ["NETLOG_DB"].strip():
        raise StorageError(
            "NETLOG_DB is set but empty: give it a ledger file, or unset it (unset NETLOG_DB) "
            "for the default ledger."
        )
    if not option:
        path = default_path()
        return Location(f"sqlite:///{path}", path, default=True)
    if "://" not in option:
        if option.strip() == ":memory:":
            raise StorageError(_IN_MEMORY)
        path = Path(option).expanduser()
        return Location(f"sqlite:///{path}", path)
    scheme, _, rest = option.partition("://")
    backend = scheme.split("+", 1)[0].lower()
    if backend != "sqlite":
        raise StorageError(
            f'netlog keeps its ledger in SQLite; "{backend}" URLs are not supported. '
            "Use a file path or an sqlite:/// URL."
        )
    database = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel, sqlite:////abs
    database = database.split("?", 1)[0]
    if not database or database == ":memory:" or "mode=memory" in rest:
        raise StorageError(_IN_MEMORY)
    return Location(option, Path(database).expanduser())


_IN_MEMORY = "An in-memory database would forget everything when the command ends: give a file path."
