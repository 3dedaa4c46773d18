"""The undo journal: every write command can be taken back, most recent first.

SQLite triggers (schema version 5, see migrations.py) write, for every row a command
inserts, updates or deletes in the ledger's tables, the statement that reverses it
(the technique of sqlite.org/undoredo.html): an insert is undone by a DELETE by
rowid, an update by an UPDATE back to every old value (`quote()` keeps text, numbers
and NULLs exact), a delete by an INSERT with the old rowid. The triggers only write
while `undo_state.recording` names a command, which `start()` sets and `finish()`
clears inside the command's own transaction, so the journal and the change commit or
roll back together.

`undo()` replays a command's statements newest first, with recording off and foreign
keys checked at commit, then rebuilds the per-contact summary (its own triggers ran
during the replay, but rows can come back in an order they never went in).

Rows the write path inserts are journaled by it, compactly (`DELETE ... WHERE id IN
(...)`), instead of one entry per row; see ledger/write.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from netlog.errors import NotFound
from netlog.ledger.rows import as_utc, chunks, id_list, stamp
from netlog.storage.reader import Reader, reader_of

Session = Any  # a SQLAlchemy session (the write functions); `recent` reads with a Reader


def text(sql: str) -> Any:
    from sqlalchemy import text as sql_text  # imported by writes only: `undo --list` reads

    return sql_text(sql)


KEEP = 100  # commands kept in the journal; older ones can no longer be undone


def start(session: Session, label: str) -> int:
    """Begin recording a command; returns its journal id."""
    conn = session.connection()
    command_id = conn.execute(
        text("INSERT INTO undo_command (command, created_at) VALUES (:c, :t) RETURNING id"),
        {"c": label[:500], "t": stamp().replace(tzinfo=None)},
    ).scalar_one()
    conn.execute(text("UPDATE undo_state SET recording = :id"), {"id": command_id})
    return command_id


def pause(session: Session) -> int | None:
    """Stop the triggers recording (for bulk work that journals itself); returns the command."""
    conn = session.connection()
    command_id = conn.execute(text("SELECT recording FROM undo_state")).scalar()
    conn.execute(text("UPDATE undo_state SET recording = NULL"))
    return command_id


def resume(session: Session, command_id: int | None) -> None:
    session.connection().execute(text("UPDATE undo_state SET recording = :id"), {"id": command_id})


def record(session: Session, command_id: int | None, statements: list[str]) -> None:
    """Add entries written by hand (a bulk import's compact reversals)."""
    if command_id is None or not statements:
        return
    session.connection().execute(
        text("INSERT INTO undo_entry (command_id, statement) VALUES (:c, :s)"),
        [{"c": command_id, "s": statement} for statement in statements],
    )


def delete_rows(table: str, ids: list[int]) -> list[str]:
    """Statements that delete these rows, a few thousand ids at a time."""
    return [f"DELETE FROM {table} WHERE id IN ({id_list(chunk)})" for chunk in chunks(ids, 5000)]


def finish(session: Session, command_id: int) -> None:
    """Stop recording; drop the command if it changed nothing, and the oldest beyond KEEP."""
    conn = session.connection()
    conn.execute(text("UPDATE undo_state SET recording = NULL"))
    empty = conn.execute(
        text("SELECT NOT EXISTS (SELECT 1 FROM undo_entry WHERE command_id = :id)"), {"id": command_id}
    ).scalar()
    if empty:
        conn.execute(text("DELETE FROM undo_command WHERE id = :id"), {"id": command_id})
    conn.execute(
        text("DELETE FROM undo_command WHERE id <= (SELECT max(id) FROM undo_command) - :keep"),
        {"keep": KEEP},
    )


@dataclass
class Command:
    id: int
    command: str
    created_at: datetime
    entries: int  # journal entries: one per row changed, or per few thousand rows of a bulk import


def recent(db: Reader, limit: int = 20) -> list[Command]:
    rows = db.rows(
        "SELECT u.id, u.command, u.created_at, (SELECT count(*) FROM undo_entry e "
        "WHERE e.command_id = u.id) AS entries FROM undo_command u ORDER BY u.id DESC LIMIT :n",
        {"n": limit},
    )
    return [Command(r.id, r.command, as_utc(r.created_at), r.entries) for r in rows]


def undo(session: Session) -> Command:
    """Revert the most recent command still in the journal; returns what it was."""
    from netlog.ledger.rows import id_list
    from netlog.migrations import recompute_kept_for_sql, recompute_summary_sql

    latest = recent(reader_of(session), 1)
    if not latest:
        raise NotFound("There is nothing to undo: no write command is in the journal.")
    command = latest[0]
    conn = session.connection()
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    conn.execute(text("UPDATE undo_state SET recording = NULL"))
    statements = conn.execute(
        text("SELECT statement FROM undo_entry WHERE command_id = :id ORDER BY id DESC"),
        {"id": command.id},
    ).scalars()
    for statement in list(statements):
        conn.exec_driver_sql(statement)
    put_back = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT id FROM contact WHERE id NOT IN (SELECT contact_id FROM contact_stats)"
        )
    ]
    for statement in recompute_summary_sql():
        conn.exec_driver_sql(statement)
    if put_back:
        for statement in recompute_kept_for_sql(id_list(put_back)):
            conn.exec_driver_sql(statement)
    conn.execute(text("DELETE FROM undo_command WHERE id = :id"), {"id": command.id})
    return command
