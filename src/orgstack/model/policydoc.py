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
