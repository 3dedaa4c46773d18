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

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from netlog.errors import NetlogError, NotFound
from netlog.ledger.rows import as_utc, chunks, id_list, stamp
from netlog.storage.reader import Reader, reader_of

Session = Any  # a SQLAlchemy session (the write functions); `recent` reads with a Reader


def text(sql: str) -> Any:
    from sqlalchemy import text as sql_text  # imported by writes only: `undo --list` reads

    return sql_text(sql)


KEEP = 100  # commands kept in the journal per member; older ones can no longer be undone
# From this many characters of a command's undo statements (an import's DELETEs of tens of
# thousands of ids, thousands of row-by-row entries), undo sets the summary triggers aside
# while it replays them and rebuilds every summary once after (migrations.SUMMARY_TRIGGERS):
# undoing an import of 2,000 contacts and 20,000 touches took 2.5 minutes in a file.
REBUILD_FROM = 20_000


def member_of(session: Session) -> str:
    """The member making this command's changes (the server's login, or the OS user)."""
    return reader_of(session).member()


def start(session: Session, label: str) -> int:
    """Begin recording a command; returns its journal id."""
    conn = session.connection()
    command_id = conn.execute(
        text("INSERT INTO undo_command (command, created_at, member) VALUES (:c, :t, :m) RETURNING id"),
        {"c": label[:500], "t": stamp().replace(tzinfo=None), "m": member_of(session)},
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
        text(
            "DELETE FROM undo_command WHERE member = :m AND id NOT IN "
            "(SELECT id FROM undo_command WHERE member = :m ORDER BY id DESC LIMIT :keep)"
        ),
        {"m": member_of(session), "keep": KEEP},
    )


@dataclass
class Command:
    id: int
    command: str
    created_at: datetime
    entries: int  # journal entries: one per row changed, or per few thousand rows of a bulk import
    member: str | None = None


def recent(db: Reader, limit: int = 20, *, member: str | None = None) -> list[Command]:
    """The latest commands in the journal, newest first; with `member`, only theirs."""
    mine = "WHERE u.member = :member " if member is not None else ""
    rows = db.rows(
        "SELECT u.id, u.command, u.created_at, u.member, (SELECT count(*) FROM undo_entry e "
        f"WHERE e.command_id = u.id) AS entries FROM undo_command u {mine}ORDER BY u.id DESC LIMIT :n",
        {"n": limit, "member": member},
    )
    return [Command(r.id, r.command, as_utc(r.created_at), r.entries, r.member) for r in rows]


class Conflict(NetlogError):
    """An undo that would also change what someone else wrote since."""


# A reversing statement's target rows: `DELETE FROM t WHERE ...` (the row was inserted) or
# `UPDATE t SET ... WHERE ...` (it was changed; the key is the last WHERE, as written).
_TARGET = re.compile(r"^(?:DELETE FROM (\w+) WHERE (.*)|UPDATE (\w+) SET .* WHERE (.*?))$", re.S)
# Rows that go with a row without being journaled with it (inserted with it by the write path).
_BELONGING = {
    "interaction": ("interaction_contact", "interaction_id"),
    "need_offer": ("need_offer_tag", "need_offer_id"),
}


def _watched(conn: Any, entries: list[Any]) -> list[tuple[int, list[Any]]]:
    """The rows later commands inserted or changed, as they are now, with the command
    that did (see `undo`)."""
    seen = []
    for entry in entries:
        match = _TARGET.match(entry.statement)
        if match is None:
            continue
        table = match.group(1) or match.group(3)
        where = match.group(2) or entry.statement.rsplit(" WHERE ", 1)[1]
        rows = [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {table} WHERE {where}")]
        if table in _BELONGING and match.group(1):
            child, column = _BELONGING[table]
            ids = f"SELECT id FROM {table} WHERE {where}"
            rows += [
                tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {child} WHERE {column} IN ({ids})")
            ]
        seen.append((entry.command_id, sorted(rows, key=repr)))
    return seen


def undo(session: Session) -> Command:
    """Revert your most recent command still in the journal; returns what it was. In a
    file that is the most recent command (a file has one member, whoever the OS user).

    On a shared ledger others may have written since. Their commands are never undone,
    and neither is yours when taking it back would change a row they inserted or changed
    since (or one that goes with it, such as a touch's people): then nothing changes and
    the error names their command."""
    from netlog.ledger.rows import id_list
    from netlog.migrations import rebuild_everything_sql, recompute_kept_for_sql, recompute_summary_sql

    db = reader_of(session)
    me = member_of(session) if db.shared else None  # a file has one member: its last command is yours
    latest = recent(db, 1, member=me)
    if not latest:
        if me is None:
            raise NotFound("There is nothing to undo: no write command is in the journal.")
        raise NotFound(
            f"There is nothing to undo for you ({me}): no write command of yours is in the journal."
        )
    command = latest[0]
    conn = session.connection()
    later = conn.execute(
        text("SELECT u.id, u.command, u.member FROM undo_command u WHERE u.id > :id ORDER BY u.id"),
        {"id": command.id},
    ).all()
    watch = (
        conn.execute(
            text("SELECT command_id, statement FROM undo_entry WHERE command_id > :id ORDER BY id"),
            {"id": command.id},
        ).all()
        if later
        else []
    )
    before = _watched(conn, watch)
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    conn.execute(text("UPDATE undo_state SET recording = NULL"))
    statements = conn.execute(
        text("SELECT statement FROM undo_entry WHERE command_id = :id ORDER BY id DESC"),
        {"id": command.id},
    ).scalars()
    replay = list(statements)
    large = sum(len(statement) for statement in replay) >= REBUILD_FROM
    aside = _summaries_aside(conn) if large else []
    for statement in replay:
        conn.exec_driver_sql(statement)
    if large:
        _summaries_back(conn, aside)
    if watch:
        changed = [was[0] for was, now in zip(before, _watched(conn, watch), strict=True) if was != now]
        if changed:
            other = next(row for row in later if row.id == changed[0])
            raise Conflict(
                f"Your last command (netlog {command.command}) cannot be undone now: {other.member} has "
                f"changed what it wrote since (netlog {other.command}). Nothing was changed; correct it "
                "with edit, edit-touch or edit-favor instead."
            )
    if large:
        for statement in rebuild_everything_sql(server=conn.dialect.name == "postgresql"):
            conn.exec_driver_sql(statement)
    else:
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


def _summaries_aside(conn: Any) -> list[str]:
    """Have the summary triggers sit out this transaction's replay: on a server they wait
    when asked (migration m014); in a file they are dropped, in this transaction (a
    rollback or a kill brings them back). Returns what _summaries_back needs."""
    from netlog.migrations import SUMMARY_TRIGGERS

    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT set_config('netlog.summaries', 'later', true)")
        return []
    names = ", ".join(f"'{name}'" for name in SUMMARY_TRIGGERS)
    made = [row[0] for row in conn.exec_driver_sql(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names}) ORDER BY name"
    )]  # fmt: skip
    for name in SUMMARY_TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    return made


def _summaries_back(conn: Any, made: list[str]) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT set_config('netlog.summaries', '', true)")
    for sql in made:
        conn.exec_driver_sql(sql)
