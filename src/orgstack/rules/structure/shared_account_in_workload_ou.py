"""A log archive, security, backup or sandbox account sits in a workload OU.

What it does: Flags accounts of purpose log-archive, security, backup or sandbox whose OU holds
workload accounts (at that level or below).

Why it matters: Workload OUs carry the guardrails of application teams, and their
administrators often get rights across the OU. Log archive and security accounts belong in a
Security OU, backup in Infrastructure, sandboxes in a Sandbox OU cut off from internal networks.

Example: log-archive: {purpose: log-archive, ou: Workloads}

Fix: Move the account to its own OU: Security, Infrastructure or Sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import workload_ous

PURPOSES = ("log-archive", "security", "backup", "sandbox")

RULE = define(__name__, __doc__, id="LZ104", severity="warning", doc_url=sources.RECOMMENDED_OUS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    workloads = workload_ous(model)
    for account in model.accounts:
        if account.purpose in PURPOSES and account.ou in workloads:
            yield RULE.at(
                account,
                f"{account.purpose} account {account.name} is in {account.ou}, "
                "an OU that holds workload accounts",
            )
