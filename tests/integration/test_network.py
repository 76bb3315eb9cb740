"""The network on moto (with the sandbox's shims): sharing within the organization, a Transit
Gateway in the network account shared by RAM, a VPC in every stage account attached to it and
accepted, prod and non-prod in their own tables with no route into each other, the plan empty
afterwards, and a new account given a range without moving another's."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from orgstack import api
from orgstack.plan.model import Action
from tests.integration.conftest import FAST
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import member
from tests.unit.test_network import SPEC


def network_changes(plan: Any) -> list[tuple[str, Action]]:
    return [(c.address, c.action) for c in plan.changes if c.address.startswith("network:")]


def routes(hub: Any, table: str) -> list[str]:
    found = hub.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table, Filters=[{"Name": "state", "Values": ["active"]}]
    )["Routes"]
    return sorted(r["DestinationCidrBlock"] for r in found)


def test_the_network_is_made_and_keeps_prod_apart(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert network_changes(plan) == [
        ("network:management/eu-west-1/sharing", Action.CREATE),
        ("network:network/eu-west-1/gateway", Action.CREATE),
        ("network:network/eu-west-1/share", Action.CREATE),
        ("network:shared-services/eu-west-1/vpc", Action.CREATE),
        ("network:web-dev/eu-west-1/vpc", Action.CREATE),
        ("network:web-prod/eu-west-1/vpc", Action.CREATE),
        ("network:shared-services/eu-west-1/attachment", Action.CREATE),
        ("network:web-dev/eu-west-1/attachment", Action.CREATE),
        ("network:web-prod/eu-west-1/attachment", Action.CREATE),
        ("network:network/eu-west-1/table/nonprod", Action.CREATE),
        ("network:network/eu-west-1/table/prod", Action.CREATE),
        ("network:network/eu-west-1/table/shared", Action.CREATE),
        ("network:shared-services/eu-west-1/routes", Action.CREATE),
        ("network:web-dev/eu-west-1/routes", Action.CREATE),
        ("network:web-prod/eu-west-1/routes", Action.CREATE),
    ]
    result = apply_now(plan, data)
    assert result.ok, (result.outcome.failed, result.outcome.skipped)
    ids = account_ids()
    hub = member(ids["network"], "ec2", "eu-west-1")
    tables = _tables(hub)
    assert routes(hub, tables["prod"]) == ["10.0.0.0/22", "10.32.0.0/22"]
    assert routes(hub, tables["nonprod"]) == ["10.16.0.0/22", "10.32.0.0/22"]
    assert routes(hub, tables["shared"]) == ["10.0.0.0/22", "10.16.0.0/22", "10.32.0.0/22"]
    attached = hub.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    by_owner = {
        a["ResourceOwnerId"]: a["Association"]["TransitGatewayRouteTableId"] for a in attached
    }
    assert by_owner == {
        ids["web-prod"]: tables["prod"],
        ids["web-dev"]: tables["nonprod"],
        ids["shared-services"]: tables["shared"],
    }
    again, _ = plan_now()
    assert again.empty, [(c.address, c.before, c.after) for c in again.changes]


def test_a_new_account_gets_a_range_and_no_other_moves(aws: None, workdir: Path) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    plan, data = plan_now()
    result = apply_now(plan, data)
    assert result.ok
    assert api.record_created_ids(plan, data, result.outcome.done) == ["orgstack.yaml"]
    recorded = spec.read_text().split("  ranges:\n", 1)[1]
    assert recorded == (
        "    shared-services:\n      eu-west-1: 10.32.0.0/22\n"
        "    web-dev:\n      eu-west-1: 10.16.0.0/22\n"
        "    web-prod:\n      eu-west-1: 10.0.0.0/22\n"
    )
    # ``app-dev`` sorts before ``web-dev``: unrecorded, it would have taken web-dev's range.
    spec.write_text(spec.read_text().replace(
        "  web-dev:", "  app-dev: {purpose: workload, ou: Workloads/NonProd, stage: dev}\n  web-dev:", 1
    ))  # fmt: skip
    plan, data = plan_now()
    assert [(c.address, c.action, (c.after or {}).get("cidr")) for c in plan.changes] == [
        ("account:app-dev", Action.CREATE, None),
        ("network:app-dev/eu-west-1/vpc", Action.CREATE, "10.16.4.0/22"),
        ("network:app-dev/eu-west-1/attachment", Action.CREATE, None),
        ("network:app-dev/eu-west-1/routes", Action.CREATE, None),
        ("network:network/eu-west-1/table/nonprod", Action.UPDATE, None),
        ("network:network/eu-west-1/table/shared", Action.UPDATE, None),
    ]
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty


GUARDED = (
    SPEC
    + """\
policies:
  protect-network: {type: service_control, guardrails: [protect-network], targets: [ou:Workloads]}
"""
)
ATTACKS = (
    "CreateVpcPeeringConnection",
    "CreateTransitGatewayVpcAttachment",
    "DeleteRoute",
    "CreateRoute",
    "DisassociateRouteTable",
    "DeleteSubnet",
    "DeleteTags",
    "CreateTags",
    "CreateResourceShare",
    "CreateDirectConnectGateway",
)


def _attacks(admin: Any, ids: dict[str, str]) -> dict[str, str]:
    """What a dev account's own administrator gets when it tries to leave its segment."""
    from botocore.exceptions import ClientError

    ec2, ram = (
        admin.client("ec2", region_name="eu-west-1"),
        admin.client("ram", region_name="eu-west-1"),
    )
    vpc = next(
        v
        for v in ec2.describe_vpcs()["Vpcs"]
        if any(t["Key"] == "orgstack:network" for t in v.get("Tags", []))
    )
    table = next(t for t in ec2.describe_route_tables()["RouteTables"]
                 if {"Key": "orgstack:network", "Value": "private"} in t.get("Tags", []))  # fmt: skip
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])[
        "Subnets"
    ][0]
    own = ec2.create_vpc(CidrBlock="192.168.0.0/24")["Vpc"]["VpcId"]  # not guarded: its own VPC
    gateway = ec2.describe_transit_gateways()["TransitGateways"][0]["TransitGatewayId"]
    calls: dict[str, Callable[[], Any]] = {
        "CreateVpcPeeringConnection": lambda: ec2.create_vpc_peering_connection(
            VpcId=vpc["VpcId"], PeerVpcId=own, PeerOwnerId=ids["web-prod"]),
        "CreateTransitGatewayVpcAttachment": lambda: ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=gateway, VpcId=own, SubnetIds=[]),
        "DeleteRoute": lambda: ec2.delete_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="10.32.0.0/16"),
        "CreateRoute": lambda: ec2.create_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="10.0.0.0/12",
                                                TransitGatewayId=gateway),
        "DisassociateRouteTable": lambda: ec2.disassociate_route_table(
            AssociationId=next(a["RouteTableAssociationId"] for a in table["Associations"] if a.get("SubnetId"))),
        "DeleteSubnet": lambda: ec2.delete_subnet(SubnetId=subnet["SubnetId"]),
        "DeleteTags": lambda: ec2.delete_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "orgstack:segment"}]),
        "CreateTags": lambda: ec2.create_tags(Resources=[own], Tags=[{"Key": "orgstack:network", "Value": "vpc"}]),
        "CreateResourceShare": lambda: ram.create_resource_share(name="out", resourceArns=[]),
        "CreateDirectConnectGateway": lambda: admin.client(
            "directconnect", region_name="eu-west-1").create_direct_connect_gateway(
            directConnectGatewayName="out"),
        "CreateRouteOnItsOwnVpc": lambda: ec2.create_route(
            RouteTableId=ec2.create_route_table(VpcId=own)["RouteTable"]["RouteTableId"],
            DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=gateway),
    }  # fmt: skip
    found = {}
    for name, call in calls.items():
        try:
            call()
            found[name] = "allowed"
        except ClientError as exc:
            found[name] = exc.response["Error"]["Code"]
    return found


def test_a_dev_accounts_admin_cannot_leave_its_segment(aws: None, workdir: Path) -> None:
    from orgstack.sandbox.shims import enforce
    from tests.integration.test_enforcing_sandbox import session, trusting

    (workdir / "orgstack.yaml").write_text(GUARDED)
    plan, data = plan_now()
    assert apply_now(plan, data).ok
    ids = account_ids()
    access = session(f"arn:aws:iam::{ids['web-dev']}:role/OrganizationAccountAccessRole")
    access.client("iam").create_role(
        RoleName="Admin", AssumeRolePolicyDocument=trusting("arn:aws:iam::123456789012:root")
    )
    access.client("iam").attach_role_policy(
        RoleName="Admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    enforce(True)
    try:
        found = _attacks(session(f"arn:aws:iam::{ids['web-dev']}:role/Admin"), ids)
    finally:
        enforce(False)
    assert found == {
        **dict.fromkeys(ATTACKS, "AccessDenied"),
        "CreateResourceShare": "AccessDeniedException",
        "CreateDirectConnectGateway": "AccessDeniedException",
        "CreateRouteOnItsOwnVpc": "allowed",
    }
    assert plan_now()[0].empty  # nothing the attacker tried changed orgstack's network


def test_import_writes_the_network_back_and_the_plan_stays_empty(aws: None, workdir: Path) -> None:
    text = SPEC.replace("    prod: {reaches: [shared]}", "    prod: {reaches: [shared, onprem]}")
    text = text.replace(
        "  invariants:",
        "    onprem: {reaches: [prod]}\n"
        "  onprem: {prefixes: [192.168.0.0/16], vpn: {ip: 203.0.113.10, asn: 65000}}\n"
        "  invariants:",
    )
    (workdir / "orgstack.yaml").write_text(text)
    plan, data = plan_now()
    assert apply_now(plan, data).ok
    imported = workdir / "imported.yaml"
    home = dataclasses.replace(FAST, region="eu-west-1")  # the network's Region
    result = api.import_organization(imported, home, name="acme")
    section = api.load_spec(str(imported)).sections["network"]
    assert (section["account"], section["pools"], section["segments"]) == (
        "network",
        {"nonprod": "10.16.0.0/12", "prod": "10.0.0.0/12", "shared": "10.32.0.0/16"},
        {
            "nonprod": {"reaches": ["shared"], "forwards": False},
            "onprem": {"reaches": ["prod"], "forwards": True},
            "prod": {"reaches": ["onprem", "shared"], "forwards": False},
            "shared": {"reaches": ["nonprod", "prod"], "forwards": False},
        },
    )
    assert section["members"] == {
        "shared-services": "shared",
        "web-dev": "nonprod",
        "web-prod": "prod",
    }
    assert section["onprem"] == {
        "prefixes": ["192.168.0.0/16"], "vpn": {"ip": "203.0.113.10", "asn": 65000}, "dx": None
    }  # fmt: skip
    assert result.not_imported == ()
    again = api.make_plan(str(imported), home).plan
    assert [c.address for c in again.changes if c.address.startswith("network:")] == []


def _tables(hub: Any) -> dict[str, str]:
    """Segment → its route table in the network account."""
    found = hub.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]
    return {
        next(t["Value"] for t in table["Tags"] if t["Key"] == "orgstack:segment"): table[
            "TransitGatewayRouteTableId"
        ]
        for table in found
        if any(t["Key"] == "orgstack:segment" for t in table.get("Tags", []))
    }


def test_the_standard_blueprint_keeps_prod_and_nonprod_apart(aws: None, workdir: Path) -> None:
    from orgstack.spec.blueprints import preset

    spec = workdir / "orgstack.yaml"
    api.write_spec(preset("standard"), spec, schema_ref="s.json")
    plan, data = plan_now()
    result = apply_now(plan, data)
    assert result.ok
    api.record_created_ids(plan, data, result.outcome.done)
    ids = account_ids()
    hub = member(ids["network"], "ec2", "us-east-1")
    gateway = hub.describe_transit_gateways()["TransitGateways"][0]
    share = member(ids["network"], "ram", "us-east-1").get_resource_share_associations(
        associationType="PRINCIPAL"
    )["resourceShareAssociations"]
    organization = boto3.client("organizations").describe_organization()["Organization"]["Arn"]
    assert [a["associatedEntity"] for a in share] == [organization]
    ranges = api.load_spec("orgstack.yaml").sections["network"]["ranges"]
    stage = {
        "app-dev": "nonprod",
        "app-qa": "nonprod",
        "app-prod": "prod",
        "shared-services": "shared",
    }
    assert {a: r["us-east-1"] for a, r in ranges.items()} == {
        "app-dev": "10.16.0.0/22",
        "app-prod": "10.0.0.0/22",
        "app-qa": "10.16.4.0/22",
        "shared-services": "10.32.0.0/22",
    }
    tables = _tables(hub)
    attached = hub.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    names = {v: k for k, v in ids.items()}
    assert {
        names[a["ResourceOwnerId"]]: a["Association"]["TransitGatewayRouteTableId"]
        for a in attached
    } == {account: tables[segment] for account, segment in stage.items()}
    assert {a["TransitGatewayId"] for a in attached} == {gateway["TransitGatewayId"]}
    assert routes(hub, tables["prod"]) == ["10.0.0.0/22", "10.32.0.0/22"]
    assert routes(hub, tables["nonprod"]) == ["10.16.0.0/22", "10.16.4.0/22", "10.32.0.0/22"]
    assert plan_now()[0].empty
    # `orgstack isolation` on what was applied: no path beyond what the blueprint allows.
    isolation = api.isolation("orgstack.yaml", FAST)
    assert [p.to_dict() for p in isolation.found] == []
    assert isolation.matrix["dev"]["prod"] == isolation.matrix["qa"]["prod"] == 0
    assert sorted((p.source, p.target) for p, _ in isolation.allowed) == [
        ("app-dev", "app-qa"), ("app-dev", "shared-services"), ("app-prod", "shared-services"),
        ("app-qa", "app-dev"), ("app-qa", "shared-services"), ("shared-services", "app-dev"),
        ("shared-services", "app-prod"), ("shared-services", "app-qa"),
    ]  # fmt: skip
    _leaks_are_found(ids)


def _leaks_are_found(ids: dict[str, str]) -> None:
    """Leaks planted by hand into the applied standard blueprint: app-prod's role trusting
    app-qa, its queue open to app-dev, a RAM share of its subnet with app-dev, app-dev's VPC
    peered with app-prod's and routed, and app-qa's attachment moved into prod's table by hand
    (in the network account); each is found, named by ARN or segment, and the matrix counts
    them."""
    import json

    dev, qa, prod = ids["app-dev"], ids["app-qa"], ids["app-prod"]
    region = "us-east-1"

    def admit(who: str, action: str) -> str:
        return json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{who}:root"},
             "Action": action, "Resource": "*"}]})  # fmt: skip

    role = member(prod, "iam", region).create_role(
        RoleName="qa-tests", AssumeRolePolicyDocument=admit(qa, "sts:AssumeRole")
    )["Role"]["Arn"]
    sqs = member(prod, "sqs", region)
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": admit(dev, "sqs:SendMessage")})
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    prod_ec2, dev_ec2 = member(prod, "ec2", region), member(dev, "ec2", region)
    prod_vpc = next(v for v in prod_ec2.describe_vpcs()["Vpcs"] if v["CidrBlock"] == "10.0.0.0/22")
    subnet = prod_ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [prod_vpc["VpcId"]]}])[
        "Subnets"
    ][0]["SubnetArn"]
    member(prod, "ram", region).create_resource_share(
        name="db", resourceArns=[subnet], principals=[dev]
    )
    dev_vpc = next(v for v in dev_ec2.describe_vpcs()["Vpcs"] if v["CidrBlock"] == "10.16.0.0/22")
    pcx = dev_ec2.create_vpc_peering_connection(
        VpcId=dev_vpc["VpcId"], PeerVpcId=prod_vpc["VpcId"], PeerOwnerId=prod
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    prod_ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    table = dev_ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [dev_vpc["VpcId"]]}]
    )["RouteTables"][0]["RouteTableId"]
    dev_ec2.create_route(RouteTableId=table, DestinationCidrBlock="10.0.0.0/22",
                         VpcPeeringConnectionId=pcx)  # fmt: skip
    hub = member(ids["network"], "ec2", region)
    tables = _tables(hub)
    moved = next(
        a["TransitGatewayAttachmentId"]
        for a in hub.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
        if a["ResourceOwnerId"] == qa
    )
    hub.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=tables["nonprod"], TransitGatewayAttachmentId=moved
    )
    hub.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=tables["prod"], TransitGatewayAttachmentId=moved
    )
    found = api.isolation("orgstack.yaml", FAST)
    assert sorted((p.kind, p.source, p.target, p.resource) for p in found.found) == sorted([
        ("iam-trust", "app-qa", "app-prod", role),
        ("network", "app-qa", "app-prod", "segment prod → prod"),
        # dev's table still routes to qa's attachment, now in prod's table: no longer the
        # non-prod segment the blueprint allows
        ("network", "app-dev", "app-qa", "segment nonprod → prod"),
        ("resource-policy", "app-dev", "app-prod", queue["QueueArn"]),
        ("ram-share", "app-dev", "app-prod", subnet),
        ("network", "app-dev", "app-prod",
         f"arn:aws:ec2:{region}:{dev}:vpc-peering-connection/{pcx}"),
    ])  # fmt: skip
    assert (found.matrix["dev"]["prod"], found.matrix["qa"]["prod"], found.matrix["dev"]["qa"]) == (
        3, 2, 1,
    )  # fmt: skip


def test_a_gateway_shared_with_ous_only_reaches_their_accounts_and_imports_back(
    aws: None, workdir: Path
) -> None:
    """Shared with the two OUs that hold the members (not the organization): every member
    attaches through the OU share, the management account does not see the gateway, and
    import finds it in the network account and writes share_with back."""
    text = SPEC.replace(
        "  invariants:", "  share_with: [ou:Workloads, ou:Infrastructure]\n  invariants:"
    )
    (workdir / "orgstack.yaml").write_text(text)
    plan, data = plan_now()
    result = apply_now(plan, data)
    assert result.ok, (result.outcome.failed, result.outcome.skipped)
    ids = account_ids()
    organizations = boto3.client("organizations", region_name="us-east-1")
    ous = {
        ou["Name"]: ou["Arn"]
        for ou in organizations.list_organizational_units_for_parent(
            ParentId=organizations.list_roots()["Roots"][0]["Id"]
        )["OrganizationalUnits"]
    }
    ram = member(ids["network"], "ram", "eu-west-1")
    share = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"][0]
    principals = ram.get_resource_share_associations(
        associationType="PRINCIPAL", resourceShareArns=[share["resourceShareArn"]]
    )["resourceShareAssociations"]
    assert sorted(p["associatedEntity"] for p in principals) == sorted(
        [ous["Workloads"], ous["Infrastructure"]]
    )
    hub = member(ids["network"], "ec2", "eu-west-1")
    attached = hub.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert sorted(a["ResourceOwnerId"] for a in attached) == sorted(
        [ids["web-prod"], ids["web-dev"], ids["shared-services"]]
    )
    management = boto3.client("ec2", region_name="eu-west-1")
    assert management.describe_transit_gateways()["TransitGateways"] == []
    assert plan_now()[0].empty
    imported = workdir / "imported.yaml"
    home = dataclasses.replace(FAST, region="eu-west-1")
    api.import_organization(imported, home, name="acme")
    section = api.load_spec(str(imported)).sections["network"]
    assert section["share_with"] == ["ou:Infrastructure", "ou:Workloads"]
    again = api.make_plan(str(imported), home).plan
    assert [c.address for c in again.changes if c.address.startswith("network:")] == []


def test_a_share_not_yet_visible_is_pending_in_plan_and_waiting_in_apply(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RAM shows a shared gateway to an account a while after the share: while web-dev does not
    see it, apply leaves its attachment waiting (not failed) and what depends on it skipped,
    plan says so as pending, and once it is visible `apply --resume` finishes."""
    from orgstack.apply.context import ApplyOptions
    from orgstack.report.apply_text import summary
    from orgstack.sandbox.shims import network as shim
    from orgstack.sandbox.shims import ram as ram_shim

    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC.split("\nnetwork:\n")[0] + "\n")
    assert apply_now(*plan_now()).ok
    dev = account_ids()["web-dev"]
    visible = ram_shim.shared_gateways  # the network shim's view of RAM shares
    monkeypatch.setattr(shim, "shared_gateways", lambda a, r: [] if a == dev else visible(a, r))
    spec.write_text(SPEC)
    plan, data = plan_now()
    patient = ApplyOptions(
        poll_initial_s=0.001, poll_max_s=0.002, retry_base_s=0.001, pending_after_s=0.01
    )
    result = apply_now(plan, data, options=patient)
    waiting = {plan.changes[i].address: e.message for i, e in result.outcome.waiting.items()}
    assert waiting == {
        "network:web-dev/eu-west-1/attachment": "web-dev does not see network's Transit "
        "Gateway in eu-west-1 yet: the RAM share reaches an account a while after it is made"
    }
    # Only what names web-dev's attachment waits: its routes and the two tables that associate
    # or propagate it; prod's table and routes are done.
    waits = "waits for network:web-dev/eu-west-1/attachment, which waits on AWS"
    assert {plan.changes[i].address: r for i, r in result.outcome.skipped.items()} == {
        "network:network/eu-west-1/table/nonprod": waits,
        "network:network/eu-west-1/table/shared": waits,
        "network:web-dev/eu-west-1/routes": waits,
        "network:shared-services/eu-west-1/routes": "depends on "
        "network:network/eu-west-1/table/shared, which did not complete",
    }
    done = {plan.changes[i].address for i in result.outcome.done}
    assert {"network:network/eu-west-1/table/prod", "network:web-prod/eu-west-1/routes"} <= done
    assert not result.outcome.failed and not result.ok
    lines = summary(
        plan,
        result.outcome.done,
        result.outcome.already,
        result.outcome.failed,
        result.outcome.skipped,
        result.outcome.waiting,
    )
    assert lines[0].endswith("; 0 failed; 1 waiting on AWS; 4 skipped.")
    assert lines[-1] == (
        "Next: nothing failed; once AWS has finished (minutes), `orgstack apply --resume` "
        "continues what waits and what depends on it (or plan again)."
    )
    pending = [p for p in plan_now()[0].preflight if p.level == "pending"]
    assert [p.message for p in pending] == [
        "network: web-dev does not see network's Transit Gateway in eu-west-1 yet: the RAM "
        "share reaches an account a while after it is made"
    ]
    monkeypatch.setattr(shim, "shared_gateways", visible)
    assert api.make_plan("orgstack.yaml", FAST).plan.preflight == ()
    resumed = apply_now(plan, data, options=patient, resume=True)
    assert resumed.ok, (resumed.outcome.failed, resumed.outcome.waiting)
    assert plan_now()[0].empty


def test_a_direct_connect_link_is_associated_propagated_and_imported_back(
    aws: None, workdir: Path
) -> None:
    """On-premise over a Direct Connect gateway: associated with the Transit Gateway allowing
    prod's pool, its attachment in the onprem table and propagated into prod's (no static
    routes: on-premise routes are learned), the plan empty after, and import writes it back."""
    from tests.unit.test_network import _with_dx

    (workdir / "orgstack.yaml").write_text(_with_dx())
    plan, data = plan_now()
    assert ("network:network/eu-west-1/dx", Action.CREATE) in network_changes(plan)
    result = apply_now(plan, data)
    assert result.ok, (result.outcome.failed, result.outcome.skipped, result.outcome.waiting)
    ids = account_ids()
    dx = member(ids["network"], "directconnect", "eu-west-1")
    (gateway,) = dx.describe_direct_connect_gateways()["directConnectGateways"]
    (association,) = dx.describe_direct_connect_gateway_associations(
        directConnectGatewayId=gateway["directConnectGatewayId"]
    )["directConnectGatewayAssociations"]
    assert (gateway["amazonSideAsn"], association["allowedPrefixesToDirectConnectGateway"]) == (
        65100,
        [{"cidr": "10.0.0.0/12"}],
    )
    hub = member(ids["network"], "ec2", "eu-west-1")
    tables = _tables(hub)
    (link,) = [
        a
        for a in hub.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
        if a["ResourceType"] == "direct-connect-gateway"
    ]
    assert link["Association"]["TransitGatewayRouteTableId"] == tables["onprem"]
    propagated = hub.get_transit_gateway_route_table_propagations(
        TransitGatewayRouteTableId=tables["prod"]
    )["TransitGatewayRouteTablePropagations"]
    assert link["TransitGatewayAttachmentId"] in {
        p["TransitGatewayAttachmentId"] for p in propagated
    }
    static = hub.search_transit_gateway_routes(
        TransitGatewayRouteTableId=tables["prod"], Filters=[{"Name": "type", "Values": ["static"]}]
    )["Routes"]
    assert static == []
    assert plan_now()[0].empty
    imported = workdir / "imported.yaml"
    home = dataclasses.replace(FAST, region="eu-west-1")
    api.import_organization(imported, home, name="acme")
    section = api.load_spec(str(imported)).sections["network"]
    assert section["onprem"] == {
        "prefixes": ["192.168.0.0/16"], "vpn": None, "dx": {"asn": 65100, "name": "orgstack"}
    }  # fmt: skip
    again = api.make_plan(str(imported), home).plan
    assert [c.address for c in again.changes if c.address.startswith("network:")] == []
