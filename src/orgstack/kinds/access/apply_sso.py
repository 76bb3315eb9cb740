"""Access in Identity Center: permission sets, identity-store users and groups, account
assignments (asynchronous requests are polled). Every executor is idempotent."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.executors import tolerate
from orgstack.kinds.access.apply_parts import check_resolved, doc, parts, values
from orgstack.kinds.access.desired import IDENTITY_CENTER
from orgstack.kinds.access.read import INSTANCE, REGION, STORE
from orgstack.plan.model import Change


def _region(ctx: ExecContext) -> str | None:
    with ctx._lock:
        return ctx.ids.get(REGION)


def _sso(ctx: ExecContext) -> Any:
    return ctx.aws.client("sso-admin", _region(ctx))


def _store(ctx: ExecContext) -> Any:
    return ctx.aws.client("identitystore", _region(ctx))


def _instance(ctx: ExecContext) -> str:
    return ctx.id_of(INSTANCE)


def create_permission_set(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a permission set with the level's managed and inline policies.

    IAM actions: sso:CreatePermissionSet, sso:ListPermissionSets, sso:DescribePermissionSet,
    sso:AttachManagedPolicyToPermissionSet, sso:PutInlinePolicyToPermissionSet
    """
    _, name = parts(change)
    _, after = values(change, ctx)
    sso, instance = _sso(ctx), _instance(ctx)
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
    sso, instance = _sso(ctx), _instance(ctx)
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
    sso, instance = _sso(ctx), _instance(ctx)
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
        _wait(
            ctx,
            status,
            "describe_permission_set_provisioning_status",
            "ProvisionPermissionSetRequestId",
            "PermissionSetProvisioningStatus",
            f"provisioning {arn}",
        )


def _wait(
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
            _sso(ctx),
            operation,
            InstanceArn=_instance(ctx),
            **{request_key: status["RequestId"]},
        )[answer_key]
    if status.get("Status") == "FAILED":
        raise ApplyError(
            f"{what} failed: {status.get('FailureReason', 'no reason given')}",
            "Fix the cause in Identity Center, then resume the apply.",
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
        client=_sso(ctx),
        InstanceArn=_instance(ctx),
        PermissionSetArn=arn,
    )
    ctx.checkpoint(index, "called")
    return {}


def _name_parts(display: str) -> dict[str, str]:
    given, _, family = display.partition(" ")
    return {"GivenName": given or display, "FamilyName": family or display}


def _store_object(
    change: Change, index: int, ctx: ExecContext, kind: str, path: str, **fields: Any
) -> str:
    """Create a user or group in the identity store (``kind``: User or Group); one that
    exists already is looked up by its unique attribute ``path``. Returns its id."""
    name = parts(change)[1]
    store = ctx.id_of(STORE)
    created = tolerate(
        ctx,
        ("ConflictException",),
        f"create_{kind.lower()}",
        client=_store(ctx),
        IdentityStoreId=store,
        **fields,
    )
    ctx.checkpoint(index, "called")
    if created is None:
        created = ctx.aws.call(
            _store(ctx),
            f"get_{kind.lower()}_id",
            IdentityStoreId=store,
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": path, "AttributeValue": name}
            },
        )
    object_id = str(created[f"{kind}Id"])
    ctx.set_id(change.address, object_id)
    return object_id


def create_sso_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a user in the Identity Center identity store (no password: Identity Center
    e-mails the person an invitation when the console asks it to).

    IAM actions: identitystore:CreateUser, identitystore:GetUserId
    """
    _, after = values(change, ctx)
    email = after.get("email")
    user_id = _store_object(
        change,
        index,
        ctx,
        "User",
        "userName",
        UserName=parts(change)[1],
        DisplayName=after["display_name"],
        Name=_name_parts(after["display_name"]),
        **({"Emails": [{"Value": email, "Type": "work", "Primary": True}]} if email else {}),
    )
    return {"id": user_id}


def update_sso_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Set a user's display name and e-mail.

    IAM actions: identitystore:UpdateUser
    """
    _, after = values(change, ctx)
    operations: list[dict[str, Any]] = []
    if "display_name" in after:
        operations.append({"AttributePath": "displayName", "AttributeValue": after["display_name"]})
    if "email" in after:
        operations.append(
            {
                "AttributePath": "emails",
                "AttributeValue": [{"value": after["email"], "type": "work", "primary": True}]
                if after["email"]
                else [],
            }
        )
    user_id = ctx.id_of(change.address)
    ctx.aws.call(
        _store(ctx),
        "update_user",
        IdentityStoreId=ctx.id_of(STORE),
        UserId=user_id,
        Operations=operations,
    )
    ctx.checkpoint(index, "called")
    return {"id": user_id}


def create_sso_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a group in the identity store with its members.

    IAM actions: identitystore:CreateGroup, identitystore:GetGroupId,
    identitystore:CreateGroupMembership
    """
    group_id = _store_object(
        change,
        index,
        ctx,
        "Group",
        "displayName",
        DisplayName=parts(change)[1],
        Description="managed by orgstack",
    )
    _sync_members(change, ctx, group_id)
    return {"id": group_id}


def update_sso_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Add and remove group members.

    IAM actions: identitystore:CreateGroupMembership, identitystore:GetGroupMembershipId,
    identitystore:DeleteGroupMembership
    """
    group_id = ctx.id_of(change.address)
    _sync_members(change, ctx, group_id)
    ctx.checkpoint(index, "called")
    return {"id": group_id}


def _user_id(ctx: ExecContext, user: str) -> str:
    return ctx.id_of(f"access:{IDENTITY_CENTER}/sso-user/{user}")


def _sync_members(change: Change, ctx: ExecContext, group_id: str) -> None:
    before, after = values(change, ctx)
    store = ctx.id_of(STORE)
    for user in sorted(set(after.get("members", [])) - set(before.get("members", []))):
        tolerate(
            ctx,
            ("ConflictException",),
            "create_group_membership",
            client=_store(ctx),
            IdentityStoreId=store,
            GroupId=group_id,
            MemberId={"UserId": _user_id(ctx, user)},
        )
    for user in sorted(set(before.get("members", [])) - set(after.get("members", []))):
        try:
            user_id = _user_id(ctx, user)
        except ApplyError:
            user_id = user  # a member orgstack does not know: the live id itself
        membership = tolerate(
            ctx,
            ("ResourceNotFoundException",),
            "get_group_membership_id",
            client=_store(ctx),
            IdentityStoreId=store,
            GroupId=group_id,
            MemberId={"UserId": user_id},
        )
        if membership is not None:
            ctx.aws.call(
                _store(ctx),
                "delete_group_membership",
                IdentityStoreId=store,
                MembershipId=membership["MembershipId"],
            )


def _assignment(ctx: ExecContext, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "InstanceArn": _instance(ctx),
        "TargetId": value["account"],
        "TargetType": "AWS_ACCOUNT",
        "PermissionSetArn": ctx.id_of(
            f"access:{IDENTITY_CENTER}/permission-set/{value['permission_set']}"
        ),
        "PrincipalType": "GROUP",
        "PrincipalId": ctx.id_of(f"access:{IDENTITY_CENTER}/sso-group/{value['group']}"),
    }


def create_assignment(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Give a group a permission set in an account, and wait until it is provisioned.

    IAM actions: sso:CreateAccountAssignment, sso:DescribeAccountAssignmentCreationStatus,
    iam:GetRole, iam:CreateRole, iam:AttachRolePolicy, iam:PutRolePolicy,
    iam:ListAttachedRolePolicies, iam:ListRolePolicies
    """
    _, after = values(change, ctx)
    check_resolved(change, after)
    answer = ctx.aws.call(_sso(ctx), "create_account_assignment", **_assignment(ctx, after))
    ctx.checkpoint(index, "called")
    _wait(
        ctx,
        answer.get("AccountAssignmentCreationStatus", {}),
        "describe_account_assignment_creation_status",
        "AccountAssignmentCreationRequestId",
        "AccountAssignmentCreationStatus",
        f"assigning {after['permission_set']} to {after['group']} in {after['account']}",
    )
    return {}


def detach_assignment(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Take a permission set from a group in an account (no longer granted by the matrix).

    IAM actions: sso:DeleteAccountAssignment, sso:DescribeAccountAssignmentDeletionStatus
    """
    before = change.before or {}
    answer = tolerate(
        ctx,
        ("ResourceNotFoundException",),
        "delete_account_assignment",
        client=_sso(ctx),
        **_assignment(ctx, before),
    )
    ctx.checkpoint(index, "called")
    if answer is not None:
        _wait(
            ctx,
            answer.get("AccountAssignmentDeletionStatus", {}),
            "describe_account_assignment_deletion_status",
            "AccountAssignmentDeletionRequestId",
            "AccountAssignmentDeletionStatus",
            f"removing {before['permission_set']} from {before['group']} in {before['account']}",
        )
    return {}
