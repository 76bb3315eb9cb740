"""Read access objects back from AWS, in the shape ``desired`` builds from the spec.

IAM mode, calls: in the identity account one GetAccountAuthorizationDetails (users, groups and
local managed policies together); per member account AssumeRole (through the organization
access role; not for the account orgstack runs in), GetAccountAuthorizationDetails for roles
(trust, managed and inline policies in one answer) and ListRoles (the one listing that carries
MaxSessionDuration and Description). Accounts are read concurrently under the shared rate limiter.

Identity Center, calls: ListInstances; ListPermissionSets, and per set DescribePermissionSet,
then for orgstack's sets ListManagedPoliciesInPermissionSet and GetInlinePolicyForPermissionSet;
identity store ListUsers and ListGroups, per orgstack group ListGroupMemberships and
ListAccountAssignmentsForPrincipal (every account at once, instead of one call per account and
permission set).

IAM actions: sts:AssumeRole, iam:GetAccountAuthorizationDetails, iam:ListRoles,
sso:ListInstances, sso:ListPermissionSets, sso:DescribePermissionSet,
sso:ListManagedPoliciesInPermissionSet, sso:GetInlinePolicyForPermissionSet,
sso:ListAccountAssignmentsForPrincipal, identitystore:ListUsers, identitystore:ListGroups,
identitystore:ListGroupMemberships
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.access import probes
from orgstack.kinds.access.vocabulary import (
    IDENTITY_CENTER,
    IDENTITY_ID,
    MODE_ID,
    REGION_ID,
    address,
    kind_of,
)
from orgstack.model.access import IAM, PREFIX, Access, AccessUser
from orgstack.model.kind import Live, ReadRequest, account_of

INSTANCE = "identity-center:instance"
STORE = "identity-center:store"
REGION = REGION_ID


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    """The live access objects. ``request.accounts`` maps account names to ids (existing,
    active accounts); ``request.only`` limits the accounts read (apply re-reads only what its
    plan touches). Without an organization, Identity Center cannot exist: a pre-flight error."""
    access = _access(request)
    live = Live()
    if access.mode == IAM:
        accounts = request.every_account()
        outside = {n for n in accounts if n not in request.accounts}
        _read_iam(ctx, access, accounts, live, request.only, outside)
        for name, account_id in accounts.items():
            if name not in request.accounts:  # an account the spec does not know
                live.ids[f"account:{name}"] = account_id
    elif request.live is None:
        live.problems.append(
            (
                "access.mode identity-center needs an organization with IAM Identity Center "
                "enabled",
                "Apply the organization first (without access:), enable Identity Center in "
                "the console, then add access: and plan again.",
            )
        )
    else:
        _read_identity_center(ctx, access, dict(request.accounts), live)
    return live


def _access(request: ReadRequest) -> Access:
    """What the read needs of ``access:``: the mode and identity account (``read_with``'s,
    else what the targets' types say), the users the targets name, the Identity Center
    Region."""
    parts = [(account_of(a), kind_of(a), a.rsplit("/", 1)[-1]) for a in request.targets]
    iam_kinds = {"role", "user", "group", "policy"}
    derived = IAM if any(kind in iam_kinds for _, kind, _ in parts) else IDENTITY_CENTER
    mode = request.ids.get(MODE_ID) or derived
    identity = request.ids.get(IDENTITY_ID) or next(
        (acct for acct, kind, _ in parts if kind in ("user", "group", "policy")), ""
    )
    users = tuple(
        sorted(
            {AccessUser(name) for _, kind, name in parts if kind in ("user", "sso-user")},
            key=lambda u: u.name,
        )
    )
    return Access(mode, identity, users=users, sso_region=request.ids.get(REGION_ID))


def _read_iam(
    ctx: ReadContext,
    access: Access,
    accounts: dict[str, str],
    live: Live,
    only: frozenset[str] | None,
    outside: set[str] | None = None,
) -> None:
    identity = access.identity_account
    wanted = {
        name: account_id for name, account_id in accounts.items() if only is None or name in only
    }
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {
            name: pool.submit(lambda i: probes.roles(ctx, ctx.member(i)), account_id)
            for name, account_id in wanted.items()
        }
        identity_id = accounts.get(identity)
        people = (
            pool.submit(lambda i: probes.identity(ctx, ctx.member(i)), identity_id)
            if identity_id and (only is None or identity in only)
            else None
        )
        for name, future in futures.items():
            try:
                found = future.result()
            except AwsError as exc:
                if name not in (outside or set()):
                    raise
                live.unreachable(name, wanted[name], exc)
                continue
            for role, value in found.items():
                addr = address(name, "role", role)
                live.resources[addr] = value
                live.managed.add(addr)
        if people is not None:
            users, groups, policies = people.result()
            declared = {u.name for u in access.users}
            for user, (value, managed) in users.items():
                addr = address(identity, "user", user)
                if managed or user in declared:
                    live.resources[addr] = value
                if managed:
                    live.managed.add(addr)
            for group, value in groups.items():
                addr = address(identity, "group", group)
                live.resources[addr] = value
                live.managed.add(addr)
            for policy, value in policies.items():
                addr = address(identity, "policy", policy)
                live.resources[addr] = value
                live.managed.add(addr)


def _read_identity_center(
    context: ReadContext, access: Access, accounts: dict[str, str], live: Live
) -> None:
    region = access.sso_region
    sso = context.client("sso-admin", region)
    store = context.client("identitystore", region)
    instances = list(context.pages(sso, "list_instances", "Instances"))
    if not instances:
        raise AwsError(
            "IAM Identity Center is not enabled in this organization",
            "Enable it in the console (IAM Identity Center → Enable) in the Region of "
            "access.sso_region, then plan again.",
        )
    instance, store_id = instances[0]["InstanceArn"], instances[0]["IdentityStoreId"]
    live.ids[INSTANCE], live.ids[STORE] = instance, store_id
    if region:
        live.ids[REGION] = region
    sets: dict[str, str] = {}
    for arn in context.pages(sso, "list_permission_sets", "PermissionSets", InstanceArn=instance):
        described = context.call(
            sso, "describe_permission_set", InstanceArn=instance, PermissionSetArn=arn
        )["PermissionSet"]
        name = described["Name"]
        if not name.startswith(PREFIX):
            continue
        sets[arn] = name
        managed = context.pages(
            sso,
            "list_managed_policies_in_permission_set",
            "AttachedManagedPolicies",
            InstanceArn=instance,
            PermissionSetArn=arn,
        )
        inline = context.call(
            sso, "get_inline_policy_for_permission_set", InstanceArn=instance, PermissionSetArn=arn
        ).get("InlinePolicy")
        addr = address(IDENTITY_CENTER, "permission-set", name)
        live.resources[addr] = {
            "session": described.get("SessionDuration", "PT1H"),
            "managed": sorted(p["Arn"] for p in managed),
            "inline": probes.document(inline) if inline else None,
            "description": described.get("Description", ""),
        }
        live.managed.add(addr)
        live.ids[addr] = arn
    declared = {u.name for u in access.users}
    user_names: dict[str, str] = {}
    for user in context.pages(store, "list_users", "Users", IdentityStoreId=store_id):
        user_names[user["UserId"]] = user["UserName"]
        if user["UserName"] not in declared:
            continue
        email = next((e["Value"] for e in user.get("Emails", []) if e.get("Primary", True)), None)
        addr = address(IDENTITY_CENTER, "sso-user", user["UserName"])
        live.resources[addr] = {"display_name": user.get("DisplayName"), "email": email}
        live.ids[addr] = user["UserId"]
    _read_sso_groups(context, sso, store, instance, store_id, sets, user_names, accounts, live)


def _read_sso_groups(
    context: ReadContext,
    sso: Any,
    store: Any,
    instance: str,
    store_id: str,
    sets: dict[str, str],
    user_names: dict[str, str],
    accounts: dict[str, str],
    live: Live,
) -> None:
    """orgstack's identity-store groups: members, and their assignments in every account."""
    names = {account_id: name for name, account_id in accounts.items()}
    for group in context.pages(store, "list_groups", "Groups", IdentityStoreId=store_id):
        name = group.get("DisplayName", "")
        if not name.startswith(PREFIX):
            continue
        memberships = context.pages(
            store,
            "list_group_memberships",
            "GroupMemberships",
            IdentityStoreId=store_id,
            GroupId=group["GroupId"],
        )
        addr = address(IDENTITY_CENTER, "sso-group", name)
        member_ids = [
            m["MemberId"]["UserId"] for m in memberships if "UserId" in m.get("MemberId", {})
        ]
        for user_id in member_ids:  # a member the spec dropped: its id, to remove it
            if user_id in user_names:
                live.ids.setdefault(
                    address(IDENTITY_CENTER, "sso-user", user_names[user_id]), user_id
                )
        live.resources[addr] = {
            "members": sorted(user_names.get(user_id, user_id) for user_id in member_ids)
        }
        live.managed.add(addr)
        live.ids[addr] = group["GroupId"]
        assigned = context.pages(
            sso,
            "list_account_assignments_for_principal",
            "AccountAssignments",
            InstanceArn=instance,
            PrincipalId=group["GroupId"],
            PrincipalType="GROUP",
        )
        for item in assigned:
            permission_set = sets.get(item["PermissionSetArn"])
            if permission_set is None:
                continue
            account = names.get(item["AccountId"], item["AccountId"])
            addr = address(account, "assignment", permission_set, name)
            live.resources[addr] = {
                "account": item["AccountId"],
                "permission_set": permission_set,
                "group": name,
            }
            live.managed.add(addr)
