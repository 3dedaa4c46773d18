"""Import from LinkedIn, Google, CSV and netlog's own JSON; export; merge.

Fixtures under fixtures/import/ reproduce the quirks of real exports; expected
values are read off the fixture files by hand.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def contacts_by_name(netlog) -> dict[str, dict]:
    everyone = netlog.json("list") + netlog.json("list", "--archived")
    return {c["name"]: c for c in everyone}


# --- LinkedIn --------------------------------------------------------------------------------


def test_linkedin_export_with_preamble_and_hidden_members(netlog):
    result = netlog("import", str(FIXTURES / "linkedin_current.csv"), "--no-spread")
    assert "4 created, 0 updated, 0 skipped, 0 rejected" in result.stderr
    assert "skipped 2 rows of members who hide their details" in result.stderr
    people = contacts_by_name(netlog)
    assert set(people) == {"Ada Okafor", 'Bob "The Builder" Smith', "Zoë Ångström", "유림 최"}
    ada = people["Ada Okafor"]
    assert (ada["org"], ada["title"], ada["met_on"]) == ("Okafor, Mensah & Co", "Partner", "2024-05-30")
    assert (ada["source"], ada["circle"]) == ("online", "acquaintance")
    assert ada["url"] == "https://www.linkedin.com/in/ada-okafor"
    bob = people['Bob "The Builder" Smith']
    assert (bob["emails"], bob["title"], bob["met_on"]) == (
        ["bob@example.com"],
        "CTO, Platform",
        "2025-01-01",
    )
    zoe = people["Zoë Ångström"]
    assert (zoe["org"], zoe["title"], zoe["met_on"]) == ("Globex", "Designer 🎨", "2023-03-15")
    assert people["유림 최"]["handle"] == "yu-lim-choe"


def test_old_linkedin_export_without_urls_and_with_us_dates(netlog):
    netlog("import", str(FIXTURES / "linkedin_old.csv"))
    people = contacts_by_name(netlog)
    assert people["Old Timer"]["met_on"] == "2018-01-08"
    assert people["Old Timer"]["emails"] == ["old@example.com"]
    assert people["Dec Ember"]["met_on"] == "2019-12-24"
    assert people["Dec Ember"]["url"] is None


def linkedin_file(path: Path, rows: int, seed: int = 7, start: int = 0) -> Path:
    """A realistic Connections.csv: preamble, hidden members, connections over years."""
    rng = random.Random(seed)
    first = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatou", "Gus", "Hui", "Ines", "Jon"]
    last = ["Okafor", "Smith", "Li", "Novak", "Garcia", "Diallo", "Berg", "Wang"]
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice ..."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for n in range(start, start + rows):
        day = date(2026, 3, 1) - timedelta(days=rng.randint(200, 2500))
        when = f"{day.day:02d} {day.strftime('%b')} {day.year}"
        if (n - start) % 25 == 24:
            lines.append(f",,,,,,{when}")
            continue
        f, la = rng.choice(first), rng.choice(last)
        lines.append(
            f"{f},{la},https://www.linkedin.com/in/{f.lower()}-{la.lower()}-{n},,Co {n % 9},Role,{when}"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_a_large_linkedin_import_does_not_flood_the_morning_list(netlog, tmp_path):
    source = linkedin_file(tmp_path / "Connections.csv", 300)  # 12 hidden: 288 people
    result = netlog("import", str(source))
    assert "288 created" in result.stderr and "skipped 12 rows" in result.stderr
    # 288 acquaintances (cadence 180) spread over 180 days: day n gets those with
    # i * 180 // 288 == n, one or two a day; by day 9, the first i with i * 180 // 288 <= 9.
    assert len(netlog.json("due")["contacts"]) == 2  # i = 0, 1
    assert len(netlog.json("due", "--as-of", "2026-03-19")["contacts"]) == 16  # i <= 15
    assert len(netlog.json("due", "--as-of", "2026-09-06")["contacts"]) == 288  # day 180
    # Someone you meet in the meantime drops out of the spread and follows their cadence.
    first = netlog.json("due")["contacts"][0]["handle"]
    netlog("meet", first)
    assert first not in [c["handle"] for c in netlog.json("due", "--as-of", "2026-03-19")["contacts"]]


def test_the_spread_never_puts_more_than_import_per_day_on_one_day(netlog, tmp_path, db_path):
    import sqlite3
    from collections import Counter

    netlog("config", "set", "import.per_day", "2")
    # 500 acquaintances (cadence 180) at 2 a day need 250 days, longer than the cadence.
    first = netlog("import", str(linkedin_file(tmp_path / "a.csv", 520)))  # 20 hidden: 500
    assert "over the next 250 days, at most 2 a day (setting import.per_day)" in first.stderr
    # Every day of those 250 is full, so 29 more from a second file come after them, two a
    # day from day 250: days 250 to 264, the last with one.
    second = netlog("import", str(linkedin_file(tmp_path / "b.csv", 30, start=1000)))
    assert "over the next 265 days, at most 2 a day" in second.stderr
    conn = sqlite3.connect(db_path)
    per_day = Counter(day for (day,) in conn.execute("SELECT first_due FROM contact"))
    assert max(per_day.values()) == 2 and sum(per_day.values()) == 529
    assert min(per_day) == "2026-03-10" and max(per_day) == "2026-11-29"  # day 264
    assert per_day["2026-11-14"] == 2 and per_day["2026-11-29"] == 1  # days 249 and 264
    assert len(netlog.json("due")["contacts"]) == 2  # day one: two, not a flood
    assert len(netlog.json("due", "--as-of", "2026-03-11")["contacts"]) == 4


def test_a_contact_from_the_spread_shows_its_first_due_day(netlog, tmp_path):
    netlog("import", str(linkedin_file(tmp_path / "a.csv", 40)))
    lin = netlog.json("list")[-1]
    assert lin["first_due"] is not None
    assert f"first due          {lin['first_due']}" in netlog("show", lin["handle"]).stdout


def test_spread_contacts_come_after_people_genuinely_overdue(netlog, tmp_path):
    # 384 acquaintances over 180 days: i * 180 // 384 is 0 for i = 0, 1, 2, so three come
    # due today. On 04-09 those three are 30 days past their first due day: counted as
    # 210 of 180 days (1.17), more than Ava, whose 180 days are up that day (1.0).
    netlog("add", "Ava Acquaintance", "--circle", "acquaintance", "--met", "2025-10-11")
    netlog("import", str(linkedin_file(tmp_path / "a.csv", 400)))
    due = netlog.json("due", "--as-of", "2026-04-09")["contacts"]
    assert due[0]["handle"] == "ava-acquaintance" and due[0]["overdue_ratio"] == 1.0
    assert due[1]["overdue_ratio"] == 1.17  # spread contacts after her, though "more overdue"


def test_reimporting_with_one_bad_line_is_a_success(netlog, tmp_path):
    source = tmp_path / "people.jsonl"
    lines = [json.dumps({"type": "contact", "name": f"Person {n}"}) for n in range(12)]
    source.write_text("\n".join(lines) + "\n")
    netlog("import", str(source))
    source.write_text("\n".join([*lines, '{"type": "contact"}']) + "\n")
    again = netlog("import", str(source))  # exit 0: nothing new, one line rejected
    assert "0 created, 0 updated, 12 skipped, 1 rejected" in again.stderr
    assert "line 13" in again.stderr
    strict = netlog.fail("import", str(source), "--strict")
    assert "(--strict)" in strict.stderr


def test_without_spread_everyone_met_long_ago_is_due_at_once(netlog, tmp_path):
    source = linkedin_file(tmp_path / "Connections.csv", 50)
    netlog("import", str(source), "--no-spread")
    assert len(netlog.json("due")["contacts"]) == 48


def test_reimporting_the_same_file_updates_nothing(netlog):
    netlog("import", str(FIXTURES / "linkedin_current.csv"))
    again = netlog("import", str(FIXTURES / "linkedin_current.csv"))
    assert "0 created, 0 updated, 4 skipped, 0 rejected" in again.stderr


# --- Google ----------------------------------------------------------------------------------


def test_google_contacts_current_layout(netlog):
    result = netlog("import", str(FIXTURES / "google_current.csv"), "--no-spread")
    assert "3 created" in result.stderr
    people = contacts_by_name(netlog)
    grace = people["Rear Admiral Grace Brewster Hopper"]
    assert grace["emails"] == ["grace@navy.example", "grace@home.example", "g.hopper@alt.example"]
    assert (grace["phone"], grace["org"], grace["title"]) == ("+1 555 0101", "US Navy", "Computer Scientist")
    assert grace["birthday"] == "1906-12-09"
    assert grace["tags"] == ["navy", "pioneers"]  # Google's "* myContacts" and "* starred" dropped
    assert grace["location"] == "Arlington, VA, USA"  # town, region and country, as from a vCard
    assert grace["url"] == "https://www.linkedin.com/in/grace-hopper"
    assert grace["notes"] == "Wrote the first compiler.\nLoved clocks."
    # Google's labels, in netlog's lower case; the two values of E-mail 2 share its label
    assert [(e["label"], e["preferred"]) for e in grace["email_addresses"]] == [
        ("work", True),  # none is marked "* ": the first is the preferred one
        ("home", False),
        ("home", False),
    ]
    assert grace["phone_numbers"] == [
        {"number": "+1 555 0101", "label": "mobile", "preferred": True},
        {"number": "+1 555 0102", "label": "work", "preferred": False},
    ]
    assert grace["addresses"] == [
        {"label": "home", "po_box": None, "extended": None, "street": None, "locality": "Arlington",
         "region": "VA", "postcode": None, "country": "USA", "preferred": True},
    ]  # fmt: skip
    assert grace["urls"] == [{"url": grace["url"], "label": "profile", "preferred": True}]
    company = people["Acme Corp"]  # a company card: no name, only the organisation
    assert company["emails"] == ["info@acme.example"] and company["tags"] == []
    lin = people["Lin Chen"]
    assert (lin["birthday"], lin["tags"], lin["url"]) == ("07-04", ["friends"], "https://lin.example.com")


def test_google_contacts_legacy_layout(netlog):
    netlog("import", str(FIXTURES / "google_legacy.csv"))
    alan = contacts_by_name(netlog)["Alan Turing"]
    assert alan["emails"] == ["alan@bletchley.example", "turing@manchester.example"]
    assert (alan["org"], alan["title"], alan["phone"]) == ("GCHQ", "Cryptanalyst", "+44 1625 000000")
    assert (alan["birthday"], alan["location"], alan["notes"]) == ("1912-06-23", "Wilmslow", "Codebreaker")
    assert alan["tags"] == ["bletchley"]


# --- generic CSV -----------------------------------------------------------------------------


def test_generic_csv_with_common_column_names_and_a_map(netlog):
    result = netlog.fail(
        "import", str(FIXTURES / "generic.csv"), "--map", "Employer Region=location", "--strict"
    )
    lone = "Error: line 4: no name in this row; rejected (--strict), so nothing was written."
    assert result.stderr.strip().splitlines()[-1] == lone and result.stderr.count("line 4") == 1
    assert netlog.json("list") == []
    result = netlog("import", str(FIXTURES / "generic.csv"), "--map", "Employer Region=location")
    assert "2 created, 0 updated, 0 skipped, 1 rejected" in result.stderr
    assert "Rejected, line 4: no name in this row" in result.stderr
    mia = contacts_by_name(netlog)["Mia Wong"]
    assert mia["emails"] == ["mia@example.com", "mia.w@work.example"]
    assert (mia["org"], mia["title"], mia["location"]) == ("Globex", "Engineer", "EMEA")
    assert (mia["tags"], mia["birthday"]) == (["climate", "python"], "03-14")
    assert mia["notes"] == "Met at PyCon, great talk"


def test_generic_csv_says_which_columns_it_left_out(netlog):
    result = netlog("import", str(FIXTURES / "generic.csv"))
    assert "columns not imported: Employer Region" in result.stderr


def test_bad_map_is_a_usage_error(netlog):
    netlog.fail("import", str(FIXTURES / "generic.csv"), "--map", "Company=favourite_colour", code=2)
    netlog.fail(
        "import", str(FIXTURES / "linkedin_old.csv"), "--map", "Company=org", code=2
    )  # not generic CSV


def test_semicolon_csv_several_email_columns_and_a_map_by_any_name(netlog, tmp_path):
    sheet = tmp_path / "excel.csv"
    sheet.write_text(
        "Full Name;Employer;E-mail;Work Email\nJosé Díaz;Globex;jd@home.example;jd@globex.example\n"
    )
    result = netlog("import", str(sheet), "--map", "Employer=company", "--map", "Nope=org")
    assert "--map 'Nope': the file has no such column" in result.stderr
    assert [(c["name"], c["org"], c["emails"]) for c in netlog.json("list")] == [
        ("José Díaz", "Globex", ["jd@home.example", "jd@globex.example"])
    ]


def test_json_keys_netlog_does_not_read_are_reported(netlog):
    netlog("add", "Jane Doe")
    shown = netlog("show", "jane", "--json").stdout
    result = netlog("import", "-", input=shown.replace('"org": null', '"company": "Acme", "org": null'))
    assert (
        "keys not imported (records with them): company (1), introduced (1), balance (1), timeline (1)"
        in result.stderr
    )


# --- safety ----------------------------------------------------------------------------------


def test_dry_run_writes_nothing(netlog, db_path):
    netlog("add", "Ada Okafor", "--org", "Old Org")
    before = db_path.read_bytes()
    result = netlog("import", str(FIXTURES / "linkedin_current.csv"), "--dry-run")
    assert "Would create 3: bob-the-builder-smith, zoe-angstrom, yu-lim-choe" in result.stdout
    assert "Would update 1: ada-okafor" in result.stdout  # same name: title, URL... filled in
    assert "Nothing was written" in result.stderr
    assert [c["name"] for c in netlog.json("list")] == ["Ada Okafor"]
    assert db_path.read_bytes() == before


def test_import_json_summary(netlog):
    summary = json.loads(netlog("import", str(FIXTURES / "linkedin_old.csv"), "--json").stdout)
    assert {k: summary[k] for k in ("format", "created", "updated", "skipped", "rejected")} == {
        "format": "linkedin",
        "created": 2,
        "updated": 0,
        "skipped": 0,
        "rejected": 0,
    }
    assert summary["handles"]["created"] == ["old-timer", "dec-ember"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02\xffgarbage\x00\x00", "Cannot tell what format"),
        (b"just some words\n", "Cannot tell what format"),
    ],
)
def test_unreadable_files(netlog, tmp_path, content, message):
    path = tmp_path / "in.dat"
    path.write_bytes(content)
    assert message in netlog.fail("import", str(path)).stderr


def test_missing_file(netlog, tmp_path):
    assert "does not exist" in netlog.fail("import", str(tmp_path / "nope.csv")).stderr


def test_stdin_and_conflict_modes(netlog):
    netlog("add", "Jane Doe", "--org", "Acme")
    line = json.dumps({"type": "contact", "name": "Jane Doe", "org": "Globex", "emails": ["j@x.io"]})
    netlog("import", "-", "--format", "jsonl", input=line + "\n")
    jane = netlog.json("show", "jane")
    assert (jane["org"], jane["emails"]) == ("Acme", ["j@x.io"])  # filled and added, not overwritten
    netlog("import", "-", "--format", "jsonl", "--overwrite", input=line + "\n")
    assert netlog.json("show", "jane")["org"] == "Globex"
    netlog("import", "-", "--format", "jsonl", "--on-conflict", "new", input=line + "\n")
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe", "jane-doe-2"]
    result = netlog("import", "-", "--format", "jsonl", "--on-conflict", "skip", input=line + "\n")
    assert "0 created, 0 updated, 1 skipped" in result.stderr


def test_list_json_output_imports_as_it_is(netlog, tmp_path):
    netlog("add", "Jane Doe", "--org", "Acme", "--tag", "vip")
    exported = netlog("list", "--json").stdout
    other = tmp_path / "other.db"
    netlog("--db", str(other), "import", "-", input=exported)
    assert [(c["name"], c["org"], c["tags"]) for c in netlog.json("--db", str(other), "list")] == [
        ("Jane Doe", "Acme", ["vip"])
    ]


def test_jsonl_rejections_name_the_line(netlog):
    lines = [
        json.dumps({"type": "contact", "name": "Ok Person"}),
        "{not json",
        json.dumps(
            {
                "type": "favor",
                "contact": "nobody",
                "direction": "given",
                "description": "x",
                "date": "2026-01-01",
            }
        ),
        json.dumps({"type": "contact", "name": "Bad Circle", "circle": "best"}),
        json.dumps({"type": "interaction", "date": "yesterday", "contacts": ["ok-person"]}),
    ]
    summary = json.loads(netlog("import", "-", "--format", "jsonl", "--json", input="\n".join(lines)).stdout)
    assert summary["created"] == 1
    assert [(r["position"], r["reason"][:30]) for r in summary["rejections"]] == [
        ("line 2", "not valid JSON (Expecting prop"),
        ("line 4", 'circle "best" is not one of: i'),
        ("line 5", '"date" is not an ISO date (YYY'),
        ("line 3", "no contact with handle 'nobody"),
    ]


def test_json_of_the_wrong_shape_is_rejected_with_the_reason(netlog):
    lines = [
        json.dumps({"type": "contact", "name": "Ok Person"}),
        json.dumps({"type": ["contact"], "name": "Listed Type"}),
        json.dumps({"type": 5, "name": "Numbered Type"}),
    ]
    summary = json.loads(netlog("import", "-", "--format", "jsonl", "--json", input="\n".join(lines)).stdout)
    assert summary["created"] == 1
    assert [(r["position"], r["reason"]) for r in summary["rejections"]] == [
        ("line 2", '"type" should be text such as "contact", not list'),
        ("line 3", '"type" should be text such as "contact", not int'),
    ]
    document = {"format": "netlog-export", "format_version": 1, "contacts": {"name": "Not A List"}}
    failed = netlog.fail("import", "-", input=json.dumps(document))
    assert '"contacts" should be a list of objects' in failed.stderr
    assert netlog.json("list")[0]["handle"] == "ok-person" and len(netlog.json("list")) == 1


# --- the round trip --------------------------------------------------------------------------

HOSTILE = 'Zoë "Q" O\'Brien, Jr.; 😀 \u200fשלום'


def full_ledger(netlog) -> None:
    netlog("add", "Sam Rivera", "--met", "2025-11-02", "--tag", "investor")
    netlog(
        "add",
        HOSTILE,
        "--email",
        "zoe@example.com",
        "--email",
        "z@o.example",
        "--phone",
        "+1 555",
        "--org",
        "=SUM(A1)",
        "--title",
        'CTO; "Chief"',
        "--location",
        "Berlin, DE",
        "--circle",
        "close",
        "--source",
        "work",
        "--via",
        "sam",
        "--met",
        "2026-01-15",
        "--tag",
        "climate",
        "--tag",
        "a,b",
        "--note",
        'line one\nline, two; "three"',
        "--cadence",
        "3w",
        "--birthday",
        "1990-07-04",
    )
    netlog("edit", "zoe", "--url", "https://www.linkedin.com/in/zoe")
    netlog("add", "최유림", "--birthday", "03-05", "--no-meet")
    netlog("meet", "zoe", "sam", "--kind", "meal", "--date", "2026-02-10", "--note", HOSTILE)
    netlog("give", "zoe", HOSTILE, "--weight", "2", "--date", "2026-02-12")
    netlog("give", "sam", "review deck", "--promise", "--due", "2026-03-20", "--date", "2026-02-20")
    netlog("ask", "zoe", "feedback", "--date", "2026-02-25", "-q")
    netlog("ask", "sam", "intro", "--date", "2026-02-26", "-q")
    netlog("decline", "5")  # Sam's ask (favor 1 is Sam introducing you to Zoë, her via)
    netlog("config", "set", "cadence.close", "3w")
    netlog("archive", "최유림")
    netlog("snooze", "sam", "2026-04-01")
    netlog("need", "zoe", HOSTILE, "--tag", "a,b", "--until", "2026-04-01")  # n1
    netlog("offer", "me", "pitch reviews", "--tag", "feedback")  # o2


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_export_import_export_is_identical(netlog, tmp_path, fmt):
    full_ledger(netlog)
    first = netlog("export", "--format", fmt).stdout
    copy = tmp_path / "copy.db"
    netlog("--db", str(copy), "import", "-", "--format", fmt, input=first)
    second = netlog("--db", str(copy), "export", "--format", fmt).stdout
    assert second == first
    records = [json.loads(line) for line in first.splitlines()] if fmt == "jsonl" else None
    if records:
        assert records[0] == {"type": "netlog-export", "format_version": 1}
        kinds = [r["type"] for r in records[1:]]
        # two first meetings (최유림 was added without one) and the meal; Sam introducing
        # you to Zoë, and the four favors given and asked; Zoë's need and your offer
        assert kinds == ["setting"] + ["contact"] * 3 + ["interaction"] * 3 + ["favor"] * 5 + [
            "need",
            "offer",
        ]
        zoe = next(r for r in records if r.get("name") == HOSTILE)
        assert zoe["org"] == "=SUM(A1)" and zoe["notes"] == 'line one\nline, two; "three"'


def test_importing_an_export_twice_duplicates_nothing(netlog, tmp_path):
    full_ledger(netlog)
    dump = netlog("export").stdout
    copy = tmp_path / "copy.db"
    netlog("--db", str(copy), "import", "-", input=dump)
    again = netlog("--db", str(copy), "import", "-", input=dump)
    assert "0 created" in again.stderr and "0 interactions, 0 favors" not in again.stderr
    assert netlog("--db", str(copy), "export").stdout == dump


def test_export_to_a_file_is_private_and_whole(netlog, tmp_path):
    full_ledger(netlog)
    target = tmp_path / "backup.jsonl"
    result = netlog("export", "-o", str(target))
    assert f"Wrote {target}" in result.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.read_text() == netlog("export").stdout
    assert list(tmp_path.glob(".backup.jsonl.*")) == []  # no temporary left behind


def test_csv_export_for_spreadsheets(netlog):
    full_ledger(netlog)
    netlog("add", "Minus Balance")
    netlog("ask", "minus", "a big favor", "--done", "--weight", "2", "-q")
    text = netlog("export", "--format", "csv").stdout
    assert text.startswith("\ufeffhandle,name,emails")  # a BOM so spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    zoe = next(r for r in rows if r["handle"].startswith("zoe"))
    assert zoe["name"] == HOSTILE
    assert zoe["org"] == "'=SUM(A1)"  # a formula, neutralised
    assert zoe["phone"] == "'+1 555"
    assert zoe["emails"] == "zoe@example.com; z@o.example" and zoe["tags"] == "a,b; climate"
    assert zoe["notes"] == 'line one\nline, two; "three"' and zoe["via"] == "sam-rivera"
    assert (zoe["cadence_days"], zoe["met_on"], zoe["archived"]) == ("21", "2026-01-15", "no")
    minus = next(r for r in rows if r["handle"] == "minus-balance")
    assert minus["balance"] == "-2"  # a number stays a number


def test_csv_export_has_every_contact_field_and_imports_back_the_same(netlog, tmp_path):
    full_ledger(netlog)
    netlog("add", "Semi Colon", "--tag", "a;b", "--tag", "back\\slash", "--cadence", "10d", "--no-meet")
    text = netlog("export", "--format", "csv").stdout
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    contact_keys = set(netlog.json("list")[0]) - {"id"}
    assert contact_keys <= set(header)  # every field a user sees, and
    assert set(header) - contact_keys == {"balance"}  # the balance, for reading
    copy = tmp_path / "copy.db"
    imported = netlog("--db", str(copy), "import", "-", "--format", "csv", input=text)
    assert "4 created" in imported.stderr and "columns not imported" not in imported.stderr

    def contacts(*db):
        everyone = netlog.json(*db, "list") + netlog.json(*db, "list", "--archived")
        # the CSV holds contacts, not their history: last touch and ids come from that
        return sorted(({k: v for k, v in c.items() if k not in ("id", "last_touch")} for c in everyone),
                      key=lambda c: c["handle"])  # fmt: skip

    assert contacts("--db", str(copy)) == contacts()
    semi = next(c for c in contacts() if c["handle"] == "semi-colon")
    assert semi["tags"] == ["a;b", "back\\slash"] and semi["cadence_days"] == 10
    again = netlog("--db", str(copy), "export", "--format", "csv").stdout

    def without_computed(csv_text):
        return [row[:-2] for row in csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))]

    assert without_computed(again) == without_computed(text)


def test_ics_export_for_calendars(netlog):
    from icalendar import Calendar

    full_ledger(netlog)
    first = netlog("export", "--format", "ics", "--within", "30d").stdout
    calendar = Calendar.from_ical(first)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    # Today is 03-10, so the horizon is 04-09. Zoë (close, 21-day cadence, last touched
    # 02-25 by her pending ask) comes due 03-18; that ask, 14 days old on 03-11, is to be
    # followed up then. Sam is not due before 05-21 (active, last touched 02-20 by the
    # promise; his declined ask is no touch), and he is snoozed until 04-01, so the
    # promise due 03-20 comes back on 04-01. Zoë's birthday repeats every year; 최유림
    # is archived.
    assert {name: (e["dtstart"].dt, e.get("rrule")) for name, e in events.items()} == {
        f"Get in touch with {HOSTILE}": (date(2026, 3, 18), None),
        f"Follow up with {HOSTILE}: feedback": (date(2026, 3, 11), None),
        "Promised Sam Rivera: review deck": (date(2026, 4, 1), None),
        f"{HOSTILE}'s birthday": (date(2026, 7, 4), {"FREQ": ["YEARLY"]}),
    }
    assert "netlog done f4" in str(events[f"Follow up with {HOSTILE}: feedback"]["description"])  # her ask
    second = Calendar.from_ical(netlog("export", "--format", "ics", "--within", "30d").stdout)
    assert sorted(str(e["uid"]) for e in second.walk("VEVENT")) == sorted(
        str(e["uid"]) for e in calendar.walk("VEVENT")
    )  # the same UIDs: a calendar that imports it again updates, not duplicates
    tasks = Calendar.from_ical(netlog("export", "--format", "ics", "--todo").stdout)
    assert len(tasks.walk("VTODO")) == 3 and len(tasks.walk("VEVENT")) == 1  # birthdays stay events


def test_ics_export_keeps_a_leap_day_birthday_at_the_end_of_february(netlog):
    from icalendar import Calendar

    netlog("add", "Lea Leap", "--birthday", "2000-02-29", "--no-meet")
    event = Calendar.from_ical(netlog("export", "--format", "ics").stdout).walk("VEVENT")[0]
    assert event["dtstart"].dt == date(2027, 2, 28)  # 2026's is past; 2027 has no Feb 29
    assert event["rrule"] == {"FREQ": ["YEARLY"], "BYMONTH": [2], "BYMONTHDAY": [-1]}


# --- merge -----------------------------------------------------------------------------------


def test_merge_moves_everything_onto_the_contact_kept(netlog):
    netlog("add", "Jane Doe", "--email", "jane@acme.com", "--met", "2026-01-10", "--tag", "vip")
    netlog(
        "add",
        "J. Doe",
        "--email",
        "jd@home.example",
        "--phone",
        "+1 555",
        "--tag",
        "climate",
        "--note",
        "from the phone book",
        "--met",
        "2026-02-01",
    )
    netlog("add", "Ravi Patel", "--via", "j-doe")
    netlog("meet", "jane", "j-doe", "--date", "2026-02-15")  # both were there
    netlog("give", "j-doe", "intro", "--weight", "3")
    preview = netlog("merge", "jane-doe", "j-doe", "--dry-run")
    assert "nothing was written" in preview.stderr and "from the phone book" in preview.stdout
    assert len(netlog.json("list")) == 3
    merged = netlog.json("merge", "jane-doe", "j-doe")
    assert merged["emails"] == ["jane@acme.com", "jd@home.example"]
    assert (merged["phone"], merged["tags"]) == ("+1 555", ["climate", "vip"])
    # the earlier met-on day (hers) stays; the later goes into the notes, with its own notes
    assert (
        merged["notes"]
        == "from the phone book\n\nNot kept when J. Doe (j-doe) was merged in: met on 2026-02-01"
    )
    assert merged["met_on"] == "2026-01-10"  # kept's own value stays
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe", "ravi-patel"]
    assert netlog.json("show", "ravi")["via"] == "jane-doe"
    jane = netlog.json("show", "jane", "--limit", "0")
    assert jane["balance"]["given_weight"] == 3
    # her two first meetings and the shared one, which now lists her once
    assert [(t["date"], t.get("contacts")) for t in jane["timeline"] if t["type"] == "interaction"] == [
        ("2026-02-15", ["jane-doe"]),
        ("2026-02-01", ["jane-doe"]),
        ("2026-01-10", ["jane-doe"]),
    ]


def test_merge_refuses_the_same_contact(netlog):
    netlog("add", "Jane Doe")
    assert "same contact" in netlog.fail("merge", "jane", "jane-doe").stderr


# --- vCard through the command line ------------------------------------------------------

VCARDS = Path(__file__).parent / "fixtures" / "vcard"


def test_a_broken_card_is_reported_and_the_others_import(netlog):
    result = netlog("import", str(VCARDS / "broken-middle.vcf"))
    assert "Rejected, card 2 (line 6): line 9 is not a vCard property" in result.stderr
    assert "2 created, 0 updated, 0 skipped, 1 rejected" in result.stderr
    assert sorted(contacts_by_name(netlog)) == ["Alice Archer", "Carol Clark"]


def test_vcard_export_parses_back_with_vobject_and_with_netlog(netlog, tmp_path):
    import vobject

    full_ledger(netlog)
    for version in ("3.0", "4.0"):
        text = netlog("export", "--format", "vcf", "--vcard-version", version).stdout
        cards = list(vobject.readComponents(text))
        assert len(cards) == 3
        assert {c.version.value for c in cards} == {version}
        copy = tmp_path / f"copy-{version}.db"
        netlog("--db", str(copy), "import", "-", input=text)
        back = contacts_by_name_in(netlog, copy)
        zoe = back[HOSTILE]
        assert zoe["emails"] == ["zoe@example.com", "z@o.example"]
        assert (zoe["org"], zoe["title"], zoe["birthday"]) == ("=SUM(A1)", 'CTO; "Chief"', "1990-07-04")
        assert zoe["notes"] == 'line one\nline, two; "three"'
        assert zoe["url"] == "https://www.linkedin.com/in/zoe"
        assert back["최유림"]["birthday"] == "03-05"


def contacts_by_name_in(netlog, db) -> dict[str, dict]:
    everyone = netlog.json("--db", str(db), "list") + netlog.json("--db", str(db), "list", "--archived")
    return {c["name"]: c for c in everyone}


def test_odd_values_are_kept_or_refused_the_same_way_in_every_format(netlog):
    lines = [
        {"type": "contact", "name": "Odd Email", "emails": ["ok@example.com", "call me maybe"]},
        {"type": "contact", "name": "Future Friend", "met_on": "2030-01-01", "birthday": "2029-05-05"},
        {"type": "setting", "key": "no_such_setting", "value": "1"},
        {"type": "interaction", "date": "2099-02-01", "contacts": ["odd-email"]},
        {
            "type": "favor",
            "contact": "odd-email",
            "direction": "given",
            "description": "x",
            "date": "2099-01-01",
        },
    ]
    result = netlog(
        "import", "-", "--format", "jsonl", "--json", input="\n".join(json.dumps(x) for x in lines)
    )
    summary = json.loads(result.stdout)
    assert (summary["created"], summary["written"]) == (2, True)
    reasons = {r["position"]: r["reason"] for r in summary["rejections"]}
    assert 'There is no setting "no_such_setting"' in reasons["line 3"]
    assert "after today" in reasons["line 4"] and "after today" in reasons["line 5"]
    odd = netlog.json("show", "odd-email")
    assert odd["emails"] == ["ok@example.com"] and odd["notes"] == "Not an email address: call me maybe"
    future = netlog.json("show", "future-friend")
    assert (future["met_on"], future["birthday"]) == (None, "05-05")


def test_an_import_that_brings_in_nothing_fails(netlog):
    netlog("add", "Jane Doe")
    result = netlog.fail("import", "-", "--format", "jsonl", "--json", input='{"type": "contact"}\n')
    assert json.loads(result.stdout)["written"] is False
    assert "nothing could be imported" in result.stderr
    for fmt in ("csv", "vcf", "jsonl"):
        assert "is empty" in netlog.fail("import", "-", "--format", fmt, input="").stderr


def test_merge_keeps_the_duplicates_differing_values_in_the_notes(netlog):
    netlog("add", "John Doe", "--phone", "+1 111", "--org", "IBM", "--birthday", "1980-03-22", "--no-meet")
    netlog("add", "J. Doe", "--phone", "+961 222", "--org", "Sun", "--title", "CFO", "--birthday", "1970-09-21",
           "--no-meet")  # fmt: skip
    merged = netlog.json("merge", "john-doe", "j-doe")
    assert (merged["phone"], merged["org"], merged["title"]) == ("+1 111", "IBM", "CFO")
    # both phones are kept, John's still the preferred one
    assert merged["phone_numbers"] == [
        {"number": "+1 111", "label": None, "preferred": True},
        {"number": "+961 222", "label": None, "preferred": False},
    ]
    assert merged["notes"] == "Not kept when J. Doe (j-doe) was merged in: org Sun; birthday 1970-09-21"


def test_reimporting_an_export_keeps_everyones_schedule(netlog, tmp_path):
    netlog("import", str(FIXTURES / "google_current.csv"), "--no-spread")  # nothing recorded with them
    dump = netlog("export").stdout
    copy = tmp_path / "copy.db"
    netlog("--db", str(copy), "import", "-", input=dump)
    assert [c["first_due"] for c in netlog.json("--db", str(copy), "list")] == [None, None, None]
    assert netlog("--db", str(copy), "export").stdout == dump
    sheet = tmp_path / "sheet.csv"
    netlog("export", "--format", "csv", "-o", str(sheet))
    result = netlog("--db", str(tmp_path / "from-csv.db"), "import", str(sheet))
    assert "met_on" not in result.stderr  # recognised, not left out


def test_small_imports_one_after_another_do_not_pile_up_on_one_day(netlog):
    for n in range(5):  # five address-book files of one card each
        netlog("import", "-", "--format", "jsonl", input=json.dumps({"type": "contact", "name": f"Card {n}"}))
    days = sorted(c["first_due"] for c in netlog.json("list"))
    assert days == ["2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14"]


def test_overwrite_with_the_same_values_changes_nothing(netlog):
    netlog("import", str(FIXTURES / "google_current.csv"))
    again = netlog("import", str(FIXTURES / "google_current.csv"), "--overwrite")
    assert "0 created, 0 updated, 3 skipped" in again.stderr


def test_a_file_with_no_records_is_one_clear_line(netlog, tmp_path):
    header_only = tmp_path / "people.csv"
    header_only.write_text("name,email\n")
    result = netlog.fail("import", str(header_only))
    assert result.stderr == "Error: people.csv holds no records (csv): nothing to import.\n"
    not_a_card = tmp_path / "cards.vcf"
    not_a_card.write_text("name,email\nJane,jane@acme.com\n")
    wrong = netlog.fail("import", str(not_a_card), "--format", "vcf")
    assert wrong.stderr.startswith("Error: cards.vcf: no BEGIN:VCARD line")


def test_a_dry_run_works_on_a_ledger_netlog_may_not_write(netlog, db_path, tmp_path, monkeypatch):
    import netlog.storage.files as netlog_db

    netlog("add", "Jane Doe", "--email", "jane@acme.com")
    source = tmp_path / "people.jsonl"
    source.write_text('{"type": "contact", "name": "Sam Rivera"}\n{"type": "contact", "name": "Jane Doe"}\n')
    monkeypatch.setattr(netlog_db, "unwritable", lambda path: [path] if path == db_path else [])
    preview = netlog("import", str(source), "--dry-run")
    assert "Would create 1: sam-rivera" in preview.stdout and "Would skip 1: jane-doe" in preview.stdout
    assert "is read-only" in netlog.fail("import", str(source)).stderr  # the real one is refused
    assert [c["handle"] for c in netlog.json("list")] == ["jane-doe"]


def test_the_json_export_imports_from_a_file_by_its_content(netlog, tmp_path):
    # The document form's first line is `{"format": "netlog-export", ..., "contacts": [{...},`:
    # not a line of JSON Lines, though it starts with one object.
    netlog("add", "Jane Doe", "--org", "Acme")
    netlog("add", "Sam Rivera")
    out = tmp_path / "everything.json"
    netlog("export", "--format", "json", "-o", str(out))
    imported = netlog("--db", str(tmp_path / "copy.db"), "import", str(out))
    assert "(json): 2 created" in imported.stderr


def test_a_file_imported_again_into_a_ledger_that_had_rows_adds_nothing_more(netlog, tmp_path):
    """The ledger already had touches and favors, so the file's ids were taken and its
    rows got new ones: the second import still knows them (same day, people and words,
    same member)."""
    mine = str(tmp_path / "mine.db")
    netlog("--db", mine, "add", "Kim Park", "--met", "2026-01-05")  # and a meeting that day
    netlog("--db", mine, "meet", "kim", "--date", "2026-02-01", "--note", "lunch")
    netlog("--db", mine, "give", "kim", "a deck review", "--date", "2026-02-02")
    netlog("--db", mine, "ask", "kim", "review my CV", "--date", "2026-02-03", "-q")
    exported = netlog("--db", mine, "export", "--format", "jsonl").stdout
    netlog("add", "Jane Doe", "--met", "2026-01-01")
    netlog("meet", "jane", "--date", "2026-01-02")
    netlog("give", "jane", "an intro", "--date", "2026-01-03")
    netlog("ask", "jane", "a review", "--date", "2026-01-04", "-q")
    first = netlog("import", "-", "--format", "jsonl", input=exported).stderr
    assert "1 created, 0 updated, 0 skipped, 0 rejected; 2 interactions, 2 favors." in first
    once = netlog("export", "--format", "jsonl").stdout
    again = netlog("import", "-", "--format", "jsonl", input=exported).stderr
    assert "Imported stdin (jsonl): 0 created, 0 updated, 1 skipped, 0 rejected." in again
    assert netlog("export", "--format", "jsonl").stdout == once


def test_two_people_of_the_same_name_stay_two_through_export_and_import(netlog, tmp_path):
    """The export tells them apart (each has its own uid and handle), so the import does:
    before, the second Jane Doe was "skipped" as the first, with her meeting moved onto her."""
    netlog("add", "Jane Doe", "--org", "Acme", "--met", "2026-01-05")
    netlog("add", "Jane Doe", "--org", "Beta", "--met", "2026-02-07")
    netlog("give", "jane-doe-2", "a deck review", "--date", "2026-02-08")
    exported = netlog("export", "--format", "jsonl").stdout
    copy = str(tmp_path / "copy.db")
    moved = netlog("--db", copy, "import", "-", "--format", "jsonl", input=exported).stderr
    assert "2 created, 0 updated, 0 skipped, 0 rejected; 2 interactions, 1 favor." in moved
    people = {c["handle"]: (c["org"], c["last_touch"]) for c in netlog.json("--db", copy, "list")}
    assert people == {"jane-doe": ("Acme", "2026-01-05"), "jane-doe-2": ("Beta", "2026-02-08")}
    assert netlog("--db", copy, "export", "--format", "jsonl").stdout == exported


def test_a_file_of_two_namesakes_into_a_ledger_with_one_matches_one_and_adds_the_other(netlog, tmp_path):
    """A Jane Doe typed in by hand is recognised by name, once: the file's second Jane
    Doe, with her own uid, is someone else."""
    other = str(tmp_path / "other.db")
    netlog("--db", other, "add", "Jane Doe", "--org", "Acme", "--no-meet")
    netlog("--db", other, "add", "Jane Doe", "--org", "Beta", "--no-meet")
    netlog("add", "Jane Doe", "--email", "jane@example.com", "--no-meet")
    exported = netlog("--db", other, "export", "--format", "jsonl").stdout
    result = netlog("import", "-", "--format", "jsonl", "--no-spread", input=exported).stderr
    assert "1 created, 1 updated, 0 skipped, 0 rejected" in result
    people = {c["handle"]: (c["org"], c["emails"]) for c in netlog.json("list")}
    assert people == {"jane-doe": ("Acme", ["jane@example.com"]), "jane-doe-2": ("Beta", [])}
