"""`netlog check`: is the file sound, and does the summary match the rows it summarises?"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, text

from netlog.migrations import SCHEMA_VERSION, recompute_all_stats_sql

_STATS = "SELECT * FROM contact_stats ORDER BY contact_id"


@dataclass
class Health:
    integrity: list[str] = field(default_factory=list)  # empty when "ok"
    foreign_keys: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # contacts whose summary is off
    summary_checked: bool = True
    schema_version: int = SCHEMA_VERSION
    contacts: int = 0

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.foreign_keys or self.summary)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "integrity": self.integrity or ["ok"],
            "foreign_keys": self.foreign_keys,
            "summary_mismatches": self.summary,
            "summary_checked": self.summary_checked,
            "schema_version": self.schema_version,
            "contacts": self.contacts,
        }


def check_ledger(session: Session, *, writable: bool) -> Health:
    """SQLite's integrity and foreign-key checks, and the summary against a recomputation.

    The recomputation runs the same statements as a rebuild inside a savepoint that is
    rolled back, so the check changes nothing; on a read-only ledger it is skipped.
    """
    conn = session.connection()
    health = Health()
    integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    health.integrity = [] if integrity == ["ok"] else integrity
    health.foreign_keys = [
        f"{row[0]} row {row[1]} points to a missing {row[2]}"
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check")
    ]
    health.contacts = conn.exec_driver_sql("SELECT count(*) FROM contact").scalar_one()
    if not writable:
        health.summary_checked = False
        return health
    stored = {row[0]: tuple(row) for row in conn.exec_driver_sql(_STATS)}
    savepoint = conn.begin_nested()
    for statement in recompute_all_stats_sql():
        conn.exec_driver_sql(statement)
    fresh = {row[0]: tuple(row) for row in conn.exec_driver_sql(_STATS)}
    savepoint.rollback()
    names = dict(conn.execute(text("SELECT id, handle FROM contact")).all())
    health.summary = [
        f"{names.get(cid, cid)}: stored {stored.get(cid)}, recomputed {fresh.get(cid)}"
        for cid in sorted(set(stored) | set(fresh))
        if stored.get(cid) != fresh.get(cid)
    ]
    return health
