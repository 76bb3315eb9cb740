"""Make the break-glass role, keep it as the spec says, or revoke it (trust nobody, no
policies) where the spec wants none. Idempotent: a resumed apply finds the role by name.
Runs through orgstack's access role, which the protect-break-glass-role guardrail exempts."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.executors import tolerate
from orgstack.aws.errors import AwsError
from orgstack.model import minified
from orgstack.model.kind import account_of
from orgstack.plan.model import Action, Change
from orgstack.plan.resources import unresolved

#: IAM refuses a trust naming a user made seconds ago ("Invalid principal") for a while.
NOT_YET = frozenset({"MalformedPolicyDocument"})
EXISTS, GONE = ("EntityAlreadyExists",), ("NoSuchEntity",)


def _after(change: Change, ctx: ExecContext) -> dict[str, Any]:
    """The change's value with account ids filled in; an ApplyError while one is missing."""
    after: dict[str, Any] = ctx.resolved(change.after or {})
    if unresolved(after):
        raise ApplyError(
            f"{change.address}: an account it names has no id yet",
            "Its creation did not complete; resume the apply once it has.",
        )
    return after


def role(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The role with its trust (the spec's principals, MFA), session length and policies.

    IAM actions: iam:CreateRole, iam:TagRole, iam:UpdateAssumeRolePolicy, iam:UpdateRole,
    iam:ListAttachedRolePolicies, iam:AttachRolePolicy, iam:DetachRolePolicy
    """
    after = _after(change, ctx)
    iam = ctx.member_client(account_of(change.address), "iam")
    name, trust = after["name"], minified(after["trust"])
    call = ctx.aws.call
    if change.action == Action.CREATE:
        ctx.propagated(
            NOT_YET,
            lambda: tolerate(
                ctx,
                EXISTS,
                "create_role",
                client=iam,
                RoleName=name,
                AssumeRolePolicyDocument=trust,
                MaxSessionDuration=after["max_session_s"],
                Description="orgstack: break glass; the only exemption of the guardrails",
                Tags=[{"Key": "orgstack:purpose", "Value": "break-glass"}],
            ),
        )
        ctx.checkpoint(index, "created")
    ctx.propagated(
        NOT_YET,
        lambda: call(iam, "update_assume_role_policy", RoleName=name, PolicyDocument=trust),
    )
    call(iam, "update_role", RoleName=name, MaxSessionDuration=after["max_session_s"])
    attached = {
        p["PolicyArn"]
        for page in ctx.aws.page_list(iam, "list_attached_role_policies", RoleName=name)
        for p in page.get("AttachedPolicies", [])
    }
    for arn in sorted(attached - set(after["policies"])):
        call(iam, "detach_role_policy", RoleName=name, PolicyArn=arn)
    for arn in sorted(set(after["policies"]) - attached):
        call(iam, "attach_role_policy", RoleName=name, PolicyArn=arn)
    ctx.checkpoint(index, "called")
    return {}


def delete(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Delete a break-glass role the spec wants nowhere (only with --allow-delete; every plan
    before revoked it): its policies first, as IAM requires. A role already gone is done.

    IAM actions: iam:ListAttachedRolePolicies, iam:DetachRolePolicy, iam:ListRolePolicies,
    iam:DeleteRolePolicy, iam:DeleteRole
    """
    iam = ctx.member_client(account_of(change.address), "iam")
    name = (change.before or {}).get("name")
    call = ctx.aws.call
    try:
        for page in ctx.aws.page_list(iam, "list_attached_role_policies", RoleName=name):
            for policy in page.get("AttachedPolicies", []):
                call(iam, "detach_role_policy", RoleName=name, PolicyArn=policy["PolicyArn"])
        for page in ctx.aws.page_list(iam, "list_role_policies", RoleName=name):
            for inline in page.get("PolicyNames", []):
                call(iam, "delete_role_policy", RoleName=name, PolicyName=inline)
        call(iam, "delete_role", RoleName=name)
    except AwsError as exc:
        if exc.code not in GONE:
            raise
    ctx.checkpoint(index, "called")
    return {}


def permission(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The trusted user's inline policy allowing sts:AssumeRole on the role (with MFA).

    IAM actions: iam:PutUserPolicy
    """
    after = _after(change, ctx)
    iam = ctx.member_client(account_of(change.address), "iam")
    ctx.aws.call(
        iam,
        "put_user_policy",
        UserName=after["user"],
        PolicyName=after["name"],
        PolicyDocument=minified(after["document"]),
    )
    ctx.checkpoint(index, "called")
    return {}


def delete_permission(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Remove the inline policy (only with --allow-delete); one already gone is done.

    IAM actions: iam:DeleteUserPolicy
    """
    before = change.before or {}
    iam = ctx.member_client(account_of(change.address), "iam")
    tolerate(
        ctx,
        GONE,
        "delete_user_policy",
        client=iam,
        UserName=before["user"],
        PolicyName=before["name"],
    )
    ctx.checkpoint(index, "called")
    return {}


def waits_for(change: Change, changes: tuple[Change, ...]) -> set[int] | None:
    """The role's trust and the users' permission name IAM users of the identity account:
    they wait for the access kind's user changes only (not for every account's roles, so an
    account that failed to be created holds back nothing here)."""
    return {
        j
        for j, c in enumerate(changes)
        if c.address.startswith("access:") and "/user/" in c.address
    }


def user(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """An IAM user the role trusts, in the management account: no password, no key (its
    person sets up credentials and MFA); one that exists already is taken.

    IAM actions: iam:CreateUser, iam:TagUser
    """
    iam = ctx.member_client(account_of(change.address), "iam")
    tolerate(
        ctx,
        EXISTS,
        "create_user",
        client=iam,
        UserName=(change.after or {})["name"],
        Tags=[{"Key": "orgstack:purpose", "Value": "break-glass"}],
    )
    ctx.checkpoint(index, "called")
    return {}


#: A trust or a user policy names the user: made first.
WAITS_FOR = {"role": ("user",), "permission": ("user",)}

EXECUTORS = {
    ("user", "create"): user,
    ("user", "update"): user,  # its value is its name: never planned, kept for completeness
    ("role", "create"): role,
    ("role", "update"): role,
    ("role", "delete"): delete,
    ("permission", "create"): permission,
    ("permission", "update"): permission,
    ("permission", "delete"): delete_permission,
}
