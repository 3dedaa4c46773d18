"""netlog's SQL, spoken to PostgreSQL: the few rewrites and functions that make it mean
on a PostgreSQL server what it means in an SQLite file.

netlog's queries are written once, in the SQL both databases share, with SQLite's
spelling where they differ (storage/dialect.py). On PostgreSQL, two things make them
mean the same:

- Functions and operators SQLite has built in, created in the ledger's database when
  it is made (`compat`): `max(a, b)` and `min(a, b)` of two values, `sum()` of a
  condition, a condition added to a count, a flag compared with 0 or 1,
  `julianday()`, `date(day, '+n days')`, `netlog_fold()` (case and accents).
- Rewrites of statement text (`translate`, applied to every statement netlog sends,
  once per distinct text, never inside a quoted string): `INSERT OR IGNORE`, `LIKE`
  (SQLite's ignores ASCII case: here `ILIKE`), `x IS y` between values, `CROSS JOIN
  ... ON`, `CAST(... AS REAL)`, `coalesce(day, '')`, the PRAGMAs netlog reads,
  `json_each`, `group_concat`, `sqlite_sequence`, `sqlite_master`'s indexes; and
  `LIMIT -1` in the parameters (`parameters`).

Migrations bring their own PostgreSQL form where SQLite's DDL differs
(`ddl`, `trigger`): column types, deferrable references, triggers as functions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# --- statements -----------------------------------------------------------------

_IS_VALUE = re.compile(r"\bIS\s+(NOT\s+)?(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b|NOT\b)(?=[\w:(%])", re.I)
_INSERT_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)\s*(?:\((\w+)\)|=\s*(\S+))?\s*$", re.I)
_JSON_EACH = re.compile(r"SELECT value FROM json_each\((%\(\w+\)s|[^()]*)\)", re.I)
_GROUP_CONCAT = re.compile(r"\bgroup_concat\(", re.I)


def _pragma(match: re.Match[str]) -> str:
    name, table = match.group(1).lower(), match.group(2)
    if name == "integrity_check":
        return "SELECT 'ok' AS integrity_check"
    if name == "foreign_key_check":  # PostgreSQL enforces every reference, always
        return "SELECT NULL AS tbl, NULL AS rowid, NULL AS parent WHERE false"
    if name == "table_info":
        return (
            "SELECT ordinal_position - 1 AS cid, column_name AS name, data_type AS type "
            f"FROM information_schema.columns WHERE table_schema = current_schema() "
            f"AND table_name = '{table}' ORDER BY ordinal_position"
        )
    if name == "defer_foreign_keys":
        return "SET CONSTRAINTS ALL DEFERRED"
    return "SELECT 1 WHERE false"  # cache size, journal mode...: SQLite's own business


def _statements(sql: str) -> list[str]:
    return [part for part in (s.strip() for s in sql.split(";")) if part]


# A quoted string: standard ('it''s'), or with backslash escapes (E'a\\b', as
# quote_nullable() writes a value with a backslash). The empty string stays in view: the
# rewrites below read `coalesce(day, '')`.
_LITERAL = re.compile(r"(?<!\w)[Ee]'(?:[^'\\]|''|\\.)*'|'(?:[^']|'')*'")


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """One statement (or several, `;`-separated) in PostgreSQL's terms. Quoted strings are
    left as they are: an undo statement carries a note's old text, which may well say
    "x IS y" or "I LIKE it"."""
    literals: list[str] = []

    def hide(match: re.Match[str]) -> str:
        if match.group(0) == "''":
            return "''"
        literals.append(match.group(0))
        return f"\x00{len(literals) - 1}\x00"

    hidden = _LITERAL.sub(hide, sql)
    done = _translate(hidden)
    return re.sub("\x00(\\d+)\x00", lambda m: literals[int(m.group(1))], done) if literals else done


def _translate(sql: str) -> str:
    pragma = _PRAGMA.match(sql)
    if pragma:
        return _pragma(pragma)
    if _INSERT_OR_IGNORE.search(sql):
        sql = "; ".join(_ignore_conflicts(s) for s in _statements(sql))
    sql = _JSON_EACH.sub(r"SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(\1 AS json))", sql)
    sql = _GROUP_CONCAT.sub("string_agg(", sql)
    sql = re.sub(r"\bstring_agg\(([\w.]+),", r"string_agg(CAST(\1 AS text),", sql)
    # SQLite orders '' before any day; here a day and '' do not compare: greatest() skips NULL.
    sql = re.sub(r"\bmax\(coalesce\(([\w.]+), ''\),", r"greatest(\1,", sql)
    sql = re.sub(r"\bcoalesce\(((?:min|max)\([\w.]+\)), ''\)", r"coalesce(CAST(\1 AS text), '')", sql)
    # netlog's `coalesce(day, '')` is "no day: before every day"; PostgreSQL's is '-infinity'.
    sql = re.sub(r"\bcoalesce\(([\w.]+), ''\)", r"coalesce(\1, '-infinity')", sql)
    sql = re.sub(r"\bsqlite_sequence\b", "netlog_high_id", sql)
    sql = sql.replace(  # the indexes a large import sets aside, and their definitions:
        # only those of tables the user owns (a member may not drop the owner's indexes)
        "SELECT name, sql FROM sqlite_master WHERE name IN (",
        "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() "
        "AND pg_has_role(current_user, (SELECT tableowner FROM pg_tables t WHERE t.schemaname = "
        "pg_indexes.schemaname AND t.tablename = pg_indexes.tablename), 'USAGE') AND indexname IN (",
    )
    # SQLite's CROSS JOIN ... ON fixes the join order; PostgreSQL's CROSS JOIN takes no ON.
    sql = re.sub(r"\bCROSS\s+JOIN\s+(\w+(?:\s+(?!ON\b)\w+)?)\s+ON\b", r"JOIN \1 ON", sql)
    sql = re.sub(r"\bAS REAL\)", "AS DOUBLE PRECISION)", sql)
    sql = re.sub(r"\bNOT LIKE\b", "NOT ILIKE", sql)
    sql = re.sub(r"(?<!NOT )\bLIKE\b", "ILIKE", sql)
    sql = re.sub(r"\btypeof\(", "netlog_typeof(", sql)
    return _IS_VALUE.sub(lambda m: "IS DISTINCT FROM " if m.group(1) else "IS NOT DISTINCT FROM ", sql)


def _ignore_conflicts(statement: str) -> str:
    if not _INSERT_OR_IGNORE.search(statement):
        return statement
    statement = _INSERT_OR_IGNORE.sub("INSERT INTO", statement)
    parts = re.split(r"\bRETURNING\b", statement, maxsplit=1, flags=re.I)
    if len(parts) == 2:
        return f"{parts[0].rstrip()} ON CONFLICT DO NOTHING RETURNING{parts[1]}"
    return f"{statement} ON CONFLICT DO NOTHING"


# --- schema ---------------------------------------------------------------------

_REFERENCE = re.compile(
    r"(REFERENCES\s+\w+\s*\(\s*\w+\s*\)(?:\s+ON\s+DELETE\s+(?:CASCADE|SET\s+NULL))?)", re.I
)


def ddl(sql: str) -> str:
    """A CREATE TABLE or ALTER TABLE of SQLite's, in PostgreSQL's column types: 64-bit
    integers, timestamps, true/false defaults, references that undo may defer."""
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    sql = re.sub(r"\bDATETIME\b", "TIMESTAMP", sql)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
    sql = re.sub(r"(BOOLEAN\s+NOT\s+NULL\s+DEFAULT\s+)0\b", r"\1false", sql)
    sql = re.sub(r"(BOOLEAN\s+NOT\s+NULL\s+DEFAULT\s+)1\b", r"\1true", sql)
    sql = re.sub(r"\s+AUTOINCREMENT\b", "", sql)
    sql = re.sub(r"\)\s*WITHOUT\s+ROWID\s*$", ")", sql.rstrip())
    return _REFERENCE.sub(r"\1 DEFERRABLE INITIALLY IMMEDIATE", sql)


_TRIGGER = re.compile(
    r"^\s*CREATE\s+TRIGGER\s+(\w+)\s+(AFTER|BEFORE)\s+(INSERT|DELETE|UPDATE(?:\s+OF\s+[\w\s,]+?)?)\s+"
    r"ON\s+(\w+)\s*(?:WHEN\s+(.*?))?\s*BEGIN\b(.*)\bEND\s*$",
    re.I | re.S,
)


# What the summary triggers (migrations.SUMMARY_TRIGGERS) check first, from migration m014:
# a command writing thousands of rows at once asks them to wait, in its own transaction.
SUMMARIES_LATER = "IF current_setting('netlog.summaries', true) = 'later' THEN RETURN NULL; END IF;"


def trigger(sql: str) -> list[str] | None:
    """An SQLite CREATE TRIGGER as PostgreSQL's function and trigger, or None if `sql`
    is not one. The body's statements are translated; a WHEN becomes an IF."""
    match = _TRIGGER.match(sql)
    if match is None:
        return None
    name, timing, event, table, when, body = match.groups()
    statements = "\n".join(f"{translate(s)};" for s in _statements(body))
    if when:
        statements = f"IF {translate(when)} THEN\n{statements}\nEND IF;"
    result = "OLD" if timing.upper() == "BEFORE" and event.upper() == "DELETE" else "NEW"
    if timing.upper() == "AFTER":
        result = "NULL"
    return [
        f"CREATE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $netlog$\n"
        f"BEGIN\n{statements}\nRETURN {result};\nEND\n$netlog$",
        f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn()",
    ]


def next_id_trigger(table: str) -> list[str]:
    """SQLite gives a row inserted without an id the next one (its rowid); here a trigger
    does. The write path gives ids itself (ledger/write.py Allocator); the journal's rows
    take them from this."""
    return [
        f"CREATE FUNCTION netlog_next_id_{table}_fn() RETURNS trigger LANGUAGE plpgsql AS $netlog$\n"
        "BEGIN\n"
        f"IF NEW.id IS NULL THEN NEW.id := (SELECT coalesce(max(id), 0) + 1 FROM {table}); END IF;\n"
        "RETURN NEW;\nEND\n$netlog$",
        f"CREATE TRIGGER netlog_next_id_{table} BEFORE INSERT ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION netlog_next_id_{table}_fn()",
    ]


_LIMIT = re.compile(r"\bLIMIT\s+%\((\w+)\)s", re.I)


def parameters(statement: str, params: Any) -> Any:
    """SQLite's `LIMIT -1` (no limit) is PostgreSQL's `LIMIT NULL`."""
    if isinstance(params, dict) and "LIMIT" in statement.upper():
        for name in _LIMIT.findall(statement):
            value = params.get(name)
            if isinstance(value, int) and value < 0:
                params = {**params, name: None}
    return params


def high_id_trigger(table: str) -> list[str]:
    """PostgreSQL's AUTOINCREMENT: the highest id a table has given is kept when rows go,
    so that an id is never given twice (the Allocator reads it, as SQLite's sqlite_sequence)."""
    return [
        f"CREATE FUNCTION netlog_high_id_{table}_fn() RETURNS trigger LANGUAGE plpgsql AS $netlog$\n"
        "BEGIN\n"
        f"INSERT INTO netlog_high_id (name, seq) SELECT '{table}', max(id) FROM gone\n"
        "HAVING max(id) IS NOT NULL\n"
        "ON CONFLICT (name) DO UPDATE SET seq = greatest(netlog_high_id.seq, excluded.seq);\n"
        "RETURN NULL;\nEND\n$netlog$",
        f"CREATE TRIGGER netlog_high_id_{table} AFTER DELETE ON {table} REFERENCING OLD TABLE AS gone "
        f"FOR EACH STATEMENT EXECUTE FUNCTION netlog_high_id_{table}_fn()",
    ]


def _fold_map() -> tuple[str, str, list[tuple[str, str]]]:
    """netlog_fold()'s letters (ledger/names.py fold), as translate() and replace()
    arguments: every letter of the Latin, Greek and Cyrillic blocks that folds to another."""
    from netlog.ledger.names import fold

    source, target, longer = [], [], []
    ranges = [(0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x52F), (0x1E00, 0x1FFF)]
    for low, high in ranges:
        for code in range(low, high + 1):
            ch = chr(code)
            if not ch.isprintable() or ch in "'\\":
                continue
            folded = fold(ch)
            if folded == ch or not folded:
                continue
            if len(folded) == 1:
                source.append(ch)
                target.append(folded)
            else:
                longer.append((ch, folded))
    return "".join(source), "".join(target), longer


def compat() -> list[str]:
    """The functions, operators and table SQLite has built in that netlog's SQL uses."""
    source, target, longer = _fold_map()
    folded = f"translate($1, '{source}', '{target}')"
    for ch, replacement in longer:
        folded = f"replace({folded}, '{ch}', '{replacement}')"
    statements = [
        "CREATE TABLE netlog_high_id (name VARCHAR NOT NULL PRIMARY KEY, seq BIGINT NOT NULL)",
        # max(a, b) and min(a, b): NULL if either is, as in SQLite (greatest() skips NULLs).
        "CREATE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE "
        "AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE greatest($1, $2) END'",
        "CREATE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE "
        "AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE least($1, $2) END'",
        # sum(condition): how many rows it holds for (NULL for none, as sum() of no values).
        "CREATE FUNCTION netlog_count_true(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE "
        "AS 'SELECT CASE WHEN $2 IS NULL THEN $1 ELSE coalesce($1, 0) + CAST($2 AS int) END'",
        "CREATE AGGREGATE sum(boolean) (SFUNC = netlog_count_true, STYPE = bigint)",
        "CREATE FUNCTION round(double precision, integer) RETURNS numeric LANGUAGE sql IMMUTABLE "
        "AS 'SELECT round(CAST($1 AS numeric), $2)'",
        "CREATE FUNCTION julianday(timestamp) RETURNS double precision LANGUAGE sql IMMUTABLE "
        "AS 'SELECT extract(epoch FROM $1) / 86400.0 + 2440587.5'",
        "CREATE FUNCTION date(timestamp, text) RETURNS date LANGUAGE sql IMMUTABLE "
        "AS 'SELECT CAST($1 + CAST($2 AS interval) AS date)'",
        "CREATE FUNCTION datetime(timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS 'SELECT $1'",
        "CREATE FUNCTION netlog_typeof(anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ''text'''",
        "CREATE FUNCTION netlog_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
        f"AS $fold$SELECT btrim(regexp_replace(lower({folded}), '\\s+', ' ', 'g'))$fold$",
    ]
    for kind in ("smallint", "integer", "bigint"):
        statements += [
            f"CREATE FUNCTION netlog_plus({kind}, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE "
            "AS 'SELECT $1 + CAST($2 AS int)'",
            f"CREATE OPERATOR + (LEFTARG = {kind}, RIGHTARG = boolean, FUNCTION = netlog_plus)",
            f"CREATE FUNCTION netlog_is_flag(boolean, {kind}) RETURNS boolean LANGUAGE sql IMMUTABLE "
            "AS 'SELECT $1 = ($2 <> 0)'",
            f"CREATE FUNCTION netlog_is_not_flag(boolean, {kind}) RETURNS boolean LANGUAGE sql IMMUTABLE "
            "AS 'SELECT $1 <> ($2 <> 0)'",
            f"CREATE OPERATOR = (LEFTARG = boolean, RIGHTARG = {kind}, FUNCTION = netlog_is_flag)",
            f"CREATE OPERATOR <> (LEFTARG = boolean, RIGHTARG = {kind}, FUNCTION = netlog_is_not_flag)",
        ]
    return statements
