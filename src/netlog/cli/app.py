"""The root Typer app, its global options, and the one place errors become exit codes.

Nothing here imports SQLAlchemy, SQLModel or the ledger: `netlog --help`,
sub-command help and shell completion stay fast. Command bodies import what
they need.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from netlog import __version__
from netlog.errors import NetlogError

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in netlog, not a problem with the input


class State:
    """Global options of the current invocation (set by the root callback)."""

    db: str | None = None
    command_line: str = ""  # the sub-command and its arguments, for the undo journal


state = State()


def debugging() -> bool:
    return os.environ.get("NETLOG_DEBUG", "") not in ("", "0")


class NetlogGroup(TyperGroup):
    """Turns expected problems into one line on stderr and exit 1, and bugs into exit 70."""

    def invoke(self, ctx: Any) -> Any:
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]
        state.command_line = " ".join(words)
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:
            # The reader went away (`netlog export | head`): stop quietly, as other tools do.
            # Python's advice: point stdout at devnull so the exit flush cannot fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1) from None
        except NetlogError as exc:
            if debugging():
                raise
            _fail(exc.message, exc.exit_code)
        except Exception as exc:
            if debugging():
                raise
            problem = _as_storage_problem(exc)
            if problem is not None:
                _fail(problem.message, problem.exit_code)
            _fail(
                f"netlog hit an internal error ({type(exc).__name__}: {exc}). "
                "Run again with NETLOG_DEBUG=1 to see the traceback, and report it.",
                EXIT_INTERNAL,
            )


def _as_storage_problem(exc: BaseException) -> NetlogError | None:
    """Database failures (locked, read-only, not SQLite...) as StorageError, else None."""
    if "sqlite3" not in sys.modules:
        return None
    try:
        from netlog.db import storage_error
        from netlog.location import locate

        return storage_error(exc, locate(state.db))
    except NetlogError as problem:
        return problem


def _fail(message: str, code: int) -> None:
    from netlog import render

    render.error(message)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netlog {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=NetlogGroup,
    name="netlog",
    help=(
        "A contact ledger for people who network on purpose: record whom you meet, "
        "what you give and ask, and see each morning whom to contact."
    ),
    epilog="Run 'netlog COMMAND --help' for a command's options and examples.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="NETLOG_DB",
            metavar="PATH",
            help="Ledger file (or sqlite:/// URL). Default: netlog.db in your data folder.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    state.db = db
    from netlog import dates

    dates.today()  # a bad NETLOG_TODAY is reported by every command, not only some
    if ctx.invoked_subcommand is None:
        from netlog.cli.reports import due

        due()
