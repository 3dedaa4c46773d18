"""How hard the randomised and crash tests push: one switch for the whole suite.

The README's test command runs every test at its everyday depth, with hypothesis
derandomized (the same examples on every run, so a red run is a real bug, never bad
luck) and a few kill trials. `NETLOG_DEEP_TESTS=1` explores: random examples, ten
times as many, more kill trials and more concurrent writers. Run it before a release
or after touching parsing, the write path or the file handling; a failure it finds
becomes an explicit `@example` or test case in the everyday run.
"""

from __future__ import annotations

import os

DEEP = os.environ.get("NETLOG_DEEP_TESTS", "") not in ("", "0")


def examples(everyday: int) -> int:
    """Hypothesis examples for a test: `everyday` normally, ten times that when deep."""
    return everyday * 10 if DEEP else everyday


def trials(everyday: int, deep: int) -> int:
    """Repetitions of a costly trial (kills, concurrent writers)."""
    return deep if DEEP else everyday
