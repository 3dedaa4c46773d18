"""Activity commands: meet, give, ask, done, decline, log."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from netlog import dates
from netlog.cli.app import app
from netlog.cli.common import (
    ContactArg,
    FavorArg,
    JsonOpt,
    any_date,
    complete_contact,
    favor_id,
    past_date,
    reading,
    writing,
)
from netlog.ids import favor_ref, touch_ref
from netlog.vocab import Kind
from netlog.wording import article

PANEL = "Activity"

DateOpt = Annotated[
    str | None,
    typer.Option("--date", "-d", metavar="DATE", help="When it happened (default: today)."),
]
WeightOpt = Annotated[
    int, typer.Option("--weight", "-w", min=1, max=5, help="How big it was, 1 (small) to 5.")
]
DescriptionArg = Annotated[str, typer.Argument(help="What it was, in a few words.", show_default=False)]


@app.command(rich_help_panel=PANEL)
def meet(
    contacts: Annotated[
        list[str],
        typer.Argument(
            metavar="CONTACT...",
            help="Everyone who was there.",
            autocompletion=complete_contact,
            show_default=False,
        ),
    ],
    date: DateOpt = None,
    kind: Annotated[
        Kind, typer.Option("--kind", "-k", help="What kind of touch.", case_sensitive=False)
    ] = Kind.meeting,
    note: Annotated[str | None, typer.Option("--note", "-n", help="What you talked about.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Log a touch: a meeting, call, message... with one or more people.

    Examples:
      netlog meet jane
      netlog meet jane ravi --kind meal --note "lunch at Nopa, talked hiring"
      netlog meet sam --kind call --date yesterday
    """
    from netlog import render
    from netlog.ledger import activity, write
    from netlog.ledger.contacts import resolve_contact
    from netlog.storage.reader import reader_of

    if kind is Kind.intro:
        raise typer.BadParameter("an introduction is recorded with: netlog intro A B", param_hint="--kind")
    on = past_date(date, today=dates.today(), what="--date")
    with writing() as session:
        db = reader_of(session)
        people = [resolve_contact(db, ref) for ref in contacts]
        touch = write.NewTouch(on, [p.id for p in people], kind.value, note)
        result = activity.interaction_public(db, write.record_touches(session, [touch])[0])
    note_archived(people)
    if json_out:
        render.emit_json(result)
    else:
        names = ", ".join(dict.fromkeys(p.name for p in people))
        render.say(
            f"Logged {article(result.kind)} with {names} on {result.date.isoformat()} "
            f"(touch {touch_ref(result.id)})."
        )


def note_archived(people: list, why: str = "netlog unarchive {handle} to see them in reports") -> None:
    """One note per archived person among `people`; `why` may name their {handle}."""
    from netlog import render

    for person in dict.fromkeys(p for p in people if p.archived):
        render.note(f"{person.name} is archived: {why.format(handle=person.handle)}.")


@app.command(rich_help_panel=PANEL)
def give(
    contact: ContactArg,
    description: DescriptionArg,
    weight: WeightOpt = 1,
    date: DateOpt = None,
    promise: Annotated[
        bool, typer.Option("--promise", "-p", help="You promised it; it is not done yet.")
    ] = False,
    due: Annotated[
        str | None, typer.Option(metavar="DATE", help="When the promise is due (with --promise).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a favor you gave, or one you promised.

    Examples:
      netlog give jane "intro to Sam at Acme" --weight 2
      netlog give ravi "review his pitch deck" --promise --due "next friday"
    """
    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.ledger import activity, write
    from netlog.ledger.contacts import resolve_contact
    from netlog.storage.reader import reader_of

    today = dates.today()
    if due is not None and not promise:
        raise typer.BadParameter("--due only applies to a promise: add --promise", param_hint="--due")
    on = past_date(date, today=today, what="--date")
    due_on = any_date(due, today=today, what="--due") if due else None
    if due_on is not None and due_on < on:
        raise InvalidValue(f"--due {due_on.isoformat()} is before the promise ({on.isoformat()}).")
    with writing() as session:
        db = reader_of(session)
        person = resolve_contact(db, contact)
        favor = write.NewFavor(
            person.id, "given", description, on, weight, "promised" if promise else "done", due_on
        )
        result = activity.find_favor(db, write.record_favors(session, [favor])[0])
    if json_out:
        render.emit_json(result)
    elif promise:
        when = f", due {due_on.isoformat()}" if due_on else ""
        render.say(f"Promised {person.name}: {result.description}{when} (favor {favor_ref(result.id)}).")
    else:
        render.say(f"Gave {person.name}: {result.description} (favor {favor_ref(result.id)}).")


@app.command(rich_help_panel=PANEL)
def ask(
    contact: ContactArg,
    description: DescriptionArg,
    weight: WeightOpt = 1,
    date: DateOpt = None,
    done: Annotated[
        bool, typer.Option("--done", help="They already did it (default: waiting on them).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No give-before-ask warning.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Record a favor you asked of someone: pending until they deliver, or --done.

    Warns (never blocks) when the give-before-ask rule says wait: you owe them, an
    earlier ask of yours is still open, or your balance with them (weight given minus
    received) is below the give_before_ask setting (default 4). --done records help they
    gave unprompted, without a warning.

    Examples:
      netlog ask jane "intro to her investor" --weight 3
      netlog ask ravi "feedback on my talk" --done --date "last monday"
    """
    from netlog import render
    from netlog.ledger import activity, write
    from netlog.ledger.contacts import resolve_contact
    from netlog.storage.reader import reader_of

    today = dates.today()
    on = past_date(date, today=today, what="--date")
    with writing() as session:
        db = reader_of(session)
        person = resolve_contact(db, contact)
        warning = None if done or quiet else activity.ask_warning(db, person, today=today)
        needs_line = None if done or quiet else activity.needs_before_asking(db, person, today=today)
        favor = write.NewFavor(person.id, "received", description, on, weight, "done" if done else "asked")
        result = activity.find_favor(db, write.record_favors(session, [favor])[0])
    if warning:
        render.warn(warning)
    if needs_line:
        render.note(needs_line)
    if json_out:
        render.emit_json(result)
    else:
        verb = "Received from" if done else "Asked"
        render.say(f"{verb} {person.name}: {result.description} (favor {favor_ref(result.id)}).")


def _resolve(favor: str, status: str, date: str | None, json_out: bool) -> None:
    from netlog import render
    from netlog.ledger import activity, write
    from netlog.storage.reader import reader_of

    number = favor_id(favor)
    on = past_date(date, today=dates.today(), what="--date")
    with writing() as session:
        db = reader_of(session)
        write.resolve_favor(session, activity.find_favor(db, number), status=status, on=on)
        result = activity.find_favor(db, number)
    if json_out:
        render.emit_json(result)
    else:
        render.say(f"Favor {favor_ref(result.id)} ({result.description}, {result.contact}) is {status}.")


@app.command(rich_help_panel=PANEL)
def done(
    favor: FavorArg,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When (default: today).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Mark a promise you kept, or an ask they delivered, as done.

    Examples:
      netlog done f12
      netlog done 12 --date yesterday
    """
    _resolve(favor, "done", date, json_out)


@app.command(rich_help_panel=PANEL)
def decline(
    favor: FavorArg,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When (default: today).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Close a promise or an ask that will not happen.

    Examples:
      netlog decline f12
    """
    _resolve(favor, "declined", date, json_out)


# The kinds of interaction, and "favor" for favors only.
LogKind = Enum("LogKind", {**{k.value: k.value for k in Kind}, "favor": "favor"}, type=str)  # type: ignore[misc]


@app.command(rich_help_panel=PANEL)
def log(
    contact: Annotated[
        str | None,
        typer.Argument(
            metavar="[CONTACT]",
            help="Only this contact.",
            autocompletion=complete_contact,
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="From this day on (or this long ago: 30d, 2w).")
    ] = None,
    until: Annotated[str | None, typer.Option(metavar="DATE", help="Up to this day.")] = None,
    kind: Annotated[
        LogKind | None,
        typer.Option("--kind", "-k", help="Only this kind (favor: only favors).", case_sensitive=False),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", metavar="TEXT", help="Notes or descriptions contain this."),
    ] = None,
    limit: Annotated[int, typer.Option(min=0, max=1_000_000, help="Only the latest N items (0: all).")] = 0,
    json_out: JsonOpt = False,
) -> None:
    """The timeline of interactions and favors, oldest first.

    Examples:
      netlog log --since "2 weeks ago"
      netlog log --since 30d --json
      netlog log jane --kind favor
      netlog log --search nopa
      netlog log --json | jq 'map(select(.type == "interaction")) | length'
    """
    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.ledger import activity
    from netlog.ledger.contacts import resolve_contact
    from netlog.public import public_dict

    today = dates.today()
    start = dates.parse_day_or_ago(since, today=today, what="--since") if since else None
    end = any_date(until, today=today, what="--until") if until else None
    if start and end and start > end:
        raise InvalidValue(f"--since {start.isoformat()} is after --until {end.isoformat()}.")
    with reading() as db:
        person = resolve_contact(db, contact) if contact else None
        contact_id = person.id if person else None
        items = activity.timeline(
            db,
            activity.TimelineQuery(
                contact_id=contact_id,
                since=start,
                until=end,
                kind=kind.value if kind else None,
                search=search,
                limit=limit or None,
            ),
        )
    if json_out:
        render.emit_json([{"type": k, **public_dict(record)} for k, record in items])
    elif not items:
        what = (
            "Nothing recorded"
            if not kind
            else ("No favors" if kind.value == "favor" else f"No {kind.value}s")
        )
        parts = [what, f"with {person.name}" if person else ""]
        parts += [f"from {start.isoformat()}" if start else "", f"until {end.isoformat()}" if end else ""]
        parts.append(f"matching {render.quote_text(search)}" if search else "")
        render.note(" ".join(p for p in parts if p) + ".")
    else:
        render.timeline_view(items)


@app.command(rich_help_panel=PANEL)
def snooze(
    contact: ContactArg,
    until: Annotated[
        str | None,
        typer.Argument(
            metavar="DURATION|DATE",
            help="For how long (2w, 3m) or until when (a date).",
            show_default=False,
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Stop snoozing them now.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Hide a contact, and the promises and asks open with them, from `due` until a date.

    They reappear on that day. To put off one promise or ask instead, move its due day:
    netlog edit-favor ID --due DATE.

    Examples:
      netlog snooze jane 2w
      netlog snooze ravi "next monday"
      netlog snooze jane --clear
    """
    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.ledger import contacts, write
    from netlog.storage.reader import reader_of

    if clear == (until is not None):
        raise typer.BadParameter("give a duration or date, or --clear", param_hint="DURATION|DATE")
    today = dates.today()
    day = None
    if until is not None:
        day = dates.parse_day_or_duration(until, today=today, what="snooze until")
        if day <= today:
            raise InvalidValue(f"{day.isoformat()} is not after today: snooze until a later day.")
    with writing() as session:
        db = reader_of(session)
        target = contacts.resolve_contact(db, contact)
        write.update_contact(session, target.id, {"snoozed_until": day})
        result = contacts.contact_public(db, target.id)
    if json_out:
        render.emit_json(result)
    elif day:
        render.say(
            f"Snoozed {result.name} until {day.isoformat()}: they and what is open with them "
            "are out of netlog due until then."
        )
    else:
        render.say(f"{result.name} is no longer snoozed.")
