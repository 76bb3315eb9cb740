"""No log archive account is declared.

What it does: Looks for an account with purpose log-archive.

Why it matters: Logs kept in the accounts that produce them can be deleted by whoever
compromises those accounts. A separate log archive account keeps CloudTrail and Config logs of
every account out of their reach.

Example: A spec with only management and workload accounts.

Fix: Add an account with purpose: log-archive in a Security OU.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ102", severity="warning", doc_url=sources.SECURITY_OU)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if not any(a.purpose == "log-archive" for a in model.accounts):
        yield RULE.at(model.organization, "no account has purpose log-archive")
