"""A process that writes to a ledger many times through the real CLI, as a cron job or
a shell loop would, and prints a JSON summary of what happened.

    python hammer.py DB COUNT WORKER

Each write is one full netlog command (parse, open, write, commit), run in this process
so that hundreds of them stay fast; several of these processes run at once.
"""

from __future__ import annotations

import json
import os
import sys

from typer.testing import CliRunner

from netlog.cli import app


def main() -> None:
    db, count, worker = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.environ.setdefault("NETLOG_TODAY", "2026-03-10")
    runner = CliRunner()
    failures = []
    for n in range(count):
        if n % 2:
            args = ["--db", db, "give", "1", f"favor {worker}-{n}"]
        else:
            args = ["--db", db, "meet", "1", "--note", f"touch {worker}-{n}"]
        result = runner.invoke(app, args)
        if result.exit_code != 0:
            failures.append({"args": args, "code": result.exit_code, "stderr": result.stderr})
    print(json.dumps({"worker": worker, "writes": count, "failures": failures}))


if __name__ == "__main__":
    main()
