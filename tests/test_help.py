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


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_is_plain_words_that_fit_the_terminal(netlog, monkeypatch, path, command, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    page = netlog(*path, "--help").stdout
    assert page.startswith(f"Usage: netlog {' '.join(path)} ")
    # No Python types (<str>, <list[str]>, <int range>), no boxes, nothing cut by the edge.
    assert "<" not in page and "[str]" not in page and "range>" not in page
    assert not set("╭╮╰╯│─") & set(page)
    assert max(len(line) for line in page.splitlines()) <= columns
    assert "--db PATH" in page  # --db is accepted after the command too


def test_choices_are_listed_as_words_and_never_cut(netlog, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    page = netlog("add", "--help").stdout
    flat = " ".join(page.split())
    assert (
        "--circle CIRCLE How close they are. One of: inner, close, active, acquaintance. [default: active]"
        in flat
    )
    assert "online." in page  # the last choice of --source, whole


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "X", "--circle", "friends"],
         'Error: --circle must be one of inner, close, active, acquaintance (got "friends").'),
        (["give", "jane", "x", "--weight", "9"], 'Error: --weight must be from 1 to 5 (got "9").'),
        (["log", "--limit", "lots"], 'Error: --limit must be a whole number (got "lots").'),
        (["add"], "Error: Missing NAME (their full name)."),
        (["list", "--sort", "age"], 'Error: --sort must be one of name, last, added (got "age").'),
        (["frobnicate"], "Error: No such command 'frobnicate'."),
    ],
)  # fmt: skip
def test_usage_errors_are_two_plain_lines(netlog, argv, message):
    result = netlog.fail(*argv, code=2)
    lines = result.stderr.splitlines()
    assert lines[0] == message
    assert lines[1].startswith("Run 'netlog") and lines[1].endswith("--help' to see the options.")
    assert len(lines) == 2 and result.stdout == ""


def test_db_goes_before_or_after_the_command(netlog, tmp_path, db_path):
    other = tmp_path / "other.db"
    netlog("--db", str(other), "add", "Jane Doe")
    netlog("add", "Sam Rivera", "--db", str(other))
    assert [c["handle"] for c in netlog.json("list", "--db", str(other))] == ["jane-doe", "sam-rivera"]
    assert [c["handle"] for c in netlog.json("--db", str(other), "list")] == ["jane-doe", "sam-rivera"]
    assert not db_path.exists()  # NETLOG_DB's ledger was never touched
    netlog("config", "set", "give_before_ask", "3", "--db", str(other))
    assert netlog.json("config", "get", "give_before_ask", "--db", str(other)) == {"give_before_ask": "3"}


def test_bare_netlog_runs_due(netlog):
    netlog("add", "Jane Doe", "--circle", "inner", "--met", "2026-01-01")
    assert "People to contact" in netlog().stdout
    assert netlog().stdout == netlog("due").stdout


def test_version(netlog):
    from netlog import __version__

    assert netlog("--version").stdout.strip() == f"netlog {__version__}"


def test_numbers_in_usage_errors_read_as_numbers_and_suggestions_are_close(netlog):
    assert 'must be from 1 to 1,000,000 (got "0")' in netlog.fail("list", "--limit", "0", code=2).stderr
    assert "Did you mean --search?" in netlog.fail("list", "--serch", "x", code=2).stderr
    assert "Did you mean" not in netlog.fail("list", "--frob", code=2).stderr


def test_help_paragraphs_are_wrapped_and_examples_kept(netlog, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    page = netlog("export", "--help").stdout
    assert "  jsonl/json hold everything (contacts, interactions, introductions, favors,\n" in page
    assert "    netlog export --format csv -o contacts.csv\n" in page
    summaries = netlog("--help").stdout.split("Reports:", 1)[1]
    assert not [line for line in summaries.splitlines() if line.endswith("...")]  # whole, wrapped
