"""The PostgreSQL run of the suite: `NETLOG_TEST_POSTGRES=postgresql://USER@HOST/ python -m
pytest -q` runs every test against a fresh database of that server (the URL's database
part is ignored: each test gets its own, made from a migrated template and dropped at
the end). The user must be allowed to create databases.

Without the variable the suite runs on SQLite files, and the tests that need a server
(tests/test_postgres.py) are skipped, saying why.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

ENV = "NETLOG_TEST_POSTGRES"
URL = os.environ.get(ENV, "").strip()
SKIP_REASON = (
    f"no PostgreSQL server: set {ENV}=postgresql://USER@HOST/ (a user who may create databases) "
    "to run the PostgreSQL tests"
)
needs_server = pytest.mark.skipif(not URL, reason=SKIP_REASON)

_counter = itertools.count(1)


def _parts() -> tuple[str, str]:
    """The server URL as netlog takes it, split around the database name."""
    url = URL.replace("postgresql://", "postgresql+psycopg://", 1).replace(
        "postgres://", "postgresql+psycopg://", 1
    )
    scheme, _, rest = url.partition("://")
    authority, _, path = rest.partition("/")
    _, question, query = path.partition("?")
    return f"{scheme}://{authority}/", (question + query) if question else ""


def database_url(name: str) -> str:
    base, query = _parts()
    return f"{base}{name}{query}"


def _admin() -> Any:
    import psycopg

    return psycopg.connect(
        database_url("postgres").replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True
    )


def run_admin(*statements: str) -> None:
    with _admin() as conn:
        for statement in statements:
            conn.execute(statement)


_template: str | None = None


def template() -> str:
    """A database with netlog's schema, made once per test run, copied for each test."""
    global _template
    if _template is None:
        from netlog.location import locate
        from netlog.storage import server

        name = f"netlog_test_template_{os.getpid()}"
        run_admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        location = locate(database_url(name))
        engine = server.make_engine(location)
        try:
            server.migrate(engine, location)
        finally:
            engine.dispose()
        _template = name
    return _template


def new_database(*, empty: bool = False) -> str:
    """A fresh database's name: netlog's schema in it, or nothing with `empty`."""
    name = f"netlog_test_{os.getpid()}_{next(_counter)}"
    if empty:
        run_admin(f"CREATE DATABASE {name}")
    else:
        run_admin(f"CREATE DATABASE {name} TEMPLATE {template()} STRATEGY FILE_COPY")
    return name


def drop_database(name: str) -> None:
    run_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def fresh_database(*, empty: bool = False) -> Iterator[str]:
    name = new_database(empty=empty)
    try:
        yield name
    finally:
        drop_database(name)


def drop_template() -> None:
    if _template is not None:
        drop_database(_template)
