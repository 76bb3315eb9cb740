"""The break-glass role in each of its accounts, as the spec's ``break_glass:`` makes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel, policydoc
from orgstack.model.kind import resource_address
from orgstack.plan.resources import account_ref, canonical

PREFIX = "break-glass"
SECTION = "break_glass"
ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess"
#: The trust and policies of a break-glass role where the spec wants none.
TRUST_NOBODY: dict[str, Any] = canonical(policydoc.TRUST_NOBODY)

#: Where a plan's ids keep the role's name (a whole plan looks for it in every account).
ROLE_ID = "read:break-glass/role"


def address(account: str) -> str:
    return resource_address(PREFIX, account, "role")


def identity_account(model: OrgModel) -> str | None:
    """Where the trusted user names live: access's identity account (IAM mode), else the
    management account."""
    access = model.access
    if access is not None and access.mode == "iam":
        return access.identity_account
    return model.management.name if model.management is not None else None


def principals(section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]) -> list[str]:
    """The trusted principals' ARNs (a user name as a user of the identity account)."""
    home = identity_account(model)
    found = []
    for entry in section["trusted"]:
        if entry.startswith("arn:"):
            found.append(entry)
        else:
            account = account_ref(home, ids) if home else "{account:management}"
            found.append(f"arn:aws:iam::{account}:user/{entry}")
    return sorted(found)


def trust(section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]) -> dict[str, Any]:
    """Only the named principals, only with MFA."""
    found: dict[str, Any] = canonical(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "BreakGlassWithMFA",
                    "Effect": "Allow",
                    "Principal": {"AWS": principals(section, model, ids)},
                    "Action": "sts:AssumeRole",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                }
            ],
        }
    )
    return found


#: The inline policy that lets a trusted user of the identity account assume the role.
PERMISSION = "orgstack-break-glass"


def permission_address(account: str, user: str) -> str:
    return resource_address(PREFIX, account, "permission", user)


def user_address(account: str, user: str) -> str:
    return resource_address(PREFIX, account, "user", user)


def made_users(section: Mapping[str, Any], model: OrgModel) -> list[str]:
    """The trusted names this kind makes as IAM users of the management account: without
    access.mode iam nothing else makes them (with Identity Center they are the way in when
    it cannot be reached), and a trust policy may name only a principal that exists."""
    access = model.access
    if access is not None and access.mode == "iam":
        return []
    return [n for n in section["trusted"] if not n.startswith("arn:")]


def own_users(section: Mapping[str, Any], model: OrgModel) -> list[str]:
    """The trusted names that are IAM users orgstack makes (access.users, or ``made_users``):
    AWS lets an IAM user assume a role of another account only when its own policies allow
    it too, so each gets an inline policy allowing it."""
    access = model.access
    if access is None or access.mode != "iam":
        return made_users(section, model)
    users = {u.name for u in access.users}
    return [n for n in section["trusted"] if not n.startswith("arn:") and n in users]


def permission(section: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """sts:AssumeRole on the break-glass role in each of its accounts, with MFA only."""
    roles = [
        f"arn:aws:iam::{account_ref(a, ids)}:role/{section['role']}" for a in section["accounts"]
    ]
    found: dict[str, Any] = canonical(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "BreakGlassWithMFA",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": sorted(roles),
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                }
            ],
        }
    )
    return found
