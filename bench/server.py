"""The reports on a PostgreSQL server: a large team ledger against an empty one.

    python -m bench.server --url 'postgresql://postgres@/?host=/tmp/pg&port=5432' --scale large

The server's user must be allowed to create databases; two are made (and dropped at the
end): one empty, one with the generated ledger (bench/generate.py, moved in with export
and import, as a user moves a personal ledger). Each report runs on both, alternating,
as the member who imported everything (the default: your own touches and favors) and
with `--team`; the table gives the median wall time of the whole process and the ratio
large / empty, the target being at most 1.3.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate
from bench.run import SCALES, TODAY, measure_side_by_side, netlog_command

REPORTS = {
    "due": ["due", "--json"],
    "balance": ["balance", "--json"],
    "stale": ["stale", "--json"],
    "stats": ["stats", "--json"],
}
TARGET = 1.3


def _server_url(base: str, database: str) -> str:
    _, _, rest = base.partition("://")
    authority, _, path = rest.partition("/")
    _, question, query = path.partition("?")
    return f"postgresql+psycopg://{authority}/{database}{question}{query}"


def _admin(base: str, *statements: str) -> None:
    import psycopg

    url = _server_url(base, "postgres").replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _same_rows(source: Path, url: str) -> None:
    """The moved ledger holds every contact, touch and favor of the generated one: a
    benchmark of a ledger that lost rows on the way measures nothing."""
    import sqlite3

    import psycopg

    tables = ("contact", "interaction", "favor")
    with sqlite3.connect(source) as conn:
        want = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as server:
        got = [server.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    if got != want:
        raise SystemExit(f"the moved ledger has {got} {tables}, the generated one {want}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server", description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="the server, as postgresql://USER@HOST/")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    contacts, interactions, favors = SCALES[args.scale]
    names = {"empty": f"netlog_bench_empty_{os.getpid()}", "large": f"netlog_bench_large_{os.getpid()}"}
    os.environ["NETLOG_TODAY"] = TODAY  # the generated ledger's today, as its reports'
    env = {**os.environ}
    netlog = netlog_command()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ledger.db"
        generate(db=source, contacts=contacts, interactions=interactions, favors=favors, seed=1)
        export = Path(folder) / "ledger.jsonl"
        with export.open("w") as out:
            subprocess.run([*netlog, "--db", str(source), "export", "--format", "jsonl"], stdout=out, env=env,
                           check=True)  # fmt: skip
        _admin(args.url, *(f"CREATE DATABASE {name}" for name in names.values()))
        try:
            urls = {kind: _server_url(args.url, name) for kind, name in names.items()}
            subprocess.run([*netlog, "--db", urls["empty"], "list"], env=env, check=True, capture_output=True)
            started = time.perf_counter()
            subprocess.run([*netlog, "--db", urls["large"], "import", str(export), "--no-spread"], env=env,
                           check=True, capture_output=True)  # fmt: skip
            moved = time.perf_counter() - started
            _same_rows(source, urls["large"])
            print(f"PostgreSQL, {contacts:,} contacts / {interactions:,} interactions / {favors:,} favors "
                  f"(import: {moved:.1f} s); median of {args.runs} runs\n")  # fmt: skip
            print("| report | empty (s) | large (s) | large / empty | target |")
            print("|---|---:|---:|---:|---|")
            failed = 0
            for name, report in REPORTS.items():
                for scope, extra in (("yours", []), ("--team", ["--team"])):
                    (empty, _), (large, _) = measure_side_by_side(
                        [[*netlog, "--db", urls[k], *report, *extra] for k in ("empty", "large")],
                        runs=args.runs,
                        env=env,
                    )
                    ratio = large / empty
                    met = ratio <= TARGET
                    failed += not met
                    print(f"| `{name}` ({scope}) | {empty:.3f} | {large:.3f} | {ratio:.2f} | "
                          f"<= {TARGET}: {'met' if met else 'NOT met'} |")  # fmt: skip
        finally:
            _admin(args.url, *(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in names.values()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
