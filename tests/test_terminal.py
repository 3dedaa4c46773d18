"""What a person sees at a terminal 80 and 120 columns wide: every table fits, a name is
never cut, a row is one line (a long name may go on over two), and colour marks what is
late, always beside words that say so."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from rich.cells import cell_len
from rich.console import Console

from netlog import render
from netlog.ledger import activity, contacts, reports
from netlog.location import locate
from netlog.storage.reader import open_reader

AS_OF = date(2026, 3, 20)
LONG = "Maximilian Alexander von Hohenberg"
PEOPLE = ["Aisha Khan", "Ravi Patel", "Jane Doe", "Zoë O'Brien-Smith", LONG]


@pytest.fixture
def weeks(netlog, db_path, monkeypatch):
    monkeypatch.setenv("NETLOG_TODAY", "2026-03-01")
    netlog("add", "Aisha Khan", "--org", "Northwind Ventures International", "--circle", "close",
           "--met", "2026-01-12", "--tag", "investor")  # fmt: skip
    netlog("add", "Ravi Patel", "--circle", "close", "--met", "2026-01-20", "--birthday", "03-22")
    netlog("add", "Jane Doe", "--org", "Acme", "--circle", "close", "--met", "2026-01-05")
    netlog("add", "Zoë O'Brien-Smith", "--org", "Globex Corporation", "--met", "2025-12-01")
    netlog("add", LONG, "--org", "Initech", "--circle", "acquaintance", "--met", "2025-08-15")
    netlog("meet", "jane", "ravi", "--kind", "meal", "--date", "2026-02-10",
           "--note", "lunch at Nopa, talked hiring, the Lisbon offsite and her new team")  # fmt: skip
    netlog("give", "aisha", "feedback on her portfolio company's pitch deck", "--weight", "3",
           "--date", "2026-02-01")  # fmt: skip
    netlog("ask", "aisha", "an intro to a climate fund LP", "--date", "2026-02-10", "-q")
    netlog("give", "ravi", "a careful review of his grant application", "--promise",
           "--due", "2026-03-10", "--date", "2026-02-12")  # fmt: skip
    netlog("ask", "jane", "feedback on my talk", "--done", "--weight", "2", "--date", "2026-02-15")
    monkeypatch.setenv("NETLOG_TODAY", AS_OF.isoformat())
    return db_path


def screen(view, width: int, color: bool = False) -> list[str]:
    buffer = io.StringIO()
    out = Console(file=buffer, width=width, force_terminal=True, color_system="standard" if color else None,
                  markup=False, emoji=False, highlight=False)  # fmt: skip
    view(out)
    lines = buffer.getvalue().splitlines()
    assert lines, "nothing was printed"
    return lines


def reads_well(lines: list[str], width: int, names: list[str]) -> None:
    for line in lines:
        assert cell_len(line) <= width, line
    # The first cell of each line: a name, or the rest of a name that went on a line.
    firsts = [re.split(r"\s{2,}", line)[0] for line in lines]
    for name in names:
        found = any(
            " ".join(firsts[start : start + n]) == name for start in range(len(firsts)) for n in (1, 2, 3)
        )
        assert found, f"{name!r} is cut or missing in:\n" + "\n".join(lines)


def views(db_path):
    with open_reader(locate(str(db_path))) as db:
        due = reports.due_report(db, as_of=AS_OF)
        stale = reports.stale_report(db, as_of=AS_OF, days=20)
        balance = reports.balance_report(db, as_of=AS_OF)
        totals = reports.exchange_totals(db, as_of=AS_OF)
        stats = reports.stats_report(db, as_of=AS_OF)
        log = activity.timeline(db, activity.TimelineQuery())
        everyone = contacts.list_contacts(db, contacts.ContactFilter())
    return {
        "due": lambda out: render.due_view(due, out=out),
        "stale": lambda out: render.stale_view(stale, out=out),
        "balance": lambda out: render.balance_view(balance, totals, out=out),
        "stats": lambda out: render.stats_view(stats, out=out),
        "log": lambda out: render.timeline_view(log, out=out),
        "list": lambda out: render.contacts_view(everyone, out=out),
    }


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", ["due", "stale", "balance", "stats", "log", "list"])
def test_every_report_fits_and_keeps_names_whole(weeks, width, name):
    lines = screen(views(weeks)[name], width)
    shown = {"due": [*PEOPLE[:3], LONG], "stale": PEOPLE, "balance": ["Aisha Khan", "Jane Doe"],
             "stats": ["Jane Doe"], "log": [], "list": PEOPLE}[name]  # fmt: skip
    reads_well(lines, width, shown)


@pytest.mark.parametrize("width", [80, 120])
def test_each_person_to_contact_is_one_row_with_their_numbers(weeks, width):
    lines = screen(views(weeks)["due"], width)
    people = lines[lines.index("People to contact") :]
    # Worked out by hand for 03-20: Aisha 38 of 30 (her ask is open), Ravi 36 of 30 (the
    # promise), Jane 33 of 30 (she helped with weight 2), Max 217 of 180; Zoë 109 of 90.
    expected = {"Aisha Khan": "38 of 30", "Ravi Patel": "36 of 30", "Jane Doe": "33 of 30",
                "Zoë O'Brien-Smith": "109 of 90", "Maximilian": "217 of 180"}  # fmt: skip
    for name, days in expected.items():
        row = next(line for line in people if line.startswith(name))
        assert days in row, row
    suggestions = ["follow up on your ask", "keep your promise", "give first: you owe 2"]
    if width == 120:  # room for the suggestion on the row itself
        assert all(any(s in line and line.startswith(n) for line in people)
                   for n, s in zip(["Aisha Khan", "Ravi Patel", "Jane Doe"], suggestions, strict=True))  # fmt: skip
    else:
        assert all(any(s in line for line in people) for s in suggestions)
    assert len([line for line in people if line.strip()]) <= 3 + 2 * len(expected)  # title, head, rule


def test_at_80_columns_less_useful_columns_give_way_before_the_name(weeks):
    lines = screen(views(weeks)["due"], 80)
    head = next(line for line in lines if line.startswith("name"))
    assert "last touch" not in head and "handle" not in head  # gone first...
    assert "days" in head and "balance" in head  # ...the numbers stay
    wide = next(line for line in screen(views(weeks)["due"], 120) if line.startswith("name"))
    assert "suggestion" in wide


def test_colour_marks_what_is_late_and_owed_and_no_color_turns_it_off(weeks, monkeypatch):
    coloured = "\n".join(screen(views(weeks)["due"], 120, color=True))
    red = "\x1b[31m"
    assert f"{red}10 days late" in coloured  # the promise due 03-10, and the words say it
    assert f"{red}-2" in coloured  # what you owe Jane
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert render.console().no_color is True
    monkeypatch.delenv("NO_COLOR")
    assert render.console().no_color is False


def test_piped_tables_keep_every_column_and_character(netlog, weeks):
    out = netlog("due").stdout  # CliRunner's stdout is not a terminal
    assert "\x1b[" not in out and "…" not in out
    head = next(line for line in out.splitlines() if line.startswith("name"))
    assert head.split() == ["name", "handle", "circle", "last", "touch", "days", "balance", "suggestion"]
    assert f"{LONG}  maximilian-alexander-von-hohenberg" in out


def test_a_tab_in_a_note_does_not_throw_the_columns_out(netlog):
    netlog("add", "Jane Doe")
    netlog("meet", "jane", "--note", "agenda:\tbudget\tand hiring", "--date", "2026-03-09")
    shown = netlog("log").stdout
    assert "\t" not in shown
    assert "agenda: budget and hiring" in shown  # each tab one space, on one line
    notes = [item["note"] for item in netlog.json("log") if item["date"] == "2026-03-09"]
    assert notes == ["agenda:\tbudget\tand hiring"]  # kept whole


def test_a_command_to_copy_is_printed_whole_at_80_columns(netlog, monkeypatch):
    netlog("add", "Ana Lima")
    netlog("add", "Zoe Park")
    netlog("need", "ana", "a brand designer for the relaunch of her product line")
    netlog("offer", "zoe", "brand design reviews for early-stage founders and their teams")
    netlog("meet", "ana", "zoe")  # they know each other: the advice is to tell Ana
    buffer = io.StringIO()
    at_80 = Console(file=buffer, width=80, force_terminal=True, markup=False, emoji=False, highlight=False)
    monkeypatch.setattr(render, "console", lambda stderr=False: at_80)
    netlog("match")
    (line,) = [line for line in buffer.getvalue().splitlines() if "netlog meet" in line]
    assert line == (
        "     netlog meet ana-lima --kind message --note "
        "'told about Zoe Park: brand design reviews for early-stage founders and their teams (n1)'"
    )
