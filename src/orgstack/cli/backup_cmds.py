"""``orgstack backup status``: the copies in the central vault, per covered account."""

from __future__ import annotations

import json
from typing import Any

import click

from orgstack.cli.common import AwsArgs, aws_options, format_option, spec_option


def _details(a: Any) -> list[str]:
    """What an account's status line does not say: why it needs attention."""
    lines = [] if a.in_spec else ["not in the spec: covered by the backup policy's OU"]
    if not a.role:
        lines.append("no service role: every backup job of the policy fails")
    if a.vaults_missing:
        lines.append(f"no local vault in {', '.join(a.vaults_missing)}: backup jobs there fail")
    lines += [
        f"cannot be copied ({s['region']}): {s['resource']}: {s['why']}" for s in a.unshareable
    ]
    lines += [
        f"failed backup {job['backup_job']} ({job['region']}): {job['message']}"
        for job in a.failed_backup_jobs
    ]
    lines += [
        f"failed copy {job['copy_job']} ({job['region']}): {job['message']}"
        for job in a.failed_copy_jobs
    ]
    return lines


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
    """Per covered account (the spec's and any other below a targeted OU): whether it has the
    service role and its local vaults, tagged resources and those no copy can leave with (an
    AWS managed key), the newest copy in the central vault and its age, failed backup and copy
    jobs. Exit 1 when an account needs attention (for monitoring)."""
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
                f"  {a.account:<{width}}  {a.status:<15}  tagged {a.tagged_resources:>3}  "
                f"copies {a.copies_in_window:>3}  newest copy {age}"
            )
            for line in _details(a):
                click.echo(f"      {line}")
        attention = report.attention
        click.echo(
            f"{len(attention)} of {len(report.accounts)} accounts need attention."
            if attention
            else f"All {len(report.accounts)} accounts have recent copies or nothing to back up."
        )
    aws.finish(context)
    return int(ExitCode.ERROR if report.attention else ExitCode.OK)
