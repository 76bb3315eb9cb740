"""Access objects: IAM roles, users, groups and the MFA policy (IAM mode); permission sets,
identity-store users and groups, and account assignments (Identity Center).

Every executor is idempotent: an object that exists already is brought to the planned value.
Changes in member accounts run through the organization access role, the management account's
directly; account ids of accounts created earlier in the same apply are resolved here.
"""

from __future__ import annotations

import json
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.aws.errors import AwsError
from orgstack.live.access import INSTANCE, MANAGED_TAG, REGION, STORE
from orgstack.plan.access import (
    ASSUME_POLICY,
    IDENTITY_CENTER,
    INLINE_POLICY,
    canonical,
    kind_of,
    resolve,
)
from orgstack.plan.model import Change

#: IAM needs a few seconds before a new user can be named as a principal in a trust policy.
PRINCIPAL_WAIT_S = (1.0, 2.0, 4.0, 8.0, 15.0)
MAX_POLICY_VERSIONS = 5
TAGS = [{"Key": MANAGED_TAG, "Value": "true"}]


def _doc(document: Any) -> str:
    """A policy document as uploaded: canonical again after account ids were filled in (so
    lists stay sorted by the real ids), minified."""
    return json.dumps(canonical(document), separators=(",", ":"), ensure_ascii=False)


def _parts(change: Change) -> tuple[str, str]:
    """(account name, object name) of an access address."""
    body = change.address.split(":", 1)[1]
    account, _, rest = body.partition("/")
    return account, rest.split("/", 1)[1]


def _values(change: Change, ctx: ExecContext) -> tuple[dict[str, Any], dict[str, Any]]:
    with ctx._lock:
        ids = dict(ctx.ids)
    return resolve(change.before or {}, ids), resolve(change.after or {}, ids)


def _iam(ctx: ExecContext, account: str) -> Any:
    return ctx.access_clients().client(ctx.id_of(f"account:{account}"))


def _call(ctx: ExecContext, client: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
    return ctx.aws.call(client, operation, **kwargs)


def _tolerate(
    ctx: ExecContext, client: Any, codes: tuple[str, ...], operation: str, **kwargs: Any
) -> dict[str, Any] | None:
    try:
        return _call(ctx, client, operation, **kwargs)
    except AwsError as exc:
        if exc.code in codes:
            return None
        raise


def _check_resolved(change: Change, value: Any) -> None:
    text = json.dumps(value)
    if "{account:" in text:
        raise ApplyError(
            f"{change.address}: an account it refers to has no id yet",
            "The account's creation did not complete; resume the apply once it has.",
        )


# IAM mode ------------------------------------------------------------------------------------


def create_policy(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create the MFA policy in the identity account (an existing one gets the new version).

    IAM actions: iam:CreatePolicy, iam:CreatePolicyVersion, iam:ListPolicyVersions,
    iam:DeletePolicyVersion, iam:TagPolicy
    """
    account, name = _parts(change)
    _, after = _values(change, ctx)
    client = _iam(ctx, account)
    created = _tolerate(
        ctx,
        client,
        ("EntityAlreadyExists",),
        "create_policy",
        PolicyName=name,
        PolicyDocument=_doc(after["document"]),
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
    account, name = _parts(change)
    _, after = _values(change, ctx)
    _new_version(ctx, _iam(ctx, account), account, name, after["document"])
    ctx.checkpoint(index, "called")
    return {}


def _new_version(ctx: ExecContext, client: Any, account: str, name: str, document: Any) -> None:
    arn = f"arn:aws:iam::{ctx.id_of(f'account:{account}')}:policy/{name}"
    versions = _call(ctx, client, "list_policy_versions", PolicyArn=arn)["Versions"]
    if len(versions) >= MAX_POLICY_VERSIONS:
        oldest = min(
            (v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"]
        )
        _call(ctx, client, "delete_policy_version", PolicyArn=arn, VersionId=oldest["VersionId"])
    _call(
        ctx,
        client,
        "create_policy_version",
        PolicyArn=arn,
        PolicyDocument=_doc(document),
        SetAsDefault=True,
    )


def create_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create an IAM user in the identity account, without password or access keys (those are
    the person's to set; orgstack never handles secrets).

    IAM actions: iam:CreateUser, iam:TagUser, iam:UntagUser
    """
    account, name = _parts(change)
    _, after = _values(change, ctx)
    client = _iam(ctx, account)
    tags = [*TAGS, *([{"Key": "email", "Value": after["email"]}] if after.get("email") else [])]
    created = _tolerate(
        ctx, client, ("EntityAlreadyExists",), "create_user", UserName=name, Tags=tags
    )
    ctx.checkpoint(index, "called")
    if created is None:
        _call(ctx, client, "tag_user", UserName=name, Tags=tags)
    return {}


def update_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Set the user's e-mail tag.

    IAM actions: iam:TagUser, iam:UntagUser
    """
    account, name = _parts(change)
    _, after = _values(change, ctx)
    client = _iam(ctx, account)
    if after.get("email"):
        tags = [*TAGS, {"Key": "email", "Value": after["email"]}]
        _call(ctx, client, "tag_user", UserName=name, Tags=tags)
    else:
        _call(ctx, client, "untag_user", UserName=name, TagKeys=["email"])
    ctx.checkpoint(index, "called")
    return {}


def create_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a group with its members, its switch-role policy and the MFA policy.

    IAM actions: iam:CreateGroup, iam:AddUserToGroup, iam:PutGroupPolicy,
    iam:AttachGroupPolicy
    """
    account, name = _parts(change)
    client = _iam(ctx, account)
    _tolerate(ctx, client, ("EntityAlreadyExists",), "create_group", GroupName=name)
    ctx.checkpoint(index, "called")
    return _sync_group(change, ctx, client, name)


def update_group(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Bring members, the switch-role policy and attached policies to the plan.

    IAM actions: iam:AddUserToGroup, iam:RemoveUserFromGroup, iam:PutGroupPolicy,
    iam:DeleteGroupPolicy, iam:AttachGroupPolicy, iam:DetachGroupPolicy
    """
    account, name = _parts(change)
    result = _sync_group(change, ctx, _iam(ctx, account), name)
    ctx.checkpoint(index, "called")
    return result


def _sync_group(change: Change, ctx: ExecContext, client: Any, name: str) -> dict[str, Any]:
    before, after = _values(change, ctx)
    _check_resolved(change, after)
    if "members" in after:
        for user in sorted(set(after["members"]) - set(before.get("members", []))):
            _call(ctx, client, "add_user_to_group", GroupName=name, UserName=user)
        for user in sorted(set(before.get("members", [])) - set(after["members"])):
            _tolerate(
                ctx,
                client,
                ("NoSuchEntity",),
                "remove_user_from_group",
                GroupName=name,
                UserName=user,
            )
    if "assume" in after:
        if after["assume"] is None:
            _tolerate(
                ctx,
                client,
                ("NoSuchEntity",),
                "delete_group_policy",
                GroupName=name,
                PolicyName=ASSUME_POLICY,
            )
        else:
            _call(
                ctx,
                client,
                "put_group_policy",
                GroupName=name,
                PolicyName=ASSUME_POLICY,
                PolicyDocument=_doc(after["assume"]),
            )
    if "managed" in after:
        for arn in sorted(set(after["managed"]) - set(before.get("managed", []))):
            _call(ctx, client, "attach_group_policy", GroupName=name, PolicyArn=arn)
        for arn in sorted(set(before.get("managed", [])) - set(after["managed"])):
            _tolerate(
                ctx, client, ("NoSuchEntity",), "detach_group_policy", GroupName=name, PolicyArn=arn
            )
    return {}


def create_role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Create a switch-role role in a member account: trust for the granted users only (MFA
    required), the session length, the level's managed and inline policies.

    IAM actions: iam:CreateRole, iam:TagRole, iam:UpdateAssumeRolePolicy, iam:UpdateRole,
    iam:AttachRolePolicy, iam:PutRolePolicy
    """
    account, name = _parts(change)
    _, after = _values(change, ctx)
    _check_resolved(change, after)
    client = _iam(ctx, account)
    created = _principal_retry(
        ctx,
        lambda: _tolerate(
            ctx,
            client,
            ("EntityAlreadyExists",),
            "create_role",
            RoleName=name,
            AssumeRolePolicyDocument=_doc(after["trust"]),
            MaxSessionDuration=after["max_session_s"],
            Description="orgstack switch-role role; managed by orgstack",
            Tags=TAGS,
        ),
    )
    ctx.checkpoint(index, "called")
    before: dict[str, Any] = {"managed": [], "inline": None}
    if created is None:  # made by an earlier attempt or by hand: bring it to the plan
        before = {"trust": None, "max_session_s": None, "managed": [], "inline": None}
    _sync_role(ctx, client, name, before, after)
    return {}


def update_role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Bring a role's trust, session length and policies to the plan.

    IAM actions: iam:UpdateAssumeRolePolicy, iam:UpdateRole, iam:AttachRolePolicy,
    iam:DetachRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy
    """
    account, name = _parts(change)
    before, after = _values(change, ctx)
    _check_resolved(change, after)
    _sync_role(ctx, _iam(ctx, account), name, before, after)
    ctx.checkpoint(index, "called")
    return {}


def _sync_role(
    ctx: ExecContext, client: Any, name: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    if "trust" in before and "trust" in after:
        _principal_retry(
            ctx,
            lambda: _call(
                ctx,
                client,
                "update_assume_role_policy",
                RoleName=name,
                PolicyDocument=_doc(after["trust"]),
            ),
        )
    if "max_session_s" in before and "max_session_s" in after:
        _call(ctx, client, "update_role", RoleName=name, MaxSessionDuration=after["max_session_s"])
    if "managed" in after:
        for arn in sorted(set(after["managed"]) - set(before.get("managed") or [])):
            _call(ctx, client, "attach_role_policy", RoleName=name, PolicyArn=arn)
        for arn in sorted(set(before.get("managed") or []) - set(after["managed"])):
            _tolerate(
                ctx, client, ("NoSuchEntity",), "detach_role_policy", RoleName=name, PolicyArn=arn
            )
    if "inline" in after:
        if after["inline"] is None:
            if before.get("inline") is not None:
                _tolerate(
                    ctx,
                    client,
                    ("NoSuchEntity",),
                    "delete_role_policy",
                    RoleName=name,
                    PolicyName=INLINE_POLICY,
                )
        else:
            _call(
                ctx,
                client,
                "put_role_policy",
                RoleName=name,
                PolicyName=INLINE_POLICY,
                PolicyDocument=_doc(after["inline"]),
            )


def delete_role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Delete a role orgstack made that left the spec (only with --allow-delete): its policies
    and instance profiles first.

    IAM actions: iam:ListAttachedRolePolicies, iam:DetachRolePolicy, iam:ListRolePolicies,
    iam:DeleteRolePolicy, iam:ListInstanceProfilesForRole, iam:RemoveRoleFromInstanceProfile,
    iam:DeleteRole
    """
    account, name = _parts(change)
    client = _iam(ctx, account)
    try:
        attached = _call(ctx, client, "list_attached_role_policies", RoleName=name)
    except AwsError as exc:
        if exc.code == "NoSuchEntity":
            return {}
        raise
    for policy in attached["AttachedPolicies"]:
        _call(ctx, client, "detach_role_policy", RoleName=name, PolicyArn=policy["PolicyArn"])
    for policy in _call(ctx, client, "list_role_policies", RoleName=name)["PolicyNames"]:
        _call(ctx, client, "delete_role_policy", RoleName=name, PolicyName=policy)
    profiles = _call(ctx, client, "list_instance_profiles_for_role", RoleName=name)
    for profile in profiles["InstanceProfiles"]:
        _call(
            ctx,
            client,
            "remove_role_from_instance_profile",
            RoleName=name,
            InstanceProfileName=profile["InstanceProfileName"],
        )
    _tolerate(ctx, client, ("NoSuchEntity",), "delete_role", RoleName=name)
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


# Identity Center -----------------------------------------------------------------------------


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
    _, name = _parts(change)
    _, after = _values(change, ctx)
    sso, instance = _sso(ctx), _instance(ctx)
    created = _tolerate(
        ctx,
        sso,
        ("ConflictException",),
        "create_permission_set",
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
        described = _call(
            ctx, sso, "describe_permission_set", InstanceArn=instance, PermissionSetArn=arn
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
    before, after = _values(change, ctx)
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
        _call(
            ctx, sso, "update_permission_set", InstanceArn=instance, PermissionSetArn=arn, **fields
        )
    if "managed" in after:
        for policy in sorted(set(after["managed"]) - set(before.get("managed") or [])):
            _tolerate(
                ctx,
                sso,
                ("ConflictException",),
                "attach_managed_policy_to_permission_set",
                InstanceArn=instance,
                PermissionSetArn=arn,
                ManagedPolicyArn=policy,
            )
        for policy in sorted(set(before.get("managed") or []) - set(after["managed"])):
            _tolerate(
                ctx,
                sso,
                ("ResourceNotFoundException",),
                "detach_managed_policy_from_permission_set",
                InstanceArn=instance,
                PermissionSetArn=arn,
                ManagedPolicyArn=policy,
            )
    if "inline" in after:
        if after["inline"] is not None:
            _call(
                ctx,
                sso,
                "put_inline_policy_to_permission_set",
                InstanceArn=instance,
                PermissionSetArn=arn,
                InlinePolicy=_doc(after["inline"]),
            )
        elif before.get("inline") is not None:
            _call(
                ctx,
                sso,
                "delete_inline_policy_from_permission_set",
                InstanceArn=instance,
                PermissionSetArn=arn,
            )
    if provision:
        answer = _call(
            ctx,
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
        status = _call(
            ctx,
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
    _tolerate(
        ctx,
        _sso(ctx),
        ("ResourceNotFoundException",),
        "delete_permission_set",
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
    name = _parts(change)[1]
    store = ctx.id_of(STORE)
    created = _tolerate(
        ctx,
        _store(ctx),
        ("ConflictException",),
        f"create_{kind.lower()}",
        IdentityStoreId=store,
        **fields,
    )
    ctx.checkpoint(index, "called")
    if created is None:
        created = _call(
            ctx,
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
    _, after = _values(change, ctx)
    email = after.get("email")
    user_id = _store_object(
        change,
        index,
        ctx,
        "User",
        "userName",
        UserName=_parts(change)[1],
        DisplayName=after["display_name"],
        Name=_name_parts(after["display_name"]),
        **({"Emails": [{"Value": email, "Type": "work", "Primary": True}]} if email else {}),
    )
    return {"id": user_id}


def update_sso_user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Set a user's display name and e-mail.

    IAM actions: identitystore:UpdateUser
    """
    _, after = _values(change, ctx)
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
    _call(
        ctx,
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
        DisplayName=_parts(change)[1],
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
    before, after = _values(change, ctx)
    store = ctx.id_of(STORE)
    for user in sorted(set(after.get("members", [])) - set(before.get("members", []))):
        _tolerate(
            ctx,
            _store(ctx),
            ("ConflictException",),
            "create_group_membership",
            IdentityStoreId=store,
            GroupId=group_id,
            MemberId={"UserId": _user_id(ctx, user)},
        )
    for user in sorted(set(before.get("members", [])) - set(after.get("members", []))):
        try:
            user_id = _user_id(ctx, user)
        except ApplyError:
            user_id = user  # a member orgstack does not know: the live id itself
        membership = _tolerate(
            ctx,
            _store(ctx),
            ("ResourceNotFoundException",),
            "get_group_membership_id",
            IdentityStoreId=store,
            GroupId=group_id,
            MemberId={"UserId": user_id},
        )
        if membership is not None:
            _call(
                ctx,
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
    _, after = _values(change, ctx)
    _check_resolved(change, after)
    answer = _call(ctx, _sso(ctx), "create_account_assignment", **_assignment(ctx, after))
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
    answer = _tolerate(
        ctx,
        _sso(ctx),
        ("ResourceNotFoundException",),
        "delete_account_assignment",
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


EXECUTORS = {
    ("policy", "create"): create_policy,
    ("policy", "update"): update_policy,
    ("user", "create"): create_user,
    ("user", "update"): update_user,
    ("group", "create"): create_group,
    ("group", "update"): update_group,
    ("role", "create"): create_role,
    ("role", "update"): update_role,
    ("role", "delete"): delete_role,
    ("permission-set", "create"): create_permission_set,
    ("permission-set", "update"): update_permission_set,
    ("permission-set", "delete"): delete_permission_set,
    ("sso-user", "create"): create_sso_user,
    ("sso-user", "update"): update_sso_user,
    ("sso-group", "create"): create_sso_group,
    ("sso-group", "update"): update_sso_group,
    ("assignment", "create"): create_assignment,
    ("assignment", "detach"): detach_assignment,
}


def run(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    return EXECUTORS[(kind_of(change.address), change.action.value)](change, index, ctx)


def dependencies(index: int, change: Change, changes: tuple[Change, ...]) -> set[int]:
    """What an access change waits for: the accounts it lives in or points at, the users a
    trust policy or group names, the permission set and group an assignment joins."""
    text = json.dumps(change.after or change.before or {})
    body = change.address.split(":", 1)[1]
    account = body.split("/", 1)[0]
    kind = kind_of(change.address)
    wanted_accounts = {account} | {part.split("}", 1)[0] for part in text.split("{account:")[1:]}
    needs: set[int] = set()
    for j, other in enumerate(changes):
        if j == index:
            continue
        if other.address == "organization":
            needs.add(j)
        elif other.action.value == "create" and other.address.startswith("account:"):
            if other.address.split(":", 1)[1] in wanted_accounts:
                needs.add(j)
        elif other.address.startswith("access:"):
            other_kind = kind_of(other.address)
            if other.action.value == "create" and (
                (kind in ("role", "group") and other_kind in ("user", "policy"))
                or (kind == "sso-group" and other_kind == "sso-user")
                or (kind == "assignment" and other_kind in ("permission-set", "sso-group"))
            ):
                needs.add(j)
            if (
                kind == "permission-set"
                and change.action.value == "delete"
                and other_kind == "assignment"
            ):
                needs.add(j)
    return needs
