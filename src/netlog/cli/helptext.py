"""Plain help pages and one-line usage errors, for every command.

Typer's own pages draw boxes, print types as `<list[str]>` or `<int range>` and break
long choices mid-word; its errors are five-line boxes that start with pydantic's
"Value error,". netlog writes both itself, the way classic command-line tools do:

    Usage: netlog add [OPTIONS] NAME
    ...
    Error: --circle must be one of inner, close, active, acquaintance (got "friends").
    Run 'netlog add --help' to see the options.

Help pages wrap at the terminal's width (at most 100 columns) and never print a
Python type: a value's placeholder is a word (TEXT, N, DATE), and the choices of an
option are listed in its help as words. Usage errors are two lines on stderr, exit 2.

Typer vendors Click (`typer._click`) and does not export its exception classes or its
base command class; they are imported here, in one place, and Typer is pinned to the
range this was written and tested against (pyproject.toml).
"""

from __future__ import annotations

import difflib
import inspect
import shutil
import textwrap
from collections.abc import Callable, Iterable
from typing import Any

from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperCommand, TyperOption

MAX_WIDTH = 100


def width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


# --- placeholders -------------------------------------------------------------------------


def choices_of(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice:
        return []
    return [getattr(c, "value", c) for c in descriptor.choices or ()]


def placeholder(param: Any) -> str:
    """The word that stands for a value: the metavar given, else one from the type."""
    if param.metavar:
        return param.metavar
    if isinstance(param, TyperArgument) or choices_of(param):
        return (param.name or "value").upper()
    annotation = getattr(param.type_descriptor, "annotation", str)
    element = getattr(annotation, "__args__", (annotation,))[0] if param.multiple else annotation
    if element is int:
        return "N"
    if element is float:
        return "NUMBER"
    return "TEXT"


def option_label(param: Any) -> str:
    opts = sorted(param.opts, key=len)  # short form first: "-e, --email TEXT"
    label = ", ".join([*opts, *param.secondary_opts])
    if not (param.is_flag or param.count):
        label += f" {placeholder(param)}"
    return label


def option_help(param: Any) -> str:
    text = (param.help or "").strip()
    allowed = choices_of(param)
    if allowed:
        text = f"{text} One of: {', '.join(allowed)}.".strip()
    default = param.default
    if param.show_default and default not in (None, False, (), []) and not param.is_flag:
        shown = getattr(default, "value", default)
        text = f"{text} [default: {shown}]".strip()
    return text


def argument_label(param: Any) -> str:
    name = placeholder(param)
    if param.nargs == -1 and not name.endswith("..."):
        name += "..."
    return name


def usage_pieces(command: Any, ctx: Any) -> list[str]:
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            label = argument_label(param)
            pieces.append(label if param.required or label.startswith("[") else f"[{label}]")
    return pieces


# --- pages --------------------------------------------------------------------------------


def _definitions(rows: Iterable[tuple[str, str]], columns: int) -> list[str]:
    """Two columns: the term, then its text wrapped beside it (or below a long term)."""
    rows = list(rows)
    if not rows:
        return []
    term_width = min(max(len(term) for term, _ in rows), 28)
    text_width = max(20, columns - term_width - 6)
    lines = []
    for term, text in rows:
        wrapped = textwrap.wrap(text, text_width) or [""]
        if len(term) > term_width:
            lines.append(f"  {term}")
            lines.extend(f"  {'':<{term_width}}  {part}" for part in wrapped)
        else:
            lines.append(f"  {term:<{term_width}}  {wrapped[0]}".rstrip())
            lines.extend(f"  {'':<{term_width}}  {part}" for part in wrapped[1:])
    return lines


def _description(command: Any, columns: int) -> list[str]:
    """The docstring: its paragraphs wrapped to the terminal, its indented lines (the
    examples) as written."""
    lines: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            lines.extend(textwrap.wrap(" ".join(paragraph), columns - 2, initial_indent="  ",
                                       subsequent_indent="  "))  # fmt: skip
            paragraph.clear()

    for line in inspect.cleandoc(command.help or "").splitlines():
        if not line.strip():
            flush()
            lines.append("")
        elif line.startswith(" ") or line.strip() == "Examples:":
            flush()
            lines.append(f"  {line}".rstrip())
        else:
            paragraph.append(line.strip())
    flush()
    return lines


def command_page(command: Any, ctx: Any) -> str:
    columns = width()
    lines = [f"Usage: {ctx.command_path} {' '.join(usage_pieces(command, ctx))}".rstrip(), ""]
    description = _description(command, columns)
    if description:
        lines += [*description, ""]
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [(argument_label(p), (p.help or "").strip()) for p in params if isinstance(p, TyperArgument)]
    options = [(option_label(p), option_help(p)) for p in params if isinstance(p, TyperOption)]
    for title, rows in (("Arguments", arguments), ("Options", options)):
        if rows:
            lines += [f"{title}:", *_definitions(rows, columns), ""]
    return "\n".join(lines).rstrip() + "\n"


def group_page(group: Any, ctx: Any, panels: list[str]) -> str:
    """A group's page: its options, then its commands under their panels' titles."""
    columns = width()
    page = command_page(group, ctx).rstrip().splitlines()
    page[0] = f"Usage: {ctx.command_path} [OPTIONS] COMMAND [ARGS]..."
    by_panel: dict[str, list[tuple[str, str]]] = {}
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is None or sub.hidden:
            continue
        panel = getattr(sub, "rich_help_panel", None) or "Commands"
        summary = inspect.cleandoc(sub.help or "").split("\n\n", 1)[0]
        by_panel.setdefault(panel, []).append((name, " ".join(summary.split())))
    order = [p for p in panels if p in by_panel] + [p for p in by_panel if p not in panels]
    for panel in order:
        page += ["", f"{panel}:", *_definitions(by_panel[panel], columns)]
    epilog = inspect.cleandoc(group.epilog or "")
    if epilog:
        page += ["", *textwrap.wrap(epilog, columns)]
    return "\n".join(page) + "\n"


# --- usage errors -------------------------------------------------------------------------


def _hint(param: Any) -> str:
    if param is None:
        return ""
    if isinstance(param, TyperArgument):
        return argument_label(param)
    return max(param.opts, key=len)


def _number(value: float) -> str:
    """1000000 as 1,000,000, 1.5 as 1.5."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _quoted(value: Any) -> str:
    from netlog.errors import quote

    return quote(value)


def usage_message(exc: Any) -> str:
    """One line that says what was wrong with the command line."""
    if isinstance(exc, click_errors.BadParameter) and not isinstance(exc, click_errors.MissingParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else _hint(exc.param)
        cause = exc.__cause__
        errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
        if errors:
            got = _quoted(errors[0].get("input", ""))
            allowed = choices_of(exc.param)
            low, high = getattr(exc.param, "min", None), getattr(exc.param, "max", None)
            kind = str(errors[0].get("type", ""))
            if allowed:
                return f"{hint} must be one of {', '.join(allowed)} (got {got})."
            if kind.startswith(("greater_than", "less_than")) and low is not None and high is not None:
                return f"{hint} must be from {_number(low)} to {_number(high)} (got {got})."
            if kind.startswith("greater_than") and low is not None:
                return f"{hint} must be at least {_number(low)} (got {got})."
            if kind.startswith(("int_", "float_")):
                number = "a whole number" if kind.startswith("int_") else "a number"
                return f"{hint} must be {number} (got {got})."
            message = str(errors[0].get("msg", exc.message)).removeprefix("Value error, ")
        else:
            message = exc.message
        message = message.rstrip(".")
        return f"{message}." if not hint or hint in message else f"{hint}: {message}."
    if isinstance(exc, click_errors.MissingParameter):
        hint = _hint(exc.param) or "a value"
        meaning = (getattr(exc.param, "help", None) or "").strip().rstrip(".")
        return f"Missing {hint}" + (f" ({meaning[:1].lower()}{meaning[1:]})." if meaning else ".")
    if isinstance(exc, click_errors.NoSuchOption):
        typed = exc.option_name
        close = " or ".join(
            sorted(
                p for p in exc.possibilities or () if difflib.SequenceMatcher(None, typed, p).ratio() >= 0.7
            )
        )
        return f"No such option: {exc.option_name}." + (f" Did you mean {close}?" if close else "")
    return exc.format_message()


def report_usage_error(exc: Any, echo: Callable[[str], None]) -> int:
    """Print a usage error as one or two plain lines; returns the exit status (2)."""
    ctx = getattr(exc, "ctx", None)
    echo(f"Error: {usage_message(exc)}")
    if ctx is not None:
        echo(f"Run '{ctx.command_path} --help' to see the options.")
    return exc.exit_code


def is_usage_error(exc: BaseException) -> bool:
    return isinstance(exc, click_errors.UsageError)


def is_click_error(exc: BaseException) -> bool:
    return isinstance(exc, click_errors.ClickException)


def needs_help_page(exc: BaseException) -> bool:
    return isinstance(exc, click_errors.NoArgsIsHelpError)


class NetlogCommand(TyperCommand):
    """A sub-command with netlog's plain help page, usage line and `--db` option."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from netlog.cli.app import db_option

        self.params.insert(len(self.params), db_option())

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return usage_pieces(self, ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(command_page(self, ctx))
