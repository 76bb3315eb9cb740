"""A workload has stage accounts but no production account of its own.

What it does: For each workload with accounts of several stages, checks that one of them is
a prod account.

Why it matters: Production must live in its own account, apart from dev and test: VPCs give
network isolation only, not IAM isolation, and a dev load test must not eat prod's quotas.
A workload whose stages are all non-prod usually runs production somewhere else.

Example: web-dev and web-qa exist, and production runs in a shared account.

Fix: Add a <workload>-prod account with stage: prod in a Prod OU.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import stage_accounts

RULE = define(__name__, __doc__, id="LZ107", severity="info", doc_url=sources.PROD_NONPROD)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for name, accounts in stage_accounts(model).items():
        stages = sorted({a.stage for a in accounts if a.stage})
        if len(stages) > 1 and "prod" not in stages:
            yield RULE.at(
                accounts[0],
                f"workload {name} has stages {', '.join(stages)} but no prod account",
            )
