"""An OU is nested more than five levels below the root.

What it does: Flags every OU whose path has more than five levels.

Why it matters: AWS Organizations allows at most five levels of OUs under the root.
CreateOrganizationalUnit fails beyond that, halfway through an apply.

Example: Workloads/Prod/Retail/Web/Europe/Blue is six levels deep.

Fix: Flatten the tree. Group OUs by function and guardrails at the top; carry teams, business
units and regions in account tags instead of extra OU levels.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

MAX_DEPTH = 5

RULE = define(__name__, __doc__, id="LZ001", severity="error", doc_url=sources.LIMITS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for ou in model.ous:
        if ou.depth > MAX_DEPTH:
            yield RULE.at(
                ou, f"OU {ou.path} is {ou.depth} levels below the root; AWS allows {MAX_DEPTH}"
            )
