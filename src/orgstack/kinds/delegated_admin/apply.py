"""Register or deregister a delegated administrator from the management account."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError
from orgstack.model.kind import in_account
from orgstack.plan.model import Action, Change


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
    """Hand the service to the planned account: the old one first (AWS allows one). For
    GuardDuty and Security Hub the service's own handover ran first (``waits_for``) and may
    have moved the registration already: both steps accept that.

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
#: Services whose own API hands their administration over (GuardDuty releases the old
#: administrator's members, Security Hub removes it): the registration moves after that.
HANDED_OVER = {"guardduty.amazonaws.com": "guardduty", "securityhub.amazonaws.com": "securityhub"}


def waits_for(change: Change, changes: tuple[Change, ...]) -> set[int] | None:
    """Moving GuardDuty's or Security Hub's registration to another account waits for the
    service's own handover in every Region (``security-service:…/<service>-admin``), as the
    services document it; other changes wait as the kind's ``after`` says."""
    service = HANDED_OVER.get(_principal(change))
    if change.action != Action.UPDATE or service is None:
        return None
    return {
        j
        for j, c in enumerate(changes)
        if c.address.startswith("trusted-access:")
        or (c.address.startswith("security-service:") and c.address.endswith(f"/{service}-admin"))
    }
