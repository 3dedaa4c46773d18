"""A contact card's labelled entries: emails, phone numbers, addresses, links, dates.

Every way in (add, edit, every importer) hands its entries to `entries()`, which checks
each value as the ledger stores it, cleans the labels, drops repeats and marks one
email, phone, address and link preferred. The rules are here once, so a phone typed on
the command line and one read from a vCard are kept alike.

A label is one of the common ones in lower case (`work`, `home`, `mobile`, `other`,
`work fax`...; Apple's built-in labels such as `_$!<AssistantPhone>!$_` become
`assistant`), or the user's own word as they wrote it (`Office`, `GRAND_CENTRAL`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from netlog.errors import InvalidValue, quote
from netlog.formats.vcard_write import APPLE_LABELS, COMMON_LABELS, event_day, profile_link
from netlog.ledger.names import normalise_url
from netlog.ledger.values import check_email, check_text, check_url
from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic

MAX_LABEL = 100
ADDRESS_PARTS = ("po_box", "extended", "street", "locality", "region", "postcode", "country")
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_SPACES = re.compile(r"\s+")


def clean_label(text: str | None) -> str | None:
    """A label as stored: Apple's wrapper gone, one line, a common one in lower case, or None."""
    if text is None:
        return None
    match = _APPLE_LABEL.fullmatch(text.strip())
    label = APPLE_LABELS.get(match.group(1), match.group(1).casefold()) if match else text
    label = _SPACES.sub(" ", label).strip()
    if all(word in COMMON_LABELS for word in label.casefold().split()):
        # "cell" is what some programs call a mobile: one word for one thing
        label = " ".join("mobile" if word == "cell" else word for word in label.casefold().split())
    if len(label) > MAX_LABEL:
        raise InvalidValue(f"The label {quote(label[:20] + '...')} is longer than {MAX_LABEL} characters.")
    return check_text(label, "label")


_NOT_DIGITS = re.compile(r"[^\d+]")


def phone_key(number: str) -> str:
    """Two ways of writing one number compare equal: only its digits and a leading +."""
    digits = _NOT_DIGITS.sub("", number)
    return digits or number.casefold()


@dataclass(slots=True)
class Entries:
    """A contact's labelled entries, under the keys its JSON gives them."""

    email_addresses: list[EmailPublic] = field(default_factory=list)
    phone_numbers: list[PhonePublic] = field(default_factory=list)
    addresses: list[AddressPublic] = field(default_factory=list)
    urls: list[UrlPublic] = field(default_factory=list)
    events: list[EventPublic] = field(default_factory=list)

    @property
    def phone(self) -> str | None:
        """The preferred phone number: what `phone` shows."""
        return next((p.number for p in self.phone_numbers if p.preferred), None)

    @property
    def url(self) -> str | None:
        """What `url` shows: the profile link (see profile_link)."""
        return profile_link(self.urls)


def entries(
    *,
    emails: Iterable[EmailPublic] = (),
    plain_emails: Iterable[str] = (),
    phones: Iterable[PhonePublic] = (),
    phone: str | None = None,
    addresses: Iterable[AddressPublic] = (),
    urls: Iterable[UrlPublic] = (),
    url: str | None = None,
    events: Iterable[EventPublic] = (),
) -> Entries:
    """Checked entries, or InvalidValue. A lone `phone` or `url` (as older files and
    formats give them) comes first and preferred unless the lists hold it already;
    `plain_emails` are addresses without a label."""
    email_list = [EmailPublic(check_email(e.address), clean_label(e.label), e.preferred) for e in emails]
    email_list += [EmailPublic(check_email(address)) for address in plain_emails]
    phone_list = [
        PhonePublic(number, clean_label(p.label), p.preferred)
        for p in phones
        if (number := check_text(p.number, "phone"))
    ]
    if (number := check_text(phone, "phone")) and phone_key(number) not in {
        phone_key(p.number) for p in phone_list
    }:
        phone_list.insert(0, PhonePublic(number, None, True))
    url_list = [
        UrlPublic(link, clean_label(u.label), u.preferred) for u in urls if (link := check_url(u.url))
    ]
    if (link := check_url(url)) and normalise_url(link) not in {normalise_url(u.url) for u in url_list}:
        url_list.insert(0, UrlPublic(link, None, True))
    address_list = [checked_address(a) for a in addresses]
    event_list = [checked_event(e) for e in events]
    return Entries(
        email_addresses=_preferring(_unique(email_list, lambda e: e.address.casefold())),
        phone_numbers=_preferring(_unique(phone_list, lambda p: phone_key(p.number))),
        addresses=_preferring(_unique([a for a in address_list if a is not None], lambda a: _address_key(a))),
        urls=_preferring(_unique(url_list, lambda u: u.url.casefold().rstrip("/"))),
        events=_unique(event_list, lambda e: (e.label, e.date)),
    )


def checked_address(address: AddressPublic) -> AddressPublic | None:
    """The address with each part checked; None when every part is empty."""
    parts = {part: check_text(getattr(address, part), part.replace("_", " ")) for part in ADDRESS_PARTS}
    if not any(parts.values()):
        return None
    return AddressPublic(label=clean_label(address.label), preferred=address.preferred, **parts)


def checked_event(event: EventPublic) -> EventPublic:
    """A dated event: `YYYY-MM-DD` or `MM-DD` (`--MMDD` as vCard writes it). Any year
    from 1 is kept: an anniversary or a date remembered may be long ago."""
    label = clean_label(event.label)
    if not label:
        raise InvalidValue(f"The date {quote(event.date)} needs a label, e.g. anniversary:{event.date}.")
    what = "The date" if label == "date" else f"The {label} date"
    try:
        year, month, day = event_day(event.date or "")
    except ValueError:
        raise InvalidValue(f"{what} {quote(event.date)} is not MM-DD or YYYY-MM-DD (e.g. 06-20).") from None
    return EventPublic(label, f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}")


def _address_key(address: AddressPublic) -> tuple[str, ...]:
    return tuple((getattr(address, part) or "").casefold() for part in ADDRESS_PARTS)


T = TypeVar("T", EmailPublic, PhonePublic, AddressPublic, UrlPublic, EventPublic)


def _unique(items: Sequence[T], key: object) -> list[T]:
    """The first of each (by `key`); a later repeat gives its label or preference to it."""
    kept: dict[object, T] = {}
    for item in items:
        k = key(item)  # type: ignore[operator]
        if k not in kept:
            kept[k] = item
            continue
        first = kept[k]
        if getattr(first, "label", None) is None and getattr(item, "label", None) is not None:
            first.label = item.label
        if getattr(item, "preferred", False):
            first.preferred = True  # type: ignore[attr-defined]
    return list(kept.values())


def _preferring(items: list[T]) -> list[T]:
    """Exactly one preferred (the first marked, else the first) when there are any."""
    chosen = next((i for i, item in enumerate(items) if getattr(item, "preferred", False)), 0)
    for i, item in enumerate(items):
        item.preferred = i == chosen  # type: ignore[attr-defined]
    return items


# --- typed on the command line --------------------------------------------------------------

# A link's scheme (https:, mailto:, javascript:...) is not a label.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_LETTER = re.compile(r"[^\W\d_]|[^\x00-\x7f]")  # a letter of any script, or an emoji


def split_label(text: str, *, link: bool = False) -> tuple[str | None, str]:
    """`mobile:+44 20 7946 0000` -> ("mobile", "+44 20 7946 0000"). The label is what comes
    before the first colon when it has a letter (of any script, or an emoji) and no `@`
    or `/`; for a link, also no `.` (`www.example.com:8080/x` is a link, not a label) and
    no scheme (`https://...`). Otherwise there is no label: (None, text)."""
    head, colon, rest = text.partition(":")
    label = head.strip()
    if not colon:
        return None, text.strip()
    if not label:
        raise InvalidValue(
            f"Nothing before the ':' in {quote(text)}: write label:value, or leave the ':' out."
        )
    if not _LETTER.search(label) or "@" in label or "/" in label or rest.startswith("//"):
        return None, text.strip()
    value = rest.strip()
    # linkedin:https://... has a label; javascript:alert(1), mailto:x and
    # www.example.com:8080 are links
    bare = link and value and not value.lower().startswith(("http:", "https:", "www."))
    if bare and ("." in label or (_SCHEME.fullmatch(label) and " " not in value)):
        return None, text.strip()
    if label.lower() in ("http", "https", "mailto", "tel"):
        return None, text.strip()
    return label, rest.strip()


def _given(text: str, value: str, what: str) -> str:
    if not value:
        raise InvalidValue(f"{quote(text)} has a label but no {what}: write label:{what}.")
    return value


def typed_phone(text: str) -> PhonePublic:
    label, number = split_label(text)
    if not re.search(r"\d", _given(text, number, "number")):
        raise InvalidValue(
            f"{quote(number)} has no digits: give a phone number, e.g. mobile:+44 20 7946 0000."
        )
    return PhonePublic(number, label)


def typed_email(text: str) -> EmailPublic:
    label, address = split_label(text)
    address = re.sub(r"(?i)^mailto:", "", address).strip()
    return EmailPublic(_given(text, address, "address"), label)


def typed_url(text: str) -> UrlPublic:
    label, link = split_label(text, link=True)
    return UrlPublic(_given(text, link, "link"), label)


def typed_address(text: str) -> AddressPublic:
    """`home: 1 Main St; Springfield; IL; 62701; USA`: street, locality, region, postcode
    and country, separated by semicolons (leave out the ones you don't know)."""
    label, rest = split_label(text) if ";" not in text.split(":", 1)[0] else (None, text)
    parts = [p.strip() for p in rest.split(";")]
    if len(parts) > 5:
        raise InvalidValue(
            f"{quote(text)} has more than five parts: give street; town; region; postcode; country."
        )
    if not any(parts):
        raise InvalidValue(f"{quote(text)} has no address: give street; town; region; postcode; country.")
    street, locality, region, postcode, country = (parts + [""] * 5)[:5]
    return AddressPublic(label, None, None, street, locality, region, postcode, country)


def typed_event(text: str) -> EventPublic:
    label, day = split_label(text)
    if label is None:
        raise InvalidValue(f"{quote(text)} needs a label: e.g. anniversary:2015-06-20 or anniversary:06-20.")
    return EventPublic(label, _given(text, day, "date"))
