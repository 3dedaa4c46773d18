"""Reports: due, balance, stale, stats."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from netlog import dates
from netlog.cli.app import app
from netlog.cli.common import JsonOpt, any_date, complete_contact, reading
from netlog.vocab import Circle

if TYPE_CHECKING:
    from netlog.ledger.contacts import ContactFilter
    from netlog.storage.reader import Reader

PANEL = "Reports"

AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Report as of this day (default: today)."),
]
CircleOpt = Annotated[Circle | None, typer.Option(help="Only this circle.", case_sensitive=False)]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Only with this tag (repeat: all).")]
LimitOpt = Annotated[int | None, typer.Option(min=1, max=1_000_000, help="At most this many per list.")]
MemberOpt = Annotated[
    str | None,
    typer.Option(
        "--member",
        metavar="NAME",
        help="For this member of a team's ledger: their touches and favors (default on a server: you).",
    ),
]
TeamOpt = Annotated[
    bool, typer.Option("--team", help="For everyone's touches and favors (the default in a file).")
]


def _scoped(db: Reader, member: str | None, team: bool) -> Reader:
    from netlog.ledger.members import scope

    if member is not None and team:
        raise typer.BadParameter("give --member NAME or --team, not both", param_hint="'--team'")
    return scope(db, member, team=team)


def _whose(db: Reader) -> str | None:
    """Whom a scoped report answers for, when not you: a member's name or "the team"."""
    if not db.shared or db.viewer == db.member():
        return None  # a file has one member: you
    return db.viewer or "the team"


def _as_of(text: str | None) -> date:
    today = dates.today()
    return any_date(text, today=today, what="--as-of") if text else today


def _filter(circle: Circle | None, tag: list[str] | None) -> ContactFilter:
    from netlog.ledger.contacts import ContactFilter

    return ContactFilter(circle=circle.value if circle else None, tags=tag or ())


@app.command(rich_help_panel=PANEL)
def due(
    as_of: AsOfOpt = None,
    within: Annotated[
        str,
        typer.Option(metavar="DURATION", help="Also what comes due this soon, e.g. 3d or 1w."),
    ] = "0",
    circle: CircleOpt = None,
    tag: TagOpt = None,
    limit: LimitOpt = None,
    exit_status: Annotated[
        bool,
        typer.Option("--exit-status", help="Exit 1 when anything is due, 0 when nothing is."),
    ] = False,
    member: MemberOpt = None,
    team: TeamOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """The morning list: promises you owe, asks to chase, people to contact, birthdays.

    Running netlog with no command shows this list.

    Examples:
      netlog due
      netlog due --as-of "next monday" --within 3d
      netlog due --circle inner --json | jq -r '.contacts[].handle'
      netlog due --exit-status >/dev/null || echo "people are waiting"
    """
    from netlog import render
    from netlog.ledger.reports import due_report

    day = _as_of(as_of)
    within_days = 0 if within.strip() == "0" else dates.parse_duration_days(within)
    with reading() as db:
        db = _scoped(db, member, team)
        report = due_report(db, as_of=day, flt=_filter(circle, tag), within_days=within_days, limit=limit)
        whose = _whose(db)
    if json_out:
        render.emit_json(report.public)
    else:
        render.due_view(report, whose=whose)
    if exit_status and report.anything:
        raise typer.Exit(1)


@app.command(rich_help_panel=PANEL)
def balance(
    contact: Annotated[
        str | None,
        typer.Argument(
            metavar="[CONTACT]",
            help="One contact, with their favors.",
            autocompletion=complete_contact,
            show_default=False,
        ),
    ] = None,
    everyone: Annotated[bool, typer.Option("--all", help="Include contacts with no done favors.")] = False,
    as_of: AsOfOpt = None,
    circle: CircleOpt = None,
    tag: TagOpt = None,
    limit: LimitOpt = None,
    member: MemberOpt = None,
    team: TeamOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Reciprocity: favors given and received per contact, whom you owe first.

    Examples:
      netlog balance
      netlog balance jane
      netlog balance --json | jq '.[] | select(.state == "one-sided")'
    """
    from netlog import render
    from netlog.ledger import reports
    from netlog.ledger.contacts import resolve_contact
    from netlog.public import public_dict

    day = _as_of(as_of)
    with reading() as db:
        db = _scoped(db, member, team)
        if contact:
            person = resolve_contact(db, contact)
            assert person.id is not None
            row, favors = reports.contact_balance(db, as_of=day, contact_id=person.id)
            if json_out:
                render.emit_json(public_dict(row) | {"favors": favors})
            else:
                render.contact_balance_view(row, favors)
            return
        flt = _filter(circle, tag)
        rows = reports.balance_report(db, as_of=day, flt=flt, everyone=everyone, limit=limit)
        totals = reports.exchange_totals(db, as_of=day, flt=flt)
        whose, yours_on_team = _whose(db), db.shared and db.viewer is not None
    if json_out:
        render.emit_json(rows)
    else:
        render.balance_view(rows, totals, whose=whose, yours_on_team=yours_on_team)


@app.command(rich_help_panel=PANEL)
def stale(
    factor: Annotated[
        float | None,
        typer.Option(min=1, max=100, help="Cold after this many cadences (default: stale.factor, 2)."),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(min=1, max=100_000, help="Cold after this many days, whatever the cadence."),
    ] = None,
    as_of: AsOfOpt = None,
    circle: CircleOpt = None,
    tag: TagOpt = None,
    limit: LimitOpt = None,
    member: MemberOpt = None,
    team: TeamOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Relationships going cold: no touch for twice their cadence, by circle.

    Examples:
      netlog stale
      netlog stale --days 365 --circle close
      netlog stale --json | jq length
    """
    from netlog import render
    from netlog.ledger.reports import stale_report

    if factor is not None and days is not None:
        raise typer.BadParameter("give --factor or --days, not both", param_hint="--days")
    day = _as_of(as_of)
    with reading() as db:
        db = _scoped(db, member, team)
        rows = stale_report(db, as_of=day, flt=_filter(circle, tag), factor=factor, days=days, limit=limit)
    if json_out:
        render.emit_json(rows)
    else:
        render.stale_view(rows)


@app.command(rich_help_panel=PANEL)
def stats(
    as_of: AsOfOpt = None,
    circle: CircleOpt = None,
    tag: TagOpt = None,
    limit: Annotated[
        int, typer.Option(min=1, max=1000, help="How many contacts in the top and bottom lists.")
    ] = 5,
    member: MemberOpt = None,
    team: TeamOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Your networking habits: circles, weekly touches, give:ask ratio, follow-through, streak.

    Examples:
      netlog stats
      netlog stats --json | jq .give_ask_ratio
    """
    from netlog import render
    from netlog.ledger.reports import stats_report

    day = _as_of(as_of)
    with reading() as db:
        db = _scoped(db, member, team)
        result = stats_report(db, as_of=day, flt=_filter(circle, tag), limit=limit)
        whose = _whose(db)
    if json_out:
        render.emit_json(result.as_json())
    else:
        render.stats_view(result, whose=whose)
