"""A real second client: khard reads the vdir netlog writes, and netlog reads khard's.

khard (installed by the test extra) is run as its own process on a config that names
one address book, the folder under test. It reads cards with vobject and shows them its
own way: `list`, `phone`, `email` and `show --format yaml` are what a khard user sees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = """\
[addressbooks]
[[netlog]]
path = {folder}

[general]
debug = no
default_action = list
editor = /bin/false
merge_editor = /bin/false

[contact table]
display = formatted_name
group_by_addressbook = no
reverse = no
show_nicknames = no
show_uids = yes
sort = last_name
localize_dates = no
preferred_phone_number_type = pref, cell, home
preferred_email_address_type = pref, work, home

[vcard]
preferred_version = 3.0
search_in_source_files = no
skip_unparsable = no
"""


def khard(tmp_path: Path, folder: Path, *args: str) -> str:
    config = tmp_path / "khard.conf"
    config.write_text(CONFIG.format(folder=folder))
    done = subprocess.run(
        [sys.executable, "-m", "khard", "-c", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_khard_shows_every_contact_netlog_writes(netlog, tmp_path, version):
    sean = netlog.json(
        "add", "Seán Ó Briain", "--given", "Seán", "--family", "Ó Briain", "--nickname", "Shay",
        "--email", "work:sean@acme.example", "--email", "home:sean@home.example",
        "--phone", "mobile:+353 1 555 0100", "--phone", "work:+353 1 555 0199",
        "--address", "home: 1 Main St; Dublin; ; D01 F5P2; Ireland", "--birthday", "03-04", "--no-meet",
    )  # fmt: skip
    jane = netlog.json(
        "add", "Jane Q. Doe", "--email", "jane@x.example", "--birthday", "1990-07-04", "--no-meet"
    )
    folder = tmp_path / "cards"
    netlog("export", "--format", "vdir", "-o", str(folder), "--vcard-version", version)

    listed = {uid: name for uid, name, _book in rows(khard(tmp_path, folder, "list", "--parsable"))}
    assert listed == {sean["uid"]: "Seán Ó Briain", jane["uid"]: "Jane Q. Doe"}
    # khard names each number and address by its vCard TYPE (mobile is CELL)
    phones = {
        (number, name, kinds.lower())
        for number, name, kinds in rows(khard(tmp_path, folder, "phone", "--parsable"))
    }
    pref = "pref" if version == "3.0" else "pref=1"
    assert phones == {
        ("+353 1 555 0100", "Seán Ó Briain", f"cell, {pref}"),
        ("+353 1 555 0199", "Seán Ó Briain", "work"),
    }
    emails = {
        (address, name) for address, name, _kinds in rows(khard(tmp_path, folder, "email", "--parsable"))
    }
    assert emails == {
        ("sean@acme.example", "Seán Ó Briain"),
        ("sean@home.example", "Seán Ó Briain"),
        ("jane@x.example", "Jane Q. Doe"),
    }
    shown = khard(tmp_path, folder, "show", "--format", "yaml", sean["uid"])
    assert "First name: Seán" in shown and "Last name: Ó Briain" in shown and "Nickname: Shay" in shown
    assert "Street: 1 Main St" in shown and "City: Dublin" in shown and "Code: D01 F5P2" in shown
    jane_shown = khard(tmp_path, folder, "show", "--format", "yaml", jane["uid"])
    assert "Birthday: '1990-07-04'" in jane_shown or "Birthday: 1990-07-04" in jane_shown
    if version == "4.0":
        # vCard 4.0 says "no year" (--0304), and khard shows it so. In 3.0 there is no
        # such form: netlog writes Apple's (1604 with X-APPLE-OMIT-YEAR), which khard
        # shows as the year 1604; it refuses --mm-dd in 3.0 itself.
        assert "Birthday: --03-04" in shown


def test_a_card_khard_makes_imports_with_nothing_lost(netlog, tmp_path):
    folder = tmp_path / "cards"
    folder.mkdir()
    template = tmp_path / "new.yaml"
    template.write_text(
        "Formatted name: Zoë Ørsted\n"
        "First name: Zoë\nAdditional: Maria\nLast name: Ørsted\nNickname: Zo\n"
        "Birthday: 1988-02-29\nAnniversary: 2015-06-20\n"
        "Organisation: Nordlys AB\nTitle: Researcher\n"
        "Phone:\n    cell: +45 20 12 34 56\n    work: +45 33 12 34 56\n"
        "Email:\n    work: zoe@nordlys.example\n    home: zoe@home.example\n"
        "Address:\n    home:\n        Street: Strøget 1, 2. sal\n        Code: 1160\n"
        "        City: København\n        Country: Denmark\n"
        "Webpage: https://zoe.example\n"
        "Note: Met at a workshop; likes kayaks.\n"
    )
    khard(tmp_path, folder, "new", "-a", "netlog", "-i", str(template))
    (card,) = folder.glob("*.vcf")

    netlog("import", str(folder))

    zoe = netlog.json("show", "zoe")
    assert zoe["uid"] == card.stem  # khard names the file by the UID, as netlog does
    assert (zoe["name"], zoe["given_name"], zoe["middle_name"], zoe["family_name"], zoe["nickname"]) == (
        "Zoë Ørsted", "Zoë", "Maria", "Ørsted", "Zo"
    )  # fmt: skip
    assert (zoe["org"], zoe["title"], zoe["birthday"]) == ("Nordlys AB", "Researcher", "1988-02-29")
    assert zoe["events"] == [{"label": "anniversary", "date": "2015-06-20"}]  # khard's X-ANNIVERSARY
    assert [(p["number"], p["label"]) for p in zoe["phone_numbers"]] == [
        ("+45 20 12 34 56", "mobile"),
        ("+45 33 12 34 56", "work"),
    ]
    assert [(e["address"], e["label"]) for e in zoe["email_addresses"]] == [
        ("zoe@nordlys.example", "work"),
        ("zoe@home.example", "home"),
    ]
    assert zoe["addresses"] == [
        {"label": "home", "po_box": None, "extended": None, "street": "Strøget 1, 2. sal", "locality": "København",
         "region": None, "postcode": "1160", "country": "Denmark", "preferred": True},
    ]  # fmt: skip
    assert zoe["url"] == "https://zoe.example"
    assert zoe["notes"] == "Met at a workshop; likes kayaks."
