"""No SCP keeps workloads inside the allowed Regions.

What it does: Looks for any SCP with a Deny statement conditioned on aws:RequestedRegion.

Why it matters: Without a Region guardrail, resources can appear in any Region, outside
monitoring, data-residency rules and budgets; Regions nobody watches are where compromised
credentials mine cryptocurrency.

Example: organization.allowed_regions lists two Regions, no SCP enforces them.

Fix: Attach a Region deny SCP to the Workloads and Sandbox OUs (orgstack init writes one:
deny-outside-allowed-regions).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.policydoc import conditions_on
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, statements

RULE = define(__name__, __doc__, id="LZ207", severity="info", doc_url=sources.SCP_EXAMPLES)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type == SCP and policy.targets:
            for statement in statements(policy):
                if statement.get("Effect") == "Deny" and conditions_on(
                    statement, "aws:RequestedRegion"
                ):
                    return
    yield RULE.at(
        model.organization,
        f"no SCP denies Regions outside {', '.join(model.organization.allowed_regions)}",
    )
