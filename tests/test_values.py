"""Values at the door and on the way out: which email addresses netlog accepts
(something, one @, a domain with a dot inside it, no whitespace; the check is written
without a regex, so it is held to the regex here), and stored timestamps printed
straight from SQLite's text as the record would print them."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netlog.errors import InvalidValue
from netlog.jsonable import iso
from netlog.ledger.rows import _stamp_text, as_utc
from netlog.ledger.values import check_email
from netlog.ledger.write import _stored

RULE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("jane@example.com", True),
        ("  jane@example.com ", True),  # trimmed
        ("jane+tag@mail.example.co.uk", True),
        ("élodie@exemple.fr", True),
        ("jane@example", False),  # no dot in the domain
        ("jane@.com", False),  # the dot must be inside
        ("jane@example.", False),
        ("@example.com", False),
        ("jane@@example.com", False),
        ("jane doe@example.com", False),
        ("jane@exa\u00a0mple.com", False),  # a no-break space is whitespace too
    ],
)
def test_which_addresses_are_emails(address, ok):
    if ok:
        assert check_email(address) == address.strip()
    else:
        with pytest.raises(InvalidValue, match="is not an email address"):
            check_email(address)


@settings(deadline=None)
@given(st.text(alphabet="ab.@ \t\u00a0é", max_size=10))
def test_the_check_is_the_rule(text):
    value = text.strip()
    try:
        check_email(text)
        accepted = True
    except InvalidValue:
        accepted = False
    assert accepted == bool(RULE.fullmatch(value))


@settings(deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1)))
def test_a_stored_timestamp_prints_as_the_record_would(moment):
    # Long lists turn SQLite's stored text into JSON directly; it must read as the
    # record's timestamp does (UTC, a Z, no fraction when it is zero).
    stored = _stored(moment)  # as the write path stores it
    assert _stamp_text(stored) == iso(as_utc(stored))
