"""Commands that compare the spec with AWS: ``plan`` (and, with it, the plan file)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orgstack.cli.common import AwsArgs, aws_options, console, format_option, spec_option
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
@click.option(
    "--allow-close",
    is_flag=True,
    help="Close accounts orgstack made that left the spec (within AWS's quota), not only park.",
)
@click.option(
    "--allow-delete",
    is_flag=True,
    help="Delete what orgstack made that left the spec (roles, permission sets, contacts…).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="ADDRESS",
    help="Plan only this (repeatable): account:NAME, ou:PATH with everything below it, or a "
    "policy (scp:NAME…). Reads only what it needs; apply refuses anything else.",
)
@click.option(
    "--valid-for",
    "valid_hours",
    type=click.FloatRange(min=0.1, max=168),
    default=4,
    show_default=True,
    metavar="HOURS",
    help="How long the saved plan may wait for its apply; apply refuses it after.",
)
def plan(
    spec_path: str | None,
    aws: AwsArgs,
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
    allow_close: bool,
    allow_delete: bool,
    targets: tuple[str, ...],
    valid_hours: float,
) -> int:
    """Show what would change to make AWS match the spec (read-only)."""
    from orgstack import api
    from orgstack.plan.planfile import plan_to_dict, write_plan
    from orgstack.report.plan_text import to_text

    spec = spec_path or "orgstack.yaml"
    result = api.make_plan(
        spec_path,
        aws.options(),
        allow_close=allow_close,
        allow_delete=allow_delete,
        targets=targets,
    )
    data = plan_to_dict(result.plan, spec, valid_hours=valid_hours)
    if out is not None:
        from orgstack.errors import writing

        with writing(out):
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
    aws.finish(result.context)
    if result.plan.blocked:
        return int(ExitCode.ERROR)
    if detailed_exitcode and not result.plan.empty:
        return int(ExitCode.CHANGES)
    return int(ExitCode.OK)


@click.command(name="import")
@aws_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("orgstack.yaml"),
    show_default=True,
)
@click.option("--name", help="Organization name for the spec [default: the organization id].")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def import_command(
    aws: AwsArgs,
    output: Path,
    name: str | None,
    force: bool,
) -> None:
    """Write a spec that reproduces the live organization (policies under policies/)."""
    from orgstack import api
    from orgstack.report.tree import summary

    result = api.import_organization(output, aws.options(), name=name, force=force)
    click.echo(
        f"Wrote {output} ({summary(result.model)}) and {len(result.written) - 1} more files."
    )
    if result.sections:
        click.echo(f"Sections found in AWS: {', '.join(result.sections)}.")
    for note in result.not_imported:
        click.echo(f"Not imported: {note}.")
    click.echo(
        f"Next: review the guessed purposes and stages in {output}, then "
        f"`orgstack plan -f {output}` (no changes expected)."
    )
    aws.finish(result.context)


@click.command()
@spec_option
@aws_options
@format_option("text", "json")
@click.option(
    "--adopt", is_flag=True, help="Rewrite the spec to accept the live values (comments kept)."
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 without drift, 2 with drift.")
def drift(
    spec_path: str | None,
    aws: AwsArgs,
    output_format: str,
    adopt: bool,
    detailed_exitcode: bool,
) -> int:
    """List each difference between the spec and AWS, with where the spec declares it."""
    from orgstack import api

    result = api.drift(spec_path, aws.options(), adopt=adopt)
    if output_format == "json":
        data = [
            {
                "address": i.address,
                "what": i.what,
                "spec": i.spec,
                "live": i.live,
                "origin": str(i.origin) if i.origin else None,
                **({"diff": list(i.diff)} if i.diff else {}),
            }
            for i in result.items
        ]
        click.echo(
            json.dumps(
                {
                    "format_version": 1,
                    "drift": data,
                    "adopted": result.written,
                    "skipped": result.skipped,
                },
                indent=2,
            )
        )
    else:
        for item in result.items:
            origin = f"  ({item.origin})" if item.origin else ""
            click.echo(f"{item.address}: {item.what}: spec {item.spec}, live {item.live}{origin}")
            for line in item.diff:
                click.echo(f"    {line}")
        count = len(result.items)
        plural = "difference" if count == 1 else "differences"
        click.echo(f"{count} {plural}." if count else "No drift: AWS matches the spec.")
        for file in result.written:
            click.echo(f"Adopted the live values into {file}.")
        for note in result.skipped:
            click.echo(f"Not adopted: {note}")
    aws.finish(result.context)
    return int(ExitCode.CHANGES if detailed_exitcode and result.items else ExitCode.OK)
