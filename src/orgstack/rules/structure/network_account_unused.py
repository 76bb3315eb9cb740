"""The network account holds no network: the spec declares no network: section.

What it does: Looks for an account with purpose network while the spec has no network:
section (the Transit Gateway, the segments and the VPC of every stage account).

Why it matters: The network account exists so that only network specialists hold the Transit
Gateway and the on-premise links, and so that prod and non-prod cannot reach each other; without
the section it is only a label, and each team builds its own network.

Example: A spec with a network account and no network: section.

Fix: Add network: (orgstack init writes one in the standard and enterprise blueprints): pools,
segments and invariants that validate proves.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.kinds.network.vocabulary import SECTION
from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

RULE = define(__name__, __doc__, id="LZ120", severity="warning", doc_url=sources.INFRASTRUCTURE_OU)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if model.sections.get(SECTION) is not None:
        return
    for account in model.accounts:
        if account.purpose == "network":
            yield RULE.at(
                account,
                f"account {account.name} (network) holds no network: no network: section "
                "declares the Transit Gateway and the segments",
            )
