"""The access kind's desired resources, from the spec (pure); the names and
builders it uses are in ``vocabulary.py``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from orgstack.kinds.access.vocabulary import (
    IDENTITY_CENTER,
    IDENTITY_ID,
    MFA_POLICY,
    MODE_ID,
    REGION_ID,
    REQUIRE_MFA,
    REVOKE_SESSIONS,
    REVOKE_SID,
    TRUST_NOBODY,
    address,
    arn_of,
    grant_tag,
    kind_of,
    session_iso,
)
from orgstack.model import OrgModel
from orgstack.model.access import IAM, Access, Grant, group_name, role_name
from orgstack.plan.resources import account_ref, canonical, organization_ref

_LAST: list[tuple[OrgModel, dict[str, str], dict[str, dict[str, Any]]]] = []


def _revocation(inline: Any) -> dict[str, Any]:
    """The role's session revocation: the one it has (its time kept), else a new one."""
    statements = (inline or {}).get("Statement") if isinstance(inline, dict) else None
    if statements and len(statements) == 1 and statements[0].get("Sid") == REVOKE_SID:
        return dict(inline)
    return REVOKE_SESSIONS


def revoked(address: str, value: dict[str, Any]) -> dict[str, Any]:
    """A leftover role, group or Identity Center group with everything it granted taken away:
    a role trusts nobody, loses its policies and denies every session issued before its
    revocation (open sessions end); a group has no members, no switch-role policy, no
    attached policy."""
    kind = kind_of(address)
    if kind == "role":
        return {
            **value,
            "trust": TRUST_NOBODY,
            "tags": {},
            "managed": [],
            "inline": _revocation(value.get("inline")),
        }
    if kind == "group":
        return {**value, "members": [], "assume": None, "managed": []}
    if kind == "sso-group":
        return {**value, "members": []}
    raise ValueError(f"{address}: access type {kind} is not revoked")


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Every access object the spec's matrix implies (none without ``access:``). The last
    answer is kept: a plan asks several times with the same ids (0.5 s at 5,000 accounts)."""
    access = model.access
    if access is None:
        return {}
    if _LAST and _LAST[0][0] is model and _LAST[0][1] == ids:
        return dict(_LAST[0][2])
    found = _iam(access, ids) if access.mode == IAM else _identity_center(access, ids)
    _LAST[:] = [(model, dict(ids), dict(found))]
    return dict(found)


def _by_role(access: Access) -> dict[tuple[str, str], list[Grant]]:
    roles: dict[tuple[str, str], list[Grant]] = {}
    for account, level, grant in access.entries():
        roles.setdefault((account, level), []).append(grant)
    return roles


def _switch_policy(group: str, roles: set[str], ids: Mapping[str, str]) -> dict[str, Any]:
    """The group's ``orgstack-switch-role`` policy: ``sts:AssumeRole`` on the role names the
    matrix grants it, in accounts of this organization only (``aws:ResourceOrgID``), and only
    on roles tagged as granted to this group. Its size grows with the number of levels, never
    with the number of accounts (IAM allows 5,120 characters per group); each role's trust
    still names the granted users one by one."""
    policy: dict[str, Any] = canonical(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "SwitchRole",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": sorted(arn_of("*", "role", r) for r in roles),
                    "Condition": {
                        "StringEquals": {
                            "aws:ResourceOrgID": organization_ref(ids),
                            f"aws:ResourceTag/{grant_tag(group)}": "true",
                        }
                    },
                }
            ],
        }
    )
    return policy


def _iam(access: Access, ids: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    identity = access.identity_account
    identity_id = account_ref(identity, ids)
    found = [(address(identity, "policy", MFA_POLICY), {"document": canonical(REQUIRE_MFA)})]
    found += [
        (
            address(identity, "user", u.name),
            {"email": u.email, **({"name": u.display_name} if u.display_name else {})},
        )
        for u in access.users
    ]
    mfa_arn = arn_of(identity_id, "policy", MFA_POLICY)
    for group in access.groups:
        grants = [g for g in access.grants if g.group == group.name and g.accounts]
        roles = {role_name(g.level) for g in grants}
        value: dict[str, Any] = {
            "members": sorted(group.members),
            "assume": _switch_policy(group.name, roles, ids) if roles else None,
            "managed": [mfa_arn] if all(g.mfa for g in grants) else [],
        }
        found.append((address(identity, "group", group_name(group.name)), value))
    members = {g.name: g.members for g in access.groups}
    # The same grants make the same role in every account: built once per distinct set
    # (10,000 roles in 5,000 accounts are a handful of values).
    made: dict[tuple[Any, ...], dict[str, Any] | None] = {}  # with the role's name
    for (account, level_name), grants in sorted(_by_role(access).items()):
        key = (level_name, tuple(sorted((g.group, g.mfa, g.session_s) for g in grants)))
        if key not in made:
            made[key] = _role(access, level_name, grants, members, identity_id)
        role = made[key]
        if role is not None:  # None: nobody to trust, the role would be of no use
            found.append((address(account, "role", role["role_name"]), _without_name(role)))
    return found


def _without_name(role: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in role.items() if k != "role_name"}


def _role(
    access: Access,
    level_name: str,
    grants: list[Grant],
    members: Mapping[str, Any],
    identity_id: str,
) -> dict[str, Any] | None:
    level = access.level(level_name)
    statements = []
    for mfa in (True, False):
        users = sorted(
            {
                arn_of(identity_id, "user", user)
                for g in grants
                if g.mfa == mfa
                for user in members.get(g.group, ())
            }
        )
        if not users:
            continue
        statement: dict[str, Any] = {
            "Sid": "SwitchRoleWithMFA" if mfa else "SwitchRole",
            "Effect": "Allow",
            "Principal": {"AWS": users},
            "Action": "sts:AssumeRole",
        }
        if mfa:
            statement["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        statements.append(statement)
    if not statements:
        return None
    return {
        "role_name": level.role_name,
        "trust": canonical({"Version": "2012-10-17", "Statement": statements}),
        "tags": {grant_tag(g): "true" for g in sorted({g.group for g in grants})},
        "max_session_s": max(g.session_s for g in grants),
        "managed": sorted(level.managed),
        "inline": canonical(json.loads(level.inline)) if level.inline else None,
        **({"description": level.description} if level.description else {}),
    }


def _identity_center(access: Access, ids: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    used = sorted({g.level for g in access.grants})
    for level_name in used:
        level = access.level(level_name)
        session = max(g.session_s for g in access.grants if g.level == level_name)
        found.append(
            (
                address(IDENTITY_CENTER, "permission-set", level.role_name),
                {
                    "session": session_iso(session),
                    "managed": sorted(level.managed),
                    "inline": canonical(json.loads(level.inline)) if level.inline else None,
                    "description": level.description or f"orgstack level {level.name}",
                },
            )
        )
    found += [
        (
            address(IDENTITY_CENTER, "sso-user", u.name),
            {"display_name": u.display_name or u.name, "email": u.email},
        )
        for u in access.users
    ]
    found += [
        (
            address(IDENTITY_CENTER, "sso-group", group_name(g.name)),
            {"members": sorted(g.members)},
        )
        for g in access.groups
    ]
    pairs = sorted({(account, level, grant.group) for account, level, grant in access.entries()})
    found += [
        (
            address(account, "assignment", role_name(level), group_name(group)),
            {
                "account": account_ref(account, ids),
                "permission_set": role_name(level),
                "group": group_name(group),
            },
        )
        for account, level, group in pairs
    ]
    return found


def read_with(model: OrgModel) -> dict[str, str]:
    """The mode, the identity account and the Identity Center Region the read needs, whatever
    the targets are (a whole plan finds what orgstack left even where the spec grants
    nothing)."""
    access: Access | None = model.access
    if access is None:
        return {}
    found = {MODE_ID: access.mode, IDENTITY_ID: access.identity_account}
    if access.sso_region:
        found[REGION_ID] = access.sso_region
    return found
