"""No SCP at the root restricts the root users of member accounts.

What it does: Looks for an SCP attached to the root with a Deny statement conditioned on
aws:PrincipalArn matching arn:aws:iam::*:root.

Why it matters: A member account's root user can do anything in it and is rarely watched. AWS
advises an SCP that keeps root users from acting (SCPs do restrict member root users).

Example: A spec whose root carries only FullAWSAccess and deny-leave-organization.

Fix: Attach an SCP denying "*" when aws:PrincipalArn is like arn:aws:iam::*:root
(orgstack init writes one: deny-root-user).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, Target
from orgstack.model.policydoc import conditions_on
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, denies_everything, statements

ROOT_ARN = "arn:aws:iam::*:root"

RULE = define(
    __name__, __doc__, id="LZ204", severity="warning", doc_url=sources.MEMBER_BEST_PRACTICES
)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies_on(Target("root"), SCP):
        for statement in statements(policy):
            matches = conditions_on(statement, "aws:PrincipalArn")
            positive = matches.get("ArnLike", []) + matches.get("StringLike", [])
            # Denying everything to everyone at the root restricts the root users too.
            if denies_everything(statement) or (
                statement.get("Effect") == "Deny" and ROOT_ARN in positive
            ):
                return
    yield RULE.at(model.organization, "no SCP at the root restricts member accounts' root users")
