"""Access in IAM mode: the MFA policy, users and groups in the identity account, switch-role
roles in member accounts (through the organization access role; the management account's
directly). Every executor is idempotent: an object that exists already is brought to the plan.
"""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ExecContext
from orgstack.apply.executors import tolerate
from orgstack.aws.errors import AwsError
from orgstack.kinds.access.apply_parts import (
    TAGS,
    check_resolved,
    doc,
    iam,
    parts,
    values,
)
from orgstack.kinds.access.vocabulary import (
    ASSUME_POLICY,
    GRANT_TAG,
    INLINE_POLICY,
    ROLE_DESCRIPTION,
)
from orgstack.plan.model import Change

#: IAM needs a few seconds before a new user can be named as a principal in a trust policy.
PRINCIPAL_WAIT_S = (1.0, 2.0, 4.0, 8.0, 15.0)
MAX_POLICY_VERSIONS = 5
#: What a user's tags carry besides orgstack's marker: the spec's e-mail and display name.
USER_TAGS = ("email", "name")


def create_policy(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create the MFA policy in the identity account (an existing one gets the new version).

    IAM actions: iam:CreatePolicy, iam:CreatePolicyVersion, iam:ListPolicyVersions,
    iam:DeletePolicyVersion, iam:TagPolicy
    """
    account, name = parts(change)
    _, after = values(change, ctx)
    client = iam(ctx, account)
    created = tolerate(
        ctx,
        ("EntityAlreadyExists",),
        "create_policy",
        client=client,
        PolicyName=name,
        PolicyDocument=doc(after["document"]),
        Description="orgstack: deny everything but MFA set-up until signed in with MFA",
        Tags=TAGS,
    )
    ctx.checkpoint(index, "called")
    if created is None:
        _new_version(ctx, client, account, name, after["document"])
    return {}


def update_policy(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Make the planned document the policy's default version (the oldest non-default version
    goes when AWS's five are used).

    IAM actions: iam:CreatePolicyVersion, iam:ListPolicyVersions, iam:DeletePolicyVersion
    """
    account, name = parts(change)
    _, after = values(change, ctx)
    _new_version(ctx, iam(ctx, account), account, name, after["document"])
    ctx.checkpoint(index, "called")
    return {}


def _new_version(ctx: ExecContext, client: Any, account: str, name: str, document: Any) -> None:
    arn = f"arn:aws:iam::{ctx.id_of(f'account:{account}')}:policy/{name}"
    versions = ctx.aws.call(client, "list_policy_versions", PolicyArn=arn)["Versions"]
    if len(versions) >= MAX_POLICY_VERSIONS:
        oldest = min(
            (v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"]
        )
        ctx.aws.call(client, "delete_policy_version", PolicyArn=arn, VersionId=oldest["VersionId"])
    ctx.aws.call(
        client,
        "create_policy_version",
        PolicyArn=arn,
        PolicyDocument=doc(document),
        SetAsDefault=True,
    )


def create_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create an IAM user in the identity account, without password or access keys (those are
    the person's to set; orgstack never handles secrets).

    IAM actions: iam:CreateUser, iam:TagUser, iam:UntagUser
    """
    account, name = parts(change)
    _, after = values(change, ctx)
    client = iam(ctx, account)
    tags = [*TAGS, *({"Key": k, "Value": after[k]} for k in USER_TAGS if after.get(k))]
    created = tolerate(
        ctx, ("EntityAlreadyExists",), "create_user", client=client, UserName=name, Tags=tags
    )
    ctx.checkpoint(index, "called")
    if created is None:
        ctx.aws.call(client, "tag_user", UserName=name, Tags=tags)
    return {}


def update_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Set the user's e-mail and name tags to the plan (a value the spec dropped is untagged).

    IAM actions: iam:TagUser, iam:UntagUser
    """
    account, name = parts(change)
    before, after = values(change, ctx)
    client = iam(ctx, account)
    tags = [{"Key": k, "Value": after[k]} for k in USER_TAGS if after.get(k)]
    gone = [k for k in USER_TAGS if not after.get(k) and (k in before or k in after)]
    if tags:
        ctx.aws.call(client, "tag_user", UserName=name, Tags=[*TAGS, *tags])
    if gone:
        ctx.aws.call(client, "untag_user", UserName=name, TagKeys=gone)
    ctx.checkpoint(index, "called")
    return {}


def create_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a group with its members, its switch-role policy and the MFA policy.

    IAM actions: iam:CreateGroup, iam:AddUserToGroup, iam:PutGroupPolicy,
    iam:AttachGroupPolicy
    """
    account, name = parts(change)
    client = iam(ctx, account)
    tolerate(ctx, ("EntityAlreadyExists",), "create_group", client=client, GroupName=name)
    ctx.checkpoint(index, "called")
    return _sync_group(change, ctx, client, name)


def update_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Bring members, the switch-role policy and attached policies to the plan.

    IAM actions: iam:AddUserToGroup, iam:RemoveUserFromGroup, iam:PutGroupPolicy,
    iam:DeleteGroupPolicy, iam:AttachGroupPolicy, iam:DetachGroupPolicy
    """
    account, name = parts(change)
    result = _sync_group(change, ctx, iam(ctx, account), name)
    ctx.checkpoint(index, "called")
    return result


def _sync_group(change: Change, ctx: ExecContext, client: Any, name: str) -> dict[str, Any]:
    before, after = values(change, ctx)
    check_resolved(change, after)
    if "members" in after:
        for user in sorted(set(after["members"]) - set(before.get("members", []))):
            ctx.aws.call(client, "add_user_to_group", GroupName=name, UserName=user)
        for user in sorted(set(before.get("members", [])) - set(after["members"])):
            tolerate(
                ctx,
                ("NoSuchEntity",),
                "remove_user_from_group",
                client=client,
                GroupName=name,
                UserName=user,
            )
    if "assume" in after:
        if after["assume"] is None:
            tolerate(
                ctx,
                ("NoSuchEntity",),
                "delete_group_policy",
                client=client,
                GroupName=name,
                PolicyName=ASSUME_POLICY,
            )
        else:
            ctx.aws.call(
                client,
                "put_group_policy",
                GroupName=name,
                PolicyName=ASSUME_POLICY,
                PolicyDocument=doc(after["assume"]),
            )
    if "managed" in after:
        for arn in sorted(set(after["managed"]) - set(before.get("managed", []))):
            ctx.aws.call(client, "attach_group_policy", GroupName=name, PolicyArn=arn)
        for arn in sorted(set(before.get("managed", [])) - set(after["managed"])):
            tolerate(
                ctx,
                ("NoSuchEntity",),
                "detach_group_policy",
                client=client,
                GroupName=name,
                PolicyArn=arn,
            )
    return {}


def create_role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a switch-role role in a member account: trust for the granted users only (MFA
    required), the session length, the level's managed and inline policies.

    IAM actions: iam:CreateRole, iam:TagRole, iam:ListRoleTags, iam:UntagRole,
    iam:UpdateAssumeRolePolicy, iam:UpdateRole, iam:AttachRolePolicy, iam:PutRolePolicy
    """
    account, name = parts(change)
    _, after = values(change, ctx)
    check_resolved(change, after)
    client = iam(ctx, account)
    created = _principal_retry(
        ctx,
        lambda: tolerate(
            ctx,
            ("EntityAlreadyExists",),
            "create_role",
            client=client,
            RoleName=name,
            AssumeRolePolicyDocument=doc(after["trust"]),
            MaxSessionDuration=after["max_session_s"],
            Description=after.get("description") or ROLE_DESCRIPTION,
            Tags=[*TAGS, *({"Key": k, "Value": v} for k, v in sorted(after["tags"].items()))],
        ),
    )
    ctx.checkpoint(index, "called")
    before: dict[str, Any] = {"managed": [], "inline": None, "tags": after["tags"]}
    if created is None:  # made by an earlier attempt or by hand: bring it to the plan
        before = {
            "tags": None,
            "trust": None,
            "max_session_s": None,
            "managed": [],
            "inline": None,
            "description": None,
        }
    _sync_role(ctx, client, name, before, after)
    return {}


def update_role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Bring a role's trust, grant tags, session length and policies to the plan.

    IAM actions: iam:UpdateAssumeRolePolicy, iam:UpdateRole, iam:TagRole, iam:UntagRole,
    iam:AttachRolePolicy, iam:DetachRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy
    """
    account, name = parts(change)
    before, after = values(change, ctx)
    check_resolved(change, after)
    if "description" in after:
        before.setdefault("description", None)  # a description the role did not have
    _sync_role(ctx, iam(ctx, account), name, before, after)
    ctx.checkpoint(index, "called")
    return {}


def _sync_role(
    ctx: ExecContext, client: Any, name: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    if "trust" in before and "trust" in after:
        _principal_retry(
            ctx,
            lambda: ctx.aws.call(
                client,
                "update_assume_role_policy",
                RoleName=name,
                PolicyDocument=doc(after["trust"]),
            ),
        )
    if "description" in before:
        ctx.aws.call(
            client,
            "update_role",
            RoleName=name,
            Description=after.get("description") or ROLE_DESCRIPTION,
        )
    if "max_session_s" in before and "max_session_s" in after:
        ctx.aws.call(
            client, "update_role", RoleName=name, MaxSessionDuration=after["max_session_s"]
        )
    if "tags" in after:
        _sync_role_tags(ctx, client, name, before.get("tags"), after["tags"])
    if "managed" in after:
        for arn in sorted(set(after["managed"]) - set(before.get("managed") or [])):
            ctx.aws.call(client, "attach_role_policy", RoleName=name, PolicyArn=arn)
        for arn in sorted(set(before.get("managed") or []) - set(after["managed"])):
            tolerate(
                ctx,
                ("NoSuchEntity",),
                "detach_role_policy",
                client=client,
                RoleName=name,
                PolicyArn=arn,
            )
    if "inline" in after:
        if after["inline"] is None:
            if before.get("inline") is not None:
                tolerate(
                    ctx,
                    ("NoSuchEntity",),
                    "delete_role_policy",
                    client=client,
                    RoleName=name,
                    PolicyName=INLINE_POLICY,
                )
        else:
            ctx.aws.call(
                client,
                "put_role_policy",
                RoleName=name,
                PolicyName=INLINE_POLICY,
                PolicyDocument=doc(after["inline"]),
            )


def _sync_role_tags(
    ctx: ExecContext,
    client: Any,
    name: str,
    before: dict[str, str] | None,
    after: dict[str, str],
) -> None:
    """The role's grant tags as planned (``before`` None: unknown, read them)."""
    if before is None:
        listed = ctx.aws.call(client, "list_role_tags", RoleName=name)["Tags"]
        before = {t["Key"]: t["Value"] for t in listed if t["Key"].startswith(GRANT_TAG)}
    added = [{"Key": k, "Value": v} for k, v in sorted(after.items()) if before.get(k) != v]
    gone = sorted(set(before) - set(after))
    if added:
        ctx.aws.call(client, "tag_role", RoleName=name, Tags=added)
    if gone:
        ctx.aws.call(client, "untag_role", RoleName=name, TagKeys=gone)


def delete_role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Delete a role orgstack made that left the spec (only with --allow-delete): its policies
    and instance profiles first.

    IAM actions: iam:ListAttachedRolePolicies, iam:DetachRolePolicy, iam:ListRolePolicies,
    iam:DeleteRolePolicy, iam:ListInstanceProfilesForRole, iam:RemoveRoleFromInstanceProfile,
    iam:DeleteRole
    """
    account, name = parts(change)
    client = iam(ctx, account)
    try:
        attached = ctx.aws.call(client, "list_attached_role_policies", RoleName=name)
    except AwsError as exc:
        if exc.code == "NoSuchEntity":
            return {}
        raise
    for policy in attached["AttachedPolicies"]:
        ctx.aws.call(client, "detach_role_policy", RoleName=name, PolicyArn=policy["PolicyArn"])
    for policy in ctx.aws.call(client, "list_role_policies", RoleName=name)["PolicyNames"]:
        ctx.aws.call(client, "delete_role_policy", RoleName=name, PolicyName=policy)
    profiles = ctx.aws.call(client, "list_instance_profiles_for_role", RoleName=name)
    for profile in profiles["InstanceProfiles"]:
        ctx.aws.call(
            client,
            "remove_role_from_instance_profile",
            RoleName=name,
            InstanceProfileName=profile["InstanceProfileName"],
        )
    tolerate(ctx, ("NoSuchEntity",), "delete_role", client=client, RoleName=name)
    ctx.checkpoint(index, "called")
    return {}


def _principal_retry(ctx: ExecContext, call: Any) -> Any:
    """IAM rejects a trust policy naming a user created seconds ago ("Invalid principal");
    wait for the user to propagate, a few times."""
    for wait in (*PRINCIPAL_WAIT_S, None):
        try:
            return call()
        except AwsError as exc:
            if (
                exc.code != "MalformedPolicyDocument"
                or "principal" not in exc.message.lower()
                or wait is None
            ):
                raise
            ctx.sleep(wait)
    raise AssertionError("unreachable")
