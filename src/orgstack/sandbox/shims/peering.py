"""VPC peering as AWS answers it (a shim with a test and a line in docs/sandbox.md): a peering
request between VPCs whose IPv4 ranges overlap is made, but its status is ``failed`` at once
and it can never be accepted (moto makes it ``pending-acceptance`` and lets it go active).
AWS: "If you create a VPC peering connection request between VPCs with overlapping CIDR
blocks, the VPC peering connection has a status of failed." (CreateVpcPeeringConnection)."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from moto.ec2.models import EC2Backend

from orgstack.sandbox.shims.ram import wrap

#: The status message of a failed peering of overlapping ranges.
OVERLAP = "Overlapping CIDR range: {} overlaps {}"


def _ranges(vpc: Any) -> list[IPv4Network]:
    """The VPC's IPv4 ranges: its primary and every associated (not disassociated) one."""
    found = [IPv4Network(vpc.cidr_block)]
    for association in vpc.get_cidr_block_association_set(ipv6=False):
        if association.get("cidr_block_state", {}).get("state") != "disassociated":
            found.append(IPv4Network(association["cidr_block"]))
    return found


def _create(self: Any, vpc: Any, peer_vpc: Any, tags: Any = None) -> Any:
    made = _create.original(self, vpc, peer_vpc, tags)  # type: ignore[attr-defined]
    for mine in _ranges(vpc):
        theirs = next((r for r in _ranges(peer_vpc) if r.overlaps(mine)), None)
        if theirs is not None:
            made._status.code = "failed"
            made._status.message = OVERLAP.format(mine, theirs)
            break
    return made


def overlapping_peerings_fail() -> None:
    """CreateVpcPeeringConnection of overlapping ranges: a peering whose status is failed."""
    wrap(EC2Backend, "create_vpc_peering_connection", _create)
