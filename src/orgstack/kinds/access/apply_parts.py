"""What every access executor shares: addresses, planned values with account ids filled in,
policy documents as uploaded, clients per account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.kinds.access.probes import MANAGED_TAG
from orgstack.kinds.access.read import INSTANCE, REGION
from orgstack.kinds.access.vocabulary import REVOKED_AT
from orgstack.model import minified
from orgstack.model.kind import account_of, in_account
from orgstack.plan.model import Change
from orgstack.plan.resources import canonical, unresolved

TAGS = [{"Key": MANAGED_TAG, "Value": "true"}]


def doc(document: Any) -> str:
    """A policy document as uploaded: canonical again after account ids were filled in (so
    lists stay sorted by the real ids), minified; a revocation's time is now."""
    text = minified(canonical(document))
    if REVOKED_AT not in text:
        return text
    return text.replace(REVOKED_AT, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def parts(change: Change) -> tuple[str, str]:
    """(account name, object name) of an access address."""
    return account_of(change.address), in_account(change.address).split("/", 1)[1]


def values(change: Change, ctx: ExecContext) -> tuple[dict[str, Any], dict[str, Any]]:
    return ctx.resolved(change.before or {}), ctx.resolved(change.after or {})


def iam(ctx: ExecContext, account: str) -> Any:
    return ctx.member_client(account, "iam")


def check_resolved(change: Change, value: Any) -> None:
    if unresolved(value):
        raise ApplyError(
            f"{change.address}: an account or the organization it refers to has no id yet",
            "Its creation did not complete; resume the apply once it has.",
        )


def sso_region(ctx: ExecContext) -> str | None:
    with ctx._lock:
        return ctx.ids.get(REGION)


def sso_client(ctx: ExecContext) -> Any:
    return ctx.aws.client("sso-admin", sso_region(ctx))


def store_client(ctx: ExecContext) -> Any:
    return ctx.aws.client("identitystore", sso_region(ctx))


def instance_arn(ctx: ExecContext) -> str:
    return ctx.id_of(INSTANCE)


def wait_for(
    ctx: ExecContext,
    status: dict[str, Any],
    operation: str,
    request_key: str,
    answer_key: str,
    what: str,
) -> None:
    """Poll an asynchronous Identity Center request until it succeeds; fail with its reason."""
    waited, delay = 0.0, ctx.options.poll_initial_s / 2
    while status.get("Status") == "IN_PROGRESS":
        if waited > ctx.options.creation_timeout_s:
            raise ApplyError(f"{what} did not finish in time", "Resume the apply later.")
        ctx.sleep(delay)
        waited += delay
        delay = min(delay * 2, ctx.options.poll_max_s)
        status = ctx.aws.call(
            sso_client(ctx),
            operation,
            InstanceArn=instance_arn(ctx),
            **{request_key: status["RequestId"]},
        )[answer_key]
    if status.get("Status") == "FAILED":
        raise ApplyError(
            f"{what} failed: {status.get('FailureReason', 'no reason given')}",
            "Fix the cause in Identity Center, then resume the apply.",
        )
