"""Register or deregister a delegated administrator from the management account."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError
from orgstack.model.kind import in_account
from orgstack.plan.model import Change


def _principal(change: Change) -> str:
    return in_account(change.address)


def _register(ctx: ExecContext, account_id: str, principal: str) -> None:
    try:
        ctx.call(
            "register_delegated_administrator", AccountId=account_id, ServicePrincipal=principal
        )
    except AwsError as exc:
        if exc.code != "AccountAlreadyRegisteredException":  # a retried call that landed
            raise


def _deregister(ctx: ExecContext, account_id: str, principal: str) -> None:
    try:
        ctx.call(
            "deregister_delegated_administrator", AccountId=account_id, ServicePrincipal=principal
        )
    except AwsError as exc:
        if exc.code != "AccountNotRegisteredException":  # gone already
            raise


def register(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Make the planned account the service's delegated administrator.

    IAM actions: organizations:RegisterDelegatedAdministrator
    """
    after = change.after or {}
    _register(ctx, ctx.id_of(f"account:{after['account']}"), _principal(change))
    ctx.checkpoint(index, "called")
    return {}


def replace(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Hand the service to the planned account: the old one first (AWS allows one).

    IAM actions: organizations:DeregisterDelegatedAdministrator,
    organizations:RegisterDelegatedAdministrator
    """
    before, after = change.before or {}, change.after or {}
    _deregister(ctx, before["account_id"], _principal(change))
    ctx.checkpoint(index, "deregistered")
    _register(ctx, ctx.id_of(f"account:{after['account']}"), _principal(change))
    ctx.checkpoint(index, "called")
    return {}


def deregister(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Stop the account's delegated administration of the service (``--allow-delete``).

    IAM actions: organizations:DeregisterDelegatedAdministrator
    """
    before = change.before or {}
    _deregister(ctx, before["account_id"], _principal(change))
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {("", "create"): register, ("", "update"): replace, ("", "delete"): deregister}
