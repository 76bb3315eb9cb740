"""What the network's read and apply both ask of AWS: the Transit Gateway orgstack made (by
its owner and description: a member account sees a shared gateway but not its tags), its RAM
share, the owners of its attachments, and a member account's VPC, attachment and routes.

IAM actions: ec2:DescribeTransitGateways, ram:GetResourceShares,
ram:GetResourceShareAssociations, ec2:DescribeTransitGatewayAttachments, ec2:DescribeVpcs,
ec2:DescribeSubnets, ec2:DescribeTransitGatewayVpcAttachments, ec2:DescribeRouteTables
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orgstack.kinds.network.vocabulary import (
    DESCRIPTION,
    ONPREM,
    SEGMENT_TAG,
    TAG,
    address,
    order,
    tagged,
)
from orgstack.model.kind import Live, account_of

LIVE_STATES = ("pending", "available", "modifying", "pendingAcceptance")


def gateway_of(ctx: Any, ec2: Any, owner_id: str) -> dict[str, Any] | None:
    """The Transit Gateway orgstack made in ``owner_id`` (visible there, or shared with the
    caller), or None."""
    for gateway in ctx.pages(
        ec2,
        "describe_transit_gateways",
        "TransitGateways",
        Filters=[{"Name": "owner-id", "Values": [owner_id]}],
    ):
        if gateway.get("Description") == DESCRIPTION and gateway.get("State") in LIVE_STATES:
            return dict(gateway)
    return None


def share_of(ctx: Any, ram: Any, want: dict[str, Any]) -> dict[str, Any] | None:
    """The RAM share named ``want["name"]`` this account owns: its principals, whether it lets
    outside accounts in."""
    shares = ctx.call(ram, "get_resource_shares", resourceOwner="SELF", name=want["name"])
    for share in shares.get("resourceShares", []):
        if share.get("status") not in ("PENDING", "ACTIVE"):
            continue
        found = ctx.call(
            ram,
            "get_resource_share_associations",
            associationType="PRINCIPAL",
            resourceShareArns=[share["resourceShareArn"]],
        )
        principals = sorted(
            a["associatedEntity"]
            for a in found.get("resourceShareAssociations", [])
            if a.get("status") in ("ASSOCIATING", "ASSOCIATED")
        )
        return {
            "region": want["region"],
            "name": share["name"],
            "principals": principals,
            "external": bool(share.get("allowExternalPrincipals")),
            "arn": share["resourceShareArn"],
        }
    return None


def attachment_owners(ctx: Any, ec2: Any, gateway_id: str, names: dict[str, str]) -> dict[str, str]:
    """Attachment id → its owner: the account's name (its id when outside the spec), or
    ``onprem`` for a VPN or a Direct Connect gateway."""
    found: dict[str, str] = {}
    for attachment in ctx.pages(
        ec2,
        "describe_transit_gateway_attachments",
        "TransitGatewayAttachments",
        Filters=[{"Name": "transit-gateway-id", "Values": [gateway_id]}],
    ):
        if attachment.get("State") not in LIVE_STATES:
            continue
        owner = attachment.get("ResourceOwnerId", "")
        found[attachment["TransitGatewayAttachmentId"]] = (
            ONPREM
            if attachment.get("ResourceType") in ("vpn", "direct-connect-gateway")
            else names.get(owner, owner)
        )
    return found


def vpc_of(ctx: Any, ec2: Any) -> dict[str, Any] | None:
    """The VPC orgstack made in this account and Region, or None."""
    found = ctx.call(ec2, "describe_vpcs", Filters=[{"Name": f"tag:{TAG}", "Values": ["vpc"]}])
    vpcs = [v for v in tagged(found.get("Vpcs", []), TAG, "vpc") if v.get("State") != "deleted"]
    return dict(vpcs[0]) if vpcs else None


def member_vpc(ctx: Any, account_id: str, region: str, wants: dict[str, Any]) -> Live:
    """A member account's VPC, its attachment and its routes in one Region."""
    live = Live()
    account = account_of(next(iter(wants)))
    ec2 = ctx.member(account_id, "ec2", region)
    vpc = vpc_of(ctx, ec2)
    if vpc is None:
        return live
    vpc_id = vpc["VpcId"]
    tags = {t["Key"]: t["Value"] for t in vpc.get("Tags", [])}
    by_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    where = address(account, region, "vpc")
    live.ids[where] = vpc_id
    # The three reads the VPC's id scopes, at once: an account's read is three round trips
    # shorter (at 1,000 accounts, the member reads are latency-bound, not rate-bound).
    with ThreadPoolExecutor(max_workers=3) as pool:
        asked = (
            pool.submit(ctx.call, ec2, "describe_subnets", Filters=by_vpc)
            if where in wants
            else None,
            pool.submit(ctx.call, ec2, "describe_transit_gateway_vpc_attachments", Filters=by_vpc),
            pool.submit(
                ctx.call,
                ec2,
                "describe_route_tables",
                Filters=[*by_vpc, {"Name": f"tag:{TAG}", "Values": ["private"]}],
            ),
        )
    subnets_read, attachments_read, tables_read = asked
    if subnets_read is not None:
        subnets = subnets_read.result().get("Subnets", [])
        live.found(
            where,
            {
                "region": region,
                "name": tags.get("Name"),
                "cidr": vpc["CidrBlock"],
                "subnets": sorted((s["CidrBlock"] for s in subnets), key=order),
                "segment": tags.get(SEGMENT_TAG),
            },
        )
    attachments = attachments_read.result()
    found = [
        a
        for a in attachments.get("TransitGatewayVpcAttachments", [])
        if a.get("State") in LIVE_STATES
    ]
    where = address(account, region, "attachment")
    if found:
        attachment = found[0]
        live.ids[where] = attachment["TransitGatewayAttachmentId"]
        tags = {t["Key"]: t["Value"] for t in attachment.get("Tags", [])}
        live.found(
            where,
            None
            if where not in wants
            else {
                "region": region,
                # the gateway's id: read() names its owner once the network account was read
                "network": attachment["TransitGatewayId"],
                "segment": tags.get(SEGMENT_TAG),
                "accepted": attachment.get("State") != "pendingAcceptance",
            },
        )
    where = address(account, region, "routes")
    tables = tables_read.result()
    for table in tagged(tables.get("RouteTables", []), TAG, "private"):
        live.ids[where] = table["RouteTableId"]
        destinations = sorted(
            (
                r["DestinationCidrBlock"]
                for r in table.get("Routes", [])
                if r.get("TransitGatewayId") and r.get("State") == "active"
            ),
            key=order,
        )
        # No route to a gateway yet is no routes (a segment always reaches its own pool): a
        # VPC made by an apply whose attachment then waited leaves its routes as planned.
        if where in wants and destinations:
            live.found(where, {"region": region, "destinations": destinations})
    return live


#: The states of a Direct Connect gateway association that is there (or becoming so).
DX_LIVE = ("associating", "associated", "updating")


def dx_of(
    ctx: Any, dxc: Any, name: str, gateway_id: str | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The Direct Connect gateway named ``name`` this account owns, and its association with
    the Transit Gateway ``gateway_id`` (None for either that is not there)."""
    found = [
        g
        for g in ctx.pages(dxc, "describe_direct_connect_gateways", "directConnectGateways")
        if g.get("directConnectGatewayName") == name
        and g.get("directConnectGatewayState") in ("pending", "available")
    ]
    if not found or gateway_id is None:
        return (found[0] if found else None), None
    associations = [
        a
        for a in ctx.pages(
            dxc,
            "describe_direct_connect_gateway_associations",
            "directConnectGatewayAssociations",
            directConnectGatewayId=found[0]["directConnectGatewayId"],
            associatedGatewayId=gateway_id,
        )
        if a.get("associationState") in DX_LIVE
    ]
    return found[0], (associations[0] if associations else None)
