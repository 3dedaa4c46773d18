"""All output: JSON for scripts, Rich tables and panels for people.

The only module that imports Rich. JSON never goes through Rich (it would wrap
and colour it): it is written with json.dumps straight to stdout. Rich honours
NO_COLOR and drops colour when stdout is not a terminal; tables then use plain
ASCII rules so piped output stays readable in any pager or log.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from netlog.ids import favor_ref, touch_ref
from netlog.wording import count


def emit_json(data: Any) -> None:
    """Write `data` as JSON to stdout: the machine-readable contract. Indented for a person
    at a terminal; compact when piped (json.dumps then runs in C, which matters for big
    outputs)."""
    from netlog.jsonable import plain

    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(plain(data), ensure_ascii=False, indent=indent) + "\n")
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
    console(stderr=True).print(Text(f"Error: {message}", style="bold red"))


def warn(message: str) -> None:
    console(stderr=True).print(Text(f"Warning: {message}", style="yellow"))


def note(message: str) -> None:
    """A remark about what happened, for people: stderr, so stdout stays data."""
    console(stderr=True).print(Text(message, style="dim"))


def quote_text(value: str) -> str:
    """A user's text inside a message: quoted, control characters escaped."""
    from netlog.errors import quote

    return quote(value)


def say(message: str) -> None:
    """A one-line result of a command, on stdout."""
    console().print(Text(message))


# Columns that must never wrap: a handle or a date cut in two is misread.
_NO_WRAP = {
    "handle",
    "date",
    "last touch",
    "id",
    "days",
    "cadence",
    "balance",
    "due",
    "week of",
    "touches",
    "when",
    "birthday",
    "asked",
    "circle",
    "given",
    "received",
    "what",
    "ratio",
    "done",
    "declined",
    "unanswered",
    "value",
    "setting",
    "to",
    "of",
}


@contextmanager
def progress(label: str, size: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for a large job (`size` > 0) on a terminal; `tick(done)`
    moves it. Elsewhere, a function that does nothing."""
    if size <= 0 or not sys.stderr.isatty():
        yield lambda done: None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), TaskProgressColumn(),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task(label, total=size)
        yield lambda done: bar.update(task, completed=min(done, size))


def _table(*columns: str, title: str | None = None) -> Table:
    terminal = sys.stdout.isatty()
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD if terminal else box.ASCII2,
        header_style="bold" if terminal else "",
        title_justify="left",
        show_edge=terminal,
    )
    for column in columns:
        table.add_column(column, no_wrap=column in _NO_WRAP)
    return table


def print_table(table: Table) -> None:
    console().print(table)


def _d(value: date | None) -> str:
    return value.isoformat() if value else "-"


def contacts_table(contacts: Sequence[Any]) -> Table:
    table = _table("handle", "name", "circle", "org", "last touch")
    for c in contacts:
        table.add_row(c.handle, c.name, c.circle, c.org or "", _d(c.last_touch))
    return table


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


def timeline_table(items: Iterable[tuple[str, Any]], *, title: str | None = None) -> Table:
    table = _table("date", "what", "who", "details", "id", title=title)
    for kind, record in items:
        if kind == "interaction":
            table.add_row(
                _d(record.date),
                record.kind,
                ", ".join(record.contacts),
                record.note or "",
                touch_ref(record.id),
            )
        else:
            details = record.description
            if record.weight != 1:
                details += f" (weight {record.weight})"
            if record.due and record.status == "promised":
                details += f" (due {_d(record.due)})"
            table.add_row(
                _d(record.date),
                _favor_label(record.direction, record.status),
                record.contact,
                details,
                favor_ref(record.id),
            )
    return table


def contact_panel(contact: Any, *, introduced: Sequence[str], balance: Any) -> Panel | Text:
    lines = Text()

    def field(label: str, value: Any) -> None:
        if value not in (None, "", []):
            lines.append(f"{label:<19}", style="bold")
            lines.append(f"{value}\n")

    role = " at ".join(x for x in (contact.title, contact.org) if x)
    field("handle", contact.handle)
    field("role", role)
    field("circle", contact.circle)
    field("source", contact.source)
    field("emails", ", ".join(contact.emails))
    field("phone", contact.phone)
    field("location", contact.location)
    field("link", contact.url)
    field("met on", _d(contact.met_on) if contact.met_on else None)
    field("introduced by", contact.via)
    field("introduced you to", ", ".join(introduced))
    field("cadence", f"every {contact.cadence_days} days" if contact.cadence_days else None)
    field("birthday", contact.birthday)
    field("tags", ", ".join(contact.tags))
    field("last touch", _d(contact.last_touch))
    if contact.first_due:
        field("first due", f"{_d(contact.first_due)} (spread of an import, until you record something)")
    if contact.snoozed_until:
        field("snoozed until", _d(contact.snoozed_until))
    field(
        "balance",
        f"{balance.balance:+d}  (gave {balance.given}, weight {balance.given_weight}; "
        f"received {balance.received}, weight {balance.received_weight})",
    )
    if contact.archived:
        field("archived", "yes")
    if contact.notes:
        lines.append("\n" + contact.notes + "\n")
    lines.rstrip()
    if not sys.stdout.isatty():  # piped: plain lines, never cut to a panel's width
        return Text.assemble(Text(contact.name + "\n", style="bold"), lines)
    title = Text(contact.name)  # a Text, not a str: Panel reads a str title as markup
    return Panel(lines, title=title, title_align="left", box=box.ROUNDED, expand=False)


def settings_table(rows: Sequence[tuple[str, str, bool, str]]) -> Table:
    table = _table("setting", "value", "", "meaning")
    for key, value, is_default, meaning in rows:
        table.add_row(key, value, "(default)" if is_default else "", meaning)
    return table


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


def due_view(report: Any) -> None:
    out = console()
    due = report.public
    if report.empty_ledger:
        out.print('Your ledger is empty. Start with: netlog add "Jane Doe" --org Acme --source work')
        return
    heading = due.as_of.strftime("%A %Y-%m-%d")
    if not report.anything:
        out.print(f"Nothing is due on {heading}.", style="green")
        if report.next_due:
            name, day = report.next_due
            out.print(f"Next up: {name}, {_when(day, due.as_of)} ({day.isoformat()}).")
        return
    out.print(Text(f"Due on {heading}", style="bold"))
    if due.promises:
        table = _table("id", "promise", "to", "due", title="Promises you made")
        for f in due.promises:
            when = _when(f.due, due.as_of) if f.due else f"promised {_ago((due.as_of - f.date).days)}"
            table.add_row(favor_ref(f.id), f.description, f.contact, when)
        out.print(table)
    if due.asks:
        table = _table("id", "ask", "of", "asked", title="Asks to follow up (or decline)")
        for f in due.asks:
            table.add_row(favor_ref(f.id), f.description, f.contact, _ago((due.as_of - f.date).days))
        out.print(table)
    if due.contacts:
        table = _table(
            "handle",
            "name",
            "circle",
            "last touch",
            "days",
            "cadence",
            "balance",
            "suggestion",
            title="People to contact",
        )
        for c in due.contacts:
            table.add_row(
                c.handle,
                c.name,
                c.circle,
                c.last_touch.isoformat(),
                str(c.days_since),
                f"{c.cadence_days}d",
                f"{c.balance:+d}",
                c.suggestion,
            )
        out.print(table)
    if due.birthdays:
        table = _table("handle", "name", "birthday", "when", title="Birthdays")
        for b in due.birthdays:
            age = f", turns {b.age}" if b.age else ""
            table.add_row(b.handle, b.name, b.date.strftime("%b %d"), _when(b.date, due.as_of) + age)
        out.print(table)


def balance_view(rows: Sequence[Any], totals: Any) -> None:
    out = console()
    if not rows:
        out.print('No favors recorded yet. Give one with: netlog give CONTACT "what you did"')
        return
    table = _table("handle", "name", "given", "received", "balance", "state")
    for r in rows:
        table.add_row(
            r.handle,
            r.name,
            f"{r.given} (w{r.given_weight})",
            f"{r.received} (w{r.received_weight})",
            f"{r.balance:+d}",
            r.state,
        )
    out.print(table)
    ratio = f"{totals.give_ask_ratio:g}:1" if totals.give_ask_ratio is not None else "no asks yet"
    out.print(
        f"Totals: gave {count(totals.gives, 'favor')} (weight {totals.given_weight}), asked "
        f"{totals.asks}; give:ask ratio {ratio} (rule of thumb: 4:1)."
    )


def contact_balance_view(row: Any, favors: Sequence[Any]) -> None:
    out = console()
    out.print(Text(f"{row.name} ({row.handle}): balance {row.balance:+d}, {row.state}", style="bold"))
    out.print(
        f"gave {row.given} (weight {row.given_weight}), received {row.received} "
        f"(weight {row.received_weight}); done favors only"
    )
    if favors:
        out.print(timeline_table(("favor", f) for f in favors))


def stale_view(rows: Sequence[Any]) -> None:
    out = console()
    if not rows:
        out.print("No relationship is going cold.", style="green")
        return
    for circle in dict.fromkeys(r.circle for r in rows):
        table = _table(
            "handle",
            "name",
            "last touch",
            "days",
            "cadence",
            "what it was",
            "balance",
            title=f"{circle.capitalize()} circle",
        )
        for r in rows:
            if r.circle == circle:
                table.add_row(
                    r.handle,
                    r.name,
                    r.last_touch.isoformat(),
                    str(r.days_since),
                    f"{r.cadence_days}d",
                    r.last_activity or "",
                    f"{r.balance:+d}",
                )
        out.print(table)


def _bar(n: int, biggest: int, width: int = 30) -> str:
    return "█" * (round(n / biggest * width) if biggest else 0)


def stats_view(stats: Any) -> None:
    out = console()
    data = stats.as_json()
    contacts = data["contacts"]
    out.print(Text(f"{contacts['total']} contacts", style="bold"))
    out.print("  by circle: " + ", ".join(f"{k} {v}" for k, v in contacts["by_circle"].items()))
    out.print("  by source: " + ", ".join(f"{k} {v}" for k, v in contacts["by_source"].items() if v))
    weeks = data["touches_per_week"]
    biggest = max((w["touches"] for w in weeks), default=0)
    table = _table("week of", "touches", "", title="Touches per week")
    for w in weeks:
        table.add_row(w["week"], str(w["touches"]), Text(_bar(w["touches"], biggest), style="cyan"))
    out.print(table)
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
        ("Who delivers on your asks", data["ask_follow_through"]["top"]),
        ("Who does not", data["ask_follow_through"]["bottom"]),
    ):
        if people:
            table = _table("handle", "done", "declined", "unanswered", "ratio", title=label)
            for p in people:
                table.add_row(
                    p["handle"],
                    str(p["done"]),
                    str(p["declined"]),
                    str(p["unanswered"]),
                    f"{p['ratio']:.0%}",
                )
            out.print(table)
    streak = data["streak_weeks"]
    out.print(f"Streak: {streak} week{'s' if streak != 1 else ''} in a row with a recorded touch.")


def journal_table(commands: Sequence[Any]) -> Table:
    table = _table("when", "command", title="Recent commands (netlog undo takes back the first)")
    for c in commands:
        table.add_row(c.created_at.strftime("%Y-%m-%d %H:%M"), f"netlog {c.command}")
    return table


def health_view(health: Any) -> None:
    out = console()
    if health.ok:
        summary = "summary matches the rows" if health.summary_checked else "summary not checked (read-only)"
        out.print(
            f"The ledger is sound: integrity ok, foreign keys ok, {summary}; "
            f"{health.contacts} contact{'' if health.contacts == 1 else 's'}, "
            f"schema version {health.schema_version}.",
            style="green",
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
