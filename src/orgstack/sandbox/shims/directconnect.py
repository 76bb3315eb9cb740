"""Direct Connect gateways and their Transit Gateway associations, which moto lacks (a shim
with a test and a line in docs/sandbox.md). What AWS states and the shim keeps:

- CreateDirectConnectGateway: a global gateway; its Amazon-side ASN in 64,512–65,534 or
  4,200,000,000–4,294,967,294 (default 64,512).
- CreateDirectConnectGatewayAssociation with a Transit Gateway: the allowed prefixes are
  required; the gateway's ASN and the Transit Gateway's must differ ("if you use the default
  ASN 64512 for both … the association request fails"); one account's own Transit Gateway only
  (another's needs an association proposal, which orgstack does not make); the association is
  ``associating`` in the answer and ``associated`` afterwards, and the Transit Gateway gets an
  attachment of resource type ``direct-connect-gateway`` that joins no table by default when
  the gateway's defaults are off.
- UpdateDirectConnectGatewayAssociation adds and removes allowed prefixes.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from moto.directconnect import responses as dx_responses
from moto.directconnect.exceptions import DXConnectionError
from moto.directconnect.models import directconnect_backends
from moto.ec2.models import ec2_backends
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachment

from orgstack.sandbox.shims.gaps import add_methods, kept

CLIENT_ERROR = "DirectConnectClientException"
PRIVATE_ASNS = ((64512, 65534), (4200000000, 4294967294))


def _refused(message: str) -> DXConnectionError:
    return DXConnectionError(CLIENT_ERROR, message)


def _store(account_id: str) -> dict[str, Any]:
    """The account's gateways and associations (global: kept on one Region's backend)."""
    return kept(directconnect_backends[account_id]["us-east-1"], "orgstack_dx")


def _params(self: Any) -> dict[str, Any]:
    return dict(json.loads(self.body or "{}"))


def create_direct_connect_gateway(self: Any) -> str:
    params = _params(self)
    asn = int(params.get("amazonSideAsn", 64512))
    if not any(low <= asn <= high for low, high in PRIVATE_ASNS):
        raise _refused(f"amazonSideAsn {asn} is not in 64512-65534 or 4200000000-4294967294")
    gateway = {
        "directConnectGatewayId": str(uuid.uuid4()),
        "directConnectGatewayName": params["directConnectGatewayName"],
        "amazonSideAsn": asn,
        "ownerAccount": self.current_account,
        "directConnectGatewayState": "available",
    }
    _store(self.current_account).setdefault("gateways", {})[gateway["directConnectGatewayId"]] = (
        gateway
    )
    return json.dumps({"directConnectGateway": gateway})


def describe_direct_connect_gateways(self: Any) -> str:
    params = _params(self)
    wanted = params.get("directConnectGatewayId")
    gateways = [
        g
        for g in _store(self.current_account).get("gateways", {}).values()
        if wanted in (None, g["directConnectGatewayId"])
    ]
    return json.dumps({"directConnectGateways": gateways})


def _transit_gateway(account_id: str, gateway_id: str) -> tuple[Any, Any, str]:
    """The account's own Transit Gateway by id: (its EC2 backend, it, its Region)."""
    for region, backend in ec2_backends[account_id].items():
        found = backend.transit_gateways.get(gateway_id)
        if found is not None:
            return backend, found, region
    raise _refused(
        f"{gateway_id} is not a Transit Gateway of account {account_id}; another account's "
        "needs an association proposal"
    )


def _prefixes(items: list[dict[str, str]] | None) -> list[str]:
    return sorted({item["cidr"] for item in items or []})


def create_direct_connect_gateway_association(self: Any) -> str:
    from orgstack.sandbox.shims.network import _join_defaults

    params = _params(self)
    store = _store(self.current_account)
    gateway = store.get("gateways", {}).get(params.get("directConnectGatewayId"))
    if gateway is None:
        raise _refused(f"Direct Connect gateway {params.get('directConnectGatewayId')} not found")
    target = params.get("gatewayId") or ""
    ec2, transit, region = _transit_gateway(self.current_account, target)
    allowed = _prefixes(params.get("addAllowedPrefixesToDirectConnectGateway"))
    if not allowed:
        raise _refused("addAllowedPrefixesToDirectConnectGateway is required for a transit gateway")
    if int(transit.options.get("AmazonSideAsn", 64512)) == gateway["amazonSideAsn"]:
        raise _refused(
            f"the Direct Connect gateway's ASN {gateway['amazonSideAsn']} is the Transit "
            "Gateway's; they must differ"
        )
    associations = store.setdefault("associations", {})
    if any(
        a["directConnectGatewayId"] == gateway["directConnectGatewayId"]
        and a["associatedGateway"]["id"] == target
        for a in associations.values()
    ):
        raise _refused(f"{target} is associated with this Direct Connect gateway already")
    attachment = TransitGatewayAttachment(
        ec2, gateway["directConnectGatewayId"], "direct-connect-gateway", transit
    )
    attachment.transit_gateway_route_table = None
    ec2.transit_gateway_attachments[attachment.id] = attachment
    _join_defaults(ec2, transit, attachment)
    association = {
        "directConnectGatewayId": gateway["directConnectGatewayId"],
        "directConnectGatewayOwnerAccount": self.current_account,
        "associationId": str(uuid.uuid4()),
        "associatedGateway": {
            "id": target,
            "type": "transitGateway",
            "ownerAccount": self.current_account,
            "region": region,
        },
        "allowedPrefixesToDirectConnectGateway": [{"cidr": c} for c in allowed],
        "associationState": "associated",
    }
    associations[association["associationId"]] = association
    return json.dumps(
        {"directConnectGatewayAssociation": dict(association, associationState="associating")}
    )


def describe_direct_connect_gateway_associations(self: Any) -> str:
    params = _params(self)
    gateway, target = params.get("directConnectGatewayId"), params.get("associatedGatewayId")
    found = [
        a
        for a in _store(self.current_account).get("associations", {}).values()
        if gateway in (None, a["directConnectGatewayId"])
        and target in (None, a["associatedGateway"]["id"])
    ]
    return json.dumps({"directConnectGatewayAssociations": found})


def update_direct_connect_gateway_association(self: Any) -> str:
    params = _params(self)
    association = (
        _store(self.current_account).get("associations", {}).get(params.get("associationId"))
    )
    if association is None:
        raise _refused(f"association {params.get('associationId')} not found")
    allowed = set(_prefixes(association["allowedPrefixesToDirectConnectGateway"]))
    allowed |= set(_prefixes(params.get("addAllowedPrefixesToDirectConnectGateway")))
    allowed -= set(_prefixes(params.get("removeAllowedPrefixesToDirectConnectGateway")))
    if not allowed:
        raise _refused("a transit gateway association needs at least one allowed prefix")
    association["allowedPrefixesToDirectConnectGateway"] = [{"cidr": c} for c in sorted(allowed)]
    return json.dumps(
        {"directConnectGatewayAssociation": dict(association, associationState="updating")}
    )


METHODS = {
    "create_direct_connect_gateway": create_direct_connect_gateway,
    "describe_direct_connect_gateways": describe_direct_connect_gateways,
    "create_direct_connect_gateway_association": create_direct_connect_gateway_association,
    "describe_direct_connect_gateway_associations": describe_direct_connect_gateway_associations,
    "update_direct_connect_gateway_association": update_direct_connect_gateway_association,
}


def direct_connect_gateways() -> None:
    """The five Direct Connect gateway calls orgstack makes, answered as AWS does."""
    cls = dx_responses.DirectConnectResponse
    if "create_direct_connect_gateway" not in cls.__dict__:
        add_methods(cls, METHODS)
