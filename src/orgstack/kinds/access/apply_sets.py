"""Access in Identity Center: permission sets (managed and inline policies, session length),
provisioned to the accounts that use them; asynchronous requests are polled. Idempotent."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.executors import tolerate
from orgstack.kinds.access.apply_parts import doc, instance_arn, parts, sso_client, values, wait_for
from orgstack.plan.model import Change


def create_permission_set(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a permission set with the level's managed and inline policies.

    IAM actions: sso:CreatePermissionSet, sso:ListPermissionSets, sso:DescribePermissionSet,
    sso:AttachManagedPolicyToPermissionSet, sso:PutInlinePolicyToPermissionSet
    """
    _, name = parts(change)
    _, after = values(change, ctx)
    sso, instance = sso_client(ctx), instance_arn(ctx)
    created = tolerate(
        ctx,
        ("ConflictException",),
        "create_permission_set",
        client=sso,
        InstanceArn=instance,
        Name=name,
        Description=after["description"],
        SessionDuration=after["session"],
    )
    ctx.checkpoint(index, "called")
    if created is not None:
        arn = created["PermissionSet"]["PermissionSetArn"]
        before: dict[str, Any] = {"managed": [], "inline": None}
    else:
        arn = _find_permission_set(ctx, name)
        before = {"managed": [], "inline": None, "session": None, "description": None}
    ctx.set_id(change.address, arn)
    _sync_permission_set(ctx, arn, before, after, provision=False)
    return {"id": arn}


def _find_permission_set(ctx: ExecContext, name: str) -> str:
    sso, instance = sso_client(ctx), instance_arn(ctx)
    for arn in ctx.aws.pages(sso, "list_permission_sets", "PermissionSets", InstanceArn=instance):
        described = ctx.aws.call(
            sso, "describe_permission_set", InstanceArn=instance, PermissionSetArn=arn
        )
        if described["PermissionSet"]["Name"] == name:
            return str(arn)
    raise ApplyError(f"permission set {name} exists but could not be found", "Plan again.")


def update_permission_set(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Bring a permission set to the plan, then re-provision it to its accounts.

    IAM actions: sso:UpdatePermissionSet, sso:AttachManagedPolicyToPermissionSet,
    sso:DetachManagedPolicyFromPermissionSet, sso:PutInlinePolicyToPermissionSet,
    sso:DeleteInlinePolicyFromPermissionSet, sso:ProvisionPermissionSet,
    sso:DescribePermissionSetProvisioningStatus
    """
    before, after = values(change, ctx)
    arn = ctx.id_of(change.address)
    _sync_permission_set(ctx, arn, before, after, provision=True)
    ctx.checkpoint(index, "called")
    return {"id": arn}


def _sync_permission_set(
    ctx: ExecContext, arn: str, before: dict[str, Any], after: dict[str, Any], provision: bool
) -> None:
    sso, instance = sso_client(ctx), instance_arn(ctx)
    fields = {
        key: after[attr]
        for key, attr in (("SessionDuration", "session"), ("Description", "description"))
        if attr in after and attr in before
    }
    if fields:
        ctx.aws.call(
            sso, "update_permission_set", InstanceArn=instance, PermissionSetArn=arn, **fields
        )
    if "managed" in after:
        for policy in sorted(set(after["managed"]) - set(before.get("managed") or [])):
            tolerate(
                ctx,
                ("ConflictException",),
                "attach_managed_policy_to_permission_set",
                client=sso,
                InstanceArn=instance,
                PermissionSetArn=arn,
                ManagedPolicyArn=policy,
            )
        for policy in sorted(set(before.get("managed") or []) - set(after["managed"])):
            tolerate(
                ctx,
                ("ResourceNotFoundException",),
                "detach_managed_policy_from_permission_set",
                client=sso,
                InstanceArn=instance,
                PermissionSetArn=arn,
                ManagedPolicyArn=policy,
            )
    if "inline" in after:
        if after["inline"] is not None:
            ctx.aws.call(
                sso,
                "put_inline_policy_to_permission_set",
                InstanceArn=instance,
                PermissionSetArn=arn,
                InlinePolicy=doc(after["inline"]),
            )
        elif before.get("inline") is not None:
            ctx.aws.call(
                sso,
                "delete_inline_policy_from_permission_set",
                InstanceArn=instance,
                PermissionSetArn=arn,
            )
    if provision:
        answer = ctx.aws.call(
            sso,
            "provision_permission_set",
            InstanceArn=instance,
            PermissionSetArn=arn,
            TargetType="ALL_PROVISIONED_ACCOUNTS",
        )
        status = answer.get("PermissionSetProvisioningStatus", {})
        wait_for(
            ctx,
            status,
            "describe_permission_set_provisioning_status",
            "ProvisionPermissionSetRequestId",
            "PermissionSetProvisioningStatus",
            f"provisioning {arn}",
        )


def delete_permission_set(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Delete a permission set orgstack made that left the spec (only with --allow-delete;
    its assignments are removed first by their own changes).

    IAM actions: sso:DeletePermissionSet
    """
    arn = ctx.id_of(change.address)
    tolerate(
        ctx,
        ("ResourceNotFoundException",),
        "delete_permission_set",
        client=sso_client(ctx),
        InstanceArn=instance_arn(ctx),
        PermissionSetArn=arn,
    )
    ctx.checkpoint(index, "called")
    return {}
