"""The command line: parse arguments, call the ledger, render the result.

Importing this package must stay cheap: no SQLAlchemy, SQLModel or file formats.
"""

from __future__ import annotations

from netlog.cli import (  # noqa: F401  (register)
    activity,
    admin,
    contacts,
    corrections,
    needs,
    network,
    reports,
    transfer,
)
from netlog.cli.app import NetlogGroup, app

# `netlog --help` lists the panels in this order, the morning report first.
PANELS = ["Reports", "Contacts", "Activity", "Network", "Needs and offers", "Import and export", "Admin"]
app.registered_commands.sort(key=lambda command: PANELS.index(command.rich_help_panel or "Admin"))
NetlogGroup.panels = PANELS


def main() -> None:
    app(prog_name="netlog")


__all__ = ["app", "main"]
