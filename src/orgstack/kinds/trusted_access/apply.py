"""Enable trusted access for a service principal (idempotent: enabling twice is harmless)."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.plan.model import Change


def enable(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Let the service act in every account of the organization.

    IAM actions: organizations:EnableAWSServiceAccess
    """
    principal = change.address.rsplit("/", 1)[-1]
    ctx.call("enable_aws_service_access", ServicePrincipal=principal)
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {("", "create"): enable, ("", "update"): enable}
