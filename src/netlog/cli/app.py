"""The root Typer app, its global options, and the one place errors become exit codes.

Nothing here imports SQLAlchemy, SQLModel or the ledger: `netlog --help`,
sub-command help and shell completion stay fast. Command bodies import what
they need.
"""

from __future__ import annotations

import os
import shlex
import sys
import threading
from collections.abc import Sequence
from functools import cache
from typing import Annotated, Any, ClassVar

import typer
from typer.core import TyperGroup

from netlog import __version__
from netlog.errors import NetlogError

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in netlog, not a problem with the input
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class State:
    """Global options of the current invocation (set by the root callback)."""

    db: str | None = None
    command_line: str = ""  # the sub-command and its arguments, for the undo journal
    created: list[str] = []  # noqa: RUF012  ledgers this command created, said when it has worked
    warned: list[str] = []  # noqa: RUF012  warnings about the ledger already given by this command


state = State()


def debugging() -> bool:
    return os.environ.get("NETLOG_DEBUG", "") not in ("", "0")


class NetlogGroup(TyperGroup):
    """Turns expected problems into one line on stderr and exit 1, usage errors into two
    plain lines and exit 2, and bugs into exit 70; writes netlog's plain help pages."""

    panels: ClassVar[list[str]] = []  # the order of the command groups on the help page

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **kwargs: Any,
    ) -> Any:
        from netlog.cli import coercion

        coercion.install()  # option values checked without importing pydantic
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        import signal

        from netlog.cli import helptext

        stops = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
        if threading.current_thread() is not threading.main_thread():
            stops = []  # signals reach the main thread only: whoever runs netlog there handles them
        _received.clear()
        before = {s: signal.signal(s, _stop) for s in stops}
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        except typer.Abort:
            _echo_err("Aborted: nothing was changed.")
            sys.exit(1)
        except Exception as exc:
            if helptext.needs_help_page(exc):
                ctx = exc.ctx  # type: ignore[attr-defined]
                typer.echo(ctx.get_help())
                sys.exit(0)
            if helptext.is_usage_error(exc):
                sys.exit(helptext.report_usage_error(exc, _echo_err))
            if helptext.is_click_error(exc):
                _echo_err(f"Error: {exc.format_message()}")  # type: ignore[attr-defined]
                sys.exit(exc.exit_code)  # type: ignore[attr-defined]
            raise
        finally:
            for s, handler in before.items():
                signal.signal(s, handler)
        if code == EXIT_INTERRUPTED and _received:  # stopped before the command began
            try:
                _interrupted(Stopped(_received[-1]))
            except typer.Exit as stopped:
                sys.exit(stopped.exit_code)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        root = ctx.parent is None  # `config` is a group inside the root
        if root:
            words = [*getattr(ctx, "_protected_args", []), *ctx.args]
            state.command_line = shlex.join(words)  # quoted as typed, for `undo --list`
            state.created = []
            state.warned = []
        try:
            result = super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException) as exc:
            if root and isinstance(exc, typer.Exit) and exc.exit_code == 0:
                _announce_created()
            raise
        except BrokenPipeError:
            # The reader went away (`netlog export | head`): that is how pipes end, not an
            # error. Python's advice: point stdout at devnull so the exit flush cannot fail.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except KeyboardInterrupt as exc:
            _interrupted(exc)
        except NetlogError as exc:
            if debugging():
                raise
            _fail(exc.message, exc.exit_code)
        except Exception as exc:
            if debugging():
                raise
            interrupt = _interrupt_behind(exc)
            if interrupt is not None:  # an error while giving up after Ctrl-C: the Ctrl-C counts
                _interrupted(interrupt)
            problem = _as_storage_problem(exc)
            if problem is not None:
                _fail(problem.message, problem.exit_code)
            _fail(
                f"netlog hit an internal error ({type(exc).__name__}: {exc}). "
                "Run again with NETLOG_DEBUG=1 to see the traceback, and report it.",
                EXIT_INTERNAL,
            )
        if root:
            _announce_created()
        return result

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from netlog.cli import helptext

        formatter.write(helptext.group_page(self, ctx, self.panels))


class NetlogTyper(typer.Typer):
    """A Typer app whose commands are NetlogCommands (plain help, `--db` after the command)."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        from netlog.cli.helptext import NetlogCommand

        kwargs.setdefault("cls", NetlogCommand)
        return super().command(*args, **kwargs)


class Stopped(KeyboardInterrupt):
    """A signal that ends the command as Ctrl-C does: TERM (kill, a shutdown), HUP (the
    terminal closed). Raised in the main thread, so every `finally` and context manager
    runs: the transaction rolls back, temporary files go."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_received: list[int] = []  # the signals that stopped this command


def _stop(signum: int, frame: Any) -> None:
    _received.append(signum)
    raise Stopped(signum)


def _interrupt_behind(exc: BaseException) -> KeyboardInterrupt | None:
    seen = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__context__
    return None


def _interrupted(exc: KeyboardInterrupt) -> None:
    import signal

    signum = getattr(exc, "signum", signal.SIGINT)
    name = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
    _fail(f"Interrupted{name}: nothing was saved.", 128 + signum)


def _announce_created() -> None:
    """What is said about the ledger once the command has worked: a new ledger is news
    then (a write that failed, on a full disk, saved nothing and must not first claim to
    have made one), and a warning about the ledger's permissions is not a second line
    under an error."""
    from netlog import render

    for path in dict.fromkeys(state.created):
        render.note(f"Created a new ledger at {path}.")
    for message in dict.fromkeys(state.warned):
        render.warn(message)
    state.created = []
    state.warned = []


def _echo_err(line: str) -> None:
    from netlog.render import printable

    typer.echo(printable(line), err=True)


DB_HELP = "Ledger file (or an sqlite:/// or postgresql:// URL). Default: netlog.db in your data folder."


def _set_db(ctx: Any, param: Any, value: str | None) -> str | None:
    if value is not None:
        state.db = value
    return value


@cache
def db_option() -> Any:
    """`--db PATH` for a sub-command (`netlog list --db x.db`), as the root has it."""
    template = typer.Typer()

    @template.command()
    def _template(
        db: Annotated[
            str | None, typer.Option("--db", metavar="PATH", help=DB_HELP, show_default=False)
        ] = None,
    ) -> None:
        """Only here to have Typer build the option."""

    option = typer.main.get_command(template).params[0]
    option.expose_value = False
    option.callback = _set_db
    return option


def _as_storage_problem(exc: BaseException) -> NetlogError | None:
    """Database failures (locked, read-only, not SQLite, the server gone...) as
    StorageError, else None."""
    if "sqlite3" not in sys.modules and "psycopg" not in sys.modules:
        return None
    try:
        from netlog.location import locate

        location = locate(state.db)
        if location.server:
            from netlog.storage.server import connect_error

            return connect_error(exc, location)
        from netlog.storage.files import storage_error

        return storage_error(exc, location)
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


app = NetlogTyper(
    cls=NetlogGroup,
    name="netlog",
    help=(
        "A contact ledger for people who network on purpose: record whom you meet, "
        "what you give and ask, and see each morning whom to contact."
    ),
    epilog="Run 'netlog COMMAND --help' for a command's options and examples.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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
            help=DB_HELP,
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
