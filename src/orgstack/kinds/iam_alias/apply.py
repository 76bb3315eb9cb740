"""Set or remove an account's alias, in the account itself (through the access role; the
management account directly). Idempotent: an alias that is already the account's is left."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.aws.errors import AwsError
from orgstack.model.kind import account_of
from orgstack.plan.model import Change


def _current(ctx: ExecContext, client: Any) -> list[str]:
    found: list[str] = ctx.aws.call(client, "list_account_aliases").get("AccountAliases", [])
    return found


def create(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Give the account its alias (an alias it has already is replaced: one per account).

    IAM actions: iam:CreateAccountAlias, iam:ListAccountAliases
    """
    account = account_of(change.address)
    alias = (change.after or {})["alias"]
    client = ctx.member_client(account, "iam")
    try:
        ctx.aws.call(client, "create_account_alias", AccountAlias=alias)
    except AwsError as exc:
        if exc.code != "EntityAlreadyExists":
            raise
        if alias not in _current(ctx, client):
            raise ApplyError(
                f"{change.address}: the alias {alias} belongs to another AWS account "
                "(aliases are unique across AWS)",
                f"Choose another iam_alias for account {account}, plan and apply again.",
            ) from None
    ctx.checkpoint(index, "called")
    return {}


def delete(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Remove the account's alias (gone already: nothing to do).

    IAM actions: iam:DeleteAccountAlias
    """
    alias = (change.before or {})["alias"]
    client = ctx.member_client(account_of(change.address), "iam")
    try:
        ctx.aws.call(client, "delete_account_alias", AccountAlias=alias)
    except AwsError as exc:
        if exc.code != "NoSuchEntity":
            raise
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {("", "create"): create, ("", "update"): create, ("", "delete"): delete}
