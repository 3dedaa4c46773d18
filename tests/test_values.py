"""Which email addresses netlog accepts: something, one @, a domain with a dot inside it,
no whitespace; the check is written without a regex, so it is held to the regex here."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog.errors import InvalidValue
from netlog.ledger.values import check_email

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


@given(st.text(alphabet="ab.@ \t\u00a0é", max_size=10))
def test_the_check_is_the_rule(text):
    value = text.strip()
    try:
        check_email(text)
        accepted = True
    except InvalidValue:
        accepted = False
    assert accepted == bool(RULE.fullmatch(value))
