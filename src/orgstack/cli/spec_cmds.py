"""Commands that work on the spec alone: ``init``, ``show``, ``schema``."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from orgstack.cli.common import console, format_option, spec_option
from orgstack.errors import UsageError
from orgstack.spec.layouts import BLUEPRINTS, LAYOUTS, SIZE_TO_LAYOUT

if TYPE_CHECKING:
    from orgstack.spec.blueprints import BusinessUnit

WORD = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
#: An IAM role name (the spec's organization.access_role).
ROLE = re.compile(r"^[\w+=,.@-]{1,64}$")


def _words(option: str, text: str, pattern: re.Pattern[str] = WORD) -> tuple[str, ...]:
    words = tuple(w.strip() for w in text.split(",") if w.strip())
    bad = [w for w in words if not pattern.match(w)]
    if not words or bad:
        region = pattern is REGION
        what = "a Region name" if region else "a comma-separated list of lower-case words"
        example = "eu-central-1,eu-west-1" if region else "dev,qa,prod"
        raise UsageError(
            f"{option}: {', '.join(repr(b) for b in bad) or 'nothing given'} is not {what}",
            f"For example: {option} {example}",
        )
    if len(set(words)) != len(words):
        raise UsageError(f"{option}: a word is listed twice in {text!r}")
    return words


#: The answers that mean "no workloads yet" for ``--teams`` and ``--business-units``.
NONE = ("-", "none")


def _teams(text: str) -> tuple[str, ...]:
    """``web,mobile`` → the teams; ``-`` (or ``none``) → no workload accounts yet."""
    if text.strip().lower() in NONE:
        return ()
    return _words("--teams", text)


def _business_units(text: str) -> tuple[BusinessUnit, ...]:
    """``retail=web,mobile;wholesale=orders`` → business units with their teams;
    ``-`` (or ``none``) → none yet."""
    from orgstack.spec.blueprints import BusinessUnit

    if text.strip().lower() in NONE:
        return ()
    units = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        name, sep, teams = part.partition("=")
        if not sep or not WORD.match(name.strip()):
            raise UsageError(
                f"--business-units: {part!r} is not NAME=team,team",
                "For example: --business-units 'retail=web,mobile;wholesale=orders'",
            )
        units.append(BusinessUnit(name.strip(), _words("--business-units", teams)))
    if not units:
        raise UsageError("--business-units: nothing given")
    return tuple(units)


def _check_domain(domain: str) -> str:
    if not DOMAIN.match(domain):
        raise UsageError(
            f"--domain: {domain!r} is not a domain name", "For example: --domain example.com"
        )
    return domain


class _Questions:
    """``init``'s questions: a flag's value when given, else the answer (or the default
    without a terminal); a wrong answer is explained and asked again, a wrong flag is an
    error."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive

    def ask(
        self, value: str | None, question: str, default: str, check: Callable[[str], object] = str
    ) -> str:
        if value is not None or not self.interactive:
            answer = default if value is None else value
            check(answer)
            return answer
        while True:
            answer = str(click.prompt(question, default=default))
            try:
                check(answer)
            except UsageError as exc:
                click.echo(f"  {exc.message}. {exc.hint}".rstrip(), err=True)
                continue
            return answer

    def confirm(self, value: bool | None, question: str, default: bool) -> bool:
        if value is not None:
            return value
        return click.confirm(question, default=default) if self.interactive else default


@click.command()
@click.option(
    "--blueprint", type=click.Choice(BLUEPRINTS), help="Write this blueprint; ask nothing."
)
@click.option("--name", help="Organization name.")
@click.option("--domain", help="E-mail domain for root addresses (aws+<account>@DOMAIN).")
@click.option("--home-region", help="Home Region, e.g. eu-central-1.")
@click.option("--regions", help="Other allowed Regions, comma-separated.")
@click.option(
    "--size",
    type=click.Choice(list(SIZE_TO_LAYOUT)),
    help="small → minimal, medium → standard, large → enterprise.",
)
@click.option(
    "--teams", help="Teams (one workload each), comma-separated; '-' for no workloads yet."
)
@click.option(
    "--business-units",
    help="Business units with teams: 'retail=web,mobile;wholesale=orders'; '-' for none yet.",
)
@click.option("--stages", help="Stages per workload, comma-separated [default: dev,qa,prod].")
@click.option("--build/--no-build", default=None, help="Builds run in AWS (Build tools account).")
@click.option(
    "--network/--no-network",
    default=None,
    help="On-premise or advanced networking (Network account).",
)
@click.option("--backup/--no-backup", default=None, help="A separate Backup account for copies.")
@click.option("--sandboxes/--no-sandboxes", default=None, help="Sandbox accounts for experiments.")
@click.option(
    "--identity",
    type=click.Choice(["iam", "identity-center"]),
    help="How people sign in: IAM users who switch role, or IAM Identity Center [default: iam].",
)
@click.option(
    "--access-role",
    help="The role orgstack assumes in member accounts, guarded by the protect-access-role "
    "SCP [default: OrganizationAccountAccessRole].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("orgstack.yaml"),
    show_default=True,
)
@click.option("--schema-ref", help="Path or URL of the JSON Schema for the editor comment.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask questions [default: on a terminal, unless --blueprint].",
)
def init(
    blueprint: str | None,
    name: str | None,
    domain: str | None,
    home_region: str | None,
    regions: str | None,
    size: str | None,
    teams: str | None,
    business_units: str | None,
    stages: str | None,
    build: bool | None,
    network: bool | None,
    backup: bool | None,
    sandboxes: bool | None,
    identity: str | None,
    access_role: str | None,
    output: Path,
    schema_ref: str | None,
    force: bool,
    interactive: bool | None,
) -> None:
    """Write a commented orgstack.yaml from a blueprint or a few questions."""
    from orgstack import api
    from orgstack.spec.blueprints import BusinessUnit, preset

    if interactive is None:
        interactive = blueprint is None and sys.stdin.isatty()
    layout = LAYOUTS[blueprint] if blueprint else (SIZE_TO_LAYOUT[size] if size else None)
    if interactive and layout is None:
        size = click.prompt(
            "Company size (small: one team; medium: a few teams; large: business units)",
            type=click.Choice(list(SIZE_TO_LAYOUT)),
            default="small",
        )
        layout = SIZE_TO_LAYOUT[size]
    answers = preset(layout or "minimal")

    questions = _Questions(interactive)
    ask, confirm = questions.ask, questions.confirm

    name = ask(name, "Organization name", answers.name)
    domain = ask(domain, "E-mail domain for account root addresses", answers.domain, _check_domain)
    home = ask(
        home_region,
        "Home Region",
        answers.home_region,
        lambda text: _words("--home-region", text, REGION),
    )
    others = ask(
        regions,
        "Other allowed Regions (comma-separated, or -)",
        "-",
        lambda text: text.strip() in ("", "-") or _words("--regions", text, REGION),
    )
    answers = replace(
        answers,
        name=name,
        domain=domain,
        home_region=home,
        allowed_regions=() if others.strip() in ("", "-") else _words("--regions", others, REGION),
    )
    if answers.layout == "enterprise":
        default_bus = ";".join(f"{b.name}={','.join(b.teams)}" for b in answers.business_units)
        units = ask(
            business_units,
            "Business units and their teams (or - for none yet)",
            default_bus,
            _business_units,
        )
        answers = replace(answers, business_units=_business_units(units))
    elif business_units:
        raise UsageError(
            "--business-units needs the enterprise blueprint (or --size large)",
            "Use --teams instead.",
        )
    else:
        team_list = ask(
            teams, "Teams, one workload each (comma-separated, or - for none yet)", "app", _teams
        )
        team_names = _teams(team_list)
        answers = replace(
            answers, business_units=(BusinessUnit("", team_names),) if team_names else ()
        )
    workloads = any(bu.teams for bu in answers.business_units)
    if stages is not None or workloads:
        answers = replace(
            answers,
            stages=_words(
                "--stages",
                questions.ask(
                    stages,
                    "Stages per workload",
                    ",".join(answers.stages),
                    lambda text: _words("--stages", text),
                ),
            ),
        )
    answers = replace(
        answers,
        build=confirm(build, "Do builds run in AWS (Build tools account)?", answers.build),
        network=confirm(
            network, "On-premise links or advanced networking (Network account)?", answers.network
        ),
        backup=confirm(backup, "Data that deserves a separate Backup account?", answers.backup),
        sandbox=confirm(sandboxes, "Sandbox accounts for experiments?", answers.sandbox),
    )
    if identity is None and interactive:
        identity = click.prompt(
            "How do people sign in (iam: IAM users switch role; identity-center: SSO)",
            type=click.Choice(["iam", "identity-center"]),
            default="iam",
        )
    answers = replace(answers, identity=identity or answers.identity)
    if access_role is not None:
        if not ROLE.match(access_role):
            raise UsageError(
                f"--access-role: {access_role!r} is not an IAM role name",
                "Use 1 to 64 letters, digits and + = , . @ _ -, e.g. OrgstackAccessRole.",
            )
        answers = replace(answers, access_role=access_role)
    if not workloads:
        click.echo(
            "Note: no workloads yet; add a team's stage accounts under Workloads when it comes.",
            err=True,
        )
    elif "prod" not in answers.stages:
        click.echo(
            "Note: no 'prod' stage; every stage account goes to Workloads/NonProd.", err=True
        )
    result = api.write_spec(answers, output, schema_ref=schema_ref, force=force)
    from orgstack.report.tree import org_tree

    out = console()
    out.print(org_tree(result.model))
    out.print(f"Wrote {output} ({result.summary}).")
    out.print(f"Next: review the comments in {output}, then `orgstack validate -f {output}`.")


@click.command()
@spec_option
@format_option("text", "json")
def show(spec_path: str | None, output_format: str) -> None:
    """Print the spec's organization: OUs, accounts and policies."""
    from orgstack import api

    model = api.load_spec(spec_path)
    if output_format == "json":
        from orgstack.report.json import dumps, model_to_dict

        click.echo(dumps(model_to_dict(model)), nl=False)
        return
    from orgstack.report.tree import org_tree, summary

    out = console()
    out.print(org_tree(model))
    for policy in model.policies:
        targets = ", ".join(t.address for t in policy.targets) or "(not attached)"
        if policy.aws_managed:
            targets = f"{len(policy.targets)} targets (AWS managed)"
        out.print(f"[bold]{policy.address}[/bold] → {targets}")
    out.print(summary(model))


@click.command()
@click.option(
    "--plan", "plan_file", is_flag=True, help="The plan file's schema instead of the spec's."
)
def schema(plan_file: bool) -> None:
    """Print the JSON Schema of orgstack.yaml (for editors and CI), or of the plan file."""
    if plan_file:
        from orgstack.plan.schema import plan_json_schema

        click.echo(plan_json_schema(), nl=False)
        return
    from orgstack.spec.schema import json_schema

    click.echo(json_schema(), nl=False)
