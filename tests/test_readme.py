"""The README is true: its tour runs as written, its generated parts (the command
table, the JSON keys) are current, and the keys it documents are the keys printed."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def tour_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    block = text.split("## A two-minute tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands, pending = [], ""
    for raw in block.splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line.split(" | ", 1)[0], comments=True)  # a pipe into jq: netlog's part
        assert words[0] == "netlog", line
        commands.append(words[1:])
    return commands


def test_the_tour_runs_as_written(netlog):
    commands = tour_commands()
    assert len(commands) >= 20  # the block was found and read
    for argv in commands:
        result = netlog(*argv)
        assert "Error" not in result.stderr, (argv, result.stderr)
    # what the tour says its commands do
    favors = {f["id"]: f for f in netlog.json("log", "--kind", "favor")}
    assert favors[3]["status"] == "done"  # done f3: Ravi's promise kept (f1: Sam introduced Jane)
    assert favors[1]["description"] == "introduced you to Jane Doe" and favors[1]["contact"] == "sam-rivera"
    assert netlog.json("log", "ravi", "--kind", "meal")[0]["note"].startswith(
        "lunch at Nopa, talked hiring and"
    )
    assert [a["id"] for a in netlog.json("due", "--as-of", "next monday")["asks"]] == [4]  # followed up then


def test_generated_parts_are_current():
    # `cog -r README.md` rewrites them from the program; a README that lists a command
    # or a key the program does not have (or misses one it has) fails here.
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", str(README)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def documented_keys() -> dict[str, list[str]]:
    text = README.read_text(encoding="utf-8")
    keys = {}
    for name, body in re.findall(r"^- \*\*(.+?)\*\* \(.*?\): (.*)\.$", text, flags=re.M):
        keys[name] = [key for key in re.findall(r"`(\w+)`:", body)]
    return keys


def test_every_documented_record_has_exactly_its_keys(netlog):
    documented = documented_keys()
    netlog("add", "Sam Rivera", "--met", "2026-01-05", "--circle", "inner")  # due: 14-day cadence
    contact = netlog.json(
        "add", "Jane Doe", "--via", "sam", "--birthday", "03-12", "--met", "2026-01-10",
        "--email", "work:jane@acme.com", "--phone", "mobile:+44 20 7946 0000",
        "--address", "home: 1 Main St; Springfield", "--url", "linkedin:https://www.linkedin.com/in/jd",
        "--event", "anniversary:06-20",
    )  # fmt: skip
    touch = netlog.json("meet", "jane", "sam", "--date", "2026-01-20")
    favor = netlog.json(
        "give", "jane", "an intro", "--promise", "--due", "2026-03-01", "--date", "2026-02-01"
    )
    due = netlog.json("due")
    printed = {
        "Contact": contact,
        "Interaction": touch,
        "Favor": favor,
        "Balance": netlog.json("show", "jane")["balance"],
        "Due report": due,
        "Due contact": due["contacts"][0],
        "Birthday": due["birthdays"][0],
        "Balance row": netlog.json("balance", "--all")[0],
        "Stale contact": netlog.json("stale", "--days", "10")[0],
        "Email": contact["email_addresses"][0],
        "Phone": contact["phone_numbers"][0],
        "Address": contact["addresses"][0],
        "Link": contact["urls"][0],
        "Event": contact["events"][0],
    }
    netlog("knows", "jane", "sam", "--note", "old colleagues")
    intro = netlog.json("intro", "jane", "sam", "--date", "2026-02-02")
    strength = netlog.json("strength", "jane")
    assert netlog.json("strength")[0].keys() == strength.keys() - {"basis"}
    path = netlog.json("path", "jane")[0]
    tie = netlog.json("show", "jane")["knows"][0]
    printed |= {
        "Introduction": intro,
        "Strength": {k: v for k, v in strength.items() if k != "basis"},
        "Strength factors": strength["strength_factors"],
        "Strength basis": strength["basis"],
        "Tie": tie,
        "Evidence": tie["evidence"][0],
        "Path": path,
        "Hop": path["hops"][0],
    }
    assert netlog.json("intros") == [intro] and netlog.json("strength")[0]["handle"] in (
        "jane-doe",
        "sam-rivera",
    )
    offer = netlog.json("offer", "sam", "knows seed investors", "--tag", "investors")
    need = netlog.json("need", "me", "intro to a VC", "--tag", "investors")
    (match,) = netlog.json("match")
    printed |= {"Need": need, "Match": match, "Reason": match["reasons"][0]}
    (member,) = netlog.json("members")
    printed["Member"] = member
    # undo's list, written out in the README's text: its keys in that order
    listed = re.search(r"`undo --list --json`: `\[\{(.*?)\}\]`", " ".join(README.read_text().split()))
    assert listed and list(netlog.json("undo", "--list")[0]) == re.findall(r'"(\w+)"', listed.group(1))
    assert (netlog.json("needs"), netlog.json("offers")) == ([need], [offer])
    assert (match["need"], match["offer"]) == (need, offer)
    assert set(documented) == set(printed)
    for name, record in printed.items():
        assert list(record) == documented[name], name
