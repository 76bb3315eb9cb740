"""Access in Identity Center: identity-store users and groups, account assignments
(asynchronous requests are polled). Every executor is idempotent."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.executors import tolerate
from orgstack.kinds.access.apply_parts import (
    check_resolved,
    instance_arn,
    parts,
    sso_client,
    store_client,
    values,
    wait_for,
)
from orgstack.kinds.access.read import STORE
from orgstack.kinds.access.vocabulary import IDENTITY_CENTER
from orgstack.plan.model import Change


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
        client=store_client(ctx),
        IdentityStoreId=store,
        **fields,
    )
    ctx.checkpoint(index, "called")
    if created is None:
        created = ctx.aws.call(
            store_client(ctx),
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
        store_client(ctx),
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
            client=store_client(ctx),
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
            client=store_client(ctx),
            IdentityStoreId=store,
            GroupId=group_id,
            MemberId={"UserId": user_id},
        )
        if membership is not None:
            ctx.aws.call(
                store_client(ctx),
                "delete_group_membership",
                IdentityStoreId=store,
                MembershipId=membership["MembershipId"],
            )


def _assignment(ctx: ExecContext, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "InstanceArn": instance_arn(ctx),
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
    answer = ctx.aws.call(sso_client(ctx), "create_account_assignment", **_assignment(ctx, after))
    ctx.checkpoint(index, "called")
    wait_for(
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
        client=sso_client(ctx),
        **_assignment(ctx, before),
    )
    ctx.checkpoint(index, "called")
    if answer is not None:
        wait_for(
            ctx,
            answer.get("AccountAssignmentDeletionStatus", {}),
            "describe_account_assignment_deletion_status",
            "AccountAssignmentDeletionRequestId",
            "AccountAssignmentDeletionStatus",
            f"removing {before['permission_set']} from {before['group']} in {before['account']}",
        )
    return {}
