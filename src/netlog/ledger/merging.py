"""Merge: fold a duplicate into the contact kept, losing nothing.

The policy is here; the rows move and go through the write path (ledger/write.py):
the kept contact's empty fields are filled from the duplicate (`update_contact`), its
emails, tags, touches, favors and introductions move over (`move_contact_rows`), and
the duplicate is deleted as `rm` deletes a contact (`remove_contact`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from netlog.dates import format_birthday
from netlog.errors import InvalidValue
from netlog.ledger import write
from netlog.storage.reader import Reader, reader_of

# Filled from the duplicate when the contact kept has none.
# (Phones, links and the card's other entries all move to the contact kept, with its
# emails: see write.move_contact_rows.)
_FILLED = ("org", "title", "location", "met_on", "source", "via_id", "cadence_days",
           "birthday_year", "birthday_month", "birthday_day")  # fmt: skip
# Kept as they are when both differ; the duplicate's goes into the notes.
_NOTED = (("org", "org"), ("title", "title"), ("location", "location"))


@dataclass
class MergeMoves:
    """What a merge brings from the duplicate to the contact kept."""

    touches: int  # interactions the duplicate was in (those both were in count once)
    favors: int
    tags: int  # tags the contact kept did not have yet
    emails: int  # emails the contact kept did not have yet
    introduced: int  # contacts the duplicate had introduced you to
    needs: int = 0  # the duplicate's needs and offers

    def as_json(self) -> dict[str, int]:
        return asdict(self)


def merge_moves(db: Reader, keep_id: int, duplicate_id: int) -> MergeMoves:
    params = {"keep": keep_id, "dup": duplicate_id}

    def count(sql: str) -> int:
        return int(db.scalar(sql, params))

    return MergeMoves(
        touches=count("SELECT count(*) FROM interaction_contact WHERE contact_id = :dup"),
        favors=count("SELECT count(*) FROM favor WHERE contact_id = :dup"),
        tags=count(
            "SELECT count(*) FROM contact_tag WHERE contact_id = :dup AND tag_id NOT IN "
            "(SELECT tag_id FROM contact_tag WHERE contact_id = :keep)"
        ),
        emails=count(
            "SELECT count(*) FROM email WHERE contact_id = :dup AND lower(address) NOT IN "
            "(SELECT lower(address) FROM email WHERE contact_id = :keep)"
        ),
        introduced=count("SELECT count(*) FROM contact WHERE via_id = :dup AND id != :keep"),
        needs=count("SELECT count(*) FROM need_offer WHERE contact_id = :dup"),
    )


_COLUMNS = "id, name, handle, notes, " + ", ".join(_FILLED)


def merge_contacts(session: Any, keep_id: int, duplicate_id: int) -> None:
    """Move the duplicate's emails, tags, interactions, favors and introductions onto the
    contact kept, fill its empty fields (notes are joined, not dropped), delete the duplicate."""
    if keep_id == duplicate_id:
        raise InvalidValue("Those are the same contact: give two different ones.")
    db = reader_of(session)
    keep = db.one(f"SELECT {_COLUMNS} FROM contact WHERE id = :i", {"i": keep_id})._asdict()
    dup = db.one(f"SELECT {_COLUMNS} FROM contact WHERE id = :i", {"i": duplicate_id})._asdict()
    fills = {c: dup[c] for c in _FILLED if keep[c] is None and dup[c] is not None}
    if fills.get("via_id") == keep_id:
        del fills["via_id"]
    # You met the person on the first of the two days: the earlier one is kept.
    if keep["met_on"] is not None and dup["met_on"] is not None and str(dup["met_on"]) < str(keep["met_on"]):
        fills["met_on"] = dup["met_on"]
    if keep["birthday_month"] is not None:
        for column in ("birthday_year", "birthday_month", "birthday_day"):
            fills.pop(column, None)
    # Where both have a value and they differ, the kept one stays and the duplicate's
    # goes into the notes: a merge loses nothing.
    differing = [
        f"{label} {dup[column]}"
        for column, label in _NOTED
        if keep[column] is not None and dup[column] is not None and keep[column] != dup[column]
    ]
    if keep["met_on"] is not None and dup["met_on"] is not None and keep["met_on"] != dup["met_on"]:
        differing.append(f"met on {max(str(keep['met_on']), str(dup['met_on']))}")  # the later day
    dup_birthday = (dup["birthday_year"], dup["birthday_month"], dup["birthday_day"])
    keep_birthday = (keep["birthday_year"], keep["birthday_month"], keep["birthday_day"])
    if (
        keep["birthday_month"] is not None
        and dup["birthday_month"] is not None
        and dup_birthday != keep_birthday
    ):
        differing.append(f"birthday {format_birthday(*dup_birthday)}")
    notes = [keep["notes"]]
    if dup["notes"] and dup["notes"] != keep["notes"]:
        notes.append(dup["notes"])
    if differing:
        notes.append(f"Not kept when {dup['name']} ({dup['handle']}) was merged in: " + "; ".join(differing))
    if len([n for n in notes if n]) > (1 if keep["notes"] else 0):
        fills["notes"] = "\n\n".join(n for n in notes if n)
    if "met_on" in fills:
        fills["met_on"] = _day(fills["met_on"])
    write.move_contact_rows(session, keep_id, duplicate_id)
    write.update_contact(session, keep_id, fills)
    write.remove_contact(session, duplicate_id)


def _day(value: Any) -> Any:
    from netlog.ledger.rows import as_date

    return as_date(value)
