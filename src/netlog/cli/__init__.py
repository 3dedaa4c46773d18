"""The command line: parse arguments, call the ledger, render the result.

Importing this package must stay cheap: no SQLAlchemy, SQLModel or file formats.
"""

from __future__ import annotations

from netlog.cli import activity, admin, contacts  # noqa: F401  (they register commands)
from netlog.cli.app import app


def main() -> None:
    app(prog_name="netlog")


__all__ = ["app", "main"]
