"""A member account's part of the network: its VPC (private subnets across Availability
Zones, one route table), its attachment to the shared Transit Gateway (accepted in the network
account), and its routes to the gateway for the ranges its segment reaches."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.kinds.network.apply_parts import tags, until
from orgstack.kinds.network.probes import LIVE_STATES, gateway_of, vpc_of
from orgstack.kinds.network.vocabulary import SECTION, SEGMENT_TAG, TAG, address, tagged
from orgstack.model.kind import account_of
from orgstack.plan.model import Change

#: What EC2 answers for a gateway shared moments ago that this account cannot see yet.
NOT_SHARED_YET = frozenset({"InvalidTransitGatewayID.NotFound", "InvalidTransitGatewayID"})


def vpc(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The account's VPC at its range, a private subnet per zone, and their route table.

    IAM actions: ec2:CreateVpc, ec2:CreateSubnet, ec2:CreateRouteTable,
    ec2:AssociateRouteTable, ec2:DescribeVpcs, ec2:DescribeSubnets,
    ec2:DescribeAvailabilityZones, ec2:DescribeRouteTables, ec2:CreateTags
    """
    after = change.after or {}
    account, region = account_of(change.address), after["region"]
    ec2 = ctx.member_client(account, "ec2", region)
    found = vpc_of(ctx.aws, ec2)
    if found is not None and found["CidrBlock"] != after["cidr"]:
        raise ApplyError(
            f"{change.address}: the VPC has {found['CidrBlock']}, the address plan gives "
            f"{after['cidr']}; a VPC's range cannot change",
            f"Record network.ranges.{account}.{region}: {found['CidrBlock']} in the spec, "
            "plan and apply again.",
        )
    if found is None:
        found = ctx.aws.call(
            ec2,
            "create_vpc",
            CidrBlock=after["cidr"],
            TagSpecifications=[
                {
                    "ResourceType": "vpc",
                    "Tags": tags("vpc", Name=after["name"], **{SEGMENT_TAG: after["segment"]}),
                }
            ],
        )["Vpc"]
        ctx.checkpoint(index, "created")
    vpc_id = found["VpcId"]
    ctx.set_id(change.address, vpc_id)
    by_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    have = {
        s["CidrBlock"]: s["SubnetId"]
        for s in ctx.aws.call(ec2, "describe_subnets", Filters=by_vpc)["Subnets"]
    }
    zones = sorted(
        z["ZoneName"]
        for z in ctx.aws.call(
            ec2, "describe_availability_zones", Filters=[{"Name": "state", "Values": ["available"]}]
        )["AvailabilityZones"]
        if z.get("ZoneType", "availability-zone") == "availability-zone"
    )
    if len(zones) < len(after["subnets"]):
        raise ApplyError(
            f"{change.address}: {region} has {len(zones)} Availability Zones",
            "Lower network.vpc.zones, plan and apply again.",
        )
    for zone, cidr in zip(zones, after["subnets"], strict=False):
        if cidr not in have:
            have[cidr] = ctx.aws.call(
                ec2,
                "create_subnet",
                VpcId=vpc_id,
                CidrBlock=cidr,
                AvailabilityZone=zone,
                TagSpecifications=[
                    {
                        "ResourceType": "subnet",
                        "Tags": tags("private", Name=f"{after['name']}-{zone}"),
                    }
                ],
            )["Subnet"]["SubnetId"]
    tables = ctx.aws.call(
        ec2,
        "describe_route_tables",
        Filters=[*by_vpc, {"Name": f"tag:{TAG}", "Values": ["private"]}],
    )["RouteTables"]
    tables = tagged(tables, TAG, "private")
    table = (
        tables[0]
        if tables
        else ctx.aws.call(
            ec2,
            "create_route_table",
            VpcId=vpc_id,
            TagSpecifications=[
                {
                    "ResourceType": "route-table",
                    "Tags": tags("private", Name=f"{after['name']}-private"),
                }
            ],
        )["RouteTable"]
    )
    joined = {a.get("SubnetId") for a in table.get("Associations", [])}
    for cidr in after["subnets"]:
        if have[cidr] not in joined:
            ctx.aws.call(
                ec2,
                "associate_route_table",
                RouteTableId=table["RouteTableId"],
                SubnetId=have[cidr],
            )
    ctx.checkpoint(index, "called")
    # The range is the spec's from now on: adding an account never moves it.
    return {
        "id": vpc_id,
        "record": [{"path": [SECTION, "ranges", account, region], "value": after["cidr"]}],
    }


def _subnet_ids(ctx: ExecContext, ec2: Any, vpc_id: str) -> list[str]:
    subnets = ctx.aws.call(
        ec2, "describe_subnets", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
    )["Subnets"]
    by_zone: dict[str, str] = {}
    for subnet in sorted(subnets, key=lambda s: s["AvailabilityZone"]):
        by_zone.setdefault(subnet["AvailabilityZone"], subnet["SubnetId"])
    return list(by_zone.values())


def attachment(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The VPC's attachment to the network account's gateway (seen here through the RAM
    share, which AWS shows after a while), accepted by the network account.

    IAM actions: ec2:DescribeTransitGateways, ec2:CreateTransitGatewayVpcAttachment,
    ec2:DescribeTransitGatewayVpcAttachments, ec2:AcceptTransitGatewayVpcAttachment,
    ec2:CreateTags
    """
    after = ctx.resolved(change.after or {})
    account, region = account_of(change.address), after["region"]
    ec2 = ctx.member_client(account, "ec2", region)
    network_id = ctx.id_of(f"account:{after['network']}")
    vpc_id = ctx.id_of(address(account, region, "vpc"))
    by_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]

    def current() -> dict[str, Any] | None:
        found = ctx.aws.call(ec2, "describe_transit_gateway_vpc_attachments", Filters=by_vpc)
        live = [a for a in found["TransitGatewayVpcAttachments"] if a.get("State") in LIVE_STATES]
        return live[0] if live else None

    found = current()
    if found is None:
        gateway: dict[str, Any] = {}
        until(
            ctx,
            f"{change.address}: the shared Transit Gateway becoming visible",
            lambda: bool(gateway.update(gateway_of(ctx.aws, ec2, network_id) or {}) or gateway),
            pending=f"{account} does not see {after['network']}'s Transit Gateway in {region} "
            "yet: the RAM share reaches an account a while after it is made",
        )
        found = ctx.aws.call(
            ec2,
            "create_transit_gateway_vpc_attachment",
            TransitGatewayId=gateway["TransitGatewayId"],
            VpcId=vpc_id,
            SubnetIds=_subnet_ids(ctx, ec2, vpc_id),
            TagSpecifications=[
                {
                    "ResourceType": "transit-gateway-attachment",
                    "Tags": tags("attachment", **{SEGMENT_TAG: after["segment"]}),
                }
            ],
        )["TransitGatewayVpcAttachment"]
        ctx.checkpoint(index, "created")
    attachment_id = found["TransitGatewayAttachmentId"]
    ctx.set_id(change.address, attachment_id)
    hub = ctx.member_client(after["network"], "ec2", region)
    until(
        ctx,
        f"{change.address} leaving pending",
        lambda: (current() or {}).get("State") != "pending",
    )
    if (current() or {}).get("State") == "pendingAcceptance":
        ctx.aws.call(
            hub, "accept_transit_gateway_vpc_attachment", TransitGatewayAttachmentId=attachment_id
        )
    until(
        ctx,
        f"{change.address} becoming available",
        lambda: (current() or {}).get("State") == "available",
    )
    ctx.checkpoint(index, "called")
    return {"id": attachment_id}


def routes(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The VPC's routes to the gateway: exactly the ranges its segment reaches.

    IAM actions: ec2:DescribeRouteTables, ec2:CreateRoute, ec2:DeleteRoute,
    ec2:DescribeTransitGatewayVpcAttachments
    """
    after = change.after or {}
    account, region = account_of(change.address), after["region"]
    ec2 = ctx.member_client(account, "ec2", region)
    vpc_id = ctx.id_of(address(account, region, "vpc"))
    tables = ctx.aws.call(
        ec2,
        "describe_route_tables",
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": f"tag:{TAG}", "Values": ["private"]},
        ],
    )["RouteTables"]
    attached = ctx.aws.call(
        ec2,
        "describe_transit_gateway_vpc_attachments",
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}],
    )
    gateways = [
        a["TransitGatewayId"]
        for a in attached["TransitGatewayVpcAttachments"]
        if a.get("State") == "available"
    ]
    if not tagged(tables, TAG, "private") or not gateways:
        raise ApplyError(
            f"{change.address}: the VPC's route table or attachment is not there",
            "Apply the plan again: the VPC and its attachment come first.",
        )
    table = tagged(tables, TAG, "private")[0]
    have = {r["DestinationCidrBlock"] for r in table.get("Routes", []) if r.get("TransitGatewayId")}
    for cidr in sorted(set(after["destinations"]) - have):
        ctx.aws.call(
            ec2,
            "create_route",
            RouteTableId=table["RouteTableId"],
            DestinationCidrBlock=cidr,
            TransitGatewayId=gateways[0],
        )
    for cidr in sorted(have - set(after["destinations"])):
        ctx.aws.call(
            ec2, "delete_route", RouteTableId=table["RouteTableId"], DestinationCidrBlock=cidr
        )
    ctx.checkpoint(index, "called")
    return {}
