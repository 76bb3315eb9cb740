"""Idempotent executors, one module per kind; each function's docstring lists its IAM actions."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError


def tolerate(
    ctx: ExecContext,
    codes: tuple[str, ...],
    operation: str,
    *,
    client: Any = None,
    **kwargs: Any,
) -> dict[str, Any] | None:
    """Call ``operation`` (on Organizations, or ``client``); an AWS error whose code is in
    ``codes`` means "already so": None."""
    try:
        return ctx.aws.call(client or ctx.orgs, operation, **kwargs)
    except AwsError as exc:
        if exc.code in codes:
            return None
        raise
