"""Reading policy documents: statements' values as lists, their conditions on a key, and
which roles a policy lets its holder assume (lockouts: model/lockout.py)."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any


def as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def covers(patterns: Iterable[str], action: str) -> bool:
    """Whether an action pattern of a statement (``s3:*``, ``s3:Delete*``) covers ``action``
    (IAM action names compare case-blind)."""
    return any(fnmatchcase(action.lower(), str(p).lower()) for p in patterns)


def conditions_on(statement: dict[str, Any], key: str) -> dict[str, list[str]]:
    """Operator → values of the statement's conditions on ``key`` (keys compare case-blind)."""
    found: dict[str, list[str]] = {}
    block = statement.get("Condition")
    if not isinstance(block, dict):
        return found
    for operator, tests in block.items():
        if isinstance(tests, dict):
            for name, values in tests.items():
                if name.lower() == key.lower():
                    found.setdefault(operator, []).extend(as_list(values))
    return found


#: Condition keys that keep a role ARN inside the organization (or named accounts).
BOUNDS = ("aws:resourceorgid", "aws:resourceorgpaths", "aws:resourceaccount")


def _assumes(statement: dict[str, Any]) -> bool:
    return any(
        a.lower() in ("*", "sts:*", "sts:assumerole", "sts:assume*")
        for a in map(str, as_list(statement.get("Action")))
    )


def _any_account(statement: dict[str, Any]) -> list[str]:
    """The resources of the statement that name a role in any account."""
    found = []
    for resource in map(str, as_list(statement.get("Resource"))):
        fields = resource.split(":")
        if resource == "*" or (len(fields) >= 6 and fields[2] == "iam" and "*" in fields[4]):
            found.append(resource)
    return found


def _bounded(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition") or {}
    keys = {k.lower() for values in condition.values() if isinstance(values, dict) for k in values}
    return any(k in keys for k in BOUNDS)


def assumes_roles_anywhere(document: Any) -> list[str]:
    """Every resource a policy lets its holder assume roles on in any AWS account: an Allow of
    sts:AssumeRole on ``*`` or a role ARN whose account is ``*``, with no condition on
    aws:ResourceOrgID, aws:ResourceOrgPaths or aws:ResourceAccount."""
    found: list[str] = []
    for statement in (document or {}).get("Statement", []) if isinstance(document, dict) else []:
        if (
            isinstance(statement, dict)
            and statement.get("Effect") == "Allow"
            and _assumes(statement)
            and not _bounded(statement)
        ):
            found += _any_account(statement)
    return found


def key_administration(account_id: str) -> dict[str, Any]:
    """The key policy statement that lets an account administer its own KMS key (its IAM
    policies decide who may), as AWS's default key policy does."""
    return {
        "Sid": "KeyAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


#: The trust of a role nobody may assume any more (IAM needs a trust policy with a statement;
#: such a role is deleted only with --allow-delete).
TRUST_NOBODY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "RevokedByOrgstack",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "sts:AssumeRole",
        }
    ],
}
#: What makes a key's data unreadable or its name lost: only the break-glass role may.
KEY_DESTRUCTIVE = (
    "kms:DeleteAlias",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:ScheduleKeyDeletion",
)
#: What rewrites who may use the key: the break-glass role and orgstack's access role (which
#: keeps the policy as declared).
KEY_CHANGES = ("kms:PutKeyPolicy", "kms:UpdateAlias")


def key_guard(break_glass_arn: str, access_role_arn: str) -> list[dict[str, Any]]:
    """The key policy statements that keep a key from its own account's administrators: a Deny
    of ``KEY_DESTRUCTIVE`` to all but the break-glass role, of ``KEY_CHANGES`` to all but it
    and orgstack's access role. A key policy's Deny binds every principal, the account's root
    included; only PutKeyPolicy could remove it, and that is denied too."""
    return [
        {
            "Sid": "OnlyBreakGlassDisablesOrDeletesTheKey",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": list(KEY_DESTRUCTIVE),
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": break_glass_arn}},
        },
        {
            "Sid": "OnlyBreakGlassAndOrgstackChangeTheKeyPolicy",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": list(KEY_CHANGES),
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": [break_glass_arn, access_role_arn]}},
        },
    ]
