"""Options and output helpers shared by the commands."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class AwsArgs:
    """The AWS options of a command, as one value."""

    sandbox: bool
    profile: str | None
    region: str | None
    rate: float | None
    workers: int
    stats: bool

    def options(self) -> Any:
        from orgstack.aws.context import AwsOptions

        remember = None
        if not self.sandbox:
            from orgstack.sandbox.state import state_dir

            remember = str(state_dir() / "rates.json")
        return AwsOptions(
            profile=self.profile,
            region=self.region,
            sandbox=self.sandbox,
            max_workers=self.workers,
            rate=self.rate,
            remember=remember,
        )

    def finish(self, context: Any) -> None:
        """After a command's AWS work: keep the rates learned; with --stats, print the calls
        and the rate each API family reached."""
        context.remember_rates()
        if self.stats:
            click.echo(context.report(), err=True)


AWS_OPTION_NAMES = ("sandbox", "profile", "region", "rate", "workers", "stats")


def aws_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Adds --sandbox, --profile, --region, --rate, --workers and --stats, handed to the
    command as one ``aws: AwsArgs`` argument."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        aws = AwsArgs(**{name: kwargs.pop(name) for name in AWS_OPTION_NAMES})
        return func(*args, aws=aws, **kwargs)

    options = [
        click.option(
            "--sandbox", is_flag=True, help="Use the local sandbox (`orgstack sandbox start`)."
        ),
        click.option("--profile", help="AWS profile (else the standard credential chain)."),
        click.option(
            "--region", help="AWS Region for regional services (Organizations is global)."
        ),
        click.option(
            "--rate",
            type=click.FloatRange(min=0, min_open=True),
            callback=_finite,
            help="Most requests per second per API family; below it the rate adapts to AWS's "
            "throttling [default: adaptive, from 20/s for Organizations].",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1, 64),
            default=8,
            show_default=True,
            help="Concurrent AWS calls.",
        ),
        click.option("--stats", is_flag=True, help="Print AWS calls per operation and wall time."),
    ]
    decorated: Callable[..., Any] = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def _finite(_ctx: click.Context, _param: click.Parameter, value: float | None) -> float | None:
    """Refuse nan and inf, which pass a range check (every comparison with nan is false)."""
    import math

    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of requests per second; e.g. 20")
    return value
