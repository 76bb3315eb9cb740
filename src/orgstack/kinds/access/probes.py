"""The IAM reads the access reader and ``import`` share: orgstack's roles in one account, and
the identity account's users, groups and MFA policy (one GetAccountAuthorizationDetails each).

IAM actions: iam:GetAccountAuthorizationDetails, iam:ListRoles
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from orgstack.aws.reading import ReadContext
from orgstack.kinds.access.vocabulary import (
    ASSUME_POLICY,
    GRANT_TAG,
    INLINE_POLICY,
    MFA_POLICY,
    ROLE_DESCRIPTION,
)
from orgstack.model.access import PREFIX
from orgstack.plan.resources import canonical

MANAGED_TAG = "orgstack:managed"


def document(value: Any) -> Any:
    """A policy document as botocore returns it (decoded) or as raw URL-encoded JSON."""
    if isinstance(value, str):
        return canonical(json.loads(unquote(value)))
    return canonical(value)


def roles(context: ReadContext, client: Any) -> dict[str, dict[str, Any]]:
    """orgstack's roles in one account: trust, session, managed and inline policies."""
    details = [
        role
        for page in context.page_list(client, "get_account_authorization_details", Filter=["Role"])
        for role in page.get("RoleDetailList", [])
        if role["RoleName"].startswith(PREFIX)
    ]
    if not details:
        return {}
    listed = [
        role
        for page in context.page_list(client, "list_roles")
        for role in page.get("Roles", [])
        if role["RoleName"].startswith(PREFIX)
    ]
    sessions = {role["RoleName"]: int(role.get("MaxSessionDuration", 3600)) for role in listed}
    described = {
        role["RoleName"]: role["Description"]
        for role in listed
        if role.get("Description") not in (None, "", ROLE_DESCRIPTION)
    }
    found: dict[str, dict[str, Any]] = {}
    for role in details:
        inline = {p["PolicyName"]: p["PolicyDocument"] for p in role.get("RolePolicyList", [])}
        found[role["RoleName"]] = {
            "trust": document(role["AssumeRolePolicyDocument"]),
            "tags": {
                t["Key"]: t["Value"] for t in role.get("Tags", []) if t["Key"].startswith(GRANT_TAG)
            },
            "max_session_s": sessions.get(role["RoleName"], 3600),
            "managed": sorted(p["PolicyArn"] for p in role.get("AttachedManagedPolicies", [])),
            "inline": document(inline[INLINE_POLICY]) if INLINE_POLICY in inline else None,
        }
        if role["RoleName"] in described:
            found[role["RoleName"]]["description"] = described[role["RoleName"]]
    return found


def identity(
    context: ReadContext, client: Any
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
                {"email": tags.get("email"), **({"name": tags["name"]} if "name" in tags else {})},
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
                "assume": document(inline[ASSUME_POLICY]) if ASSUME_POLICY in inline else None,
                "managed": sorted(p["PolicyArn"] for p in group.get("AttachedManagedPolicies", [])),
            }
        for policy in page.get("Policies", []):
            # moto leaves PolicyName out of this list; the ARN ends with it on AWS and moto.
            if policy.get("PolicyName", policy["Arn"].rsplit("/", 1)[-1]) != MFA_POLICY:
                continue
            default = next(
                (v for v in policy.get("PolicyVersionList", []) if v.get("IsDefaultVersion")), None
            )
            policies[MFA_POLICY] = {"document": document(default["Document"]) if default else None}
    return users, groups, policies
