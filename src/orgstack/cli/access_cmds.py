"""``orgstack access``: a user's CLI profiles and console links, or the access matrix."""

from __future__ import annotations

import click

from orgstack.cli.common import AwsArgs, aws_options, console, format_option, spec_option
from orgstack.errors import UsageError


@click.command()
@spec_option
@aws_options
@click.option("--user", "user", help="Print this user's ~/.aws/config profiles and links.")
@click.option("--matrix", is_flag=True, help="Print group × account → level (offline).")
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
    source_profile: str | None,
    output_format: str,
) -> None:
    """Who may enter which account: a user's profiles (--user) or the matrix (--matrix)."""
    from orgstack import api

    if (user is None) == (not matrix):
        raise UsageError(
            "choose one of --user NAME or --matrix",
            "e.g. `orgstack access --matrix` or `orgstack access --user alice --sandbox`.",
        )
    if matrix:
        from orgstack.kinds.access import view as access_view

        model = api.load_spec(spec_path)
        if output_format == "json":
            click.echo(access_view.matrix_json(model), nl=False)
        elif output_format == "csv":
            click.echo(access_view.matrix_csv(model), nl=False)
        else:
            from rich.table import Table

            groups, rows = access_view.matrix(model)
            table = Table(title="Access: group × account → level", show_lines=False)
            table.add_column("account")
            for group in groups:
                table.add_column(group)
            for account, cells in rows:
                table.add_row(account, *(cell or "·" for cell in cells))
            console().print(table)
        return
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
    if aws.stats:
        click.echo(view.context.stats.report(), err=True)
