"""``orgstack sandbox``: the local AWS emulator for demos, training and tests."""

from __future__ import annotations

import json
import shlex

import click

from orgstack.cli.common import format_option


def _exports(env: dict[str, str]) -> str:
    lines = [f"export {k}={shlex.quote(v)}" for k, v in env.items()]
    lines.append("unset AWS_PROFILE AWS_SESSION_TOKEN")
    return "\n".join(lines)


@click.group()
def sandbox() -> None:
    """Run the embedded AWS emulator (moto) on 127.0.0.1.

    \b
    eval "$(orgstack sandbox start)"   # start it and point this shell at it
    orgstack sandbox stop
    """


@sandbox.command()
@click.option(
    "--with-organization",
    is_flag=True,
    help="Start with an organization (all features) already created.",
)
@click.option("--port", type=int, default=0, show_default=True, help="Port; 0 picks a free one.")
@click.option(
    "--enforce-iam",
    is_flag=True,
    help="Check AssumeRole against role trust and identity policies (MFA, tags), as AWS "
    "does; `orgstack access --verify` needs it.",
)
def start(with_organization: bool, port: int, enforce_iam: bool) -> None:
    """Start the sandbox in the background and print the environment that points at it."""
    from orgstack.sandbox import control

    state, new = control.start(
        with_organization=with_organization, port=port, enforce_iam=enforce_iam
    )
    what = (
        "an organization with all features"
        if state.with_organization
        else "an empty management account"
    )
    verb = "Started" if new else "Already running:"
    click.echo(f"{verb} sandbox at {state.endpoint} (pid {state.pid}) with {what}.", err=True)
    if state.enforce_iam:
        click.echo("It checks AssumeRole against trust and identity policies.", err=True)
    if not new and (with_organization, enforce_iam) != (state.with_organization, state.enforce_iam):
        click.echo(
            "Note: it runs with other options; `orgstack sandbox reset` restarts it.", err=True
        )
    click.echo(
        'Use it: eval "$(orgstack sandbox env)", or pass --sandbox to any command.', err=True
    )
    click.echo(_exports(state.env()))


@sandbox.command()
def env() -> None:
    """Print the environment (export lines) that points AWS clients at the sandbox."""
    from orgstack.sandbox.state import running_state

    click.echo(_exports(running_state().env()))


@sandbox.command()
@format_option("text", "json")
def status(output_format: str) -> int:
    """Say whether the sandbox runs, where, and whether it answers."""
    from orgstack.aws.context import probe
    from orgstack.aws.errors import AwsError
    from orgstack.errors import ExitCode
    from orgstack.sandbox.state import read_state

    state = read_state()
    running = state is not None and state.is_alive()
    problem = None
    if state is not None and running:
        try:
            probe(state.endpoint, "the sandbox record")
        except AwsError as exc:
            problem = exc.message
    if output_format == "json":
        data: dict[str, object] = {"running": running}
        if state is not None and running:
            data |= {
                "endpoint": state.endpoint,
                "pid": state.pid,
                "with_organization": state.with_organization,
                "enforce_iam": state.enforce_iam,
                "responding": problem is None,
            }
        click.echo(json.dumps(data))
    elif state is not None and running and problem is None:
        click.echo(f"running at {state.endpoint} (pid {state.pid})")
    elif state is not None and running:
        click.echo(f"running (pid {state.pid}) but not responding: {problem}")
        click.echo("`orgstack sandbox reset` restarts it.")
    else:
        click.echo("not running")
    return int(ExitCode.ERROR if problem else ExitCode.OK)


@sandbox.command()
def stop() -> None:
    """Stop the sandbox; its state is discarded."""
    from orgstack.sandbox import control

    state = control.stop()
    click.echo(
        f"Stopped the sandbox (pid {state.pid})." if state else "No sandbox was running.", err=True
    )


@sandbox.command()
@click.option(
    "--with-organization/--without-organization",
    default=None,
    help="Override the organization option.",
)
def reset(with_organization: bool | None) -> None:
    """Restart the sandbox with empty state (same port when free)."""
    from orgstack.sandbox import control

    state = control.reset(with_organization=with_organization)
    click.echo(f"Reset: sandbox at {state.endpoint} (pid {state.pid}).", err=True)
    click.echo(_exports(state.env()))


@sandbox.command(name="run-backups")
@click.option(
    "--role",
    default="OrganizationAccountAccessRole",
    show_default=True,
    help="The role to act in member accounts with (the spec's organization.access_role).",
)
def run_backups(role: str) -> int:
    """Play AWS Backup's scheduler once: back up and copy every tagged resource the backup
    policies cover (moto runs no schedules)."""
    from orgstack.errors import ExitCode
    from orgstack.sandbox.backups import run_backups as run
    from orgstack.sandbox.state import running_state

    state = running_state()
    import os

    os.environ.update(state.env())
    runs = run(role)
    failed = lost = 0
    for item in runs:
        if item.recovery_point is None:
            lost += 1
            click.echo(
                f"{item.account} {item.region}: backup of {item.resource} FAILED: {item.message}"
            )
            continue
        click.echo(f"{item.account} {item.region}: backed up {item.resource}")
        for vault, state_, message in item.copies:
            failed += state_ != "COMPLETED"
            click.echo(f"    copy → {vault}: {state_}{': ' + message if message else ''}")
    done = len(runs) - lost
    click.echo(f"{done} backups, {lost} failed backups, {failed} failed copies.", err=True)
    return int(ExitCode.ERROR if failed or lost else ExitCode.OK)
