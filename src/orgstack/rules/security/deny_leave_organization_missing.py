"""No SCP at the root stops member accounts from leaving the organization.

What it does: Looks for an SCP attached to the root with an unconditional Deny of
organizations:LeaveOrganization.

Why it matters: An account that leaves takes its workloads out of every guardrail, of the
organization trail and of consolidated billing. AWS lists this guardrail among its top SCPs.

Example: A spec whose root carries only FullAWSAccess.

Fix: Attach an SCP denying organizations:LeaveOrganization on "*" to the root
(orgstack init writes one: deny-leave-organization).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, Target
from orgstack.model.policydoc import as_list
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, statements

ACTIONS = ("organizations:LeaveOrganization", "organizations:*", "*")

RULE = define(
    __name__, __doc__, id="LZ203", severity="warning", doc_url=sources.MEMBER_BEST_PRACTICES
)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies_on(Target("root"), SCP):
        for statement in statements(policy):
            actions = as_list(statement.get("Action"))
            if (
                statement.get("Effect") == "Deny"
                and not statement.get("Condition")
                and set(actions) & set(ACTIONS)
            ):
                return
    yield RULE.at(model.organization, "no SCP at the root denies organizations:LeaveOrganization")
