"""Options and output helpers shared by the commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])


def spec_option(func: F) -> F:
    return click.option(
        "-f",
        "--file",
        "spec_path",
        metavar="PATH",
        default=None,
        help="Spec file or directory [default: ./orgstack.yaml, else ./orgstack/].",
    )(func)


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def console(stderr: bool = False) -> Console:
    """A rich console: colour only on a terminal, NO_COLOR respected."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream,
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        soft_wrap=True,
    )
