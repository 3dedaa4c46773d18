"""The fixed vocabularies of the ledger.

Plain string enums with no heavy imports, so the CLI can offer them as choices
(and `netlog --help` can list them) without loading the database layer.
The order of `Circle` is meaningful: innermost first.
"""

from __future__ import annotations

from enum import Enum


class Circle(str, Enum):
    """How close someone is, as concentric circles, innermost first."""

    inner = "inner"
    close = "close"
    active = "active"
    acquaintance = "acquaintance"


class Source(str, Enum):
    """Where you know someone from."""

    personal = "personal"
    work = "work"
    education = "education"
    group = "group"
    service = "service"
    chance = "chance"
    online = "online"


class Kind(str, Enum):
    """What kind of touch an interaction was."""

    meeting = "meeting"
    call = "call"
    message = "message"
    email = "email"
    meal = "meal"
    event = "event"
    other = "other"
    intro = "intro"  # recorded by `netlog intro`, with the introduction


class Outcome(str, Enum):
    """What became of an introduction you made."""

    made = "made"
    connected = "connected"
    fizzled = "fizzled"


class Direction(str, Enum):
    given = "given"
    received = "received"


class Status(str, Enum):
    done = "done"
    promised = "promised"
    asked = "asked"
    declined = "declined"


class SortOrder(str, Enum):
    name = "name"
    last = "last"
    added = "added"


CIRCLE_RANK = {c.value: i for i, c in enumerate(Circle)}


class NeedStatus(str, Enum):
    """Where a need or an offer stands (a need open past its day shows as expired)."""

    open = "open"
    met = "met"
    dropped = "dropped"
