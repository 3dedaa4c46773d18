"""Time whole netlog processes on generated ledgers and check the performance targets.

    python -m bench.run --scale large          # 10,000 / 200,000 / 50,000
    python -m bench.run --scale small --runs 7 # 2,000 / 20,000 / 5,000
    python -m bench.run --scale large --write-results bench/RESULTS.md

Each command runs once to warm the file cache, then --runs times; the table shows the
median wall time and the peak resident memory (the largest over the runs) of the
whole process, start-up included, because that is what a user or a script waits for.
Commands compared in a target (a report on the empty and the large ledger) run in
alternation, so drift in the machine's speed during the run affects both alike.
The floor rows show what any Python process costs here: `python -c pass`, and a bare
`sqlite3` script running the equivalent of the due query on the same file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SCALES = {
    "tiny": (60, 600, 150),
    "small": (2_000, 20_000, 5_000),
    "large": (10_000, 200_000, 50_000),
}
IMPORT_CONTACTS = {"tiny": 500, "small": 100_000, "large": 100_000}
IMPORT_CARDS = {"tiny": 200, "small": 10_000, "large": 10_000}
TODAY = "2026-06-01"  # fixed, so every run sees the same ledger the same way

MINIMAL_TYPER_APP = '''
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world"):
    """Say hello."""
    print(name)
app()
'''

# The floor for `due`: the same question asked with nothing but the stdlib.
RAW_DUE = '''
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("""
    SELECT c.handle, coalesce(max(s.last_interaction, s.last_favor), s.last_interaction,
           s.last_favor, c.met_on, date(c.created_at)) AS last_touch,
           coalesce(c.cadence_days, CASE c.circle WHEN 'inner' THEN 14 WHEN 'close' THEN 30
                    WHEN 'active' THEN 90 ELSE 180 END) AS cadence
    FROM contact c JOIN contact_stats s ON s.contact_id = c.id
    WHERE c.archived = 0 AND (c.snoozed_until IS NULL OR c.snoozed_until <= :today)
      AND julianday(:today) - julianday(last_touch) >= cadence
    ORDER BY (julianday(:today) - julianday(last_touch)) / cadence DESC""",
    {"today": sys.argv[2]}).fetchall()
print(len(rows))
'''


@dataclass
class Result:
    name: str
    scale: str
    wall: float
    rss_mb: float


# Linux counts a child's memory from before exec (a fork of this big process) in its
# peak RSS, so each command is started by a small launcher whose own footprint is
# below any Python process's: it forks, execs the command, and reports the child's peak.
# It also times the command itself, so its own start-up is not counted.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write("\\nWALL=%.6f PEAK_RSS_KB=%d\\n" % (time.perf_counter() - start, usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


WARMUPS = 1


def measure(argv: list[str], *, runs: int, env: dict[str, str], prepare=None) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) of running argv, after WARMUPS warm-up runs."""
    times, peaks = [], []
    for attempt in range(runs + WARMUPS):
        if prepare is not None:
            prepare()
        done = subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        stderr, _, measured = done.stderr.rpartition("WALL=")
        if done.returncode != 0 or not measured:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {stderr.strip()[:500]}")
        wall, _, peak = measured.strip().partition(" PEAK_RSS_KB=")
        if attempt >= WARMUPS:  # warm-ups only fill the caches
            times.append(float(wall))
            peaks.append(int(peak) / 1024)
    return statistics.median(times), max(peaks)


def measure_side_by_side(
    commands: list[list[str]], *, runs: int, env: dict[str, str]
) -> list[tuple[float, float]]:
    """Like measure(), for commands compared with each other: their runs alternate, so a
    machine that slows down or speeds up during the run affects all of them alike."""
    samples: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for n, argv in enumerate(commands):
            samples[n].append(measure(argv, runs=1, env=env))
    return [(statistics.median(w for w, _ in s), max(r for _, r in s)) for s in samples]


def netlog_command() -> list[str]:
    script = Path(sys.executable).with_name("netlog")
    return [str(script)] if script.exists() else [sys.executable, "-m", "netlog"]


def busiest_handle(db: Path) -> str:
    return busiest_handles(db, 1)[0]


def busiest_handles(db: Path, n: int) -> list[str]:
    import sqlite3

    rows = (
        sqlite3.connect(db)
        .execute(
            "SELECT c.handle FROM contact c JOIN contact_stats s ON s.contact_id = c.id "
            "ORDER BY s.interaction_count DESC, c.id LIMIT ?",
            (n,),
        )
        .fetchall()
    )
    return [row[0] for row in rows]


def write_vcard_file(path: Path, cards: int) -> None:
    """An address book as phones export one: vCard 3.0 and 4.0 cards (half each) with
    names in parts (a middle name on most), two or three labelled phones, labelled
    emails, an address, a birthday (some without a year), a note and a photo line."""
    import random

    from bench.generate import FIRST, LAST

    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as out:
        for n in range(cards):
            version = "3.0" if n % 2 else "4.0"
            first, middle, last = rng.choice(FIRST), rng.choice(FIRST), rng.choice(LAST)
            pref = ";TYPE=PREF" if version == "3.0" else ";PREF=1"
            lines = [
                "BEGIN:VCARD", f"VERSION:{version}", f"UID:bench-card-{n}",
                f"N:{last};{first};{middle if n % 10 else ''};;", f"FN:{first} {middle} {last} {n}",
                f"EMAIL;TYPE=work{pref}:{first.lower()}.{n}@work.example",
                f"TEL;TYPE=cell{pref}:+44 20 7946 {n % 10000:04d}",
                f"TEL;TYPE=work:+44 20 7000 {n % 10000:04d}",
                f"item1.TEL:+44 20 7111 {n % 10000:04d}", "item1.X-ABLabel:_$!<AssistantPhone>!$_",
                f"ADR;TYPE=home:;;{n} Main St\\, Flat {n % 9};Springfield;IL;62701;USA",
                f"ORG:{rng.choice(['Acme', 'Globex', 'Initech'])};Sales", "TITLE:Engineer",
                f"BDAY:{'--0704' if n % 3 == 0 else '1984-07-04'}" if version == "4.0"
                else f"BDAY:{'1604-07-04' if n % 3 == 0 else '1984-07-04'}",
                f"NOTE:Met at the fair\\, table {n % 50}.",
                "CATEGORIES:imported,fair", "END:VCARD",
            ]  # fmt: skip
            if n % 3 == 0 and version == "3.0":
                lines[-5] = "BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-04"
            out.write("\r\n".join(lines) + "\r\n")


def write_import_file(path: Path, contacts: int) -> None:
    """A JSON Lines file of contacts, as a script would produce from another system."""
    import random

    from bench.generate import FIRST, LAST

    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"type": "netlog-export", "format_version": 1}) + "\n")
        for n in range(contacts):
            record = {
                "type": "contact",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                "emails": [f"person{n}@example.com"],
                "org": rng.choice(["Acme", "Globex", "Initech"]),
                "title": "Engineer",
                "circle": "acquaintance",
                "source": "online",
                "met_on": "2024-05-01",
                "tags": ["imported", rng.choice(["a", "b", "c"])],
                "url": f"https://www.linkedin.com/in/person-{n}",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run(scale: str, runs: int, workdir: Path) -> tuple[list[Result], list[tuple[str, float, float, bool]]]:
    from bench.generate import generate

    # As on a user's machine, Python caches compiled modules (some sandboxes turn it off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"NETLOG_TODAY": TODAY, "NO_COLOR": "1"}
    os.environ["NETLOG_TODAY"] = TODAY
    netlog = netlog_command()
    contacts, interactions, favors = SCALES[scale]
    ledgers = {"empty": workdir / "empty.db", scale: workdir / f"{scale}.db"}
    subprocess.run(
        [*netlog, "--db", str(ledgers["empty"]), "config", "set", "give_before_ask", "4"],
        env=env,
        check=True,
        capture_output=True,
    )
    print(f"generating the {scale} ledger ({contacts:,} / {interactions:,} / {favors:,})...", file=sys.stderr)
    generate(db=ledgers[scale], contacts=contacts, interactions=interactions, favors=favors, seed=1)
    import_file = workdir / "import.jsonl"
    write_import_file(import_file, IMPORT_CONTACTS[scale])

    results: list[Result] = []

    def record(name: str, label: str, argv: list[str], prepare=None) -> float:
        wall, rss = measure(argv, runs=runs, env=env, prepare=prepare)
        results.append(Result(name, label, wall, rss))
        print(f"  {name:<34} {label:<6} {wall:7.3f} s {rss:7.1f} MB", file=sys.stderr)
        return wall

    typer_app = workdir / "minimal_typer.py"
    typer_app.write_text(MINIMAL_TYPER_APP)
    floor_pass = record("python -c pass", "-", [sys.executable, "-c", "pass"])
    raw_due = workdir / "raw_due.py"
    raw_due.write_text(RAW_DUE)
    record(
        "sqlite3 due query (stdlib only)", scale, [sys.executable, str(raw_due), str(ledgers[scale]), TODAY]
    )
    helps = dict(
        zip(
            ("minimal Typer app --help", "netlog --help"),
            measure_side_by_side([[sys.executable, str(typer_app), "--help"], [*netlog, "--help"]],
                                 runs=runs, env=env),
            strict=True,
        )
    )  # fmt: skip
    for name, (wall, rss) in helps.items():
        results.append(Result(name, "-", wall, rss))
        print(f"  {name:<34} {'-':<6} {wall:7.3f} s {rss:7.1f} MB", file=sys.stderr)
    typer_help, help_time = helps["minimal Typer app --help"][0], helps["netlog --help"][0]
    # What Typer itself costs a command that runs (it imports pydantic to coerce options).
    record("minimal Typer app, one option", "-", [sys.executable, str(typer_app), "--name", "x"])

    def side_by_side(name: str, commands: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
        measured = dict(zip(commands, measure_side_by_side(list(commands.values()), runs=runs, env=env),
                            strict=True))  # fmt: skip
        for label, (wall, rss) in measured.items():
            results.append(Result(name, label, wall, rss))
            print(f"  {name:<34} {label:<6} {wall:7.3f} s {rss:7.1f} MB", file=sys.stderr)
        return measured

    def against(name: str, base_name: str, base: list[str], commands: dict[str, list[str]]):
        """Each command side by side with a base command (alternating), as ratios."""
        measured = {}
        for label, argv in commands.items():
            (base_wall, _), (wall, rss) = measure_side_by_side([base, argv], runs=runs, env=env)
            results.append(Result(label, scale, wall, rss))
            print(f"  {label:<34} {scale:<6} {wall:7.3f} s {rss:7.1f} MB ({base_name} {base_wall:.3f} s)",
                  file=sys.stderr)  # fmt: skip
            measured[label] = (wall, base_wall, rss)
        return measured

    large = [*netlog, "--db", str(ledgers[scale])]
    busiest = busiest_handle(ledgers[scale])
    reads = against(
        "--help",
        "netlog --help",
        [*netlog, "--help"],
        {
            "netlog due --json": [*large, "due", "--json"],
            "netlog balance --json": [*large, "balance", "--json"],
            "netlog stale --json": [*large, "stale", "--json"],
            "netlog stats --json": [*large, "stats", "--json"],
            "netlog show <busiest> --json": [*large, "show", busiest, "--json"],
            "netlog log --json --since 30d": [*large, "log", "--json", "--since", "30d"],
            "netlog list --json": [*large, "list", "--json"],
        },
    )
    table = against(
        "list --json",
        "list --json",
        [*large, "list", "--json"],
        {"netlog list (table)": [*large, "list"]},
    )

    # The network: warm paths into the largest organisation, and every tie's strength.
    network = against(
        "due --json",
        "netlog due --json",
        [*large, "due", "--json"],
        {
            "netlog path --org Acme --json": [*large, "path", "--org", "Acme", "--json"],
            "netlog strength --json": [*large, "strength", "--json"],
        },
    )

    # Needs and offers: every suggestion, against the morning report on the same ledger.
    matching = against(
        "due --json",
        "netlog due --json",
        [*large, "due", "--json"],
        {"netlog match --json": [*large, "match", "--json"]},
    )

    report_times: dict[str, dict[str, float]] = {}
    for report in ("due", "stats"):
        measured = side_by_side(
            f"netlog {report} --json",
            {label: [*netlog, "--db", str(db), report, "--json"] for label, db in ledgers.items()},
        )
        report_times[report] = {label: wall for label, (wall, _) in measured.items()}

    writes = {}
    for label, db in ledgers.items():
        scratch = workdir / f"write-{label}.db"
        shutil.copy(db, scratch)
        base = [*netlog, "--db", str(scratch)]
        if label == "empty":
            subprocess.run(
                [*base, "add", "Bench Person", "--no-meet"], env=env, check=True, capture_output=True
            )
        writes[label] = [*base, "meet", busiest_handle(scratch), "--note", "bench"]
    write_times = {
        label: wall for label, (wall, _) in side_by_side("netlog meet (one write)", writes).items()
    }
    three = {}
    for label, db in ledgers.items():
        scratch = workdir / f"write3-{label}.db"
        shutil.copy(db, scratch)
        base = [*netlog, "--db", str(scratch)]
        if label == "empty":
            for n in (1, 2, 3):
                subprocess.run(
                    [*base, "add", f"Bench Person {n}", "--no-meet"], env=env, check=True, capture_output=True
                )
        three[label] = [*base, "meet", *busiest_handles(scratch, 3), "--note", "bench"]
    three_times = {label: wall for label, (wall, _) in side_by_side("netlog meet (3 people)", three).items()}
    exports = side_by_side(
        "netlog export (jsonl)",
        {
            label: [*netlog, "--db", str(db), "export", "-o", str(workdir / f"export-{label}.jsonl")]
            for label, db in ledgers.items()
        },
    )
    cards = side_by_side(
        "netlog export --format vcf",
        {
            label: [
                *netlog,
                "--db",
                str(db),
                "export",
                "--format",
                "vcf",
                "-o",
                str(workdir / f"{label}.vcf"),
            ]
            for label, db in ledgers.items()
        },
    )

    vdir = workdir / "vdir"
    vdir_empty = workdir / "vdir-empty"

    moved = iter(range(1_000_000))

    def no_vdir() -> None:
        # Moved aside, not deleted: creating 10,000 files in the folder that just lost as
        # many costs the file system (ext4 here) far more than in a new one, which is what
        # a first export writes into. The moved folders are deleted with the workdir.
        if vdir.exists():
            vdir.rename(workdir / f"vdir-old-{next(moved)}")

    vdir_start = record(
        "netlog export --format vdir", "empty",
        [*netlog, "--db", str(ledgers["empty"]), "export", "--format", "vdir", "-o", str(vdir_empty)],
    )  # fmt: skip
    vdir_new = record(
        "netlog export --format vdir (all new)", scale,
        [*netlog, "--db", str(ledgers[scale]), "export", "--format", "vdir", "-o", str(vdir)],
        prepare=no_vdir,
    )  # fmt: skip
    vdir_same = record(
        "netlog export --format vdir (unchanged)", scale,
        [*netlog, "--db", str(ledgers[scale]), "export", "--format", "vdir", "-o", str(vdir)],
    )  # fmt: skip

    target = workdir / "import-target.db"

    def fresh(source: Path | None) -> Callable[[], None]:
        def prepare() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            if source is None:
                subprocess.run([*netlog, "--db", str(target), "config", "set", "give_before_ask", "4"],
                               env=env, check=True, capture_output=True)  # fmt: skip
            else:
                shutil.copy(source, target)

        return prepare

    one_file = workdir / "import-one.jsonl"
    write_import_file(one_file, 1)
    into = [*netlog, "--db", str(target), "import"]
    one_wall = record("netlog import (1 contact jsonl)", "empty", [*into, str(one_file)], prepare=fresh(None))
    one_rss = results[-1].rss_mb
    count = IMPORT_CONTACTS[scale]
    import_wall = record(f"netlog import ({count:,} contacts jsonl)", "empty", [*into, str(import_file)],
                         prepare=fresh(None))  # fmt: skip
    import_rss = results[-1].rss_mb
    one_large = record("netlog import (1 contact jsonl)", scale, [*into, str(one_file)],
                       prepare=fresh(ledgers[scale]))  # fmt: skip
    large_wall = record(f"netlog import ({count:,} contacts jsonl)", scale, [*into, str(import_file)],
                        prepare=fresh(ledgers[scale]))  # fmt: skip
    file_mb = import_file.stat().st_size / 2**20
    cards_file, one_card = workdir / "cards.vcf", workdir / "one-card.vcf"
    write_vcard_file(cards_file, IMPORT_CARDS[scale])
    write_vcard_file(one_card, 1)
    card_count = IMPORT_CARDS[scale]
    one_card_wall = record("netlog import (1 vCard)", "empty", [*into, str(one_card)], prepare=fresh(None))
    cards_wall = record(f"netlog import ({card_count:,} vCards)", "empty", [*into, str(cards_file)],
                        prepare=fresh(None))  # fmt: skip

    checks = []

    def check(name: str, value: float, limit: float, *, at_least: bool = False) -> None:
        checks.append((name, value, limit, value >= limit if at_least else value <= limit))

    check("netlog --help vs minimal Typer app --help (<= 1.5)", help_time / typer_help, 1.5)
    for label, (wall, base_wall, _) in reads.items():
        limit = 2.0 if "list" in label else 1.3
        check(f"{label.removeprefix('netlog ')}, {scale}, vs --help (<= {limit})", wall / base_wall, limit)
    for _label, (wall, base_wall, _) in table.items():
        check(f"list (table) vs list --json, {scale} (<= 2)", wall / base_wall, 2.0)
    for report, times in report_times.items():
        check(f"{report} --json, {scale} vs empty (<= 1.3)", times[scale] / times["empty"], 1.3)
    check(f"export --format vcf, {scale}, seconds after start-up (<= 1.5)",
          cards[scale][0] - cards["empty"][0], 1.5)  # fmt: skip
    check(
        f"export (jsonl), {scale}, seconds after start-up (<= 2)",
        exports[scale][0] - exports["empty"][0],
        2.0,
    )
    check(f"export peak RSS, {scale} vs empty (<= 1.5)", exports[scale][1] / exports["empty"][1], 1.5)
    check(
        f"export --format vdir, {scale}, all new, seconds after start-up (<= 2)", vdir_new - vdir_start, 2.0
    )
    check(f"export --format vdir, {scale}, unchanged, seconds after start-up (<= 0.5)",
          vdir_same - vdir_start, 0.5)  # fmt: skip
    check(f"vCard import contacts/s after start-up, {card_count:,} cards (>= 5,000)",
          (card_count - 1) / max(1e-9, cards_wall - one_card_wall), 5_000, at_least=True)  # fmt: skip
    # After start-up: the one-contact import is the same process doing (almost) nothing.
    check("import contacts/s after start-up, empty ledger (>= 20,000)",
          (count - 1) / max(1e-9, import_wall - one_wall), 20_000, at_least=True)  # fmt: skip
    check(f"import contacts/s after start-up, {scale} ledger (>= 10,000)",
          (count - 1) / max(1e-9, large_wall - one_large), 10_000, at_least=True)  # fmt: skip
    check(f"import peak RSS above start-up vs the file's {file_mb:.0f} MB (<= 2)",
          (import_rss - one_rss) / file_mb, 2.0)  # fmt: skip
    check(f"meet (one write), {scale} vs empty (<= 1.2)", write_times[scale] / write_times["empty"], 1.2)
    check(f"meet (3 people), {scale} vs empty (<= 1.2)", three_times[scale] / three_times["empty"], 1.2)
    for label, (wall, base_wall, _) in network.items():
        check(f"{label.removeprefix('netlog ')}, {scale}, vs due --json (<= 1.5)", wall / base_wall, 1.5)
    for label, (wall, base_wall, _) in matching.items():
        check(f"{label.removeprefix('netlog ')}, {scale}, vs due --json (<= 2)", wall / base_wall, 2.0)
    del floor_pass
    return results, checks


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; SQLite {_sqlite()}"


def _sqlite() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def markdown(results: list[Result], checks: list, scale: str, runs: int) -> str:
    lines = [
        f"Scale `{scale}`: {SCALES[scale][0]:,} contacts / {SCALES[scale][1]:,} interactions / "
        f"{SCALES[scale][2]:,} favors. Median of {runs} runs after a warm-up; peak RSS is the "
        "largest of those runs.",
        "",
        "| command | ledger | median wall (s) | peak RSS (MB) |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {r.name} | {r.scale} | {r.wall:.3f} | {r.rss_mb:.1f} |" for r in results]
    lines += ["", "| target | measured | limit | met |", "|---|---:|---:|---|"]
    for name, value, limit, ok in checks:
        shown = f"{value:,.0f}" if limit >= 1000 else f"{value:.2f}"
        lines.append(f"| {name} | {shown} | {limit:,} | {'yes' if ok else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmups", type=int, default=1, help="runs before timing (default 1)")
    parser.add_argument("--workdir", type=Path, help="keep the generated files here")
    parser.add_argument("--write-results", type=Path, help="also write the table (markdown) here")
    args = parser.parse_args(argv)
    global WARMUPS
    WARMUPS = args.warmups
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="netlog-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results, checks = run(args.scale, args.runs, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    table = markdown(results, checks, args.scale, args.runs)
    print(table)
    if args.write_results:
        header = (
            "# Benchmark results\n\n"
            f"Produced by `python -m bench.run --scale {args.scale} --runs {args.runs}` on "
            f"{machine()}, {time.strftime('%Y-%m-%d')}.\n\n"
        )
        args.write_results.write_text(header + table)
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
