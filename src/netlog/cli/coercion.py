"""Option values read without pydantic.

Typer (0.29) checks every command-line value through a pydantic TypeAdapter; importing
pydantic is a quarter of a report's start-up (about 55 ms of 230 on a 2-core machine).
netlog's options are few kinds: text, whole numbers in a range, numbers, choices from an
Enum, and lists of those. `install()` has Typer ask here first when it builds a
parameter's checker (lazily, when it first reads a value); anything else keeps Typer's
own. A bad value raises the BadParameter
Typer raises, with the same error details, so cli/helptext.py words it the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from types import UnionType
from typing import Any, Union, get_args, get_origin

from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam
from typer._param_types import coerce_cli_choice

_INT = re.compile(r"\s*[+-]?[0-9]+\s*", re.ASCII)
_FLOAT = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*", re.ASCII)


class Invalid(ValueError):
    """What a bad value was, in the shape of pydantic's error details."""

    def __init__(self, kind: str, value: Any) -> None:
        super().__init__(kind)
        self.details = [{"type": kind, "input": value, "msg": f"{value!r} is not valid"}]

    def errors(self) -> list[dict[str, Any]]:
        return self.details


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    check: Callable[[Any], Any]

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return self.check(value)
        except Invalid as exc:
            raise BadParameter(exc.details[0]["msg"], ctx=ctx, param=param) from exc


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    raise Invalid("string_type", value)


_BOOLS = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


def _bool(value: Any) -> bool:
    """Flags arrive as bools; a value from elsewhere as pydantic reads one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOLS:
        return _BOOLS[value.strip().lower()]
    raise Invalid("bool_parsing", value)


def _ranged(number: Callable[[Any], Any], low: Any, high: Any) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        result = number(value)
        if low is not None and result < low:
            raise Invalid("greater_than_equal", value)
        if high is not None and result > high:
            raise Invalid("less_than_equal", value)
        return result

    return check


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INT.fullmatch(value):
        return int(value)
    raise Invalid("int_parsing", value)


def _float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _FLOAT.fullmatch(value):
        result = float(value)
        if math.isfinite(result):
            return result
    raise Invalid("float_parsing", value)


def _choice(kind: type[Enum], case_sensitive: bool) -> Callable[[Any], Any]:
    choices = tuple(kind)

    def check(value: Any) -> Any:
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive)
        except ValueError:
            raise Invalid("enum", value) from None

    return check


def _each(one: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check(values: Any) -> list[Any]:
        return [one(value) for value in values]

    return check


def _checker(annotation: Any, info: Any) -> Callable[[Any], Any] | None:
    """A checker for one value of this annotation, or None to leave it to Typer."""
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    args = get_args(annotation)
    if get_origin(annotation) in (Union, UnionType):
        rest = [a for a in args if a is not type(None)]
        return _checker(rest[0], info) if len(rest) == 1 else None
    if annotation is str:
        return _text
    if annotation is bool:
        return _bool
    if annotation is int:
        return _ranged(_int, info.min, info.max)
    if annotation is float:
        return _ranged(_float, info.min, info.max)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, info.case_sensitive)
    return None


def plain_runtime_param(descriptor: Any) -> RuntimeParam | None:
    """A checker for a parameter of a kind netlog uses, or None for Typer's own."""
    if descriptor.file_annotation is not None:
        return None
    annotation, info = descriptor.annotation, descriptor.parameter_info
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        if len(rest) == 1 and get_origin(rest[0]) is list:
            annotation, origin = rest[0], list
    if origin is list:
        (inner,) = get_args(annotation) or (None,)
        one = _checker(inner, info)
        if one is None:
            return None
        check = _each(one)
    else:
        plain = _checker(annotation, info)
        if plain is None:
            return None
        check = plain
    return PlainRuntimeParam(annotation=descriptor.annotation, parameter_info=info, check=check)


def install() -> None:
    """From now on, Typer asks netlog first how to check a parameter's values (Typer
    builds each parameter's checker when it first reads a value for it, help options
    included)."""
    import typer.core

    typers_own = typer.core.build_runtime_param
    if getattr(typers_own, "netlog", False):
        return

    def build_runtime_param(descriptor: Any) -> RuntimeParam:
        return plain_runtime_param(descriptor) or typers_own(descriptor)

    build_runtime_param.netlog = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build_runtime_param
