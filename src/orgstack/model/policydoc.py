"""Reading policy documents: statements' values as lists, their conditions on a key, and
whether a statement denies everything to a role (shared by the rules and the SCP executor)."""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


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


def locks_out(statement: dict[str, Any], role: str) -> bool:
    """True when a Deny statement covers every action and does not spare ``role``."""
    if statement.get("Effect") != "Deny":
        return False
    if "*" not in as_list(statement.get("Action")) and "NotAction" not in statement:
        return False
    if not statement.get("Condition"):
        return True
    on_principal = conditions_on(statement, "aws:PrincipalArn")

    def names_role(operators: tuple[str, ...]) -> bool:
        return any(role in v for op in operators for v in on_principal.get(op, []))

    positive = ("ArnLike", "StringLike", "ArnEquals", "StringEquals")
    negative = ("ArnNotLike", "StringNotLike", "ArnNotEquals", "StringNotEquals")
    return names_role(positive) and not names_role(negative)


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
