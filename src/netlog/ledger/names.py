"""Text rules for names: the look-up key and the handle.

A handle is a lowercase ASCII slug of the name (`jane-doe`). Names in other
scripts are transliterated with anyascii (ISC licence, maintained, covers
Hangul, kana and Han), so `최유림` becomes `choe-yu-lim` rather than an empty
or numeric handle. anyascii capitalises each Hangul or Han syllable it
transliterates; those capitals mark syllable boundaries, which become hyphens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

HANDLE_MAX = 40
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching: `José  Díaz` -> `jose diaz`.

    Only the Latin combining accents (U+0300-U+036F) are dropped: the marks of other
    scripts change the letter (Japanese ド is not ト) and are recomposed.
    """
    if text.isascii():  # the common case, and a fast one in bulk imports
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()


# Control characters, line and paragraph separators; format characters such as
# right-to-left marks and zero-width joiners belong to some names and stay.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_name(name: str) -> str:
    """A name as stored: control characters and line breaks made spaces, whitespace collapsed."""
    return _SPACES.sub(" ", _BREAKS.sub(" ", name.replace("\ufeff", ""))).strip()


def _transliterate(name: str) -> str:
    if name.isascii():
        return name
    parts: list[str] = []
    after_syllable = False  # the previous character was a capitalised (Hangul/Han) syllable
    for ch in name:
        if ch.isascii():
            parts.append(ch)
            after_syllable = False
            continue
        ascii_form = anyascii(ch)
        # Caseless scripts (Hangul, Han, kana) come back as capitalised syllables.
        syllable = ascii_form[:1].isupper() and ch.lower() == ch.upper()
        if (syllable or after_syllable) and parts and parts[-1][-1:].isalnum():
            parts.append("-")  # a syllable boundary of a non-Latin script
        parts.append(ascii_form)
        after_syllable = syllable
    return "".join(parts)


# You, where a contact's handle could go (the first hop of a path, the owner of a need);
# no contact has it.
ME = "me"


def is_me(ref: str | None) -> bool:
    """Whether a CONTACT given (on the command line or in a file) means you."""
    return ref is not None and ref.strip().lower() == ME


def slug(name: str) -> str:
    """The base handle for a name; never empty and never all digits (digits mean an id)."""
    text = _NON_SLUG.sub("-", _transliterate(name).lower()).strip("-")
    if len(text) > HANDLE_MAX:
        text = text[:HANDLE_MAX].rsplit("-", 1)[0] or text[:HANDLE_MAX]
    if not text:
        return "contact"
    if text.replace("-", "").isdigit():
        return f"contact-{text}"
    if text == ME:
        return f"{ME}-2"
    return text


def next_free_handle(base: str, taken: set[str]) -> str:
    """`base` if free, else `base-2`, `base-3`, ..."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def valid_handle(handle: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", handle)) and not handle.isdigit() and handle != ME


@lru_cache(maxsize=4096)
def normalise_tag(tag: str) -> str:
    """Tags compare case-insensitively and without stray spaces: ` VIP ` -> `vip`."""
    return _SPACES.sub(" ", clean_name(tag)).casefold()


def normalise_url(url: str | None) -> str | None:
    """A profile URL in the form used for matching: no scheme, www, query or end slash."""
    if not url:
        return None
    value = url.strip().lower().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    for prefix in ("https://", "http://"):
        value = value.removeprefix(prefix)
    return value.removeprefix("www.") or None
