"""What every access executor shares: addresses, planned values with account ids filled in,
policy documents as uploaded, clients per account."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.kinds.access.read import MANAGED_TAG
from orgstack.model import minified
from orgstack.plan.model import Change
from orgstack.plan.resources import canonical, placeholders

TAGS = [{"Key": MANAGED_TAG, "Value": "true"}]


def doc(document: Any) -> str:
    """A policy document as uploaded: canonical again after account ids were filled in (so
    lists stay sorted by the real ids), minified."""
    return minified(canonical(document))


def parts(change: Change) -> tuple[str, str]:
    """(account name, object name) of an access address."""
    body = change.address.split(":", 1)[1]
    account, _, rest = body.partition("/")
    return account, rest.split("/", 1)[1]


def values(change: Change, ctx: ExecContext) -> tuple[dict[str, Any], dict[str, Any]]:
    return ctx.resolved(change.before or {}), ctx.resolved(change.after or {})


def iam(ctx: ExecContext, account: str) -> Any:
    return ctx.accounts().client(ctx.id_of(f"account:{account}"))


def check_resolved(change: Change, value: Any) -> None:
    if placeholders(value):
        raise ApplyError(
            f"{change.address}: an account it refers to has no id yet",
            "The account's creation did not complete; resume the apply once it has.",
        )
