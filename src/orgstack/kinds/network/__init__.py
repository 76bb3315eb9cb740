"""The network account's Transit Gateways and every member account's VPC (``network:``): in
the management account, resource sharing within the organization (RAM); per Region, in the
network account, a Transit Gateway (default route table association and propagation off), its
RAM share with the organization, one route table per segment whose associations, propagations
and static routes follow from the segments, and the on-premise VPN; in each member account, a
VPC at the range the address plan gives it, private subnets across Availability Zones, its
attachment in its segment (accepted by the network account) and routes to the Transit Gateway
for the ranges its segment reaches.

Addresses: ``network:<management>/<region>/sharing``, ``network:<network>/<region>/gateway``,
``…/share``, ``…/onprem`` (a VPN), ``…/dx`` (a Direct Connect gateway), ``…/table/<segment>``;
``network:<account>/<region>/vpc``, ``…/attachment``, ``…/routes``. Nothing is ever deleted: a
VPC that left the spec stays.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    prefix="network",
    summary="the Transit Gateway, segments and a VPC per member account (network)",
    types=(
        "sharing",
        "gateway",
        "share",
        "onprem",
        "dx",
        "vpc",
        "attachment",
        "table",
        "routes",
    ),
    type_index=2,
    after=("trusted-access",),
    phase=45,
    group_title="Network: Transit Gateways, segments and VPCs, by account:",
    full_updates=True,
)
