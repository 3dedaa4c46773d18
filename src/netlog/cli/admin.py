"""Administration: config, undo, backup, check."""

from __future__ import annotations

from typing import Annotated

import typer

from netlog.cli.app import NetlogGroup, NetlogTyper, app, state
from netlog.cli.common import JsonOpt, reading, writing
from netlog.wording import count

config_app = NetlogTyper(
    cls=NetlogGroup,
    help="""Read and change settings (cadences, give-before-ask, ...).

    Examples:
      netlog config list
      netlog config set cadence.close 3w
      netlog config unset cadence.close
    """,
    no_args_is_help=True,
    rich_markup_mode=None,
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

    with reading() as db:
        rows = all_settings(db)
    if json_out:
        render.emit_json({key: value for key, value, _ in rows})
    else:
        table = [(key, value, default, SETTINGS[key].help) for key, value, default in rows]
        render.settings_view(table)


@config_app.command("get")
def config_get(key: KeyArg, json_out: JsonOpt = False) -> None:
    """Print one setting's value.

    Examples:
      netlog config get give_before_ask
    """
    from netlog import render
    from netlog.ledger.settings import get_setting

    with reading() as db:
        value = get_setting(db, key)
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
    from netlog.ledger.write import set_setting

    with writing(create=True) as session:
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
    from netlog.ledger.write import unset_setting

    with writing() as session:
        default = unset_setting(session, key)
    if json_out:
        render.emit_json({key: default})
    else:
        render.say(f"{key} = {default} (default)")


@app.command(rich_help_panel="Admin")
def undo(
    list_: Annotated[bool, typer.Option("--list", help="Show the recent commands instead.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Take back your most recent write command (add, meet, give, import, rm, merge...).

    Run it again to take back the one before. The last 100 commands of each member are
    kept. On a team's ledger it never takes back a teammate's command, nor yours when a
    teammate has since changed what it wrote.

    Examples:
      netlog undo --list
      netlog undo
    """
    from netlog import render
    from netlog.ledger import journal

    if list_:
        with reading() as db:
            commands = journal.recent(db, member=db.member() if db.shared else None)
        if json_out:
            render.emit_json(
                [
                    {
                        "id": c.id,
                        "command": c.command,
                        "created_at": c.created_at,
                        "entries": c.entries,
                        "member": c.member,
                    }
                    for c in commands
                ]
            )
        elif not commands:
            render.note("Nothing to undo yet.")
        else:
            render.journal_view(commands)
        return
    with writing(journal=False) as session:
        command = journal.undo(session)
    if json_out:
        render.emit_json({"id": command.id, "command": command.command, "created_at": command.created_at})
    else:
        render.say(f"Undid: netlog {command.command}.")


@app.command(rich_help_panel="Admin")
def members(json_out: JsonOpt = False) -> None:
    """Who writes to this ledger, with what each has recorded.

    On a PostgreSQL ledger each member is a login of the server; in a file, the OS user.

    Examples:
      netlog members
      netlog members --json
    """
    from netlog import render
    from netlog.ledger.members import members as all_members
    from netlog.public import public_dict

    with reading() as db:
        found = all_members(db)
    if json_out:
        render.emit_json([public_dict(m) for m in found])
    else:
        render.members_view(found)


@app.command(rich_help_panel="Admin")
def backup(
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]", help="Where to write the copy (default: backups/ beside the ledger)."
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Write a consistent copy of the ledger, even while other commands are writing.

    Examples:
      netlog backup
      netlog backup ~/Dropbox/netlog-$(date +%F).db
    """
    import os
    from datetime import datetime
    from pathlib import Path

    from netlog import render
    from netlog.errors import InvalidValue
    from netlog.location import locate
    from netlog.outfiles import check_target, is_special
    from netlog.storage.files import copy_ledger

    location = locate(state.db)
    if location.server:
        raise InvalidValue(
            f"{location.label} is kept by its server: back it up there (pg_dump -Fc), or export it "
            "whole with: netlog export --format jsonl -o team.jsonl"
        )
    with reading():
        pass  # the ledger exists, is a netlog ledger, and is up to date
    stamp = f"netlog-{datetime.now():%Y%m%d-%H%M%S}.db"
    numbered = path is None
    if path is None:
        folder = location.path.parent / "backups"
        try:
            if not folder.is_dir():  # a folder there (or a link to one) is used as it is
                folder.mkdir(mode=0o700)
                os.chmod(folder, 0o700)  # whatever the umask; only a folder netlog made
        except OSError as exc:
            raise InvalidValue(
                f"Cannot create {folder} for the copy ({exc.strerror}): give a path, "
                "e.g. netlog backup ~/netlog-copy.db"
            ) from None
        path = str(folder / stamp)
    elif os.path.isdir(os.path.expanduser(path)) and not os.path.islink(os.path.expanduser(path)):
        path = os.path.join(os.path.expanduser(path), stamp)
        numbered = True
    if is_special(Path(path).expanduser()):
        raise InvalidValue(f"{path} is not a regular file: a backup is a database file; give a file name.")
    target = check_target(path, location.path)
    written = copy_ledger(location.path, target, numbered=numbered)
    size = written.stat().st_size
    if json_out:
        render.emit_json({"path": str(written), "bytes": size})
    else:
        render.say(f"Backed up {location.path} to {written} ({size:,} bytes).")


@app.command(rich_help_panel="Admin")
def check(
    repair: Annotated[
        bool, typer.Option("--repair", help="Rebuild the per-contact summary if it is off.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Check the ledger: SQLite's integrity and foreign keys, stored values, and the summary.

    Exits 1 if anything is wrong. --repair rebuilds the per-contact summary from the
    rows (undo takes it back); other problems need a backup.

    Examples:
      netlog check
      netlog check --json
      netlog check --repair
    """
    from netlog import render
    from netlog.ledger.health import check_ledger, rebuild_summary, summary_mismatches
    from netlog.location import locate
    from netlog.storage.files import disk_full, unwritable

    location = locate(state.db)
    # The summary is checked by recomputing it in a transaction that is rolled back: on a
    # ledger netlog may not write, or a full disk, the rest is checked without it.
    writable = location.server or (not unwritable(location.path) and not disk_full(location.path))
    with reading() as db:
        health = check_ledger(db)
    if writable:
        with writing(journal=False) as session:
            health.summary = summary_mismatches(session)
            health.summary_checked = True
            session.rollback()
    if writable:  # what a netlog stopped by a kill left beside the ledger and its backups
        from netlog.outfiles import clean_stale

        for folder in (location.path.parent, location.path.parent / "backups"):
            health.leftovers += [str(path) for path in clean_stale(folder)]
        for path in health.leftovers:
            render.note(f"Removed {path}, a temporary file a stopped netlog left.")
    if repair and health.summary:
        with writing() as session:
            rebuilt = rebuild_summary(session)
            health.summary = summary_mismatches(session)
        render.note(f"Rebuilt the summary: {count(rebuilt, 'contact')} corrected.")
    if json_out:
        render.emit_json(health.as_json())
    else:
        render.health_view(health)
    if not health.ok:
        raise typer.Exit(1)
