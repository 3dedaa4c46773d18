"""Contact commands: add, edit, tag, archive, unarchive, rm, list, show."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from netlog import dates
from netlog.cli.app import app
from netlog.cli.common import ContactArg, JsonOpt, interactive, past_date, reading, writing
from netlog.ids import favor_ref
from netlog.vocab import Circle, SortOrder, Source
from netlog.wording import count

PANEL = "Contacts"

EmailOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--email", "-e", metavar="[LABEL:]EMAIL", help="Email address, e.g. work:jane@acme.com (repeatable)."
    ),
]
PhoneOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--phone", metavar="[LABEL:]NUMBER", help="Phone number, e.g. mobile:+44 20 7946 0000 (repeatable)."
    ),
]
AddressOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--address",
        metavar="[LABEL:]ADDRESS",
        help='Postal address as "street; town; region; postcode; country" (repeatable).',
    ),
]
EventOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--event", metavar="LABEL:DATE", help="A date to remember, e.g. anniversary:2015-06-20 (repeatable)."
    ),
]
OrgOpt = Annotated[str | None, typer.Option(help="Organisation they work for.")]
TitleOpt = Annotated[str | None, typer.Option(help="Job title or role.")]
LocationOpt = Annotated[str | None, typer.Option(help="Where they live or work.")]
SourceOpt = Annotated[Source | None, typer.Option(help="Where you know them from.", case_sensitive=False)]
ViaOpt = Annotated[str | None, typer.Option(metavar="CONTACT", help="The contact who introduced you.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeat for several).")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free notes about them.")]
CadenceOpt = Annotated[
    str | None,
    typer.Option(metavar="DURATION", help="How often to keep in touch, e.g. 30d, 6w, 3m."),
]
UrlOpt = Annotated[
    list[str] | None,
    typer.Option("--url", metavar="[LABEL:]URL", help="A link, e.g. linkedin:https://... (repeatable)."),
]
GivenOpt = Annotated[str | None, typer.Option("--given", metavar="TEXT", help="Given (first) name.")]
MiddleOpt = Annotated[str | None, typer.Option("--middle", metavar="TEXT", help="Middle name(s).")]
PrefixOpt = Annotated[str | None, typer.Option("--prefix", metavar="TEXT", help="Before the name: Dr., Ms.")]
SuffixOpt = Annotated[str | None, typer.Option("--suffix", metavar="TEXT", help="After the name: Jr., PhD.")]
FamilyOpt = Annotated[
    str | None, typer.Option("--family", metavar="TEXT", help="Family name (may be several words).")
]
NicknameOpt = Annotated[str | None, typer.Option("--nickname", metavar="TEXT", help="What they are called.")]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Even if an email or profile link belongs to someone else.")
]
BirthdayOpt = Annotated[str | None, typer.Option(metavar="MM-DD|YYYY-MM-DD", help="Birthday, year optional.")]


class Clearable(str, Enum):
    phone = "phone"
    phones = "phones"
    org = "org"
    title = "title"  # type: ignore[assignment]  # the field, not str.title
    location = "location"
    notes = "notes"
    url = "url"
    urls = "urls"
    address = "address"
    addresses = "addresses"
    event = "event"
    events = "events"
    source = "source"
    via = "via"
    met = "met"
    cadence = "cadence"
    birthday = "birthday"
    emails = "emails"
    email = "email"  # as the option is spelled (--email): the same as emails
    tags = "tags"
    tag = "tag"
    given = "given"
    middle = "middle"
    family = "family"
    prefix = "prefix"
    suffix = "suffix"
    nickname = "nickname"


@app.command(rich_help_panel=PANEL)
def add(
    name: Annotated[str, typer.Argument(help="Their full name.", show_default=False)],
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    org: OrgOpt = None,
    title: TitleOpt = None,
    location: LocationOpt = None,
    circle: Annotated[Circle, typer.Option(help="How close they are.", case_sensitive=False)] = Circle.active,
    source: SourceOpt = None,
    via: ViaOpt = None,
    met: Annotated[str | None, typer.Option(metavar="DATE", help="When you met (default: today).")] = None,
    tag: TagOpt = None,
    note: NoteOpt = None,
    cadence: CadenceOpt = None,
    birthday: BirthdayOpt = None,
    url: UrlOpt = None,
    address: AddressOpt = None,
    event: EventOpt = None,
    given: GivenOpt = None,
    middle: MiddleOpt = None,
    family: FamilyOpt = None,
    prefix: PrefixOpt = None,
    suffix: SuffixOpt = None,
    nickname: NicknameOpt = None,
    no_meet: Annotated[
        bool, typer.Option("--no-meet", help="Don't record a first meeting on --met.")
    ] = False,
    force: ForceOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Record someone you just met, and your first meeting with them.

    An email or profile link that already belongs to someone is refused (the same person,
    most likely): update them with netlog edit, or add anyway with --force.

    Examples:
      netlog add "Jane Doe" --org Acme --title CTO --source work --via sam
      netlog add "Ravi Patel" --circle close --met "last friday" --tag climate
      netlog add "Dr. Lee" --source service --cadence 1y --no-meet
      netlog add "Seán Ó Briain" --given Seán --family "Ó Briain" --nickname Shay
      netlog add "Kim Lee" --phone "mobile:+44 20 7946 0000" -e work:kim@acme.com
    """
    from dataclasses import replace

    from netlog import render
    from netlog.ledger import card, contacts, write
    from netlog.ledger.values import check_name
    from netlog.storage.reader import reader_of

    today = dates.today()
    # Without a meeting and without --met, you have not met them (yet): no met_on.
    met_on = past_date(met, today=today, what="--met") if met or not no_meet else None
    cadence_days = dates.parse_duration_days(cadence) if cadence is not None else None
    born = dates.parse_birthday(birthday, today=today) if birthday is not None else None
    check_name(name)
    typed_addresses = [card.typed_address(a) for a in address or ()]
    if location is None:  # where they are, as an import takes it from a card's addresses
        from netlog.formats.vcard_write import location_from

        location = next((place for place in map(location_from, typed_addresses) if place), None)

    with reading(create=True) as db:  # the ledger starts with the first add, even a failed one
        new = write.checked(
            write.NewContact(
                name=name,
                email_addresses=[card.typed_email(e) for e in email or ()],
                phone_numbers=[card.typed_phone(p) for p in phone or ()],
                urls=[card.typed_url(u) for u in url or ()],
                addresses=typed_addresses,
                events=[card.typed_event(e) for e in event or ()],
                tags=tag or (),
                org=org,
                title=title,
                location=location,
                notes=note,
                circle=circle.value,
                source=source.value if source else None,
                met_on=met_on,
                cadence_days=cadence_days,
                birthday=born,
                given_name=given,
                middle_name=middle,
                family_name=family,
                name_prefix=prefix,
                name_suffix=suffix,
                nickname=nickname,
            )
        )
        if via:
            contacts.resolve_contact(db, via)  # fail before asking anything
        if not force:
            contacts.refuse_claimed(contacts.claimed(db, emails=new.emails, url=new.url))
        namesakes = contacts.same_name(db, name)
    handles = ", ".join(c.handle for c in namesakes)
    ask_first = bool(namesakes) and interactive() and not json_out
    if ask_first and not typer.confirm(f"{name} is already in your ledger ({handles}). Add another?"):
        raise typer.Abort()

    with writing(create=True) as session:
        db = reader_of(session)
        introducer = contacts.resolve_contact(db, via) if via else None
        added = write.add_contacts(session, [replace(new, via_id=introducer.id if introducer else None)])[0]
        if met_on is not None and not no_meet:
            write.record_touches(session, [write.NewTouch(met_on, [added.id], "meeting")])
        result = contacts.contact_public(db, added.id)

    if namesakes and not ask_first:
        render.note(f"{name} was already in your ledger ({handles}); added as {result.handle}.")
    if json_out:
        render.emit_json(result)
    else:
        render.say(f"Added {result.name} as {result.handle}.")


@app.command(rich_help_panel=PANEL)
def edit(
    contact: ContactArg,
    name: Annotated[str | None, typer.Option(help="New name (the handle stays).")] = None,
    handle: Annotated[str | None, typer.Option(help="New handle, e.g. jane-d.")] = None,
    email: Annotated[
        list[str] | None,
        typer.Option(
            "--email", "-e", metavar="[LABEL:]EMAIL", help="Add an email, or label one (repeatable)."
        ),
    ] = None,
    phone: PhoneOpt = None,
    org: OrgOpt = None,
    title: TitleOpt = None,
    location: LocationOpt = None,
    circle: Annotated[Circle | None, typer.Option(help="How close they are.", case_sensitive=False)] = None,
    source: SourceOpt = None,
    via: ViaOpt = None,
    met: Annotated[str | None, typer.Option(metavar="DATE", help="When you met.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Add a tag (repeatable).")] = None,
    note: NoteOpt = None,
    cadence: CadenceOpt = None,
    birthday: BirthdayOpt = None,
    url: UrlOpt = None,
    address: AddressOpt = None,
    event: EventOpt = None,
    given: GivenOpt = None,
    middle: MiddleOpt = None,
    family: FamilyOpt = None,
    prefix: PrefixOpt = None,
    suffix: SuffixOpt = None,
    nickname: NicknameOpt = None,
    clear: Annotated[
        list[Clearable] | None,
        typer.Option(help="Empty a field (repeatable); applied before additions.", case_sensitive=False),
    ] = None,
    force: ForceOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Change a contact's details. Options you leave out stay as they are.

    --email, --phone, --url, --address, --event and --tag add to what is there (a phone,
    link or address you give becomes the preferred one); use --clear phones (or emails,
    urls, addresses, events, tags) to replace them.

    Examples:
      netlog edit jane --org Globex --title "VP Engineering"
      netlog edit jane --circle close --cadence 3w
      netlog edit jane --clear emails --email work:jane@globex.com
      netlog edit jane --phone "mobile:+49 170 555 0199"
      netlog edit jane --address "work: 1 Main St; Berlin; ; 10115; Germany"
    """
    from netlog import render
    from netlog.ledger import card, contacts, write
    from netlog.storage.reader import reader_of

    today = dates.today()
    changes: dict[str, object] = {}
    for field in clear or []:
        key = {
            "met": "met_on",
            "cadence": "cadence_days",
            "email": "emails",
            "tag": "tags",
            "phones": "phone",
            "urls": "url",
            "address": "addresses",
            "event": "events",
            "given": "given_name",
            "middle": "middle_name",
            "family": "family_name",
            "prefix": "name_prefix",
            "suffix": "name_suffix",
        }.get(field.value, field.value)
        changes[key] = [] if key in ("emails", "tags", "addresses", "events") else None
    entries: dict[str, list[Any]] = {
        "email_addresses": [card.typed_email(e) for e in email or ()],
        "phone_numbers": [card.typed_phone(p) for p in phone or ()],
        "urls": [card.typed_url(u) for u in url or ()],
        "addresses": [card.typed_address(a) for a in address or ()],
        "events": [card.typed_event(e) for e in event or ()],
    }
    emails = [e.address for e in entries["email_addresses"]]
    links = [u.url for u in entries["urls"]]
    for key, value in (
        ("name", name),
        ("handle", handle),
        ("org", org),
        ("title", title),
        ("location", location),
        ("notes", note),
        ("given_name", given),
        ("middle_name", middle),
        ("family_name", family),
        ("name_prefix", prefix),
        ("name_suffix", suffix),
        ("nickname", nickname),
    ):
        if value is not None:
            changes[key] = value
    if circle is not None:
        changes["circle"] = circle.value
    if source is not None:
        changes["source"] = source.value
    if met is not None:
        changes["met_on"] = past_date(met, today=today, what="--met")
    if cadence is not None:
        changes["cadence_days"] = dates.parse_duration_days(cadence)
    if birthday is not None:
        changes["birthday"] = dates.parse_birthday(birthday, today=today)
    if not changes and not any(entries.values()) and not tag and via is None:
        raise typer.BadParameter("nothing to change: give at least one option", param_hint="edit")

    with writing() as session:
        db = reader_of(session)
        target = contacts.resolve_contact(db, contact)
        if not force:
            claims = contacts.claimed(
                db, emails=emails, url=links[0] if links else None, other_than=target.id
            )
            contacts.refuse_claimed(claims, editing=target)
        if via is not None:
            changes["via"] = contacts.resolve_contact(db, via)
        if (
            entries["addresses"]
            and "location" not in changes
            and not db.scalar("SELECT location FROM contact WHERE id = :i", {"i": target.id})
        ):
            from netlog.formats.vcard_write import location_from

            place = next((p for p in map(location_from, entries["addresses"]) if p), None)
            if place:
                changes["location"] = place
        write.update_contact(session, target.id, changes)
        emails_given = {"email_addresses": entries["email_addresses"]}
        write.add_entries(session, target.id, emails_given, relabel=True)
        others = {kind: items for kind, items in entries.items() if kind != "email_addresses"}
        write.add_entries(session, target.id, others, prefer=True, relabel=True)
        if tag:
            write.change_tags(session, target.id, add=tag)
        result = contacts.contact_public(db, target.id)

    if json_out:
        render.emit_json(result)
    else:
        render.say(f"Updated {result.name} ({result.handle}).")


@app.command(
    rich_help_panel=PANEL,
    context_settings={"ignore_unknown_options": True},
)
def tag(
    contact: ContactArg,
    changes: Annotated[
        list[str],
        typer.Argument(metavar="[+|-]TAG...", help="+tag or tag adds it, -tag removes it."),
    ],
    json_out: JsonOpt = False,
) -> None:
    """Add and remove a contact's tags.

    Examples:
      netlog tag jane +investor +climate
      netlog tag jane -recruiter
      netlog tag jane +-odd   (adds the tag "-odd")
    """
    from netlog import render
    from netlog.ledger import contacts, write
    from netlog.ledger.names import normalise_tag
    from netlog.storage.reader import reader_of

    adds = [c[1:] if c.startswith("+") else c for c in changes if not c.startswith("-")]
    removes = [c[1:] for c in changes if c.startswith("-")]
    if not all(normalise_tag(t) for t in adds + removes):
        raise typer.BadParameter("a tag can't be empty: write +tag or -tag", param_hint="TAG")
    with writing() as session:
        db = reader_of(session)
        target = contacts.resolve_contact(db, contact)
        absent = {normalise_tag(t) for t in removes} - contacts.tags_of(db, target.id)
        write.change_tags(session, target.id, add=adds, remove=removes)
        write.update_contact(session, target.id, {})
        result = contacts.contact_public(db, target.id)
    for name in sorted(absent):
        render.note(f"{result.name} had no tag {name!r}: nothing to remove.")
    if json_out:
        render.emit_json(result)
    else:
        shown = ", ".join(result.tags) or "no tags"
        render.say(f"{result.name} ({result.handle}): {shown}.")


def _set_archived(contact: str, archived: bool, json_out: bool) -> None:
    from netlog import render
    from netlog.ledger import activity, contacts, write
    from netlog.storage.reader import reader_of

    with writing() as session:
        db = reader_of(session)
        target = contacts.resolve_contact(db, contact)
        already = target.archived == archived
        write.update_contact(session, target.id, {"archived": archived})
        result = contacts.contact_public(db, target.id)
        owed = activity.open_promises(db, target.id) if archived else []
    for favor in owed:
        due = f", due {favor.due.isoformat()}" if favor.due else ""
        ref = favor_ref(favor.id)
        render.warn(
            f'you still owe {result.name} "{favor.description}" ({ref}{due}): it stays in '
            f"netlog due until you keep it (netlog done {ref}) or withdraw it (netlog decline {ref})."
        )
    if json_out:
        render.emit_json(result)
    elif already:
        state = "archived" if archived else "not archived"
        render.say(f"{result.name} ({result.handle}) was already {state}.")
    else:
        verb = "Archived" if archived else "Unarchived"
        render.say(f"{verb} {result.name} ({result.handle}).")


@app.command(rich_help_panel=PANEL)
def archive(contact: ContactArg, json_out: JsonOpt = False) -> None:
    """Hide a contact from lists and reports, keeping their history.

    Examples:
      netlog archive jane
    """
    _set_archived(contact, True, json_out)


@app.command(rich_help_panel=PANEL)
def unarchive(contact: ContactArg, json_out: JsonOpt = False) -> None:
    """Bring an archived contact back.

    Examples:
      netlog unarchive jane
    """
    _set_archived(contact, False, json_out)


@app.command(rich_help_panel=PANEL)
def rm(
    contact: ContactArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Don't ask for confirmation.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Delete a contact, their favors, and interactions no one else was part of.

    Examples:
      netlog rm "Jane Doe"
      netlog rm jane-doe-2 --yes
    """
    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.ledger import contacts, write
    from netlog.storage.reader import reader_of

    if not yes:
        if not interactive():
            raise InvalidValue("rm deletes history: add --yes to confirm when not at a terminal.")
        with reading() as db:
            target = contacts.resolve_contact(db, contact)
            preview = contacts.removal_preview(db, target.id)
        prompt = (
            f"Delete {target.name} ({target.handle}) with {count(preview.favors, 'favor')} and "
            f"{count(preview.interactions, 'interaction')} no one else was part of?"
        )
        if preview.introduced:
            prompt += f" ({count(preview.introduced, 'contact')} they introduced will keep no introducer.)"
        if preview.needs:
            prompt += f" (Their {count(preview.needs, 'need or offer')} go too.)"
        if not typer.confirm(prompt):
            raise typer.Abort()
    with writing() as session:
        db = reader_of(session)
        target = contacts.resolve_contact(db, contact)
        before = contacts.contact_public(db, target.id)
        removed = write.remove_contact(session, target.id)
    if json_out:
        render.emit_json(before)
    else:
        render.say(
            f"Deleted {before.name} ({before.handle}), {count(removed.favors, 'favor')} and "
            f"{count(removed.interactions, 'interaction')}."
        )
        if removed.introduced:
            verb = "has" if removed.introduced == 1 else "have"
            render.note(f"{count(removed.introduced, 'contact')} they introduced {verb} no introducer now.")
        if removed.needs:
            render.note(f"Their {count(removed.needs, 'need or offer')} went with them.")


@app.command("list", rich_help_panel=PANEL)
def list_(
    circle: Annotated[Circle | None, typer.Option(help="Only this circle.", case_sensitive=False)] = None,
    source: Annotated[Source | None, typer.Option(help="Only this source.", case_sensitive=False)] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Only with this tag (repeat: all).")
    ] = None,
    org: Annotated[str | None, typer.Option(help="Organisation contains this text.")] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", help="Name, org, title, notes, email, phone, address or link contains this."
        ),
    ] = None,
    archived: Annotated[bool, typer.Option("--archived", help="List archived contacts.")] = False,
    sort: Annotated[
        SortOrder, typer.Option(help="Order of the list.", case_sensitive=False)
    ] = SortOrder.name,
    limit: Annotated[int | None, typer.Option(min=1, max=1_000_000, help="At most this many.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """List contacts, with filters.

    Examples:
      netlog list
      netlog list --circle inner --sort last
      netlog list --tag investor --json | jq -r '.[].handle'
    """
    from netlog import render
    from netlog.ledger import contacts

    flt = contacts.ContactFilter(
        circle=circle.value if circle else None,
        source=source.value if source else None,
        tags=tag or (),
        org=org,
        search=search,
        archived=archived,
    )
    with reading() as db:
        rows = contacts.list_contacts(db, flt, sort=sort.value, limit=limit, as_json=json_out)
    if json_out:
        render.emit_json(rows)
    elif not rows:
        if archived:
            render.note("No archived contacts match.")
        elif any(vars(flt).values()):
            render.note("No contacts match (archived ones are listed with --archived).")
        else:
            render.note(_EMPTY)
    else:
        render.contacts_view(rows)


_EMPTY = 'Your ledger is empty. Start with: netlog add "Jane Doe" --org Acme --source work'


@app.command(rich_help_panel=PANEL)
def show(
    contact: ContactArg,
    limit: Annotated[
        int, typer.Option(min=0, max=1_000_000, help="Timeline items to show, newest first (0: all).")
    ] = 20,
    json_out: JsonOpt = False,
) -> None:
    """A contact's profile, balance of favors, and timeline.

    Examples:
      netlog show jane
      netlog show jane --limit 0 --json | jq '.timeline[] | select(.weight > 1)'
    """
    from netlog import render
    from netlog.ledger import activity, contacts, needs, network
    from netlog.ledger.rules import load_rules
    from netlog.public import public_dict

    with reading() as db:
        target = contacts.resolve_contact(db, contact)
        profile = contacts.contact_public(db, target.id)
        introduced = contacts.introduced_by(db, target.id)
        balance = activity.balance_of(db, target.id)
        yours = activity.your_last_touch(db, target.id) if db.shared else None
        r = load_rules(db, dates.today())
        tie = network.tie_of(db, r, target.id).record
        intros = network.introductions(db, contact_id=target.id)
        knows = network.knows_of(db, r, target.id)
        wants = needs.list_needs(db, kind=None, as_of=r.as_of, contact_id=target.id, open_only=True)
        items = activity.timeline(
            db, activity.TimelineQuery(contact_id=target.id, limit=limit or None, newest_first=True)
        )
        total = activity.timeline_size(db, target.id)
    if json_out:
        data = public_dict(profile)
        data["introduced"] = introduced
        data["balance"] = public_dict(balance)
        data["timeline"] = [{"type": kind, **public_dict(record)} for kind, record in items]
        data["strength"] = tie.strength
        data["strength_factors"] = tie.strength_factors
        data["introductions"] = intros
        data["knows"] = knows
        data["needs"] = [w for w in wants if w.kind == "need"]
        data["offers"] = [w for w in wants if w.kind == "offer"]
        render.emit_json(data)
        return
    render.console().print(
        render.contact_panel(
            profile,
            introduced=introduced,
            balance=balance,
            today=dates.today(),
            strength=tie,
            intros=intros,
            knows=knows,
            wants=wants,
            yours=yours,
        )
    )
    if items:
        render.timeline_view(items, title="Timeline (newest first)")
    if total > len(items):
        render.note(f"{count(total - len(items), 'older item')} not shown: --limit 0 shows all.")
