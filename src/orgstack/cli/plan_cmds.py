"""Commands that compare the spec with AWS: ``plan`` (and, with it, the plan file)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orgstack.cli.common import aws_options, console, format_option, make_options, spec_option
from orgstack.errors import ExitCode


@click.command()
@spec_option
@aws_options
@format_option("text", "json")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan file for `orgstack apply`.",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 0 when there are no changes, 2 when there are."
)
def plan(
    spec_path: str | None,
    sandbox: bool,
    profile: str | None,
    region: str | None,
    rate: float | None,
    workers: int,
    stats: bool,
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
) -> int:
    """Show what would change to make AWS match the spec (read-only)."""
    from orgstack import api
    from orgstack.plan.planfile import plan_to_dict, write_plan
    from orgstack.report.plan_text import to_text

    spec = spec_path or "orgstack.yaml"
    result = api.make_plan(spec_path, make_options(sandbox, profile, region, rate, workers))
    data = plan_to_dict(result.plan, spec)
    if out is not None:
        write_plan(out, data)
    if output_format == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        lines, _ = to_text(result.plan, spec)
        out_console = console()
        for style, text in lines:
            out_console.print(text, style=style or None, markup=False)
        if out is not None:
            out_console.print(
                f"Saved the plan to {out}; apply exactly it with `orgstack apply {out}`."
            )
    if stats:
        click.echo(result.context.stats.report(), err=True)
    if result.plan.blocked:
        return int(ExitCode.ERROR)
    if detailed_exitcode and not result.plan.empty:
        return int(ExitCode.CHANGES)
    return int(ExitCode.OK)
