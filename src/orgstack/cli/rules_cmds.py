"""Commands that judge a spec or the live organization: ``validate``, ``rules``, ``guardrails``,
``audit`` and ``isolation``."""

from __future__ import annotations

import json
from typing import Any

import click

from orgstack.cli.common import AwsArgs, aws_options, format_option, spec_option
from orgstack.errors import ExitCode


def _patterns(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


@click.command()
@spec_option
@format_option("text", "json", "sarif")
@click.option(
    "--select",
    multiple=True,
    metavar="PATTERNS",
    help="Run only these rules (ids, globs like LZ1*, names, categories; comma-separated).",
)
@click.option(
    "--ignore", multiple=True, metavar="PATTERNS", help="Skip these rules (same patterns)."
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
def validate(
    spec_path: str | None,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output: str | None,
) -> int:
    """Check the spec against AWS limits and best practices, offline.

    Exit 0 when there is no error-severity finding, 1 otherwise.
    """
    from orgstack import api
    from orgstack.errors import SpecError

    try:
        report = api.validate(spec_path, _patterns(select), _patterns(ignore))
    except SpecError as exc:
        if exc.report is not None:  # the rules on the rest of the spec, then the problems
            _emit(exc.report, output_format, output)
        raise
    _emit(report, output_format, output)
    return int(ExitCode.ERROR if report.failed else ExitCode.OK)


@click.command()
@spec_option
@aws_options
@format_option("text", "json", "sarif")
@click.option("--select", multiple=True, metavar="PATTERNS", help="Run only these rules.")
@click.option("--ignore", multiple=True, metavar="PATTERNS", help="Skip these rules.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
def audit(
    spec_path: str | None,
    aws: AwsArgs,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output: str | None,
) -> int:
    """Check the live organization against the same rules (read-only).

    With a spec (-f, or ./orgstack.yaml), accounts are judged with the purposes and stages it
    declares; without one, with what their names suggest. Exit 1 on error-severity findings.
    """
    from orgstack import api

    report, context = api.audit(spec_path, aws.options(), _patterns(select), _patterns(ignore))
    _emit(report, output_format, output)
    aws.finish(context)
    return int(ExitCode.ERROR if report.failed else ExitCode.OK)


def _emit(report: Any, output_format: str, output: str | None) -> None:
    from orgstack.report import findings

    if output_format == "text":
        text = findings.to_text(report)
    else:
        data = findings.to_sarif(report) if output_format == "sarif" else findings.to_json(report)
        text = json.dumps(data, indent=2) + "\n"
    if output:
        from orgstack.errors import writing

        with writing(output), open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(findings.summary_line(report), err=True)
    else:
        click.echo(text, nl=False)


@click.command(name="rules")
@format_option("text", "markdown", "json")
def rules_command(output_format: str) -> None:
    """List every rule: id, severity, name and what it checks."""
    from orgstack.report import rules_doc
    from orgstack.rules.registry import all_rules

    rules = all_rules()
    if output_format == "markdown":
        click.echo(rules_doc.to_markdown(rules), nl=False)
    elif output_format == "json":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "category": r.category,
                "severity": r.severity.value,
                "summary": r.summary,
                "rationale": r.rationale,
                "remediation": r.remediation,
                "doc_url": r.doc_url,
            }
            for r in rules
        ]
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(rules_doc.to_lines(rules), nl=False)


@click.command(name="guardrails")
@click.argument("name", required=False)
@format_option("text", "json")
def guardrails_command(name: str | None, output_format: str) -> None:
    """List the guardrail library (policies refer to it with `guardrails: [NAME]`), or show
    one guardrail: why it exists, its parameters and its document."""
    from orgstack.errors import UsageError
    from orgstack.spec.guardrails import library
    from orgstack.spec.messages import did_you_mean

    found = library()
    if name is not None and name not in found:
        raise UsageError(
            f"no guardrail '{name}'{did_you_mean(name, list(found))}",
            "`orgstack guardrails` lists them.",
        )
    chosen = [found[name]] if name else list(found.values())
    if output_format == "json":
        data = [
            {
                "name": g.name,
                "version": g.version,
                "type": g.type,
                "purpose": g.purpose,
                "why": g.why,
                "source": g.source,
                "parameters": {
                    p.name: {"description": p.description, "from": p.source, "default": p.default}
                    for p in g.parameters.values()
                },
                "document": g.document,
            }
            for g in chosen
        ]
        click.echo(json.dumps(data, indent=2))
        return
    if name is None:
        width = max(len(g.name) for g in chosen)
        for g in chosen:
            click.echo(f"{g.name:<{width}}  v{g.version}  {g.type:<15}  {g.purpose}")
        click.echo(f"{len(chosen)} guardrails; `orgstack guardrails NAME` shows one.")
        return
    g = chosen[0]
    click.echo(f"{g.name} v{g.version} ({g.type}): {g.purpose}")
    click.echo(f"Why: {g.why}")
    click.echo(f"Source: {g.source}")
    for p in g.parameters.values():
        origin = f"from {p.source}" if p.source else f"default {p.default}"
        click.echo(f"Parameter {p.name}: {p.description} ({origin})")
    click.echo(json.dumps(g.document, indent=2))


@click.command()
@spec_option
@aws_options
@format_option("text", "json", "sarif")
@click.option(
    "--offline", is_flag=True, help="Judge what the spec itself opens (its segments); no AWS call."
)
@click.option(
    "--target", metavar="account:NAME", help="Only the paths into one account (read there)."
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
def isolation(
    spec_path: str | None,
    aws: AwsArgs,
    output_format: str,
    offline: bool,
    target: str | None,
    output: str | None,
) -> int:
    """Every path from one stage into another (role trust, resource policies, RAM shares,
    peerings, Transit Gateway routes) that isolation.allow in the spec does not allow.

    Exit 0 when there is none, 1 otherwise.
    """
    from orgstack import api
    from orgstack.report import isolation as rendered

    result = api.isolation_offline(spec_path) if offline else api.isolation(
        spec_path, aws.options(), target
    )  # fmt: skip
    if output_format == "text":
        text = rendered.to_text(result)
    else:
        data = rendered.to_sarif(result) if output_format == "sarif" else rendered.to_json(result)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output:
        from orgstack.errors import writing

        with writing(output), open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(text.strip().splitlines()[-1] if output_format == "text" else output, err=True)
    else:
        click.echo(text, nl=False)
    if result.context is not None:
        aws.finish(result.context)
    return int(ExitCode.ERROR if result.found else ExitCode.OK)
