"""The README's generated parts: the command table, from the Typer app, and the JSON
keys, from the *Public records (netlog/public.py).

The README runs these through cog (`cog -r README.md` rewrites them; tests/test_readme.py
fails when they are out of date), so what it lists is what the program has.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from netlog import public
from netlog.jsonable import annotation_kinds, json_key

# Options every command has, or most: said once above the table instead of in each row.
COMMON = ("--help", "--json", "--db")

# The records of the JSON output: (what, the commands that print it, its class).
RECORDS: list[tuple[str, str, type]] = [
    ("Contact", "`add`, `edit`, `tag`, `archive`, `unarchive`, `snooze`, `rm`; `list` gives an array",
     public.ContactPublic),
    ("Interaction", "`meet`, `edit-touch`, `rm-touch`", public.InteractionPublic),
    ("Favor", "`give`, `ask`, `done`, `decline`, `edit-favor`, `rm-favor`", public.FavorPublic),
    ("Balance", "`show` (as `balance`)", public.BalancePublic),
    ("Due report", "`due`", public.DuePublic),
    ("Due contact", "`due` (in `contacts`)", public.DueContactPublic),
    ("Birthday", "`due` (in `birthdays`)", public.BirthdayPublic),
    ("Balance row", "`balance` (an array)", public.BalanceRowPublic),
    ("Stale contact", "`stale` (an array)", public.StaleContactPublic),
    ("Email", "a contact's `email_addresses`", public.EmailPublic),
    ("Phone", "a contact's `phone_numbers`", public.PhonePublic),
    ("Address", "a contact's `addresses`", public.AddressPublic),
    ("Link", "a contact's `urls`", public.UrlPublic),
    ("Event", "a contact's `events`", public.EventPublic),
    ("Introduction", "`intro`; `intros` gives an array", public.IntroductionPublic),
    ("Strength", "`strength` (an array without CONTACT)", public.StrengthPublic),
    ("Strength factors", "a strength's `strength_factors`, and `show` (as `strength_factors`)",
     public.StrengthFactorsPublic),
    ("Strength basis", "`strength CONTACT` (as `basis`)", public.StrengthBasisPublic),
    ("Tie", "`show` (in `knows`); `knows`", public.KnowsPublic),
    ("Evidence", "a tie's or a hop's `evidence`", public.EvidencePublic),
    ("Path", "`path` (an array)", public.PathPublic),
    ("Hop", "a path's `hops`", public.HopPublic),
    ("Need", "`need`, `offer`; `needs`, `offers`, `show` (in `needs`, `offers`), `due` (a contact's `needs`)",
     public.NeedPublic),
    ("Match", "`match` (an array)", public.MatchPublic),
    ("Reason", "a match's `reasons`", public.ReasonPublic),
    ("Member", "`members` (an array)", public.MemberPublic),
]  # fmt: skip


def _app_command() -> Any:
    import typer

    from netlog.cli import app

    return typer.main.get_command(app)


def _usage(name: str, command: Any) -> str:
    arguments = [p.metavar or p.name.upper() for p in command.params if p.param_type_name == "argument"]
    return " ".join([name, *arguments]).replace("|", "\\|")


def _summary(command: Any) -> str:
    """The first paragraph of a command's help, on one line."""
    text = (command.help or "").strip().split("\n\n")[0]
    return " ".join(text.split()).replace("|", "\\|")


def _options(command: Any) -> str:
    names = [p.opts[0] for p in command.params if p.param_type_name == "option" and p.opts[0] not in COMMON]
    return " ".join(f"`{n}`" for n in names)


def command_rows() -> list[tuple[str, str, str, str]]:
    """(group, usage, summary, options) for every command, in `netlog --help` order."""
    from typer import _click as click

    group = _app_command()
    ctx = click.Context(group)
    rows = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        panel = getattr(command, "rich_help_panel", None) or "Admin"
        if hasattr(command, "list_commands"):  # a group: config list, config get...
            sub_ctx = click.Context(command, parent=ctx, info_name=name)
            for sub_name in command.list_commands(sub_ctx):
                sub = command.get_command(sub_ctx, sub_name)
                rows.append((panel, _usage(f"{name} {sub_name}", sub), _summary(sub), _options(sub)))
        else:
            rows.append((panel, _usage(name, command), _summary(command), _options(command)))
    return rows


def commands_markdown() -> str:
    lines = ["| command | what it does | options |", "|---|---|---|"]
    panel = None
    for group, usage, summary, options in command_rows():
        if group != panel:
            lines.append(f"| **{group}** | | |")
            panel = group
        lines.append(f"| `{usage}` | {summary} | {options} |")
    return "\n".join(lines) + "\n"


def json_type(annotation: Any) -> str:
    """How a field looks in JSON, from its annotation."""
    text = str(annotation)
    kinds = annotation_kinds(text)
    nullable = "None" in kinds
    kinds.discard("None")
    (kind,) = kinds
    if kind.startswith("list["):
        inner = kind[5:-1]
        described = "array of strings" if inner == "str" else f"array of {_record_name(inner)} objects"
    else:
        described = {
            "str": "string",
            "int": "number",
            "float": "number",
            "bool": "true or false",
            "date": "date",
            "datetime": "timestamp",
        }.get(kind, f"{_record_name(kind)} object")
    return described + (" or null" if nullable else "")


def _record_name(class_name: str) -> str:
    for name, _, cls in RECORDS:
        if cls.__name__ == class_name:
            return name
    return class_name


def keys_markdown() -> str:
    """One line per record: its keys and their JSON types."""
    lines = []
    for name, commands, cls in RECORDS:
        keys = "; ".join(f"`{json_key(f.name)}`: {json_type(f.type)}" for f in fields(cls))
        lines.append(f"- **{name}** ({commands}): {keys}.")
    return "\n".join(lines) + "\n"
