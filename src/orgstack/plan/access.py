"""Access as resources: what the spec's matrix means in IAM or Identity Center, and the changes
that make the live resources match.

Every resource has an address ``access:<account>/<kind>/<name>`` (Identity Center's own objects
use ``identity-center`` as the account) and a value: a plain, canonical dictionary, the same
shape whether built from the spec or read from AWS, so comparing them is equality. Account ids
that do not exist yet (accounts created by the same plan) are written ``{account:NAME}`` and
resolved by apply.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.access import IAM, PREFIX, Access, AccessUser, Grant, group_name, role_name
from orgstack.plan.model import Action, Change, Plan, Unmanaged

IDENTITY_CENTER = "identity-center"
#: Where the plan's ids keep the Identity Center Region (when not the default Region).
REGION_ID = "identity-center:region"
MFA_POLICY = PREFIX + "RequireMFA"
INLINE_POLICY = PREFIX + "inline"
ASSUME_POLICY = PREFIX + "switch-role"
PLACEHOLDER = re.compile(r"\{account:([^{}]+)\}")
#: Kinds orgstack deletes when they leave the spec (only with --allow-delete); users, groups
#: and the MFA policy belong to people and are only reported.
DELETABLE = frozenset({"role", "permission-set"})
ORDER = ["policy", "user", "group", "role", "permission-set", "sso-user", "sso-group", "assignment"]

#: AWS's "BlockMostAccessUnlessSignedInWithMFA" example: until a user signs in with MFA, they
#: may only set up their own MFA device and change their own password.
REQUIRE_MFA: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowViewAccountInfo",
            "Effect": "Allow",
            "Action": ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
            "Resource": ["*"],
        },
        {
            "Sid": "AllowManageOwnPasswordAndMFA",
            "Effect": "Allow",
            "Action": [
                "iam:ChangePassword",
                "iam:DeactivateMFADevice",
                "iam:EnableMFADevice",
                "iam:GetMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ResyncMFADevice",
            ],
            "Resource": ["arn:aws:iam::*:user/${aws:username}"],
        },
        {
            "Sid": "AllowCreateOwnVirtualMFADevice",
            "Effect": "Allow",
            "Action": ["iam:CreateVirtualMFADevice"],
            "Resource": ["arn:aws:iam::*:mfa/*"],
        },
        {
            "Sid": "DenyAllExceptMFASetupWithoutMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:ChangePassword",
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "sts:GetSessionToken",
            ],
            "Resource": ["*"],
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": ["false"]}},
        },
    ],
}

LIST_KEYS = ("Action", "NotAction", "Resource", "NotResource")


def canonical(document: Any) -> Any:
    """A policy document in one spelling: single values as lists, lists sorted, statements as
    a list; what AWS returns for a document orgstack wrote compares equal to what it wrote."""
    if not isinstance(document, dict):
        return document
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    out = {k: v for k, v in document.items() if k != "Statement"}
    out["Statement"] = [_statement(s) for s in statements if isinstance(s, dict)]
    return out


def _sorted_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return sorted(value, key=str)
    return value


def _statement(statement: dict[str, Any]) -> dict[str, Any]:
    out = dict(statement)
    for key in LIST_KEYS:
        if key in out:
            out[key] = _sorted_list(out[key])
    for key in ("Principal", "NotPrincipal"):
        if isinstance(out.get(key), dict):
            out[key] = {k: _sorted_list(v) for k, v in out[key].items()}
    if isinstance(out.get("Condition"), dict):
        out["Condition"] = {
            op: {k: _sorted_list(v) for k, v in values.items()}
            if isinstance(values, dict)
            else values
            for op, values in out["Condition"].items()
        }
    return out


@dataclass(frozen=True)
class Resource:
    """One access object as the spec wants it."""

    address: str
    value: dict[str, Any]

    @property
    def account(self) -> str:
        return self.address.split(":", 1)[1].split("/", 1)[0]

    @property
    def kind(self) -> str:
        return kind_of(self.address)


def kind_of(address: str) -> str:
    return address.split("/")[1]


def address(account: str, kind: str, *names: str) -> str:
    return f"access:{account}/{kind}/" + "/".join(names)


@dataclass
class LiveAccess:
    """Access objects read from AWS, in the same shape as the desired ones."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Addresses of live objects that are orgstack's (tagged, or named ``orgstack-…``).
    managed: set[str] = field(default_factory=set)
    #: Live ids the executors need: Identity Center instance, store, permission sets, users…
    ids: dict[str, str] = field(default_factory=dict)
    #: Account names whose roles were read (an account not read cannot have unmanaged roles).
    accounts: set[str] = field(default_factory=set)


def arn_of(account_id: str, kind: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:{kind}/{name}"


def account_ref(name: str, ids: dict[str, str]) -> str:
    return ids.get(f"account:{name}") or "{account:" + name + "}"


def desired_resources(model: OrgModel, ids: dict[str, str]) -> dict[str, Resource]:
    """Every access object the spec's matrix implies (none without ``access:``)."""
    access = model.access
    if access is None:
        return {}
    every = frozenset(a.name for a in model.accounts)
    found = _iam(access, ids, every) if access.mode == IAM else _identity_center(access, ids)
    return {r.address: r for r in found}


def _by_role(access: Access) -> dict[tuple[str, str], list[Grant]]:
    roles: dict[tuple[str, str], list[Grant]] = {}
    for account, level, grant in access.entries():
        roles.setdefault((account, level), []).append(grant)
    return roles


def _switch_targets(
    grants: list[Grant], all_accounts: frozenset[str], ids: dict[str, str]
) -> set[str]:
    """The role ARNs a group may assume: a level granted in every account of the spec is one
    ARN with a wildcard account (the role's trust still names each user), so the group policy
    stays within IAM's 5,120 characters however many accounts there are; other levels list
    each account's role."""
    accounts_by_level: dict[str, set[str]] = {}
    for grant in grants:
        accounts_by_level.setdefault(grant.level, set()).update(grant.accounts)
    found: set[str] = set()
    for level, accounts in accounts_by_level.items():
        if len(all_accounts) > 1 and accounts >= all_accounts:
            found.add(arn_of("*", "role", role_name(level)))
        else:
            found |= {arn_of(account_ref(a, ids), "role", role_name(level)) for a in accounts}
    return found


def _iam(access: Access, ids: dict[str, str], all_accounts: frozenset[str]) -> list[Resource]:
    identity = access.identity_account
    identity_id = account_ref(identity, ids)
    found = [
        Resource(address(identity, "policy", MFA_POLICY), {"document": canonical(REQUIRE_MFA)})
    ]
    found += [Resource(address(identity, "user", u.name), {"email": u.email}) for u in access.users]
    mfa_arn = arn_of(identity_id, "policy", MFA_POLICY)
    for group in access.groups:
        grants = [g for g in access.grants if g.group == group.name]
        arns = sorted(_switch_targets(grants, all_accounts, ids))
        assume = (
            canonical(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "SwitchRole",
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Resource": arns,
                        }
                    ],
                }
            )
            if arns
            else None
        )
        value = {
            "members": sorted(group.members),
            "assume": assume,
            "managed": [mfa_arn] if all(g.mfa for g in grants) else [],
        }
        found.append(Resource(address(identity, "group", group_name(group.name)), value))
    members = {g.name: g.members for g in access.groups}
    for (account, level_name), grants in sorted(_by_role(access).items()):
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
            continue  # nobody to trust: the role would be of no use
        value = {
            "trust": canonical({"Version": "2012-10-17", "Statement": statements}),
            "max_session_s": max(g.session_s for g in grants),
            "managed": sorted(level.managed),
            "inline": canonical(json.loads(level.inline)) if level.inline else None,
        }
        found.append(Resource(address(account, "role", level.role_name), value))
    return found


def session_iso(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"PT{hours}H" if not rest else f"PT{seconds // 60}M"


def _identity_center(access: Access, ids: dict[str, str]) -> list[Resource]:
    found: list[Resource] = []
    used = sorted({g.level for g in access.grants})
    for level_name in used:
        level = access.level(level_name)
        session = max(g.session_s for g in access.grants if g.level == level_name)
        found.append(
            Resource(
                address(IDENTITY_CENTER, "permission-set", level.role_name),
                {
                    "session": session_iso(session),
                    "managed": sorted(level.managed),
                    "inline": canonical(json.loads(level.inline)) if level.inline else None,
                    "description": f"orgstack level {level.name}",
                },
            )
        )
    found += [
        Resource(
            address(IDENTITY_CENTER, "sso-user", u.name),
            {"display_name": u.display_name or u.name, "email": u.email},
        )
        for u in access.users
    ]
    found += [
        Resource(
            address(IDENTITY_CENTER, "sso-group", group_name(g.name)),
            {"members": sorted(g.members)},
        )
        for g in access.groups
    ]
    pairs = sorted({(account, level, grant.group) for account, level, grant in access.entries()})
    found += [
        Resource(
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


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _change(
    addr: str,
    action: Action,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str,
    live: dict[str, Any] | None,
) -> Change:
    return Change(addr, action, before, after, reason, {addr: digest(live)}, {addr: live})


def access_changes(
    desired: dict[str, Resource], live: LiveAccess, *, allow_delete: bool = False
) -> tuple[list[Change], list[Unmanaged]]:
    """The changes that make ``live`` match ``desired``, and orgstack's objects left over."""
    changes: list[Change] = []
    unmanaged: list[Unmanaged] = []
    for addr, resource in desired.items():
        current = live.resources.get(addr)
        if current is None:
            changes.append(
                _change(addr, Action.CREATE, None, resource.value, "declared in the spec", None)
            )
            continue
        before = {k: v for k, v in current.items() if resource.value.get(k) != v}
        after = {k: v for k, v in resource.value.items() if current.get(k) != v}
        if after or before:
            changes.append(
                _change(addr, Action.UPDATE, before, after, "differs from the spec", current)
            )
    for addr in sorted(set(live.resources) - set(desired)):
        if addr not in live.managed:
            continue
        kind, value = kind_of(addr), live.resources[addr]
        if kind == "assignment":
            changes.append(
                _change(addr, Action.DETACH, value, None, "no longer granted by the matrix", value)
            )
        elif kind in DELETABLE and allow_delete:
            changes.append(_change(addr, Action.DELETE, value, None, "left the spec", value))
        else:
            hint = " (plan with --allow-delete to delete it)" if kind in DELETABLE else ""
            unmanaged.append(
                Unmanaged(
                    addr,
                    live.ids.get(addr, addr.rsplit("/", 1)[-1]),
                    f"orgstack's, no longer in the spec{hint}",
                )
            )
    changes.sort(key=_order)
    return changes, unmanaged


def _order(change: Change) -> tuple[int, int, str]:
    actions = [Action.CREATE, Action.UPDATE, Action.DETACH, Action.DELETE]
    # Deletions and revocations last; roles before the groups that point at them are fine
    # either way (a group policy may name a role that does not exist yet).
    return (actions.index(change.action), ORDER.index(kind_of(change.address)), change.address)


def placeholders(value: Any) -> set[str]:
    """The account names of every ``{account:NAME}`` left in ``value``."""
    return set(PLACEHOLDER.findall(json.dumps(value)))


def resolve(value: Any, ids: dict[str, str]) -> Any:
    """``value`` with every ``{account:NAME}`` replaced by the id in ``ids``; unknown stay."""
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: ids.get(f"account:{m.group(1)}", m.group(0)), value)
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, ids) for k, v in value.items()}
    return value


def access_from_plan(plan: Plan) -> tuple[Access, set[str]] | None:
    """Enough of ``access:`` to re-read what a plan's access changes touch: the mode, the
    identity account, the users named, the Identity Center Region; and the accounts touched."""
    addresses = [c.address for c in plan.changes if c.address.startswith("access:")]
    if not addresses:
        return None
    parts = [
        (a.split(":", 1)[1].split("/", 1)[0], kind_of(a), a.rsplit("/", 1)[-1]) for a in addresses
    ]
    iam_kinds = {"role", "user", "group", "policy"}
    mode = IAM if any(kind in iam_kinds for _, kind, _ in parts) else IDENTITY_CENTER
    identity = next((acct for acct, kind, _ in parts if kind in ("user", "group", "policy")), "")
    users = tuple(
        sorted(
            {AccessUser(name) for _, kind, name in parts if kind in ("user", "sso-user")},
            key=lambda u: u.name,
        )
    )
    access = Access(mode, identity, users=users, sso_region=plan.ids.get(REGION_ID))
    return access, {acct for acct, _, _ in parts}
