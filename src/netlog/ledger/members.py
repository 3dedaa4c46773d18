"""Who writes to the ledger: the members (migration m013).

On a PostgreSQL server each member logs in as themselves and the member is the server's
`current_user`; in a file it is the OS user. Every touch, favor, introduction, stated
tie, need and offer, and every command in the undo journal, records its member.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from netlog.errors import NotFound
from netlog.public import MemberPublic
from netlog.storage.reader import Params, Reader

_COUNTED = {
    "touches": "interaction",
    "favors": "favor",
    "introductions": "introduction",
    "ties": "knows",
    "needs": "need_offer",
    "commands": "undo_command",
}


def members(db: Reader) -> list[MemberPublic]:
    """Every member who has recorded anything, and you, by name, with their counts."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTED, 0))
    for key, table in _COUNTED.items():
        for row in db.rows(
            f"SELECT member, count(*) AS n FROM {table} WHERE member IS NOT NULL GROUP BY member"
        ):
            counts[row.member][key] = row.n
    me = db.member()
    counts[me]  # you, even before your first write
    return [MemberPublic(member=name, you=name == me, **counts[name]) for name in sorted(counts)]


def mine(db: Reader) -> Reader:
    """The ledger as the member asking sees it by default (see `scope`): advice about
    asking (the ask warning, `path`'s and `match`'s give-before-ask) reads the balance
    `balance` shows, never another member's or the team's."""
    return scope(db, None, team=False)


def scope(db: Reader, member: str | None, *, team: bool) -> Reader:
    """The ledger as `due`, `balance`, `stale` and `stats` read it: everyone's (`team`, and
    by default in a file, which has one member), or one member's (`member`, and by
    default on a server: the member asking)."""
    if team:
        return db
    if member is None:
        return MemberView(db, db.member()) if db.shared else db
    known = {row.member for row in db.rows("SELECT DISTINCT member FROM undo_command UNION "
                                           "SELECT DISTINCT member FROM interaction UNION "
                                           "SELECT DISTINCT member FROM favor")}  # fmt: skip
    if member not in known and member != db.member():
        raise NotFound(f'No member "{member}" has recorded anything here: netlog members lists who has.')
    return MemberView(db, member)


# One member's touch days: at their touches, on their favors' days unless declined, and on
# the day a favor of theirs was done (the touch rule, ledger/rules.py, over their rows).
_MEMBER_TOUCH_DAYS = """(
SELECT ic.contact_id, i.date AS day FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id
WHERE i.member = :netlog_member
UNION SELECT contact_id, date FROM favor WHERE member = :netlog_member AND status != 'declined'
UNION SELECT contact_id, resolved_on FROM favor
WHERE member = :netlog_member AND status = 'done' AND resolved_on IS NOT NULL)"""


# One member's summary in contact_stats' shape: their row of member_stats (kept by
# triggers, migration m013), or nothing yet.
_MEMBER_SUMMARY = """(
SELECT c0.id AS contact_id, m.last_interaction, m.last_favor,
       coalesce(m.interaction_count, 0) AS interaction_count,
       coalesce(m.given_count, 0) AS given_count, coalesce(m.given_weight, 0) AS given_weight,
       coalesce(m.received_count, 0) AS received_count, coalesce(m.received_weight, 0) AS received_weight,
       coalesce(m.asked_count, 0) AS asked_count, coalesce(m.declined_count, 0) AS declined_count,
       coalesce(m.open_asks, 0) AS open_asks, coalesce(m.open_promises, 0) AS open_promises
FROM contact c0 LEFT JOIN member_stats m ON m.contact_id = c0.id AND m.member = :netlog_member)"""


@lru_cache(maxsize=1024)
def _for_member(sql: str) -> str:
    """`sql` over one member's rows: their favors and touches, their summary (their
    member_stats; for a past day computed from their rows, as for everyone), their touch
    days. Contacts, people's ties and needs stay the team's."""
    sql = re.sub(r"\bcontact_stats\s+s\b", f"{_MEMBER_SUMMARY} s", sql)
    sql = re.sub(r"\btouch_day\s+t\b", f"{_MEMBER_TOUCH_DAYS} t", sql)
    sql = re.sub(
        r"\b(FROM|JOIN)\s+favor\s+f\b", r"\1 (SELECT * FROM favor WHERE member = :netlog_member) f", sql
    )
    return re.sub(
        r"\b(FROM|JOIN)\s+interaction\s+i\b",
        r"\1 (SELECT * FROM interaction WHERE member = :netlog_member) i",
        sql,
    )


class MemberView(Reader):
    """A Reader whose reports answer for one member (see `scope`)."""

    def __init__(self, db: Reader, member: str) -> None:
        self.db = db
        self.viewer = member
        self.shared = db.shared

    def member(self) -> str:
        return self.db.member()

    def each(self, sql: str, params: Params = None) -> Iterator[Any]:
        yield from self.db.each(_for_member(sql), {**(params or {}), "netlog_member": self.viewer})

    def rows(self, sql: str, params: Params = None) -> list[Any]:
        return self.db.rows(_for_member(sql), {**(params or {}), "netlog_member": self.viewer})
