"""The command line: parse arguments, call the ledger, render the result.

Importing this package must stay cheap: no SQLAlchemy, SQLModel or file formats.
"""

from __future__ import annotations

# The order of these imports is the order of the panels in `netlog --help`.
from netlog.cli import (
    activity,  # noqa: F401
    admin,  # noqa: F401
    contacts,  # noqa: F401
    reports,  # noqa: F401  (each module registers its commands)
)
from netlog.cli.app import app


def main() -> None:
    app(prog_name="netlog")


__all__ = ["app", "main"]
