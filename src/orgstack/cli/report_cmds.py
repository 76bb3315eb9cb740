"""``orgstack diagram`` and ``orgstack report``: the organization as a picture and one page."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from orgstack.cli.common import AwsArgs, aws_options, format_option, spec_option
from orgstack.errors import ExitCode, UsageError

PLAN_HELP = "Mark what this saved plan changes (from `orgstack plan -o FILE`)."


def _document(
    spec_path: str | None, aws: AwsArgs, live: bool, changes: bool, plan_file: str | None
) -> Any:
    from orgstack.flows.reporting import document

    if plan_file and (live or changes):
        raise UsageError(
            "--plan is a saved plan's changes; --live and --changes read AWS instead",
            "Give one of them.",
        )
    options = aws.options() if (live or changes) else None
    report = document(
        spec_path,
        options,
        live=live,
        changes=changes,
        plan_file=Path(plan_file) if plan_file else None,
    )
    if report.context is not None:
        aws.finish(report.context)
    return report.document


def _write(data: bytes, output: str | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(output)
    if path.exists() and not path.is_file():
        # A device, a FIFO, a terminal: write into it; renaming over it would replace it
        # (as root, /dev/null became a regular file).
        with path.open("wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


@click.command()
@spec_option
@aws_options
@format_option("mermaid", "svg", "png", "dot")
@click.option("--live", is_flag=True, help="Draw the live organization (read-only), not the spec.")
@click.option(
    "--changes", is_flag=True, help="Draw the spec and mark what a plan against AWS changes."
)
@click.option("--plan", "plan_file", metavar="FILE", help=PLAN_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file.")
def diagram(
    spec_path: str | None,
    aws: AwsArgs,
    output_format: str,
    live: bool,
    changes: bool,
    plan_file: str | None,
    output: str | None,
) -> int:
    """Draw the organization: root, OUs with their guardrails, accounts coloured by purpose and
    outlined by stage, and the switch-role, log, backup and delegated-admin relations.

    \b
    mermaid (default) renders on GitHub and GitLab; svg and png are laid out by Graphviz's
    `dot`, which must be on PATH. From the spec offline; --live from AWS; --changes or
    --plan FILE marks what a plan changes.
    """
    from orgstack.flows.reporting import diagram as draw

    if live and changes:
        raise UsageError("--live and --changes: give one", "--changes draws the spec with a plan.")
    if output_format == "png" and output is None and sys.stdout.isatty():
        raise UsageError("--format png writes binary data", "Give -o FILE.png.")
    doc = _document(spec_path, aws, live, changes, plan_file)
    _write(draw(doc, output_format), output)
    if output and output != "-":
        click.echo(f"Wrote the diagram to {output}.", err=True)
    return int(ExitCode.OK)


@click.command()
@spec_option
@aws_options
@click.option(
    "--live",
    is_flag=True,
    help="Add the plan against the live organization and the rules on it (read-only).",
)
@click.option("--plan", "plan_file", metavar="FILE", help=PLAN_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="orgstack-report.html",
    show_default=True,
    help="The HTML file to write.",
)
@format_option("html", "json")
def report(
    spec_path: str | None,
    aws: AwsArgs,
    live: bool,
    plan_file: str | None,
    output: str,
    output_format: str,
) -> int:
    """Write one self-contained HTML page to share: the diagram, the accounts, OUs and
    guardrails, the plan, the findings with their fixes, the access matrix and each user's
    roles, and the logging, security and backup set-up. --format json writes the data the
    page is made from."""
    from orgstack.flows.reporting import html_report
    from orgstack.report.json import dumps

    doc = _document(spec_path, aws, False, live, plan_file)
    text = html_report(doc) if output_format == "html" else dumps(doc)
    _write(text.encode(), output)
    click.echo(f"Wrote the report to {output}.")
    return int(ExitCode.OK)
