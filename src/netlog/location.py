"""Where the ledger is: `--db`, `NETLOG_DB`, or the platform's data folder; a file, or
a PostgreSQL database named by its URL (a team's shared ledger).

Kept free of SQLAlchemy so that shell completion can find the file and read
handles with the stdlib `sqlite3` module alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netlog.errors import StorageError


@dataclass(frozen=True)
class Location:
    """A resolved ledger: a SQLite file (its path and SQLAlchemy URL), or a PostgreSQL
    database (`server`: its URL; `path` is unused and empty)."""

    url: str
    path: Path
    default: bool = False  # the platform's data folder, which netlog may create
    server: bool = False

    @property
    def file(self) -> Path | None:
        """The ledger's file; None for a ledger on a server."""
        return None if self.server else self.path

    @property
    def label(self) -> str:
        return server_label(self.url) if self.server else str(self.path)


def server_label(url: str) -> str:
    """A PostgreSQL URL as netlog names it in messages: without its password, whether in
    the user part or in the query (`?password=`)."""
    import re

    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    host = re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", host)
    return f"{scheme.split('+', 1)[0]}://{credentials}{at}{host}"


def _checked_server_url(url: str) -> None:
    """A PostgreSQL URL that can be used, or a StorageError saying what is wrong with it."""
    from urllib.parse import parse_qs, urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number is a ValueError
        query = parse_qs(parts.query)
    except ValueError as exc:
        problem = str(exc)
    else:
        problem = ""
        ports = query.get("port", [])
        if ports and not all(p.isdigit() for p in ports):
            problem = f"port={ports[0]} is not a number"
        elif port is not None and not 0 < port < 65536:
            problem = f"port {port} is out of range"
        elif not parts.path.strip("/"):
            problem = "the name of the database is missing after the host"
    if problem:
        raise StorageError(
            f"{server_label(url)} is not a PostgreSQL URL netlog can use ({problem}): write "
            "postgresql+psycopg://USER@HOST[:PORT]/DATABASE."
        )


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
    backend, _, driver = scheme.lower().partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise StorageError(
                f'netlog talks to PostgreSQL through psycopg 3: write postgresql+psycopg:// (not "{scheme}").'
            )
        _checked_server_url(f"postgresql://{rest}")
        return Location(f"postgresql+psycopg://{rest}", Path(), server=True)
    if backend != "sqlite":
        raise StorageError(
            f'netlog keeps its ledger in SQLite or PostgreSQL; "{backend}" URLs are not supported. '
            "Use a file path, an sqlite:/// URL or a postgresql+psycopg:// URL."
        )
    database = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel, sqlite:////abs
    database = database.split("?", 1)[0]
    if not database or database == ":memory:" or "mode=memory" in rest:
        raise StorageError(_IN_MEMORY)
    return Location(option, Path(database).expanduser())


_IN_MEMORY = "An in-memory database would forget everything when the command ends: give a file path."
