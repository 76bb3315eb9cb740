"""``orgstack import``: the ``access:`` section the live organization implies. IAM mode: the
identity account's orgstack groups (``orgstack-<group>``) and their members, the users in them
or tagged ``orgstack:managed``, and in every account orgstack's roles (``orgstack-<Level>``):
the groups a role's grant tags name get its level there, for as long as its session allows,
with MFA when its trust asks for it. A role that is no built-in level becomes a level of its
own (its managed policies, inline policy and description). The grants name accounts one by
one (the selectors that made them are not in AWS). Without an orgstack group in the
identity account there is nothing to grant, and the accounts are not asked. In Identity
Center mode: orgstack's permission sets (levels), groups with their users, and assignments
(grants), read by the access reader itself.

IAM actions: sts:AssumeRole, iam:GetAccountAuthorizationDetails, iam:ListRoles
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.errors import AwsError
from orgstack.aws.reading import ReadContext
from orgstack.kinds.access import probes
from orgstack.kinds.access.read import STORE
from orgstack.kinds.access.vocabulary import (
    GRANT_TAG,
    MODE_ID,
    REGION_ID,
    kind_of,
)
from orgstack.model.access import BUILTIN_LEVELS, IDENTITY_CENTER, PREFIX, ROLE_NAMES
from orgstack.model.kind import Discovered, DiscoverRequest, account_of

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
    found = _identity_center(ctx, request)
    return found if found is not None else _iam(ctx, request)


def _iam(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    names = request.names()
    users, groups, _ = probes.identity(ctx, ctx.member(ctx.home))
    if not groups:
        # No orgstack group to grant anything: the accounts' roles are not read (at 5,000
        # accounts that is 10,000 calls an import without orgstack's access need not make).
        return Discovered()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = {i: pool.submit(probes.roles, ctx, ctx.member(i)) for i in names}
        found, closed = _entered(futures, names)
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
    _matrix(section, levels, grants, names)
    return Discovered(section, closed)


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


def _identity_center(ctx: ReadContext, request: DiscoverRequest) -> Discovered | None:
    """Identity Center's side: orgstack's permission sets (levels), groups (with their users)
    and account assignments (grants), read by the access reader itself and turned back into
    the section; None when Identity Center holds none of orgstack's.

    IAM actions: sso:ListInstances, identitystore:ListUsers
    """
    from orgstack.kinds.access.read import read
    from orgstack.model.kind import ReadRequest

    sso = ctx.client("sso-admin", request.home_region)
    try:
        if not list(ctx.pages(sso, "list_instances", "Instances")):
            return None
    except AwsError:
        return None
    names = request.names()
    ids = {MODE_ID: IDENTITY_CENTER, REGION_ID: request.home_region}
    live = read(ctx, ReadRequest({}, {n: i for i, n in names.items()}, live=request.live, ids=ids))
    sets: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[str]] = {}
    pairs: list[tuple[str, str, str]] = []
    for address, value in live.resources.items():
        kind, name = kind_of(address), address.rsplit("/", 1)[-1]
        if kind == "permission-set":
            sets[name] = value
        elif kind == "sso-group":
            groups[name.removeprefix(PREFIX)] = value["members"]
        elif kind == "assignment":
            pairs.append((account_of(address), value["permission_set"], value["group"]))
    if not sets and not groups:
        return None
    section: dict[str, Any] = {"mode": IDENTITY_CENTER}
    section["users"] = _store_users(ctx, live.ids, {u for m in groups.values() for u in m})
    section["groups"] = {g: {"members": m} for g, m in sorted(groups.items())}
    levels: dict[str, Any] = {}
    grants: dict[tuple[str, str, int, bool], list[str]] = {}
    for account, permission_set, group in sorted(pairs):
        if permission_set not in sets:
            continue
        level, definition = _set_level(permission_set, sets[permission_set])
        if definition is not None:
            levels[level] = definition
        key = (group.removeprefix(PREFIX), level, _hours(sets[permission_set]["session"]), True)
        grants.setdefault(key, []).append(account)
    _matrix(section, levels, grants, names)
    return Discovered(section)


def _hours(session: str) -> int:
    """``PT4H`` → 4 (a session in minutes, ``PT90M``, rounds up to whole hours)."""
    if session.endswith("H"):
        return int(session[2:-1])
    return -(-int(session[2:-1]) // 60)


def _set_level(name: str, value: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The level a permission set is; its default description (``orgstack level <name>``)
    counts as none."""
    level, definition = _level(name, {**value, "description": None})
    described = value.get("description")
    if definition is None:
        builtin = sorted(BUILTIN_LEVELS[level])
        own = (f"orgstack level {level}", f"AWS managed {builtin[0].rsplit('/', 1)[-1]}")
        return (level, None) if described in own else _level(name, value)
    if described and described != f"orgstack level {level}":
        definition["description"] = described
    return level, definition


def _store_users(ctx: ReadContext, ids: dict[str, str], wanted: set[str]) -> dict[str, Any]:
    """The identity store's users that orgstack's groups hold: e-mail and display name."""
    store = ctx.client("identitystore", ids.get(REGION_ID))
    found: dict[str, Any] = {}
    for user in ctx.pages(store, "list_users", "Users", IdentityStoreId=ids[STORE]):
        name = user["UserName"]
        if name not in wanted:
            continue
        email = next((e["Value"] for e in user.get("Emails", []) if e.get("Primary", True)), None)
        entry: dict[str, Any] = {"email": email} if email else {}
        if user.get("DisplayName") and user["DisplayName"] != name:
            entry["name"] = user["DisplayName"]
        found[name] = entry
    return dict(sorted(found.items()))


def _matrix(
    section: dict[str, Any],
    levels: dict[str, Any],
    grants: dict[tuple[str, str, int, bool], list[str]],
    names: dict[str, str],
) -> None:
    """The section's levels and grants: one grant per group, level, session and MFA, naming
    its accounts (``all`` when it has every one)."""
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
