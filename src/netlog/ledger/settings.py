"""User settings: a small registry of known keys, their defaults and how to read them.
(Storing one is ledger/write.py.)

Values are stored as text in the `setting` table, already normalised
(`cadence.close 3w` is stored as `21`), so SQL can use them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from netlog.dates import parse_duration_days
from netlog.errors import InvalidValue, NotFound, quote
from netlog.storage.reader import Reader


def _positive_int(text: str) -> str:
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidValue(f"{quote(text)} is not a whole number.") from None
    if value < 1 or value > 1000:
        raise InvalidValue(f"{quote(text)} must be between 1 and 1000.")
    return str(value)


def _days_ahead(text: str) -> str:
    """0 to a year of days: how far ahead to look."""
    value = text.strip()
    if value == "0":
        return "0"
    days = parse_duration_days(value)
    if days > 366:
        raise InvalidValue(f"{quote(text)} is more than a year ahead: use at most 366 days.")
    return str(days)


def _days(text: str) -> str:
    return str(parse_duration_days(text))


def _factor(text: str) -> str:
    try:
        value = float(text.strip())
    except ValueError:
        raise InvalidValue(f"{quote(text)} is not a number (e.g. 2 or 1.5).") from None
    if not 1 <= value <= 100:
        raise InvalidValue(f"{quote(text)} must be between 1 and 100.")
    return f"{value:g}"


@dataclass(frozen=True)
class SettingSpec:
    default: str
    normalise: Callable[[str], str]
    help: str


SETTINGS: dict[str, SettingSpec] = {
    "give_before_ask": SettingSpec(
        "4", _positive_int, "balance (weight given minus received) to reach before asking"
    ),
    "cadence.inner": SettingSpec("14", _days, "days between touches, inner circle"),
    "cadence.close": SettingSpec("30", _days, "days between touches, close circle"),
    "cadence.active": SettingSpec("90", _days, "days between touches, active circle"),
    "cadence.acquaintance": SettingSpec("180", _days, "days between touches, acquaintances"),
    "stale.factor": SettingSpec("2", _factor, "a contact is stale after this many cadences"),
    "birthdays.within": SettingSpec("7", _days_ahead, "days ahead that `due` shows birthdays"),
    "import.per_day": SettingSpec(
        "5", _positive_int, "most contacts an import's spread brings due on one day"
    ),
}


def spec_of(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        known = ", ".join(SETTINGS)
        raise NotFound(f"There is no setting {quote(key)}. Known settings: {known}.") from None


def get_setting(db: Reader, key: str) -> str:
    spec = spec_of(key)
    value = db.scalar('SELECT value FROM setting WHERE "key" = :k', {"k": key})
    return spec.default if value is None else value


def get_int(db: Reader, key: str) -> int:
    return int(get_setting(db, key))


def get_float(db: Reader, key: str) -> float:
    return float(get_setting(db, key))


def normalised(key: str, value: str) -> str:
    """A setting's value as stored, or InvalidValue naming the setting."""
    spec = spec_of(key)
    try:
        return spec.normalise(value)
    except InvalidValue as exc:
        raise InvalidValue(f"{key}: {exc.message}") from None


def all_settings(db: Reader) -> list[tuple[str, str, bool]]:
    """(key, value, is_default) for every known setting."""
    stored = {row.key: row.value for row in db.rows('SELECT "key", value FROM setting')}
    return [(key, stored.get(key, spec.default), key not in stored) for key, spec in SETTINGS.items()]
