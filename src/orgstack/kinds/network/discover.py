"""``orgstack import``: the ``network:`` section the live organization implies — orgstack's
Transit Gateway in the home Region (found from the management account, which an
organization-wide share reaches, else from the account whose purpose is network; its owner is
the network account), whom its share names, its segment tables, the
members each associates, what each segment's table propagates (the segments it reaches), each
member's VPC range, and the pools its routes name. AWS holds no invariants: they are left for
the user to write.

IAM actions: ec2:DescribeTransitGateways, sts:AssumeRole, and the read's
"""

from __future__ import annotations

from collections import Counter
from ipaddress import IPv4Network
from typing import Any

from orgstack.aws.reading import ReadContext
from orgstack.kinds.network.probes import DX_LIVE, attachment_owners
from orgstack.kinds.network.read import read
from orgstack.kinds.network.schema import NetworkSpec, SegmentSpec
from orgstack.kinds.network.vocabulary import (
    DESCRIPTION,
    ONPREM,
    SEGMENT_TAG,
    SHARE,
    address,
    tagged,
)
from orgstack.model.kind import Discovered, DiscoverRequest, ReadRequest, account_of, in_account

DEFAULTS = NetworkSpec(pools={"x": "10.0.0.0/8"}, segments={"x": SegmentSpec()})


def _gateways(
    ctx: ReadContext, regions: list[str], account_id: str | None = None
) -> dict[str, dict[str, Any]]:
    """Region → orgstack's gateway, as the management account sees it (shared with the
    organization) or as ``account_id`` does."""
    found = {}
    for region in regions:
        ec2 = ctx.member(account_id, "ec2", region) if account_id else ctx.client("ec2", region)
        seen = ctx.pages(ec2, "describe_transit_gateways", "TransitGateways")
        ours = [
            g for g in seen if g.get("Description") == DESCRIPTION and g.get("State") != "deleted"
        ]
        if ours:
            found[region] = ours[0]
    return found


def _targets(
    ctx: ReadContext, hub: str, hub_id: str, region: str, gateway_id: str, names: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """What to read in one Region: the hub's parts, each segment's table, each member's VPC."""
    ec2 = ctx.member(hub_id, "ec2", region)
    wants: dict[str, dict[str, Any]] = {
        address(hub, region, "gateway"): {"region": region},
        address(hub, region, "share"): {"region": region, "name": SHARE},
        address(hub, region, "onprem"): {"region": region},
    }
    tables = ctx.call(
        ec2,
        "describe_transit_gateway_route_tables",
        Filters=[{"Name": "transit-gateway-id", "Values": [gateway_id]}],
    )["TransitGatewayRouteTables"]
    for table in tables:
        segment = {t["Key"]: t["Value"] for t in table.get("Tags", [])}.get(SEGMENT_TAG)
        if segment and tagged([table], SEGMENT_TAG, segment):
            wants[address(hub, region, "table", segment)] = {"region": region}
    dxc = ctx.member(hub_id, "directconnect", region)
    for association in ctx.pages(
        dxc,
        "describe_direct_connect_gateway_associations",
        "directConnectGatewayAssociations",
        associatedGatewayId=gateway_id,
    ):
        if association.get("associationState") in DX_LIVE:
            found = ctx.call(
                dxc,
                "describe_direct_connect_gateways",
                directConnectGatewayId=association["directConnectGatewayId"],
            )["directConnectGateways"]
            name = found[0]["directConnectGatewayName"] if found else None
            if name:
                wants[address(hub, region, "dx")] = {"region": region, "name": name}
            break
    for owner in set(attachment_owners(ctx, ec2, gateway_id, names).values()):
        if owner in names.values():
            for part in ("vpc", "attachment", "routes"):
                wants[address(owner, region, part)] = {"region": region, "network": hub}
    return wants


def _pool(member_range: str, destinations: list[str]) -> str:
    """The segment's pool: the route that holds the member's range (else the range itself)."""
    own = IPv4Network(member_range)
    holding = [IPv4Network(d) for d in destinations if own.subnet_of(IPv4Network(d))]
    return str(min(holding, key=lambda n: n.num_addresses)) if holding else member_range


def _covering(ranges: list[str]) -> str:
    """The smallest range that holds every one of ``ranges``."""
    found = IPv4Network(ranges[0])
    while not all(IPv4Network(r).subnet_of(found) for r in ranges):
        found = found.supernet()
    return str(found)


def _section(
    hub: str, regions: list[str], live: dict[str, dict[str, Any]], first: str
) -> dict[str, Any]:
    tables = {in_account(a).split("/")[-1]: v for a, v in live.items() if "/table/" in a}
    members = {o: s for s, t in tables.items() for o in t["associations"] if o != ONPREM}
    vpcs = {account_of(a): v for a, v in live.items() if a.endswith("/vpc")}
    routes = {account_of(a): v["destinations"] for a, v in live.items() if a.endswith("/routes")}
    pools: dict[str, list[str]] = {}
    for account, segment in members.items():
        if account in vpcs:
            pools.setdefault(segment, []).append(
                _pool(vpcs[account]["cidr"], routes.get(account, []))
            )
    section: dict[str, Any] = {"account": hub}
    if regions != [first]:
        section["regions"] = regions
    gateway = next(v for a, v in live.items() if a.endswith("/gateway"))
    if int(gateway.get("asn") or DEFAULTS.asn) != DEFAULTS.asn:
        section["asn"] = int(gateway["asn"])
    section["pools"] = {s: _covering(ps) for s, ps in sorted(pools.items())}
    section["segments"] = {
        segment: {
            "reaches": sorted(
                {members.get(o, o) for o in table["propagations"]} - {segment}
                | ({ONPREM} if ONPREM in table["routes"].values() else set())
            )
        }
        for segment, table in sorted(tables.items())
    }
    prefixes = Counter(IPv4Network(v["cidr"]).prefixlen for v in vpcs.values())
    common = prefixes.most_common(1)[0][0] if prefixes else DEFAULTS.vpc.prefix
    zones = Counter(len(v["subnets"]) for v in vpcs.values()).most_common(1)
    vpc = {"prefix": common, "zones": zones[0][0] if zones else DEFAULTS.vpc.zones}
    section["vpc"] = {k: v for k, v in vpc.items() if v != getattr(DEFAULTS.vpc, k)}
    section["members"] = [
        {
            "accounts": {"account": sorted(a for a, s in members.items() if s == segment)},
            "segment": segment,
        }
        for segment in sorted(set(members.values()))
    ]
    ranges: dict[str, dict[str, str]] = {}
    for where, value in sorted(live.items()):
        if where.endswith("/vpc"):
            ranges.setdefault(account_of(where), {})[value["region"]] = value["cidr"]
    section["ranges"] = ranges
    parts = {in_account(a).split("/", 1)[1]: v for a, v in live.items()}  # Region dropped
    vpn, dx = parts.get("onprem"), parts.get("dx")  # not "table/onprem": the segment's table
    if vpn is not None or dx is not None:
        # A VPN's prefixes are its tables' static routes; a Direct Connect gateway's routes
        # are learned, so they are what the members route to the gateway outside every pool.
        prefixes_on = {c for t in tables.values() for c, o in t["routes"].items() if o == ONPREM}
        pooled = [IPv4Network(p) for p in section["pools"].values()]
        prefixes_on |= {
            c
            for found in routes.values()
            for c in found
            if not any(IPv4Network(c).subnet_of(p) for p in pooled)
        }
        section["onprem"] = {"prefixes": sorted(prefixes_on)}
        if vpn is not None:
            section["onprem"]["vpn"] = {"ip": vpn["ip"], "asn": vpn["asn"]}
        if dx is not None:
            link = {"asn": dx["asn"], "name": dx["name"]}
            section["onprem"]["dx"] = {k: v for k, v in link.items() if v != "orgstack"}
    return {k: v for k, v in section.items() if v != {}}


def _share_with(live: dict[str, dict[str, Any]], ou_paths: dict[str, str]) -> list[str]:
    """Whom the gateways' shares name: the organization, or OUs by path (an OU outside the
    organization's tree stays out: the spec cannot name it)."""
    principals = {p for a, v in live.items() if a.endswith("/share") for p in v["principals"]}
    if not principals or any(":organization/" in p for p in principals):
        return ["organization"]
    found = {ou_paths.get(p.rsplit("/", 1)[-1]) for p in principals}
    return sorted(f"ou:{path}" for path in found if path) or ["organization"]


def discover(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    # The imported spec allows its home Region only: the gateway there is what it can hold.
    regions = [request.home_region]
    names = request.names()
    gateways = _gateways(ctx, regions)
    if not gateways:  # shared with OUs only: the network account sees its own
        for account in sorted(request.live.accounts, key=lambda a: a.name):
            purpose = account.tags.get("purpose") or account.purpose
            if purpose == "network" and account.id in names and not gateways:
                gateways = _gateways(ctx, regions, account.id)
    owners = {g["OwnerId"] for g in gateways.values()}
    if not gateways:
        return Discovered()
    if len(owners) != 1 or next(iter(owners)) not in names:
        return Discovered(
            notes=[
                "network: orgstack's Transit Gateways belong to several accounts, or to one "
                "outside the organization; write network: by hand"
            ]
        )
    hub_id = next(iter(owners))
    hub = names[hub_id]
    targets: dict[str, dict[str, Any]] = {}
    for region, gateway in gateways.items():
        targets |= _targets(ctx, hub, hub_id, region, gateway["TransitGatewayId"], names)
    accounts = {n: i for i, n in names.items()}
    ids = {f"account:{n}": i for n, i in accounts.items()}
    live = read(ctx, ReadRequest(targets, accounts, ids=ids)).resources
    section = _section(hub, sorted(gateways), live, regions[0])
    shared = _share_with(live, {o.id: o.path for o in request.live.ous if o.id})
    if shared != DEFAULTS.share_with:
        section["share_with"] = shared
    # AWS holds no invariants: the user writes them (docs/accounts/network.md).
    return Discovered(section)
