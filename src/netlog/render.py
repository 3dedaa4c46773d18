"""All output: JSON for scripts, tables and profiles for people.

The only module that imports Rich. JSON never goes through Rich (it would wrap
and colour it): it is written with json.dumps straight to stdout.

Tables are laid out here (`grid`), not by Rich's Table: at a terminal every table fits
its width, each column giving way in its own order when there is no room (dropped,
cut short with "…", or moved to a line of its own under the row), never the name; a
row stays one line. Piped, nothing is cut or dropped and there is no colour, so grep
and pagers see everything. Colour marks what needs attention (late promises, what you
owe, relationships gone cold), always beside words that say the same; NO_COLOR is
honoured. Measuring every cell with Rich was most of the time of a large `list`.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from netlog.ids import favor_ref, touch_ref
from netlog.wording import count

LATE = "red"  # a promise past its due day, a balance you owe
WARM = "yellow"  # something to look at soon
GOOD = "green"


# What a terminal would act on rather than show: C0 and C1 controls (ESC starts the
# sequences that move the cursor, clear the screen or write the clipboard), DEL, and the
# line and paragraph separators. Tab and line feed are text.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Text for a person's terminal: every control character shown as an escape (\\x1b),
    never sent. All human output goes through here: names, notes, file names, echoed
    commands, whatever their source."""
    return _UNPRINTABLE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def _safe(value: Any) -> Any:
    """A str or Text with its control characters escaped (styles kept)."""
    if isinstance(value, Text):
        if not _UNPRINTABLE.search(value.plain):
            return value
        cleaned = value.copy()
        cleaned.plain = printable(value.plain)
        return cleaned
    return printable(value) if isinstance(value, str) else value


def emit_json(data: Any) -> None:
    """Write `data` as JSON to stdout: the machine-readable contract. Indented for a person
    at a terminal; compact when piped (json.dumps then runs in C, which matters for big
    outputs)."""
    from netlog import jsonable

    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(jsonable.dumps(data, indent=indent) + "\n")
    sys.stdout.flush()


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    # markup and emoji off: names and notes are the user's text, printed as typed
    # ("[red]" or ":smile:" in a note must not be read as styling).
    return Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")) or not terminal,
        width=None if terminal else 200,
        soft_wrap=not terminal,
    )


def error(message: str) -> None:
    console(stderr=True).print(Text(f"Error: {printable(message)}", style="bold red"))


def warn(message: str) -> None:
    console(stderr=True).print(Text(f"Warning: {printable(message)}", style="yellow"))


def note(message: str) -> None:
    """A remark about what happened, for people: stderr, so stdout stays data."""
    console(stderr=True).print(Text(printable(message), style="dim"))


def quote_text(value: str) -> str:
    """A user's text inside a message: quoted, control characters escaped."""
    from netlog.errors import quote

    return quote(value)


def say(message: str) -> None:
    """A one-line result of a command, on stdout."""
    console().print(Text(printable(message)))


@contextmanager
def progress(label: str, size: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for a large job (`size` > 0) on a terminal; `tick(done)`
    moves it. Elsewhere, a function that does nothing."""
    if size <= 0 or not sys.stderr.isatty():
        yield lambda done: None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=size)
        yield lambda done: bar.update(task, completed=min(done, size))


# --- tables ----------------------------------------------------------------------------------

Cell = str | Text
GAP = 2  # spaces between columns


@dataclass(frozen=True)
class Col:
    """A column, and how it gives way when the terminal is too narrow for all of them.

    `step` orders the giving way (1 first; 0 never). `action` is what giving way means:
    "drop" the column; "shrink" it (cut its cells with "…", down to `min`); "wrap" it
    (narrower, down to what fits 80 % of its cells or `min`, the longer cells going on
    over a second line: for names, which are never cut); or move it "below" the row, on
    a line of its own.
    """

    header: str
    step: int = 0
    action: str = "drop"
    right: bool = False
    min: int = 10


@dataclass
class Layout:
    shown: list[int]
    widths: list[int]
    below: int | None = None


def _plain(value: Cell) -> str:
    return value.plain if isinstance(value, Text) else value


def _one_line(value: Cell) -> Cell:
    """A cell on one line: a note's line breaks and tabs become spaces (a tab would throw
    the columns out; the note itself is whole in show and --json)."""
    plain = _plain(value)
    if "\n" not in plain and "\r" not in plain and "\t" not in plain:
        return value
    if isinstance(value, Text):
        flat = value.copy()
        flat.plain = " ".join(value.plain.split())
        return flat
    return " ".join(value.split())


def layout(cols: Sequence[Col], rows: Sequence[Sequence[Cell]], width: int) -> Layout:
    """Which columns to show at this terminal width, and how wide (see Col)."""
    rows = [[_safe(_one_line(cell)) for cell in row] for row in rows]
    lengths = [[cell_len(_plain(row[i])) for row in rows] for i in range(len(cols))]
    natural = [max([cell_len(col.header), *lengths[i]]) for i, col in enumerate(cols)]
    floors = []
    for i, col in enumerate(cols):
        floor = min(col.min, natural[i])
        if col.action == "wrap" and lengths[i]:
            ordered = sorted(lengths[i])
            # Wide enough for most cells, and for the longest word of any: a handle or a
            # word of a name goes on whole, never split.
            longest_word = max(cell_len(word) for row in rows for word in _plain(row[i]).split() or [""])
            floor = max(floor, ordered[(len(ordered) - 1) * 8 // 10], cell_len(col.header), longest_word)
        floors.append(floor)
    fit = Layout(list(range(len(cols))), list(natural))

    def excess() -> int:
        return sum(fit.widths[i] for i in fit.shown) + GAP * (len(fit.shown) - 1) - width

    for step in sorted({c.step for c in cols if c.step}):
        for i in [i for i in fit.shown if cols[i].step == step]:
            if excess() <= 0:
                return fit
            if cols[i].action in ("shrink", "wrap"):
                fit.widths[i] = max(floors[i], fit.widths[i] - excess())
            else:
                fit.shown.remove(i)
                if cols[i].action == "below":
                    fit.below = i
    # Still too wide (very long values): the columns that may be cut give more, down to
    # a few characters, before a line runs past the edge.
    for i in [i for i in fit.shown if cols[i].action == "shrink"]:
        if excess() > 0:
            fit.widths[i] = max(min(4, natural[i]), fit.widths[i] - excess())
    return fit


def _cell_lines(value: Cell, width: int, *, col: Col, out: Console) -> list[Text]:
    text = value.copy() if isinstance(value, Text) else Text(value)
    if text.cell_len > width:
        if col.action == "wrap":
            lines = list(text.wrap(out, width, overflow="fold"))
        else:
            text.truncate(width, overflow="ellipsis")
            lines = [text]
    else:
        lines = [text]
    padded = []
    for line in lines:
        pad = " " * (width - line.cell_len)
        padded.append(Text(pad) + line if col.right else line + Text(pad))
    return padded


def grid(
    cols: Sequence[Col],
    rows: Sequence[Sequence[Cell]],
    *,
    title: str | None = None,
    out: Console | None = None,
    fit: Layout | None = None,
) -> None:
    """Print a table that fits the terminal (see the module's docstring). Tables shown one
    after another (stale's circles) pass the `fit` of all their rows, to line up."""
    out = out or console()
    rows = [[_safe(_one_line(cell)) for cell in row] for row in rows]
    if not out.is_terminal:
        _plain_grid(cols, rows, title=title, out=out)
        return
    fit = fit or layout(cols, rows, out.width)
    gap = Text(" " * GAP)
    if title:
        out.print(Text(printable(title), style="bold"))
    head = gap.join(_cell_lines(cols[i].header, fit.widths[i], col=cols[i], out=out)[0] for i in fit.shown)
    head.stylize("bold")
    out.print(head, crop=False, overflow="ignore", no_wrap=True)
    out.print(gap.join(Text("─" * fit.widths[i]) for i in fit.shown), style="dim", no_wrap=True)
    for row in rows:
        cells = [_cell_lines(row[i], fit.widths[i], col=cols[i], out=out) for i in fit.shown]
        for n in range(max(len(c) for c in cells)):
            parts = [
                c[n] if n < len(c) else Text(" " * fit.widths[i])
                for c, i in zip(cells, fit.shown, strict=True)
            ]
            line = gap.join(parts)
            line.rstrip()
            out.print(line, crop=False, overflow="ignore", no_wrap=True)
        if fit.below is not None and row[fit.below]:
            extra = row[fit.below]
            style = (extra.style if isinstance(extra, Text) else "") or "dim"
            for part in textwrap.wrap(_plain(extra), max(20, out.width - 4)) or [""]:
                out.print(Text("    ") + Text(part, style=style), no_wrap=True)
    out.print()


def _plain_grid(
    cols: Sequence[Col], rows: Sequence[Sequence[Cell]], *, title: str | None, out: Console
) -> None:
    """Piped: every column, every character, plain text (fast for large lists)."""
    texts = [[c.plain if isinstance(c, Text) else c for c in row] for row in rows]
    widths = [max([cell_len(col.header)] + [cell_len(r[i]) for r in texts]) for i, col in enumerate(cols)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - cell_len(cell))
            parts.append(pad + cell if cols[i].right else cell + pad)
        return (" " * GAP).join(parts).rstrip()

    lines = ([title] if title else []) + [line([c.header for c in cols]), line(["-" * w for w in widths])]
    lines += [line(r) for r in texts]
    out.file.write("\n".join(lines) + "\n\n")
    out.file.flush()


def _name(step: int) -> Col:
    """The name column: never cut; at a narrow terminal, long names go on over two lines."""
    return Col("name", step=step, action="wrap", min=16)


def _d(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _signed(n: int) -> Text:
    return Text(f"{n:+d}", style=LATE if n < 0 else "")


def contacts_view(contacts: Sequence[Any], *, out: Console | None = None) -> None:
    cols = [
        _name(3),
        Col("handle", step=5),
        Col("circle", step=4),
        Col("org", step=1, action="shrink"),
        Col("last touch", step=2),
    ]
    grid(cols, [[c.name, c.handle, c.circle, c.org or "", _d(c.last_touch)] for c in contacts], out=out)


def _favor_label(direction: str, status: str) -> str:
    labels = {
        ("given", "done"): "gave",
        ("given", "promised"): "promised",
        ("given", "declined"): "withdrew",
        ("received", "done"): "received",
        ("received", "asked"): "asked",
        ("received", "declined"): "ask declined",
    }
    return labels.get((direction, status), f"{direction} ({status})")


def timeline_view(
    items: Iterable[tuple[str, Any]], *, title: str | None = None, out: Console | None = None
) -> None:
    rows: list[list[Cell]] = []
    for kind, record in items:
        if kind == "interaction":
            rows.append(
                [
                    _d(record.date),
                    record.kind,
                    ", ".join(record.contacts),
                    record.note or "",
                    touch_ref(record.id),
                ]
            )
            continue
        details = record.description
        if record.weight != 1:
            details += f" (weight {record.weight})"
        if record.due and record.status in ("promised", "asked"):
            details += f" (due {_d(record.due)})"
        if record.status == "done" and record.resolved_on and record.resolved_on != record.date:
            details += f" (done {_d(record.resolved_on)})"
        rows.append(
            [
                _d(record.date),
                _favor_label(record.direction, record.status),
                record.contact,
                details,
                favor_ref(record.id),
            ]
        )
    cols = [
        Col("date"),
        Col("what"),
        Col("who", step=1, action="wrap", min=12),
        Col("details", step=2, action="shrink", min=20),
        Col("id"),
    ]
    grid(cols, rows, title=title, out=out)


def _labelled(value: str, label: str | None, preferred: bool) -> str:
    notes = [note for note in (label, "preferred" if preferred else None) if note]
    return f"{value} ({', '.join(notes)})" if notes else value


def address_text(address: Any) -> str:
    """An address on one line: its parts, in the order a letter has them, by commas."""
    parts = (
        address.po_box, address.extended, address.street, address.locality,
        address.region, address.postcode, address.country,
    )  # fmt: skip
    return ", ".join(" ".join(part.split()) for part in parts if part)


def contact_panel(
    contact: Any,
    *,
    introduced: Sequence[str],
    balance: Any,
    today: date | None = None,
    strength: Any = None,
    intros: Sequence[Any] = (),
    knows: Sequence[Any] = (),
    wants: Sequence[Any] = (),
    yours: date | None = None,
) -> Any:
    """A contact's profile: a labelled field a line (a long value wraps beside its label),
    in a panel at a terminal, plain lines when piped. `yours`: on a team's ledger, your own
    last touch, said beside the team's when it differs (due and stale read yours)."""
    rows: list[tuple[str, str, str]] = []

    def field(label: str, value: Any, style: str = "") -> None:
        if value not in (None, "", []):
            rows.append((label, printable(str(value)), style))

    role = " at ".join(x for x in (contact.title, contact.org) if x)
    field("handle", contact.handle)
    field("nickname", contact.nickname)
    # The name's parts, when they are kept (as a file or `add --given ...` gave them).
    filed = [
        ("prefix", contact.name_prefix),
        ("given", contact.given_name),
        ("middle", contact.middle_name),
        ("family", contact.family_name),
        ("suffix", contact.name_suffix),
    ]
    field("name parts", "; ".join(f"{label} {value}" for label, value in filed if value))
    field("role", role)
    field("circle", contact.circle)
    field("source", contact.source)
    several = len(contact.email_addresses) > 1
    for email in contact.email_addresses:
        field("email", _labelled(email.address, email.label, several and email.preferred))
    several = len(contact.phone_numbers) > 1
    for phone in contact.phone_numbers:
        field("phone", _labelled(phone.number, phone.label, several and phone.preferred))
    field("location", contact.location)
    several = len(contact.addresses) > 1
    for address in contact.addresses:
        field("address", _labelled(address_text(address), address.label, several and address.preferred))
    several = len(contact.urls) > 1
    for link in contact.urls:
        field("link", _labelled(link.url, link.label, several and link.preferred))
    for event in contact.events:
        field(event.label, event.date)
    field("met on", _d(contact.met_on) if contact.met_on else None)
    field("introduced by", contact.via)
    field("introduced you to", ", ".join(introduced))
    field("cadence", f"every {contact.cadence_days} days" if contact.cadence_days else None)
    field("birthday", contact.birthday)
    field("tags", ", ".join(contact.tags))
    theirs = _d(contact.last_touch)
    if yours is not None and yours != contact.last_touch:
        theirs = f"{theirs} (the team's; yours {_d(yours)})"
    field("last touch", theirs)
    if contact.first_due:
        field("first due", f"{_d(contact.first_due)} (spread of an import, until you record something)")
    if contact.snoozed_until and (today is None or contact.snoozed_until > today):
        field("snoozed until", _d(contact.snoozed_until))
    field(
        "balance",
        f"{balance.balance:+d}  (gave {balance.given}, weight {balance.given_weight}; "
        f"received {balance.received}, weight {balance.received_weight})",
        LATE if balance.balance < 0 else "",
    )
    if strength is not None:
        stale = ", stale: a reason to reach out" if strength.stale else ""
        field("strength", f"{strength.strength} {strength.tie}{stale}  (netlog strength {contact.handle})")
    for item in intros:
        other = item.b if item.a == contact.handle else item.a
        field("introduced", f"to {other} on {item.date.isoformat()} ({item.outcome}, introduction {item.id})")
    for line in knows_lines(knows):
        field("knows", line)
    for want in wants:
        from netlog.ids import need_ref

        tags = f" [{', '.join(want.tags)}]" if want.tags else ""
        until = f", by {want.until.isoformat()}" if want.until else ""
        field(f"{want.kind}s", f"{want.text}{tags}{until} ({need_ref(want.id, want.kind)})")
    if contact.archived:
        field("archived", "yes")
    if not sys.stdout.isatty():  # piped: plain lines, never cut to a panel's width
        text = Text(printable(contact.name) + "\n", style="bold")
        for label, value, style in rows:
            text.append(f"{label:<19}", style="bold")
            text.append(f"{value}\n", style=style)
        if contact.notes:
            text.append("\n" + printable(contact.notes) + "\n")
        text.rstrip()
        return text
    from rich.console import Group
    from rich.table import Table

    grid_ = Table.grid(padding=(0, 2))
    grid_.add_column(style="bold", no_wrap=True)
    grid_.add_column(overflow="fold")
    for label, value, style in rows:
        grid_.add_row(label, Text(value, style=style))
    body: Any = Group(grid_, Text(""), Text(printable(contact.notes))) if contact.notes else grid_
    title = Text(printable(contact.name))  # a Text, not a str: Panel reads a str title as markup
    return Panel(body, title=title, title_align="left", box=box.ROUNDED, expand=False)


def settings_view(rows: Sequence[tuple[str, str, bool, str]], *, out: Console | None = None) -> None:
    cols = [Col("setting"), Col("value"), Col("", step=2), Col("meaning", step=1, action="shrink", min=20)]
    grid(
        cols,
        [[key, value, "(default)" if default else "", meaning] for key, value, default, meaning in rows],
        out=out,
    )


def journal_view(commands: Sequence[Any], *, out: Console | None = None) -> None:
    cols = [Col("when"), Col("command", step=1, action="shrink", min=20)]
    rows = [[c.created_at.strftime("%Y-%m-%d %H:%M"), f"netlog {c.command}"] for c in commands]
    grid(cols, rows, title="Recent commands (netlog undo takes back the first)", out=out)


def members_view(members: Sequence[Any], *, out: Console | None = None) -> None:
    cols = [Col("member", step=1, action="shrink", min=8)] + [
        Col(name, right=True) for name in ("touches", "favors", "intros", "ties", "needs", "commands")
    ]
    rows = [
        [
            f"{m.member} (you)" if m.you else m.member,
            *(str(n) for n in (m.touches, m.favors, m.introductions, m.ties, m.needs, m.commands)),
        ]
        for m in members
    ]
    grid(cols, rows, title="Members (who recorded what)", out=out)


# --- reports ---------------------------------------------------------------------------------


def _ago(days: int) -> str:
    return "today" if days == 0 else ("1 day ago" if days == 1 else f"{days} days ago")


def _when(day: date, as_of: date) -> str:
    delta = (day - as_of).days
    if delta == 0:
        return "today"
    if delta > 0:
        return f"in {delta} day{'s' if delta != 1 else ''}"
    return f"{-delta} day{'s' if delta != -1 else ''} late"


def due_view(report: Any, *, whose: str | None = None, out: Console | None = None) -> None:
    """`whose`: the member the list is for, or "the team", when it is not yours."""
    from netlog.ledger.rules import promise_is_late

    out = out or console()
    due = report.public
    if report.empty_ledger:
        out.print('Your ledger is empty. Start with: netlog add "Jane Doe" --org Acme --source work')
        return
    heading = due.as_of.strftime("%A %Y-%m-%d")
    if not report.anything:
        out.print(f"Nothing is due on {heading}.", style=GOOD)
        if report.next_due:
            name, day = report.next_due
            out.print(Text(f"Next up: {printable(name)}, {_when(day, due.as_of)} ({day.isoformat()})."))
        return
    out.print(Text(f"Due on {heading}" + (f", for {whose}" if whose else ""), style="bold"))
    out.print()
    if due.promises:
        rows = []
        for f in due.promises:
            if f.due:
                when = Text(
                    _when(f.due, due.as_of), style=LATE if promise_is_late(f.due, due.as_of) else WARM
                )
            else:
                when = Text(f"promised {_ago((due.as_of - f.date).days)}", style=LATE)
            rows.append([favor_ref(f.id), f.description, f.contact, when])
        cols = [
            Col("id"),
            Col("promise", step=1, action="shrink", min=16),
            Col("to", step=2, action="shrink"),
            Col("when"),
        ]
        grid(cols, rows, title=f"Promises {whose or 'you'} made", out=out)
    if due.asks:
        rows = [
            [favor_ref(f.id), f.description, f.contact, _ago((due.as_of - f.date).days)] for f in due.asks
        ]
        cols = [
            Col("id"),
            Col("ask", step=1, action="shrink", min=16),
            Col("of", step=2, action="shrink"),
            Col("asked"),
        ]
        grid(cols, rows, title="Asks to follow up (or decline)", out=out)
    if due.contacts:
        rows = []
        for c in due.contacts:
            spread = c.handle in report.spread
            days = f"{c.days_since} of {c.cadence_days}" if not spread else f"new, {c.cadence_days}"
            rows.append(
                [
                    c.name,
                    c.handle,
                    c.circle,
                    c.last_touch.isoformat(),
                    Text(days, style=LATE if c.overdue_ratio >= 2 and not spread else ""),
                    _signed(c.balance),
                    c.suggestion,
                ]
            )
        cols = [
            _name(3),
            Col("handle", step=2),
            Col("circle", step=5),
            Col("last touch", step=1),
            Col("days", right=True),
            Col("balance", right=True),
            Col("suggestion", step=4, action="below"),
        ]
        grid(cols, rows, title="People to contact", out=out)
    if due.birthdays:
        rows = []
        for b in due.birthdays:
            age = f", turns {b.age}" if b.age else ""
            rows.append([b.name, b.handle, b.date.strftime("%b %d"), _when(b.date, due.as_of) + age])
        cols = [_name(2), Col("handle", step=1), Col("birthday"), Col("when")]
        grid(cols, rows, title="Birthdays", out=out)


def balance_view(
    rows: Sequence[Any], totals: Any, *, whose: str | None = None, yours_on_team: bool = False,
    out: Console | None = None,
) -> None:  # fmt: skip
    """`whose`: whom the balance is for when not you (a member, "the team"); `yours_on_team`:
    yours, on a team's ledger, where teammates may have recorded favors of their own."""
    out = out or console()
    if not rows:
        if yours_on_team or (whose is not None and whose != "the team"):
            who = "You have" if whose is None else f"{whose} has"
            out.print(f"{who} no favors done with anyone yet: --team shows the team's balance.")
        else:
            out.print('No favors recorded yet. Give one with: netlog give CONTACT "what you did"')
        return
    states = {"owing": LATE, "one-sided": WARM, "ready to ask": GOOD}
    cells = [
        [
            r.name,
            r.handle,
            f"{r.given} (w{r.given_weight})",
            f"{r.received} (w{r.received_weight})",
            _signed(r.balance),
            Text(r.state, style=states.get(r.state, "")),
        ]
        for r in rows
    ]
    cols = [
        _name(2),
        Col("handle", step=1),
        Col("given", right=True),
        Col("received", right=True),
        Col("balance", right=True),
        Col("state"),
    ]
    grid(cols, cells, out=out)
    ratio = f"{totals.give_ask_ratio:g}:1" if totals.give_ask_ratio is not None else "no asks yet"
    out.print(
        f"Totals: gave {count(totals.gives, 'favor')} (weight {totals.given_weight}), asked "
        f"{totals.asks}; give:ask {ratio} (rule of thumb 4:1)."
    )


def contact_balance_view(row: Any, favors: Sequence[Any], *, out: Console | None = None) -> None:
    out = out or console()
    out.print(
        Text(f"{printable(row.name)} ({row.handle}): balance {row.balance:+d}, {row.state}", style="bold")
    )
    out.print(
        f"gave {row.given} (weight {row.given_weight}), received {row.received} "
        f"(weight {row.received_weight}); done favors only"
    )
    if favors:
        out.print()
        timeline_view((("favor", f) for f in favors), out=out)


def stale_view(rows: Sequence[Any], *, out: Console | None = None) -> None:
    out = out or console()
    if not rows:
        out.print("No relationship is going cold.", style=GOOD)
        return
    cols = [
        _name(4),
        Col("handle", step=2),
        Col("last touch", step=1),
        Col("days", right=True),
        Col("cadence", step=3, right=True),
        Col("what it was", step=5, action="shrink", min=14),
        Col("balance", right=True),
    ]
    cells = [
        [
            r.name,
            r.handle,
            r.last_touch.isoformat(),
            Text(str(r.days_since), style=WARM),
            f"{r.cadence_days}d",
            r.last_activity or "",
            _signed(r.balance),
        ]
        for r in rows
    ]
    fit = layout(cols, cells, out.width) if out.is_terminal else None  # one for every circle
    for circle in dict.fromkeys(r.circle for r in rows):
        mine = [row for row, r in zip(cells, rows, strict=True) if r.circle == circle]
        grid(cols, mine, title=f"{circle.capitalize()} circle", out=out, fit=fit)


def _bar(n: int, biggest: int, width: int = 30) -> str:
    return "█" * (round(n / biggest * width) if biggest else 0)


def stats_view(stats: Any, *, whose: str | None = None, out: Console | None = None) -> None:
    """`whose`: whom the figures are for when not you (a member's name, or "the team")."""
    out = out or console()
    data = stats.as_json()
    who, their = ("you", "your") if whose is None else (whose, f"{whose}'s")
    if whose is not None:
        out.print(Text(f"Stats for {whose}", style="bold"))
    contacts = data["contacts"]
    out.print(Text(count(contacts["total"], "contact"), style="bold"))
    for label, counts, shown in (("by circle", contacts["by_circle"], lambda v: True),
                                 ("by source", contacts["by_source"], bool)):  # fmt: skip
        line = f"  {label}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if shown(v))
        for part in textwrap.wrap(line, out.width if out.is_terminal else 10_000, subsequent_indent=" " * 13):
            out.print(part)
    out.print()
    weeks = data["touches_per_week"]
    biggest = max((w["touches"] for w in weeks), default=0)
    bars = [[w["week"], str(w["touches"]), Text(_bar(w["touches"], biggest), style="cyan")] for w in weeks]
    grid(
        [Col("week of"), Col("touches", right=True), Col("", step=1, action="shrink")],
        bars,
        title="Touches per week",
        out=out,
    )
    ratio = data["give_ask_ratio"]
    out.print(
        f"Give:ask ratio: {ratio:g}:1 ({data['gives']} given, {data['asks']} asked)"
        if ratio is not None
        else f"Give:ask ratio: no asks yet ({data['gives']} given)"
    )
    ft = data["follow_through"]
    out.print(
        f"Promises kept on time: {ft['kept_on_time']} of {ft['came_due']}"
        + (f" ({ft['ratio']:.0%})" if ft["ratio"] is not None else "")
    )
    for label, people in (
        (f"Who delivers on {their} asks", data["ask_follow_through"]["top"]),
        ("Who does not", data["ask_follow_through"]["bottom"]),
    ):
        if people:
            out.print()
            cells = [
                [
                    p["name"],
                    p["handle"],
                    str(p["done"]),
                    str(p["declined"]),
                    str(p["unanswered"]),
                    f"{p['ratio']:.0%}",
                ]
                for p in people
            ]
            cols = [
                _name(2),
                Col("handle", step=1),
                Col("done", right=True),
                Col("declined", right=True),
                Col("unanswered", right=True),
                Col("ratio", right=True),
            ]
            grid(cols, cells, title=label, out=out)
    intros = data["introductions"]
    share = f", {intros['connected_ratio']:.0%} connected" if intros["connected_ratio"] is not None else ""
    out.print(
        f"Introductions since {intros['since']}: {intros['made']} made ({intros['connected']} connected, "
        f"{intros['fizzled']} fizzled{share}), {intros['received']} received"
    )
    wants = data["needs"]
    out.print(
        f"Needs since {wants['since']}: {wants['noted']} noted, {wants['met']} met "
        f"({wants['met_by_you']} by {who}, {wants['met_through_introductions']} through {their} "
        f"introductions); {wants['offers']} offers noted"
    )
    streak = data["streak_weeks"]
    out.print(f"Streak: {count(streak, 'week')} in a row with a recorded touch.")


def health_view(health: Any) -> None:
    out = console()
    if health.ok:
        summary = "summary matches the rows" if health.summary_checked else "summary not checked (read-only)"
        out.print(
            f"The ledger is sound: integrity ok, foreign keys ok, {summary}; "
            f"{count(health.contacts, 'contact')}, schema version {health.schema_version}.",
            style=GOOD,
        )
        return
    for line in health.integrity:
        out.print(f"integrity: {line}")
    for line in health.foreign_keys:
        out.print(f"foreign key: {line}")
    for line in health.values:
        out.print(f"value: {line}")
    for line in health.summary:
        out.print(f"summary: {line}")
    if health.summary and not (health.integrity or health.foreign_keys or health.values):
        error("the per-contact summary is off (above): `netlog check --repair` rebuilds it.")
    else:
        error("the ledger has problems (above): restore a backup (`netlog backup` first keeps this state).")


# --- the network -------------------------------------------------------------------------


def introductions_view(found: Sequence[Any], *, out: Console | None = None) -> None:
    out = out or console()
    if not found:
        out.print("No introductions yet: netlog intro A B records one.")
        return
    cols = [
        Col("id", right=True),
        Col("date", step=2),
        Col("introduced", action="wrap", min=16),
        Col("outcome", step=3),
        Col("note", step=1, action="shrink", min=12),
    ]
    rows = [
        [
            str(i.id),
            i.date.isoformat(),
            f"{i.a} and {i.b}",
            Text(i.outcome, style=GOOD if i.outcome == "connected" else ""),
            i.note or "",
        ]
        for i in found
    ]
    grid(cols, rows, out=out)


def _strength_cell(record: Any) -> Text:
    style = GOOD if record.tie == "strong" else ("dim" if record.tie == "weak" else "")
    return Text(f"{record.strength} {record.tie}", style=style)


def strength_view(found: Sequence[Any], *, out: Console | None = None) -> None:
    out = out or console()
    if not found:
        out.print("No contacts yet: netlog add NAME.")
        return
    cols = [
        _name(5),
        Col("handle", step=2),
        Col("strength", right=False),
        Col("clos", right=True, step=4),
        Col("rec", right=True, step=4),
        Col("freq", right=True, step=4),
        Col("ten", right=True, step=3),
        Col("recip", right=True, step=3),
        Col("intro", right=True, step=3),
        Col("stale", step=1),
    ]
    rows = []
    for r in found:
        f = r.strength_factors
        points = [f.closeness, f.recency, f.frequency, f.tenure, f.reciprocity, f.introductions]
        rows.append(
            [
                r.name,
                r.handle,
                _strength_cell(r),
                *(f"{p:g}" for p in points),
                Text("yes", style=WARM) if r.stale else "",
            ]
        )
    grid(cols, rows, out=out)
    out.print(
        "Points of: closeness 30, recency 20, frequency 20, tenure 15, reciprocity 10, intros 5.",
        style="dim",
    )


def strength_detail(record: Any, basis: Any, *, out: Console | None = None) -> None:
    out = out or console()
    f, b = record.strength_factors, basis
    stale = Text(" stale: a reason to reach out", style=WARM) if record.stale else Text("")
    out.print(Text(f"{printable(record.name)} ({record.handle}): strength ") + _strength_cell(record) + stale)
    touches = "touch day" if b.touch_days == 1 else "touch days"
    lines = [
        ("closeness", f.closeness, 30, f"circle {b.circle}"),
        ("recency", f.recency, 20, f"last touch {_ago(b.days_since)}, cadence {b.cadence_days} days"),
        ("frequency", f.frequency, 20, f"{b.touch_days} {touches} in the last 365"),
        ("tenure", f.tenure, 15, f"known {b.years_known:g} years"),
        ("reciprocity", f.reciprocity, 10, f"weight given {b.given_weight}, received {b.received_weight}"),
        ("introductions", f.introductions, 5, f"{b.introductions} between you and others"),
    ]
    for name, points, most, why in lines:
        out.print(f"  {name:<14}{points:>5g} of {most:<3} {printable(why)}", highlight=False)


def knows_lines(found: Sequence[Any], *, limit: int = 10) -> list[str]:
    """Whom someone knows, a line each, for their profile."""
    lines = [
        f"{k.name} ({k.handle}), {k.strength}: " + "; ".join(e.text for e in k.evidence)
        for k in found[:limit]
    ]
    if len(found) > limit:
        lines.append(f"and {len(found) - limit:,} more: netlog show --json lists all")
    return lines


def _indented(out: Console) -> Callable[..., None]:
    """A printer of lines indented under an item, wrapped at the terminal's width (a
    longer line goes on, indented further); piped, whole lines."""
    width = out.width if out.is_terminal else 0

    def lines(text: str, style: str = "") -> None:
        parts = textwrap.wrap(printable(text), width - 3, subsequent_indent="  ") if width > 20 else [text]
        for part in parts or [""]:
            out.print(Text("   ") + Text(part, style=style), highlight=False, no_wrap=True, crop=False)

    return lines


def paths_view(found: Sequence[Any], *, out: Console | None = None) -> None:
    out = out or console()
    if not found:
        out.print("No path found.")
        return
    lines = _indented(out)

    for n, p in enumerate(found, 1):
        people = " → ".join([h.from_ for h in p.hops] + [p.hops[-1].to])
        head = Text(f"{n}. {printable(people)}  ", style="bold") + Text(f"strength {p.strength}")
        out.print(head, highlight=False)
        for hop in p.hops:
            for e in hop.evidence:
                lines(e.text, "dim")
        lines(p.advice)
    out.print()


def met_by_words(met_by: str | None) -> str:
    """` by you`, ` by bob-stone`, or nothing when no one is said."""
    return {None: "", "me": " by you"}.get(met_by, f" by {met_by}")


def needs_view(
    found: Sequence[Any], *, kind: str, filtered: bool = False, out: Console | None = None
) -> None:
    from netlog.ids import need_ref

    out = out or console()
    if not found:
        out.print(
            f"No {kind}s match: netlog {kind}s lists them all."
            if filtered
            else f'No {kind}s: netlog {kind} CONTACT "what" notes one.'
        )
        return
    # Whether it is still open always shows: the text wraps first, then the tags shrink,
    # then the day goes, and names wrap last.
    cols = [
        Col("id", right=True),
        Col("whose", step=4, action="wrap", min=10),
        Col(kind, step=1, action="wrap", min=16),
        Col("tags", step=2, action="shrink", min=8),
        Col("status"),
        Col("day", step=3),
    ]

    def day(n: Any) -> str:
        if n.status == "met":
            return f"met {_d(n.met_on)}{met_by_words(n.met_by)}"
        if n.status == "dropped":
            return f"dropped {_d(n.dropped_on)}"
        return f"by {_d(n.until)}" if n.until else f"since {_d(n.created_on)}"

    rows = [
        [
            need_ref(n.id, n.kind),
            "you" if n.contact == "me" else (n.name or n.contact),
            n.text,
            ", ".join(n.tags),
            Text(n.status, style=GOOD if n.status == "met" else ("dim" if n.status != "open" else "")),
            day(n),
        ]
        for n in found
    ]
    grid(cols, rows, out=out)


def matches_view(found: Sequence[Any], *, out: Console | None = None) -> None:
    from netlog.ids import need_ref

    out = out or console()
    if not found:
        out.print(
            "No open need matches an open offer of someone else: netlog need and netlog offer note "
            "what people need and can give."
        )
        return
    lines = _indented(out)

    for n, m in enumerate(found, 1):
        need_side = "you" if m.need.contact == "me" else m.need.name
        offer_side = "you" if m.offer.contact == "me" else m.offer.name
        head = Text(f"{n}. {printable(need_side)} ← {printable(offer_side)}  ", style="bold")
        out.print(head + Text(f"score {m.score:g}"), highlight=False)
        lines(f"needs: {m.need.text} ({need_ref(m.need.id, 'need')})")
        lines(f"offers: {m.offer.text} ({need_ref(m.offer.id, 'offer')})")
        for reason in m.reasons:
            lines(reason.text, "dim")
        lines(f"{m.advice}; to ask:" if m.action == "ask" else f"{m.advice}:")
        # The command whole on a line of its own, never wrapped or cut (the terminal may fold
        # it on screen; it copies as one line): it is there to be copied.
        out.print(Text("     " + printable(m.command)), highlight=False, soft_wrap=True)
    out.print()
