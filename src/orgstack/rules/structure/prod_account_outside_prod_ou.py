"""A production account is not in a Prod OU.

What it does: Flags accounts with stage prod whose OU path has no level named Prod or
Production.

Why it matters: Production accounts get the strictest guardrails through their OU; AWS
advises housing production environments in production OUs.

Example: web-prod: {purpose: workload, stage: prod, ou: Workloads}

Fix: Move the account to Workloads/Prod (or another OU path with a Prod level).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import ou_segments

PROD_NAMES = ("prod", "production")

RULE = define(__name__, __doc__, id="LZ112", severity="warning", doc_url=sources.PROD_NONPROD)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if account.stage == "prod" and not set(ou_segments(account)) & set(PROD_NAMES):
            yield RULE.at(
                account, f"prod account {account.name} is in {account.ou}, not in a Prod OU"
            )
