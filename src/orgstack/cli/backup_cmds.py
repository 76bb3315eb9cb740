"""``orgstack backup status``: the copies in the central vault, per covered account."""

from __future__ import annotations

import json

import click

from orgstack.cli.common import AwsArgs, aws_options, format_option, spec_option


@click.group()
def backup() -> None:
    """The backup account's central vault (the spec's backup: section)."""


@backup.command()
@spec_option
@aws_options
@format_option("text", "json")
@click.option(
    "--hours",
    type=click.FloatRange(min=0, min_open=True),
    default=24.0,
    show_default=True,
    help="An account with tagged resources and no copy this recent needs attention.",
)
def status(spec_path: str | None, aws: AwsArgs, output_format: str, hours: float) -> int:
    """Per covered account: tagged resources, the newest copy in the central vault and its
    age, failed copy jobs. Exit 1 when an account needs attention (for monitoring)."""
    from orgstack import api
    from orgstack.errors import ExitCode

    report, context = api.backup_status(spec_path, aws.options(), hours)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(
            f"Central vault {report.vault} in {report.backup_account} "
            f"({', '.join(report.regions)}), last {report.window_hours:g} hours:"
        )
        width = max((len(a.account) for a in report.accounts), default=7)
        for a in report.accounts:
            age = (
                f"{a.newest_copy_age_hours:g} h ago"
                if a.newest_copy_age_hours is not None
                else "never"
            )
            click.echo(
                f"  {a.account:<{width}}  {a.status:<14}  tagged {a.tagged_resources:>3}  "
                f"copies {a.copies_in_window:>3}  newest copy {age}"
            )
            for job in a.failed_copy_jobs:
                click.echo(
                    f"      failed copy {job['copy_job']} ({job['region']}): {job['message']}"
                )
        attention = report.attention
        click.echo(
            f"{len(attention)} of {len(report.accounts)} accounts need attention."
            if attention
            else f"All {len(report.accounts)} accounts have recent copies or nothing to back up."
        )
    aws.finish(context)
    return int(ExitCode.ERROR if report.attention else ExitCode.OK)
