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

from orgstack.model import OrgModel, paths
from orgstack.model.policydoc import locks_out
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import scp_statements

RULE = define(__name__, __doc__, id="LZ202", severity="error", doc_url=sources.ACCESS_ROLE)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    role = model.organization.access_role
    for policy, label, statement in scp_statements(model):
        targets = [
            t.address
            for t in policy.targets
            if not (t.kind == "ou" and paths.names(t.name)[-1].lower() == "suspended")
        ]
        if targets and locks_out(statement, role):
            yield RULE.at(
                policy,
                f"SCP {policy.name}, statement {label}, denies every action to {role} in "
                f"{', '.join(targets)}",
            )
