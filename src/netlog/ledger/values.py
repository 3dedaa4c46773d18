"""What a value must be to go into the ledger, written once for every way in (add, edit,
import, corrections): each check returns the value as stored or raises InvalidValue
with what is wrong and how to fix it.
"""

from __future__ import annotations

import re
from functools import cache

from netlog.errors import InvalidValue, quote
from netlog.ledger.names import clean_name

# Columns `add` and `edit` set as free text.
TEXT_FIELDS = ("phone", "org", "title", "location", "notes", "url")
MAX_TEXT = 10_000
MAX_NAME = 300
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and line feed


def _looks_like_email(value: str) -> bool:
    """What `[^@\\s]+@[^@\\s]+\\.[^@\\s]+` matches, without the regex's backtracking:
    one @, something before it, a dot inside what follows, no whitespace."""
    local, at, domain = value.partition("@")
    return bool(at and local) and "@" not in domain and "." in domain[1:-1] and value.split() == [value]


# Invalid in an address or a link (RFC 5322, RFC 3986), and what a terminal would act on.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@cache
def _allowed(choices: type) -> tuple[str, ...]:
    return tuple(c.value for c in choices)  # type: ignore[attr-defined]


def check_choice(value: str | None, choices: type, field: str) -> str | None:
    if value is None:
        return None
    allowed = _allowed(choices)
    if value not in allowed:
        raise InvalidValue(f"{field} {quote(value)} is not one of: {', '.join(allowed)}.")
    return value


def check_name(name: str) -> str:
    cleaned = clean_name(name)
    if not cleaned:
        raise InvalidValue("A contact needs a name: give some letters, e.g. netlog add 'Jane Doe'.")
    if len(cleaned) > MAX_NAME:
        raise InvalidValue(f"That name is longer than {MAX_NAME} characters: shorten it.")
    return cleaned


def check_name_part(value: str | None, field: str) -> str | None:
    """A part of a name (given, family, nickname...): one line, like the name itself."""
    if value is None:
        return None
    cleaned = clean_name(value)
    if len(cleaned) > MAX_NAME:
        raise InvalidValue(f"The {field.replace('_', ' ')} is longer than {MAX_NAME} characters: shorten it.")
    return cleaned or None


def check_text(value: str | None, field: str) -> str | None:
    """Free text as stored: empty means none; surrounding space trimmed; control
    characters other than line breaks and tabs dropped (they only garble terminals)."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    if len(value) > MAX_TEXT:
        raise InvalidValue(f"The {field} field has more than {MAX_TEXT:,} characters: shorten it.")
    return value or None


def check_email(address: str) -> str:
    value = address.strip()
    if _INVISIBLE.search(value) or not _looks_like_email(value):
        raise InvalidValue(f"{quote(address)} is not an email address (like jane@example.com).")
    return value


def check_url(url: str | None) -> str | None:
    """A link as stored: trimmed; control characters and spaces inside are refused."""
    if url is None:
        return None
    value = url.strip()
    if _INVISIBLE.search(value) or " " in value:
        raise InvalidValue(f"{quote(url)} is not a link: it holds spaces or control characters.")
    return check_text(value, "url")


def check_cadence(days: int | None) -> int | None:
    if days is not None and not 1 <= days <= 365 * 200:
        raise InvalidValue(f"A cadence of {days} days is out of range: use 1d to 200y.")
    return days


def check_weight(weight: int) -> int:
    if not 1 <= weight <= 5:
        raise InvalidValue(f"Weight {weight} is out of range: use 1 (small) to 5 (big).")
    return weight


def check_description(description: str) -> str:
    value = check_text(description, "description")
    if not value:
        raise InvalidValue("Describe the favor in a few words, e.g. 'intro to Sam at Acme'.")
    return value
