"""Every test runs against its own database and a fixed "today" (Tuesday 2026-03-10)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import servers
from depth import DEEP
from hypothesis import settings
from invoking import share_one_build
from typer.testing import CliRunner

from netlog.cli import app

# Everyday runs replay the same examples (derandomize): a red run is a bug, never chance.
# NETLOG_DEEP_TESTS=1 explores at random (see depth.py).
settings.register_profile("everyday", derandomize=True, database=None, print_blob=True)
settings.register_profile("deep", derandomize=False, print_blob=True, max_examples=1000)
settings.load_profile("deep" if DEEP else "everyday")

TODAY = date(2026, 3, 10)

share_one_build()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL run, the tests of the SQLite file itself (its path, its bytes,
    its locks: those that use `db_path`, or are marked `sqlite_file`) do not apply."""
    if not servers.URL:
        return
    kept, left = [], []
    for item in items:
        file_bound = "db_path" in getattr(item, "fixturenames", ()) or item.get_closest_marker("sqlite_file")
        (left if file_bound else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_sessionfinish(session: pytest.Session) -> None:
    if servers.URL:
        servers.drop_template()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    db = tmp_path / "netlog.db"
    monkeypatch.setenv("NETLOG_TODAY", TODAY.isoformat())
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for name in ("NETLOG_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    if not servers.URL:
        monkeypatch.setenv("NETLOG_DB", str(db))
        yield db
        return
    with servers.fresh_database() as database:
        monkeypatch.setenv("NETLOG_DB", servers.database_url(database))
        yield db


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated


class Netlog:
    """Runs the real CLI in-process."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, ok: bool = True):
        result = self.runner.invoke(app, list(args), input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (
                f"netlog {' '.join(args)} exited {result.exit_code}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return result

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)

    def fail(self, *args: str, code: int = 1, input: str | None = None):
        result = self(*args, ok=False, input=input)
        assert result.exit_code == code, (
            f"expected exit {code}, got {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
        assert "Traceback" not in result.stdout + result.stderr
        return result


@pytest.fixture
def netlog() -> Netlog:
    return Netlog()
