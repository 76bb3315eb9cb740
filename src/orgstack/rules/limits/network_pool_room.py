"""How many more VPCs each network pool holds.

What it does: Reports, for each pool of network.pools, how many VPC ranges the address plan
gave out and how many more free, aligned blocks of its VPC size the pool still holds (reserved
and on-premise ranges, and ranges recorded for accounts that left, count as taken).

Why it matters: A pool that runs out stops the next account from getting a VPC; knowing the
room before it is gone leaves time to add a pool or shrink the VPC size, which a VPC that exists
can never take back.

Example: nonprod (10.16.0.0/12): 3 VPCs, room for 1,021 more /22.

Fix: Nothing to fix; when room runs low (LZ023), give the segment a larger or second pool.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import network_pools

RULE = define(__name__, __doc__, id="LZ022", severity="info", doc_url=sources.VPC_CIDRS)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for pool in network_pools(model):
        yield RULE.finding(
            f"network-pool:{pool.name}",
            f"network pool {pool.name} ({pool.cidr}): {pool.given} VPC{'s' * (pool.given != 1)}, "
            f"room for {pool.room:,} more /{pool.prefix}",
            pool.source,
        )
