"""Start-up: help and completion must not pay for the database layer; the real entry points work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Typer (0.29) checks option values with pydantic; netlog checks its own kinds of option
# without it (cli/coercion.py), so pydantic is heavy too.
HEAVY = ("sqlalchemy", "sqlmodel", "vobject", "icalendar", "pydantic")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=full_env, timeout=60)


def imported_modules(importtime_stderr: str) -> set[str]:
    modules = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    return modules


@pytest.mark.parametrize("args", [["--help"], ["add", "--help"], ["config", "set", "--help"]])
def test_help_imports_nothing_heavy(args):
    proc = run("-X", "importtime", "-m", "netlog", *args)
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout
    modules = imported_modules(proc.stderr)
    assert "typer" in modules  # the measurement works
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == []


def test_completion_offers_handles_without_the_database_layer(netlog, db_path):
    netlog("add", "Jane Doe")
    netlog("add", "Jan Novak")
    netlog("add", "Ravi Patel")
    proc = run(
        "-X",
        "importtime",
        "-m",
        "netlog",
        env={"_NETLOG_COMPLETE": "complete_bash", "COMP_WORDS": "netlog meet ja", "COMP_CWORD": "2"},
    )
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.split()) == {"jan-novak", "jane-doe"}
    heavy = sorted(m for m in imported_modules(proc.stderr) if m.split(".")[0] in HEAVY)
    assert heavy == []


READS = [
    ["due", "--json"],
    ["due"],
    ["balance", "--json"],
    ["balance", "jane"],
    ["stale", "--json"],
    ["stats", "--json"],
    ["show", "jane", "--json"],
    ["show", "jane"],
    ["log", "--json", "--since", "30d"],
    ["list", "--json"],
    ["list"],
    ["export"],
    ["export", "--format", "csv"],
    ["undo", "--list", "--json"],
    ["config", "list", "--json"],
    ["strength", "--json"],
    ["path", "jane", "--json"],
    ["path", "--org", "acme"],
    ["intros", "--json"],
    ["export", "--format", "graphml"],
    ["needs", "--json"],
    ["offers"],
    ["match", "--json"],
    ["match", "jane"],
]


@pytest.fixture(scope="module")
def small_ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("reads") / "netlog.db"
    env = {"NETLOG_DB": str(db), "NETLOG_TODAY": "2026-03-01"}
    for step in (
        ["add", "Jane Doe", "--org", "Acme", "--email", "jane@acme.com", "--tag", "climate"],
        ["add", "Sam Rivera", "--via", "jane"],
        ["meet", "jane", "sam", "--kind", "meal", "--date", "2026-02-20"],
        ["give", "jane", "intro to a designer"],
        ["ask", "sam", "feedback", "-q"],
        ["need", "jane", "a designer for her startup", "--tag", "design"],
        ["offer", "sam", "brand design"],
    ):
        assert run("-m", "netlog", *step, env=env).returncode == 0
    return env


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_read_commands_answer_through_sqlite_alone(small_ledger, args):
    # The read path runs its SQL on the stdlib sqlite3 module: SQLAlchemy, which is most
    # of a command's start-up, is imported only by commands that write; and options are
    # checked without pydantic.
    proc = run("-X", "importtime", "-m", "netlog", *args, env=small_ledger)
    assert proc.returncode == 0, proc.stderr
    modules = imported_modules(proc.stderr)
    assert "sqlite3" in modules  # the measurement works
    assert sorted(m for m in modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "pydantic")) == []
    if "--json" in args:
        json.loads(proc.stdout)


def test_a_write_command_still_uses_the_models(small_ledger):
    proc = run("-X", "importtime", "-m", "netlog", "meet", "jane", env=small_ledger)
    assert proc.returncode == 0, proc.stderr
    assert "sqlmodel" in imported_modules(proc.stderr)


def test_console_script_records_and_reads_back(tmp_path: Path):
    script = Path(sys.executable).with_name("netlog")
    db = tmp_path / "real.db"
    env = {**os.environ, "NETLOG_DB": str(db)}
    added = subprocess.run(
        [str(script), "add", "Jane Doe", "--org", "Acme", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["handle"] == "jane-doe"
    listed = run("-m", "netlog", "list", "--json", env={"NETLOG_DB": str(db)})
    assert [c["org"] for c in json.loads(listed.stdout)] == ["Acme"]
    assert db.stat().st_mode & 0o777 == 0o600


def test_unknown_contact_has_no_traceback_in_a_real_process(tmp_path: Path):
    env = {"NETLOG_DB": str(tmp_path / "x.db")}
    assert run("-m", "netlog", "add", "Jane Doe", env=env).returncode == 0
    proc = run("-m", "netlog", "show", "nobody", env=env)
    assert proc.returncode == 1
    assert proc.stderr.startswith('Error: No contact matches "nobody"')
    assert "Traceback" not in proc.stderr
