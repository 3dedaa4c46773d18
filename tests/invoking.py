"""The tests run the CLI in-process thousands of times; Typer builds its Click command
from the app on every run (about 25 ms, every option of every command). `share_one_build`
makes Typer's test runner build it once per app and reuse it; each run still gets its
own context, parsing and state, as a process would.
"""

from __future__ import annotations

from typing import Any

import typer.testing


def share_one_build() -> None:
    build = typer.testing._get_command
    if getattr(build, "shared", False):
        return
    built: dict[int, Any] = {}

    def get_command(app: Any) -> Any:
        if id(app) not in built:
            built[id(app)] = (app, build(app))  # the app kept too, so its id stays its own
        return built[id(app)][1]

    get_command.shared = True  # type: ignore[attr-defined]
    typer.testing._get_command = get_command
