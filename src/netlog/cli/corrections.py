"""Correcting the past: edit-touch, edit-favor, rm-touch, rm-favor.

Each is one transaction, journaled like every write, so `netlog undo` takes it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netlog import dates
from netlog.cli.app import app
from netlog.cli.common import (
    FavorArg,
    JsonOpt,
    TouchArg,
    complete_contact,
    confirm_deletion,
    favor_id,
    past_date,
    reading,
    touch_id,
    writing,
)
from netlog.ids import favor_ref, touch_ref
from netlog.vocab import Kind

if TYPE_CHECKING:
    from sqlmodel import Session

    from netlog.public import InteractionPublic
    from netlog.storage.reader import Reader

PANEL = "Activity"

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Don't ask for confirmation.")]


@app.command("edit-touch", rich_help_panel=PANEL)
def edit_touch(
    touch: TouchArg,
    date: Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="The right day.")] = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", "-k", help="The right kind.", case_sensitive=False)
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="A new note (replaces the old).")] = None,
    clear_note: Annotated[bool, typer.Option("--clear-note", help="Remove the note.")] = False,
    add: Annotated[
        list[str] | None,
        typer.Option("--add", metavar="CONTACT", help="Someone else who was there (repeatable).",
                     autocompletion=complete_contact),
    ] = None,
    remove: Annotated[
        list[str] | None,
        typer.Option("--remove", metavar="CONTACT", help="Someone who was not there (repeatable).",
                     autocompletion=complete_contact),
    ] = None,
    json_out: JsonOpt = False,
) -> None:  # fmt: skip
    """Correct a touch you logged: its day, kind, note, or who was there.

    Examples:
      netlog edit-touch t5 --date 2026-03-02 --note "lunch at Nopa, talked hiring"
      netlog edit-touch t5 --add ravi --remove sam
      netlog edit-touch t5 --kind call
    """
    from netlog import render
    from netlog.ledger import activity, write
    from netlog.ledger.contacts import resolve_contact
    from netlog.storage.reader import reader_of

    number = touch_id(touch)
    on = past_date(date, today=dates.today(), what="--date") if date else None
    if note is not None and clear_note:
        raise typer.BadParameter("give --note or --clear-note, not both", param_hint="--clear-note")
    if kind is Kind.intro:
        raise typer.BadParameter("an introduction is recorded with: netlog intro A B", param_hint="--kind")
    if on is None and kind is None and note is None and not (clear_note or add or remove):
        raise typer.BadParameter("nothing to change: give at least one option", param_hint="edit-touch")
    with writing() as session:
        db = reader_of(session)
        activity.interaction_public(db, number)  # there is one
        write.update_touch(
            session,
            number,
            on=on,
            kind=kind.value if kind else None,
            note=note,
            clear_note=clear_note,
            add=[resolve_contact(db, ref) for ref in add or []],
            remove=[resolve_contact(db, ref) for ref in remove or []],
        )
        result = activity.interaction_public(db, number)
    if json_out:
        render.emit_json(result)
    else:
        who = ", ".join(result.contacts)
        day = result.date.isoformat()
        render.say(f"Touch {touch_ref(number)} is now: {result.kind} on {day}, with {who}.")


@app.command("edit-favor", rich_help_panel=PANEL)
def edit_favor(
    favor: FavorArg,
    date: Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="The right day.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", "--what", metavar="TEXT", help="What it was.")
    ] = None,
    weight: Annotated[
        int | None, typer.Option("--weight", "-w", min=1, max=5, help="1 (small) to 5.")
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(metavar="DATE|DURATION",
                     help="A promise's due day, or the day to follow up on an ask (3d, next friday)."),
    ] = None,
    no_due: Annotated[bool, typer.Option("--no-due", help="Remove the due day.")] = False,
    json_out: JsonOpt = False,
) -> None:  # fmt: skip
    """Correct a favor, or put off a promise or an ask by moving its due day.

    A promise shows in netlog due from its due day; an ask with a due day shows then
    instead of after 14 days. To mark a favor done or declined, use netlog done or decline.

    Examples:
      netlog edit-favor f12 --due "next friday"
      netlog edit-favor f12 --due 3d
      netlog edit-favor f7 --date 2026-03-01 --weight 2 --what "intro to Sam"
    """
    from netlog import render
    from netlog.ledger import activity, write
    from netlog.storage.reader import reader_of

    number = favor_id(favor)
    today = dates.today()
    on = past_date(date, today=today, what="--date") if date else None
    if due is not None and no_due:
        raise typer.BadParameter("give --due or --no-due, not both", param_hint="--no-due")
    due_on = dates.parse_day_or_duration(due, today=today, what="--due") if due else None
    if on is None and description is None and weight is None and due is None and not no_due:
        raise typer.BadParameter("nothing to change: give at least one option", param_hint="edit-favor")
    with writing() as session:
        db = reader_of(session)
        found = activity.find_favor(db, number)
        write.update_favor(
            session, found, on=on, description=description, weight=weight, due=due_on, clear_due=no_due
        )
        result = activity.find_favor(db, number)
    if json_out:
        render.emit_json(result)
    else:
        when = f", due {result.due.isoformat()}" if result.due else ""
        render.say(
            f"Favor {favor_ref(number)} is now: {result.description} ({result.contact}, "
            f"{result.date.isoformat()}, weight {result.weight}{when})."
        )


@app.command("rm-touch", rich_help_panel=PANEL)
def rm_touch(touch: TouchArg, yes: YesOpt = False, json_out: JsonOpt = False) -> None:
    """Delete one touch you logged by mistake (netlog undo brings it back).

    Examples:
      netlog rm-touch t5
      netlog rm-touch t5 --yes
    """
    from netlog.ledger import activity, write

    number = touch_id(touch)
    _delete(
        yes,
        json_out,
        read=lambda db: activity.interaction_public(db, number),
        label=_touch_label,
        remove=lambda session: write.remove_touch(session, number),
    )


@app.command("rm-favor", rich_help_panel=PANEL)
def rm_favor(favor: FavorArg, yes: YesOpt = False, json_out: JsonOpt = False) -> None:
    """Delete one favor recorded by mistake (netlog undo brings it back).

    To close a promise or an ask that will not happen, decline it instead: that keeps it
    in their history.

    Examples:
      netlog rm-favor f12
      netlog rm-favor f12 --yes
    """
    from netlog.ledger import activity, write

    number = favor_id(favor)
    _delete(
        yes,
        json_out,
        read=lambda db: activity.find_favor(db, number),
        label=lambda f: f'favor {favor_ref(f.id)} "{f.description}" ({f.contact}, {f.date.isoformat()})',
        remove=lambda session: write.remove_favor(session, number),
    )


def _delete(
    yes: bool,
    json_out: bool,
    *,
    read: Callable[[Reader], Any],
    label: Callable[[Any], str],
    remove: Callable[[Session], None],
) -> None:
    """Show what goes, ask (on a terminal) or need --yes, delete it, print it as it was."""
    from netlog import render
    from netlog.storage.reader import reader_of

    with reading() as db:
        before = read(db)
    confirm_deletion(yes, f"Delete {label(before)}?")
    with writing() as session:
        read(reader_of(session))  # still there
        remove(session)
    if json_out:
        render.emit_json(before)
    else:
        render.say(f"Deleted {label(before)}.")


def _touch_label(touch: InteractionPublic) -> str:
    who = ", ".join(touch.contacts)
    return f"touch {touch_ref(touch.id)} ({touch.kind} on {touch.date.isoformat()} with {who})"
