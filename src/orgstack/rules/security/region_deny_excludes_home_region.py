"""A Region guardrail denies the organization's home Region.

What it does: Reads every SCP Deny statement conditioned on aws:RequestedRegion with
StringNotEquals or StringNotLike (the allow-list form) and flags it when the list leaves out
organization.home_region, or any of organization.allowed_regions.

Why it matters: orgstack and the shared tooling run in the home Region; a Region guardrail
without it breaks them in every account the SCP reaches. A Region the spec allows but the
guardrail denies is a contradiction someone will trip over.

Example: home_region: eu-central-1 with "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}

Fix: Add the Regions to the guardrail's list, or change organization.allowed_regions.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from orgstack.model import OrgModel
from orgstack.model.policydoc import conditions_on
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import scp_statements

RULE = define(__name__, __doc__, id="LZ205", severity="error", doc_url=sources.SCP_EXAMPLES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    regions = model.organization.allowed_regions
    for policy, _, statement in scp_statements(model):
        tests = conditions_on(statement, "aws:RequestedRegion")
        allowed = tests.get("StringNotEquals", []) + tests.get("StringNotLike", [])
        if statement.get("Effect") != "Deny" or not allowed:
            continue
        denied = [r for r in regions if not any(fnmatchcase(r, a) for a in allowed)]
        if denied:
            yield RULE.at(
                policy,
                f"SCP {policy.name} denies allowed Region(s) {', '.join(denied)} "
                f"(its list: {', '.join(allowed)})",
            )
