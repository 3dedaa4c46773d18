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
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def emit_json(data: Any) -> None:
    """Write `data` as JSON to stdout: the machine-readable contract."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")
    sys.stdout.flush()


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    return Console(
        file=stream,
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


def say(message: str) -> None:
    """A one-line result of a command, on stdout."""
    console().print(Text(message))


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
        table.add_column(column, overflow="fold")
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
            table.add_row(_d(record.date), record.kind, ", ".join(record.contacts), record.note or "", "")
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
                f"#{record.id}",
            )
    return table


def contact_panel(contact: Any, *, introduced: Sequence[str], balance: Any) -> Panel:
    lines = Text()

    def field(label: str, value: Any) -> None:
        if value not in (None, "", []):
            lines.append(f"{label:<13}", style="bold")
            lines.append(f"{value}\n")

    role = " at ".join(x for x in (contact.title, contact.org) if x)
    field("handle", contact.handle)
    field("role", role)
    field("circle", contact.circle)
    field("source", contact.source)
    field("emails", ", ".join(contact.emails))
    field("phone", contact.phone)
    field("location", contact.location)
    field("met on", _d(contact.met_on) if contact.met_on else None)
    field("introduced by", contact.via)
    field("introduced", ", ".join(introduced))
    field("cadence", f"every {contact.cadence_days} days" if contact.cadence_days else None)
    field("birthday", contact.birthday)
    field("tags", ", ".join(contact.tags))
    field("last touch", _d(contact.last_touch))
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
    return Panel(lines, title=contact.name, title_align="left", box=box.ROUNDED, expand=False)


def settings_table(rows: Sequence[tuple[str, str, bool, str]]) -> Table:
    table = _table("setting", "value", "", "meaning")
    for key, value, is_default, meaning in rows:
        table.add_row(key, value, "(default)" if is_default else "", meaning)
    return table
