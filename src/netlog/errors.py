"""Expected problems, each with a message that says what is wrong and how to fix it.

The CLI turns any of these into one line on stderr and exit status 1.
"""

from __future__ import annotations


class NetlogError(Exception):
    """An expected problem the user can fix."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(NetlogError):
    """A contact, favor or setting that does not exist."""


class Ambiguous(NetlogError):
    """A reference that matches more than one record."""


class InvalidValue(NetlogError):
    """A value that cannot be used: a bad date, an out-of-range weight, a malformed file."""


class StorageError(NetlogError):
    """The database file cannot be opened, read or written."""


class StoredValueError(ValueError):
    """A value in the ledger that is not what its column holds (edited outside netlog)."""


def quote(value: object) -> str:
    """A user's value for an error message: in double quotes, control characters escaped,
    so the message stays on one line whatever was typed."""
    import json

    return json.dumps(str(value), ensure_ascii=False)
