"""The Transit Gateway behaviours that moto lacks or gets wrong (each a shim with a test and a
line in docs/sandbox.md):

- a Transit Gateway shared by RAM (with the organization, an OU above the account, or the
  account) is visible to and attachable from the accounts the share reaches; the attachment is
  the gateway owner's too, and waits in ``pendingAcceptance`` until the owner accepts it
  (AcceptTransitGatewayVpcAttachment, which moto lacks) unless the gateway auto-accepts;
- DefaultRouteTableAssociation/Propagation ``disable`` are honoured (moto associates every
  attachment with the default table); an attachment is associated with one table at most
  (AWS: Resource.AlreadyAssociated), and only once it is available (IncorrectState);
- SearchTransitGatewayRoutes answers the propagated routes (each propagating VPC attachment's
  range) beside the static ones, and each route's attachment (moto answers none);
- a VPN connection keeps its options (StaticRoutesOnly), which moto drops;
- a VPC route to a gateway shared with the account keeps its target (moto drops it).
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto.ec2.exceptions import EC2ClientError, InvalidTransitGatewayID
from moto.ec2.models import EC2Backend, ec2_backends
from moto.ec2.models.transit_gateway_attachments import (
    TransitGatewayAttachment,
    TransitGatewayVpcAttachment,
)
from moto.ec2.responses.transit_gateway_attachments import (
    TransitGatewayAttachment as AttachmentResponse,
)
from moto.ec2.responses.vpn_connections import VPNConnections as VpnResponse

from orgstack.sandbox.shims.gaps import undo_later
from orgstack.sandbox.shims.ram import shared_gateways, wrap


def _describe_gateways(self: Any, filters: Any, transit_gateway_ids: list[str] | None) -> Any:
    own = list(_describe_gateways.original(self, filters, transit_gateway_ids))  # type: ignore[attr-defined]
    from moto.utilities.utils import filter_resources

    shared = shared_gateways(self.account_id, self.region_name)
    if transit_gateway_ids:
        shared = [g for g in shared if g.id in transit_gateway_ids]
    if filters:
        pairs = (("transit-gateway-id", "id"), ("state", "state"), ("owner-id", "owner_id"))
        shared = filter_resources(shared, filters, pairs)
    return own + [g for g in shared if g not in own]


def _association(self: Any) -> dict[str, str] | None:
    data = self._association_data
    if self.state == "available" and data.get("transitGatewayRouteTableId"):
        return {
            "State": "associated",
            "TransitGatewayRouteTableId": data["transitGatewayRouteTableId"],
        }
    return None


#: Attachments are made one at a time: moto's backends are not thread-safe, and a member's
#: attachment lands in the gateway owner's table, which other members write at once.
_ATTACHING = threading.Lock()


def _gateway_owner(self: Any) -> str:
    return str(getattr(self, "orgstack_gateway_owner", self.resource_owner_id))


def _not_found(attachment_id: str) -> EC2ClientError:
    return EC2ClientError(
        "InvalidTransitGatewayAttachmentID.NotFound",
        f"Transit Gateway Attachment {attachment_id} was deleted or does not exist.",
    )


def _join_defaults(backend: Any, gateway: Any, attachment: Any) -> None:
    """What an available attachment joins by the gateway's defaults (nothing when off)."""
    if gateway.options.get("DefaultRouteTableAssociation") == "enable":
        backend.associate_transit_gateway_route_table(
            attachment.id, gateway.options["AssociationDefaultRouteTableId"]
        )
    if gateway.options.get("DefaultRouteTablePropagation") == "enable":
        backend.enable_transit_gateway_route_table_propagation(
            attachment.id, gateway.options["PropagationDefaultRouteTableId"]
        )


def _create_attachment(
    self: Any,
    transit_gateway_id: str,
    vpc_id: str,
    subnet_ids: list[str],
    tags: dict[str, str] | None = None,
    options: dict[str, str] | None = None,
) -> Any:

    gateway, owner = self.transit_gateways.get(transit_gateway_id), self
    if gateway is None:
        for shared in shared_gateways(self.account_id, self.region_name):
            if shared.id == transit_gateway_id:
                gateway, owner = shared, shared.ec2_backend
    if gateway is None:
        raise InvalidTransitGatewayID(
            transit_gateway_id,
            f"Transit Gateway {transit_gateway_id} was deleted or does not exist.",
        )
    if vpc_id not in self.vpcs:
        raise EC2ClientError("InvalidVpcID.NotFound", f"The vpc ID '{vpc_id}' does not exist")
    with _ATTACHING:  # the server answers accounts at once; the gateway's table is shared
        return _attach(self, owner, gateway, transit_gateway_id, vpc_id, subnet_ids, tags, options)


def _attach(
    self: Any,
    owner: Any,
    gateway: Any,
    transit_gateway_id: str,
    vpc_id: str,
    subnet_ids: list[str],
    tags: dict[str, str] | None,
    options: dict[str, str] | None,
) -> Any:
    from moto.ec2.exceptions import DuplicateTransitGatewayAttachmentError

    if any(
        a.transit_gateway_id == transit_gateway_id and a.resource_id == vpc_id
        for a in list(owner.transit_gateway_attachments.values())
        if a.state not in ("deleting", "deleted", "rejected")
    ):
        raise DuplicateTransitGatewayAttachmentError(transit_gateway_id)
    attachment = TransitGatewayVpcAttachment(
        self, transit_gateway=gateway, vpc_id=vpc_id, subnet_ids=subnet_ids, tags=tags,
        options=options,
    )  # fmt: skip
    attachment.orgstack_gateway_owner = owner.account_id  # type: ignore[attr-defined]
    attachment.transit_gateway_route_table = None
    cross = owner is not self
    auto = gateway.options.get("AutoAcceptSharedAttachments") == "enable"
    attachment.state = "pendingAcceptance" if cross and not auto else "available"
    self.transit_gateway_attachments[attachment.id] = attachment
    owner.transit_gateway_attachments[attachment.id] = attachment
    if attachment.state == "available":
        _join_defaults(owner, gateway, attachment)
    return attachment


def _create_vpn_attachment(
    self: Any, vpn_id: str, transit_gateway_id: str, tags: Any = None
) -> Any:
    attachment = _create_vpn_attachment.original(self, vpn_id, transit_gateway_id, tags)  # type: ignore[attr-defined]
    attachment.transit_gateway_route_table = None
    _join_defaults(self, self.transit_gateways[transit_gateway_id], attachment)
    return attachment


def _accept(self: Any, transit_gateway_attachment_id: str) -> Any:
    attachment = self.transit_gateway_attachments.get(transit_gateway_attachment_id)
    if attachment is None or _gateway_owner(attachment) != self.account_id:
        raise _not_found(transit_gateway_attachment_id)  # only the gateway's owner accepts
    if attachment.state != "pendingAcceptance":
        raise EC2ClientError(
            "IncorrectState",
            f"tgw-attachment {transit_gateway_attachment_id} is in invalid state "
            f"{attachment.state}",
        )
    attachment.state = "available"
    _join_defaults(self, self.transit_gateways[attachment.transit_gateway_id], attachment)
    return attachment


def _create_response(self: Any) -> Any:
    """moto reads the attachment's tags from a route table's tag specification."""
    from moto.core.responses import ActionResult

    attachment = self.ec2_backend.create_transit_gateway_vpc_attachment(
        transit_gateway_id=self._get_param("TransitGatewayId"),
        tags=self._parse_tag_specification().get("transit-gateway-attachment", {}),
        vpc_id=self._get_param("VpcId"),
        subnet_ids=self._get_param("SubnetIds", []),
        options=self._get_param("Options", {}),
    )
    return ActionResult({"TransitGatewayVpcAttachment": attachment})


def _vpn_response(self: Any) -> Any:
    """moto drops a VPN's options (StaticRoutesOnly): kept, as AWS describes them."""
    answer = _vpn_response.original(self)  # type: ignore[attr-defined]
    static = (self.querystring.get("Options.StaticRoutesOnly") or ["false"])[0]
    made = answer.result["VpnConnection"] if hasattr(answer, "result") else None
    if made is not None:
        made.options = {"StaticRoutesOnly": str(static).lower() == "true"}
    return answer


def _accept_response(self: Any) -> Any:
    from moto.core.responses import ActionResult

    attachment = self.ec2_backend.accept_transit_gateway_vpc_attachment(
        self._get_param("TransitGatewayAttachmentId")
    )
    return ActionResult({"TransitGatewayVpcAttachment": attachment})


def _usable(backend: Any, attachment_id: str) -> Any:
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    if attachment is None or _gateway_owner(attachment) != backend.account_id:
        raise _not_found(attachment_id)  # only the gateway's owner associates and propagates
    if attachment.state != "available":
        raise EC2ClientError(
            "IncorrectState",
            f"tgw-attachment {attachment_id} is in invalid state {attachment.state}",
        )
    return attachment


def _associate(
    self: Any, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
) -> Any:
    attachment = _usable(self, transit_gateway_attachment_id)
    if attachment._association_data.get("transitGatewayRouteTableId"):
        raise EC2ClientError(
            "Resource.AlreadyAssociated",
            f"Transit Gateway Attachment {transit_gateway_attachment_id} is already associated "
            "to a route table.",
        )
    return _associate.original(self, transit_gateway_attachment_id, transit_gateway_route_table_id)  # type: ignore[attr-defined]


def _propagate(
    self: Any, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
) -> Any:
    _usable(self, transit_gateway_attachment_id)
    table = self.transit_gateways_route_tables[transit_gateway_route_table_id]
    if any(
        p.transitGatewayAttachmentId == transit_gateway_attachment_id
        for p in table.route_table_propagation
    ):
        raise EC2ClientError(
            "TransitGatewayRouteTablePropagation.Duplicate",
            f"Propagation for {transit_gateway_attachment_id} already exists in "
            f"{transit_gateway_route_table_id}",
        )
    return _propagate.original(self, transit_gateway_attachment_id, transit_gateway_route_table_id)  # type: ignore[attr-defined]


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _search_routes(
    self: Any, transit_gateway_route_table_id: str, filters: Any, max_results: Any = None
) -> Any:
    del max_results  # every route is answered: a search finds few
    static = _search_routes.original(self, transit_gateway_route_table_id, {}, None)  # type: ignore[attr-defined]
    table = self.transit_gateways_route_tables.get(transit_gateway_route_table_id)
    # moto keeps a static route's attachment as one mapping, which its answer drops: a list.
    found = {
        r["destinationCidrBlock"]: {
            **r,
            "transitGatewayAttachments": _as_list(r.get("transitGatewayAttachments")),
        }
        for r in static
    }
    for propagation in table.route_table_propagation if table else []:
        attachment = self.transit_gateway_attachments.get(propagation.transitGatewayAttachmentId)
        if attachment is None or attachment.resource_type != "vpc":
            continue
        vpc = ec2_backends[attachment.resource_owner_id][self.region_name].vpcs.get(
            attachment.vpc_id
        )
        if vpc is None or vpc.cidr_block in found:
            continue  # a static route wins over a propagated one
        found[vpc.cidr_block] = {
            "destinationCidrBlock": vpc.cidr_block,
            "prefixListId": None,
            "state": "active",
            "type": "propagated",
            "transitGatewayAttachments": [
                {
                    "resourceId": attachment.resource_id,
                    "resourceType": attachment.resource_type,
                    "transitGatewayAttachmentId": attachment.id,
                }
            ],
        }
    wanted = {k: v for k, v in (filters or {}).items() if v}
    keys = {"type": "type", "state": "state", "route-search.exact-match": "destinationCidrBlock"}
    return [
        r for r in found.values()
        if all(r.get(keys[k]) in v for k, v in wanted.items() if k in keys)
    ]  # fmt: skip


def _create_route(self: Any, route_table_id: str, *args: Any, **kwargs: Any) -> Any:
    """A route to a gateway shared with the account (moto finds only its own and drops the
    target); one to a gateway it cannot see is refused, as on AWS."""
    gateway_id = kwargs.get("transit_gateway_id")
    gateway = self.transit_gateways.get(gateway_id) if gateway_id else None
    if gateway_id and gateway is None:
        shared = [
            g for g in shared_gateways(self.account_id, self.region_name) if g.id == gateway_id
        ]
        if not shared:
            raise InvalidTransitGatewayID(gateway_id)
        gateway = shared[0]
    route = _create_route.original(self, route_table_id, *args, **kwargs)  # type: ignore[attr-defined]
    if gateway is not None:
        route.transit_gateway = gateway
    return route


def shared_transit_gateways() -> None:
    """A gateway shared by RAM is visible to and attachable from the accounts it reaches;
    cross-account attachments wait for the owner's acceptance; default tables and one
    association per attachment as on AWS; propagated routes answered."""
    wrap(EC2Backend, "describe_transit_gateways", _describe_gateways)
    wrap(EC2Backend, "create_transit_gateway_vpc_attachment", _create_attachment)
    wrap(EC2Backend, "create_transit_gateway_vpn_attachment", _create_vpn_attachment)
    wrap(EC2Backend, "associate_transit_gateway_route_table", _associate)
    wrap(EC2Backend, "enable_transit_gateway_route_table_propagation", _propagate)
    wrap(EC2Backend, "search_transit_gateway_routes", _search_routes)
    wrap(EC2Backend, "create_route", _create_route)
    wrap(AttachmentResponse, "create_transit_gateway_vpc_attachment", _create_response)
    wrap(VpnResponse, "create_vpn_connection", _vpn_response)
    if not hasattr(EC2Backend, "accept_transit_gateway_vpc_attachment"):
        EC2Backend.accept_transit_gateway_vpc_attachment = _accept  # type: ignore[attr-defined]
    if not hasattr(AttachmentResponse, "accept_transit_gateway_vpc_attachment"):
        AttachmentResponse.accept_transit_gateway_vpc_attachment = _accept_response  # type: ignore[attr-defined]
    for name, getter in (
        ("association", _association),
        ("transit_gateway_owner_id", _gateway_owner),
    ):
        if getattr(TransitGatewayAttachment, name).fget is not getter:
            original = getattr(TransitGatewayAttachment, name)
            setattr(TransitGatewayAttachment, name, property(getter))
            undo_later(functools.partial(setattr, TransitGatewayAttachment, name, original))
