"""No security tooling account is declared.

What it does: Looks for an account with purpose security.

Why it matters: The security team needs one account from which it administers GuardDuty,
Security Hub, Config and Access Analyzer for the whole organization as delegated
administrator, instead of using the management account.

Example: A spec with only management and workload accounts.

Fix: Add an account with purpose: security in a Security OU.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ103", severity="warning", doc_url=sources.SECURITY_OU)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if not any(a.purpose == "security" for a in model.accounts):
        yield RULE.at(model.organization, "no account has purpose security")
