"""Needs and offers: need, offer, needs, offers, match."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from netlog import dates
from netlog.cli.app import app
from netlog.cli.common import JsonOpt, complete_contact, need_id, offer_id, past_date, reading, writing

PANEL = "Needs and offers"

OwnerText = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="CONTACT TEXT",
        help="Whose (a contact, or me for your own), then what, in a few words.",
        autocompletion=complete_contact,
        show_default=False,
    ),
]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeatable).")]
DateOpt = Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="When (default: today).")]
DropOpt = Annotated[str | None, typer.Option("--drop", metavar="ID", help="Drop it: no longer wanted.")]


def owner_of(db: Any, ref: str) -> Any:
    """The contact a CONTACT argument means, or None for `me` (you)."""
    from netlog.ledger.contacts import resolve_contact
    from netlog.ledger.names import is_me

    return None if is_me(ref) else resolve_contact(db, ref)


_LEFT_OUT = "their needs and offers are left out of match (netlog unarchive {handle})"


def _record(kind: str, given: list[str], tags: list[str] | None, date: str | None, until: str | None) -> Any:
    from netlog import render
    from netlog.cli.activity import note_archived
    from netlog.cli.common import any_date
    from netlog.ids import need_ref
    from netlog.ledger import needs, write
    from netlog.storage.reader import reader_of

    if len(given) != 2:
        raise typer.BadParameter(
            f'give whose {kind} it is and what, in quotes: netlog {kind} jane "a designer for her startup"',
            param_hint="CONTACT TEXT",
        )
    today = dates.today()
    on = past_date(date, today=today, what="--date")
    by = any_date(until, today=today, what="--until") if until is not None else None
    with writing() as session:
        db = reader_of(session)
        owner = owner_of(db, given[0])
        item = write.NewNeed(owner.id if owner else None, kind, given[1], on, tags or (), until=by)
        same = needs.same_open(db, item, today)
        (number,) = write.insert_needs(session, [item])
        result = needs.need_by_id(db, number, today)
    if owner is not None:
        note_archived([owner], _LEFT_OUT)
    if same is not None:
        render.note(f"The same {kind} is open already ({need_ref(same, kind)}): noted again all the same.")
    if result is not None and result.status == "expired":
        render.note(f"Its day ({by}) has passed: it shows as expired, and is not matched.")
    return result


def _said(record: Any) -> str:
    from netlog.ids import need_ref

    whose = "your" if record.contact == "me" else f"{record.name}'s"
    tags = f" [{', '.join(record.tags)}]" if record.tags else ""
    until = f", by {record.until.isoformat()}" if record.until else ""
    return f"{whose} {record.kind} {need_ref(record.id, record.kind)}: {record.text}{tags}{until}"


@app.command(rich_help_panel=PANEL)
def need(
    given: OwnerText = None,
    tag: TagOpt = None,
    until: Annotated[
        str | None, typer.Option("--until", "-u", metavar="DATE", help="Wanted by this day.")
    ] = None,
    date: DateOpt = None,
    met: Annotated[str | None, typer.Option("--met", metavar="ID", help="Need ID is met.")] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="CONTACT",
            help="With --met: who met it (me: you).",
            autocompletion=complete_contact,
        ),
    ] = None,
    weight: Annotated[
        int | None,
        typer.Option("--weight", "-w", min=1, max=5, help="With --met: the favor's weight, 1 to 5 (1)."),
    ] = None,
    drop: DropOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Note something a contact (or you: me) is looking for; or mark it met, or drop it.

    A need stays open until --met or --drop; past its --until day it shows as expired.
    When you met someone's need (--by me), a favor given to them is recorded too; when
    a contact met yours, a favor received from them.

    Examples:
      netlog need jane "a designer for her startup" --tag design
      netlog need jane "a flat in Lisbon" --until "in 3 weeks"
      netlog need me "intro to a climate VC" --tag investors
      netlog need --met n3 --by bob
      netlog need --drop n4
    """
    from netlog import render
    from netlog.ids import favor_ref
    from netlog.ledger import needs, write
    from netlog.storage.reader import reader_of

    if met is not None and drop is not None:
        raise typer.BadParameter("give --met or --drop, not both", param_hint="--met")
    if met is None and drop is None:
        for name, value in (("--by", by), ("--weight", weight)):
            if value is not None:
                raise typer.BadParameter(f"{name} goes with --met ID", param_hint=name)
        result = _record("need", given or [], tag, date, until)
        render.emit_json(result) if json_out else render.say(f"Noted {_said(result)}.")
        return
    if given or tag or until:
        raise typer.BadParameter(
            "--met and --drop take only the need's id: netlog need --met n3", param_hint="--met"
        )
    if weight is not None and (drop is not None or by is None):
        raise typer.BadParameter(
            "--weight is the favor's: it goes with --met ID --by WHO", param_hint="--weight"
        )
    number = need_id(met or drop or "", "--met" if met is not None else "--drop")
    today = dates.today()
    on = past_date(date, today=today, what="--date")
    done = None
    with writing() as session:
        db = reader_of(session)
        if drop is not None:
            write.drop_need(session, number, "need", on=on)
        else:
            helper = owner_of(db, by) if by is not None else None
            by_me = by is not None and helper is None
            done = write.meet_need(session, number, on=on, by=helper, by_me=by_me, weight=weight or 1)
        result = needs.need_by_id(db, number, today)
    assert result is not None
    if json_out:
        render.emit_json(result)
    elif drop is not None:
        render.say(f"Dropped {_said(result)}.")
    else:
        who = render.met_by_words(result.met_by)
        recorded = ""
        if done is not None and done.favor is not None:
            recorded = f" (favor {favor_ref(done.favor)}{' done' if done.existing else ' recorded'})"
        render.say(f"Met{who} on {on.isoformat()}: {_said(result)}{recorded}.")


@app.command(rich_help_panel=PANEL)
def offer(
    given: OwnerText = None,
    tag: TagOpt = None,
    date: DateOpt = None,
    drop: DropOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Note something a contact (or you: me) can give; or drop it.

    Skills, resources, people they know: "brand design", "knows seed investors". An
    offer stays until dropped; `netlog match` pairs it with needs.

    Examples:
      netlog offer bob "brand and logo design" --tag design
      netlog offer me "feedback on pitch decks"
      netlog offer --drop o5
    """
    from netlog import render
    from netlog.ledger import needs, write
    from netlog.storage.reader import reader_of

    if drop is None:
        result = _record("offer", given or [], tag, date, None)
        render.emit_json(result) if json_out else render.say(f"Noted {_said(result)}.")
        return
    if given or tag:
        raise typer.BadParameter(
            "--drop takes only the offer's id: netlog offer --drop o5", param_hint="--drop"
        )
    number = offer_id(drop, "--drop")
    today = dates.today()
    on = past_date(date, today=today, what="--date")
    with writing() as session:
        write.drop_need(session, number, "offer", on=on)
        result = needs.need_by_id(reader_of(session), number, today)
    assert result is not None
    render.emit_json(result) if json_out else render.say(f"Dropped {_said(result)}.")


ContactOpt = Annotated[
    str | None,
    typer.Option("--contact", "-c", help="Only this person's (me: yours).", autocompletion=complete_contact),
]
OpenOpt = Annotated[bool, typer.Option("--open", help="Only the open ones.")]


def _list(kind: str, contact: str | None, tag: str | None, open_only: bool, json_out: bool) -> None:
    from netlog import render
    from netlog.ledger import needs

    today = dates.today()
    with reading() as db:
        owner = owner_of(db, contact) if contact is not None else None
        found = needs.list_needs(
            db,
            kind=kind,
            as_of=today,
            contact_id=owner.id if owner is not None else None,
            mine=contact is not None and owner is None,
            tag=tag,
            open_only=open_only,
        )
    if json_out:
        render.emit_json(found)
    else:
        render.needs_view(found, kind=kind, filtered=bool(contact is not None or tag or open_only))


@app.command(rich_help_panel=PANEL)
def needs(
    contact: ContactOpt = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only those with this tag.")] = None,
    open_only: OpenOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """The needs you noted, oldest first: open, met, dropped or expired.

    Examples:
      netlog needs --open
      netlog needs --contact jane --json | jq -r '.[] | "\\(.id) \\(.text)"'
    """
    _list("need", contact, tag, open_only, json_out)


@app.command(rich_help_panel=PANEL)
def offers(
    contact: ContactOpt = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only those with this tag.")] = None,
    open_only: OpenOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """The offers you noted, oldest first.

    Examples:
      netlog offers --open
      netlog offers --contact me
    """
    _list("offer", contact, tag, open_only, json_out)


@app.command(rich_help_panel=PANEL)
def match(
    contact: Annotated[
        str | None,
        typer.Argument(
            help="Only matches with this person on either side (me: yours).",
            autocompletion=complete_contact,
            show_default=False,
        ),
    ] = None,
    need: Annotated[str | None, typer.Option("--need", metavar="ID", help="Only this need's.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, max=1_000_000, help="How many to show (0: all).")
    ] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Needs matched with offers: introductions to make, gives, asks; each explained.

    A need and an offer match on words in common (folded and stemmed: "designer" is
    "design"), shared tags (double), and the offerer's title and organisation; the
    points are multiplied by how well you know both sides. Needs wanted within 14
    days come first. At most 3 offers per need, unless --need.

    Examples:
      netlog match
      netlog match jane
      netlog match --need n3 --json | jq '.[0].suggestion'
    """
    from netlog import render
    from netlog.errors import NotFound
    from netlog.ledger import needs as ledger_needs
    from netlog.ledger.rules import load_rules

    if contact is not None and need is not None:
        raise typer.BadParameter("give a CONTACT or --need ID, not both", param_hint="--need")
    number = need_id(need, "--need") if need is not None else None
    today = dates.today()
    with reading() as db:
        r = load_rules(db, today)
        owner = owner_of(db, contact) if contact is not None else None
        if owner is not None:
            from netlog.cli.activity import note_archived

            note_archived([owner], _LEFT_OUT)
        if number is not None:
            found_need = ledger_needs.need_by_id(db, number, today)
            if found_need is None or found_need.kind != "need":
                raise NotFound(f"No need {number}: netlog needs lists them.")
            if found_need.status != "open":
                raise NotFound(f"Need {number} is {found_need.status}: only open needs are matched.")
        found = ledger_needs.find_matches(
            db,
            r,
            about=owner.id if owner is not None else None,
            mine=contact is not None and owner is None,
            need_id=number,
            per_need=None if number is not None else ledger_needs.rules.MATCHES_PER_NEED,
            limit=limit or None,
        )
        shown = ledger_needs.explain(db, r, found)
    if json_out:
        render.emit_json(shown)
    else:
        render.matches_view(shown)
