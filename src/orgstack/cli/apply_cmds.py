"""``orgstack apply`` and ``orgstack permissions``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from orgstack.cli.common import AwsArgs, aws_options, console, format_option, spec_option
from orgstack.errors import ExitCode, UsageError


@click.command()
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@spec_option
@aws_options
@format_option("text", "json")
@click.option("--auto-approve", is_flag=True, help="Apply without asking (for CI).")
@click.option(
    "--resume", is_flag=True, help="Continue an interrupted apply (of PLAN_FILE, or the last one)."
)
@click.option("--list", "list_unfinished", is_flag=True, help="List unfinished applies.")
@click.option("--abandon", metavar="PLAN_ID", help="Mark an unfinished apply abandoned.")
@click.option(
    "--force-unlock",
    is_flag=True,
    help="Remove the apply lock of an apply whose runner died (it names its holder).",
)
@click.option(
    "--allow-close",
    is_flag=True,
    help="When planning here: close removed accounts, within AWS's quota.",
)
@click.option(
    "--allow-delete",
    is_flag=True,
    help="When planning here: delete what orgstack made that left the spec.",
)
@click.option(
    "--allow-lockout",
    is_flag=True,
    help="Attach SCPs even if they deny everything to the access role.",
)
@click.option(
    "--max-creations",
    type=click.IntRange(1, 5),
    default=5,
    show_default=True,
    help="Account creations in flight.",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="ADDRESS",
    help="When planning here: only this (repeatable), as `plan --target`.",
)
def apply(
    plan_file: Path | None,
    spec_path: str | None,
    aws: AwsArgs,
    output_format: str,
    auto_approve: bool,
    resume: bool,
    list_unfinished: bool,
    abandon: str | None,
    force_unlock: bool,
    allow_close: bool,
    allow_delete: bool,
    allow_lockout: bool,
    max_creations: int,
    targets: tuple[str, ...],
) -> int:
    """Apply a saved plan exactly (or plan, show and ask first); resumable after a crash."""
    from orgstack import api
    from orgstack.apply.context import ApplyOptions
    from orgstack.plan.planfile import plan_to_dict
    from orgstack.report.apply_text import JsonEvents, ProgressView, summary
    from orgstack.report.plan_text import to_text

    out = console()
    if list_unfinished or abandon:
        return _journals(abandon, output_format)
    if force_unlock:
        held = api.force_unlock(spec_path, aws.options())
        click.echo(
            f"Removed the apply lock of plan {held.get('plan_id')}, held by {held.get('holder')} "
            f"since {held.get('since')}."
            if held
            else "No apply holds the lock."
        )
        return int(ExitCode.OK)
    if targets and (plan_file is not None or resume):
        raise UsageError(
            "--target plans here; a saved plan has the targets it was made with",
            "Run `orgstack plan --target … -o plan.json`, then `orgstack apply plan.json`.",
        )
    if plan_file is None and not resume:
        spec = spec_path or "orgstack.yaml"
        planned = api.make_plan(
            spec_path,
            aws.options(),
            allow_close=allow_close,
            allow_delete=allow_delete,
            targets=targets,
        )
        plan, data = planned.plan, plan_to_dict(planned.plan, spec)
        if output_format == "json":
            # One JSON document a line on stdout: the plan first, then the apply's events.
            click.echo(json.dumps({"event": "plan", "plan": data}, ensure_ascii=False))
        else:
            rendered, _ = to_text(plan, spec)
            for style, text in rendered:
                out.print(text, style=style or None, markup=False)
        if plan.empty or plan.blocked:
            return int(ExitCode.ERROR if plan.blocked else ExitCode.OK)
        if not auto_approve:
            if not sys.stdin.isatty():
                raise UsageError(
                    "no terminal to confirm the plan on",
                    "Pass --auto-approve, or apply a saved plan file.",
                )
            if not click.confirm(
                f"Apply these {len(plan.changes)} changes?", default=False, err=True
            ):
                click.echo("Nothing applied.", err=True)
                return int(ExitCode.ERROR)
    else:
        plan, data = api.load_plan_for_apply(plan_file, resume)
        if resume:
            click.echo(
                f"Resuming plan {data['plan_id']} (made {data.get('created_at')} from "
                f"{data.get('spec')}); AWS is checked again before anything runs.",
                err=True,
            )
    view = JsonEvents() if output_format == "json" else ProgressView(console(stderr=True), plan)
    options = ApplyOptions(
        max_workers=aws.workers, max_creations=max_creations, allow_lockout=allow_lockout
    )
    try:
        result = api.apply_plan(plan, data, aws.options(), options, resume=resume, emit=view)
    finally:
        view.close()
    outcome = result.outcome
    lines = summary(
        plan, outcome.done, outcome.already, outcome.failed, outcome.skipped, outcome.waiting
    )
    if output_format == "json":
        view(
            {
                "event": "summary",
                "ok": result.ok,
                "done": len(outcome.done),
                "failed": len(outcome.failed),
                "waiting": len(outcome.waiting),
                "skipped": len(outcome.skipped),
                "journal": str(result.journal),
                "lines": lines,
            }
        )
    else:
        for line in lines:
            out.print(line, markup=False, highlight=False)
    written = api.record_created_ids(plan, data, outcome.done)
    if written and output_format != "json":
        click.echo(
            f"Recorded the ids of what this apply created in {', '.join(written)} (id:), so "
            "renaming a key later renames the object in AWS.",
            err=True,
        )
    aws.finish(result.context)
    return result.exit_code


def _journals(abandon: str | None, output_format: str) -> int:
    """``apply --list`` and ``apply --abandon``."""
    from orgstack import api

    if abandon:
        item = api.abandon_apply(abandon)
        click.echo(f"Abandoned plan {item['plan_id']}; its journal stays at {item['journal']}.")
        return int(ExitCode.OK)
    items = api.unfinished_applies()
    if output_format == "json":
        click.echo(json.dumps(items, indent=2))
    elif not items:
        click.echo("No unfinished applies.")
    for item in items if output_format != "json" else []:
        damaged = f"  DAMAGED at line {item['damaged'][0]}" if item["damaged"] else ""
        click.echo(
            f"{item['plan_id']}  made {item['created_at']}  from {item['spec']}  "
            f"{item['done']} of {item['changes']} changes done  ({item['journal']}){damaged}"
        )
    return int(ExitCode.OK)


@click.command()
@format_option("json", "text")
def permissions(output_format: str) -> None:
    """Print the least-privilege IAM policy orgstack needs (from its executors' docstrings)."""
    from orgstack.apply.permissions import iam_policy

    policy = iam_policy()
    if output_format == "json":
        click.echo(json.dumps(policy, indent=2))
    else:
        for statement in policy["Statement"]:
            click.echo(f"{statement['Sid']}:")
            click.echo("".join(f"  {action}\n" for action in statement["Action"]), nl=False)
