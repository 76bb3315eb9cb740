"""An SCP denies everything to the organization access role.

What it does: Flags Deny statements that cover every action (Action "*" or any NotAction) and
either have no condition or target the access role by aws:PrincipalArn, without exempting it,
in SCPs attached anywhere but a Suspended OU.

Why it matters: orgstack, and every administrator, manages member accounts through the
organization access role (organization.access_role). Denying it everything locks the
organization out of those accounts; undoing it needs the management account and care.

Example: {"Effect": "Deny", "Action": "*", "Resource": "*"} attached to ou:Workloads.

Fix: Narrow the statement, or exempt the role with a condition:
"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}.
If the lockout is intended, add an ignore: entry with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import as_list, conditions_on, scp_statements

RULE = define(__name__, __doc__, id="LZ202", severity="error", doc_url=sources.ACCESS_ROLE)


def locks_out(statement: dict[str, Any], role: str) -> bool:
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


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    role = model.organization.access_role
    for policy, label, statement in scp_statements(model):
        targets = [
            t.address
            for t in policy.targets
            if not (t.kind == "ou" and t.name.rsplit("/", 1)[-1].lower() == "suspended")
        ]
        if targets and locks_out(statement, role):
            yield RULE.at(
                policy,
                f"SCP {policy.name}, statement {label}, denies every action to {role} in "
                f"{', '.join(targets)}",
            )
