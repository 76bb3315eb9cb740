"""The ``orgstack`` command: parse arguments, call ``api``, render, return an exit code.

Heavy modules (boto3, moto, pydantic, rich) are imported inside the commands, so that
``orgstack --help`` starts fast.
"""

from __future__ import annotations

import sys
import traceback

import click

from orgstack import __version__
from orgstack.errors import ExitCode, OrgstackError

DEBUG_FLAG = "--debug"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="orgstack")
@click.option(DEBUG_FLAG, is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Declare an AWS Organization in orgstack.yaml; validate, plan, apply and audit it.

    \b
    Exit codes: 0 ok (no changes), 1 error, 2 changes present (--detailed-exitcode).
    Try it without AWS: `orgstack sandbox start`, then any command with --sandbox.
    """
    del debug  # read by main(), which must know it before parsing can fail


def _register() -> None:
    from orgstack.cli import (
        access_cmds,
        apply_cmds,
        backup_cmds,
        plan_cmds,
        report_cmds,
        rules_cmds,
        sandbox_cmds,
        spec_cmds,
    )

    cli.add_command(spec_cmds.init)
    cli.add_command(rules_cmds.validate)
    cli.add_command(rules_cmds.rules_command)
    cli.add_command(rules_cmds.guardrails_command)
    cli.add_command(rules_cmds.audit)
    cli.add_command(rules_cmds.isolation)
    cli.add_command(plan_cmds.plan)
    cli.add_command(apply_cmds.apply)
    cli.add_command(apply_cmds.permissions)
    cli.add_command(plan_cmds.drift)
    cli.add_command(plan_cmds.import_command)
    cli.add_command(access_cmds.access)
    cli.add_command(backup_cmds.backup)
    cli.add_command(spec_cmds.show)
    cli.add_command(report_cmds.diagram)
    cli.add_command(report_cmds.report)
    cli.add_command(spec_cmds.schema)
    cli.add_command(sandbox_cmds.sandbox)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and maps every error to an exit code and a clear message."""
    args = sys.argv[1:] if argv is None else argv
    debug = DEBUG_FLAG in args
    try:
        result = cli.main(args=args, prog_name="orgstack", standalone_mode=False)
    except OrgstackError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Error: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"Hint: {exc.hint}", err=True)
        return int(exc.exit_code)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click's word for Ctrl-C
            click.echo("Interrupted.", err=True)
            return 130
        click.echo("Aborted.", err=True)
        return int(ExitCode.ERROR)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.ERROR)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:  # the one catch-all: no traceback unless --debug
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"Internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("Hint: rerun with --debug for the traceback, and report it.", err=True)
        return int(ExitCode.ERROR)
    return int(result) if isinstance(result, int) else int(ExitCode.OK)


def run() -> None:
    sys.exit(main())
