"""A shared infrastructure account is split by stage.

What it does: Flags accounts of purpose network, shared-services, backup, log-archive, security
or build that have a stage.

Why it matters: AWS advises against prod and non-prod variants of infrastructure accounts:
organization-integrated services (delegated administration, the organization trail, IPAM)
expect one account each. Infrastructure experiments belong in a workload dev account.

Example: network-dev and network-prod, both with purpose: network.

Fix: Keep one account per infrastructure purpose and remove the stage.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define

PURPOSES = ("network", "shared-services", "backup", "log-archive", "security", "build")

RULE = define(__name__, __doc__, id="LZ115", severity="info", doc_url=sources.INFRASTRUCTURE_OU)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for account in model.accounts:
        if account.purpose in PURPOSES and account.stage:
            yield RULE.at(
                account,
                f"{account.purpose} account {account.name} has stage {account.stage}; "
                "infrastructure accounts are not split by stage",
            )
