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
from dataclasses import dataclass
from typing import TypeVar

from netlog.errors import InvalidValue, quote
from netlog.formats.vcard_write import APPLE_LABELS, COMMON_LABELS, profile_link
from netlog.ledger.names import normalise_url
from netlog.ledger.values import check_email, check_text, check_url
from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic

MAX_LABEL = 60
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
        label = label.casefold()
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
    emails: list[EmailPublic]
    phones: list[PhonePublic]
    addresses: list[AddressPublic]
    urls: list[UrlPublic]
    events: list[EventPublic]

    @property
    def phone(self) -> str | None:
        """The preferred phone number: what `phone` shows."""
        return next((p.number for p in self.phones if p.preferred), None)

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
        emails=_preferring(_unique(email_list, lambda e: e.address.casefold())),
        phones=_preferring(_unique(phone_list, lambda p: phone_key(p.number))),
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


_EVENT_DAY = re.compile(r"(?:(\d{4})-?|--)?(\d{1,2})-?(\d{1,2})")


def checked_event(event: EventPublic) -> EventPublic:
    """A dated event: `YYYY-MM-DD` or `MM-DD` (`--MMDD` as vCard writes it). Any year
    from 1 is kept: an anniversary or a date remembered may be long ago."""
    from datetime import date

    label = clean_label(event.label)
    if not label:
        raise InvalidValue(f"The date {quote(event.date)} needs a label, e.g. anniversary:{event.date}.")
    text = (event.date or "").strip()
    match = _EVENT_DAY.fullmatch(text)
    what = "The date" if label == "date" else f"The {label} date"
    try:
        if not match or (not match.group(1) and "-" not in text):
            raise ValueError
        year = int(match.group(1)) if match.group(1) else None
        month, day = int(match.group(2)), int(match.group(3))
        date(year or 2000, month, day)  # 2000: 29 February is a day without a year too
    except ValueError:
        raise InvalidValue(f"{what} {quote(event.date)} is not MM-DD or YYYY-MM-DD (e.g. 06-20).") from None
    if year == 0:
        raise InvalidValue(f"{what} {quote(event.date)} has year 0: give it as MM-DD without the year.")
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

_LABEL_PREFIX = re.compile(r"\s*([^\W\d_][\w .'&/-]{0,199}?)\s*:\s*(.*)", re.DOTALL)
_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "tel", "sip", "xmpp"})


def split_label(text: str) -> tuple[str | None, str]:
    """`mobile:+44 20 7946 0000` -> ("mobile", "+44 20 7946 0000"); text without a label
    (or whose prefix is a link's scheme, as in https://...) -> (None, text)."""
    match = _LABEL_PREFIX.fullmatch(text)
    if not match or match.group(1).casefold() in _SCHEMES or match.group(2).startswith("//"):
        return None, text.strip()
    return match.group(1), match.group(2).strip()


def typed_phone(text: str) -> PhonePublic:
    label, number = split_label(text)
    return PhonePublic(number, label)


def typed_email(text: str) -> EmailPublic:
    label, address = split_label(text)
    return EmailPublic(address, label)


def typed_url(text: str) -> UrlPublic:
    label, link = split_label(text)
    return UrlPublic(link, label)


def typed_address(text: str) -> AddressPublic:
    """`home: 1 Main St; Springfield; IL; 62701; USA`: street, locality, region, postcode
    and country, separated by semicolons (leave out the ones you don't know)."""
    label, rest = split_label(text) if ";" not in text.split(":", 1)[0] else (None, text)
    parts = [p.strip() for p in rest.split(";")]
    if len(parts) > 5:
        raise InvalidValue(
            f"{quote(text)} has more than five parts: give street; town; region; postcode; country."
        )
    street, locality, region, postcode, country = (parts + [""] * 5)[:5]
    return AddressPublic(label, None, None, street, locality, region, postcode, country)


def typed_event(text: str) -> EventPublic:
    label, day = split_label(text)
    if label is None:
        raise InvalidValue(f"{quote(text)} needs a label: e.g. anniversary:2015-06-20 or anniversary:06-20.")
    return EventPublic(label, day)
