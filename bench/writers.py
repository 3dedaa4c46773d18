"""Many writers at once, with readers and backups running: how long a write waits, and
whether any gives up.

    python -m bench.writers                         # 16 and 32 writers, 100 writes each
    python -m bench.writers --writers 32 --writes 200
    python -m bench.writers --write-results bench/RESULTS.md

Each writer is a process that runs `netlog meet` and `netlog give` one after another,
each a whole command (parse, open, BEGIN IMMEDIATE, write, commit), in-process through
Typer's runner so that thousands stay quick, timing each. Meanwhile two readers loop
over `export` and `due --json` and one takes a `backup` every second, in processes of
their own. The table gives, per number of writers, the writes done, the writes that
failed, and the wait of a write (median, 99th percentile, longest). netlog's promise:
no write fails while others merely keep it waiting (each waits its turn, 60 s in all),
and no reader or backup holds the write lock.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-06-01"


def worker(db: str, count: int, name: str) -> None:
    """One writer: `count` writes, alternating a touch and a favor; prints a JSON summary."""
    from typer.testing import CliRunner

    from netlog.cli import app

    os.environ["NETLOG_TODAY"] = TODAY
    runner = CliRunner()
    waits, failures = [], []
    for n in range(count):
        args = ["--db", db, "meet", "1", "--note", f"{name}-{n}"] if n % 2 == 0 else \
            ["--db", db, "give", "1", f"favor {name}-{n}"]  # fmt: skip
        started = time.perf_counter()
        result = runner.invoke(app, args)
        waits.append(time.perf_counter() - started)
        if result.exit_code != 0:
            failures.append(result.stderr.strip())
    print(json.dumps({"waits": waits, "failures": failures}))


def reader(db: str, what: str, seconds: float) -> None:
    """Readers and backups in a loop, for `seconds`: the load beside the writers."""
    env = {**os.environ, "NETLOG_DB": db, "NETLOG_TODAY": TODAY}
    netlog = [sys.executable, "-m", "netlog"]
    commands = {"export": ["export"], "due": ["due", "--json"], "backup": ["backup"]}[what]
    end = time.monotonic() + seconds
    done = failed = 0
    while time.monotonic() < end:
        result = subprocess.run([*netlog, *commands], env=env, capture_output=True)
        done += 1
        failed += result.returncode != 0
        if what == "backup":
            time.sleep(1)
    print(json.dumps({"what": what, "done": done, "failed": failed}))


def run(writers: int, writes: int, folder: Path) -> dict[str, object]:
    db = folder / f"writers-{writers}.db"
    env = {**os.environ, "NETLOG_DB": str(db), "NETLOG_TODAY": TODAY}
    subprocess.run([sys.executable, "-m", "netlog", "add", "Jane Doe"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    me = [sys.executable, "-m", "bench.writers"]
    started = time.monotonic()

    def start(*argv: str) -> subprocess.Popen[str]:
        return subprocess.Popen([*me, *argv], stdout=subprocess.PIPE, text=True, env=env)

    procs = [start("--worker", str(db), str(writes), f"w{n}") for n in range(writers)]
    background = [start("--reader", str(db), what, "3600") for what in ("export", "due", "backup")]
    results = [json.loads(p.communicate()[0]) for p in procs]
    elapsed = time.monotonic() - started
    for p in background:
        p.terminate()
        p.wait()
    waits = sorted(w for r in results for w in r["waits"])
    failures = [f for r in results for f in r["failures"]]
    return {
        "writers": writers,
        "writes": len(waits),
        "failed": len(failures),
        "p50": statistics.median(waits),
        "p99": waits[min(len(waits) - 1, int(len(waits) * 0.99))],
        "max": waits[-1],
        "seconds": elapsed,
        "first_failure": failures[0] if failures else "",
    }


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| writers | writes | failed | wait p50 | wait p99 | longest | all done in |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['writers']} | {r['writes']:,} | {r['failed']} | {r['p50']:.2f} s | {r['p99']:.2f} s | "
            f"{r['max']:.2f} s | {r['seconds']:.0f} s |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, nargs="*", default=[16, 32])
    parser.add_argument("--writes", type=int, default=100, help="writes per writer")
    parser.add_argument("--write-results", type=Path, help="put the table in this Markdown file")
    parser.add_argument("--worker", nargs=3, metavar=("DB", "COUNT", "NAME"), help=argparse.SUPPRESS)
    parser.add_argument("--reader", nargs=3, metavar=("DB", "WHAT", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.worker[2])
        return 0
    if args.reader:
        reader(args.reader[0], args.reader[1], float(args.reader[2]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        rows = [run(n, args.writes, Path(folder)) for n in args.writers]
    text = table(rows)
    print(text)
    for r in rows:
        if r["first_failure"]:
            print(f"{r['writers']} writers, first failure: {r['first_failure']}")
    if args.write_results:
        marker = "## Concurrent writers"
        section = (
            f"{marker}\n\n`python -m bench.writers --writes {args.writes}`: each writer a process running "
            f"`meet` and `give` back to back, beside two readers looping over `export` and `due --json` and "
            f"a `backup` every second. The wait is that of one whole write command.\n\n{text}\n"
        )
        old = args.write_results.read_text() if args.write_results.exists() else ""
        kept = old.split(marker, 1)[0].rstrip() + "\n\n" if marker in old else old.rstrip() + "\n\n"
        args.write_results.write_text(kept + section)
    return 1 if any(r["failed"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
