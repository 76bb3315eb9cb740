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
from orgstack.kinds.break_glass.vocabulary import (
    PERMISSION,
    ROLE_ID,
    address,
    permission_address,
    user_address,
)
from orgstack.model.kind import Live, ReadRequest, account_of, in_account
from orgstack.plan.resources import canonical


def _role(ctx: ReadContext, account_id: str, name: str) -> dict[str, Any] | None:
    iam = ctx.member(account_id)
    found = ctx.absent(iam, "get_role", RoleName=name)
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
    found = ctx.absent(iam, "get_user_policy", UserName=user, PolicyName=PERMISSION)
    if found is None:
        return None
    document = found["PolicyDocument"]
    if isinstance(document, str):
        document = json.loads(unquote(document))
    return {"user": user, "name": PERMISSION, "document": canonical(document)}


def _user(ctx: ReadContext, account_id: str, user: str) -> dict[str, Any] | None:
    found = ctx.absent(ctx.member(account_id), "get_user", UserName=user)
    return {"name": user} if found is not None else None


def _wanted(request: ReadRequest) -> tuple[str | None, str, list[str], list[str]]:
    """(the role's name, the identity account, trusted users with an inline policy, users this
    kind makes), from the targets; a whole plan looks for the role even where the spec wants
    none (``read_with``'s name)."""
    role, home, users, made = None, "", [], []
    for where, value in request.targets.items():
        type_ = in_account(where).split("/")[0]
        if type_ == "permission":
            home = account_of(where)
            users.append(str(value.get("user") or where.rsplit("/", 1)[-1]))
        elif type_ == "user":
            home = account_of(where)
            made.append(where.rsplit("/", 1)[-1])
        elif value.get("name"):
            role = str(value["name"])
    if role is None and request.whole:
        role = request.ids.get(ROLE_ID)
    return role, home, users, made


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    role, home, users, made = _wanted(request)
    accounts = _accounts(request, ctx.home) if role else {}
    spec_names = set(request.accounts)
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {
            name: pool.submit(_role, ctx, account_id, role)
            for name, account_id in accounts.items()
            if role
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
        home_id = request.account_id(home) if home else None
        if home_id:
            found = {u: pool.submit(_permission, ctx, home_id, u) for u in users}
            makes = {u: pool.submit(_user, ctx, home_id, u) for u in made}
            for user, future in found.items():
                live.found(permission_address(home, user), future.result())
            for user, future in makes.items():
                live.found(user_address(home, user), future.result())
    return live
