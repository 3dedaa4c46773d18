"""The README's tour works as written: every command in it runs, in order, on a new ledger."""

from __future__ import annotations

import shlex
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
    assert netlog.json("log", "--kind", "favor")[1]["status"] == "done"  # done f2: Ravi's promise kept
    assert netlog.json("log", "ravi", "--kind", "meal")[0]["note"].startswith(
        "lunch at Nopa, talked hiring and"
    )
    assert [a["id"] for a in netlog.json("due", "--as-of", "next monday")["asks"]] == [3]  # followed up then
