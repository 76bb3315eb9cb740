"""The organization declares more OUs than AWS allows.

What it does: Counts the OUs of the organization.

Why it matters: An organization may hold at most 2,000 OUs (1,000 before 2023);
CreateOrganizationalUnit fails beyond that.

Example: One OU per team and stage in a company of 900 teams.

Fix: Group OUs by function and shared guardrails; carry teams and stages in account tags.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

MAX_OUS = 2000

RULE = define(__name__, __doc__, id="LZ017", severity="error", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if len(model.ous) > MAX_OUS:
        yield RULE.at(
            model.organization, f"{len(model.ous):,} OUs are declared; AWS allows {MAX_OUS:,}"
        )
