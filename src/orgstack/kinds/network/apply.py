"""Make the network: sharing within the organization, each Region's Transit Gateway and its
share, the on-premise VPN, the member accounts' VPCs and attachments (accepted by the network
account), the segment tables' associations, propagations and static routes, and the VPCs'
routes to the gateway. Every step finds what a killed apply already made (by tag, name or
owner) and makes only the rest; AWS's asynchronous states are waited on with a bound."""

from __future__ import annotations

from typing import Any

from orgstack.apply.context import ApplyError, ExecContext
from orgstack.kinds.network.apply_member import attachment, routes, vpc
from orgstack.kinds.network.apply_parts import tags, until
from orgstack.kinds.network.apply_tables import table
from orgstack.kinds.network.probes import dx_of, gateway_of, share_of
from orgstack.kinds.network.vocabulary import DESCRIPTION, TAG, address
from orgstack.model.kind import account_of, in_account
from orgstack.plan.model import Change


def sharing(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """Resource sharing within the organization (RAM's service-linked role), from the
    management account: without it a share with the organization is refused.

    IAM actions: ram:EnableSharingWithAwsOrganization, iam:CreateServiceLinkedRole,
    organizations:EnableAWSServiceAccess
    """
    region = in_account(change.address).split("/")[0]
    ctx.aws.call(ctx.aws.client("ram", region), "enable_sharing_with_aws_organization")
    ctx.checkpoint(index, "called")
    return {}


def gateway(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The Region's Transit Gateway: no default route table association or propagation (each
    attachment joins only its segment's table), shared attachments accepted one by one.

    IAM actions: ec2:CreateTransitGateway, ec2:CreateTags, ec2:DescribeTransitGateways,
    ec2:ModifyTransitGateway
    """
    after = change.after or {}
    account = account_of(change.address)
    ec2 = ctx.member_client(account, "ec2", after["region"])
    options = {
        "DefaultRouteTableAssociation": "enable" if after["default_association"] else "disable",
        "DefaultRouteTablePropagation": "enable" if after["default_propagation"] else "disable",
        "AutoAcceptSharedAttachments": "enable" if after["auto_accept"] else "disable",
    }
    owner = ctx.id_of(f"account:{account}")
    found = gateway_of(ctx.aws, ec2, owner)
    if found is None:
        found = ctx.aws.call(
            ec2,
            "create_transit_gateway",
            Description=DESCRIPTION,
            Options={**options, "AmazonSideAsn": after["asn"]},
            TagSpecifications=[
                {"ResourceType": "transit-gateway", "Tags": tags("gateway", Name="orgstack")}
            ],
        )["TransitGateway"]
        ctx.checkpoint(index, "created")
    elif change.before is not None:
        ctx.aws.call(
            ec2,
            "modify_transit_gateway",
            TransitGatewayId=found["TransitGatewayId"],
            Options=options,
        )
    gateway_id = found["TransitGatewayId"]
    ctx.set_id(change.address, gateway_id)
    until(
        ctx,
        f"{change.address} becoming available",
        lambda: (gateway_of(ctx.aws, ec2, owner) or {}).get("State") == "available",
    )
    ctx.checkpoint(index, "called")
    return {"id": gateway_id}


def share(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The gateway's RAM share with the organization (no outside accounts).

    IAM actions: ram:CreateResourceShare, ram:GetResourceShares,
    ram:GetResourceShareAssociations, ram:AssociateResourceShare,
    ram:DisassociateResourceShare, ram:TagResource
    """
    after = ctx.resolved(change.after or {})
    account, region = account_of(change.address), after["region"]
    ram = ctx.member_client(account, "ram", region)
    gateway_id = ctx.id_of(address(account, region, "gateway"))
    owner = ctx.id_of(f"account:{account}")
    arn = f"arn:aws:ec2:{region}:{owner}:transit-gateway/{gateway_id}"
    found = share_of(ctx.aws, ram, after)
    if found is None:
        ctx.aws.call(
            ram,
            "create_resource_share",
            name=after["name"],
            resourceArns=[arn],
            principals=after["principals"],
            allowExternalPrincipals=after["external"],
            tags=[{"key": TAG, "value": "share"}],
        )
    else:
        extra = sorted(set(found["principals"]) - set(after["principals"]))
        missing = sorted(set(after["principals"]) - set(found["principals"]))
        if missing:
            ctx.aws.call(
                ram, "associate_resource_share", resourceShareArn=found["arn"], principals=missing
            )
        if extra:
            ctx.aws.call(
                ram, "disassociate_resource_share", resourceShareArn=found["arn"], principals=extra
            )
        if found["external"] != after["external"]:
            ctx.aws.call(
                ram,
                "update_resource_share",
                resourceShareArn=found["arn"],
                allowExternalPrincipals=after["external"],
            )
    ctx.checkpoint(index, "called")
    return {}


def dx(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The Direct Connect gateway (found by its name, else made) associated with the Transit
    Gateway, allowing exactly the prefixes the spec derives; waited on until associated
    (AWS takes minutes; past ``pending_after_s`` the change is left waiting).

    IAM actions: directconnect:DescribeDirectConnectGateways,
    directconnect:CreateDirectConnectGateway,
    directconnect:DescribeDirectConnectGatewayAssociations,
    directconnect:CreateDirectConnectGatewayAssociation,
    directconnect:UpdateDirectConnectGatewayAssociation
    """
    after = change.after or {}
    account, region = account_of(change.address), after["region"]
    dxc = ctx.member_client(account, "directconnect", region)
    gateway_id = ctx.id_of(address(account, region, "gateway"))
    found, association = dx_of(ctx.aws, dxc, after["name"], gateway_id)
    if found is None:
        found = ctx.aws.call(
            dxc,
            "create_direct_connect_gateway",
            directConnectGatewayName=after["name"],
            amazonSideAsn=after["asn"],
        )["directConnectGateway"]
        ctx.checkpoint(index, "created")
    elif int(found["amazonSideAsn"]) != after["asn"]:
        raise ApplyError(
            f"{change.address}: the Direct Connect gateway {after['name']} has ASN "
            f"{found['amazonSideAsn']}; AWS cannot change a gateway's ASN",
            "Set network.onprem.dx.asn to it, or give the new gateway another name.",
        )
    dx_id = found["directConnectGatewayId"]
    ctx.set_id(change.address, dx_id)
    wanted = set(after["allowed"])
    if association is None:
        ctx.aws.call(
            dxc,
            "create_direct_connect_gateway_association",
            directConnectGatewayId=dx_id,
            gatewayId=gateway_id,
            addAllowedPrefixesToDirectConnectGateway=[{"cidr": c} for c in sorted(wanted)],
        )
    else:
        have = {p["cidr"] for p in association.get("allowedPrefixesToDirectConnectGateway", [])}
        if have != wanted:
            ctx.aws.call(
                dxc,
                "update_direct_connect_gateway_association",
                associationId=association["associationId"],
                addAllowedPrefixesToDirectConnectGateway=[
                    {"cidr": c} for c in sorted(wanted - have)
                ],
                removeAllowedPrefixesToDirectConnectGateway=[
                    {"cidr": c} for c in sorted(have - wanted)
                ],
            )
    until(
        ctx,
        f"{change.address} associating",
        lambda: (
            (dx_of(ctx.aws, dxc, after["name"], gateway_id)[1] or {}).get("associationState")
            == "associated"
        ),
        pending=f"the Direct Connect gateway {after['name']} is not associated with the "
        f"Transit Gateway in {region} yet (AWS takes minutes)",
    )
    ctx.checkpoint(index, "called")
    return {"id": dx_id}


def onprem(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
    """The on-premise link: a customer gateway and a site-to-site VPN with static routes,
    attached to the Transit Gateway.

    IAM actions: ec2:CreateCustomerGateway, ec2:CreateVpnConnection,
    ec2:DescribeVpnConnections, ec2:CreateTags
    """
    after = change.after or {}
    account, region = account_of(change.address), after["region"]
    if change.before is not None:
        raise ApplyError(
            f"{change.address}: the VPN's customer gateway cannot change in place "
            f"({change.before})",
            "Keep network.onprem.vpn as it was, or replace the VPN by hand and import it.",
        )
    ec2 = ctx.member_client(account, "ec2", region)
    gateway_id = ctx.id_of(address(account, region, "gateway"))
    customer = ctx.aws.call(
        ec2,
        "create_customer_gateway",
        Type="ipsec.1",
        PublicIp=after["ip"],
        BgpAsn=after["asn"],
        TagSpecifications=[{"ResourceType": "customer-gateway", "Tags": tags("onprem")}],
    )["CustomerGateway"]
    ctx.aws.call(
        ec2,
        "create_vpn_connection",
        Type="ipsec.1",
        CustomerGatewayId=customer["CustomerGatewayId"],
        TransitGatewayId=gateway_id,
        Options={"StaticRoutesOnly": after["static"]},
        TagSpecifications=[{"ResourceType": "vpn-connection", "Tags": tags("onprem")}],
    )
    ctx.checkpoint(index, "called")
    return {}


EXECUTORS = {
    ("sharing", "create"): sharing,
    ("sharing", "update"): sharing,
    ("gateway", "create"): gateway,
    ("gateway", "update"): gateway,
    ("share", "create"): share,
    ("share", "update"): share,
    ("onprem", "create"): onprem,
    ("onprem", "update"): onprem,
    ("vpc", "create"): vpc,
    ("vpc", "update"): vpc,
    ("attachment", "create"): attachment,
    ("attachment", "update"): attachment,
    ("dx", "create"): dx,
    ("dx", "update"): dx,
    ("table", "create"): table,
    ("table", "update"): table,
    ("routes", "create"): routes,
    ("routes", "update"): routes,
}
#: The gateway before what hangs off it; an attachment needs the share (a member account sees
#: the gateway through it). A table's and a VPC's routes' attachments: ``waits_for``.
WAITS_FOR = {
    "share": ("gateway", "sharing"),
    "onprem": ("gateway",),
    "dx": ("gateway",),
    "table": ("gateway", "onprem", "dx"),
    "attachment": ("vpc", "share", "gateway"),
    "routes": ("vpc",),
}


def _indexed(changes: tuple[Change, ...]) -> tuple[dict[str, int], set[int], list[Any]]:
    """(address → index, the trusted-access changes, the tables), once per plan (in the
    plan's ``memo`` when ``dependencies`` hands one)."""
    memo: dict[str, Any] = getattr(changes, "memo", {})
    if "network" not in memo:
        memo["network"] = (
            {c.address: j for j, c in reversed(list(enumerate(changes)))},
            {j for j, c in enumerate(changes) if c.address.startswith("trusted-access:")},
            [(j, c) for j, c in enumerate(changes) if c.address.startswith("network:")
             and "/table/" in c.address],
        )  # fmt: skip
    found: tuple[dict[str, int], set[int], list[Any]] = memo["network"]
    return found


def waits_for(change: Change, changes: tuple[Change, ...]) -> set[int] | None:
    """A segment's table waits for the attachments it associates or propagates, a VPC's routes
    for its own attachment and the tables that associate it: an attachment left waiting on
    AWS (a share not visible yet) holds back only what names it."""
    parts = change.address.split("/")
    if parts[-1] != "routes" and "/table/" not in change.address:
        return None
    by_address, before, tables = _indexed(changes)
    account, region = account_of(change.address), parts[1]
    chosen = set(before)
    if parts[-1] == "routes":
        named = {account}
        chosen |= {
            j
            for j, c in tables
            if account in (c.after or {}).get("associations", []) and f"/{region}/" in c.address
        }
    else:
        after = change.after or {}
        named = set(after.get("associations", [])) | set(after.get("propagations", []))
    for member in named:
        found = by_address.get(address(member, region, "attachment"))
        if found is not None:
            chosen.add(found)
    return chosen
