"""Pieces every command module shares: option types, the ledger session, date helpers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netlog import dates
from netlog.cli.app import state

if TYPE_CHECKING:
    from sqlmodel import Session

    from netlog.storage.reader import Reader

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON to stdout instead of a table.")]


def complete_contact(incomplete: str) -> list[str]:
    """Shell completion of handles, read with stdlib sqlite3 (no SQLAlchemy at completion)."""
    import os
    import sqlite3

    from netlog.location import locate

    try:
        location = locate(state.db or os.environ.get("NETLOG_DB"))
        if location.server or not location.path.is_file():  # a server is not asked at every Tab
            return []
        conn = sqlite3.connect(f"file:{location.path}?mode=ro", uri=True, timeout=1)
        try:
            rows = conn.execute(
                "SELECT handle FROM contact WHERE handle LIKE ? AND archived = 0 ORDER BY handle LIMIT 50",
                (incomplete.lower().replace("%", "") + "%",),
            ).fetchall()
        finally:
            conn.close()
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [row[0] for row in rows]


ContactArg = Annotated[
    str,
    typer.Argument(
        metavar="CONTACT",
        help="Id, handle, or (part of) a name.",
        autocompletion=complete_contact,
        show_default=False,
    ),
]


FavorArg = Annotated[
    str,
    typer.Argument(
        metavar="FAVOR", help="The favor's id, as netlog log shows it: f12 (or 12).", show_default=False
    ),
]
TouchArg = Annotated[
    str,
    typer.Argument(
        metavar="TOUCH", help="The touch's id, as netlog log shows it: t5 (or 5).", show_default=False
    ),
]


def favor_id(text: str) -> int:
    return _ref(text, "f", "FAVOR")


def touch_id(text: str) -> int:
    return _ref(text, "t", "TOUCH")


def need_id(text: str, hint: str) -> int:
    return _ref(text, "n", hint)


def offer_id(text: str, hint: str) -> int:
    return _ref(text, "o", hint)


def _ref(text: str, letter: str, hint: str) -> int:
    from netlog.ids import parse_ref

    try:
        return parse_ref(text, letter)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=hint) from None


def confirm_deletion(yes: bool, question: str) -> None:
    """Ask before deleting history, on a terminal; elsewhere --yes is required."""
    from netlog.errors import InvalidValue

    if yes:
        return
    if not interactive():
        raise InvalidValue("This deletes history: add --yes to confirm when not at a terminal.")
    if not typer.confirm(question):
        raise typer.Abort()


def _callbacks(announce: bool = True) -> dict[str, Any]:
    """What opening the ledger may have to say, said when the command has worked."""
    from netlog import render

    def created(path: object) -> None:
        if announce:  # a dry run's scratch ledger is no news
            state.created.append(str(path))  # said when the command has worked (cli/app.py)

    def backed_up(path: object, version: int) -> None:
        render.note(f"Upgrading the ledger from schema version {version}; a copy is at {path}.")

    def warned(message: str) -> None:
        state.warned.append(message)  # said once, when the command has worked (cli/app.py)

    return {"on_create": created, "on_backup": backed_up, "on_warning": warned}


@contextmanager
def reading(*, create: bool = False) -> Iterator[Reader]:
    """A Reader on the ledger chosen by --db / NETLOG_DB, for a command that only reads:
    the stdlib sqlite3 driver, read-only, one snapshot for the whole command (see
    storage/reader.py). The default ledger is created by whatever command runs first."""
    from netlog.location import locate

    location = locate(state.db)
    if location.server:
        from netlog.storage import server

        with server.open_reader(location, on_create=_callbacks()["on_create"]) as db:
            yield db
        return
    from netlog.storage.reader import open_reader

    with open_reader(location, create=create, **_callbacks()) as db:
        yield db


@contextmanager
def writing(*, create: bool = False, journal: bool = True, announce: bool = True) -> Iterator[Session]:
    """A write session on the ledger; it commits once, at the end. Read inside it with
    `reader_of(session)`, which sees what the command has written so far.

    A missing file at a path the user gave is only created by the commands that start a
    ledger (`create`: add, import, config): anything else there means a mistyped path,
    and says so. A write is journaled for `netlog undo` unless `journal` is False.
    """
    from netlog.location import locate

    location = locate(state.db)
    with ExitStack() as stack:
        if location.server:
            from netlog.storage import server

            session = stack.enter_context(
                server.open_session(location, write=True, on_create=_callbacks(announce)["on_create"])
            )
        else:
            from netlog.db import open_session

            session = stack.enter_context(
                open_session(location, write=True, create=create, **_callbacks(announce))
            )
        if journal:
            from netlog.ledger import journal as undo_journal

            command_id = undo_journal.start(session, state.command_line or "netlog")
            yield session
            undo_journal.finish(session, command_id)
        else:
            yield session


def past_date(text: str | None, *, today: date, what: str) -> date:
    """A date for something that happened (default today); the future is refused."""
    if text is None:
        return today
    return dates.parse_date(text, today=today, past=True, what=what)


def any_date(text: str, *, today: date, what: str) -> date:
    return dates.parse_date(text, today=today, what=what)


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
