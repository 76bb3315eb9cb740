"""The organization declares more accounts than its account quota.

What it does: Compares the number of accounts with organization.account_quota (default 10, the
AWS default for a new organization).

Why it matters: CreateAccount fails with ACCOUNT_LIMIT_EXCEEDED once the quota is reached; new
organizations may even start below 10. Closed accounts count until they are fully closed.

Example: The enterprise blueprint declares 22 accounts against the default quota of 10.

Fix: From the management account, request an increase of "Default maximum number of accounts"
(quota code L-29A0C5DF) in Service Quotas, in us-east-1; once granted, set
organization.account_quota to the new value.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ016", severity="warning", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    quota, count = model.organization.account_quota, len(model.accounts)
    if count > quota:
        yield RULE.at(
            model.organization,
            f"{count} accounts are declared; the account quota is {quota} "
            "(request L-29A0C5DF in Service Quotas, then set organization.account_quota)",
        )
