"""`netlog check`: is the file sound, and does the summary match the rows it summarises?"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netlog.migrations import SCHEMA_VERSION, recompute_all_stats_sql
from netlog.storage.reader import Reader, reader_of
from netlog.vocab import Circle, Direction, Kind, Outcome, Status

Session = Any  # a SQLAlchemy write session (summary_mismatches, rebuild_summary)

# The summary row, and the days the contact was touched (touch_day, kept alike).
_STATS = (
    "SELECT s.*, (SELECT group_concat(day, ' ') FROM (SELECT day FROM touch_day t "
    "WHERE t.contact_id = s.contact_id ORDER BY day) AS days) AS touch_days, "
    "(SELECT count(*) || ' pairs, ' || coalesce(sum(m.b_id), 0) || ', ' || coalesce(min(m.day), '') "
    "|| ' to ' || coalesce(max(m.day), '') FROM met_pair m WHERE m.a_id = s.contact_id) AS met_together, "
    # each member's summary of them (the rows with something in them)
    "(SELECT group_concat(x, ' ; ') FROM (SELECT ms.member || ' ' || ms.interaction_count || ' ' "
    "|| coalesce(ms.last_interaction, '') || ' ' || coalesce(ms.last_favor, '') || ' ' || ms.given_count "
    "|| ' ' || ms.given_weight || ' ' || ms.received_count || ' ' || ms.received_weight || ' ' "
    "|| ms.asked_count || ' ' || ms.declined_count || ' ' || ms.open_asks || ' ' || ms.open_promises AS x "
    "FROM member_stats ms WHERE ms.contact_id = s.contact_id AND ms.interaction_count + ms.given_count "
    "+ ms.received_count + ms.asked_count + ms.open_promises > 0 ORDER BY ms.member) AS theirs) AS members "
    "FROM contact_stats s ORDER BY s.contact_id"
)

# Values the rest of netlog relies on: real dates, and words from the vocabularies.
# The schema's CHECK constraints guard the words, but not against every way a file
# can be edited; nothing guards the dates.
_DATES = {
    "contact": ("met_on", "snoozed_until", "first_due"),
    "interaction": ("date",),
    "favor": ("date", "due", "resolved_on"),
    "introduction": ("date", "outcome_on"),
    "knows": ("date",),
}
_STAMPS = {
    "contact": ("created_at", "updated_at"),
    "interaction": ("created_at",),
    "favor": ("created_at",),
    "undo_command": ("created_at",),
}
_WORDS = {
    ("contact", "circle"): tuple(c.value for c in Circle),
    ("interaction", "kind"): tuple(k.value for k in Kind),
    ("favor", "direction"): tuple(d.value for d in Direction),
    ("favor", "status"): tuple(s.value for s in Status),
    ("introduction", "outcome"): tuple(o.value for o in Outcome),
}


@dataclass
class Health:
    integrity: list[str] = field(default_factory=list)  # empty when "ok"
    values: list[str] = field(default_factory=list)  # stored values other commands can't read
    foreign_keys: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # contacts whose summary is off
    summary_checked: bool = True
    schema_version: int = SCHEMA_VERSION
    contacts: int = 0
    leftovers: list[str] = field(default_factory=list)  # temporary files removed

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.foreign_keys or self.values or self.summary)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "integrity": self.integrity or ["ok"],
            "foreign_keys": self.foreign_keys,
            "bad_values": self.values,
            "summary_mismatches": self.summary,
            "summary_checked": self.summary_checked,
            "schema_version": self.schema_version,
            "contacts": self.contacts,
            "removed": self.leftovers,
        }


def check_ledger(db: Reader) -> Health:
    """SQLite's integrity and foreign-key checks, and values other commands could not read.
    (The summary is checked by `summary_mismatches`, which needs a write transaction.)"""
    health = Health(summary_checked=False)
    integrity = [row[0] for row in db.rows("PRAGMA integrity_check")]
    health.integrity = [] if integrity == ["ok"] else integrity
    health.foreign_keys = [
        f"{row[0]} row {row[1]} points to a missing {row[2]}" for row in db.rows("PRAGMA foreign_key_check")
    ]
    health.contacts = db.scalar("SELECT count(*) FROM contact")
    readable = (
        (_DATES, "date({c}) IS NOT {c}", "is not a date (YYYY-MM-DD)"),
        (_STAMPS, "datetime({c}) IS NULL", "is not a timestamp"),
    )
    for tables, unreadable, problem in readable:
        for table, columns in tables.items():
            for column in columns:
                for rowid, value in db.rows(
                    f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL "
                    f"AND (typeof({column}) != 'text' OR {unreadable.format(c=column)}) LIMIT 20"
                ):
                    health.values.append(f"{table} {rowid}: {column} {value!r} {problem}")
    for (table, column), words in _WORDS.items():
        allowed = ", ".join(f"'{w}'" for w in words)
        for rowid, value in db.rows(
            f"SELECT id, {column} FROM {table} WHERE {column} NOT IN ({allowed}) LIMIT 20"
        ):
            health.values.append(f"{table} {rowid}: {column} {value!r} is not one of {', '.join(words)}")
    return health


def summary_mismatches(session: Session) -> list[str]:
    """Contacts whose summary differs from a recomputation from their rows. The
    recomputation runs the statements of a rebuild inside a savepoint that is rolled
    back, so the check changes nothing."""
    conn = session.connection()
    stored = {row[0]: tuple(row) for row in conn.exec_driver_sql(_STATS)}
    savepoint = conn.begin_nested()
    for statement in recompute_all_stats_sql():
        conn.exec_driver_sql(statement)
    fresh = {row[0]: tuple(row) for row in conn.exec_driver_sql(_STATS)}
    savepoint.rollback()
    db = reader_of(session)
    names = {row.id: row.handle for row in db.rows("SELECT id, handle FROM contact")}
    columns = [row[1] for row in db.rows("PRAGMA table_info(contact_stats)")] + [
        "touch_days",
        "met_together",
        "members",
    ]
    found = []
    for cid in sorted(set(stored) | set(fresh)):
        if stored.get(cid) == fresh.get(cid):
            continue
        who = names.get(cid, f"contact {cid}")
        if cid not in stored:
            found.append(f"{who}: no summary row")
            continue
        differences = [
            f"{column} {old!r} should be {new!r}"
            for column, old, new in zip(columns, stored[cid], fresh.get(cid, ()), strict=False)
            if old != new
        ]
        found.append(f"{who}: " + ", ".join(differences))
    return found


def rebuild_summary(session: Session) -> int:
    """Recompute every contact's summary from its rows; returns how many contacts changed."""
    conn = session.connection()
    before = {row[0]: tuple(row) for row in conn.exec_driver_sql(_STATS)}
    for statement in recompute_all_stats_sql():
        conn.exec_driver_sql(statement)
    after = {row[0]: tuple(row) for row in conn.exec_driver_sql(_STATS)}
    return sum(1 for cid in after if before.get(cid) != after[cid])
