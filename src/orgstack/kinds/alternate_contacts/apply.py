"""Set or remove an account's alternate contact from the management account (PutAlternateContact
overwrites, so setting is idempotent)."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.aws.errors import AwsError
from orgstack.model.kind import account_of, in_account
from orgstack.plan.model import Change


def _target(change: Change, ctx: ExecContext) -> dict[str, Any]:
    account, type_ = account_of(change.address), in_account(change.address)
    kwargs: dict[str, Any] = {"AlternateContactType": type_.upper()}
    account_id = ctx.id_of(f"account:{account}")
    if account_id != ctx.aws.caller_account():
        kwargs["AccountId"] = account_id
    return kwargs


def put(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Set the contact to the planned one.

    IAM actions: account:PutAlternateContact
    """
    contact = change.after or {}  # the whole contact: the kind plans updates in full
    ctx.aws.call(
        ctx.aws.client("account"),
        "put_alternate_contact",
        **_target(change, ctx),
        Name=contact["name"],
        Title=contact["title"],
        EmailAddress=contact["email"],
        PhoneNumber=contact["phone"],
    )
    ctx.checkpoint(index, "called")
    return {}


def delete(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Remove the contact (gone already: nothing to do).

    IAM actions: account:DeleteAlternateContact
    """
    try:
        ctx.aws.call(ctx.aws.client("account"), "delete_alternate_contact", **_target(change, ctx))
    except AwsError as exc:
        if exc.code != "ResourceNotFoundException":
            raise
    ctx.checkpoint(index, "called")
    return {}


TYPES = ("billing", "operations", "security")
EXECUTORS = {
    (type_, action): executor
    for type_ in TYPES
    for action, executor in (("create", put), ("update", put), ("delete", delete))
}
