"""Every command has help with an example a user can paste."""

from __future__ import annotations

import pytest
import typer

from netlog.cli import app


def all_commands() -> list[tuple[list[str], object]]:
    root = typer.main.get_command(app)
    found = []

    def walk(group, path):
        for name, command in group.commands.items():
            if getattr(command, "commands", None):
                walk(command, [*path, name])
            else:
                found.append(([*path, name], command))

    walk(root, [])
    return found


COMMANDS = all_commands()


def test_the_commands_of_the_core_are_all_there():
    names = {" ".join(path) for path, _ in COMMANDS}
    expected = {
        "add",
        "edit",
        "tag",
        "archive",
        "unarchive",
        "rm",
        "list",
        "show",
        "meet",
        "give",
        "ask",
        "done",
        "decline",
        "log",
        "config get",
        "config set",
        "config list",
        "config unset",
        "due",
        "balance",
        "stale",
        "stats",
        "snooze",
        "import",
        "export",
        "merge",
        "undo",
        "backup",
        "check",
    }
    assert expected <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_and_examples(netlog, path, command):
    result = netlog(*path, "--help")
    assert "Usage:" in result.stdout
    doc = command.callback.__doc__ or ""
    assert "Examples:" in doc
    assert "  netlog " in doc.split("Examples:", 1)[1]


def test_bare_netlog_runs_due(netlog):
    netlog("add", "Jane Doe", "--circle", "inner", "--met", "2026-01-01")
    assert "People to contact" in netlog().stdout
    assert netlog().stdout == netlog("due").stdout


def test_version(netlog):
    from netlog import __version__

    assert netlog("--version").stdout.strip() == f"netlog {__version__}"
