"""What connects accounts besides policies, read for the isolation check: the RAM shares each
account owns (their resources and principals) and each account's active VPC peerings with
the peerings its route tables send traffic to. One pass per account and Region, every
account at once under the shared rate.

IAM actions: ram:GetResourceShares, ram:GetResourceShareAssociations,
ec2:DescribeVpcPeeringConnections, ec2:DescribeRouteTables
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from orgstack.aws.reading import ReadContext

#: States of a share and of its associations that let principals in (or soon will).
SHARING = ("PENDING", "ACTIVE", "ASSOCIATING", "ASSOCIATED")


@dataclass(frozen=True)
class Share:
    """A RAM share an account owns: its resources and the principals it reaches."""

    owner: str
    region: str
    name: str
    arn: str
    resources: tuple[str, ...]
    principals: tuple[str, ...]


@dataclass(frozen=True)
class Peerings:
    """An account's active VPC peerings in a Region, and those its route tables use."""

    account: str
    region: str
    peerings: tuple[dict[str, Any], ...]
    routed: frozenset[str]


def _associated(ctx: ReadContext, ram: Any, arn: str, kind: str) -> tuple[str, ...]:
    found = ctx.pages(
        ram, "get_resource_share_associations", "resourceShareAssociations",
        associationType=kind, resourceShareArns=[arn],
    )  # fmt: skip
    return tuple(sorted(a["associatedEntity"] for a in found if a.get("status") in SHARING))


def _shares(ctx: ReadContext, account: str, account_id: str, region: str) -> list[Share]:
    ram = ctx.member(account_id, "ram", region)
    found = []
    for share in ctx.pages(ram, "get_resource_shares", "resourceShares", resourceOwner="SELF"):
        if share.get("status") not in SHARING:
            continue
        arn = share["resourceShareArn"]
        found.append(
            Share(account, region, share["name"], arn,
                  _associated(ctx, ram, arn, "RESOURCE"), _associated(ctx, ram, arn, "PRINCIPAL"))
        )  # fmt: skip
    return found


def _peerings(ctx: ReadContext, account: str, account_id: str, region: str) -> list[Peerings]:
    ec2 = ctx.member(account_id, "ec2", region)
    active = [
        p
        for p in ctx.pages(
            ec2,
            "describe_vpc_peering_connections",
            "VpcPeeringConnections",
            Filters=[{"Name": "status-code", "Values": ["active"]}],
        )
        if p.get("Status", {}).get("Code") == "active"
    ]
    if not active:
        return []
    routed = {
        route["VpcPeeringConnectionId"]
        for table in ctx.pages(ec2, "describe_route_tables", "RouteTables")
        for route in table.get("Routes", [])
        if route.get("VpcPeeringConnectionId") and route.get("State", "active") == "active"
    }
    return [Peerings(account, region, tuple(active), frozenset(routed))]


def read_crossings(
    ctx: ReadContext, accounts: Mapping[str, str], regions: list[str]
) -> tuple[list[Share], list[Peerings]]:
    """Every account's RAM shares and routed VPC peerings in ``regions``."""
    jobs = [
        (read, name, account_id, region)
        for name, account_id in accounts.items()
        for region in regions
        for read in (_shares, _peerings)
    ]
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        batches = list(pool.map(lambda job: job[0](ctx, *job[1:]), jobs))
    shares = [s for batch in batches for s in batch if isinstance(s, Share)]
    peerings = [p for batch in batches for p in batch if isinstance(p, Peerings)]
    return shares, peerings
