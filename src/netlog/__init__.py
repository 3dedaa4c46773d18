"""netlog: a command-line contact ledger for people who network on purpose."""

__version__ = "0.1.0"
