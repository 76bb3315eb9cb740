"""A segment's route table in the network account: made once (tagged with its segment), then
its associations (each attachment in exactly one table: moved out of another first, as AWS
allows one), propagations and static routes set to what the segments derive."""

from __future__ import annotations

import functools
from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.kinds.network.apply_parts import tags, until
from orgstack.kinds.network.probes import attachment_owners
from orgstack.kinds.network.vocabulary import SEGMENT_TAG, address, tagged
from orgstack.model.kind import account_of, in_account
from orgstack.plan.model import Change

GONE = ("deleting", "deleted")
#: Attachment ids asked of DescribeTransitGatewayAttachments at once (its answer is a page).
IDS_PER_CALL = 100


def _table_id(ctx: ExecContext, ec2: Any, gateway_id: str, segment: str) -> str:
    found = ctx.aws.call(
        ec2,
        "describe_transit_gateway_route_tables",
        Filters=[
            {"Name": "transit-gateway-id", "Values": [gateway_id]},
            {"Name": f"tag:{SEGMENT_TAG}", "Values": [segment]},
        ],
    )["TransitGatewayRouteTables"]
    live = [t for t in tagged(found, SEGMENT_TAG, segment) if t.get("State") not in GONE]
    if live:
        return str(live[0]["TransitGatewayRouteTableId"])
    made = ctx.aws.call(
        ec2,
        "create_transit_gateway_route_table",
        TransitGatewayId=gateway_id,
        TagSpecifications=[
            {
                "ResourceType": "transit-gateway-route-table",
                "Tags": tags("table", Name=f"orgstack-{segment}", **{SEGMENT_TAG: segment}),
            }
        ],
    )
    return str(made["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"])


def _associations(ctx: ExecContext, ec2: Any, table_id: str, wanted: list[str]) -> None:
    """Each wanted attachment associated here, moved out of another table first."""
    every = [
        found
        for start in range(0, len(wanted), IDS_PER_CALL)
        for found in ctx.aws.call(
            ec2,
            "describe_transit_gateway_attachments",
            TransitGatewayAttachmentIds=wanted[start : start + IDS_PER_CALL],
        )["TransitGatewayAttachments"]
    ]
    for found in every:
        where = (found.get("Association") or {}).get("TransitGatewayRouteTableId")
        attachment_id = found["TransitGatewayAttachmentId"]
        if where == table_id:
            continue
        if where:
            ctx.aws.call(
                ec2,
                "disassociate_transit_gateway_route_table",
                TransitGatewayRouteTableId=where,
                TransitGatewayAttachmentId=attachment_id,
            )
            until(
                ctx,
                f"{attachment_id} leaving its table",
                functools.partial(_disassociated, ctx, ec2, attachment_id),
            )
        ctx.aws.call(
            ec2,
            "associate_transit_gateway_route_table",
            TransitGatewayRouteTableId=table_id,
            TransitGatewayAttachmentId=attachment_id,
        )


def _disassociated(ctx: ExecContext, ec2: Any, attachment_id: str) -> bool:
    found = ctx.aws.call(
        ec2, "describe_transit_gateway_attachments", TransitGatewayAttachmentIds=[attachment_id]
    )
    association = found["TransitGatewayAttachments"][0].get("Association") or {}
    return not association.get("TransitGatewayRouteTableId")


def table(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The segment's table with exactly its associations, propagations and static routes.

    IAM actions: ec2:CreateTransitGatewayRouteTable, ec2:DescribeTransitGatewayRouteTables,
    ec2:DescribeTransitGatewayAttachments, ec2:AssociateTransitGatewayRouteTable,
    ec2:DisassociateTransitGatewayRouteTable, ec2:GetTransitGatewayRouteTableAssociations,
    ec2:EnableTransitGatewayRouteTablePropagation,
    ec2:DisableTransitGatewayRouteTablePropagation,
    ec2:GetTransitGatewayRouteTablePropagations, ec2:SearchTransitGatewayRoutes,
    ec2:CreateTransitGatewayRoute, ec2:DeleteTransitGatewayRoute, ec2:CreateTags
    """
    after = change.after or {}
    account, region = account_of(change.address), after["region"]
    segment = in_account(change.address).split("/")[-1]
    ec2 = ctx.member_client(account, "ec2", region)
    gateway_id = ctx.id_of(address(account, region, "gateway"))
    table_id = _table_id(ctx, ec2, gateway_id, segment)
    ctx.set_id(change.address, table_id)
    ctx.checkpoint(index, "created")
    names = {
        ctx.id_of(f"account:{n}"): n
        for n in {*after["associations"], *after["propagations"]}
        if n != "onprem"
    }
    by_owner: dict[str, str] = {}
    for attachment_id, owner in attachment_owners(ctx.aws, ec2, gateway_id, names).items():
        by_owner.setdefault(owner, attachment_id)
    missing = sorted(
        {*after["associations"], *after["propagations"], *after["routes"].values()} - set(by_owner)
    )
    if missing:
        raise ApplyError(
            f"{change.address}: no attachment of {', '.join(missing)} on the gateway yet",
            "Apply the plan again: attachments are made before the tables.",
        )
    _associations(ctx, ec2, table_id, [by_owner[o] for o in after["associations"]])
    have = {
        p["TransitGatewayAttachmentId"]
        for p in ctx.aws.pages(
            ec2,
            "get_transit_gateway_route_table_propagations",
            "TransitGatewayRouteTablePropagations",
            TransitGatewayRouteTableId=table_id,
        )
        if p.get("State") in ("enabling", "enabled")
    }
    wanted = {by_owner[o] for o in after["propagations"]}
    for attachment_id in sorted(wanted - have):
        ctx.aws.call(
            ec2,
            "enable_transit_gateway_route_table_propagation",
            TransitGatewayRouteTableId=table_id,
            TransitGatewayAttachmentId=attachment_id,
        )
    for attachment_id in sorted(have - wanted):
        ctx.aws.call(
            ec2,
            "disable_transit_gateway_route_table_propagation",
            TransitGatewayRouteTableId=table_id,
            TransitGatewayAttachmentId=attachment_id,
        )
    static = ctx.aws.call(
        ec2,
        "search_transit_gateway_routes",
        TransitGatewayRouteTableId=table_id,
        Filters=[{"Name": "type", "Values": ["static"]}],
    )["Routes"]
    present = {
        r["DestinationCidrBlock"] for r in static if r.get("State") in ("active", "blackhole")
    }
    for cidr, owner in sorted(after["routes"].items()):
        ctx.aws.call(
            ec2,
            "create_transit_gateway_route"
            if cidr not in present
            else "replace_transit_gateway_route",
            TransitGatewayRouteTableId=table_id,
            DestinationCidrBlock=cidr,
            TransitGatewayAttachmentId=by_owner[owner],
        )
    for cidr in sorted(present - set(after["routes"])):
        ctx.aws.call(
            ec2,
            "delete_transit_gateway_route",
            TransitGatewayRouteTableId=table_id,
            DestinationCidrBlock=cidr,
        )
    ctx.checkpoint(index, "called")
    return {"id": table_id}
