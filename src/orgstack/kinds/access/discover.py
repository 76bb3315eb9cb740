"""``orgstack import``: the ``access:`` section the live organization implies (IAM mode) — the
identity account's orgstack groups (``orgstack-<group>``) and their members, the users in them
or tagged ``orgstack:managed``, and in every account orgstack's roles (``orgstack-<Level>``):
the groups a role's grant tags name get its level there, for as long as its session allows,
with MFA when its trust asks for it. A role that is no built-in level becomes a level of its
own (its managed policies, inline policy and description). The grants name accounts one by
one (the selectors that made them are not in AWS). Identity Center's permission sets are
listed as not imported.

IAM actions: sts:AssumeRole, iam:GetAccountAuthorizationDetails, iam:ListRoles
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.access import probes
from orgstack.kinds.access.vocabulary import GRANT_TAG
from orgstack.model.access import BUILTIN_LEVELS, PREFIX, ROLE_NAMES
from orgstack.model.kind import Discovered, DiscoverRequest

BY_ROLE = {PREFIX + role: level for level, role in ROLE_NAMES.items()}


def _level(role: str, value: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The level a role is (a built-in one, or a custom one with its definition)."""
    builtin = BY_ROLE.get(role)
    if builtin:
        managed = sorted(BUILTIN_LEVELS[builtin])
        described = f"AWS managed {managed[0].rsplit('/', 1)[-1]}"
        plain = value["managed"] == managed and not value["inline"]
        if plain and value.get("description") in (None, described):
            return builtin, None
    name = re.sub(r"(?<!^)(?=[A-Z])", "-", role.removeprefix(PREFIX)).lower()
    level: dict[str, Any] = {"managed": value["managed"]}
    if value["inline"]:
        level["content"] = value["inline"]
    if value.get("description"):
        level["description"] = value["description"]
    return name, level


def _mfa_users(trust: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(users whose switch asks for MFA, users whose does not), by ARN."""
    with_mfa: set[str] = set()
    without: set[str] = set()
    for statement in trust.get("Statement", []):
        users = (statement.get("Principal") or {}).get("AWS") or []
        users = {users} if isinstance(users, str) else set(users)
        (with_mfa if statement.get("Condition") else without).update(users)
    return with_mfa, without


def discover(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    names = request.names()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {i: pool.submit(probes.roles, ctx, ctx.member(i)) for i in names}
        people = pool.submit(probes.identity, ctx, ctx.member(ctx.home))
        found, closed = _entered(futures, names)
        users, groups, _ = people.result()
    if not groups and not any(found.values()):
        return Discovered(notes=closed)
    members = {g.removeprefix(PREFIX): v["members"] for g, v in groups.items()}
    wanted = {u for m in members.values() for u in m}
    section: dict[str, Any] = {"mode": "iam"}
    if ctx.home in names:
        section["identity_account"] = names[ctx.home]
    section["users"] = {
        user: {k: v for k, v in value.items() if v is not None}
        for user, (value, managed) in sorted(users.items())
        if managed or user in wanted
    }
    section["groups"] = {g: {"members": m} for g, m in sorted(members.items())}
    levels: dict[str, Any] = {}
    grants: dict[tuple[str, str, int, bool], list[str]] = {}
    arn = f"arn:aws:iam::{ctx.home}:user/"
    for account_id, roles in sorted(found.items(), key=lambda i: names[i[0]]):
        for role, value in sorted(roles.items()):
            level, definition = _level(role, value)
            if definition is not None:
                levels[level] = definition
            with_mfa, _ = _mfa_users(value["trust"])
            for tag in sorted(value["tags"]):
                group = tag.removeprefix(GRANT_TAG)
                mfa = any(arn + u in with_mfa for u in members.get(group, ())) or not members.get(
                    group
                )
                key = (group, level, value["max_session_s"] // 3600, mfa)
                grants.setdefault(key, []).append(names[account_id])
    if levels:
        section["levels"] = levels
    section["grants"] = [
        {
            "group": group,
            "level": level,
            "accounts": "all" if set(accounts) == set(names.values()) else {"account": accounts},
            **({"session_hours": hours} if hours != 1 else {}),
            **({"mfa": False} if not mfa else {}),
        }
        for (group, level, hours, mfa), accounts in sorted(grants.items())
    ]
    return Discovered(section, closed + _identity_center(ctx, request))


def _entered(futures: dict[str, Any], names: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Each entered account's roles, and a note for the accounts orgstack cannot enter (an
    invited account without the access role): their roles are not in the grants."""
    found: dict[str, Any] = {}
    closed: list[str] = []
    for account_id, future in futures.items():
        try:
            found[account_id] = future.result()
        except AwsError as exc:
            closed.append(
                f"access: the roles of {names[account_id]} ({account_id}), which orgstack "
                f"cannot enter ({exc.code or exc.message})"
            )
    return found, closed


def _identity_center(ctx: ReadContext, request: DiscoverRequest) -> list[str]:
    """A note when Identity Center holds orgstack's permission sets (not imported yet).

    IAM actions: sso:ListInstances, sso:ListPermissionSets, sso:DescribePermissionSet
    """
    sso = ctx.client("sso-admin", request.home_region)
    try:
        for instance in ctx.pages(sso, "list_instances", "Instances"):
            arn = instance["InstanceArn"]
            for permission_set in ctx.pages(
                sso, "list_permission_sets", "PermissionSets", InstanceArn=arn
            ):
                described = ctx.call(
                    sso, "describe_permission_set", InstanceArn=arn, PermissionSetArn=permission_set
                )["PermissionSet"]
                if str(described.get("Name", "")).startswith(PREFIX):
                    return [
                        "access: IAM Identity Center's permission sets and assignments "
                        "(orgstack's are there; importing them is not supported yet)"
                    ]
    except AwsError:
        return []
    return []
