"""Options and helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "frontlines.db"


def db_option(func: F) -> F:
    return click.option(
        "--db",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite database file (created if missing).",
    )(func)


def readonly_db_option(what: str) -> Callable[[F], F]:
    """``--db`` for commands that only read a database that must already exist."""

    def decorate(func: F) -> F:
        return click.option(
            "--db",
            default=DEFAULT_DB,
            show_default=True,
            type=click.Path(dir_okay=False),
            help=f"SQLite database {what} (opened read-only; it must exist).",
        )(func)

    return decorate
