"""``orgstack access``: a user's CLI profiles and console links, or the access matrix."""

from __future__ import annotations

from typing import Any

import click

from orgstack.cli.common import AwsArgs, aws_options, console, format_option, spec_option
from orgstack.errors import UsageError


@click.command()
@spec_option
@aws_options
@click.option("--user", "user", help="Print this user's ~/.aws/config profiles and links.")
@click.option("--matrix", is_flag=True, help="Print group × account → level (offline).")
@click.option(
    "--verify",
    is_flag=True,
    help="On the sandbox (--enforce-iam): prove every user can assume exactly the roles the "
    "matrix grants, with MFA, and print user × role.",
)
@click.option(
    "--source-profile",
    help="iam mode: the profile with the user's own key [default: <organization>-<user>].",
)
@format_option("text", "json", "csv")
def access(
    spec_path: str | None,
    aws: AwsArgs,
    user: str | None,
    matrix: bool,
    verify: bool,
    source_profile: str | None,
    output_format: str,
) -> int:
    """Who may enter which account: a user's profiles (--user), the matrix (--matrix), or the
    proof on the sandbox (--verify)."""
    from orgstack import api

    if sum((user is not None, matrix, verify)) != 1:
        raise UsageError(
            "choose one of --user NAME, --matrix or --verify",
            "e.g. `orgstack access --matrix` or `orgstack access --user alice --sandbox`.",
        )
    if verify:
        return _verify(spec_path, aws, output_format)
    if matrix:
        found = api.access_matrix(spec_path)
        if output_format == "json":
            click.echo(found.json, nl=False)
        elif output_format == "csv":
            click.echo(found.csv, nl=False)
        else:
            from rich.table import Table

            groups, rows = found.groups, found.rows
            table = Table(title="Access: group × account → level", show_lines=False)
            table.add_column("account")
            for group in groups:
                table.add_column(group)
            for account, cells in rows:
                table.add_row(account, *(cell or "·" for cell in cells))
            console().print(table)
            lines = found.reach
            if lines:
                console().print("Effective reach through the management account (LZ222):")
                for line in lines:
                    console().print(f"  {line}", markup=False)
        return 0
    assert user is not None
    view = api.access_view(spec_path, aws.options(), user, source_profile=source_profile)
    if output_format == "json":
        import json

        click.echo(
            json.dumps(
                {"config": view.config, "links": dict(view.links)}, indent=2, ensure_ascii=False
            )
        )
    elif output_format == "csv":
        raise UsageError("--format csv is for --matrix", "Use text or json with --user.")
    else:
        click.echo(view.config, nl=False)
        click.echo("\n# Console (switch role / access portal):")
        for profile, link in view.links:
            click.echo(f"# {profile}: {link}")
    aws.finish(view.context)
    return 0


def _verify(spec_path: str | None, aws: AwsArgs, output_format: str) -> int:
    """``access --verify``: the user × (account, role) table, exit 1 on any mismatch."""
    import json

    from orgstack import api
    from orgstack.errors import ExitCode
    from orgstack.sandbox.state import running_state

    if not aws.sandbox:
        raise UsageError(
            "--verify runs on the sandbox only: it gives each user an access key and an MFA "
            "device there",
            "Start one with `orgstack sandbox start --enforce-iam`, then `orgstack access "
            "--verify --sandbox`.",
        )
    result = api.verify_access(spec_path, aws.options(), enforcing=running_state().enforce_iam)
    if output_format == "json":
        rows = [
            {
                "user": p.user,
                "account": p.account,
                "role": p.role,
                "granted": p.granted,
                "assumed_with_mfa": p.with_mfa,
                "assumed_without_mfa": p.without_mfa,
                "ok": p.ok,
            }
            for p in result.probes
        ]
        click.echo(json.dumps({"ok": result.ok, "probes": rows}, indent=2))
    elif output_format == "csv":
        raise UsageError("--format csv is for --matrix", "Use text or json with --verify.")
    else:
        from rich.table import Table

        users = list(dict.fromkeys(p.user for p in result.probes))
        cells = {(p.account, p.role, p.user): p for p in result.probes}
        table = Table(title="Access proven on the sandbox: account/role × user")
        table.add_column("account / role")
        for name in users:
            table.add_column(name)
        for account, role in sorted({(p.account, p.role) for p in result.probes}):
            row = [_cell(cells[(account, role, name)]) for name in users]
            table.add_row(f"{account} / {role.removeprefix('orgstack-')}", *row)
        console().print(table)
        wrong = [p for p in result.probes if not p.ok]
        click.echo(
            f"{len(result.probes)} (user, role) pairs tried: "
            + ("every one as the matrix grants." if not wrong else f"{len(wrong)} differ:"),
        )
        for p in wrong:
            click.echo(
                f"  {p.user} → {p.account}/{p.role}: granted {p.granted}, assumed with MFA "
                f"{p.with_mfa}" + ("" if p.without_mfa is None else f", without {p.without_mfa}")
            )
    return int(ExitCode.OK if result.ok else ExitCode.ERROR)


def _cell(probe: Any) -> str:
    if not probe.ok:
        return "✗"
    return "✓ MFA" if probe.granted and probe.mfa_required else "✓" if probe.granted else "·"
