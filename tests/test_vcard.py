"""vCard reading and writing (formats/vcard.py), on small files shaped like real exports.

The fixture files in tests/fixtures/vcard/ each imitate one program's quirks (see the
README there); the smaller quirks are inline cards. Every expected value is what a user
would see after importing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject
from depth import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from netlog.formats.records import ContactRecord, Notice, Rejected
from netlog.formats.vcard import read_vcards
from netlog.formats.vcard_write import write_vcards
from netlog.public import AddressPublic, EmailPublic, EventPublic, PhonePublic, UrlPublic

FIXTURES = Path(__file__).parent / "fixtures" / "vcard"


def read(data: bytes | str) -> list:
    return list(read_vcards(data.encode() if isinstance(data, str) else data))


def card(*lines: str, version: str = "3.0") -> str:
    """One card with CRLF line ends, as most programs write them."""
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def only_contact(data: bytes | str) -> ContactRecord:
    """The single contact read from `data`, which must yield no Rejected and no Notice."""
    records = read(data)
    assert len(records) == 1 and isinstance(records[0], ContactRecord), records
    return records[0]


def contact_and_notices(data: bytes | str) -> tuple[ContactRecord, list[str]]:
    records = read(data)
    contacts = [r for r in records if isinstance(r, ContactRecord)]
    assert len(contacts) == 1 and not any(isinstance(r, Rejected) for r in records), records
    return contacts[0], [r.message for r in records if isinstance(r, Notice)]


def summary(records: list) -> list[tuple[str, str, str]]:
    """(kind, position, name or reason or message) for each record, in order."""
    rows = []
    for r in records:
        if isinstance(r, ContactRecord):
            rows.append(("contact", r.position, r.name))
        elif isinstance(r, Rejected):
            rows.append(("rejected", r.position, r.reason))
        else:
            rows.append(("notice", r.position, r.message))
    return rows


# --- whole files shaped like real exports -------------------------------------------------


def test_apple_contacts_export() -> None:
    person, company, dropped = read((FIXTURES / "apple.vcf").read_bytes())

    assert dropped == Notice("the file", "not kept (cards with them): PHOTO (1)")  # counted, never silent

    assert person == ContactRecord(
        position="card 1 (line 1)",
        name="Dr. Astrid Maria Lindqvist",
        emails=["astrid@nordlys.se", "astrid.l@example.org"],  # ASTRID@ is the same address
        phone="+46 70 123 45 67",
        org="Nordlys AB",
        title="Head of Research",
        location="Stockholm, Sweden",
        url="http://www.linkedin.com/in/astridl",  # from X-SOCIALPROFILE, preferred to the home page
        birthday=(None, 11, 5),  # 1604 with X-APPLE-OMIT-YEAR: no year
        tags=["Conference", "Speakers"],
        notes="Met at Nordic AI Summit, Oslo.\nIntroduced by Erik.\n\nSpouse: Erik\nDepartment: Research",
        uid="4F5C6E2A-1B3D-4E5F-8A9B-0C1D2E3F4A5B",
        # N:Lindqvist;Astrid;Maria;Dr.; and NICKNAME:Assi, as parts (no longer in the notes)
        family_name="Lindqvist",
        given_name="Astrid",
        middle_name="Maria",
        name_prefix="Dr.",
        nickname="Assi",
        # item1 is type=pref; ASTRID@ (item2) is the same address, kept once
        email_addresses=[EmailPublic("astrid@nordlys.se", None, True), EmailPublic("astrid.l@example.org")],
        # CELL,VOICE,pref is a mobile; item4's Apple label _$!<AssistantPhone>!$_ is "assistant"
        phone_numbers=[
            PhonePublic("+46 70 123 45 67", "mobile", True),
            PhonePublic("+46 8 555 010 20", "assistant"),
        ],
        addresses=[
            AddressPublic("work", None, None, "Sveavägen 1", "Stockholm", None, "111 57", "Sweden", True)
        ],
        # the home page is type=pref; the profile link is the LinkedIn one all the same
        urls=[
            UrlPublic("https://nordlys.se", "homepage", True),
            UrlPublic("http://www.linkedin.com/in/astridl", "linkedin"),
        ],
    )
    # The broken base64 photo was dropped, not the person.
    assert company == ContactRecord(
        position="card 2 (line 32)",
        name="Fjord & Co.",
        phone="+47 22 00 00 00",
        org="Fjord & Co.",
        tags=["company"],
        phone_numbers=[PhonePublic("+47 22 00 00 00", "Switchboard")],  # its X-ABLabel, as written
    )


def test_gmail_export_keeps_the_whole_name_despite_an_unescaped_comma() -> None:
    john, ana = read((FIXTURES / "gmail.vcf").read_bytes())

    assert john == ContactRecord(
        position="card 1 (line 1)",
        name="Mr. John Richter, James Doe Sr.",  # vobject alone would stop at the comma
        emails=["john.doe@example.com", "jdoe@work.example"],
        phone="905-555-1234",
        org="Initech",
        title="Money Counter",
        location="Austin, TX, USA",  # the first ADR has only a street: the next one has a city
        url="https://www.linkedin.com/in/john-doe-42",
        birthday=(1980, 3, 22),
        tags=["myContacts", "Friends"],
        notes="Favourite colour: blue\nAllergic to peanuts, shellfish",
        family_name="Doe",  # N:Doe;John;Richter\, James;Mr.;Sr.
        given_name="John",
        middle_name="Richter, James",
        name_prefix="Mr.",
        name_suffix="Sr.",
        email_addresses=[
            EmailPublic("john.doe@example.com", "home"),
            EmailPublic("jdoe@work.example", "work"),
        ],
        phone_numbers=[PhonePublic("905-555-1234", "mobile"), PhonePublic("905-666-1234", "home")],
        addresses=[
            # a street of three lines, with the town in it, and nothing else
            AddressPublic(
                "home", street="12 Crescent Moon Drive\nAlbany, New York 12345\nUnited States of America"
            ),
            AddressPublic("Office", None, None, "321 Custom St", "Austin", "TX", "98765", "USA"),
        ],
        urls=[
            UrlPublic("http://www.initech.example", "work"),
            UrlPublic("https://www.linkedin.com/in/john-doe-42", "PROFILE"),
        ],
        events=[EventPublic("anniversary", "1975-03-01")],  # item3.X-ABDATE, Apple's _$!<Anniversary>!$_
    )
    assert ana == ContactRecord(
        position="card 2 (line 24)",
        name="Ana Lima",
        emails=["ana@example.com"],
        family_name="Lima",
        given_name="Ana",
        email_addresses=[EmailPublic("ana@example.com")],
    )


def test_outlook_vcard_21_with_cp1252_and_quoted_printable() -> None:
    records = read((FIXTURES / "outlook-2.1.vcf").read_bytes())

    assert records == [
        ContactRecord(
            position="card 1 (line 1)",
            name="Dr. Jürgen Müller",
            emails=["j.mueller@mueller-soehne.example"],
            phone="+49 221 555 0100",
            org="Müller & Söhne, GmbH",
            title="Geschäftsführer",
            location="Köln, NRW, Deutschland",
            url="http://www.mueller-soehne.example",
            birthday=(1970, 4, 12),
            notes="Erstes Treffen: Messe Köln\nZweite Zeile, mit Komma\nDritte Zeile\n\nDepartment: Vertrieb",
            family_name="Müller",  # N;LANGUAGE=de:Müller;Jürgen;;Dr.;
            given_name="Jürgen",
            name_prefix="Dr.",
            email_addresses=[
                EmailPublic("j.mueller@mueller-soehne.example", None, True)
            ],  # EMAIL;PREF;INTERNET
            phone_numbers=[  # vCard 2.1's bare types: WORK;VOICE, CELL;VOICE, WORK;FAX
                PhonePublic("+49 221 555 0100", "work"),
                PhonePublic("+49 170 555 0199", "mobile"),
                PhonePublic("+49 221 555 0101", "work fax"),
            ],
            addresses=[
                AddressPublic("work", None, None, "Domkloster 4", "Köln", "NRW", "50667", "Deutschland", True)
            ],
            urls=[UrlPublic("http://www.mueller-soehne.example", "work")],
        ),
        Notice(
            "card 1 (line 1)", "N, FN, ORG, TITLE, ADR: not UTF-8: decoded as cp1252; check accented letters"
        ),
        Notice(
            "card 1 (line 1)",
            "NOTE: no charset given and not UTF-8: decoded as cp1252; check accented letters",
        ),
        # Quoted-printable with a CHARSET is decoded with it, without a notice.
        ContactRecord(
            position="card 2 (line 31)",
            name="Åsa Åberg",
            emails=["asa@example.se"],
            notes="Träffpunkt: Malmö",
            family_name="Åberg",
            given_name="Åsa",
            email_addresses=[EmailPublic("asa@example.se")],
        ),
        Notice("the file", "not kept (cards with them): KEY (1), PHOTO (1)"),
    ]


def test_android_vcard_21() -> None:
    records = read((FIXTURES / "android-2.1.vcf").read_bytes())

    assert records == [
        ContactRecord(
            position="card 1 (line 1)",
            name="no.name@example.com",
            emails=["no.name@example.com"],
            tags=["My Contacts"],
            email_addresses=[EmailPublic("no.name@example.com", None, True)],  # EMAIL;PREF
        ),
        Notice("card 1 (line 1)", 'no name on the card: named "no.name@example.com" instead'),
        ContactRecord(
            position="card 2 (line 6)",
            name="José Ñúñez",  # from N: there is no FN
            phone="+34 600 000 000",
            org="Café Central\ufffd",  # the stray byte 0x80 is not UTF-8, as the card claims
            notes="Línea uno ñññññññ sigue",
            family_name="Ñúñez",
            given_name="José",
            phone_numbers=[
                PhonePublic("+34 600 000 000", "mobile", True),
                PhonePublic("+34 910 000 000", "home"),
            ],
        ),
        Notice(
            "card 2 (line 6)", "ORG: not valid UTF-8: some characters were replaced; check accented letters"
        ),
    ]


def test_a_broken_card_in_the_middle_does_not_stop_the_others() -> None:
    records = read((FIXTURES / "broken-middle.vcf").read_bytes())

    assert summary(records) == [
        ("contact", "card 1 (line 1)", "Alice Archer"),
        ("rejected", "card 2 (line 6)", 'line 9 is not a vCard property: "This line was pasted in by hand"'),
        ("contact", "card 3 (line 12)", "Carol Clark"),
    ]
    assert records[2].emails == ["carol@example.com"]


def test_unbalanced_begin_and_end() -> None:
    records = read((FIXTURES / "unbalanced.vcf").read_bytes())

    assert summary(records) == [
        ("rejected", "card 1 (line 1)", "no END:VCARD before the next BEGIN:VCARD (line 4)"),
        ("contact", "card 2 (line 4)", "Dan Dunn"),
        ("notice", "line 8", "line outside BEGIN:VCARD ... END:VCARD ignored"),
        ("contact", "card 3 (line 9)", "Eve Example"),  # BEGIN:vCard ... end:vcard
        ("rejected", "card 4 (line 13)", "no END:VCARD: the file ends inside this card"),
    ]


# --- encodings, with real encoded bytes ---------------------------------------------------

NAMES_CARD = card("FN:Zoë Ørsted 山田", "EMAIL:zoe@example.com")


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"],
    ids=["utf-8", "utf-8 BOM", "utf-16 BOM", "utf-16-le no BOM", "utf-16-be no BOM"],
)
def test_unicode_encodings(encoding: str) -> None:
    data = NAMES_CARD.encode(encoding)
    if encoding == "utf-16":
        assert data.startswith(b"\xff\xfe")  # Python writes little-endian with a BOM

    assert only_contact(data) == ContactRecord(
        position="card 1 (line 1)",
        name="Zoë Ørsted 山田",
        emails=["zoe@example.com"],
        email_addresses=[EmailPublic("zoe@example.com")],
    )


def test_utf16_big_endian_with_bom() -> None:
    data = b"\xfe\xff" + NAMES_CARD.encode("utf-16-be")

    assert only_contact(data).name == "Zoë Ørsted 山田"


def test_shift_jis() -> None:
    data = card("FN:山田 太郎", "N:山田;太郎;;;", "NOTE:東京で会った。フリガナ: ヤマダ").encode("shift_jis")

    assert read(data) == [
        Notice("the file", "not UTF-8: decoded as Shift_JIS"),
        ContactRecord(
            position="card 1 (line 1)",
            name="山田 太郎",
            notes="東京で会った。フリガナ: ヤマダ",
            family_name="山田",
            given_name="太郎",
        ),
    ]


def test_cp1252() -> None:
    data = card("FN:Zoë Müller", "NOTE:“Smart quotes” – and a dash").encode("cp1252")

    contact, notices = contact_and_notices(data)
    assert (contact.name, contact.notes) == ("Zoë Müller", "“Smart quotes” – and a dash")
    assert notices == ["FN, NOTE: not UTF-8: decoded as cp1252; check accented letters"]


def test_western_text_that_also_decodes_as_shift_jis_is_read_as_cp1252() -> None:
    # "é" followed by a letter is a valid Shift_JIS kanji: this decodes strictly as Shift_JIS.
    data = card("FN:Hélène Renée").encode("cp1252")
    assert "駘" in data.decode("cp932")

    contact, notices = contact_and_notices(data)
    assert contact.name == "Hélène Renée"
    assert notices == ["FN: not UTF-8: decoded as cp1252; check accented letters"]


def test_a_cp1252_card_pasted_into_a_utf8_file_leaves_the_utf8_cards_alone() -> None:
    data = card("FN:Zoë Müller").encode("cp1252") + card("FN:Zoë Müller").encode("utf-8")

    assert summary(read(data)) == [
        ("contact", "card 1 (line 1)", "Zoë Müller"),
        ("notice", "card 1 (line 1)", "FN: not UTF-8: decoded as cp1252; check accented letters"),
        ("contact", "card 2 (line 5)", "Zoë Müller"),
    ]


def test_a_charset_parameter_says_what_8bit_bytes_are() -> None:
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-2:Anton\xedn Dvo\xf8\xe1k\r\nEND:VCARD\r\n"

    assert only_contact(data).name == "Antonín Dvořák"


def test_charset_parameters_on_vcard_30_lines() -> None:
    # Thunderbird writes CHARSET=UTF-8 on vCard 3.0 lines; the text is already UTF-8.
    contact = only_contact(
        card(
            "N;CHARSET=UTF-8:Ødegård;Åse",
            "FN;CHARSET=UTF-8:Åse Ødegård",
            "ORG;CHARSET=UTF-8:Blåbær AS;Salg",
            "CATEGORIES;CHARSET=UTF-8:kunde\\, leverandør",
        )
    )

    assert (contact.name, contact.org, contact.tags) == ("Åse Ødegård", "Blåbær AS", ["kunde", "leverandør"])


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r", "\r\r\n"], ids=["CRLF", "LF", "CR", "CR CR LF"])
def test_line_ends(line_end: str) -> None:
    data = line_end.join(["BEGIN:VCARD", "VERSION:3.0", "FN:Jane Doe", "TEL:123", "END:VCARD", ""])

    assert only_contact(data) == ContactRecord(
        position="card 1 (line 1)", name="Jane Doe", phone="123", phone_numbers=[PhonePublic("123")]
    )


def test_empty_input_yields_nothing() -> None:
    assert read(b"") == []
    assert read(b"\r\n  \r\n") == []


def test_a_file_without_cards_is_rejected() -> None:
    assert read("name,email\nJane,jane@example.com\n") == [
        Rejected("the file", "no BEGIN:VCARD line: this is not a vCard file")
    ]


# --- structure ------------------------------------------------------------------------------


def test_folded_lines_are_joined() -> None:
    contact = only_contact(
        card(
            "FN:Maximilian Alexander von und zu Hohenberg-Schwarzenfels",
            "NOTE:A long note folded at seventy-five octets as the standard says: it g",
            " oes on here\\, and\\n",
            "\tcontinues after a tab.",
        )
    )

    assert contact.notes == (
        "A long note folded at seventy-five octets as the standard says: it goes on here, and\n"
        "continues after a tab."
    )


@pytest.mark.parametrize(
    "photo",
    [
        # Apple: two-space indented base64, here cut short by a sync bug.
        ["PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg", "  ABAQAAAQAB", "  @@ not: base64;"],
        # vCard 2.1: unindented rows, ended by a blank line.
        ["PHOTO;ENCODING=BASE64;TYPE=JPEG:", "/9j/4AAQSkZJRgABAQ", "AAAQABAAD/2wBDAAIBAQ", ""],
        # Outlook's KEY: four-space indent, then blank lines.
        ["KEY;X509;ENCODING=BASE64:", "    MIIDITCCAoqgAwIBAgIQ", "    VQQGEwJaQTElMCMGA1UE", "", ""],
        ["item1.LOGO;VALUE=uri:https://example.com/logo.png", "SOUND;ENCODING=b:UklGRiQAAABXQVZFZm10"],
    ],
    ids=["apple photo", "vcard 2.1 photo", "outlook key", "logo and sound"],
)
def test_binary_properties_are_dropped_with_their_data(photo: list[str]) -> None:
    contact, notices = contact_and_notices(card("FN:Pat Lee", *photo, "TEL:+1 555 0100", "NOTE:kept"))

    assert (contact.name, contact.phone, contact.notes) == ("Pat Lee", "+1 555 0100", "kept")
    dropped = sorted(
        {line.split(";")[0].split(".")[-1] for line in photo if line[:1].isalpha() and ";" in line}
    )
    # counted, never silent: one notice for the file
    assert notices == [f"not kept (cards with them): {', '.join(f'{name} (1)' for name in dropped)}"]


def test_a_nested_card_rejects_the_outer_one() -> None:
    data = card("FN:Outer", "AGENT:", "BEGIN:VCARD", "FN:Inner", "END:VCARD", "NOTE:x")

    assert summary(read(data)) == [
        ("rejected", "card 1 (line 1)", "no END:VCARD before the next BEGIN:VCARD (line 5)"),
        ("contact", "card 2 (line 5)", "Inner"),
        ("notice", "line 8", "2 lines outside BEGIN:VCARD ... END:VCARD ignored"),
    ]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("# exported by hand", '"# exported by hand"'),
        ("NOTE without a colon", '"NOTE without a colon"'),
        ('X-ODD;PARAM="never closed:value', '"X-ODD;PARAM=\\"never closed:value"'),
        ("A" * 80, '"' + "A" * 57 + '..."'),
    ],
)
def test_a_line_that_is_not_a_property_rejects_its_card(line: str, shown: str) -> None:
    assert read(card("FN:Jane Doe", line)) == [
        Rejected("card 1 (line 1)", f"line 4 is not a vCard property: {shown}")
    ]


def test_a_contact_group_is_not_a_contact() -> None:
    data = card("FN:Book club", "X-ADDRESSBOOKSERVER-KIND:group", "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:1")

    assert read(data) == [Rejected("card 1 (line 1)", "a contact group (KIND:group), not a contact")]


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["FN:  Jane   Doe  ", "N:Doe;Jane;;;"], "Jane   Doe"),  # ends trimmed, the rest as written
        (["N:Doe;Jane;;;"], "Jane Doe"),
        (["N:Doe;John;Richter,James;Mr.;Sr."], "Mr. John Richter James Doe Sr."),
        (["N:Perreault;Simon;;;ing. jr,M.Sc."], "Simon Perreault ing. jr, M.Sc."),
        (["N:Doe;John"], "John Doe"),  # Thunderbird leaves out the empty components
        (["FN:Jane Doe"], "Jane Doe"),
        (["FN:", "N:Doe;Jane;;;"], "Jane Doe"),
        (["FN:Dummy\\, Dummy"], "Dummy, Dummy"),
        (["FN:Mr. John Richter, James Doe Sr."], "Mr. John Richter, James Doe Sr."),
        (["FN:Back\\\\slash\\; semi\\nnew line"], "Back\\slash; semi\nnew line"),
        (["NICKNAME:Jojo"], "Jojo"),
    ],
)
def test_name(lines: list[str], name: str) -> None:
    assert only_contact(card(*lines)).name == name


@pytest.mark.parametrize(
    "lines",
    [
        ["N:;;;;", "ORG:Initech;"],
        ["ORG:Initech"],
        ["N:;;;;", "FN:Initech", "ORG:Initech"],
        ["N:Lumbergh;Bill;;;", "FN:Initech", "ORG:Initech", "X-ABShowAs:COMPANY"],
        ["KIND:org", "FN:Initech", "ORG:Initech"],
    ],
)
def test_a_company_card_is_named_after_the_company(lines: list[str]) -> None:
    contact = only_contact(card(*lines, "CATEGORIES:Vendors"))

    assert (contact.name, contact.org, contact.tags) == ("Initech", "Initech", ["Vendors", "company"])


def test_a_person_at_a_company_is_not_a_company() -> None:
    contact = only_contact(card("N:Lumbergh;Bill;;;", "ORG:Initech"))

    assert (contact.name, contact.org, contact.tags) == ("Bill Lumbergh", "Initech", [])


def test_a_card_with_only_a_phone_is_named_after_it() -> None:
    contact, notices = contact_and_notices(card("TEL:+1 555 0100"))

    assert contact.name == "+1 555 0100"
    assert notices == ['no name on the card: named "+1 555 0100" instead']


def test_a_card_with_nothing_to_name_it_by_is_rejected() -> None:
    assert read(card("NOTE:who is this?")) == [
        Rejected("card 1 (line 1)", "no name, organisation, email or phone on this card")
    ]


# --- fields -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "birthday"),
    [
        ("BDAY:--0203", (None, 2, 3)),
        ("BDAY:--02-03", (None, 2, 3)),
        ("BDAY:1980-03-22", (1980, 3, 22)),
        ("BDAY:19800322", (1980, 3, 22)),
        ("BDAY:1980-03-22T00:00:00Z", (1980, 3, 22)),
        ("BDAY;VALUE=date:2012-06-06", (2012, 6, 6)),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-22", (None, 3, 22)),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:16040229", (None, 2, 29)),
        ("BDAY:0000-03-22", (None, 3, 22)),  # some Android versions
        ("BDAY: 1980-03-22 ", (1980, 3, 22)),
    ],
)
def test_birthday(line: str, birthday: tuple) -> None:
    assert only_contact(card("FN:Jane Doe", line)).birthday == birthday


def test_the_first_birthday_that_is_a_date_wins() -> None:
    # vCard 4.0 can give one birthday twice (ALTID), once as text.
    contact = only_contact(card("FN:Jane", "BDAY;ALTID=1;VALUE=text:early March", "BDAY;ALTID=1:19800322"))

    assert (contact.birthday, contact.notes) == ((1980, 3, 22), None)


@pytest.mark.parametrize("text", ["circa 1800", "22.03.1980", "1980-02-30", "--13-01"])
def test_a_birthday_that_is_not_a_date_goes_to_the_notes(text: str) -> None:
    contact, notices = contact_and_notices(card("FN:Jane Doe", "NOTE:Met in Rome", f"BDAY;VALUE=text:{text}"))

    assert contact.birthday is None
    assert contact.notes == f"Met in Rome\n\nBirthday: {text}"
    assert notices == [f'birthday "{text}" is not a date: kept in the notes']


def test_emails_are_deduplicated_and_bad_ones_kept_in_the_notes() -> None:
    contact, notices = contact_and_notices(
        card(
            "FN:Jane Doe",
            "EMAIL;TYPE=INTERNET: Jane@Example.com ",
            "EMAIL:mailto:jane.doe@work.example",
            "EMAIL:jane@example.COM",
            "EMAIL:",
            "EMAIL:jane at home",
        )
    )

    assert contact.emails == ["Jane@Example.com", "jane.doe@work.example"]
    assert contact.notes == "Other addresses: jane at home"
    assert notices == ['"jane at home": not an email address, kept in the notes']


def test_phones() -> None:
    contact = only_contact(
        card(
            "FN:Simon Perreault",
            'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102',
            "TEL;TYPE=cell: +1-418-262-6501 ",
            "item1.TEL:+1 555 0100",
            "item1.X-ABLabel:_$!<AssistantPhone>!$_",
            "TEL:+1-418-262-6501",
            "TEL:",
        )
    )

    assert contact.phone == "+1-418-656-9254 ext. 102"  # PREF=1; the tel: URI as a phone shows it
    assert contact.phone_numbers == [
        PhonePublic("+1-418-656-9254 ext. 102", "work", True),  # TYPE="work,voice": voice says nothing
        PhonePublic("+1-418-262-6501", "mobile"),  # and the same number again later is kept once
        PhonePublic("+1 555 0100", "assistant"),
    ]
    assert contact.notes is None


@pytest.mark.parametrize(
    ("lines", "urls", "url"),
    [
        (  # none is marked preferred: the profile link is the first
            ["URL:https://jane.example", "URL:https://blog.example"],
            [UrlPublic("https://jane.example"), UrlPublic("https://blog.example")],
            "https://jane.example",
        ),
        (  # a LinkedIn profile is the profile link, even when another is preferred
            ["URL;TYPE=pref:https://jane.example", "URL:https://www.linkedin.com/in/janedoe"],
            [UrlPublic("https://jane.example", None, True), UrlPublic("https://www.linkedin.com/in/janedoe")],
            "https://www.linkedin.com/in/janedoe",
        ),
        (
            ["URL:http\\://jane.example", "X-SOCIALPROFILE;type=linkedin:http\\://www.linkedin.com/in/jd"],
            [UrlPublic("http://jane.example"), UrlPublic("http://www.linkedin.com/in/jd", "linkedin")],
            "http://www.linkedin.com/in/jd",
        ),
        (
            ["X-SOCIALPROFILE;type=linkedin;x-user=jd:x-apple:jd"],
            [UrlPublic("https://www.linkedin.com/in/jd", "linkedin")],
            "https://www.linkedin.com/in/jd",
        ),
        (
            ["X-SOCIALPROFILE;type=twitter:https://twitter.com/jd"],
            [UrlPublic("https://twitter.com/jd", "twitter")],
            "https://twitter.com/jd",
        ),
        (  # one link said twice is one link
            ["URL;TYPE=HOME:https://jane.example", "URL;TYPE=WORK:https://jane.example"],
            [UrlPublic("https://jane.example", "home")],
            "https://jane.example",
        ),
        (  # a PREF other than the first
            ["URL:https://a.example", "URL;PREF=1:https://b.example"],
            [UrlPublic("https://a.example"), UrlPublic("https://b.example", None, True)],
            "https://b.example",
        ),
        (
            ["item1.URL:https://a.example", "item2.URL:https://b.example", "item2.X-ABLabel:BLOG"],
            [UrlPublic("https://a.example"), UrlPublic("https://b.example", "BLOG")],  # the label as written
            "https://a.example",
        ),
    ],
)
def test_urls(lines: list[str], urls: list[UrlPublic], url: str) -> None:
    contact = only_contact(card("FN:Jane Doe", *lines))

    assert contact.urls == urls
    assert contact.url == url
    assert contact.notes is None


@pytest.mark.parametrize(
    ("lines", "tags"),
    [
        (["CATEGORIES:VIP"], ["VIP"]),
        (["CATEGORIES: a , b,,c ,"], ["a", "b", "c"]),
        (["CATEGORIES:work,Work,WORK"], ["work"]),
        (["CATEGORIES:one", "CATEGORIES:two,one"], ["one", "two"]),
        (["CATEGORIES:category1\\, category2"], ["category1", "category2"]),  # Thunderbird over-escapes
        (["CATEGORIES:"], []),
    ],
)
def test_categories_become_tags(lines: list[str], tags: list[str]) -> None:
    assert only_contact(card("FN:Jane Doe", *lines)).tags == tags


@pytest.mark.parametrize(
    ("lines", "location"),
    [
        (["ADR;TYPE=work:;Suite D2-630;2875 Laurier;Quebec;QC;G1V 2M2;Canada"], "Quebec, QC, Canada"),
        (["ADR:;;1 Main St;Springfield;;;"], "Springfield"),
        (["ADR:;;;;;;USA"], "USA"),
        (["ADR:;;12 Main St\\nSpringfield;;;;", "ADR:;;;Berlin;;;Germany"], "Berlin, Germany"),
        (["ADR:;;;Bad Homburg\\, Ober-Erlenbach;;;"], "Bad Homburg, Ober-Erlenbach"),
        (["ADR:;;1 Main St;;;;"], None),
        (["ADR:;;;Quebec"], "Quebec"),  # components missing from the end
    ],
)
def test_address_becomes_location(lines: list[str], location: str | None) -> None:
    assert only_contact(card("FN:Jane Doe", *lines)).location == location


def test_org_title_uid_and_notes() -> None:
    contact = only_contact(
        card(
            "FN:Jane Doe",
            "ORG:Company, The;TheDepartment",
            "ORG:Second Org",
            "TITLE: VP\\, Sales ",
            "UID:urn:uuid:8b574c60-fd7f-4e99-b584-c5db131ae687",
            "NOTE:First line  \\nsecond line\\, with comma",
            "NOTE:First line\\nsecond line\\, with comma",
            "NOTE:Another note",
            "NICKNAME:JD,Janie",
        )
    )

    assert contact.org == "Company, The"  # the first ORG, its first component, commas and all
    assert contact.title == "VP, Sales"
    assert contact.uid == "urn:uuid:8b574c60-fd7f-4e99-b584-c5db131ae687"
    # the department and the second ORG have no field: the last lines of the notes
    assert contact.notes == (
        "First line\nsecond line, with comma\n\nAnother note\n\nDepartment: TheDepartment\nOrganisation: Second Org"
    )
    assert contact.nickname == "JD, Janie"  # its own field now, not a line of the notes


def test_role_stands_in_for_a_missing_title() -> None:
    assert only_contact(card("FN:Jane", "ROLE:Counting Money")).title == "Counting Money"


def test_other_programs_facts_go_to_the_notes_and_their_dates_to_events() -> None:
    contact = only_contact(
        card(
            "FN:Jane Doe",
            "X-MS-ANNIVERSARY:20110113",
            "X-EVOLUTION-SPOUSE:Maria",
            "item1.X-ABRELATEDNAMES:Sam",
            "item1.X-ABLabel:_$!<Child>!$_",
            "item2.X-ABDATE:--0704",
            "item2.X-ABLabel:Met",
            "item3.X-ABLabel:label for nothing",
            "X-ABLabel:label without a group",
        )
    )

    assert contact.notes == "Spouse: Maria\nChild: Sam"
    assert contact.events == [EventPublic("anniversary", "2011-01-13"), EventPublic("Met", "07-04")]


# --- vCard 2.1 quoted-printable -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "notes"),
    [
        ("NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 =E2=98=95", "Café ☕"),
        ("NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Caf=E9", "Café"),
        ("NOTE;CHARSET=us-ascii;ENCODING=QUOTED-PRINTABLE:tab\t=0D=0Anext", "tab\nnext"),
        ("NOTE;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9", "Café"),  # no CHARSET, and it is UTF-8
        ("NOTE;QUOTED-PRINTABLE:one=0D=0Atwo", "one\ntwo"),  # vCard 2.1's bare parameter
        ("NOTE;ENCODING=QUOTED-PRINTABLE:soft =\r\nline =\r\nbreaks", "soft line breaks"),
        ("NOTE;ENCODING=QUOTED-PRINTABLE:a=3Db=0D=\r\n=0Ac", "a=b\nc"),  # a break between =0D and =0A
    ],
)
def test_quoted_printable(line: str, notes: str) -> None:
    assert only_contact(card("FN:Jane", line, version="2.1")).notes == notes


@pytest.mark.parametrize(
    ("line", "notes", "notice"),
    [
        (
            "NOTE;ENCODING=QUOTED-PRINTABLE:Caf=E9",
            "Café",
            "NOTE: no charset given and not UTF-8: decoded as cp1252; check accented letters",
        ),
        (
            "NOTE;CHARSET=X-UNHEARD-OF;ENCODING=QUOTED-PRINTABLE:Caf=E9",
            "Café",
            "NOTE: unknown charset X-UNHEARD-OF and not UTF-8: decoded as cp1252; check accented letters",
        ),
        (
            "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=E9",
            "Caf\ufffd",
            "NOTE: not valid UTF-8: some characters were replaced; check accented letters",
        ),
    ],
)
def test_quoted_printable_that_needs_a_guess(line: str, notes: str, notice: str) -> None:
    contact, notices = contact_and_notices(card("FN:Jane", line, version="2.1"))

    assert (contact.notes, notices) == (notes, [notice])


def test_quoted_printable_name_from_n() -> None:
    data = card(
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=20=C3=91;=C3=91=C3=91=C3=91=C3=91=C3=91=C3=91=C3=91=C3=91=",
        "=C3=91=C3=91;;;",
        version="2.1",
    )

    assert only_contact(data).name == "ÑÑÑÑÑÑÑÑÑÑ Ñ Ñ"


def test_problems_in_properties_netlog_does_not_read_are_not_reported() -> None:
    data = card("FN:Jane", "X-MS-OL-DESIGN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE", version="2.1")

    assert only_contact(data).name == "Jane"


def test_rfc6868_caret_escapes_in_parameters() -> None:
    contact = only_contact(
        card(
            "FN:Kim Lee",
            "ADR;LABEL=\"Main St. 1^nBerlin ^'Mitte^': 10115\";TYPE=work:;;Main St. 1;Berlin;;10115;Germany",
            "X-SOCIALPROFILE;TYPE=linkedin;X-USER=kim^^lee:x-apple:kim",
            version="4.0",
        )
    )

    assert (contact.location, contact.url) == ("Berlin, Germany", "https://www.linkedin.com/in/kim^lee")


# --- never raise ------------------------------------------------------------------------------

VCARD_PIECES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "begin:vcard",
        "VERSION:2.1",
        "FN:Jane",
        "N:Doe;Jane",
        "N:;;;;",
        "ORG:Acme",
        "EMAIL:a@b.c",
        "TEL:1",
        "BDAY:--0203",
        "BDAY:x",
        "NOTE:a\\nb",
        "CATEGORIES:a,b",
        "NOTE;ENCODING=QUOTED-PRINTABLE:=C3=",
        "NOTE;QUOTED-PRINTABLE;CHARSET=zz:=E9=",
        "=",
        "",
        " folded",
        "\tfolded",
        "PHOTO;ENCODING=b:/9j/",
        "  AAAA",
        "garbage",
        ";;;:",
        'X;A="b:c',
        "item1.X-ABLabel:x",
        "item1.URL:http\\://x",
        "ADR:;;;a;b;c;d",
        "X-SOCIALPROFILE;x-user=^:",
        "KIND:group",
        "\u00e9",
        "\x00",
        "BDAY;X-APPLE-OMIT-YEAR=abc:1604-13-45",
    ]
)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(VCARD_PIECES, max_size=30),
    st.sampled_from(["\r\n", "\n", "\r"]),
    st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_never_raises_on_vcard_like_garbage(pieces: list[str], line_end: str, encoding: str) -> None:
    records = read(line_end.join(pieces).encode(encoding, errors="replace"))

    for record in records:
        assert isinstance(record, ContactRecord | Rejected | Notice)
        assert not (isinstance(record, Rejected) and "could not be read" in record.reason), record


@settings(max_examples=examples(200), deadline=None)
@given(st.binary(max_size=400))
def test_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    read(b"BEGIN:VCARD\r\n" + data + b"\r\nEND:VCARD\r\n")
    read(data)


# --- writing ----------------------------------------------------------------------------------


def contact(**fields) -> dict:
    """A contact as the export passes it (`ContactPublic` as JSON), with empty defaults."""
    base = {
        "handle": "jane-doe",
        "name": "Jane Doe",
        "emails": [],
        "phone": None,
        "org": None,
        "title": None,
        "location": None,
        "notes": None,
        "url": None,
        "birthday": None,
        "tags": [],
        "uid": "8f0c6f1e-7d7e-4c1e-9a51-3f2b1f4c9d10",
        "updated_at": "2026-03-10T09:15:02.123456Z",
        "id": 7,
        "circle": "network",
        "balance": 0,
    }
    return base | fields


FULL = contact(
    name="Jane Q. Doe",
    emails=["jane@example.com", "jd@work.example"],
    email_addresses=[
        {"address": "jane@example.com", "label": "work", "preferred": True},
        {"address": "jd@work.example", "label": None, "preferred": False},
    ],
    phone="+1 555 0100",
    phone_numbers=[
        {"number": "+1 555 0100", "label": "mobile", "preferred": True},
        {"number": "+1 555 0199", "label": "assistant", "preferred": False},
    ],
    org="Acme, Inc.",
    title="CTO",
    location="Berlin, Germany",  # what the address says: not written again
    addresses=[
        {
            "label": "work",
            "po_box": None,
            "extended": "Floor 3",
            "street": "Unter den Linden 1",
            "locality": "Berlin",
            "region": None,
            "postcode": "10117",
            "country": "Germany",
            "preferred": True,
        },
    ],
    notes="Met at PyCon.\nLikes tea.",
    url="https://www.linkedin.com/in/janedoe",
    urls=[{"url": "https://www.linkedin.com/in/janedoe", "label": "linkedin", "preferred": True}],
    events=[{"label": "anniversary", "date": "2015-06-20"}],
    birthday="1980-03-22",
    tags=["conference", "vip"],
)


def test_write_vcard_30() -> None:
    (text,) = write_vcards([FULL])

    assert text == "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "PRODID:-//netlog//netlog vCard export//EN",
            "UID:8f0c6f1e-7d7e-4c1e-9a51-3f2b1f4c9d10",
            "ADR;TYPE=WORK:;Floor 3;Unter den Linden 1;Berlin;;10117;Germany",  # one alone needs no PREF
            "item1.X-ABDATE:2015-06-20",  # 3.0 has no ANNIVERSARY: Apple's labelled date,
            "item1.X-ABLabel:_$!<Anniversary>!$_",
            "X-ANNIVERSARY:2015-06-20",  # and what khard and Evolution read
            "BDAY:1980-03-22",
            "CATEGORIES:conference,vip",
            "EMAIL;TYPE=INTERNET,WORK,PREF:jane@example.com",
            "EMAIL;TYPE=INTERNET:jd@work.example",
            "FN:Jane Q. Doe",
            "N:;Jane Q. Doe;;;",  # no name parts: the whole name, not a guess at the family name
            "NOTE:Met at PyCon.\\nLikes tea.",
            "ORG:Acme\\, Inc.",
            "REV:20260310T091502Z",
            "TEL;TYPE=CELL,PREF:+1 555 0100",  # mobile is vCard's CELL
            "item2.TEL:+1 555 0199",  # a label vCard has no TYPE for: Apple's item label
            "item2.X-ABLabel:_$!<AssistantPhone>!$_",
            "TITLE:CTO",
            "item3.URL:https://www.linkedin.com/in/janedoe",
            "item3.X-ABLabel:linkedin",
            "END:VCARD",
            "",
        ]
    )


def test_write_vcard_40() -> None:
    (text,) = write_vcards([FULL], version="4.0")
    lines = text.split("\r\n")

    assert lines[:2] == ["BEGIN:VCARD", "VERSION:4.0"]
    assert "BDAY:19800322" in lines
    assert "EMAIL;TYPE=work;PREF=1:jane@example.com" in lines  # TYPE=INTERNET is vCard 3.0 only
    assert "EMAIL:jd@work.example" in lines
    assert "TEL;TYPE=cell;PREF=1:+1 555 0100" in lines
    assert "ANNIVERSARY:20150620" in lines and not any("X-ABDATE" in line for line in lines)


def test_write_leaves_out_what_is_empty() -> None:
    (text,) = write_vcards([contact(name="Cher", uid="u1", updated_at=None)])

    assert text == "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "PRODID:-//netlog//netlog vCard export//EN",
            "UID:u1",
            "FN:Cher",
            "N:;Cher;;;",  # a single word is a given name
            "END:VCARD",
            "",
        ]
    )


@pytest.mark.parametrize(
    ("birthday", "version", "line"),
    [
        ("03-22", "3.0", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-22"),
        ("02-29", "3.0", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29"),
        ("03-22", "4.0", "BDAY:--0322"),
        ("1980-03-22", "3.0", "BDAY:1980-03-22"),
        ("1980-03-22", "4.0", "BDAY:19800322"),
        ("not a date", "3.0", None),
        ("02-30", "3.0", None),
    ],
)
def test_write_birthday(birthday: str, version: str, line: str | None) -> None:
    (text,) = write_vcards([contact(birthday=birthday)], version=version)

    assert [x for x in text.split("\r\n") if x.startswith("BDAY")] == ([line] if line else [])


@pytest.mark.parametrize(
    ("updated_at", "rev"),
    [
        ("2026-03-10T09:15:02.123456Z", "20260310T091502Z"),
        ("2026-03-10T09:15:02", "20260310T091502Z"),  # naive timestamps are UTC
        ("2026-03-10T10:15:02+01:00", "20260310T091502Z"),
        ("yesterday", None),
        (None, None),
    ],
)
def test_write_rev(updated_at: str | None, rev: str | None) -> None:
    (text,) = write_vcards([contact(updated_at=updated_at)])

    assert [x[4:] for x in text.split("\r\n") if x.startswith("REV:")] == ([rev] if rev else [])


def test_write_folds_long_lines_at_75_octets() -> None:
    (text,) = write_vcards([contact(notes="Emoji take four octets each: " + "🎉" * 60 + " and ASCII " * 20)])

    assert text.endswith("\r\n")
    assert max(len(line.encode("utf-8")) for line in text.split("\r\n")) <= 75
    assert (
        only_contact(text).notes
        == "Emoji take four octets each: " + "🎉" * 60 + (" and ASCII " * 20).rstrip()
    )


def test_write_rejects_an_unknown_version() -> None:
    with pytest.raises(ValueError, match=r"3\.0 or 4\.0"):
        write_vcards([], version="2.1")


def test_write_is_one_string_per_contact() -> None:
    cards = list(write_vcards([contact(name="A"), contact(name="B")]))

    assert [c.count("BEGIN:VCARD") for c in cards] == [1, 1]
    assert all(isinstance(c, str) and c.endswith("END:VCARD\r\n") for c in cards)


# --- round trip -----------------------------------------------------------------------------

HOSTILE_NAMES = [
    'Zoë "Zee" O\'Brien',
    "Doe, Jane; Esq.",
    "Back\\slash \\n not a newline",
    "Two\nLines",
    "Party 🎉👩‍💻 Person",
    "\u200fמרים כהן\u200e (Miriam)",
    "\u202eRight-to-left override",
    "Ωmega: colon, comma; semicolon",
]


def hostile_contact(name: str) -> dict:
    phone = "+1 (555) 010-0100, ext. 7"
    return contact(
        name=name,
        emails=["first@example.com", "second+tag@example.org"],
        email_addresses=[
            {"address": "first@example.com", "label": "work", "preferred": False},
            {"address": "second+tag@example.org", "label": None, "preferred": True},
        ],
        phone=phone,
        phone_numbers=[
            {"number": phone, "label": "mum's; office, 2", "preferred": True},  # a label of the user's own
            {"number": "+44 20 7946 0000", "label": "work fax", "preferred": False},
        ],
        addresses=[
            {
                "label": "home",
                "po_box": None,
                "extended": "Flat 2; rear",
                "street": f"{name}\n1 Main St, back",
                "locality": "Earth",
                "region": None,
                "postcode": "A1 2B3",
                "country": "Sol; III",
                "preferred": True,
            },
        ],
        urls=[{"url": "https://example.com/p?a=1,b=2;c=3", "label": None, "preferred": True}],
        events=[
            {"label": "first; met, here", "date": "2020-02-29"},
            {"label": "anniversary", "date": "02-29"},
        ],
        org=f"{name} & Sons; Ltd.",
        title=f"Head of {name}",
        location=f"{name}, Earth",
        notes=f"About {name}:\nline two, with comma; and semicolon\\ backslash\n\u200fשלום 🎉",
        url="https://example.com/p?a=1,b=2;c=3",
        birthday="02-29",
        tags=["vip", "met; at conf", "🎉", "\u200fתג"],
        uid="urn:uuid:1234,5;6",
    )


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_round_trip_hostile_text_through_vobject(version: str) -> None:
    contacts = [hostile_contact(name) for name in HOSTILE_NAMES]
    text = "".join(write_vcards(contacts, version=version))

    parsed = list(vobject.readComponents(text))
    assert len(parsed) == len(contacts)
    for original, vcard in zip(contacts, parsed, strict=True):
        assert vcard.version.value == version
        assert vcard.fn.value == original["name"]
        assert [e.value for e in vcard.contents["email"]] == original["emails"]
        assert [t.value for t in vcard.contents["tel"]] == [original["phone"], "+44 20 7946 0000"]
        assert vcard.org.value == [original["org"]]
        assert vcard.title.value == original["title"]
        assert vcard.note.value == original["notes"]
        assert vcard.url.value == original["url"]
        assert vcard.uid.value == original["uid"]
        address = vcard.adr.value
        assert (address.extended, address.street) == ("Flat 2; rear", f"{original['name']}\n1 Main St, back")
        assert (address.city, address.code, address.country) == ("Earth", "A1 2B3", "Sol; III")
        assert vcard.x_netlog_location.value == original["location"]  # not what the address says
        assert vcard.categories.value == original["tags"]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_round_trip_hostile_text_through_read_vcards(version: str) -> None:
    contacts = [hostile_contact(name) for name in HOSTILE_NAMES]
    text = "".join(write_vcards(contacts, version=version))
    records = read(text)

    begins = [number for number, line in enumerate(text.split("\r\n"), 1) if line == "BEGIN:VCARD"]
    assert len(records) == len(contacts) == len(begins)
    for number, (original, record, begin) in enumerate(zip(contacts, records, begins, strict=True), 1):
        assert record == ContactRecord(
            position=f"card {number} (line {begin})",
            name=original["name"],
            emails=original["emails"],
            phone=original["phone"],
            org=original["org"],
            title=original["title"],
            location=original["location"],
            url=original["url"],
            birthday=(None, 2, 29),
            tags=original["tags"],
            notes=original["notes"],
            uid=original["uid"],
            # A contact without name parts is written with its whole name as the given
            # name (N:;Zoë "Zee" O'Brien;;;), and read back without parts again.
            email_addresses=[
                EmailPublic("first@example.com", "work"),
                EmailPublic("second+tag@example.org", None, True),
            ],
            phone_numbers=[
                PhonePublic(original["phone"], "mum's; office, 2", True),
                PhonePublic("+44 20 7946 0000", "work fax"),
            ],
            addresses=[
                AddressPublic(
                    "home",
                    None,
                    "Flat 2; rear",
                    f"{original['name']}\n1 Main St, back",
                    "Earth",
                    None,
                    "A1 2B3",
                    "Sol; III",
                    False,  # one alone is written without PREF (and is the preferred one in a ledger)
                )
            ],
            urls=[UrlPublic(original["url"])],
            events=[EventPublic("first; met, here", "2020-02-29"), EventPublic("anniversary", "02-29")],
        )


# Text a user could type: no control characters other than line breaks and tabs, no surrogates.
USER_TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
    max_size=120,
).map(str.strip)


@settings(max_examples=examples(150), deadline=None)
@given(
    name=USER_TEXT.filter(bool),
    notes=USER_TEXT,
    org=USER_TEXT,
    tags=st.lists(USER_TEXT.filter(lambda t: t and "," not in t), max_size=4, unique_by=str.casefold),
    version=st.sampled_from(["3.0", "4.0"]),
)
def test_round_trip_any_text(name: str, notes: str, org: str, tags: list[str], version: str) -> None:
    (text,) = write_vcards([contact(name=name, notes=notes, org=org, tags=tags)], version=version)
    record = only_contact(text)

    expected_notes = "\n".join(line.rstrip() for line in notes.split("\n")).strip()
    assert (record.name, record.notes, record.org, record.tags) == (
        name,
        expected_notes or None,
        org or None,
        tags,
    )


# --- what the sample address books of real programs taught ------------------------------------


def test_dates_long_ago_are_kept_and_do_not_cost_the_card() -> None:
    contact = only_contact(
        card("FN:VCard Test", "item1.X-ABDATE:1776-07-04", "item1.X-ABLabel:Independence", "BDAY:1912-06-23")
    )

    assert contact.events == [EventPublic("Independence", "1776-07-04")]
    assert contact.birthday == (1912, 6, 23)


def test_instant_messaging_phonetic_names_and_departments_go_to_the_notes() -> None:
    contact = only_contact(
        card(
            "FN:John Doe",
            "ORG:IBM;Accounting;Dungeon",
            "TITLE:Money Counter",
            "ROLE:Accountant",
            "X-AIM;TYPE=HOME:johnny5@aol.com",
            "IMPP;X-SERVICE-TYPE=Skype:skype:johnny",
            "X-PHONETIC-FIRST-NAME:Jon",
            "X-PHONETIC-LAST-NAME:Dow",
        )
    )

    assert (contact.org, contact.title) == ("IBM", "Money Counter")
    assert contact.notes == (
        "AIM: johnny5@aol.com\nIM: skype:johnny\nPhonetic first name: Jon\nPhonetic last name: Dow\n"
        "Department: Accounting, Dungeon\nRole: Accountant"
    )


def test_what_netlog_keeps_nothing_of_is_counted_for_the_file() -> None:
    data = card(
        "FN:A", "GEO:geo:37.386013,-122.082932", "TZ:-05:00", "PHOTO;VALUE=uri:https://x.example/a.jpg"
    )
    data += card("FN:B", "GEO:geo:1,2", "X-CUSTOM-THING:1", "LABEL;TYPE=WORK:1 Main St", "PRODID:-//x//EN")

    records = read(data)

    assert [r.name for r in records if isinstance(r, ContactRecord)] == ["A", "B"]
    # LABEL repeats an address and PRODID names the program: nothing a user sees is lost there
    assert records[-1] == Notice(
        "the file", "not kept (cards with them): GEO (2), PHOTO (1), TZ (1), X-CUSTOM-THING (1)"
    )


def test_text_and_numbers_as_a_phone_shows_them() -> None:
    contact = only_contact(
        card(
            'NOTE:PROVIDED \\"AS IS\\"',  # an escaped quote is a quote
            "FN:Simon Perreault",
            "N:Perreault;Simon;;;ing. jr,M.Sc.",  # two suffixes keep their comma
            "TEL;VALUE=uri;TYPE=work:tel:+1-418-656-9254;ext=102",
            "item1.TEL:+1 555 0100",
            "item1.X-ABLabel:GRAND_CENTRAL",  # Google Voice: the label as written
        )
    )

    assert contact.notes == 'PROVIDED "AS IS"'
    assert contact.name_suffix == "ing. jr, M.Sc."
    assert contact.phone_numbers == [
        PhonePublic("+1-418-656-9254 ext. 102", "work"),  # a ";" in a number means "wait" to a phone
        PhonePublic("+1 555 0100", "GRAND_CENTRAL"),
    ]


def test_one_entry_alone_is_written_without_pref() -> None:
    (text,) = write_vcards(
        [contact(phone_numbers=[{"number": "+1 555 0100", "label": "mobile", "preferred": True}])]
    )

    assert "TEL;TYPE=CELL:+1 555 0100" in text.split("\r\n")


def test_the_count_of_what_is_not_kept_names_the_ten_most_common() -> None:
    data = "".join(card(f"FN:P{n}", *(f"X-THING-{k}:x" for k in range(n + 1))) for n in range(12))

    notice = read(data)[-1]

    # X-THING-0 is on all 12 cards, X-THING-1 on 11, ... X-THING-11 on one
    shown = ", ".join(f"X-THING-{k} ({12 - k})" for k in range(10))
    assert notice == Notice("the file", f"not kept (cards with them): {shown}, and 2 other properties")


def test_fullcontacts_encoded_related_names_and_dates() -> None:
    spouse = b"X-FC-RelatedNames:Spouse".hex().upper()
    anniversary = b"X-FC-OtherDates:Anniversary".hex().upper()

    contact = only_contact(
        card(
            "FN:Kim Lee", f"X-FCENCODED-{spouse}:Alex", f"X-FCENCODED-{anniversary}:2016-08-02", version="4.0"
        )
    )

    assert contact.notes == "Spouse: Alex"
    assert contact.events == [
        EventPublic("Anniversary", "2016-08-02")
    ]  # the ledger keeps it as "anniversary"


LINE_PIECES = st.sampled_from(["TEL", "item1.", "X-AB_Label", ";", ";;", "TYPE", "=", ",", "work", '"', "a:b",
                               ":", "v", " ", "é", "\\\\", ".", "==", "CELL"])  # fmt: skip


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(LINE_PIECES, max_size=10).map("".join))
def test_the_quick_line_reader_agrees_with_vobjects_grammar(line: str) -> None:
    from vobject.base import ParseError, parseLine

    from netlog.formats.vcard import split_line

    try:
        expected = parseLine(line)
    except ParseError:
        with pytest.raises(ParseError):
            split_line(line)
        return
    assert split_line(line) == expected
