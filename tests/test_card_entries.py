"""A contact card's labelled entries: emails, phones, addresses, links and dates.

Typed with add and edit, shown by show, kept by imports that match a contact, merged,
undone, and written to each format with the labels and the preferred one intact. Every
expected value below is worked out from the command's text by hand.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest


def entries(contact: dict) -> dict:
    return {key: contact[key] for key in ("email_addresses", "phone_numbers", "addresses", "urls", "events")}


def add_kim(netlog) -> dict:
    return netlog.json(
        "add", "Kim Lee",
        "--email", "work:kim@acme.example", "--email", "kim@home.example",
        "--phone", "mobile:+44 20 7946 0000", "--phone", "Work Fax: +44 20 7946 0001",
        "--address", "home: 1 Main St, Flat 2; Springfield; IL; 62701; USA",
        "--address", "; Berlin; ; ; Germany",
        "--url", "linkedin:https://www.linkedin.com/in/kimlee", "--url", "https://kim.example",
        "--event", "anniversary:2015-06-20", "--event", "Name Day:03-12",
        "--no-meet",
    )  # fmt: skip


def test_add_takes_labelled_entries_and_the_first_of_each_is_preferred(netlog):
    kim = add_kim(netlog)

    assert entries(kim) == {
        "email_addresses": [
            {"address": "kim@acme.example", "label": "work", "preferred": True},
            {"address": "kim@home.example", "label": None, "preferred": False},
        ],
        "phone_numbers": [
            {"number": "+44 20 7946 0000", "label": "mobile", "preferred": True},
            {"number": "+44 20 7946 0001", "label": "work fax", "preferred": False},  # labels in lower case
        ],
        "addresses": [
            {"label": "home", "po_box": None, "extended": None, "street": "1 Main St, Flat 2",
             "locality": "Springfield", "region": "IL", "postcode": "62701", "country": "USA", "preferred": True},
            {"label": None, "po_box": None, "extended": None, "street": None, "locality": "Berlin",
             "region": None, "postcode": None, "country": "Germany", "preferred": False},
        ],
        "urls": [
            {"url": "https://www.linkedin.com/in/kimlee", "label": "linkedin", "preferred": True},
            {"url": "https://kim.example", "label": None, "preferred": False},  # https: is no label
        ],
        # a label of the user's own stays as they wrote it; the common ones are lower case
        "events": [{"label": "anniversary", "date": "2015-06-20"}, {"label": "Name Day", "date": "03-12"}],
    }  # fmt: skip
    # the keys there were before keep their meaning: all the addresses, the preferred phone
    assert kim["emails"] == ["kim@acme.example", "kim@home.example"]
    assert (kim["phone"], kim["url"]) == ("+44 20 7946 0000", "https://www.linkedin.com/in/kimlee")


def test_show_lists_each_entry_with_its_label(netlog):
    add_kim(netlog)

    lines = [" ".join(line.split()) for line in netlog("show", "kim", "--limit", "0").stdout.splitlines()]

    for line in (
        "email kim@acme.example (work, preferred)",
        "email kim@home.example",
        "phone +44 20 7946 0000 (mobile, preferred)",
        "phone +44 20 7946 0001 (work fax)",
        "address 1 Main St, Flat 2, Springfield, IL, 62701, USA (home, preferred)",
        "address Berlin, Germany",
        "link https://www.linkedin.com/in/kimlee (linkedin, preferred)",
        "anniversary 2015-06-20",
        "Name Day 03-12",
    ):
        assert line in lines


def test_edit_adds_entries_and_a_phone_given_becomes_the_preferred_one(netlog):
    add_kim(netlog)

    kim = netlog.json("edit", "kim", "--phone", "home:+44 20 7946 0002", "--email", "home:kim@home.example")

    # the new phone is the one to call now; the others stay, in their order
    assert kim["phone_numbers"] == [
        {"number": "+44 20 7946 0000", "label": "mobile", "preferred": False},
        {"number": "+44 20 7946 0001", "label": "work fax", "preferred": False},
        {"number": "+44 20 7946 0002", "label": "home", "preferred": True},
    ]
    assert kim["phone"] == "+44 20 7946 0002"
    # an email that is there already gets the label; the preferred one stays
    assert kim["email_addresses"][1] == {"address": "kim@home.example", "label": "home", "preferred": False}
    # the same number written another way is the same phone: relabelled, not added
    again = netlog.json("edit", "kim", "--phone", "mobile:+442079460002")
    assert [p["number"] for p in again["phone_numbers"]] == [
        "+44 20 7946 0000",
        "+44 20 7946 0001",
        "+44 20 7946 0002",
    ]
    assert again["phone_numbers"][2]["label"] == "mobile"


def test_clear_empties_a_kind_before_the_additions(netlog):
    add_kim(netlog)

    kim = netlog.json("edit", "kim", "--clear", "phones", "--phone", "+1 555 0100", "--clear", "events")

    assert kim["phone_numbers"] == [{"number": "+1 555 0100", "label": None, "preferred": True}]
    assert kim["phone"] == "+1 555 0100" and kim["events"] == []
    bare = netlog.json("edit", "kim", "--clear", "phone", "--clear", "urls", "--clear", "addresses")
    assert (bare["phone"], bare["phone_numbers"], bare["url"], bare["urls"], bare["addresses"]) == (
        None, [], None, [], []
    )  # fmt: skip


def test_undo_takes_back_the_entries_an_edit_added(netlog, db_path):
    add_kim(netlog)

    def rows():
        conn = sqlite3.connect(db_path)
        try:
            return [
                conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                for t in ("email", "detail", "contact")
            ]
        finally:
            conn.close()

    before = rows()
    netlog(
        "edit", "kim", "--phone", "+1 555 0100", "--address", "work: 2 High St", "--event", "met:2020-01-01"
    )
    assert rows() != before
    netlog("undo")
    assert rows() == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--event", "06-20"], 'Error: "06-20" needs a label: e.g. anniversary:2015-06-20 or anniversary:06-20.'),
        (["--event", "anniversary:13-45"], 'Error: The anniversary date "13-45" is not MM-DD or YYYY-MM-DD (e.g. 06-20).'),
        (["--address", "a; b; c; d; e; f"],
         'Error: "a; b; c; d; e; f" has more than five parts: give street; town; region; postcode; country.'),
        (["--email", "work:not an address"], 'Error: "not an address" is not an email address (like jane@example.com).'),
        (["--phone", "x" * 101 + ":+1 555"], None),  # a label of 101 characters
        (["--phone", ":+1 555"], """Error: Nothing before the ':' in ":+1 555": write label:value, or leave the ':' out."""),
        (["--phone", "mobile:"], 'Error: "mobile:" has a label but no number: write label:number.'),
        (["--phone", "mobile:abc"], 'Error: "abc" has no digits: give a phone number, e.g. mobile:+44 20 7946 0000.'),
        (["--url", "linkedin:"], 'Error: "linkedin:" has a label but no link: write label:link.'),
        (["--address", " ; ; ; ; "], 'Error: " ; ; ; ; " has no address: give street; town; region; postcode; country.'),
        (["--url", "blog:https://a b.example"], 'Error: "https://a b.example" is not a link: it holds spaces or control characters.'),
    ],
)  # fmt: skip
def test_a_bad_entry_is_one_line_and_nothing_is_added(netlog, db_path, args, said):
    result = netlog.fail("add", "Kim Lee", *args)

    assert len(result.stderr.strip().splitlines()) == 1
    assert said is None or result.stderr.strip() == said
    assert not db_path.exists() or netlog.json("list") == []


@pytest.mark.parametrize(
    ("option", "typed", "entry"),
    [
        ("--phone", "Mum's office (weekdays):+44 1", {"number": "+44 1", "label": "Mum's office (weekdays)"}),
        ("--phone", "📱:+1 555", {"number": "+1 555", "label": "📱"}),
        ("--phone", "+44 20 7946 0000", {"number": "+44 20 7946 0000", "label": None}),
        ("--email", "mailto:kim@x.example", {"address": "kim@x.example", "label": None}),
        ("--url", "www.example.com:8080/path", {"url": "www.example.com:8080/path", "label": None}),
        ("--url", "javascript:alert(1)", {"url": "javascript:alert(1)", "label": None}),
        ("--url", "Personal site:https://kim.example", {"url": "https://kim.example", "label": "Personal site"}),
        ("--event", "wedding (2nd):2019-05-05", {"date": "2019-05-05", "label": "wedding (2nd)"}),
    ],
)  # fmt: skip
def test_a_label_is_what_comes_before_the_colon_unless_that_is_part_of_the_value(
    netlog, option, typed, entry
):
    kim = netlog.json("add", "Kim Lee", option, typed, "--no-meet")

    key = {"--phone": "phone_numbers", "--email": "email_addresses", "--url": "urls", "--event": "events"}[
        option
    ]
    (got,) = kim[key]
    assert {k: got[k] for k in entry} == entry


def test_an_import_that_matches_adds_the_new_entries_and_keeps_the_old(netlog, tmp_path):
    add_kim(netlog)
    card = tmp_path / "kim.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Lee\r\nEMAIL;TYPE=INTERNET:kim@acme.example\r\n"
        "TEL;TYPE=CELL:+44 20 7946 0000\r\nTEL;TYPE=HOME:+44 20 7946 0009\r\nEND:VCARD\r\n"
    )

    result = netlog("import", str(card))

    assert "1 updated" in result.stderr
    kim = netlog.json("show", "kim")
    assert [(p["number"], p["label"], p["preferred"]) for p in kim["phone_numbers"]] == [
        ("+44 20 7946 0000", "mobile", True),
        ("+44 20 7946 0001", "work fax", False),
        ("+44 20 7946 0009", "home", False),  # the one the card has that Kim had not
    ]
    assert len(kim["email_addresses"]) == 2  # kim@acme.example was there already
    # with --overwrite the card's phones replace hers
    netlog("import", str(card), "--overwrite")
    kim = netlog.json("show", "kim")
    assert [(p["number"], p["label"]) for p in kim["phone_numbers"]] == [
        ("+44 20 7946 0000", "mobile"),
        ("+44 20 7946 0009", "home"),
    ]


def test_a_merge_keeps_the_entries_of_both(netlog):
    netlog("add", "Kim Lee", "--phone", "mobile:+44 1", "--address", "home: 1 Main St", "--no-meet")
    netlog(
        "add",
        "K. Lee",
        "--phone",
        "work:+44 2",
        "--phone",
        "+44 1",
        "--event",
        "anniversary:06-20",
        "--no-meet",
    )

    kim = netlog.json("merge", "kim-lee", "k-lee")

    assert kim["phone_numbers"] == [
        {"number": "+44 1", "label": "mobile", "preferred": True},
        {"number": "+44 2", "label": "work", "preferred": False},  # +44 1 again is not a second phone
    ]
    assert [a["street"] for a in kim["addresses"]] == ["1 Main St"]
    assert kim["events"] == [{"label": "anniversary", "date": "06-20"}]


def test_a_vcard_says_each_label_as_a_type_or_as_apples_item_label(netlog):
    add_kim(netlog)

    cards = netlog("export", "--format", "vcf").stdout.splitlines()

    for line in (
        "EMAIL;TYPE=INTERNET,WORK,PREF:kim@acme.example",
        "EMAIL;TYPE=INTERNET:kim@home.example",
        "TEL;TYPE=CELL,PREF:+44 20 7946 0000",
        "TEL;TYPE=WORK,FAX:+44 20 7946 0001",
        "ADR;TYPE=HOME,PREF:;;1 Main St\\, Flat 2;Springfield;IL;62701;USA",
        "ADR:;;;Berlin;;;Germany",
        "URL:https://kim.example",
        # 3.0 has no ANNIVERSARY: Apple's labelled date, and khard's X-ANNIVERSARY
        "item1.X-ABDATE:2015-06-20",
        "item1.X-ABLabel:_$!<Anniversary>!$_",
        "X-ANNIVERSARY:2015-06-20",
        # a year-less date as Apple writes one in 3.0
        "item2.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-03-12",
        "item2.X-ABLabel:Name Day",
        "item3.URL;TYPE=PREF:https://www.linkedin.com/in/kimlee",
        "item3.X-ABLabel:linkedin",
    ):
        assert line in cards
    # her location (given by her first address) is what the addresses say: not written again
    assert not any(line.startswith("X-NETLOG-LOCATION") for line in cards)


def test_google_csv_export_is_googles_layout_with_a_group_per_entry(netlog):
    add_kim(netlog)
    netlog("add", "Cher", "--no-meet", "--note", '=HYPERLINK("http://x.example")', "--phone", "-30 1234-56")

    rows = list(csv.DictReader(io.StringIO(netlog("export", "--format", "google").stdout)))

    kim, cher = sorted(rows, key=lambda r: r["Name"], reverse=True)
    # two emails, two phones, two addresses, two links and two dates at most: two groups of each
    assert "E-mail 3 - Value" not in kim and "Event 2 - Value" in kim
    assert (kim["First Name"], kim["Last Name"], kim["Name"]) == ("Kim Lee", "", "Kim Lee")
    # Google's own labels capitalised as Google writes them, the primary one of several marked
    assert (kim["E-mail 1 - Label"], kim["E-mail 1 - Value"]) == ("* Work", "kim@acme.example")
    assert (kim["E-mail 2 - Label"], kim["E-mail 2 - Value"]) == ("", "kim@home.example")
    # a number as it is (made only of digits, spaces and +().- it cannot run as a formula)
    assert (kim["Phone 1 - Label"], kim["Phone 1 - Value"]) == ("* Mobile", "+44 20 7946 0000")
    assert (kim["Address 1 - Street"], kim["Address 1 - City"], kim["Address 1 - Postal Code"]) == (
        "1 Main St, Flat 2", "Springfield", "62701"
    )  # fmt: skip
    assert (kim["Event 2 - Label"], kim["Event 2 - Value"]) == (
        "Name Day",
        "--03-12",
    )  # Google's year-less form
    assert kim["Labels"] == "* myContacts"
    assert kim["Notes"] == ""
    assert (cher["First Name"], cher["E-mail 1 - Value"]) == ("Cher", "")
    # what a spreadsheet would run is neutralised, as in netlog's own CSV
    assert (cher["Notes"], cher["Phone 1 - Value"]) == ('\'=HYPERLINK("http://x.example")', "-30 1234-56")


def test_netlog_csv_keeps_the_lists_in_one_cell_each(netlog):
    add_kim(netlog)

    (row,) = csv.DictReader(io.StringIO(netlog("export", "--format", "csv").stdout.lstrip("\ufeff")))

    assert row["phone_numbers"] == "mobile: +44 20 7946 0000 (preferred); work fax: +44 20 7946 0001"
    # an address's seven parts by commas; the comma inside the street escaped
    assert row["addresses"] == (
        "home: , , 1 Main St\\\\, Flat 2, Springfield, IL, 62701, USA (preferred); , , , Berlin, , , Germany"
    )
    assert row["events"] == "anniversary: 2015-06-20; Name Day: 03-12"


def test_an_export_from_before_labelled_entries_imports_as_it_did(netlog, tmp_path):
    old = tmp_path / "old.jsonl"
    old.write_text(json.dumps({"type": "contact", "name": "Sam Rivera", "emails": ["sam@acme.example"],
                               "phone": "+1 555 0100", "url": "https://sam.example"}) + "\n")  # fmt: skip

    netlog("import", str(old))

    sam = netlog.json("show", "sam")
    assert (sam["emails"], sam["phone"], sam["url"]) == (
        ["sam@acme.example"],
        "+1 555 0100",
        "https://sam.example",
    )
    assert sam["phone_numbers"] == [{"number": "+1 555 0100", "label": None, "preferred": True}]


def test_an_address_typed_gives_the_location_when_none_is_given(netlog):
    kim = netlog.json(
        "add", "Kim Lee", "--address", "home: 1 Main St; Springfield; IL; 62701; USA", "--no-meet"
    )
    sam = netlog.json("add", "Sam Roe", "--address", "; Leeds", "--location", "Yorkshire", "--no-meet")

    assert (kim["location"], sam["location"]) == (
        "Springfield, IL, USA",
        "Yorkshire",
    )  # town, region, country
    assert netlog.json("edit", "sam", "--address", "work: ; York")["location"] == "Yorkshire"  # kept


def test_an_address_books_long_label_is_cut_with_a_notice_not_the_card_lost(netlog, tmp_path):
    label = "Assistant to the regional manager, Scranton branch (mornings), " * 2  # 126 characters
    card = tmp_path / "long.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dwight\r\nitem1.TEL:+1 570 555 0100\r\nitem1.X-ABLabel:{label}\r\nEND:VCARD\r\n"
    )

    result = netlog("import", str(card))

    assert (
        "1 created" in result.stderr and "a label longer than 100 characters was cut to 100" in result.stderr
    )
    (phone,) = netlog.json("show", "dwight")["phone_numbers"]
    assert phone["label"] == label.strip()[:100].rstrip()


def test_search_finds_a_phone_an_address_and_a_link(netlog):
    add_kim(netlog)
    netlog("add", "Sam Roe", "--phone", "+1 555 0100", "--address", "; Leeds; ; ; UK", "--no-meet")

    def found(text):
        return [c["handle"] for c in netlog.json("list", "--search", text)]

    assert found("7946 0001") == ["kim-lee"]  # her work fax
    assert found("springfield") == ["kim-lee"] and found("LEEDS") == ["sam-roe"]
    assert found("kim.example") == ["kim-lee"]  # a link
    assert found("62701") == ["kim-lee"]  # a postcode
