"""The sandbox's network shims answer as AWS does: sharing within the organization first, a
Transit Gateway shared by RAM seen and attached from the accounts the share reaches, the
attachment waiting for its owner's acceptance, no default table when it is off, one
association per attachment, propagated routes, a failed peering of overlapping ranges, and
Direct Connect gateways associated with a Transit Gateway; plain moto does none of it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.integration.test_log_archive import member

REGION = "eu-west-1"
OFF = {
    "DefaultRouteTableAssociation": "disable",
    "DefaultRouteTablePropagation": "disable",
    "AutoAcceptSharedAttachments": "disable",
}


def _org(orgs: Any) -> tuple[str, str, str, str]:
    """(organization ARN, network, web accounts; an OU holding web)."""
    arn = orgs.create_organization(FeatureSet="ALL")["Organization"]["Arn"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    ou = orgs.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]
    made = [
        orgs.create_account(AccountName=n, Email=f"{n}@acme.example")["CreateAccountStatus"][
            "AccountId"
        ]
        for n in ("network", "web")
    ]
    orgs.move_account(AccountId=made[1], SourceParentId=root, DestinationParentId=ou["Id"])
    return arn, made[0], made[1], ou["Arn"]


def _gateway(network: str) -> tuple[Any, str]:
    hub = member(network, "ec2", REGION)
    gateway = hub.create_transit_gateway(Description="hub", Options=OFF)["TransitGateway"]
    return hub, gateway["TransitGatewayId"]


def _share(network: str, gateway: str, principal: str) -> None:
    member(network, "ram", REGION).create_resource_share(
        name="tgw",
        resourceArns=[f"arn:aws:ec2:{REGION}:{network}:transit-gateway/{gateway}"],
        principals=[principal],
        allowExternalPrincipals=False,
    )


def _vpc(account: str, cidr: str) -> tuple[Any, str, str]:
    ec2 = member(account, "ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=f"{REGION}a")
    return ec2, vpc, subnet["Subnet"]["SubnetId"]


def test_sharing_with_the_organization_needs_sharing_enabled_first(orgs: Any) -> None:
    arn, network, _, _ = _org(orgs)
    _, gateway = _gateway(network)
    with pytest.raises(ClientError) as refused:
        _share(network, gateway, arn)
    assert refused.value.response["Error"]["Code"] == "OperationNotPermittedException"
    assert "not enabled sharing with your AWS organization" in str(refused.value)
    boto3.client("ram", region_name=REGION).enable_sharing_with_aws_organization()
    services = orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [s["ServicePrincipal"] for s in services] == ["ram.amazonaws.com"]
    role = boto3.client("iam").get_role(RoleName="AWSServiceRoleForResourceAccessManager")
    assert role["Role"]["Path"] == "/aws-service-role/ram.amazonaws.com/"
    _share(network, gateway, arn)  # now accepted


def test_a_shared_gateway_is_attached_accepted_and_associated_once(orgs: Any) -> None:
    _, network, web, ou = _org(orgs)
    boto3.client("ram", region_name=REGION).enable_sharing_with_aws_organization()
    hub, gateway = _gateway(network)
    ec2, vpc, subnet = _vpc(web, "10.16.0.0/22")
    with pytest.raises(ClientError) as unseen:
        ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet]
        )
    assert unseen.value.response["Error"]["Code"] == "InvalidTransitGatewayID.NotFound"
    _share(network, gateway, ou)  # the OU above web reaches it
    seen = ec2.describe_transit_gateways(Filters=[{"Name": "owner-id", "Values": [network]}])
    assert [g["TransitGatewayId"] for g in seen["TransitGateways"]] == [gateway]
    made = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet]
    )["TransitGatewayVpcAttachment"]
    attachment = made["TransitGatewayAttachmentId"]
    assert made["State"] == "pendingAcceptance"
    table = hub.create_transit_gateway_route_table(TransitGatewayId=gateway)
    table_id = table["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    with pytest.raises(ClientError) as early:
        hub.associate_transit_gateway_route_table(
            TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=attachment
        )
    assert early.value.response["Error"]["Code"] == "IncorrectState"
    with pytest.raises(ClientError) as not_owner:
        ec2.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    assert not_owner.value.response["Error"]["Code"] == (
        "InvalidTransitGatewayAttachmentID.NotFound"
    )
    accepted = hub.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    assert accepted["TransitGatewayVpcAttachment"]["State"] == "available"
    listed = hub.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert [(a["ResourceOwnerId"], a["TransitGatewayOwnerId"], "Association" in a)
            for a in listed] == [(web, network, False)]  # fmt: skip
    hub.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=attachment
    )
    other = hub.create_transit_gateway_route_table(TransitGatewayId=gateway)
    with pytest.raises(ClientError) as twice:
        hub.associate_transit_gateway_route_table(
            TransitGatewayRouteTableId=other["TransitGatewayRouteTable"][
                "TransitGatewayRouteTableId"
            ],
            TransitGatewayAttachmentId=attachment,
        )
    assert twice.value.response["Error"]["Code"] == "Resource.AlreadyAssociated"
    hub.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=attachment
    )
    routes = hub.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table_id, Filters=[{"Name": "state", "Values": ["active"]}]
    )["Routes"]
    assert [(r["DestinationCidrBlock"], r["Type"]) for r in routes] == [
        ("10.16.0.0/22", "propagated")
    ]
    hub.create_transit_gateway_route(
        TransitGatewayRouteTableId=table_id,
        DestinationCidrBlock="10.16.0.0/22",
        TransitGatewayAttachmentId=attachment,
    )
    routes = hub.search_transit_gateway_routes(TransitGatewayRouteTableId=table_id, Filters=[])[
        "Routes"
    ]  # a static route wins over the propagated one, and names its attachment
    assert [(r["Type"], r["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"])
            for r in routes] == [("static", attachment)]  # fmt: skip


def test_an_account_the_share_does_not_reach_cannot_attach(orgs: Any) -> None:
    _, network, web, _ = _org(orgs)
    boto3.client("ram", region_name=REGION).enable_sharing_with_aws_organization()
    _, gateway = _gateway(network)
    _share(network, gateway, "111122223333")  # another account only
    ec2, vpc, subnet = _vpc(web, "10.16.0.0/22")
    assert ec2.describe_transit_gateways()["TransitGateways"] == []
    with pytest.raises(ClientError) as refused:
        ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet]
        )
    assert refused.value.response["Error"]["Code"] == "InvalidTransitGatewayID.NotFound"


def test_a_peering_of_overlapping_ranges_fails_as_on_aws(orgs: Any) -> None:
    """AWS makes the request and fails it ("failed", never acceptable); apart ranges wait for
    the peer's acceptance and go active."""
    _, network, web, _ = _org(orgs)
    hub, hub_vpc, _ = _vpc(network, "10.0.0.0/16")
    web_ec2, overlapping, _ = _vpc(web, "10.0.4.0/22")
    _, apart, _ = _vpc(web, "10.1.0.0/22")
    made = hub.create_vpc_peering_connection(VpcId=hub_vpc, PeerVpcId=overlapping, PeerOwnerId=web)[
        "VpcPeeringConnection"
    ]
    assert made["Status"]["Code"] == "initiating-request"  # as AWS answers the request
    failed = hub.describe_vpc_peering_connections(
        VpcPeeringConnectionIds=[made["VpcPeeringConnectionId"]]
    )["VpcPeeringConnections"][0]
    assert failed["Status"] == {
        "Code": "failed",
        "Message": "Overlapping CIDR range: 10.0.0.0/16 overlaps 10.0.4.0/22",
    }
    with pytest.raises(ClientError) as refused:
        web_ec2.accept_vpc_peering_connection(
            VpcPeeringConnectionId=failed["VpcPeeringConnectionId"]
        )
    assert refused.value.response["Error"]["Code"] == "InvalidStateTransition"
    fine = hub.create_vpc_peering_connection(VpcId=hub_vpc, PeerVpcId=apart, PeerOwnerId=web)
    pcx = fine["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    found = hub.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])
    assert found["VpcPeeringConnections"][0]["Status"]["Code"] == "pending-acceptance"
    web_ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    found = hub.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])
    assert found["VpcPeeringConnections"][0]["Status"]["Code"] == "active"


def test_a_direct_connect_gateway_associates_as_on_aws(orgs: Any) -> None:
    """AWS refuses a public ASN, an association without allowed prefixes or with the Transit
    Gateway's own ASN, and another account's gateway; an association is associating, then
    associated, and gives the Transit Gateway a direct-connect-gateway attachment in no
    table; its allowed prefixes are updated."""
    _, network, _, _ = _org(orgs)
    hub, gateway = _gateway(network)
    dx = member(network, "directconnect", REGION)

    def refused(call: Any, **kwargs: Any) -> str:
        with pytest.raises(ClientError) as error:
            call(**kwargs)
        assert error.value.response["Error"]["Code"] == "DirectConnectClientException"
        return str(error.value.response["Error"]["Message"])

    assert "not in 64512-65534" in refused(
        dx.create_direct_connect_gateway, directConnectGatewayName="x", amazonSideAsn=65535
    )
    same = dx.create_direct_connect_gateway(directConnectGatewayName="same")
    made = dx.create_direct_connect_gateway(directConnectGatewayName="dx", amazonSideAsn=65100)
    made = made["directConnectGateway"]
    assert (made["amazonSideAsn"], made["directConnectGatewayState"]) == (65100, "available")
    assert "must differ" in refused(
        dx.create_direct_connect_gateway_association,
        directConnectGatewayId=same["directConnectGateway"]["directConnectGatewayId"],
        gatewayId=gateway,
        addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/12"}],
    )
    dx_id = made["directConnectGatewayId"]
    assert "is required" in refused(
        dx.create_direct_connect_gateway_association, directConnectGatewayId=dx_id,
        gatewayId=gateway,
    )  # fmt: skip
    other = boto3.client("directconnect", region_name=REGION)  # the management account
    assert "not found" in refused(
        other.create_direct_connect_gateway_association, directConnectGatewayId=dx_id,
        gatewayId=gateway, addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/12"}],
    )  # fmt: skip
    association = dx.create_direct_connect_gateway_association(
        directConnectGatewayId=dx_id,
        gatewayId=gateway,
        addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/12"}],
    )["directConnectGatewayAssociation"]
    assert association["associationState"] == "associating"
    found = dx.describe_direct_connect_gateway_associations(associatedGatewayId=gateway)
    assert [
        (a["associationState"], a["allowedPrefixesToDirectConnectGateway"])
        for a in found["directConnectGatewayAssociations"]
    ] == [("associated", [{"cidr": "10.0.0.0/12"}])]
    attached = hub.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert [(a["ResourceType"], a["ResourceId"], "Association" in a) for a in attached] == [
        ("direct-connect-gateway", dx_id, False)
    ]
    dx.update_direct_connect_gateway_association(
        associationId=association["associationId"],
        addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.32.0.0/16"}],
        removeAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/12"}],
    )
    found = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=dx_id)
    assert found["directConnectGatewayAssociations"][0][
        "allowedPrefixesToDirectConnectGateway"
    ] == [{"cidr": "10.32.0.0/16"}]


def test_plain_moto_lacks_what_the_network_shims_add() -> None:
    script = """
import boto3
from moto import mock_aws
OFF = {"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"}
with mock_aws():
    orgs = boto3.client("organizations", region_name="us-east-1")
    arn = orgs.create_organization(FeatureSet="ALL")["Organization"]["Arn"]
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    gateway = ec2.create_transit_gateway(Options=OFF)["TransitGateway"]["TransitGatewayId"]
    ram = boto3.client("ram", region_name="eu-west-1")
    ram.create_resource_share(name="x", principals=[arn],
        resourceArns=[f"arn:aws:ec2:eu-west-1:123456789012:transit-gateway/{gateway}"])
    print("shared-before-enabling")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/22")["Vpc"]["VpcId"]
    made = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=gateway, VpcId=vpc,
                                                     SubnetIds=[])["TransitGatewayVpcAttachment"]
    found = ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"][0]
    print("associated-by-default" if "Association" in found else "unassociated")
    table = ec2.create_transit_gateway_route_table(TransitGatewayId=gateway)
    table = table["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=table,
        TransitGatewayAttachmentId=made["TransitGatewayAttachmentId"])
    routes = ec2.search_transit_gateway_routes(TransitGatewayRouteTableId=table, Filters=[])
    print("no-propagated-routes" if not routes["Routes"] else "routes")
    ec2.create_transit_gateway_route(TransitGatewayRouteTableId=table, DestinationCidrBlock="10.9.0.0/16",
                                     TransitGatewayAttachmentId=made["TransitGatewayAttachmentId"])
    routes = ec2.search_transit_gateway_routes(TransitGatewayRouteTableId=table, Filters=[])
    print("route-without-attachment" if not routes["Routes"][0]["TransitGatewayAttachments"] else "attached")
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65000)
    ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
                              TransitGatewayId=gateway, Options={"StaticRoutesOnly": True})
    vpn = ec2.describe_vpn_connections()["VpnConnections"][0]
    print("vpn-options-dropped" if "Options" not in vpn else "vpn-options")
    try:
        ec2.accept_transit_gateway_vpc_attachment(
            TransitGatewayAttachmentId=made["TransitGatewayAttachmentId"])
        print("accepted")
    except Exception:
        print("no-accept")
    one = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    two = ec2.create_vpc(CidrBlock="10.8.4.0/22")["Vpc"]["VpcId"]
    pcx = ec2.create_vpc_peering_connection(VpcId=one, PeerVpcId=two)["VpcPeeringConnection"]
    pcx = ec2.describe_vpc_peering_connections(
        VpcPeeringConnectionIds=[pcx["VpcPeeringConnectionId"]])["VpcPeeringConnections"][0]
    print("overlap-" + pcx["Status"]["Code"])
    try:
        boto3.client("directconnect", region_name="eu-west-1").create_direct_connect_gateway(
            directConnectGatewayName="dx")
        print("dx-gateway")
    except Exception:
        print("no-dx-gateway")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "shared-before-enabling",
        "associated-by-default",
        "no-propagated-routes",
        "route-without-attachment",
        "vpn-options-dropped",
        "no-accept",
        "overlap-pending-acceptance",
        "no-dx-gateway",
    ]
