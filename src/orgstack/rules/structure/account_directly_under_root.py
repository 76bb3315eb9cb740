"""A member account sits directly under the root.

What it does: Flags every account other than the management account whose ou is root.

Why it matters: Guardrails are attached to OUs; an account under the root gets only the
root's policies, and nothing says what kind of account it is.

Example: web-dev: {purpose: workload, stage: dev, ou: root}

Fix: Move the account into the OU for its purpose or stage (for example Workloads/NonProd).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ114", severity="warning", doc_url=sources.RECOMMENDED_OUS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if account.ou == "root" and account.purpose != "management":
            yield RULE.at(account, f"account {account.name} is directly under the root")
