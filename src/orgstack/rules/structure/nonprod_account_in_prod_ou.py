"""A non-production account sits in a Prod OU.

What it does: Flags accounts with a stage other than prod whose OU path has a level named
Prod or Production.

Why it matters: Whatever a Prod OU grants or allows (network routes to production, access
for production operators) then reaches a dev or test account too.

Example: web-dev: {purpose: workload, stage: dev, ou: Workloads/Prod}

Fix: Move the account to Workloads/NonProd (or the OU of its stage).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import ou_segments

PROD_NAMES = ("prod", "production")

RULE = define(__name__, __doc__, id="LZ113", severity="warning", doc_url=sources.PROD_NONPROD)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if (
            account.stage
            and account.stage != "prod"
            and set(ou_segments(account)) & set(PROD_NAMES)
        ):
            yield RULE.at(
                account, f"{account.stage} account {account.name} is in {account.ou}, a Prod OU"
            )
