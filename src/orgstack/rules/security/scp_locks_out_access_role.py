"""An SCP denies everything to the organization access role.

What it does: Evaluates every Deny of the SCPs attached anywhere but a Suspended OU against
the access role's session as AWS would (its ARN in any account, no MFA, no principal tags,
the home Region), a condition it cannot prove false counting as matching, and flags one that
applies to the session for every service orgstack uses in member accounts: a deny-all that
exempts only other principals, a deny-all without MFA or without a principal tag, a deny of
each of those services.

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
from orgstack.model.lockout import locks_out
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import scp_statements

RULE = define(__name__, __doc__, id="LZ202", severity="error", doc_url=sources.ACCESS_ROLE)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    role, region = model.organization.access_role, model.organization.home_region
    for policy, label, statement in scp_statements(model):
        targets = [
            t.address
            for t in policy.targets
            if not (t.kind == "ou" and paths.names(t.name)[-1].lower() == "suspended")
        ]
        if targets and locks_out(statement, role, region):
            yield RULE.at(
                policy,
                f"SCP {policy.name}, statement {label}, denies every action to {role} in "
                f"{', '.join(targets)} (as AWS evaluates it for the role's session; a "
                "condition not provably false counts)",
            )
