"""Two accounts hold the same stage of one workload.

What it does: Groups workload accounts by (workload, stage) and flags every extra account.

Why it matters: One account per stage keeps the stages identical and comparable, and makes it
clear where a deployment goes; two "prod" accounts of one workload split its quotas, costs and
access reviews.

Example: web-prod and web-prod-2, both with workload: web and stage: prod.

Fix: Merge them, or give the second its own workload name.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import Account, OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ106", severity="warning", doc_url=sources.SEPARATE_WORKLOADS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    first: dict[tuple[str, str], Account] = {}
    for account in model.accounts:
        if account.workload and account.stage:
            key = (account.workload, account.stage)
            other = first.setdefault(key, account)
            if other is not account:
                yield RULE.at(
                    account,
                    f"account {account.name} is a second {account.stage} account of workload "
                    f"{account.workload} (the first is {other.name})",
                )
