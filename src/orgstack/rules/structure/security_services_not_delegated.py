"""The security account administers no security service for the organization.

What it does: Looks for an account with purpose security while the spec has no security:
section (and, on the live organization, no delegated administrator registered for GuardDuty,
Security Hub, IAM Access Analyzer or Config).

Why it matters: Without delegation the security team either works in the management account,
which should hold no workloads and few people, or does not see every account's findings.

Example: A spec with a security account and no security: section.

Fix: Add security: {account: <the security account>} (the standard and enterprise blueprints
have one): the plan enables trusted access and registers the account.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.kinds.delegated_admin.vocabulary import PRINCIPALS
from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ118", severity="warning", doc_url=sources.SECURITY_OU)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if model.sections.get("security") is not None:
        return
    delegated = {p for _, p in model.organization.delegated_admins}
    if delegated & set(PRINCIPALS):
        return
    for account in model.accounts:
        if account.purpose == "security":
            yield RULE.at(
                account,
                f"account {account.name} (security) administers no security service: no "
                "security: section and no delegated administrator for GuardDuty, Security "
                "Hub, Access Analyzer or Config",
            )
