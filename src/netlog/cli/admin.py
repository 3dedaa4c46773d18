"""Administration: config get/set/unset/list."""

from __future__ import annotations

from typing import Annotated

import typer

from netlog.cli.app import app
from netlog.cli.common import JsonOpt, ledger

config_app = typer.Typer(
    help="Read and change settings (cadences, give-before-ask, ...).", no_args_is_help=True
)
app.add_typer(config_app, name="config", rich_help_panel="Admin")

KeyArg = Annotated[str, typer.Argument(metavar="KEY", help="Setting name, e.g. cadence.close.")]


@config_app.command("list")
def config_list(json_out: JsonOpt = False) -> None:
    """Every setting with its value and meaning.

    Examples:
      netlog config list
      netlog config list --json
    """
    from netlog import render
    from netlog.ledger.settings import SETTINGS, all_settings

    with ledger(write=False) as session:
        rows = all_settings(session)
    if json_out:
        render.emit_json({key: value for key, value, _ in rows})
    else:
        table = [(key, value, default, SETTINGS[key].help) for key, value, default in rows]
        render.print_table(render.settings_table(table))


@config_app.command("get")
def config_get(key: KeyArg, json_out: JsonOpt = False) -> None:
    """Print one setting's value.

    Examples:
      netlog config get give_before_ask
    """
    from netlog import render
    from netlog.ledger.settings import get_setting

    with ledger(write=False) as session:
        value = get_setting(session, key)
    if json_out:
        render.emit_json({key: value})
    else:
        render.say(value)


@config_app.command("set")
def config_set(
    key: KeyArg,
    value: Annotated[str, typer.Argument(help="New value, e.g. 3 or 3w.")],
    json_out: JsonOpt = False,
) -> None:
    """Change a setting. Cadences take durations (14d, 3w, 2m).

    Examples:
      netlog config set give_before_ask 3
      netlog config set cadence.close 3w
    """
    from netlog import render
    from netlog.ledger.settings import set_setting

    with ledger(write=True) as session:
        stored = set_setting(session, key, value)
    if json_out:
        render.emit_json({key: stored})
    else:
        render.say(f"{key} = {stored}")


@config_app.command("unset")
def config_unset(key: KeyArg, json_out: JsonOpt = False) -> None:
    """Put a setting back to its default.

    Examples:
      netlog config unset cadence.close
    """
    from netlog import render
    from netlog.ledger.settings import unset_setting

    with ledger(write=True) as session:
        default = unset_setting(session, key)
    if json_out:
        render.emit_json({key: default})
    else:
        render.say(f"{key} = {default} (default)")
