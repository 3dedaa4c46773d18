"""Network commands: intro, intros, knows, strength, path."""

from __future__ import annotations

from typing import Annotated

import typer

from netlog import dates
from netlog.cli.activity import note_archived
from netlog.cli.app import app
from netlog.cli.common import ContactArg, JsonOpt, complete_contact, past_date, reading, writing
from netlog.ids import favor_ref, touch_ref
from netlog.vocab import Outcome

PANEL = "Network"
# What archiving someone means here, said when an introduction or a tie names them.
_LEFT_OUT = "their ties are left out of paths and show (netlog unarchive {handle})"

NoteOpt = Annotated[str | None, typer.Option("--note", "-n", help="Why, or what came of it.")]
LimitOpt = Annotated[int, typer.Option("--limit", min=0, max=1_000_000, help="How many to show (0: all).")]


@app.command(rich_help_panel=PANEL)
def intro(
    people: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="A B",
            help="The two people you introduced (with --outcome: what became of it).",
            autocompletion=complete_contact,
            show_default=False,
        ),
    ] = None,
    note: NoteOpt = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When (default: today).")
    ] = None,
    weight: Annotated[
        int | None,
        typer.Option("--weight", "-w", min=1, max=5, help="How big a favor to each, 1 to 5 (default 2)."),
    ] = None,
    outcome: Annotated[
        int | None,
        typer.Option(
            "--outcome", metavar="ID", min=1, max=2**62, help="Record what became of introduction ID."
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record that you introduced two people, or (--outcome) what came of it.

    An introduction is one touch with both (kind intro) and a favor given to each
    ("introduced to ..."), weight 2 unless --weight says; `netlog undo` takes it back.
    Its outcome is `made` until you say `connected` or `fizzled`.

    Examples:
      netlog intro jane bob --note "both hiring designers"
      netlog intro --outcome 3 connected --note "Bob hired her"
    """
    from netlog import render
    from netlog.errors import NotFound
    from netlog.ledger import network, write
    from netlog.ledger.contacts import resolve_contact
    from netlog.storage.reader import reader_of

    names = people or []
    today = dates.today()
    on = past_date(date, today=today, what="--date")
    if outcome is not None:
        choices = ", ".join(o.value for o in Outcome)
        if len(names) != 1:
            raise typer.BadParameter(
                f"--outcome takes the id, then only the outcome: netlog intro --outcome {outcome} connected",
                param_hint="--outcome",
            )
        if names[0].strip().lower() not in {o.value for o in Outcome}:
            raise typer.BadParameter(f"{names[0]!r} is not an outcome: use {choices}", param_hint="--outcome")
        if weight is not None:
            raise typer.BadParameter("--weight is for a new introduction", param_hint="--weight")
        with writing() as session:
            db = reader_of(session)
            if network.introduction(db, outcome) is None:
                raise NotFound(f"No introduction {outcome}: netlog intros lists them.")
            write.set_introduction_outcome(session, outcome, names[0].strip().lower(), on=on, note=note)
            result = network.introduction(db, outcome)
        assert result is not None
        if json_out:
            render.emit_json(result)
        else:
            render.say(f"Introduction {result.id} of {result.a} and {result.b}: {result.outcome}.")
        return
    if len(names) != 2:
        raise typer.BadParameter("give the two people you introduced: netlog intro A B", param_hint="A B")
    with writing() as session:
        db = reader_of(session)
        a, b = (resolve_contact(db, ref) for ref in names)
        made = write.record_introduction(session, a, b, on=on, note=note, weight=weight)
        result = network.introduction(db, made.introduction)
    assert result is not None
    note_archived([a, b], _LEFT_OUT)
    if json_out:
        render.emit_json(result)
    else:
        favors = " and ".join(favor_ref(f) for f in made.favors)
        render.say(
            f"Introduced {a.name} and {b.name} on {on.isoformat()} (introduction {made.introduction}; "
            f"touch {touch_ref(made.touch)}; favors {favors})."
        )


@app.command(rich_help_panel=PANEL)
def intros(
    contact: Annotated[
        str | None,
        typer.Option("--contact", "-c", help="Only this person's.", autocompletion=complete_contact),
    ] = None,
    outcome: Annotated[
        Outcome | None, typer.Option("--outcome", help="Only those with this outcome.", case_sensitive=False)
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """The introductions you made, newest first.

    Examples:
      netlog intros
      netlog intros --outcome made --json | jq -r '.[] | "\\(.id) \\(.a) \\(.b)"'
    """
    from netlog import render
    from netlog.ledger import network
    from netlog.ledger.contacts import resolve_contact

    with reading() as db:
        who = resolve_contact(db, contact).id if contact is not None else None
        found = network.introductions(db, contact_id=who, outcome=outcome.value if outcome else None)
    if json_out:
        render.emit_json(found)
    else:
        render.introductions_view(found)


@app.command(rich_help_panel=PANEL)
def knows(
    contact: ContactArg,
    other: Annotated[
        str, typer.Argument(help="Whom they know.", autocompletion=complete_contact, show_default=False)
    ],
    note: NoteOpt = None,
    forget: Annotated[bool, typer.Option("--forget", help="Take back what you said.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Say that two people know each other, when you know it without having seen it.

    What you did see counts already: introductions, meetings with both, the same
    organisation. `netlog show` lists whom someone knows, and why.

    Examples:
      netlog knows ravi zoe --note "studied together"
      netlog knows ravi zoe --forget
    """
    from netlog import render
    from netlog.errors import NotFound
    from netlog.ledger import network, write
    from netlog.ledger.contacts import resolve_contact
    from netlog.ledger.rules import load_rules
    from netlog.storage.reader import reader_of

    with writing() as session:
        db = reader_of(session)
        a, b = resolve_contact(db, contact), resolve_contact(db, other)
        if forget:
            if not write.forget_knows(session, a, b):
                raise NotFound(f"You had not said that {a.name} knows {b.name}: nothing to take back.")
        else:
            new = write.record_knows(session, a, b, on=dates.today(), note=note)
        r = load_rules(db, dates.today())
        tie = next((k for k in network.knows_of(db, r, a.id) if k.handle == b.handle), None)
    note_archived([a, b], _LEFT_OUT)
    if json_out:
        render.emit_json(tie if tie is not None else {})
    elif forget:
        rest = f"; they are still tied by: {', '.join(e.kind for e in tie.evidence)}" if tie else ""
        render.say(f"Forgot that {a.name} knows {b.name}{rest}.")
    else:
        said = {"new": "Noted", "same": "Already noted", "updated": "Updated the note"}[new]
        render.say(f"{said}: {a.name} knows {b.name} (tie strength {tie.strength if tie else 0}).")


@app.command(rich_help_panel=PANEL)
def strength(
    contact: Annotated[
        str | None,
        typer.Argument(
            help="One person (default: everyone not archived).",
            autocompletion=complete_contact,
            show_default=False,
        ),
    ] = None,
    limit: LimitOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """How strong each tie is, 0-100, and why: every factor's points shown.

    Closeness (your circle, 30), recency for their cadence (20), frequency (touch days in
    the last year, 20), tenure (15), reciprocity (favors both ways, 10) and introductions
    (5). A strong tie gone quiet is marked stale, not weak: a reason to reach out.
    For one CONTACT, --json adds `basis`: what the points were worked out from.

    Examples:
      netlog strength
      netlog strength jane --json | jq .strength_factors
    """
    from netlog import render
    from netlog.ledger import network
    from netlog.ledger.contacts import resolve_contact
    from netlog.ledger.rules import load_rules

    with reading() as db:
        r = load_rules(db, dates.today())
        if contact is not None:
            tie = network.tie_of(db, r, resolve_contact(db, contact).id)
        else:
            everyone = network.ties(db, r)
    if contact is not None:
        if json_out:
            render.emit_json(tie.as_json() | {"basis": tie.basis})
        else:
            render.strength_detail(tie.record, tie.basis)
        return
    shown = everyone[:limit] if limit else everyone
    if json_out:
        render.emit_json([t.as_json() for t in shown])
    else:
        render.strength_view([t.record for t in shown])


@app.command(rich_help_panel=PANEL)
def path(
    target: Annotated[
        str | None,
        typer.Argument(help="The person to reach.", autocompletion=complete_contact, show_default=False),
    ] = None,
    org: Annotated[str | None, typer.Option("--org", help="Anyone at this organisation.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Anyone with this tag.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Anyone whose title has this.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, max=1_000_000, help="How many paths (0: all).")
    ] = 10,
    json_out: JsonOpt = False,
) -> None:
    """The warmest ways to reach someone: your own tie, or through one or two people.

    A path is as strong as its weakest hop (ties between paths broken by the sum of the
    hops); each hop shows its evidence. The advice says whom to ask and, from your
    balance with them, whether to give first.

    Examples:
      netlog path zoe
      netlog path --org Acme --limit 3
      netlog path --title "climate VC" --json | jq '.[0].advice'
    """
    from netlog import render
    from netlog.errors import NotFound
    from netlog.ledger import network
    from netlog.ledger.contacts import resolve_contact
    from netlog.ledger.rules import load_rules

    for name, value in (("TARGET", target), ("--org", org), ("--tag", tag), ("--title", title)):
        if value is not None and not value.strip():
            raise typer.BadParameter("is empty: give what to look for", param_hint=name)
    chosen = [
        name
        for name, value in (("TARGET", target), ("--org", org), ("--tag", tag), ("--title", title))
        if value
    ]
    if len(chosen) != 1:
        raise typer.BadParameter(
            "give one target: a person, --org NAME, --tag TAG or --title TEXT", param_hint="TARGET"
        )
    with reading() as db:
        r = load_rules(db, dates.today())
        if target is not None:
            ids = [resolve_contact(db, target).id]
        else:
            ids = network.target_ids(db, org=org, tag=tag, title=title)
            if not ids:
                what = f"at {org!r}" if org else f"tagged {tag!r}" if tag else f"with the title {title!r}"
                hint = "netlog list --org" if org else "netlog list --tag" if tag else "netlog list --search"
                raise NotFound(f"No contact (not archived) {what}: {hint} shows who is.")
        found = network.warm_paths(db, r, ids, single=target is not None, limit=limit)
    if json_out:
        render.emit_json(found)
    else:
        render.paths_view(found)
