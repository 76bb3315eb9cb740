"""The enforcing sandbox's network calls (``enforcement.py`` decides them as AWS would): those
that connect an account to other networks or change orgstack's VPCs, with the resource's tags
(a route table's, a subnet's, a VPC's) and a tagging call's keys in the request context, so the
``protect-network`` guardrail is judged as AWS judges it."""

from __future__ import annotations

from typing import Any

#: EC2 calls that connect networks: judged on no particular resource.
CONNECT = frozenset(
    {
        "AcceptTransitGatewayPeeringAttachment",
        "AcceptTransitGatewayVpcAttachment",
        "AcceptVpcPeeringConnection",
        "AttachVpnGateway",
        "CreateCustomerGateway",
        "CreateTransitGateway",
        "CreateTransitGatewayPeeringAttachment",
        "CreateTransitGatewayVpcAttachment",
        "CreateVpcPeeringConnection",
        "CreateVpnConnection",
        "CreateVpnGateway",
        "DeleteTransitGatewayVpcAttachment",
        "ModifyTransitGatewayVpcAttachment",
    }
)
#: EC2 calls on one resource, by the parameter that names it.
ON_RESOURCE = {
    "AssociateRouteTable": "RouteTableId",
    "CreateRoute": "RouteTableId",
    "DeleteRoute": "RouteTableId",
    "DeleteRouteTable": "RouteTableId",
    "ReplaceRoute": "RouteTableId",
    "DisassociateRouteTable": "AssociationId",
    "ReplaceRouteTableAssociation": "AssociationId",
    "DeleteSubnet": "SubnetId",
    "DeleteVpc": "VpcId",
    "CreateTags": "ResourceId.1",
    "DeleteTags": "ResourceId.1",
}
RAM = frozenset(
    {
        "AcceptResourceShareInvitation",
        "AssociateResourceShare",
        "CreateResourceShare",
        "UpdateResourceShare",
    }
)

#: Direct Connect calls that link an account to on-premise (the guardrail denies them all).
DIRECT_CONNECT = frozenset(
    {
        "CreateDirectConnectGateway",
        "CreateDirectConnectGatewayAssociation",
        "UpdateDirectConnectGatewayAssociation",
    }
)


def _resource_tags(backend: Any, resource_id: str) -> dict[str, str]:
    """The tags of an EC2 resource (a route table association names its table)."""
    if resource_id.startswith("rtbassoc-"):
        for table in backend.route_tables.values():
            if resource_id in table.all_associations_ids:
                resource_id = table.id
                break
    return {
        t["key"]: t["value"] for t in backend.describe_tags(filters={"resource-id": [resource_id]})
    }


def network_call(response: Any, operation: str) -> tuple[str, str, dict[str, Any]] | None:
    """(IAM action, resource ARN, request context) of a guarded network call; None otherwise."""
    from moto.ec2.models import ec2_backends

    service = getattr(response, "service_name", "")
    account, region = response.current_account, response.region
    if service == "ram" and operation in RAM:
        return f"ram:{operation}", f"arn:aws:ram:{region}:{account}:*", {}
    if service == "directconnect" and operation in DIRECT_CONNECT:
        return f"directconnect:{operation}", f"arn:aws:directconnect::{account}:*", {}
    if service != "ec2" or (operation not in CONNECT and operation not in ON_RESOURCE):
        return None
    resource = f"arn:aws:ec2:{region}:{account}:*"
    context: dict[str, Any] = {}
    if operation in ON_RESOURCE:
        named = response.querystring.get(ON_RESOURCE[operation], [""])[0]
        resource = f"arn:aws:ec2:{region}:{account}:{named}"
        tags = _resource_tags(ec2_backends[account][region], named) if named else {}
        context = {f"aws:ResourceTag/{k}": v for k, v in tags.items()}
        if operation in ("CreateTags", "DeleteTags"):
            keys = [
                v[0]
                for k, v in response.querystring.items()
                if k.startswith("Tag.") and k.endswith(".Key")
            ]
            context["aws:TagKeys"] = keys
    return f"ec2:{operation}", resource, context
