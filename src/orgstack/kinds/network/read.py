"""Read the network: RAM sharing (the management account), each Region's Transit Gateway, its
share, on-premise VPN and segment tables (the network account), and each member account's VPC,
attachment and routes (through the access role), every account and Region concurrently.

A table's associations and propagations read back as their attachments' owners (account
names, ``onprem`` for the VPN), so plan compares them with what the segments derive.

IAM actions: sts:AssumeRole, iam:GetRole, ec2:DescribeTransitGateways,
ram:GetResourceShares, ram:GetResourceShareAssociations, ec2:DescribeCustomerGateways,
ec2:DescribeVpnConnections, ec2:DescribeTransitGatewayRouteTables,
ec2:DescribeTransitGatewayAttachments, ec2:GetTransitGatewayRouteTableAssociations,
ec2:GetTransitGatewayRouteTablePropagations, ec2:SearchTransitGatewayRoutes,
ec2:DescribeVpcs, ec2:DescribeSubnets, ec2:DescribeTransitGatewayVpcAttachments,
ec2:DescribeRouteTables, directconnect:DescribeDirectConnectGateways,
directconnect:DescribeDirectConnectGatewayAssociations
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.aws.reading import ReadContext
from orgstack.kinds.network.probes import (
    attachment_owners,
    dx_of,
    gateway_of,
    member_vpc,
    share_of,
)
from orgstack.kinds.network.vocabulary import RAM_ROLE, SEGMENT_TAG, TAG, address, order, tagged
from orgstack.model.kind import Live, ReadRequest, account_of, in_account

GONE = frozenset({"NoSuchEntity"})
#: Which read a part belongs to: RAM sharing, a member account's VPC, else the network account's.
SIDES = {"sharing": "sharing", "vpc": "member", "attachment": "member", "routes": "member"}


def _network(
    ctx: ReadContext, account_id: str, region: str, wants: dict[str, Any], names: dict[str, str]
) -> Live:
    """The network account's resources in one Region: gateway first (the rest hang off it)."""
    live = Live()
    ec2 = ctx.member(account_id, "ec2", region)
    account = account_of(next(iter(wants)))
    gateway = gateway_of(ctx, ec2, account_id)
    where = address(account, region, "gateway")
    if gateway is None:
        return live
    live.ids[where] = gateway["TransitGatewayId"]
    live.found(
        where,
        None
        if where not in wants
        else {
            "region": region,
            "asn": gateway["Options"].get("AmazonSideAsn"),
            "description": gateway.get("Description"),
            "default_association": gateway["Options"].get("DefaultRouteTableAssociation")
            == "enable",
            "default_propagation": gateway["Options"].get("DefaultRouteTablePropagation")
            == "enable",
            "auto_accept": gateway["Options"].get("AutoAcceptSharedAttachments") == "enable",
        },
    )
    share = address(account, region, "share")
    if share in wants:
        found = share_of(ctx, ctx.member(account_id, "ram", region), wants[share])
        if found is not None:
            live.ids[share] = found.pop("arn")
        live.found(share, found)
    owners = attachment_owners(ctx, ec2, gateway["TransitGatewayId"], names)
    onprem = address(account, region, "onprem")
    if onprem in wants:
        live.found(onprem, _vpn(ctx, ec2, gateway["TransitGatewayId"], region))
    dx = address(account, region, "dx")
    if dx in wants:
        _dx(ctx, live, ctx.member(account_id, "directconnect", region), dx, wants[dx], gateway)
    for table in ctx.pages(
        ec2,
        "describe_transit_gateway_route_tables",
        "TransitGatewayRouteTables",
        Filters=[{"Name": "transit-gateway-id", "Values": [gateway["TransitGatewayId"]]}],
    ):
        tags = {t["Key"]: t["Value"] for t in table.get("Tags", [])}
        segment = tags.get(SEGMENT_TAG)
        if not segment or table.get("State") in ("deleting", "deleted"):
            continue
        table_id = table["TransitGatewayRouteTableId"]
        where = address(account, region, "table", segment)
        live.ids[where] = table_id
        if where in wants:
            live.found(where, _table(ctx, ec2, table_id, segment, region, owners))
    return live


def _table(
    ctx: ReadContext, ec2: Any, table_id: str, segment: str, region: str, owners: dict[str, str]
) -> dict[str, Any]:
    associated = ctx.pages(
        ec2,
        "get_transit_gateway_route_table_associations",
        "Associations",
        TransitGatewayRouteTableId=table_id,
    )
    propagated = ctx.pages(
        ec2,
        "get_transit_gateway_route_table_propagations",
        "TransitGatewayRouteTablePropagations",
        TransitGatewayRouteTableId=table_id,
    )
    routes = ctx.call(
        ec2,
        "search_transit_gateway_routes",
        TransitGatewayRouteTableId=table_id,
        Filters=[{"Name": "type", "Values": ["static"]}],
    ).get("Routes", [])
    return {
        "region": region,
        "segment": segment,
        "associations": sorted(
            owners.get(a["TransitGatewayAttachmentId"], a["TransitGatewayAttachmentId"])
            for a in associated
            if a.get("State") in ("associating", "associated")
        ),
        "propagations": sorted(
            owners.get(p["TransitGatewayAttachmentId"], p["TransitGatewayAttachmentId"])
            for p in propagated
            if p.get("State") in ("enabling", "enabled")
        ),
        "routes": {
            r["DestinationCidrBlock"]: "blackhole"
            if r.get("State") == "blackhole"
            else owners.get(
                (r.get("TransitGatewayAttachments") or [{}])[0].get(
                    "TransitGatewayAttachmentId", ""
                ),
                "?",
            )
            for r in routes
            if r.get("State") in ("active", "blackhole")
        },
    }


def _vpn(ctx: ReadContext, ec2: Any, gateway_id: str, region: str) -> dict[str, Any] | None:
    for vpn in ctx.call(
        ec2,
        "describe_vpn_connections",
        Filters=[
            {"Name": "transit-gateway-id", "Values": [gateway_id]},
            {"Name": f"tag:{TAG}", "Values": ["onprem"]},
        ],
    ).get("VpnConnections", []):
        if vpn.get("State") in ("deleting", "deleted") or not tagged([vpn], TAG, "onprem"):
            continue
        gateway = ctx.call(
            ec2, "describe_customer_gateways", CustomerGatewayIds=[vpn["CustomerGatewayId"]]
        )["CustomerGateways"][0]
        return {
            "region": region,
            "ip": gateway.get("IpAddress"),
            "asn": int(gateway.get("BgpAsn") or 0),
            "static": bool((vpn.get("Options") or {}).get("StaticRoutesOnly")),
        }
    return None


def _dx(
    ctx: ReadContext, live: Live, dxc: Any, where: str, want: dict[str, Any], gateway: Any
) -> None:
    """The Direct Connect gateway and what its association allows (none: not associated);
    an association AWS is still making or updating is pending."""
    found, association = dx_of(ctx, dxc, want["name"], gateway["TransitGatewayId"])
    if found is None:
        return
    live.ids[where] = found["directConnectGatewayId"]
    allowed = (association or {}).get("allowedPrefixesToDirectConnectGateway", [])
    live.found(
        where,
        {
            "region": want["region"],
            "name": found["directConnectGatewayName"],
            "asn": int(found["amazonSideAsn"]),
            "allowed": sorted({p["cidr"] for p in allowed}, key=order),
        },
    )
    if association and association.get("associationState") != "associated":
        live.pending.append(
            (
                f"network: the Direct Connect gateway {want['name']} is "
                f"{association['associationState']} with the Transit Gateway in "
                f"{want['region']}",
                "AWS finishes it on its own (minutes); the tables that route to on-premise "
                "wait for it",
            )
        )


def _sharing(ctx: ReadContext, account_id: str) -> dict[str, Any] | None:
    role = ctx.absent(ctx.member(account_id, "iam"), "get_role", GONE, RoleName=RAM_ROLE)
    return {"enabled": True} if role is not None else None


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    live = Live()
    readable = request.readable()
    # Attachments' owners by name: every spec account's id (the stale check enters only the
    # accounts a plan touches, but names them all).
    names = {i: k.split(":", 1)[1] for k, i in request.ids.items() if k.startswith("account:")}
    names |= {i: n for n, i in request.accounts.items()}
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for where, (account_id, want) in readable.items():
        part = in_account(where).split("/")[1]
        region = in_account(where).split("/")[0]
        side = SIDES.get(part, "network")
        groups.setdefault((side, account_id, region), {})[where] = want
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        futures = []
        for (side, account_id, region), wants in groups.items():
            if side == "sharing":
                futures.append(pool.submit(_one, ctx, account_id, next(iter(wants))))
            elif side == "network":
                futures.append(pool.submit(_network, ctx, account_id, region, wants, names))
            else:
                futures.append(pool.submit(member_vpc, ctx, account_id, region, wants))
        for future in futures:
            live.merge(future.result())
    _name_gateways(live, readable)
    _unseen(ctx, live, readable, request.accounts)
    return live


def _unseen(
    ctx: ReadContext,
    live: Live,
    readable: dict[str, tuple[str, dict[str, Any]]],
    accounts: Any,
) -> None:
    """A member whose VPC is there, unattached, that does not see the gateway this read found:
    the RAM share has not reached it yet, a pending state (apply waits on it a while)."""
    gateways = {
        in_account(where).split("/")[0]: account_of(where)
        for where in live.ids
        if in_account(where).endswith("/gateway")
    }
    checks = [
        (account_of(where), account_id, want["region"], want["network"])
        for where, (account_id, want) in readable.items()
        if in_account(where).endswith("/attachment")
        and where not in live.resources
        and gateways.get(want["region"]) == want.get("network")
        and address(account_of(where), want["region"], "vpc") in live.ids
        and accounts.get(want["network"])
    ]

    def sees(account_id: str, region: str, network: str) -> bool:
        ec2 = ctx.member(account_id, "ec2", region)
        return gateway_of(ctx, ec2, accounts[network]) is not None

    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        seen = list(pool.map(lambda c: sees(*c[1:]), checks))
    for (account, _, region, network), visible in zip(checks, seen, strict=True):
        if not visible:
            live.pending.append(
                (
                    f"network: {account} does not see {network}'s Transit Gateway in {region} "
                    "yet: the RAM share reaches an account a while after it is made",
                    "apply waits for it, then leaves the attachment waiting for `orgstack "
                    "apply --resume` (usually minutes)",
                )
            )


def _name_gateways(live: Live, readable: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """An attachment's gateway, read as its id, named by the network account that owns it (the
    spec's, when this read found that account's gateway in the Region; else as wanted when
    the network account was not read, a partial plan's)."""
    gateways = {
        in_account(where).split("/")[0]: (account_of(where), gateway_id)
        for where, gateway_id in live.ids.items()
        if in_account(where).endswith("/gateway")
    }
    for where, value in live.resources.items():
        if not in_account(where).endswith("/attachment"):
            continue
        region, want = value["region"], readable.get(where, ("", {}))[1]
        owner, gateway_id = gateways.get(region, (None, None))
        if gateway_id is None:
            value["network"] = want.get("network")
        elif value["network"] == gateway_id:
            value["network"] = owner


def _one(ctx: ReadContext, account_id: str, where: str) -> Live:
    live = Live()
    live.found(where, _sharing(ctx, account_id))
    return live
