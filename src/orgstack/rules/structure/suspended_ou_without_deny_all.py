"""A Suspended OU has no deny-all SCP.

What it does: For each OU named Suspended, looks for an SCP attached directly to it with a
statement that denies every action on every resource, without conditions.

Why it matters: Accounts leaving service are parked in the Suspended OU instead of being
closed; only a deny-all SCP stops whatever is left in them from running or being used.

Example: organizational_units: {Suspended: {}} with no policy targeting ou:Suspended.

Fix: Attach an SCP with {"Effect": "Deny", "Action": "*", "Resource": "*"} to ou:Suspended.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, Target
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import SCP, denies_everything, statements

RULE = define(__name__, __doc__, id="LZ109", severity="error", doc_url=sources.RECOMMENDED_OUS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for ou in model.ous:
        if ou.name.lower() != "suspended":
            continue
        attached = model.policies_on(Target("ou", ou.path), SCP)
        if not any(denies_everything(s) for p in attached for s in statements(p)):
            yield RULE.at(ou, f"OU {ou.path} has no SCP attached that denies everything")
