"""A guardrail SCP is attached to a single account.

What it does: Flags SCPs (other than AWS-managed ones) attached directly to an account that is
not in an OU named Exceptions.

Why it matters: Guardrails attached per account drift apart as the organization grows, and
the 5-SCP limit per account is reached quickly. AWS advises attaching policies to OUs that group
accounts with the same needs, and keeping account-level SCPs for an Exceptions OU.

Example: targets: [account:web-prod, account:api-prod]

Fix: Attach the policy to the OU that holds those accounts (ou:Workloads/Prod), or move the
accounts into an OU with that policy.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, ou_segments

RULE = define(__name__, __doc__, id="LZ110", severity="warning", doc_url=sources.OU_BENEFITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type != SCP or policy.aws_managed:
            continue
        for target in policy.targets:
            account = model.account(target.name) if target.kind == "account" else None
            if account is None or "exceptions" in ou_segments(account):
                continue
            yield RULE.at(
                policy,
                f"SCP {policy.name} is attached to account {account.name}; attach guardrails "
                "to OUs",
            )
