"""vCard files (.vcf) in and out: 2.1, 3.0 and 4.0 as real programs write them.

Reading goes through four steps, each one there because of files seen in the wild:

1. Bytes to lines, decoded here. Exports arrive as UTF-8 (with or without a BOM),
   UTF-16 (with or without a BOM), Shift_JIS from Japanese phones, and Windows code
   pages. A file that is not UTF-8 is decoded line by line, so one contact pasted in
   from another program does not turn every accented name in the file into mojibake.
2. Lines to cards, split here rather than by vobject. `vobject.readComponents` stops
   at the first problem, so one broken card (a stray comment line, a card without its
   END:VCARD) would lose every contact after it. Splitting first means each problem is
   a `Rejected` for that card alone and the rest of the file still imports.
3. Cards to properties. Folded lines and vCard 2.1 quoted-printable soft line breaks
   are joined here, and PHOTO, LOGO, SOUND and KEY are dropped before anything parses
   them: they are most of a file's bytes, netlog keeps none of them, and broken base64
   (vCard 2.1 blocks without indentation, Apple's two-space folds) must not lose the
   person. Each remaining line is split into group, name, parameters and value by
   vobject's own line grammar (`vobject.base.parseLine`).
4. Properties to a `ContactRecord`. Values are unescaped here, not by vobject: its text
   decoding keeps only what comes before the first unescaped comma, for every text
   property, so Gmail's `FN:Mr. John Richter, James Doe Sr.` would become "Mr. John
   Richter" and an Outlook NOTE would stop at its first comma. Its quoted-printable
   decoding also raises on a wrong CHARSET, where we want a `Notice`. So FN (and every
   other value) is read from the raw, unfolded line.

Nothing here raises for bad input: every problem becomes a `Rejected` (the card is not
imported) or a `Notice` (it is, and the user should check something).

Writing is formats/vcard_write.py: plain text, without vobject.

This module imports vobject at the top: only command bodies import it, never the CLI
at start-up.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypedDict, TypeVar

from vobject.base import ParseError, parseLine

from netlog.errors import quote
from netlog.formats.records import ContactRecord, Notice, Record, Rejected
from netlog.formats.text import split_escaped
from netlog.formats.vcard_write import APPLE_LABELS, location_from, one_piece, profile_link
from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic

# --- bytes to lines ---------------------------------------------------------------------

# The same line breaks as _split_lines, for files decoded line by line.
_LINE_BREAK_BYTES = re.compile(rb"\r*\n|\r")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff66-\uff9f]")

# cp1252 as browsers define it (WHATWG "windows-1252"): the five bytes Python's codec
# leaves undefined decode to U+0081 and friends, so every byte decodes and the text can
# be turned back into the same bytes when a CHARSET parameter says what they really were.
_CP1252_HIGH = {
    byte: char for byte in range(0x80, 0xA0) if (char := bytes([byte]).decode("cp1252", errors="ignore"))
}
_FROM_LATIN1 = str.maketrans(_CP1252_HIGH)
_TO_LATIN1 = str.maketrans({char: chr(byte) for byte, char in _CP1252_HIGH.items()})


def _cp1252(raw: bytes) -> str:
    return raw.decode("latin-1").translate(_FROM_LATIN1)


def _cp1252_bytes(text: str) -> bytes:
    """The bytes `_cp1252` decoded; raises UnicodeEncodeError for text it did not make."""
    return text.translate(_TO_LATIN1).encode("latin-1")


@dataclass(slots=True)
class _Line:
    number: int
    text: str
    guessed: bool = False  # not UTF-8, so decoded as cp1252


def _decode(data: bytes) -> tuple[list[_Line], list[Notice]]:
    """The file's lines, and notices about how it had to be decoded."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, "utf-16")
    else:
        encoding = _utf16_without_bom(data)
        if encoding:
            return _decode_utf16(data, encoding)
    try:
        return _split_lines(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")  # Microsoft's Shift_JIS, what Japanese phones and Windows write
    except UnicodeDecodeError:
        pass
    else:
        if _looks_japanese(data, text):
            return _split_lines(text), [Notice("the file", "not UTF-8: decoded as Shift_JIS")]
    return _decode_each_line(data), []


_HIGH_BYTES = bytes(range(0x80, 0x100))
_C1_BYTES = bytes(range(0x80, 0xA0))


def _looks_japanese(data: bytes, text: str) -> bool:
    """Western cp1252 text often decodes as Shift_JIS too ("Renée": é and the e after it make
    a kanji). Real Japanese has kana or kanji, and most of it is written with lead bytes
    0x81-0x9F, which cp1252 text only uses for curly quotes and dashes."""
    if not _JAPANESE.search(text):
        return False
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    c1 = len(data) - len(data.translate(None, _C1_BYTES))
    return c1 * 3 >= high


def _decode_utf16(data: bytes, encoding: str) -> tuple[list[_Line], list[Notice]]:
    try:
        return _split_lines(data.decode(encoding)), []
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return _split_lines(text), [Notice("the file", "not valid UTF-16: some characters were replaced")]


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: in ASCII text (and BEGIN:VCARD is ASCII) every other byte is NUL."""
    sample = data[:4000]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_odd > pairs * 0.3 and nul_even * 10 < nul_odd:
        return "utf-16-le"
    if nul_even > pairs * 0.3 and nul_odd * 10 < nul_even:
        return "utf-16-be"
    return None


def _split_lines(text: str) -> list[_Line]:
    # Any run of CRs before a LF is one break (iOS 5 wrote CR CR LF); str.replace is much
    # faster than a regular expression on files full of photos.
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return [_Line(number, line) for number, line in enumerate(text.split("\n"), 1)]


def _decode_each_line(data: bytes) -> list[_Line]:
    lines = []
    for number, raw in enumerate(_LINE_BREAK_BYTES.split(data), 1):
        try:
            lines.append(_Line(number, raw.decode("utf-8")))
        except UnicodeDecodeError:
            lines.append(_Line(number, _cp1252(raw), guessed=True))
    return lines


# --- lines to cards ---------------------------------------------------------------------

# No leading space: " END:VCARD" is the continuation of a folded line that happens to say so.
_BEGIN = re.compile(r"(?:[\w-]+\.)?BEGIN\s*:\s*VCARD\s*", re.IGNORECASE)
_END = re.compile(r"(?:[\w-]+\.)?END\s*:\s*VCARD\s*", re.IGNORECASE)


@dataclass
class _Card:
    number: int  # 1-based, counting every BEGIN:VCARD
    line: int  # where its BEGIN:VCARD is
    lines: list[_Line]

    @property
    def position(self) -> str:
        return f"card {self.number} (line {self.line})"


def _split_cards(lines: list[_Line]) -> Iterator[_Card | Rejected | Notice]:
    """Cards from BEGIN:VCARD to END:VCARD; unbalanced ones are rejected, stray lines noted."""
    card: _Card | None = None
    count = 0
    stray: list[int] = []  # line numbers of text outside any card

    def stray_notice() -> Iterator[Notice]:
        if stray:
            lines_word = "line" if len(stray) == 1 else f"{len(stray)} lines"
            yield Notice(f"line {stray[0]}", f"{lines_word} outside BEGIN:VCARD ... END:VCARD ignored")
            stray.clear()

    for line in lines:
        if _BEGIN.fullmatch(line.text):
            yield from stray_notice()
            if card is not None:
                reason = f"no END:VCARD before the next BEGIN:VCARD (line {line.number})"
                yield Rejected(card.position, reason)
            count += 1
            card = _Card(count, line.number, [])
        elif _END.fullmatch(line.text):
            if card is None:
                stray.append(line.number)
            else:
                yield card
                card = None
        elif card is not None:
            card.lines.append(line)
        elif line.text.strip():
            stray.append(line.number)
    yield from stray_notice()
    if card is not None:
        yield Rejected(card.position, "no END:VCARD: the file ends inside this card")


# --- cards to properties ----------------------------------------------------------------

_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_PROPERTY_NAME = re.compile(r"\s*(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)\s*[;:]")
_QUOTED_PRINTABLE = re.compile(r";\s*(?:ENCODING\s*=\s*)?QUOTED-PRINTABLE\s*(?=[;,]|$)", re.IGNORECASE)
# vCard 2.1 writes parameter values without their names: TEL;CELL;PREF, NOTE;QUOTED-PRINTABLE.
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})


@dataclass(slots=True)
class _Logical:
    """One property, unfolded, with the line it starts on."""

    number: int
    text: str
    guessed: bool


@dataclass
class _Property:
    group: str | None  # lower case: "item1" for Apple's "item1.TEL" + "item1.X-ABLabel"
    name: str  # upper case
    params: dict[str, list[str]]  # names upper case, values as written (RFC 6868 decoded)
    value: str  # decoded from quoted-printable, still backslash-escaped
    problem: str | None  # how its characters had to be guessed, for a Notice


def _is_quoted_printable(text: str) -> bool:
    return bool(_QUOTED_PRINTABLE.search(text.split(":", 1)[0]))


def _logical_lines(lines: list[_Line], binary: set[str] | None = None) -> list[_Logical]:
    """Unfold the card's lines, leaving out the binary properties netlog does not keep
    (their names are added to `binary`)."""
    result: list[_Logical] = []
    dropping = False  # inside PHOTO, LOGO, SOUND or KEY
    for line in lines:
        text = line.text
        last = result[-1] if result and not dropping else None
        if last and last.text.rstrip().endswith("=") and _is_quoted_printable(last.text):
            # A quoted-printable soft line break: the value goes on at the next line's start.
            last.text = last.text.rstrip()[:-1] + text
            last.guessed |= line.guessed
        elif not text.strip():
            dropping = False  # a blank line ends a vCard 2.1 base64 block
        elif text[0] in " \t" and (last or dropping):
            if last:
                last.text += text[1:]
                last.guessed |= line.guessed
        elif dropping and ":" not in text:
            pass  # base64 rows a vCard 2.1 writer did not indent; a property always has a colon
        else:
            name = _PROPERTY_NAME.match(text)
            dropping = name is not None and name.group(1).upper() in _BINARY
            if dropping and binary is not None and name is not None:
                binary.add(name.group(1).upper())
            if not dropping:
                # Only the start: a space at the end may be text that a fold follows.
                result.append(_Logical(line.number, text.lstrip(), line.guessed))
    return result


# A content line without double quotes, which nearly every line is: read here with one
# expression; any other line (quoted parameter values, a name vobject refuses) goes to
# vobject's grammar. tests/test_vcard.py checks the two agree on generated lines.
_SIMPLE_LINE = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)((?:;[^\";:]*)*):(.*)", re.DOTALL)
_PARAM_NAME = re.compile(r"[A-Za-z0-9_-]+")


def split_line(text: str, number: int | None = None) -> tuple[str, list[list[str]], str, str | None]:
    """(name, parameters, value, group) as `vobject.base.parseLine` gives them; raises its
    ParseError for a line that is not a property."""
    match = _SIMPLE_LINE.match(text)
    if match is None:
        return parseLine(text, number)
    group, name, raw, value = match.groups()
    pieces = raw.split(";")[1:]
    if pieces and not pieces[0]:
        pieces = pieces[1:]  # the grammar allows one ";" more before the parameters
    params = []
    for piece in pieces:
        key, equals, values = piece.partition("=")
        if not _PARAM_NAME.fullmatch(key):
            return parseLine(text, number)
        params.append([key, *(v for v in values.split(",") if v)] if equals else [key])
    return name.replace("_", "-"), params, value, group


def _parse_property(logical: _Logical) -> _Property:
    """Raises vobject's ParseError for a line that is not `NAME;PARAMS:value`."""
    name, raw_params, value, group = split_line(logical.text, logical.number)
    params: dict[str, list[str]] = {}
    for key, *values in raw_params:
        key = key.upper()
        if not values:
            values, key = [key], ("ENCODING" if key in _ENCODINGS else "TYPE")
        params.setdefault(key, []).extend(_unescape_param(v) for v in values)
    charset = params["CHARSET"][0] if params.get("CHARSET") else None
    if "ENCODING" in params and "QUOTED-PRINTABLE" in (v.upper() for v in params["ENCODING"]):
        value, problem = _decode_quoted_printable(value, charset)
    elif logical.guessed:
        value, problem = _decode_guessed(value, charset)
    else:
        # A CHARSET on a line that decoded cleanly (Thunderbird writes CHARSET=UTF-8 on
        # vCard 3.0 lines) only restates what the file's decoding already established.
        problem = None
    return _Property(group.lower() if group else None, name.upper(), params, value, problem)


_CARETS = {"n": "\n", "'": '"', "^": "^"}


def _unescape_param(value: str) -> str:
    """RFC 6868: ^n is a line break, ^' a double quote, ^^ a caret."""
    if "^" not in value:  # nearly always: no regular expression for it
        return value
    return re.sub(r"\^([n'^])", lambda m: _CARETS[m.group(1)], value)


def _decode_quoted_printable(value: str, charset: str | None) -> tuple[str, str | None]:
    raw = quopri.decodestring(value.encode("utf-8"))
    problem = None
    if charset:
        try:
            return _newlines(raw.decode(charset)), None
        except LookupError:
            problem = f"unknown charset {charset}"
        except UnicodeDecodeError:
            text = raw.decode(charset, errors="replace")
            return _newlines(text), f"not valid {charset}: some characters were replaced"
    try:
        return _newlines(raw.decode("utf-8")), problem and f"{problem}, read as UTF-8"
    except UnicodeDecodeError:
        return _newlines(_cp1252(raw)), f"{problem or 'no charset given'} and not UTF-8: decoded as cp1252"


def _decode_guessed(value: str, charset: str | None) -> tuple[str, str | None]:
    """A value on lines that were not UTF-8: its own CHARSET, if any, says what they were."""
    if charset:
        try:
            return _cp1252_bytes(value).decode(charset), None
        except (LookupError, UnicodeError):
            pass
    return value, "not UTF-8: decoded as cp1252"


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- values -----------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\", '"': '"'}


def _unescape(value: str) -> str:
    r"""Undo vCard text escapes. Gmail's `http\://` loses its backslash too; other
    backslashes are kept, since vCard 2.1 writers do not escape them (C:\Users)."""
    if "\\" not in value:  # most values: nothing to undo
        return value
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), value, flags=re.DOTALL)


def _values(component: str) -> list[str]:
    """The comma-separated values of one component of N or ADR, unescaped and trimmed."""
    if not component:  # most components of most cards
        return []
    return [v for v in (_unescape(p).strip() for p in split_escaped(component, ",")) if v]


def _components(value: str, count: int) -> list[list[str]]:
    """The `;`-separated components of a structured value (N, ADR), padded to `count`."""
    parts = [_values(part) for part in split_escaped(value, ";")]
    return (parts + [[] for _ in range(count)])[:count]


def _name_from_n(value: str) -> str | None:
    family, given, additional, prefix, suffix = _components(value, 5)
    name = " ".join([*prefix, *given, *additional, *family])
    if name and suffix:
        name = f"{name} {', '.join(suffix)}"
    return name or None


class _NameParts(TypedDict):
    family_name: str | None
    given_name: str | None
    middle_name: str | None
    name_prefix: str | None
    name_suffix: str | None


def _name_parts(card: _Properties | None) -> _NameParts:
    """N's components as the contact's name parts (several values of one joined by
    spaces); none for a company's card."""
    n = card.all("N") if card is not None else []
    family, given, additional, prefix, suffix = _components(n[0].value, 5) if n else ([],) * 5

    def part(values: list[str], between: str = " ") -> str | None:
        return between.join(v.strip() for v in values if v.strip()) or None

    return _NameParts(
        family_name=part(family),
        given_name=part(given),
        middle_name=part(additional),
        # "Dr., Prof." and "jr, M.Sc.": several titles keep their commas
        name_prefix=part(prefix, ", "),
        name_suffix=part(suffix, ", "),
    )


def _address(prop: _Property, label: str | None) -> tuple[AddressPublic, list[str]]:
    """ADR's seven components (several values of one joined by commas, as written), and
    the text of any components a writer put after the seventh."""
    components = [_values(part) for part in split_escaped(prop.value, ";")]
    parts = [", ".join(values) or None for values in (components + [[]] * 7)[:7]]
    po_box, extended, street, locality, region, postcode, country = parts
    address = AddressPublic(
        label, po_box, extended, street, locality, region, postcode, country, preferred=_preferred(prop)
    )
    return address, [", ".join(values) for values in components[7:] if values]


_BDAY_NO_YEAR = re.compile(r"--(\d\d)-?(\d\d)")
_BDAY_DATE = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)")
# Apple's stand-in year for "no year" (a leap year, so 29 February works); 0000 from Android.
_NO_YEAR = (0, 1604)


def _parse_birthday(text: str, omit_year: str | None = None) -> tuple[int | None, int, int] | None:
    """(year or None, month, day), or None when the text is not a date."""
    day_part = text.strip().split("T", 1)[0]  # 1980-03-22T00:00:00Z: the time means nothing here
    year: int | None
    if match := _BDAY_NO_YEAR.fullmatch(day_part):
        year, month, day = None, int(match.group(1)), int(match.group(2))
    elif match := _BDAY_DATE.fullmatch(day_part):
        year, month, day = (int(g) for g in match.groups())
        if year in _NO_YEAR or (omit_year and omit_year.strip() == match.group(1)):
            year = None
    else:
        return None
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    return year, month, day


def _label(text: str) -> str:
    """Apple's built-in labels look like `_$!<HomePage>!$_`; custom ones are plain text."""
    match = re.fullmatch(r"_\$!<(.*)>!\$_", text)
    return APPLE_LABELS.get(match.group(1), match.group(1).casefold()) if match else text


def _dedupe(items: Iterable[str], key: Callable[[str], str] = str.casefold) -> list[str]:
    seen: set[str] = set()
    result = []
    for item in items:
        if item and key(item) not in seen:
            seen.add(key(item))
            result.append(item)
    return result


# --- properties to a contact ------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Dated events: the anniversary's properties, and Apple's labelled dates.
_ANNIVERSARIES = frozenset({"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"})
_EVENTS = _ANNIVERSARIES | {"X-ABDATE"}
# Facts other programs keep in their own properties, worth a line in the notes.
_NOTE_FACTS = {
    "X-SPOUSE": "Spouse",
    "X-MS-SPOUSE": "Spouse",
    "X-EVOLUTION-SPOUSE": "Spouse",
    "X-ABRELATEDNAMES": "Related",
    "X-MS-MANAGER": "Manager",
    "X-EVOLUTION-MANAGER": "Manager",
    "X-MS-ASSISTANT": "Assistant",
    "X-EVOLUTION-ASSISTANT": "Assistant",
    # instant messaging: netlog has no field for it, and it is on the card
    "IMPP": "IM",
    "X-MS-IMADDRESS": "IM",
    "X-AIM": "AIM",
    "X-ICQ": "ICQ",
    "X-JABBER": "Jabber",
    "X-MSN": "MSN",
    "X-YAHOO": "Yahoo",
    "X-SKYPE": "Skype",
    "X-SKYPE-USERNAME": "Skype",
    "X-GTALK": "Google Talk",
    "X-GOOGLE-TALK": "Google Talk",
    "X-QQ": "QQ",
    "X-GADUGADU": "Gadu-Gadu",
    "X-TWITTER": "Twitter",
    # how to say the name
    "X-PHONETIC-FIRST-NAME": "Phonetic first name",
    "X-PHONETIC-MIDDLE-NAME": "Phonetic middle name",
    "X-PHONETIC-LAST-NAME": "Phonetic last name",
}
# Read, or saying nothing a user sees on the card (the formatted LABEL repeats its ADR).
_QUIET = frozenset({"VERSION", "PRODID", "REV", "KIND", "X-ABUID", "X-ABSHOWAS", "X-ADDRESSBOOKSERVER-KIND",
                    "X-ABADR", "LABEL", "CLIENTPIDMAP", "SOURCE", "NAME", "PROFILE", "X-EVOLUTION-FILE-AS",
                    "X-MOZILLA-HTML", "X-MS-OL-DESIGN", "X-MS-OL-DEFAULT-POSTAL-ADDRESS"})  # fmt: skip
# Properties whose decoding problems the user should hear about: the ones netlog reads.
_USED = frozenset(
    {"FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "ROLE", "NOTE", "ADR", "BDAY", "CATEGORIES", "URL"}
    | {"UID", "NICKNAME", "X-SOCIALPROFILE", "X-ABLABEL", "X-NETLOG-LOCATION", *_NOTE_FACTS, *_EVENTS}
)


class _Properties:
    """A card's properties by name, with Apple's item labels, read as text."""

    def __init__(self, properties: list[_Property]) -> None:
        self.properties = properties
        self.by_name: dict[str, list[_Property]] = {}
        for p in properties:
            self.by_name.setdefault(p.name, []).append(p)
        self.labels = {p.group: _label(_unescape(p.value).strip()) for p in self.all("X-ABLABEL") if p.group}
        for number, p in enumerate(self.all_starting("X-FCENCODED-")):
            _fullcontact(p, f"fc{number}", self)

    def all_starting(self, prefix: str) -> list[_Property]:
        return [p for name, props in self.by_name.items() if name.startswith(prefix) for p in props]

    def all(self, name: str) -> list[_Property]:
        return self.by_name.get(name, [])

    def texts(self, name: str) -> list[str]:
        return [t for t in (_unescape(p.value).strip() for p in self.all(name)) if t]

    def first(self, name: str) -> str | None:
        texts = self.texts(name)
        return texts[0] if texts else None

    def label(self, prop: _Property, default: str | None = None) -> str | None:
        """What an entry is for: Apple's item label (as written), else its TYPEs."""
        label = self.labels.get(prop.group or "")
        if label and label.strip():
            return label.strip()
        return _type_label(prop) or default


# TYPE values that say what kind of line a TEL is (or how to reach it): kept in the label.
_KINDS = {"cell": "mobile", "mobile": "mobile", "fax": "fax", "pager": "pager", "main": "main",
          "iphone": "iphone", "video": "video", "text": "text", "textphone": "textphone",
          "car": "car", "isdn": "isdn", "modem": "modem", "bbs": "bbs"}  # fmt: skip
_PLACES = ("home", "work", "other", "school")
# TYPE values that say nothing a label would: how a value is written or sent.
_NOT_LABELS = frozenset({"pref", "voice", "internet", "x400", "msg", "dom", "intl", "postal", "parcel",
                         "uri", "text/plain"})  # fmt: skip


def _types(prop: _Property) -> list[str]:
    return [
        t.strip().casefold() for value in prop.params.get("TYPE", []) for t in value.split(",") if t.strip()
    ]


def _type_label(prop: _Property) -> str | None:
    """`TYPE=WORK,FAX` -> "work fax", `TYPE=CELL,VOICE` -> "mobile", `TYPE=x-assistant` ->
    "assistant"; None when the types only say how the value is written."""
    types = [t.removeprefix("x-") for t in _types(prop) if t not in _NOT_LABELS]
    places = [t for t in _PLACES if t in types]
    kinds = _dedupe(_KINDS[t] for t in types if t in _KINDS)
    others = [t for t in types if t not in _PLACES and t not in _KINDS]
    return " ".join([*places, *kinds, *others]) or None


def _preferred(prop: _Property) -> bool:
    """vCard 3.0 says TYPE=PREF, 4.0 PREF=1 (any PREF value: 1 is the most preferred)."""
    return "pref" in _types(prop) or "PREF" in prop.params


def _read_card(card: _Card, unused: Counter[str]) -> list[Record]:
    properties = []
    binary: set[str] = set()
    for logical in _logical_lines(card.lines, binary):
        try:
            properties.append(_parse_property(logical))
        except ParseError:
            shown = logical.text if len(logical.text) <= 60 else logical.text[:57] + "..."
            return [Rejected(card.position, f"line {logical.number} is not a vCard property: {quote(shown)}")]
    records = _contact(card.position, _Properties(properties))
    if records and isinstance(records[0], ContactRecord):
        unused.update(binary | {p.name for p in properties if p.name not in _USED and p.name not in _QUIET})
    return records


# FullContact writes a labelled related name or date as X-FCENCODED- and the hex of
# "X-FC-RelatedNames:Spouse" or "X-FC-OtherDates:Anniversary": read as Apple's labelled
# X-ABRELATEDNAMES and X-ABDATE.
_FULLCONTACT = {"X-FC-RELATEDNAMES": "X-ABRELATEDNAMES", "X-FC-OTHERDATES": "X-ABDATE"}


def _fullcontact(prop: _Property, group: str, card: _Properties) -> None:
    try:
        kind, _, label = bytes.fromhex(prop.name.removeprefix("X-FCENCODED-")).decode("utf-8").partition(":")
    except ValueError:
        return
    name = _FULLCONTACT.get(kind.upper())
    if name is None or not label:
        return
    card.by_name[prop.name].remove(prop)
    prop.name, prop.group = name, group
    card.by_name.setdefault(name, []).append(prop)
    card.labels[group] = label


_MAILTO = re.compile(r"(?i)^mailto:")


def _contact(position: str, card: _Properties) -> list[Record]:
    kind = (card.first("KIND") or card.first("X-ADDRESSBOOKSERVER-KIND") or "").lower()
    if kind == "group":
        return [Rejected(position, "a contact group (KIND:group), not a contact")]
    notices: list[Record] = []

    written = [(p, _MAILTO.sub("", _unescape(p.value)).strip()) for p in card.all("EMAIL")]
    # The ledger refuses a whole contact for one bad address, so those go to the notes.
    email_list = _first_of_each(
        [EmailPublic(a, card.label(p), _preferred(p)) for p, a in written if _EMAIL.fullmatch(a)],
        lambda e: e.address.casefold(),
    )
    emails = [e.address for e in email_list]
    not_emails = _dedupe(a for _, a in written if a and not _EMAIL.fullmatch(a))
    numbers = [(p, _number(_unescape(p.value))) for p in card.all("TEL")]
    phones = [(p, number) for p, number in numbers if number]
    # ORG's first component is the organisation; its commas are text, not separators.
    units = [[_unescape(u).strip() for u in split_escaped(p.value, ";")] for p in card.all("ORG")]
    units = [[u for u in org_units if u] for org_units in units]
    units = [org_units for org_units in units if org_units]
    org = units[0][0] if units else None
    tags = _dedupe(t.strip() for text in card.texts("CATEGORIES") for t in text.split(","))

    name, is_company = _name(card, org, kind)
    if is_company:
        tags = _dedupe([*tags, "company"])
    if not name:
        name = emails[0] if emails else phones[0][1] if phones else None
        if name is None:
            return [Rejected(position, "no name, organisation, email or phone on this card")]
        notices.append(Notice(position, f"no name on the card: named {quote(name)} instead"))

    extras: list[str] = []  # what netlog has no field for, as lines at the end of the notes
    if not_emails:
        extras.append(f"Other addresses: {', '.join(not_emails)}")
        shown = ", ".join(quote(a) for a in not_emails)
        notices.append(Notice(position, f"{shown}: not an email address, kept in the notes"))
    nicknames = _dedupe(v for prop in card.all("NICKNAME") for v in _values(prop.value))
    birthday, unparsed = _birthday(card)
    if unparsed:
        extras.append(f"Birthday: {unparsed}")
        notices.append(Notice(position, f"birthday {quote(unparsed)} is not a date: kept in the notes"))
    extras += _facts(card)
    # ORG's other components are the department; a second ORG, TITLE or ROLE has no field.
    if units and units[0][1:]:
        extras.append(f"Department: {', '.join(units[0][1:])}")
    extras += [f"Organisation: {', '.join(more)}" for more in units[1:]]
    titles, roles = card.texts("TITLE"), card.texts("ROLE")
    extras += [f"Title: {text}" for text in titles[1:]]
    extras += [f"Role: {text}" for text in (roles if titles else roles[1:])]
    events, odd_dates = _events(card)
    extras += odd_dates
    parts = _name_parts(None if is_company else card)
    if one_piece(name, parts):
        parts = _name_parts(None)
    addresses = []
    for prop in card.all("ADR"):
        address, more = _address(prop, card.label(prop))
        addresses.append(address)
        if more:  # ADR has seven parts; what a writer put after them has no place but the notes
            extras.append(f"Address, more: {', '.join(more)}")
    phone_list = _first_of_each(
        [PhonePublic(number, card.label(p), _preferred(p)) for p, number in phones], lambda p: p.number
    )
    links = _urls(card)
    locations = [location_from(a) for a in addresses]
    record = ContactRecord(
        position=position,
        name=name,
        emails=emails,
        email_addresses=email_list,
        phone_numbers=phone_list,
        phone=next(
            (p.number for p in phone_list if p.preferred), phone_list[0].number if phone_list else None
        ),
        addresses=addresses,
        urls=links,
        url=profile_link(links),
        events=events,
        org=org,
        title=card.first("TITLE") or card.first("ROLE"),
        location=card.first("X-NETLOG-LOCATION")
        if card.all("X-NETLOG-LOCATION")
        else next((loc for loc in locations if loc), None),
        birthday=birthday,
        tags=tags,
        notes=_notes(card, extras),
        uid=card.first("UID"),
        nickname=", ".join(nicknames) or None,
        **parts,
    )
    return [record, *notices, *_decoding_notices(position, card.properties)]


def _number(text: str) -> str:
    """A TEL value as a phone shows it: a tel: URI's extension as " ext. 102" (a `;` in a
    number means "wait" to a phone), its other parameters left out."""
    text = text.strip()
    if not text.lower().startswith("tel:"):
        return text
    number, *params = text[4:].split(";")
    extension = next((p.split("=", 1)[1] for p in params if p.lower().startswith("ext=")), None)
    return f"{number.strip()} ext. {extension.strip()}" if extension else number.strip()


def _name(card: _Properties, org: str | None, kind: str) -> tuple[str | None, bool]:
    """The name (FN, else one built from N), and whether the card is a company's.

    A company card names only the company: Apple marks it X-ABShowAs:COMPANY, others
    leave N empty (`N:;;;;`) and put the company in ORG (and perhaps FN)."""
    fn = card.first("FN")
    n_name = _name_from_n(card.all("N")[0].value) if card.all("N") else None
    marked = (card.first("X-ABSHOWAS") or "").upper() == "COMPANY" or kind == "org"
    if org and (marked or (not n_name and fn in (None, org))):
        return org, True
    return fn or n_name or card.first("NICKNAME"), False


def _birthday(card: _Properties) -> tuple[tuple[int | None, int, int] | None, str | None]:
    """The birthday, or the text of a BDAY that is not a date (for the notes)."""
    for prop in card.all("BDAY"):  # vCard 4.0 may give it twice (ALTID): the first date wins
        omit_year = next(iter(prop.params.get("X-APPLE-OMIT-YEAR", ())), None)
        birthday = _parse_birthday(_unescape(prop.value), omit_year)
        if birthday:
            return birthday, None
    return None, card.first("BDAY")


def _facts(card: _Properties) -> list[str]:
    """Spouses, managers and the like, labelled with Apple's label when there is one."""
    facts = []
    for prop in card.properties:
        if prop.name in _NOTE_FACTS and (text := _unescape(prop.value).strip()):
            label = card.labels.get(prop.group or "") or _NOTE_FACTS[prop.name]
            facts.append(f"{label[:1].upper()}{label[1:]}: {text}")  # a line of the notes: "Spouse: Erik"
    return facts


def _events(card: _Properties) -> tuple[list[EventPublic], list[str]]:
    """Anniversaries and Apple's labelled dates, and lines for the notes for those whose
    value is not a date."""
    events, odd = [], []
    for prop in card.properties:
        if prop.name not in _EVENTS or not (text := _unescape(prop.value).strip()):
            continue
        label = card.label(prop, "anniversary" if prop.name in _ANNIVERSARIES else "date")
        omit_year = next(iter(prop.params.get("X-APPLE-OMIT-YEAR", ())), None)
        parsed = _parse_birthday(text, omit_year)
        if parsed is None:
            odd.append(f"{(label or 'date').capitalize()}: {text}")
            continue
        year, month, day = parsed
        shown = f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"
        event = EventPublic(label or "date", shown)
        if event not in events:  # netlog's 3.0 cards give an anniversary twice, for two readers
            events.append(event)
    return events, odd


def _notes(card: _Properties, extras: list[str]) -> str | None:
    """The NOTEs (each once), then the extras after a blank line."""
    # Trailing spaces and tabs on note lines are leftovers of 2.1 line wrapping, never meant.
    notes = ["\n".join(line.rstrip() for line in note.split("\n")) for note in card.texts("NOTE")]
    parts = ["\n\n".join(_dedupe(notes, key=str)), "\n".join(extras)]
    return "\n\n".join(part for part in parts if part) or None


def _urls(card: _Properties) -> list[UrlPublic]:
    """Every link with its label; the preferred one is the one marked so, else the
    LinkedIn profile if there is one, else the first."""
    urls = [(p, _unescape(p.value).strip()) for p in card.all("URL")]
    urls = [(p, u) for p, u in urls if u]
    profiles = []
    for prop in card.all("X-SOCIALPROFILE"):
        # Apple: X-SOCIALPROFILE;type=linkedin;x-user=jdoe:http://www.linkedin.com/in/jdoe
        value = _unescape(prop.value).strip()
        types = {t.lower() for t in prop.params.get("TYPE", [])}
        user = (prop.params.get("X-USER") or [""])[0].strip()
        if re.match(r"(?i)https?://", value):
            profiles.append((prop, value))
        elif "linkedin" in types and user:
            profiles.append((prop, f"https://www.linkedin.com/in/{user}"))
    links = _first_of_each(
        [
            UrlPublic(
                u, card.label(p) or (_social_label(p) if p.name == "X-SOCIALPROFILE" else None), _preferred(p)
            )
            for p, u in urls + profiles
        ],
        lambda link: link.url,
    )
    return links


T = TypeVar("T")


def _first_of_each(items: list[T], key: Callable[[T], object]) -> list[T]:
    """The first of each item by `key`, keeping a preference a later repeat states."""
    kept: dict[object, T] = {}
    for item in items:
        k = key(item)
        if k not in kept:
            kept[k] = item
        elif getattr(item, "preferred", False):
            kept[k].preferred = True  # type: ignore[attr-defined]
    return list(kept.values())


def _social_label(prop: _Property) -> str | None:
    return next((t for t in _types(prop) if t not in _NOT_LABELS), None)


def _decoding_notices(position: str, properties: list[_Property]) -> list[Notice]:
    problems: dict[str, list[str]] = {}
    for prop in properties:
        if prop.problem and prop.name in _USED:
            names = problems.setdefault(prop.problem, [])
            if prop.name not in names:
                names.append(prop.name)
    return [
        Notice(position, f"{', '.join(names)}: {problem}; check accented letters")
        for problem, names in problems.items()
    ]


def read_vcards(data: bytes, unused: Counter[str] | None = None) -> Iterator[Record]:
    """Yield a ContactRecord per card, Rejected for a broken card, Notice for things the
    user should know; last, one Notice counting the properties netlog kept nothing of
    (with `unused`, they are counted there instead, for a folder's one notice)."""
    counted = unused is not None
    unused = Counter() if unused is None else unused
    lines, notices = _decode(data)
    yield from notices
    if not any(_BEGIN.fullmatch(line.text) for line in lines):
        if any(line.text.strip() for line in lines):
            yield Rejected("the file", "no BEGIN:VCARD line: this is not a vCard file")
        return
    for item in _split_cards(lines):
        if not isinstance(item, _Card):
            yield item
            continue
        try:
            yield from _read_card(item, unused)
        except Exception as exc:  # one card's surprise must not stop the import
            yield Rejected(item.position, f"could not be read ({type(exc).__name__}: {exc})")
    if not counted:
        yield from not_kept(unused, "the file")


def not_kept(unused: Counter[str], position: str) -> Iterator[Notice]:
    """One notice naming the properties netlog kept nothing of, the ten on most cards."""
    if unused:
        ranked = sorted(unused.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{name} ({n})" for name, n in ranked[:10])
        more = f", and {len(ranked) - 10} other properties" if len(ranked) > 10 else ""
        yield Notice(position, f"not kept (cards with them): {shown}{more}")
