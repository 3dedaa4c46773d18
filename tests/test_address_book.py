"""The address book, whole: a contact's name parts (prefix, given, middle, family,
suffix, nickname) survive every import and export, beside the name shown."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from netlog.formats.records import ContactRecord
from netlog.formats.vcard import read_vcards
from netlog.formats.vcard_write import write_vcards

PARTS = ("name_prefix", "given_name", "middle_name", "family_name", "name_suffix", "nickname")

JURGEN = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jürgen U. Ó Briain\r\n"
    "N:Ó Briain;Jürgen;U.;;\r\nNICKNAME:Jürg\r\nEMAIL:jurgen@example.ie\r\nEND:VCARD\r\n"
)


def parts_of(contact: dict) -> dict:
    return {key: contact[key] for key in PARTS}


def test_a_vcard_name_in_parts_comes_back_as_it_was(netlog, tmp_path):
    card = tmp_path / "jurgen.vcf"
    card.write_text(JURGEN, encoding="utf-8")
    netlog("import", str(card))
    (jurgen,) = netlog.json("list")
    assert jurgen["name"] == "Jürgen U. Ó Briain"
    assert parts_of(jurgen) == {
        "name_prefix": None,
        "given_name": "Jürgen",
        "middle_name": "U.",
        "family_name": "Ó Briain",  # two words, not "Briain" with "Ó" in the given name
        "name_suffix": None,
        "nickname": "Jürg",
    }
    assert jurgen["notes"] is None  # the nickname is no longer a line of the notes
    for version, n_line in (("3.0", "N:Ó Briain;Jürgen;U.;;"), ("4.0", "N:Ó Briain;Jürgen;U.;;")):
        out = netlog("export", "--format", "vcf", "--vcard-version", version).stdout
        lines = out.splitlines()
        assert n_line in lines and "NICKNAME:Jürg" in lines
        again = tmp_path / f"again-{version}.vcf"
        again.write_text(out, encoding="utf-8")
        fresh = tmp_path / f"fresh-{version}.db"
        netlog("--db", str(fresh), "import", str(again))
        (back,) = netlog.json("--db", str(fresh), "list")
        assert parts_of(back) == parts_of(jurgen) and back["name"] == jurgen["name"]


def test_add_and_edit_take_the_parts_and_a_typed_name_alone_keeps_none(netlog):
    sean = netlog.json(
        "add", "Seán Ó Briain", "--given", "Seán", "--family", "Ó Briain", "--nickname", "Shay"
    )
    assert (sean["given_name"], sean["family_name"], sean["nickname"]) == ("Seán", "Ó Briain", "Shay")
    jane = netlog.json("add", "Jane Q. Doe")
    assert parts_of(jane) == dict.fromkeys(PARTS)  # never guessed into the ledger
    # ...but a card needs an N: the whole name as the given name, not a guess at which
    # words are the family name (which is how "Seán Ó Briain" used to come back wrong).
    cards = netlog("export", "--format", "vcf").stdout.splitlines()
    assert "N:;Jane Q. Doe;;;" in cards and "N:Ó Briain;Seán;;;" in cards
    edited = netlog.json("edit", "sean", "--clear", "nickname", "--given", "Sean")
    assert (edited["given_name"], edited["family_name"], edited["nickname"]) == ("Sean", "Ó Briain", None)
    shown = netlog("show", "sean").stdout
    assert "given Sean; family Ó Briain" in shown


def test_google_and_linkedin_columns_fill_the_parts(netlog, tmp_path):
    google = tmp_path / "google.csv"
    google.write_text(
        "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Nickname,E-mail 1 - Label,E-mail 1 - Value\n"
        "Maria,José,de la Cruz,Dr.,PhD,Majo,* Home,maria@example.mx\n",
        encoding="utf-8",
    )
    netlog("import", str(google))
    (maria,) = netlog.json("list")
    assert maria["name"] == "Dr. Maria José de la Cruz PhD"
    assert parts_of(maria) == {
        "name_prefix": "Dr.",
        "given_name": "Maria",
        "middle_name": "José",
        "family_name": "de la Cruz",
        "name_suffix": "PhD",
        "nickname": "Majo",
    }
    linkedin = tmp_path / "Connections.csv"
    linkedin.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Wei,Zhang Li,https://www.linkedin.com/in/wei,,Acme,CTO,01 Mar 2025\n",
        encoding="utf-8",
    )
    netlog("import", str(linkedin))
    wei = next(c for c in netlog.json("list") if c["name"] == "Wei Zhang Li")
    assert (wei["given_name"], wei["family_name"]) == ("Wei", "Zhang Li")


def test_csv_and_json_exports_carry_the_parts_back(netlog, tmp_path):
    netlog("add", "Maria de la Cruz", "--given", "Maria", "--family", "de la Cruz", "--nickname", "Majo")
    original = parts_of(netlog.json("show", "maria")) | {"name": "Maria de la Cruz"}
    for fmt in ("csv", "jsonl", "json"):
        path = tmp_path / f"out.{fmt}"
        netlog("export", "--format", fmt, "-o", str(path))
        fresh = tmp_path / f"{fmt}.db"
        netlog("--db", str(fresh), "import", str(path))
        back = netlog.json("--db", str(fresh), "show", "maria")
        assert parts_of(back) | {"name": back["name"]} == original, fmt


def test_an_import_fills_empty_parts_and_overwrites_only_when_asked(netlog, tmp_path):
    netlog("add", "Jürgen U. Ó Briain", "--email", "jurgen@example.ie", "--given", "Jurgen")
    card = tmp_path / "jurgen.vcf"
    card.write_text(JURGEN, encoding="utf-8")
    netlog("import", str(card))  # matched by email
    after = netlog.json("show", "jurgen")
    assert (after["given_name"], after["family_name"], after["nickname"]) == ("Jurgen", "Ó Briain", "Jürg")
    netlog("import", str(card), "--overwrite")
    assert netlog.json("show", "jurgen")["given_name"] == "Jürgen"


def test_an_older_export_without_parts_imports_as_before(netlog, tmp_path):
    old = tmp_path / "old.jsonl"
    old.write_text(
        json.dumps({"type": "netlog-export", "format_version": 1})
        + "\n"
        + json.dumps({"type": "contact", "name": "Ana Lima", "handle": "ana-lima"})
        + "\n",
        encoding="utf-8",
    )
    result = netlog("import", str(old))
    assert "not read" not in result.stderr
    assert parts_of(netlog.json("show", "ana")) == dict.fromkeys(PARTS)


# Name parts a person could have, in several scripts; a part is one line, trimmed.
PART = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")) | st.sampled_from(" ,;\\"),
    max_size=20,
).map(lambda text: " ".join(text.split()))


@settings(deadline=None)
@given(
    family=PART,
    given_=PART,
    middle=PART,
    prefix=PART,
    suffix=PART,
    version=st.sampled_from(["3.0", "4.0"]),
)
def test_any_name_parts_survive_a_vcard(family, given_, middle, prefix, suffix, version):
    contact = {
        "name": "Someone",
        "family_name": family or None,
        "given_name": given_ or None,
        "middle_name": middle or None,
        "name_prefix": prefix or None,
        "name_suffix": suffix or None,
    }
    (text,) = write_vcards([contact], version=version)
    (record,) = [r for r in read_vcards(text.encode()) if isinstance(r, ContactRecord)]
    expected = [
        contact[k] for k in ("family_name", "given_name", "middle_name", "name_prefix", "name_suffix")
    ]
    if expected == [None, "Someone", None, None, None]:
        # The shown name alone as the given name is how a contact without parts is written,
        # so it reads back as no parts: the card is the same either way.
        expected = [None] * 5
    got = [record.family_name, record.given_name, record.middle_name, record.name_prefix, record.name_suffix]
    assert got == expected  # commas, semicolons and backslashes escaped and read back


def test_a_nickname_finds_the_contact(netlog):
    netlog("add", "Robert Smith", "--nickname", "Bob, Bobby", "--no-meet")
    netlog("add", "Roberta Jones", "--no-meet")
    assert netlog.json("show", "bob")["name"] == "Robert Smith"  # no name starts with "bob"
    assert netlog.json("show", "BOBBY")["name"] == "Robert Smith"
    assert [c["handle"] for c in netlog.json("list", "--search", "bobby")] == ["robert-smith"]
    # Names come first: "rob" starts two names, so it is ambiguous, nicknames or not.
    assert "matches 2 contacts" in netlog.fail("show", "rob").stderr


def test_every_part_can_be_set_and_cleared(netlog):
    netlog("add", "Maria de la Cruz", "--prefix", "Dr.", "--given", "Maria", "--middle", "José",
           "--family", "de la Cruz", "--suffix", "PhD")  # fmt: skip
    maria = netlog.json("show", "maria")
    assert parts_of(maria) == {
        "name_prefix": "Dr.",
        "given_name": "Maria",
        "middle_name": "José",
        "family_name": "de la Cruz",
        "name_suffix": "PhD",
        "nickname": None,
    }
    cleared = netlog.json("edit", "maria", "--clear", "middle", "--clear", "prefix", "--clear", "suffix")
    assert (cleared["middle_name"], cleared["name_prefix"], cleared["name_suffix"]) == (None, None, None)
    assert cleared["given_name"] == "Maria"


def test_a_vdir_holds_one_card_per_contact_and_rewrites_only_what_changed(netlog, tmp_path):
    import vobject

    ana = netlog.json("add", "Ana Lima", "--email", "ana@example.com", "--given", "Ana", "--family", "Lima")
    sam = netlog.json("add", "Sam Rivera", "--nickname", "Sammy")
    folder = tmp_path / "book"
    netlog("export", "--format", "vdir", "-o", str(folder))
    files = {p.name: p for p in folder.glob("*.vcf")}
    assert set(files) == {f"{ana['uid']}.vcf", f"{sam['uid']}.vcf"}  # named by UID, as vdirsyncer does
    # and netlog's note of what it wrote, which vdir readers do not list (they take *.vcf)
    assert {p.name for p in folder.iterdir()} - set(files) == {".netlog-vdir.json"}
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files.values())
    card = vobject.readOne(files[f"{ana['uid']}.vcf"].read_text(encoding="utf-8"))  # a second reader
    assert (card.fn.value, card.n.value.family, card.n.value.given) == ("Ana Lima", "Lima", "Ana")
    assert card.uid.value == ana["uid"] and card.email.value == "ana@example.com"

    before = {name: p.stat().st_ino for name, p in files.items()}
    again = netlog("export", "--format", "vdir", "-o", str(folder))
    assert "0 cards written, 2 unchanged" in again.stderr
    assert {name: p.stat().st_ino for name, p in files.items()} == before  # nothing rewritten
    netlog("edit", "sam", "--nickname", "Sam")
    changed = netlog("export", "--format", "vdir", "-o", str(folder))
    assert "1 card written, 1 unchanged" in changed.stderr
    assert files[f"{ana['uid']}.vcf"].stat().st_ino == before[f"{ana['uid']}.vcf"]
    assert "NICKNAME:Sam\r\n" in files[f"{sam['uid']}.vcf"].read_bytes().decode()

    # a card another program changed (a sync from the phone) is noticed, though the
    # contact did not change: it is made again, and rewritten as netlog has it
    ana_card = files[f"{ana['uid']}.vcf"]
    ana_card.write_bytes(ana_card.read_bytes().replace(b"FN:Ana Lima", b"FN:Ana Lima (phone)"))
    synced = netlog("export", "--format", "vdir", "-o", str(folder))
    assert "1 card written, 1 unchanged" in synced.stderr
    assert b"FN:Ana Lima\r\n" in ana_card.read_bytes()
    # without the note (deleted, or from another netlog) every card is compared again
    (folder / ".netlog-vdir.json").unlink()
    assert "0 cards written, 2 unchanged" in netlog("export", "--format", "vdir", "-o", str(folder)).stderr

    netlog("rm", "sam", "--yes")
    # a card made on the phone and synced into the folder, not imported yet
    phone = folder / "made-on-the-phone.vcf"
    phone.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:made-on-the-phone\r\nFN:New Friend\r\nEND:VCARD\r\n")
    kept = netlog("export", "--format", "vdir", "-o", str(folder))
    assert (
        "2 cards in " in kept.stderr
        and "belong to no contact in netlog and were left there (--delete removes the 1 netlog wrote)."
        in kept.stderr
    )
    assert files[f"{sam['uid']}.vcf"].exists()  # removed from netlog, not from the folder
    netlog("export", "--format", "vdir", "-o", str(folder), "--delete")
    assert not files[f"{sam['uid']}.vcf"].exists() and files[f"{ana['uid']}.vcf"].exists()
    assert phone.exists()  # netlog never wrote it: --delete leaves it (a sync would delete it everywhere)


def test_a_vdir_imports_into_a_fresh_ledger(netlog, tmp_path):
    netlog("add", "Jürgen Ó Briain", "--given", "Jürgen", "--family", "Ó Briain", "--email", "j@example.ie")
    netlog("add", "Ana Lima", "--birthday", "03-14", "--tag", "friends")
    folder = tmp_path / "book"
    netlog("export", "--format", "vdir", "-o", str(folder))
    fresh = tmp_path / "fresh.db"
    result = netlog("--db", str(fresh), "import", str(folder))
    assert "2 created" in result.stderr
    by_handle = {c["handle"]: c for c in netlog.json("--db", str(fresh), "list")}
    assert by_handle["jurgen-o-briain"]["family_name"] == "Ó Briain"
    assert by_handle["jurgen-o-briain"]["emails"] == ["j@example.ie"]
    assert (by_handle["ana-lima"]["birthday"], by_handle["ana-lima"]["tags"]) == ("03-14", ["friends"])
    # Imported again: the same people (by UID), nothing new.
    assert "0 created" in netlog("--db", str(fresh), "import", str(folder)).stderr


def test_vdir_mistakes_are_one_clear_line(netlog, tmp_path):
    netlog("add", "Ana Lima")
    assert "give it with -o DIR" in netlog.fail("export", "--format", "vdir", code=2).stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert "is a file, not a folder" in netlog.fail("export", "--format", "vdir", "-o", str(a_file)).stderr
    assert (
        "read as a folder of vCards" in netlog.fail("import", str(tmp_path), "--format", "csv", code=2).stderr
    )
    assert "vdir is a folder" in netlog.fail("import", str(a_file), "--format", "vdir", code=2).stderr
    assert "--delete is for --format vdir" in netlog.fail("export", "--delete", code=2).stderr


def test_what_a_vdir_has_that_netlog_keeps_nothing_of_is_one_notice_for_the_folder(netlog, tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    for n in range(3):
        (folder / f"p{n}.vcf").write_text(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p{n}\r\nFN:Person {n}\r\nGEO:geo:1,2\r\n"
            + ("PHOTO;VALUE=uri:https://x.example/p.jpg\r\n" if n else "")
            + "END:VCARD\r\n"
        )

    result = netlog("import", str(folder))

    assert result.stderr.count("not kept") == 1
    assert "the folder: not kept (cards with them): GEO (3), PHOTO (2)" in result.stderr
