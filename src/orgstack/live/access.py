"""Read access objects back from AWS, in the shape ``plan.access`` builds from the spec.

IAM mode, calls: in the identity account one GetAccountAuthorizationDetails (users, groups and
local managed policies together); per member account AssumeRole (through the organization
access role; not for the account orgstack runs in), GetAccountAuthorizationDetails for roles
(trust, managed and inline policies in one answer) and ListRoles (the one listing that carries
MaxSessionDuration). Accounts are read concurrently under the shared rate limiter.

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

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

from orgstack.aws.assume import MemberSessions
from orgstack.aws.context import AwsContext
from orgstack.aws.errors import AwsError
from orgstack.model.access import IAM, PREFIX, Access
from orgstack.plan.access import (
    ASSUME_POLICY,
    IDENTITY_CENTER,
    INLINE_POLICY,
    MFA_POLICY,
    REGION_ID,
    LiveAccess,
    address,
    canonical,
)

MANAGED_TAG = "orgstack:managed"
INSTANCE = "identity-center:instance"
STORE = "identity-center:store"
REGION = REGION_ID


def _document(value: Any) -> Any:
    """A policy document as botocore returns it (decoded) or as raw URL-encoded JSON."""
    if isinstance(value, str):
        return canonical(json.loads(unquote(value)))
    return canonical(value)


class Clients:
    """IAM-family clients per account: the account orgstack runs in directly, others through
    the organization access role."""

    def __init__(self, context: AwsContext, home: str, role: str) -> None:
        self.context = context
        self.home = home
        self.members = MemberSessions(context, role)

    def client(self, account_id: str, service: str = "iam") -> Any:
        if account_id == self.home:
            return self.context.client(service)
        return self.members.client(account_id, service)


def read_access(
    context: AwsContext,
    access: Access,
    accounts: dict[str, str],
    clients: Clients,
    *,
    only: set[str] | None = None,
) -> LiveAccess:
    """The live access objects. ``accounts`` maps account names to ids (only existing,
    active accounts); ``only`` limits the member accounts read (apply re-reads only what its
    plan touches)."""
    live = LiveAccess()
    if access.mode == IAM:
        _read_iam(context, access, accounts, clients, live, only)
    else:
        _read_identity_center(context, access, accounts, live)
    return live


def _read_iam(
    context: AwsContext,
    access: Access,
    accounts: dict[str, str],
    clients: Clients,
    live: LiveAccess,
    only: set[str] | None,
) -> None:
    identity = access.identity_account
    wanted = {
        name: account_id for name, account_id in accounts.items() if only is None or name in only
    }
    with ThreadPoolExecutor(max_workers=context.options.max_workers) as pool:
        futures = {
            name: pool.submit(lambda i: _roles(context, clients.client(i)), account_id)
            for name, account_id in wanted.items()
        }
        identity_id = accounts.get(identity)
        people = (
            pool.submit(lambda i: _identity(context, clients.client(i)), identity_id)
            if identity_id and (only is None or identity in only)
            else None
        )
        for name, future in futures.items():
            for role, value in future.result().items():
                addr = address(name, "role", role)
                live.resources[addr] = value
                live.managed.add(addr)
            live.accounts.add(name)
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


def _roles(context: AwsContext, client: Any) -> dict[str, dict[str, Any]]:
    """orgstack's roles in one account: trust, session, managed and inline policies."""
    details = [
        role
        for page in context.page_list(client, "get_account_authorization_details", Filter=["Role"])
        for role in page.get("RoleDetailList", [])
        if role["RoleName"].startswith(PREFIX)
    ]
    if not details:
        return {}
    sessions = {
        role["RoleName"]: int(role.get("MaxSessionDuration", 3600))
        for page in context.page_list(client, "list_roles")
        for role in page.get("Roles", [])
        if role["RoleName"].startswith(PREFIX)
    }
    found: dict[str, dict[str, Any]] = {}
    for role in details:
        inline = {p["PolicyName"]: p["PolicyDocument"] for p in role.get("RolePolicyList", [])}
        found[role["RoleName"]] = {
            "trust": _document(role["AssumeRolePolicyDocument"]),
            "max_session_s": sessions.get(role["RoleName"], 3600),
            "managed": sorted(p["PolicyArn"] for p in role.get("AttachedManagedPolicies", [])),
            "inline": _document(inline[INLINE_POLICY]) if INLINE_POLICY in inline else None,
        }
    return found


def _identity(
    context: AwsContext, client: Any
) -> tuple[
    dict[str, tuple[dict[str, Any], bool]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]
]:
    pages = context.page_list(
        client,
        "get_account_authorization_details",
        Filter=["User", "Group", "LocalManagedPolicy"],
    )
    users: dict[str, tuple[dict[str, Any], bool]] = {}
    members: dict[str, list[str]] = {}
    for page in pages:
        for user in page.get("UserDetailList", []):
            tags = {t["Key"]: t["Value"] for t in user.get("Tags", [])}
            users[user["UserName"]] = (
                {"email": tags.get("email")},
                tags.get(MANAGED_TAG) == "true",
            )
            for group in user.get("GroupList", []):
                members.setdefault(group, []).append(user["UserName"])
    groups: dict[str, dict[str, Any]] = {}
    policies: dict[str, dict[str, Any]] = {}
    for page in pages:
        for group in page.get("GroupDetailList", []):
            name = group["GroupName"]
            if not name.startswith(PREFIX):
                continue
            inline = {
                p["PolicyName"]: p["PolicyDocument"] for p in group.get("GroupPolicyList", [])
            }
            groups[name] = {
                "members": sorted(members.get(name, [])),
                "assume": _document(inline[ASSUME_POLICY]) if ASSUME_POLICY in inline else None,
                "managed": sorted(p["PolicyArn"] for p in group.get("AttachedManagedPolicies", [])),
            }
        for policy in page.get("Policies", []):
            # moto leaves PolicyName out of this list; the ARN ends with it on AWS and moto.
            if policy.get("PolicyName", policy["Arn"].rsplit("/", 1)[-1]) != MFA_POLICY:
                continue
            default = next(
                (v for v in policy.get("PolicyVersionList", []) if v.get("IsDefaultVersion")), None
            )
            policies[MFA_POLICY] = {"document": _document(default["Document"]) if default else None}
    return users, groups, policies


def _read_identity_center(
    context: AwsContext, access: Access, accounts: dict[str, str], live: LiveAccess
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
            "inline": _document(inline) if inline else None,
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
        live.resources[addr] = {
            "members": sorted(
                user_names.get(m["MemberId"]["UserId"], m["MemberId"]["UserId"])
                for m in memberships
                if "UserId" in m.get("MemberId", {})
            )
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
