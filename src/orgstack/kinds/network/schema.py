"""The ``network:`` section: the network account's Transit Gateway per Region, the address plan
(pools per segment, reserved ranges, each VPC's range as apply recorded it), the segments and
what each reaches, the VPC every member account gets, the on-premise link, and the invariants
validate proves."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from orgstack.spec.fields import Region, Strict
from orgstack.spec.selectors import AccountSelectorSpec

SECTION = "network"
DESCRIPTION = "The network account: address plan, Transit Gateway, segments, a VPC per account."
#: An IPv4 range in CIDR notation (its host bits are checked by compile).
CIDR_RE = r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$"
Cidr = Annotated[str, StringConstraints(pattern=CIDR_RE)]
SegmentName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
#: The segment that holds the on-premise link (it forwards: on-premise routers route on).
ONPREM = "onprem"


class SegmentSpec(Strict):
    """One Transit Gateway route table: the segments its attachments reach."""

    reaches: Annotated[
        list[SegmentName],
        Field(description="Segments whose attachments' ranges this segment's table routes to."),
    ] = []
    forwards: Annotated[
        bool,
        Field(
            description=(
                "Packets arriving here go on (an inspection VPC, a router); on-premise always "
                "does. The invariants' proof follows paths through such segments."
            )
        ),
    ] = False


class MemberSpec(Strict):
    """The accounts that get a VPC in a segment."""

    accounts: Annotated[
        AccountSelectorSpec, Field(description="A selector: stage, purpose, ou, tag, account.")
    ]
    segment: Annotated[SegmentName, Field(description="The segment (a key of pools).")]
    prefix: Annotated[
        int | None, Field(ge=16, le=28, description="Their VPCs' size (default: vpc.prefix).")
    ] = None


class VpcSpec(Strict):
    """The VPC every member account gets: private subnets only (no internet gateway)."""

    prefix: Annotated[
        int, Field(ge=16, le=28, description="The VPC's size, e.g. 22 for a /22.")
    ] = 22
    zones: Annotated[
        int, Field(ge=1, le=4, description="Private subnets, one per Availability Zone.")
    ] = 2
    name: Annotated[Name, Field(description="The VPC's Name tag.")] = "orgstack"


class VpnSpec(Strict):
    """A site-to-site VPN with static routes from the Transit Gateway to a customer gateway."""

    ip: Annotated[
        str,
        Field(
            pattern=r"^\d{1,3}(\.\d{1,3}){3}$",
            description="The customer gateway's public IPv4 address.",
        ),
    ]
    asn: Annotated[int, Field(ge=1, le=4294967294, description="The customer gateway's BGP ASN.")]


class DxSpec(Strict):
    """A Direct Connect gateway associated with the Transit Gateway: on-premise routes arrive
    by BGP over the transit virtual interface made with the physical link (outside orgstack);
    the prefixes it advertises to on-premise are the pools segment onprem reaches."""

    asn: Annotated[
        int,
        Field(
            ge=64512,
            le=4294967294,
            description=(
                "The Direct Connect gateway's Amazon-side ASN (64512-65534 or "
                "4200000000-4294967294); it must differ from network.asn."
            ),
        ),
    ]
    name: Annotated[Name, Field(description="The Direct Connect gateway's name.")] = "orgstack"


class OnpremSpec(Strict):
    """The on-premise network: its ranges and the link that reaches it (segment ``onprem``):
    a site-to-site VPN or a Direct Connect gateway."""

    prefixes: Annotated[
        list[Cidr],
        Field(min_length=1, description="On-premise ranges: no VPC may take them."),
    ]
    vpn: Annotated[
        VpnSpec | None, Field(description="A site-to-site VPN to the Transit Gateway.")
    ] = None
    dx: Annotated[
        DxSpec | None,
        Field(description="A Direct Connect gateway associated with the Transit Gateway."),
    ] = None


class NoPathSpec(Strict):
    """No packet from one segment may arrive in another."""

    from_: Annotated[SegmentName, Field(alias="from", description="The segment packets leave.")]
    to: Annotated[SegmentName, Field(description="The segment they must never reach.")]


class InvariantSpec(Strict):
    """An invariant validate proves on the segments (a failure prints the path)."""

    no_path: NoPathSpec


class NetworkSpec(Strict):
    """The network account, its Transit Gateways, the address plan and the segments."""

    pools: Annotated[
        dict[SegmentName, Cidr],
        Field(min_length=1, description="Each segment's pool, from which its VPCs' ranges come."),
    ]
    segments: Annotated[
        dict[SegmentName, SegmentSpec],
        Field(min_length=1, description="The segments (route tables) and what each reaches."),
    ]
    account: Annotated[
        str | None,
        Field(description="The network account; default: the one whose purpose is network."),
    ] = None
    regions: Annotated[
        list[Region] | None,
        Field(description="Where Transit Gateways and VPCs are (default: the first allowed)."),
    ] = None
    asn: Annotated[
        int, Field(ge=64512, le=65534, description="The Transit Gateways' private ASN.")
    ] = 64512
    supernet: Annotated[
        Cidr | None, Field(description="The range every pool must lie in (e.g. 10.0.0.0/8).")
    ] = None
    reserved: Annotated[
        dict[Name, Cidr],
        Field(description="Ranges no VPC may take (peers, other clouds), by name."),
    ] = {}
    members: Annotated[
        list[MemberSpec] | None,
        Field(
            description=(
                "Which accounts get a VPC in which segment (default: stage prod → prod, other "
                "stages → nonprod, purpose shared-services → shared, where those pools exist)."
            )
        ),
    ] = None
    share_with: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^(organization|ou:.+)$")]],
        Field(
            min_length=1,
            description=(
                "Whom RAM shares the Transit Gateways with: organization, or OUs (ou:PATH, "
                "with the OUs below them); every member account must be within one."
            ),
        ),
    ] = ["organization"]
    vpc: VpcSpec = VpcSpec()
    onprem: OnpremSpec | None = None
    invariants: Annotated[
        list[InvariantSpec], Field(description="What validate proves, e.g. no_path nonprod→prod.")
    ] = []
    ranges: Annotated[
        dict[str, dict[Region, Cidr]],
        Field(
            description=(
                "Each account's VPC range by Region, written by apply and import like ids: a "
                "recorded range never moves."
            )
        ),
    ] = {}


Schema = NetworkSpec
