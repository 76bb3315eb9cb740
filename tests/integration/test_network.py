"""The network on moto (with the sandbox's shims): sharing within the organization, a Transit
Gateway in the network account shared by RAM, a VPC in every stage account attached to it and
accepted, prod and non-prod in their own tables with no route into each other, the plan empty
afterwards, and a new account given a range without moving another's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orgstack import api
from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import member

SPEC = """\
organization: {name: acme, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units: {Workloads: {children: {Prod: {}, NonProd: {}}}, Infrastructure: {}}
accounts:
  management: {purpose: management, ou: root}
  network: {purpose: network, ou: Infrastructure}
  shared-services: {purpose: shared-services, ou: Infrastructure}
  web-dev: {purpose: workload, ou: Workloads/NonProd, stage: dev}
  web-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}
network:
  supernet: 10.0.0.0/8
  pools: {prod: 10.0.0.0/12, nonprod: 10.16.0.0/12, shared: 10.32.0.0/16}
  segments:
    prod: {reaches: [shared]}
    nonprod: {reaches: [shared]}
    shared: {reaches: [prod, nonprod]}
  invariants:
    - no_path: {from: nonprod, to: prod}
"""


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
    tables = {
        next(t["Value"] for t in table["Tags"] if t["Key"] == "orgstack:segment"): table[
            "TransitGatewayRouteTableId"
        ]
        for table in hub.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]
        if any(t["Key"] == "orgstack:segment" for t in table.get("Tags", []))
    }
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
