"""Read the break-glass role in every active account of the organization — the spec's and any
other (a role of that name made by hand elsewhere is exempt from the guardrails too, so it is
revoked) — one GetRole and, where it exists, one ListAttachedRolePolicies per account, through
the access role, concurrently. The management account is left out: SCPs do not bind it, so a
role there is exempt from nothing.

The trusted users' inline policy (``orgstack-break-glass``) is read with one GetUserPolicy
per user in the identity account.

Users it makes (without access.mode iam): one GetUser each in the management account.

IAM actions: sts:AssumeRole, iam:GetRole, iam:ListAttachedRolePolicies, iam:GetUserPolicy,
iam:GetUser
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.break_glass.desired import (
    PERMISSION,
    PREFIX,
    address,
    identity_account,
    made_users,
    own_users,
    permission_address,
    user_address,
)
from orgstack.model.kind import Live, ReadRequest, account_of
from orgstack.plan.model import Plan
from orgstack.plan.resources import canonical

GONE = frozenset({"NoSuchEntity"})


def _role(ctx: ReadContext, account_id: str, name: str) -> dict[str, Any] | None:
    iam = ctx.member(account_id)
    found = ctx.absent(iam, "get_role", GONE, RoleName=name)
    if found is None:
        return None
    role = found["Role"]
    document = role["AssumeRolePolicyDocument"]
    if isinstance(document, str):
        document = json.loads(unquote(document))
    attached = [
        p["PolicyArn"]
        for page in ctx.page_list(iam, "list_attached_role_policies", RoleName=name)
        for p in page.get("AttachedPolicies", [])
    ]
    return {
        "name": name,
        "trust": canonical(document),
        "policies": sorted(attached),
        "max_session_s": int(role.get("MaxSessionDuration", 3600)),
    }


def _accounts(request: ReadRequest, home: str) -> dict[str, str]:
    """Every account to read but the management account (``home``)."""
    return {n: i for n, i in request.every_account().items() if i != home}


def _permission(ctx: ReadContext, account_id: str, user: str) -> dict[str, Any] | None:
    iam = ctx.member(account_id)
    found = ctx.absent(iam, "get_user_policy", GONE, UserName=user, PolicyName=PERMISSION)
    if found is None:
        return None
    document = found["PolicyDocument"]
    if isinstance(document, str):
        document = json.loads(unquote(document))
    return {"user": user, "name": PERMISSION, "document": canonical(document)}


def _user(ctx: ReadContext, account_id: str, user: str) -> dict[str, Any] | None:
    found = ctx.absent(ctx.member(account_id), "get_user", GONE, UserName=user)
    return {"name": user} if found is not None else None


def _users(request: ReadRequest) -> tuple[str, list[str], list[str]] | None:
    """(identity account, trusted users with an inline policy, users this kind makes)."""
    section = request.section
    if request.model is not None:
        home = identity_account(request.model)
        if not home:
            return None
        return home, own_users(section, request.model), made_users(section, request.model)
    users = section.get("users")
    return (users[0], list(users[1]), list(users[2])) if users else None


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    section = request.section
    live = Live()
    if not section:
        return live
    accounts = _accounts(request, ctx.home)
    spec_names = set(request.accounts)
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {
            name: pool.submit(_role, ctx, account_id, section["role"])
            for name, account_id in (accounts.items() if section.get("role") else ())
        }
        for name, future in futures.items():
            try:
                value = future.result()
            except AwsError as exc:
                if name in spec_names:
                    raise
                live.unreachable(name, accounts[name], exc)
                continue
            if value is None:
                continue
            live.found(address(name), value)
            if name not in spec_names:
                live.ids[f"account:{name}"] = accounts[name]
        users = _users(request)
        home_id = request.accounts.get(users[0]) if users else None
        if users and home_id:
            found = {u: pool.submit(_permission, ctx, home_id, u) for u in users[1]}
            made = {u: pool.submit(_user, ctx, home_id, u) for u in users[2]}
            for user, future in found.items():
                live.found(permission_address(users[0], user), future.result())
            for user, future in made.items():
                live.found(user_address(users[0], user), future.result())
    return live


def section_from_plan(plan: Plan) -> dict[str, Any] | None:
    """The role's name and the users whose permission changes, from the plan's break-glass
    changes (what the stale check re-reads)."""
    role, users, made, home = None, [], [], ""
    for change in plan.changes:
        if not change.address.startswith(PREFIX + ":"):
            continue
        value = change.after or change.before or {}
        name = change.address.rsplit("/", 1)[-1]
        if "/permission/" in change.address:
            home = account_of(change.address)
            users.append(str(value.get("user") or name))
        elif "/user/" in change.address:
            home = account_of(change.address)
            made.append(name)
        elif value.get("name"):
            role = value["name"]
    if role is None and not users and not made:
        return None
    return {"role": role, "users": [home, users, made] if users or made else None}
