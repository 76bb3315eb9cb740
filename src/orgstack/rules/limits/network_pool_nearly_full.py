"""A network pool is nearly full.

What it does: Flags a pool of network.pools that has room for fewer than 10 more VPCs of its
size, or for less than a tenth of the VPCs it could hold.

Why it matters: When a pool is full, the next stage account gets no VPC and the plan fails;
ranges already given out cannot move, so the only way out is a new pool, planned before it is
needed.

Example: shared: 10.32.0.0/22 with vpc.prefix 22: one VPC fills it.

Fix: Make the pool larger (a range that contains the current one) or give the segment's
members a smaller vpc.prefix for new accounts (members[].prefix).
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import network_pools

RULE = define(__name__, __doc__, id="LZ023", severity="warning", doc_url=sources.VPC_CIDRS)
#: Fewer free blocks than this, or than this share of the pool's capacity, is nearly full.
MINIMUM, SHARE = 10, 0.1


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for pool in network_pools(model):
        if pool.room < MINIMUM or pool.room < pool.capacity * SHARE:
            yield RULE.finding(
                f"network-pool:{pool.name}",
                f"network pool {pool.name} ({pool.cidr}) has room for {pool.room} more "
                f"/{pool.prefix} of {pool.capacity}; the next accounts may find it full",
                pool.source,
            )
