"""A build tools account is not in a Deployments OU.

What it does: Flags accounts of purpose build whose OU path has no level named Deployments.

Why it matters: CI/CD deploys into production and so needs production-grade governance of its
own, apart from the workloads it deploys; AWS recommends a Deployments OU for it.

Example: build: {purpose: build, ou: Workloads/NonProd}

Fix: Add a Deployments OU and move the build account there.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import ou_segments

RULE = define(__name__, __doc__, id="LZ116", severity="warning", doc_url=sources.DEPLOYMENTS_OU)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if account.purpose == "build" and "deployments" not in ou_segments(account):
            yield RULE.at(
                account, f"build account {account.name} is in {account.ou}, not in a Deployments OU"
            )
