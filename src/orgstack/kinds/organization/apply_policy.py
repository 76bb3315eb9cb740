"""Organization policies: create, update, attach (refusing lockouts), detach (never the last
allow)."""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.executors import tolerate
from orgstack.model import minified
from orgstack.model.lockout import locks_out
from orgstack.plan.model import Change

SCP = "SERVICE_CONTROL_POLICY"


def create(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a policy from its minified document; one of the same name is taken (idempotent).

    IAM actions: organizations:CreatePolicy, organizations:ListPolicies
    """
    after = ctx.resolved(change.after or {})  # a section's policy may name a new account
    created = tolerate(
        ctx,
        ("DuplicatePolicyException",),
        "create_policy",
        Name=after["name"],
        Type=after["type"],
        Description=after.get("description", ""),
        Content=minified(after["content"]),
    )
    ctx.checkpoint(index, "called")
    if created is not None:
        policy_id = created["Policy"]["PolicySummary"]["Id"]
    else:
        policies = ctx.aws.pages(ctx.orgs, "list_policies", "Policies", Filter=after["type"])
        policy_id = next(p["Id"] for p in policies if p["Name"] == after["name"])
    ctx.set_id(change.address, policy_id)
    return {"id": policy_id}


def update(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Change a policy's content, description or name.

    IAM actions: organizations:UpdatePolicy
    """
    after = ctx.resolved(change.after or {})
    fields: dict[str, Any] = {}
    if "content" in after:
        fields["Content"] = minified(after["content"])
    if "description" in after:
        fields["Description"] = after["description"]
    if "name" in after:
        fields["Name"] = after["name"]
    policy_id = ctx.id_of(change.address)
    ctx.call("update_policy", PolicyId=policy_id, **fields)
    ctx.checkpoint(index, "called")
    return {"id": policy_id}


def _content(ctx: ExecContext, policy_id: str) -> dict[str, Any]:
    described = ctx.call("describe_policy", PolicyId=policy_id)
    content: dict[str, Any] = json.loads(described["Policy"]["Content"])
    return content


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document.get("Statement", [])
    return [s for s in (found if isinstance(found, list) else [found]) if isinstance(s, dict)]


def attach(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Attach a policy; an SCP that denies everything to the access role is refused unless
    allowed (the principal running orgstack is in the management account, which SCPs never
    restrict; the access role in member accounts is what an SCP can lock out).

    IAM actions: organizations:AttachPolicy, organizations:DescribePolicy
    """
    target = (change.after or {})["target"]
    policy_id = ctx.id_of(change.address)
    guarded = change.address.startswith("scp:") and not target.endswith(":Suspended")
    if guarded and not ctx.options.allow_lockout:
        role = ctx.options.access_role
        organization = ctx.ids.get("organization")
        found = _statements(_content(ctx, policy_id))
        if any(locks_out(s, role, organization=organization) for s in found):
            raise ApplyError(
                f"{change.address} may deny {role} every service orgstack uses (as AWS "
                f"evaluates it, conditions not provably false counting); attaching it to {target} "
                "would lock orgstack and every administrator out of those accounts",
                "Exempt the role in the SCP, or pass --allow-lockout if this is intended.",
            )
    tolerate(
        ctx,
        ("DuplicatePolicyAttachmentException",),
        "attach_policy",
        PolicyId=policy_id,
        TargetId=ctx.id_of(target),
    )
    ctx.checkpoint(index, "called")
    return {}


def detach(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Detach a policy; an SCP whose removal would leave the target without any allowing SCP
    (FullAWSAccess without a replacement) is refused.

    IAM actions: organizations:DetachPolicy, organizations:ListPoliciesForTarget,
    organizations:DescribePolicy
    """
    target = (change.before or {})["target"]
    policy_id, target_id = ctx.id_of(change.address), ctx.id_of(target)
    if change.address.startswith("scp:"):
        attached = ctx.aws.pages(
            ctx.orgs, "list_policies_for_target", "Policies", TargetId=target_id, Filter=SCP
        )
        remaining = [p["Id"] for p in attached if p["Id"] != policy_id]
        statements = [s for other in remaining for s in _statements(_content(ctx, other))]
        if not any(s.get("Effect") == "Allow" for s in statements):
            raise ApplyError(
                f"detaching {change.address} would leave {target} without an SCP that allows "
                "anything",
                "Attach a replacement allow policy first (or keep full_aws_access: true), "
                "then plan again.",
            )
    tolerate(
        ctx,
        ("PolicyNotAttachedException",),
        "detach_policy",
        PolicyId=policy_id,
        TargetId=target_id,
    )
    ctx.checkpoint(index, "called")
    return {}
