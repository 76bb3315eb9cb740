"""A workload account has no stage.

What it does: Flags accounts of purpose workload without a stage.

Why it matters: Stages are what keeps a dev application away from a prod database: each stage
of a workload gets its own account, and orgstack places, tags and grants access by stage.

Example: payments: {purpose: workload, ou: Workloads}

Fix: Set stage (dev, qa, test, int, staging, prod, or your own word), one account per stage.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ105", severity="warning", doc_url=sources.SEPARATE_WORKLOADS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if account.purpose == "workload" and not account.stage:
            yield RULE.at(account, f"workload account {account.name} has no stage")
