"""Ordered, append-only schema migrations, recorded in the database itself.

Each step is a function that runs plain SQL for that version of the schema;
`migrate()` applies the ones a database has not recorded yet, each in the same
transaction as its record in `netlog_migrations`. The schema version is the
number of steps applied.

Why not alembic: the ledger is one local SQLite file owned by one program.
A short list of functions (the approach `llm` takes) needs no extra dependency,
no env.py or versions folder, costs nothing at start-up, and each step can be
read top to bottom next to its test. Steps must never call
`metadata.create_all()`: that reflects today's models, not that version's.

Never edit a step that has shipped; add a new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A step receives a DB-API style executor: run(sql) for one statement. On PostgreSQL it
# is storage/server.py's ServerRun, which puts SQLite's DDL in PostgreSQL's form and has
# `dialect = "postgresql"` for the few steps whose SQL differs more (`on_server`).
Step = Callable[[Callable[[str], Any]], None]


def on_server(run: Callable[[str], Any]) -> bool:
    """True when the step runs on PostgreSQL."""
    return getattr(run, "dialect", "sqlite") == "postgresql"


# The SQL that recomputes one contact's favor summary from the favor table.
# `contact_stats.contact_id` is the contact being recomputed (a correlated subquery).
_FAVOR_SUMMARY = """
UPDATE contact_stats SET (last_favor, given_count, given_weight, received_count, received_weight) = (
    SELECT max(CASE WHEN status IN ('done', 'promised', 'asked') THEN date END),
           coalesce(sum(direction = 'given' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'given' AND status = 'done' THEN weight END), 0),
           coalesce(sum(direction = 'received' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'received' AND status = 'done' THEN weight END), 0)
    FROM favor WHERE favor.contact_id = contact_stats.contact_id)
WHERE contact_id IN ({ids})
"""

_INTERACTION_SUMMARY = """
UPDATE contact_stats SET (last_interaction, interaction_count) = (
    SELECT max(i.date), count(*)
    FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id
    WHERE ic.contact_id = contact_stats.contact_id)
WHERE contact_id IN ({ids})
"""


def m001_initial(run: Callable[[str], Any]) -> None:
    run("""
        CREATE TABLE contact (
            id INTEGER NOT NULL PRIMARY KEY,
            handle VARCHAR NOT NULL UNIQUE,
            name VARCHAR NOT NULL,
            name_key VARCHAR NOT NULL,
            phone VARCHAR,
            org VARCHAR,
            title VARCHAR,
            location VARCHAR,
            circle VARCHAR NOT NULL DEFAULT 'active'
                CHECK (circle IN ('inner', 'close', 'active', 'acquaintance')),
            source VARCHAR CHECK (source IN
                ('personal', 'work', 'education', 'group', 'service', 'chance', 'online')),
            met_on DATE,
            via_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
            cadence_days INTEGER CHECK (cadence_days > 0),
            birthday_year INTEGER,
            birthday_month INTEGER CHECK (birthday_month BETWEEN 1 AND 12),
            birthday_day INTEGER CHECK (birthday_day BETWEEN 1 AND 31),
            notes VARCHAR,
            archived BOOLEAN NOT NULL DEFAULT 0,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        )""")
    run("CREATE INDEX ix_contact_name_key ON contact (name_key)")
    run("CREATE INDEX ix_contact_via ON contact (via_id)")
    run("""
        CREATE TABLE email (
            id INTEGER NOT NULL PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            address VARCHAR NOT NULL,
            UNIQUE (contact_id, address)
        )""")
    run("CREATE INDEX ix_email_address ON email (address)")
    run("""
        CREATE TABLE tag (
            id INTEGER NOT NULL PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE
        )""")
    run("""
        CREATE TABLE contact_tag (
            contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
            PRIMARY KEY (contact_id, tag_id)
        )""")
    run("CREATE INDEX ix_contact_tag_tag ON contact_tag (tag_id)")
    run("""
        CREATE TABLE interaction (
            id INTEGER NOT NULL PRIMARY KEY,
            date DATE NOT NULL,
            kind VARCHAR NOT NULL DEFAULT 'meeting' CHECK (kind IN
                ('meeting', 'call', 'message', 'email', 'meal', 'event', 'other')),
            note VARCHAR,
            created_at DATETIME NOT NULL
        )""")
    run("CREATE INDEX ix_interaction_date ON interaction (date)")
    run("""
        CREATE TABLE interaction_contact (
            interaction_id INTEGER NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            PRIMARY KEY (interaction_id, contact_id)
        )""")
    run("CREATE INDEX ix_interaction_contact_contact ON interaction_contact (contact_id, interaction_id)")
    run("""
        CREATE TABLE favor (
            id INTEGER NOT NULL PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            direction VARCHAR NOT NULL CHECK (direction IN ('given', 'received')),
            description VARCHAR NOT NULL,
            weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 5),
            date DATE NOT NULL,
            status VARCHAR NOT NULL DEFAULT 'done'
                CHECK (status IN ('done', 'promised', 'asked', 'declined')),
            due DATE,
            resolved_on DATE,
            created_at DATETIME NOT NULL
        )""")
    run("CREATE INDEX ix_favor_contact_date ON favor (contact_id, date)")
    run("CREATE INDEX ix_favor_status_due ON favor (status, due)")
    run("CREATE INDEX ix_favor_date ON favor (date)")
    run("""
        CREATE TABLE setting (
            "key" VARCHAR NOT NULL PRIMARY KEY,
            value VARCHAR NOT NULL
        )""")
    run("""
        CREATE TABLE contact_stats (
            contact_id INTEGER NOT NULL PRIMARY KEY REFERENCES contact (id) ON DELETE CASCADE,
            last_interaction DATE,
            last_favor DATE,
            interaction_count INTEGER NOT NULL DEFAULT 0,
            given_count INTEGER NOT NULL DEFAULT 0,
            given_weight INTEGER NOT NULL DEFAULT 0,
            received_count INTEGER NOT NULL DEFAULT 0,
            received_weight INTEGER NOT NULL DEFAULT 0
        )""")
    # The summary triggers. Inserts update incrementally (cheap in bulk imports);
    # updates and deletes recompute the contact's row from its own rows, by index.
    run("""
        CREATE TRIGGER contact_stats_on_contact AFTER INSERT ON contact BEGIN
            INSERT INTO contact_stats (contact_id) VALUES (NEW.id);
        END""")
    run("""
        CREATE TRIGGER contact_stats_on_link_insert AFTER INSERT ON interaction_contact BEGIN
            UPDATE contact_stats SET
                interaction_count = interaction_count + 1,
                last_interaction = max(coalesce(last_interaction, ''),
                    (SELECT date FROM interaction WHERE id = NEW.interaction_id))
            WHERE contact_id = NEW.contact_id;
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_link_delete AFTER DELETE ON interaction_contact BEGIN
            {_INTERACTION_SUMMARY.format(ids="OLD.contact_id")};
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_link_update AFTER UPDATE ON interaction_contact BEGIN
            {_INTERACTION_SUMMARY.format(ids="OLD.contact_id, NEW.contact_id")};
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_interaction_date AFTER UPDATE OF date ON interaction
        BEGIN
            {
        _INTERACTION_SUMMARY.format(
            ids="SELECT contact_id FROM interaction_contact WHERE interaction_id = NEW.id"
        )
    };
        END""")
    run("""
        CREATE TRIGGER contact_stats_on_favor_insert AFTER INSERT ON favor BEGIN
            UPDATE contact_stats SET
                last_favor = CASE WHEN NEW.status IN ('done', 'promised', 'asked')
                    THEN max(coalesce(last_favor, ''), NEW.date) ELSE last_favor END,
                given_count = given_count + (NEW.direction = 'given' AND NEW.status = 'done'),
                given_weight = given_weight + CASE
                    WHEN NEW.direction = 'given' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END,
                received_count = received_count
                    + (NEW.direction = 'received' AND NEW.status = 'done'),
                received_weight = received_weight + CASE
                    WHEN NEW.direction = 'received' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END
            WHERE contact_id = NEW.contact_id;
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_favor_update
        AFTER UPDATE OF contact_id, direction, weight, date, status ON favor BEGIN
            {_FAVOR_SUMMARY.format(ids="OLD.contact_id, NEW.contact_id")};
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_favor_delete AFTER DELETE ON favor BEGIN
            {_FAVOR_SUMMARY.format(ids="OLD.contact_id")};
        END""")


def m002_snooze(run: Callable[[str], Any]) -> None:
    """`netlog snooze` hides a contact from `due` until a date; birthdays get an index."""
    run("ALTER TABLE contact ADD COLUMN snoozed_until DATE")
    run("CREATE INDEX ix_contact_birthday ON contact (birthday_month, birthday_day)")


def m003_profiles(run: Callable[[str], Any]) -> None:
    """A profile link (LinkedIn and the like) and a stable UID per contact, for imports
    that match people again and exports (vCard, iCalendar) that update in place; and
    the first due day that spreads a large import over its cadence."""
    run("ALTER TABLE contact ADD COLUMN url VARCHAR")
    run("ALTER TABLE contact ADD COLUMN uid VARCHAR")
    run("ALTER TABLE contact ADD COLUMN first_due DATE")
    if on_server(run):
        run("UPDATE contact SET uid = CAST(gen_random_uuid() AS text)")
    else:
        run(
            "UPDATE contact SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' "
            "|| substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) "
            "|| substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
        )
    run("CREATE UNIQUE INDEX ix_contact_uid ON contact (uid)")
    # Nothing looks emails up by address in SQL (import matches in memory): the index
    # only slowed every insert.
    run("DROP INDEX ix_email_address")


# From version 4 on, the favor summary also counts every ask (favor received, whatever
# became of it) and the declined ones, so `stats` needs no scan of the favor table.
_FAVOR_SUMMARY_V4 = """
UPDATE contact_stats SET (last_favor, given_count, given_weight, received_count, received_weight,
                          asked_count, declined_count) = (
    SELECT max(CASE WHEN status IN ('done', 'promised', 'asked') THEN date END),
           coalesce(sum(direction = 'given' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'given' AND status = 'done' THEN weight END), 0),
           coalesce(sum(direction = 'received' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'received' AND status = 'done' THEN weight END), 0),
           coalesce(sum(direction = 'received'), 0),
           coalesce(sum(direction = 'received' AND status = 'declined'), 0)
    FROM favor WHERE favor.contact_id = contact_stats.contact_id)
WHERE contact_id IN ({ids})
"""


def m004_ask_counts(run: Callable[[str], Any]) -> None:
    """Per-contact counts of asks and declined asks, kept by the favor triggers."""
    run("ALTER TABLE contact_stats ADD COLUMN asked_count INTEGER NOT NULL DEFAULT 0")
    run("ALTER TABLE contact_stats ADD COLUMN declined_count INTEGER NOT NULL DEFAULT 0")
    for trigger in ("insert", "update", "delete"):
        run(f"DROP TRIGGER contact_stats_on_favor_{trigger}")
    run("""
        CREATE TRIGGER contact_stats_on_favor_insert AFTER INSERT ON favor BEGIN
            UPDATE contact_stats SET
                last_favor = CASE WHEN NEW.status IN ('done', 'promised', 'asked')
                    THEN max(coalesce(last_favor, ''), NEW.date) ELSE last_favor END,
                given_count = given_count + (NEW.direction = 'given' AND NEW.status = 'done'),
                given_weight = given_weight + CASE
                    WHEN NEW.direction = 'given' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END,
                received_count = received_count
                    + (NEW.direction = 'received' AND NEW.status = 'done'),
                received_weight = received_weight + CASE
                    WHEN NEW.direction = 'received' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END,
                asked_count = asked_count + (NEW.direction = 'received'),
                declined_count = declined_count
                    + (NEW.direction = 'received' AND NEW.status = 'declined')
            WHERE contact_id = NEW.contact_id;
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_favor_update
        AFTER UPDATE OF contact_id, direction, weight, date, status ON favor BEGIN
            {_FAVOR_SUMMARY_V4.format(ids="OLD.contact_id, NEW.contact_id")};
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_favor_delete AFTER DELETE ON favor BEGIN
            {_FAVOR_SUMMARY_V4.format(ids="OLD.contact_id")};
        END""")
    run(_FAVOR_SUMMARY_V4.format(ids="SELECT contact_id FROM contact_stats"))


def create_undo_triggers(run: Callable[[str], Any], table: str) -> None:
    """The three triggers that journal `table` (see ledger/journal.py), for its columns now.

    A later migration that adds a column to a journaled table must drop and call this again.
    """
    columns = [row[1] for row in run(f"PRAGMA table_info({table})").fetchall()]
    when = "WHEN (SELECT recording FROM undo_state) IS NOT NULL"
    entry = "INSERT INTO undo_entry (command_id, statement) VALUES ((SELECT recording FROM undo_state), "
    if on_server(run):
        _create_server_undo_triggers(run, table, columns, when, entry)
        return
    old_values = " || ', ' || ".join(f"quote(OLD.{c})" for c in columns)
    assignments = " || ', ' || ".join(f"'{c} = ' || quote(OLD.{c})" for c in columns)
    run(f"""
        CREATE TRIGGER undo_{table}_insert AFTER INSERT ON {table} {when} BEGIN
            {entry}'DELETE FROM {table} WHERE rowid = ' || NEW.rowid);
        END""")
    run(f"""
        CREATE TRIGGER undo_{table}_update AFTER UPDATE ON {table} {when} BEGIN
            {entry}'UPDATE {table} SET ' || {assignments} || ' WHERE rowid = ' || OLD.rowid);
        END""")
    run(f"""
        CREATE TRIGGER undo_{table}_delete BEFORE DELETE ON {table} {when} BEGIN
            {entry}'INSERT INTO {table} (rowid, {", ".join(columns)}) VALUES (' || OLD.rowid
                || ', ' || {old_values} || ')');
        END""")


def _create_server_undo_triggers(
    run: Callable[[str], Any], table: str, columns: list[str], when: str, entry: str
) -> None:
    """PostgreSQL's form of the undo triggers: rows are found again by their primary key
    (there is no rowid), values are quoted by quote_nullable()."""
    key = [
        row[0]
        for row in run(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            f"AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '{table}'::regclass AND i.indisprimary "
            "ORDER BY a.attnum"
        ).fetchall()
    ]

    def where(row: str) -> str:
        return " || ' AND ' || ".join(f'\'"{c}" = \' || quote_nullable({row}."{c}")' for c in key)

    old_values = " || ', ' || ".join(f'quote_nullable(OLD."{c}")' for c in columns)
    assignments = " || ', ' || ".join(f'\'"{c}" = \' || quote_nullable(OLD."{c}")' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    run(f"""
        CREATE TRIGGER undo_{table}_insert AFTER INSERT ON {table} {when} BEGIN
            {entry}'DELETE FROM {table} WHERE ' || {where("NEW")});
        END""")
    run(f"""
        CREATE TRIGGER undo_{table}_update AFTER UPDATE ON {table} {when} BEGIN
            {entry}'UPDATE {table} SET ' || {assignments} || ' WHERE ' || {where("NEW")});
        END""")
    run(f"""
        CREATE TRIGGER undo_{table}_delete BEFORE DELETE ON {table} {when} BEGIN
            {entry}'INSERT INTO {table} ({names}) VALUES (' || {old_values} || ')');
        END""")


def m005_undo_journal(run: Callable[[str], Any]) -> None:
    """The journal `netlog undo` replays, and a cheaper summary trigger for moved links.

    Moving a contact's links to another (merge) recomputed the receiving contact's whole
    summary per link: quadratic for a busy contact. The new contact's summary is now
    updated incrementally; only the contact the link left is recomputed.
    """
    run("""
        CREATE TABLE undo_command (
            id INTEGER NOT NULL PRIMARY KEY,
            command VARCHAR NOT NULL,
            created_at DATETIME NOT NULL
        )""")
    run("""
        CREATE TABLE undo_entry (
            id INTEGER NOT NULL PRIMARY KEY,
            command_id INTEGER NOT NULL REFERENCES undo_command (id) ON DELETE CASCADE,
            statement VARCHAR NOT NULL
        )""")
    run("CREATE INDEX ix_undo_entry_command ON undo_entry (command_id, id)")
    run("""
        CREATE TABLE undo_state (
            id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            recording INTEGER
        )""")
    run("INSERT INTO undo_state (id, recording) VALUES (1, NULL)")
    for table in ("contact", "email", "tag", "contact_tag", "interaction", "interaction_contact",
                  "favor", "setting"):  # fmt: skip
        create_undo_triggers(run, table)
    run("DROP TRIGGER contact_stats_on_link_update")
    run(f"""
        CREATE TRIGGER contact_stats_on_link_update AFTER UPDATE ON interaction_contact BEGIN
            {_INTERACTION_SUMMARY.format(ids="OLD.contact_id")};
            UPDATE contact_stats SET
                interaction_count = interaction_count + 1,
                last_interaction = max(coalesce(last_interaction, ''),
                    (SELECT date FROM interaction WHERE id = NEW.interaction_id))
            WHERE contact_id = NEW.contact_id AND NEW.contact_id != OLD.contact_id;
        END""")


# From version 6 on: keeping a promise, or receiving what you asked for, is a touch on
# the day it is done (`resolved_on`), and the summary counts what is still open (asks you
# wait on, promises you owe), which `due`, `balance` and the ask warning read.
_FAVOR_SUMMARY_V6 = """
UPDATE contact_stats SET (last_favor, given_count, given_weight, received_count, received_weight,
                          asked_count, declined_count, open_asks, open_promises) = (
    SELECT max(CASE WHEN status = 'done' AND resolved_on > date THEN resolved_on
                    WHEN status IN ('done', 'promised', 'asked') THEN date END),
           coalesce(sum(direction = 'given' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'given' AND status = 'done' THEN weight END), 0),
           coalesce(sum(direction = 'received' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'received' AND status = 'done' THEN weight END), 0),
           coalesce(sum(direction = 'received'), 0),
           coalesce(sum(direction = 'received' AND status = 'declined'), 0),
           coalesce(sum(direction = 'received' AND status IN ('promised', 'asked')), 0),
           coalesce(sum(direction = 'given' AND status IN ('promised', 'asked')), 0)
    FROM favor WHERE favor.contact_id = contact_stats.contact_id)
WHERE contact_id IN ({ids})
"""


def m006_kept_promises_touch(run: Callable[[str], Any]) -> None:
    """A promise kept or an ask delivered touches the contact on the day it is done; the
    summary counts open asks and open promises."""
    run("ALTER TABLE contact_stats ADD COLUMN open_asks INTEGER NOT NULL DEFAULT 0")
    run("ALTER TABLE contact_stats ADD COLUMN open_promises INTEGER NOT NULL DEFAULT 0")
    # Weekly touches and the streak count the days promises were kept, by this index.
    run("CREATE INDEX ix_favor_resolved ON favor (resolved_on)")
    for trigger in ("insert", "update", "delete"):
        run(f"DROP TRIGGER contact_stats_on_favor_{trigger}")
    run("""
        CREATE TRIGGER contact_stats_on_favor_insert AFTER INSERT ON favor BEGIN
            UPDATE contact_stats SET
                last_favor = CASE
                    WHEN NEW.status = 'done' AND NEW.resolved_on > NEW.date
                        THEN max(coalesce(last_favor, ''), NEW.resolved_on)
                    WHEN NEW.status IN ('done', 'promised', 'asked')
                        THEN max(coalesce(last_favor, ''), NEW.date)
                    ELSE last_favor END,
                given_count = given_count + (NEW.direction = 'given' AND NEW.status = 'done'),
                given_weight = given_weight + CASE
                    WHEN NEW.direction = 'given' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END,
                received_count = received_count
                    + (NEW.direction = 'received' AND NEW.status = 'done'),
                received_weight = received_weight + CASE
                    WHEN NEW.direction = 'received' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END,
                asked_count = asked_count + (NEW.direction = 'received'),
                declined_count = declined_count
                    + (NEW.direction = 'received' AND NEW.status = 'declined'),
                open_asks = open_asks
                    + (NEW.direction = 'received' AND NEW.status IN ('promised', 'asked')),
                open_promises = open_promises
                    + (NEW.direction = 'given' AND NEW.status IN ('promised', 'asked'))
            WHERE contact_id = NEW.contact_id;
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_favor_update
        AFTER UPDATE OF contact_id, direction, weight, date, status, resolved_on ON favor BEGIN
            {_FAVOR_SUMMARY_V6.format(ids="OLD.contact_id, NEW.contact_id")};
        END""")
    run(f"""
        CREATE TRIGGER contact_stats_on_favor_delete AFTER DELETE ON favor BEGIN
            {_FAVOR_SUMMARY_V6.format(ids="OLD.contact_id")};
        END""")
    run(_FAVOR_SUMMARY_V6.format(ids="SELECT contact_id FROM contact_stats"))


def rebuild_table(run: Callable[[str], Any], table: str, change: Callable[[str], str]) -> None:
    """SQLite's way to change what ALTER TABLE cannot: a new table from the old one's
    CREATE statement (edited by `change`), the rows copied, the old one dropped, its
    indexes and triggers made again. Run with foreign keys off and `legacy_alter_table`
    on (see `needs_table_rebuild`), so references to the table from other tables and
    their triggers keep naming it and find the new one."""
    create = run(f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'").scalar()
    companions = [
        row[0]
        for row in run(
            f"SELECT sql FROM sqlite_master WHERE tbl_name = '{table}' AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name"
        )
    ]
    changed = change(create)
    if changed == create:
        raise RuntimeError(f"the rebuild of {table} changes nothing: {create}")
    run(f"ALTER TABLE {table} RENAME TO {table}_before_rebuild")
    run(changed)
    run(f"INSERT INTO {table} SELECT * FROM {table}_before_rebuild")  # no trigger fires: none yet
    run(f"DROP TABLE {table}_before_rebuild")
    for sql in companions:
        run(sql)


def needs_table_rebuild(step: Step) -> Step:
    """Mark a step that rebuilds tables: migrate() runs it with foreign keys off and
    legacy_alter_table on, and checks the foreign keys before it commits."""
    step.rebuilds_tables = True  # type: ignore[attr-defined]
    return step


@needs_table_rebuild
def m007_ids_never_reused(run: Callable[[str], Any]) -> None:
    """Ids of contacts, interactions and favors are never given twice: after an undo or
    rm-favor, the next favor gets a new id, so `netlog done f17` from shell history can't
    mark a different favor (AUTOINCREMENT; on PostgreSQL a trigger keeps the highest id
    given, which the write path reads as SQLite's sqlite_sequence)."""
    if on_server(run):
        from netlog.storage.pgsql import high_id_trigger

        for table in ("contact", "interaction", "favor"):
            for statement in high_id_trigger(table):
                run(statement)
        return
    for table in ("contact", "interaction", "favor"):
        rebuild_table(
            run,
            table,
            lambda sql: re.sub(
                r"\bid INTEGER NOT NULL PRIMARY KEY\b",
                "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
                sql,
                count=1,
            ),
        )


def m008_summary_row_by_write_path(run: Callable[[str], Any]) -> None:
    """A new contact's summary row is inserted by the write path with the contact
    (ledger/write.py add_contacts, in batches), not by a trigger per row: the one way a
    contact is created is also the fastest one for a large import. The triggers that keep
    the summary current as touches and favors change stay."""
    run("DROP TRIGGER contact_stats_on_contact")


def m009_name_parts(run: Callable[[str], Any]) -> None:
    """A contact's name in parts, as address books keep it (vCard N and NICKNAME, Google's
    name columns), beside the name shown: so a family name of two words, a middle name
    or a nickname survive an import and an export."""
    for column in ("name_prefix", "given_name", "middle_name", "family_name", "name_suffix", "nickname"):
        run(f"ALTER TABLE contact ADD COLUMN {column} VARCHAR")
    for action in ("insert", "update", "delete"):
        run(f"DROP TRIGGER undo_contact_{action}")
    create_undo_triggers(run, "contact")


def m010_address_book(run: Callable[[str], Any]) -> None:
    """A contact card whole: labelled emails (one preferred), and a `detail` table for
    labelled phone numbers, postal addresses, links and dated events. The phone and link
    each contact had become its first, preferred, entries."""
    run("ALTER TABLE email ADD COLUMN label VARCHAR")
    run("ALTER TABLE email ADD COLUMN preferred BOOLEAN NOT NULL DEFAULT 0")
    true = "true" if on_server(run) else "1"
    run(f"UPDATE email SET preferred = {true} WHERE id IN (SELECT min(id) FROM email GROUP BY contact_id)")
    run("""
        CREATE TABLE detail (
            id INTEGER NOT NULL PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            kind VARCHAR NOT NULL,
            label VARCHAR,
            value VARCHAR,
            preferred BOOLEAN NOT NULL,
            po_box VARCHAR,
            extended VARCHAR,
            street VARCHAR,
            locality VARCHAR,
            region VARCHAR,
            postcode VARCHAR,
            country VARCHAR
        )""")
    run("CREATE INDEX ix_detail_contact ON detail (contact_id, kind)")
    for column, kind in (("phone", "phone"), ("url", "url")):
        run(f"""
            INSERT INTO detail (contact_id, kind, value, preferred)
            SELECT id, '{kind}', {column}, {true} FROM contact
            WHERE {column} IS NOT NULL AND {column} != '' ORDER BY id""")
    for action in ("insert", "update", "delete"):
        run(f"DROP TRIGGER undo_email_{action}")
    create_undo_triggers(run, "email")
    create_undo_triggers(run, "detail")


# The days a contact was touched (see ledger/rules.py): at an interaction, on a favor's
# day unless it was declined, and on the day a favor was done. `{ids}` selects contacts.
_TOUCH_DAYS = """
INSERT OR IGNORE INTO touch_day (contact_id, day)
SELECT ic.contact_id, i.date FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id
WHERE ic.contact_id IN ({ids})
UNION SELECT contact_id, date FROM favor WHERE contact_id IN ({ids}) AND status != 'declined'
UNION SELECT contact_id, resolved_on FROM favor
WHERE contact_id IN ({ids}) AND status = 'done' AND resolved_on IS NOT NULL
"""


def _touch_days_again(ids: str) -> str:
    """Trigger body: the touch days of the contacts `ids`, recomputed from their rows (by
    index); skipped for a contact whose summary row is gone (being deleted or merged away,
    rows by the thousand: see write.remove_contact)."""
    live = f"SELECT contact_id FROM contact_stats WHERE contact_id IN ({ids})"
    return f"DELETE FROM touch_day WHERE contact_id IN ({ids}); {_TOUCH_DAYS.format(ids=live)};"


# The days two contacts were at the same touch (an introduction's own aside: that is the
# introduction), both ways round. `{ids}` selects contacts; `{kind}` is the interaction.
_MET_PAIRS = """
INSERT OR IGNORE INTO met_pair (a_id, b_id, day)
SELECT ic.contact_id, other.contact_id, i.date FROM interaction_contact ic
CROSS JOIN interaction_contact other ON other.interaction_id = ic.interaction_id
    AND other.contact_id != ic.contact_id
CROSS JOIN interaction i ON i.id = ic.interaction_id
WHERE ic.contact_id IN ({ids}) AND i.kind != 'intro'
UNION SELECT other.contact_id, ic.contact_id, i.date FROM interaction_contact ic
CROSS JOIN interaction_contact other ON other.interaction_id = ic.interaction_id
    AND other.contact_id != ic.contact_id
CROSS JOIN interaction i ON i.id = ic.interaction_id
WHERE ic.contact_id IN ({ids}) AND i.kind != 'intro'
"""


def _met_pairs_again(ids: str) -> str:
    """Trigger body: the pairs of the contacts `ids`, recomputed from their touches (by
    index), skipped for a contact whose summary row is gone, as for touch days."""
    live = f"SELECT contact_id FROM contact_stats WHERE contact_id IN ({ids})"
    return (
        f"DELETE FROM met_pair WHERE a_id IN ({live}); DELETE FROM met_pair WHERE b_id IN ({live}); "
        f"{_MET_PAIRS.format(ids=live)};"
    )


def create_met_pair_triggers(run: Callable[[str], Any]) -> None:
    run("""
        CREATE TRIGGER met_pair_on_link_insert AFTER INSERT ON interaction_contact BEGIN
            INSERT OR IGNORE INTO met_pair (a_id, b_id, day)
            SELECT NEW.contact_id, other.contact_id, i.date FROM interaction i
            JOIN interaction_contact other ON other.interaction_id = i.id
            WHERE i.id = NEW.interaction_id AND other.contact_id != NEW.contact_id AND i.kind != 'intro'
            UNION SELECT other.contact_id, NEW.contact_id, i.date FROM interaction i
            JOIN interaction_contact other ON other.interaction_id = i.id
            WHERE i.id = NEW.interaction_id AND other.contact_id != NEW.contact_id AND i.kind != 'intro';
        END""")
    run(f"""
        CREATE TRIGGER met_pair_on_link_delete AFTER DELETE ON interaction_contact BEGIN
            {
        _met_pairs_again(
            "SELECT OLD.contact_id UNION SELECT contact_id FROM interaction_contact "
            "WHERE interaction_id = OLD.interaction_id"
        )
    }
        END""")
    run(f"""
        CREATE TRIGGER met_pair_on_link_update AFTER UPDATE ON interaction_contact BEGIN
            {
        _met_pairs_again(
            "SELECT OLD.contact_id UNION SELECT NEW.contact_id UNION SELECT contact_id "
            "FROM interaction_contact WHERE interaction_id IN (OLD.interaction_id, "
            "NEW.interaction_id)"
        )
    }
        END""")
    run(f"""
        CREATE TRIGGER met_pair_on_interaction AFTER UPDATE OF date, kind ON interaction BEGIN
            {_met_pairs_again("SELECT contact_id FROM interaction_contact WHERE interaction_id = NEW.id")}
        END""")


def create_touch_day_triggers(run: Callable[[str], Any]) -> None:
    run("""
        CREATE TRIGGER touch_day_on_link_insert AFTER INSERT ON interaction_contact BEGIN
            INSERT OR IGNORE INTO touch_day (contact_id, day)
            SELECT NEW.contact_id, date FROM interaction WHERE id = NEW.interaction_id;
        END""")
    run(f"""
        CREATE TRIGGER touch_day_on_link_delete AFTER DELETE ON interaction_contact BEGIN
            {_touch_days_again("OLD.contact_id")}
        END""")
    run(f"""
        CREATE TRIGGER touch_day_on_link_update AFTER UPDATE ON interaction_contact BEGIN
            {_touch_days_again("OLD.contact_id, NEW.contact_id")}
        END""")
    run(f"""
        CREATE TRIGGER touch_day_on_interaction_date AFTER UPDATE OF date ON interaction BEGIN
            {_touch_days_again("SELECT contact_id FROM interaction_contact WHERE interaction_id = NEW.id")}
        END""")
    run("""
        CREATE TRIGGER touch_day_on_favor_insert AFTER INSERT ON favor BEGIN
            INSERT OR IGNORE INTO touch_day (contact_id, day)
            SELECT NEW.contact_id, NEW.date WHERE NEW.status != 'declined'
            UNION SELECT NEW.contact_id, NEW.resolved_on
            WHERE NEW.status = 'done' AND NEW.resolved_on IS NOT NULL;
        END""")
    run(f"""
        CREATE TRIGGER touch_day_on_favor_update
        AFTER UPDATE OF contact_id, date, status, resolved_on ON favor BEGIN
            {_touch_days_again("OLD.contact_id, NEW.contact_id")}
        END""")
    run(f"""
        CREATE TRIGGER touch_day_on_favor_delete AFTER DELETE ON favor BEGIN
            {_touch_days_again("OLD.contact_id")}
        END""")


@needs_table_rebuild
def m011_introductions(run: Callable[[str], Any]) -> None:
    """Introductions you make (`netlog intro`) and pairs you know know each other
    (`netlog knows`); a favor can be an introduction; an interaction can be of kind
    `intro`. An introduction you received (a contact's `via`) becomes a favor received
    from the introducer, weight 2, done on the day you met, so the balance with them
    counts it."""
    # "me" is you now (a path starts from "me"): a contact with that handle gets another.
    run("""
        UPDATE contact SET handle = CASE WHEN NOT EXISTS (SELECT 1 FROM contact WHERE handle = 'me-2')
            THEN 'me-2' ELSE 'me-' || id END
        WHERE handle = 'me'""")
    if on_server(run):
        run(
            "ALTER TABLE interaction DROP CONSTRAINT interaction_kind_check, ADD CONSTRAINT "
            "interaction_kind_check CHECK (kind IN ('meeting', 'call', 'message', 'email', 'meal', "
            "'event', 'other', 'intro'))"
        )
    else:
        rebuild_table(
            run, "interaction", lambda sql: sql.replace("'event', 'other')", "'event', 'other', 'intro')", 1)
        )
    run("""
        CREATE TABLE introduction (
            id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            date DATE NOT NULL,
            a_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            b_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            note VARCHAR,
            outcome VARCHAR NOT NULL DEFAULT 'made' CHECK (outcome IN ('made', 'connected', 'fizzled')),
            outcome_on DATE,
            outcome_note VARCHAR,
            interaction_id INTEGER REFERENCES interaction (id) ON DELETE SET NULL,
            created_at DATETIME NOT NULL,
            CHECK (a_id != b_id)
        )""")
    run("CREATE INDEX ix_introduction_a ON introduction (a_id)")
    run("CREATE INDEX ix_introduction_b ON introduction (b_id)")
    run("""
        CREATE TABLE knows (
            id INTEGER NOT NULL PRIMARY KEY,
            a_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            b_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            date DATE NOT NULL,
            note VARCHAR,
            created_at DATETIME NOT NULL,
            UNIQUE (a_id, b_id),
            CHECK (a_id < b_id)
        )""")
    run("CREATE INDEX ix_knows_b ON knows (b_id)")
    # The days each contact was touched, kept by triggers as the summary is: how often you
    # were in touch this last year (tie strength's frequency) is one index range per
    # contact, not a pass over the year's interactions.
    run("""
        CREATE TABLE touch_day (
            contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            day DATE NOT NULL,
            PRIMARY KEY (contact_id, day)
        ) WITHOUT ROWID""")
    run("ALTER TABLE favor ADD COLUMN introduced_id INTEGER REFERENCES contact (id) ON DELETE SET NULL")
    run(
        "ALTER TABLE favor ADD COLUMN introduction_id INTEGER REFERENCES introduction (id) ON DELETE SET NULL"
    )
    # Looked up by the introduction they stand for: a via's favor, an introduction's two.
    run("CREATE INDEX ix_favor_introduced ON favor (introduced_id)")
    for action in ("insert", "update", "delete"):
        run(f"DROP TRIGGER undo_favor_{action}")
    create_undo_triggers(run, "favor")
    create_undo_triggers(run, "introduction")
    create_undo_triggers(run, "knows")
    create_touch_day_triggers(run)
    # Who was at the same touch as whom, on which days, kept by triggers as touch days
    # are: whom someone knows from meetings is one index range, even for the person you
    # have seen 30,000 times.
    run("""
        CREATE TABLE met_pair (
            a_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            b_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            day DATE NOT NULL,
            PRIMARY KEY (a_id, b_id, day)
        ) WITHOUT ROWID""")
    run("CREATE INDEX ix_met_pair_b ON met_pair (b_id)")
    create_met_pair_triggers(run)
    run(_MET_PAIRS.format(ids="SELECT contact_id FROM contact_stats"))
    now = (
        "CAST(now() AT TIME ZONE 'UTC' AS timestamp)"
        if on_server(run)
        else "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')"
    )
    run(f"""
        INSERT INTO favor (contact_id, direction, description, weight, date, status, resolved_on,
                           created_at, introduced_id)
        SELECT c.via_id, 'received', 'introduced you to ' || c.name, 2,
               coalesce(c.met_on, date(c.created_at)), 'done', coalesce(c.met_on, date(c.created_at)),
               {now}, c.id
        FROM contact c WHERE c.via_id IS NOT NULL AND c.via_id != c.id ORDER BY c.id""")
    run(_TOUCH_DAYS.format(ids="SELECT contact_id FROM contact_stats"))


def m012_needs_and_offers(run: Callable[[str], Any]) -> None:
    """What contacts (and you) need and can offer (`netlog need`, `netlog offer`), with
    their tags; journaled for undo."""
    run("""
        CREATE TABLE need_offer (
            id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            contact_id INTEGER REFERENCES contact (id) ON DELETE CASCADE,
            kind VARCHAR NOT NULL CHECK (kind IN ('need', 'offer')),
            text VARCHAR NOT NULL,
            created_on DATE NOT NULL,
            until DATE,
            status VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'dropped')),
            met_on DATE,
            met_by_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
            met_by_me BOOLEAN NOT NULL DEFAULT 0,
            dropped_on DATE,
            favor_id INTEGER REFERENCES favor (id) ON DELETE SET NULL,
            created_at DATETIME NOT NULL,
            CHECK (kind = 'need' OR status != 'met')
        )""")
    run("CREATE INDEX ix_need_offer_contact ON need_offer (contact_id, kind)")
    run("CREATE INDEX ix_need_offer_open ON need_offer (kind, status)")
    run("CREATE INDEX ix_need_offer_met ON need_offer (met_on)")
    run("""
        CREATE TABLE need_offer_tag (
            need_offer_id INTEGER NOT NULL REFERENCES need_offer (id) ON DELETE CASCADE,
            tag VARCHAR NOT NULL,
            PRIMARY KEY (need_offer_id, tag)
        )""")
    create_undo_triggers(run, "need_offer")
    create_undo_triggers(run, "need_offer_tag")


MEMBER_TABLES = ("interaction", "favor", "introduction", "knows", "need_offer")

# Each member's summary of each contact, as contact_stats is everyone's (m013). `{pairs}`
# selects (contact_id, member) pairs; a contact whose summary row is gone (being removed
# or merged away) is skipped, as its touch days are.
_MEMBER_LIVE = "AND EXISTS (SELECT 1 FROM contact_stats cs WHERE cs.contact_id = member_stats.contact_id)"
_MEMBER_INTERACTIONS = f"""
UPDATE member_stats SET (last_interaction, interaction_count) = (
    SELECT max(i.date), count(*)
    FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id
    WHERE ic.contact_id = member_stats.contact_id AND i.member = member_stats.member)
WHERE (contact_id, member) IN ({{pairs}}) {_MEMBER_LIVE}
"""
_MEMBER_FAVORS = f"""
UPDATE member_stats SET (last_favor, given_count, given_weight, received_count, received_weight,
                         asked_count, declined_count, open_asks, open_promises) = (
    SELECT max(CASE WHEN status = 'done' AND resolved_on > date THEN resolved_on
                    WHEN status IN ('done', 'promised', 'asked') THEN date END),
           coalesce(sum(direction = 'given' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'given' AND status = 'done' THEN weight END), 0),
           coalesce(sum(direction = 'received' AND status = 'done'), 0),
           coalesce(sum(CASE WHEN direction = 'received' AND status = 'done' THEN weight END), 0),
           coalesce(sum(direction = 'received'), 0),
           coalesce(sum(direction = 'received' AND status = 'declined'), 0),
           coalesce(sum(direction = 'received' AND status IN ('promised', 'asked')), 0),
           coalesce(sum(direction = 'given' AND status IN ('promised', 'asked')), 0)
    FROM favor WHERE favor.contact_id = member_stats.contact_id AND favor.member = member_stats.member)
WHERE (contact_id, member) IN ({{pairs}}) {_MEMBER_LIVE}
"""
# m014's: the people first (CROSS JOIN fixes SQLite's join order). Without statistics
# SQLite took the index on the member's touches instead, and read every touch the member
# ever recorded for each contact: a rebuild of member_stats (every undo) did not finish in
# five minutes on a file of 10,000 contacts and 200,000 touches.
_MEMBER_INTERACTIONS_V14 = f"""
UPDATE member_stats SET (last_interaction, interaction_count) = (
    SELECT max(i.date), count(*)
    FROM interaction_contact ic CROSS JOIN interaction i ON i.id = ic.interaction_id
    WHERE ic.contact_id = member_stats.contact_id AND i.member = member_stats.member)
WHERE (contact_id, member) IN ({{pairs}}) {_MEMBER_LIVE}
"""
_MEMBER_PAIRS_OF_ROWS = """
SELECT DISTINCT ic.contact_id, i.member FROM interaction_contact ic
JOIN interaction i ON i.id = ic.interaction_id WHERE i.member IS NOT NULL
UNION SELECT contact_id, member FROM favor WHERE member IS NOT NULL
"""


def recompute_member_stats_sql() -> list[str]:
    """Statements that rebuild every member's summary from the rows."""
    everyone = "SELECT contact_id, member FROM member_stats"
    return [
        "DELETE FROM member_stats",
        f"INSERT INTO member_stats (contact_id, member) {_MEMBER_PAIRS_OF_ROWS}",
        _MEMBER_INTERACTIONS_V14.format(pairs=everyone),
        _MEMBER_FAVORS.format(pairs=everyone),
    ]


def _recompute_member_stats_v13() -> list[str]:
    """m013's rebuild of every member's summary, as it shipped."""
    everyone = "SELECT contact_id, member FROM member_stats"
    return [
        "DELETE FROM member_stats",
        f"INSERT INTO member_stats (contact_id, member) {_MEMBER_PAIRS_OF_ROWS}",
        _MEMBER_INTERACTIONS.format(pairs=everyone),
        _MEMBER_FAVORS.format(pairs=everyone),
    ]


def create_member_stats(run: Callable[[str], Any]) -> None:
    run("""
        CREATE TABLE member_stats (
            contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
            member VARCHAR NOT NULL,
            last_interaction DATE,
            last_favor DATE,
            interaction_count INTEGER NOT NULL DEFAULT 0,
            given_count INTEGER NOT NULL DEFAULT 0,
            given_weight INTEGER NOT NULL DEFAULT 0,
            received_count INTEGER NOT NULL DEFAULT 0,
            received_weight INTEGER NOT NULL DEFAULT 0,
            asked_count INTEGER NOT NULL DEFAULT 0,
            declined_count INTEGER NOT NULL DEFAULT 0,
            open_asks INTEGER NOT NULL DEFAULT 0,
            open_promises INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (contact_id, member)
        )""")
    # Inserts add to the member's row (cheap in bulk imports); updates and deletes
    # recompute the rows they touch, as the everyone's summary does.
    run("""
        CREATE TRIGGER member_stats_on_favor_insert AFTER INSERT ON favor WHEN NEW.member IS NOT NULL BEGIN
            INSERT OR IGNORE INTO member_stats (contact_id, member) VALUES (NEW.contact_id, NEW.member);
            UPDATE member_stats SET
                last_favor = CASE
                    WHEN NEW.status = 'done' AND NEW.resolved_on > NEW.date
                        THEN max(coalesce(last_favor, ''), NEW.resolved_on)
                    WHEN NEW.status IN ('done', 'promised', 'asked')
                        THEN max(coalesce(last_favor, ''), NEW.date)
                    ELSE last_favor END,
                given_count = given_count + (NEW.direction = 'given' AND NEW.status = 'done'),
                given_weight = given_weight + CASE
                    WHEN NEW.direction = 'given' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END,
                received_count = received_count
                    + (NEW.direction = 'received' AND NEW.status = 'done'),
                received_weight = received_weight + CASE
                    WHEN NEW.direction = 'received' AND NEW.status = 'done' THEN NEW.weight ELSE 0 END,
                asked_count = asked_count + (NEW.direction = 'received'),
                declined_count = declined_count
                    + (NEW.direction = 'received' AND NEW.status = 'declined'),
                open_asks = open_asks
                    + (NEW.direction = 'received' AND NEW.status IN ('promised', 'asked')),
                open_promises = open_promises
                    + (NEW.direction = 'given' AND NEW.status IN ('promised', 'asked'))
            WHERE contact_id = NEW.contact_id AND member = NEW.member;
        END""")
    both = "SELECT OLD.contact_id, OLD.member UNION SELECT NEW.contact_id, NEW.member"
    run(f"""
        CREATE TRIGGER member_stats_on_favor_update
        AFTER UPDATE OF contact_id, direction, weight, date, status, resolved_on, member ON favor BEGIN
            INSERT OR IGNORE INTO member_stats (contact_id, member)
            SELECT NEW.contact_id, NEW.member WHERE NEW.member IS NOT NULL;
            {_MEMBER_FAVORS.format(pairs=both)};
        END""")
    run(f"""
        CREATE TRIGGER member_stats_on_favor_delete AFTER DELETE ON favor BEGIN
            {_MEMBER_FAVORS.format(pairs="SELECT OLD.contact_id, OLD.member")};
        END""")
    _create_member_touch_triggers(run, _MEMBER_INTERACTIONS)
    for statement in _recompute_member_stats_v13():
        run(statement)


def _create_member_touch_triggers(run: Callable[[str], Any], interactions: str) -> None:
    """member_stats' triggers on the touches and their people, with `interactions` the
    statement that recomputes a member's touches of a contact (m013's, then m014's)."""
    arriving = """
            INSERT OR IGNORE INTO member_stats (contact_id, member)
            SELECT NEW.contact_id, member FROM interaction
            WHERE id = NEW.interaction_id AND member IS NOT NULL;
            UPDATE member_stats SET
                interaction_count = interaction_count + 1,
                last_interaction = max(coalesce(last_interaction, ''),
                    (SELECT date FROM interaction WHERE id = NEW.interaction_id))
            WHERE contact_id = NEW.contact_id
              AND member = (SELECT member FROM interaction WHERE id = NEW.interaction_id)"""
    run(f"""
        CREATE TRIGGER member_stats_on_link_insert AFTER INSERT ON interaction_contact BEGIN
            {arriving};
        END""")
    of_old = "SELECT contact_id, member FROM member_stats WHERE contact_id = OLD.contact_id"
    run(f"""
        CREATE TRIGGER member_stats_on_link_delete AFTER DELETE ON interaction_contact BEGIN
            {interactions.format(pairs=of_old)};
        END""")
    run(f"""
        CREATE TRIGGER member_stats_on_link_update AFTER UPDATE ON interaction_contact BEGIN
            {interactions.format(pairs=of_old)};
            {arriving} AND NEW.contact_id != OLD.contact_id;
        END""")
    run(f"""
        CREATE TRIGGER member_stats_on_interaction_date AFTER UPDATE OF date, member ON interaction BEGIN
            INSERT OR IGNORE INTO member_stats (contact_id, member)
            SELECT contact_id, NEW.member FROM interaction_contact
            WHERE interaction_id = NEW.id AND NEW.member IS NOT NULL;
            {
        interactions.format(
            pairs="SELECT ic.contact_id, m.member FROM interaction_contact ic "
            "CROSS JOIN (SELECT OLD.member AS member UNION SELECT NEW.member) m "
            "WHERE ic.interaction_id = NEW.id"
        )
    };
        END""")


def m013_members(run: Callable[[str], Any]) -> None:
    """Who recorded each touch, favor, introduction, stated tie, need and offer, and each
    command of the undo journal: the member. On PostgreSQL that is the server's
    `current_user` (each member logs in as themselves); in a file, the OS user, who has
    made every row so far. Each member's summary of each contact (`member_stats`) is kept
    by triggers, as everyone's is, for the reports that answer for one member."""
    if on_server(run):
        me = "current_user"
    else:
        from netlog.storage.reader import os_member

        me = "'" + os_member().replace("'", "''") + "'"
    for table in (*MEMBER_TABLES, "undo_command"):
        run(f"ALTER TABLE {table} ADD COLUMN member VARCHAR")
        run(f"UPDATE {table} SET member = {me}")
    run("CREATE INDEX ix_undo_command_member ON undo_command (member, id)")
    run("CREATE INDEX ix_favor_member ON favor (member, contact_id)")
    run("CREATE INDEX ix_interaction_member ON interaction (member, date)")
    for table in MEMBER_TABLES:
        for action in ("insert", "update", "delete"):
            run(f"DROP TRIGGER undo_{table}_{action}")
        create_undo_triggers(run, table)
    create_member_stats(run)


# The triggers that keep the summaries (contact_stats, member_stats, touch_day, met_pair)
# up to date row by row. A command that writes thousands of rows at once (an import, the
# undo of one) has them wait, in its own transaction only, and rebuilds the summaries it
# touched once at the end (ledger/write.py summaries_at_end, ledger/journal.py undo): row
# by row, deleting an import's 20,000 touches recomputed a contact's touch days, meeting
# pairs and summaries once for each of its touches, and on a server each update of the
# same summary row in one transaction leaves a version of it that the next one reads past.
# A later migration that makes one of them again on PostgreSQL must give it the check
# m014 gives them (pgsql.SUMMARIES_LATER).
SUMMARY_TRIGGERS = (
    *(f"{summary}_on_{event}" for summary in ("contact_stats", "member_stats", "touch_day")
      for event in ("favor_insert", "favor_update", "favor_delete", "link_insert", "link_update",
                    "link_delete", "interaction_date")),
    *(f"met_pair_on_{event}" for event in ("link_insert", "link_update", "link_delete", "interaction")),
)  # fmt: skip


def m014_summaries_wait_for_bulk_writes(run: Callable[[str], Any]) -> None:
    """On PostgreSQL, the triggers that keep the summaries wait when a command writing
    thousands of rows asks them to (an import: ledger/write.py summaries_at_end; the undo
    of one: ledger/journal.py undo), which then rebuilds the summaries once. Nothing
    changes in a file for that: SQLite updates a summary row in place, and its undo of a
    large command sets the triggers aside in its own transaction instead.

    On both, member_stats' triggers on touches read a member's touches of a contact
    through the contact's people (_MEMBER_INTERACTIONS_V14)."""
    for event in ("link_insert", "link_delete", "link_update", "interaction_date"):
        run(f"DROP TRIGGER member_stats_on_{event}")
    _create_member_touch_triggers(run, _MEMBER_INTERACTIONS_V14)
    if not on_server(run):
        return
    from netlog.storage import pgsql

    for name in SUMMARY_TRIGGERS:
        body = run(
            f"SELECT prosrc FROM pg_proc WHERE proname = '{name}_fn' "
            "AND pronamespace = CAST(current_schema() AS regnamespace)"
        ).scalar()
        if pgsql.SUMMARIES_LATER not in body:
            body = body.replace("BEGIN\n", f"BEGIN\n{pgsql.SUMMARIES_LATER}\n", 1)
        run(
            f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql "
            f"AS $netlog${body}$netlog$"
        )


MIGRATIONS: list[Step] = [
    m001_initial,
    m002_snooze,
    m003_profiles,
    m004_ask_counts,
    m005_undo_journal,
    m006_kept_promises_touch,
    m007_ids_never_reused,
    m008_summary_row_by_write_path,
    m009_name_parts,
    m010_address_book,
    m011_introductions,
    m012_needs_and_offers,
    m013_members,
    m014_summaries_wait_for_bulk_writes,
]

SCHEMA_VERSION = len(MIGRATIONS)


def recompute_summary_sql() -> list[str]:
    """Statements that rebuild every contact's summary row from scratch (undo, after its
    replay: the rows it puts back have no summary row yet)."""
    everyone = "SELECT contact_id FROM contact_stats"
    return [
        "INSERT OR IGNORE INTO contact_stats (contact_id) SELECT id FROM contact",
        _INTERACTION_SUMMARY.format(ids=everyone),
        _FAVOR_SUMMARY_V6.format(ids=everyone),
        *recompute_member_stats_sql(),
    ]


# A contact's favors summed up, as _FAVOR_SUMMARY_V6 and _MEMBER_FAVORS do it one contact
# at a time (a condition counted by CASE: PostgreSQL's sum() of one is a function a row).
_OPEN = "status IN ('promised', 'asked')"
_FAVOR_FIGURES = (
    ("last_favor", "max(CASE WHEN status = 'done' AND resolved_on > date THEN resolved_on "
                   "WHEN status IN ('done', 'promised', 'asked') THEN date END)"),
    ("given_count", "sum(CASE WHEN direction = 'given' AND status = 'done' THEN 1 ELSE 0 END)"),
    ("given_weight", "sum(CASE WHEN direction = 'given' AND status = 'done' THEN weight ELSE 0 END)"),
    ("received_count", "sum(CASE WHEN direction = 'received' AND status = 'done' THEN 1 ELSE 0 END)"),
    ("received_weight", "sum(CASE WHEN direction = 'received' AND status = 'done' THEN weight ELSE 0 END)"),
    ("asked_count", "sum(CASE WHEN direction = 'received' THEN 1 ELSE 0 END)"),
    ("declined_count", "sum(CASE WHEN direction = 'received' AND status = 'declined' THEN 1 ELSE 0 END)"),
    ("open_asks", f"sum(CASE WHEN direction = 'received' AND {_OPEN} THEN 1 ELSE 0 END)"),
    ("open_promises", f"sum(CASE WHEN direction = 'given' AND {_OPEN} THEN 1 ELSE 0 END)"),
)  # fmt: skip


def recompute_contacts_sql(ids: str) -> list[str]:
    """Statements that rebuild everything the triggers keep for the contacts `ids` (an SQL
    list of contacts that have a summary row), from their rows: their summary, every
    member's summary of them, their touch days and their meeting pairs. Each summary is
    one aggregate over all of them (UPDATE ... FROM), not a look-up per contact: right
    after thousands of rows went in, the server's statistics do not know them yet, and it
    plans a look-up as if the tables were small."""
    favor_names = [name for name, _ in _FAVOR_FIGURES]
    figures = ", ".join(f"{sql} AS {name}" for name, sql in _FAVOR_FIGURES)
    touches = (
        "SELECT ic.contact_id, i.member, max(i.date) AS last_interaction, count(*) AS interaction_count "
        "FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id "
        f"WHERE ic.contact_id IN ({ids}) GROUP BY ic.contact_id, i.member"
    )

    def favors(keys: str) -> str:
        return f"SELECT {keys}, {figures} FROM favor WHERE contact_id IN ({ids}) GROUP BY {keys}"

    zeros = ", ".join(f"{name} = {'NULL' if name == 'last_favor' else 0}" for name in favor_names)
    return [
        f"UPDATE contact_stats SET last_interaction = NULL, interaction_count = 0, {zeros} "
        f"WHERE contact_id IN ({ids})",
        "UPDATE contact_stats SET (last_interaction, interaction_count) = (t.last_interaction, t.n) "
        "FROM (SELECT contact_id, max(last_interaction) AS last_interaction, sum(interaction_count) AS n "
        f"FROM ({touches}) AS m GROUP BY contact_id) AS t WHERE contact_stats.contact_id = t.contact_id",
        f"UPDATE contact_stats SET ({', '.join(favor_names)}) = "
        f"({', '.join('t.' + n for n in favor_names)}) "
        f"FROM ({favors('contact_id')}) AS t "
        "WHERE contact_stats.contact_id = t.contact_id",
        f"DELETE FROM member_stats WHERE contact_id IN ({ids})",
        f"INSERT INTO member_stats (contact_id, member, last_interaction, interaction_count, "
        f"{', '.join(favor_names)}) "
        "SELECT p.contact_id, p.member, t.last_interaction, coalesce(t.interaction_count, 0), "
        + ", ".join(f"f.{n}" if n == "last_favor" else f"coalesce(f.{n}, 0)" for n in favor_names)
        + f" FROM (SELECT contact_id, member FROM ({touches}) AS a WHERE member IS NOT NULL "
        "UNION SELECT contact_id, member FROM favor "
        f"WHERE member IS NOT NULL AND contact_id IN ({ids})) AS p "
        f"LEFT JOIN ({touches}) AS t ON (t.contact_id, t.member) = (p.contact_id, p.member) "
        f"LEFT JOIN ({favors('contact_id, member')}) AS f "
        "ON (f.contact_id, f.member) = (p.contact_id, p.member)",
        *recompute_kept_for_sql(ids),
    ]


def rebuild_everything_sql(*, server: bool) -> list[str]:
    """Statements that rebuild every summary from the rows, for after a large undo whose
    replay the summary triggers sat out. A server's form is recompute_contacts_sql's
    aggregates (its statistics may still describe the ledger before the replay); a
    file's is the one `check --repair` runs (SQLite plans its look-ups by index)."""
    if not server:
        return recompute_all_stats_sql()
    return [
        "INSERT OR IGNORE INTO contact_stats (contact_id) SELECT id FROM contact",
        *recompute_contacts_sql("SELECT contact_id FROM contact_stats"),
    ]


def recompute_kept_for_sql(ids: str) -> list[str]:
    """Statements that rebuild the touch days and meeting pairs of the contacts `ids` (an
    SQL list). Undo runs them for the contacts it put back: while a contact has no
    summary row, the triggers leave its touch days and pairs alone (see
    _touch_days_again); for everyone else the triggers followed every row the replay
    changed."""
    return [
        f"DELETE FROM touch_day WHERE contact_id IN ({ids})",
        _TOUCH_DAYS.format(ids=ids),
        f"DELETE FROM met_pair WHERE a_id IN ({ids})",
        f"DELETE FROM met_pair WHERE b_id IN ({ids})",
        _MET_PAIRS.format(ids=ids),
    ]


def recompute_all_stats_sql() -> list[str]:
    """Statements that rebuild everything the triggers keep, from scratch: the summary,
    the touch days and the meeting pairs (for `check` and tests)."""
    everyone = "SELECT contact_id FROM contact_stats"
    return [
        *recompute_summary_sql(),
        "DELETE FROM touch_day",
        _TOUCH_DAYS.format(ids=everyone),
        "DELETE FROM met_pair",
        _MET_PAIRS.format(ids=everyone),
    ]
