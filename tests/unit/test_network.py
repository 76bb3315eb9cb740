"""The network: section compiled: ranges allocated and recorded ones kept, the proofs validate
gives (no overlap, each invariant, with both owners and the path named), exact problems, and
the resources its kind derives (tables from the segments, subnets, routes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from orgstack.errors import SpecError
from orgstack.kinds.network.desired import desired
from orgstack.kinds.network.render import detail
from orgstack.plan.model import Action, Change
from orgstack.spec.loader import load_spec

SPEC = """\
organization:
  name: acme
  home_region: eu-west-1
  allowed_regions: [eu-west-1, eu-central-1]
  email_pattern: aws+{account}@acme.example
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
ONPREM = "  onprem: {prefixes: [192.168.0.0/16], vpn: {ip: 203.0.113.10, asn: 65000}}\n"


def load(tmp_path: Path, text: str = SPEC) -> Any:
    path = tmp_path / "orgstack.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SpecError) as error:
        load(tmp_path, text)
    return [f"{p.line}:{p.column}: {p.message}" for p in error.value.problems]


def test_stage_accounts_get_ranges_in_their_segments_pool(tmp_path: Path) -> None:
    section = load(tmp_path).sections["network"]
    assert section["members"] == {
        "shared-services": "shared",
        "web-dev": "nonprod",
        "web-prod": "prod",
    }
    assert section["ranges"] == {
        "shared-services": {"eu-west-1": "10.32.0.0/22"},
        "web-dev": {"eu-west-1": "10.16.0.0/22"},
        "web-prod": {"eu-west-1": "10.0.0.0/22"},
    }
    assert section["room"] == {
        "prod": {"prefix": 22, "count": 1023},
        "nonprod": {"prefix": 22, "count": 1023},
        "shared": {"prefix": 22, "count": 63},
    }


def test_a_recorded_range_stays_and_a_new_account_takes_the_next_free_block(tmp_path: Path) -> None:
    text = (
        SPEC.replace(
            "  web-dev:",
            "  app-dev: {purpose: workload, ou: Workloads/NonProd, stage: dev}\n  web-dev:",
        )
        + "  ranges:\n    web-dev: {eu-west-1: 10.16.0.0/22}\n    gone-dev: {eu-west-1: 10.16.4.0/22}\n"
    )
    section = load(tmp_path, text).sections["network"]
    # app-dev sorts first but web-dev keeps its range; gone-dev left the spec, its range stays taken
    assert section["ranges"]["web-dev"] == {"eu-west-1": "10.16.0.0/22"}
    assert section["ranges"]["app-dev"] == {"eu-west-1": "10.16.8.0/22"}
    assert section["new_ranges"] == [
        "app-dev/eu-west-1",
        "shared-services/eu-west-1",
        "web-prod/eu-west-1",
    ]


def test_segments_that_let_nonprod_reach_prod_fail_with_the_path(tmp_path: Path) -> None:
    direct = SPEC.replace("nonprod: {reaches: [shared]}", "nonprod: {reaches: [shared, prod]}")
    assert problems(tmp_path, direct) == [
        "21:16: network.invariants[0]: no_path from nonprod to prod is broken: nonprod → prod"
    ]
    through = SPEC.replace(
        "shared: {reaches: [prod, nonprod]}", "shared: {reaches: [prod, nonprod], forwards: true}"
    )
    assert problems(tmp_path, through) == [
        "21:16: network.invariants[0]: no_path from nonprod to prod is broken: nonprod → shared → prod"
    ]


def test_overlapping_ranges_fail_naming_both_owners(tmp_path: Path) -> None:
    text = (
        SPEC
        + "  reserved: {datacenter: 10.16.0.0/16}\n  ranges:\n    web-dev: {eu-west-1: 10.16.0.0/22}\n"
    )
    assert problems(tmp_path, text) == [
        "24:26: network: web-dev/eu-west-1 (10.16.0.0/22) overlaps reserved datacenter "
        "(10.16.0.0/16); no two ranges may share an address"
    ]
    text = (
        SPEC
        + "  ranges:\n    web-dev: {eu-west-1: 10.0.0.0/22}\n    web-prod: {eu-west-1: 10.0.0.0/24}\n"
    )
    assert problems(tmp_path, text) == [
        "23:26: network: web-dev/eu-west-1: 10.0.0.0/22 is outside its pool nonprod (10.16.0.0/12)",
        "24:27: network: web-prod/eu-west-1 (10.0.0.0/24) overlaps web-dev/eu-west-1 "
        "(10.0.0.0/22); no two ranges may share an address",
    ]


def test_pools_segments_and_the_onprem_link_are_checked(tmp_path: Path) -> None:
    assert problems(tmp_path, SPEC.replace("shared: 10.32.0.0/16", "shared: 10.32.0.1/16")) == [
        "15:61: network.pools.shared: 10.32.0.1/16 has host bits set"
    ]
    assert problems(tmp_path, SPEC.replace("shared: 10.32.0.0/16", "shared: 10.15.0.0/16")) == [
        "15:61: network.pools: shared (10.15.0.0/16) overlaps prod (10.0.0.0/12); each "
        "segment's pool must be its own"
    ]
    assert problems(tmp_path, SPEC.replace("shared: 10.32.0.0/16", "shared: 10.32.0.0/23")) == [
        "15:61: network: shared-services/eu-west-1: pool shared (10.32.0.0/23) has no free /22 left"
    ]
    assert problems(tmp_path, SPEC.replace("supernet: 10.0.0.0/8", "supernet: 10.0.0.0/12")) == [
        "15:39: network.pools.nonprod: 10.16.0.0/12 is outside the supernet 10.0.0.0/12",
        "15:61: network.pools.shared: 10.32.0.0/16 is outside the supernet 10.0.0.0/12",
    ]
    assert problems(
        tmp_path,
        SPEC.replace(
            "    prod: {reaches: [shared]}", "    prod: {reaches: [shard, shared, shared]}"
        ),
    ) == [
        "17:22: network.segments.prod.reaches: no segment 'shard' (did you mean 'shared'?)",
        "17:37: network.segments.prod.reaches: shared is listed twice",
    ]
    assert problems(tmp_path, SPEC.replace("  invariants:", ONPREM + "  invariants:")) == [
        "20:3: network: segment onprem and network.onprem go together (the segment holds the "
        "on-premise link)"
    ]
    assert problems(
        tmp_path, SPEC.replace("  supernet:", "  account: management\n  supernet:")
    ) == [
        "14:12: network.account: management is the management account; the Transit Gateway "
        "belongs in a member account only network specialists change"
    ]


def test_tables_follow_the_segments_and_onprem_gets_static_routes(tmp_path: Path) -> None:
    text = SPEC.replace("    prod: {reaches: [shared]}", "    prod: {reaches: [shared, onprem]}")
    text = text.replace(
        "  invariants:", "    onprem: {reaches: [prod]}\n" + ONPREM + "  invariants:"
    )
    model = load(tmp_path, text)
    found = desired(model, {"account:management": "111111111111", "organization": "o-abc"})
    tables = {a.rsplit("/", 1)[-1]: v for a, v in found.items() if "/table/" in a}
    assert {k: (v["associations"], v["propagations"], v["routes"]) for k, v in tables.items()} == {
        "nonprod": (["web-dev"], ["shared-services", "web-dev"], {}),
        "onprem": (["onprem"], ["web-prod"], {}),
        "prod": (["web-prod"], ["shared-services", "web-prod"], {"192.168.0.0/16": "onprem"}),
        "shared": (["shared-services"], ["shared-services", "web-dev", "web-prod"], {}),
    }
    assert found["network:web-prod/eu-west-1/routes"]["destinations"] == [
        "10.0.0.0/12", "10.32.0.0/16", "192.168.0.0/16"
    ]  # fmt: skip
    assert found["network:web-dev/eu-west-1/vpc"]["subnets"] == ["10.16.0.0/23", "10.16.2.0/23"]
    assert found["network:network/eu-west-1/share"]["principals"] == [
        "arn:aws:organizations::111111111111:organization/o-abc"
    ]
    onprem = found["network:network/eu-west-1/onprem"]
    assert onprem == {"region": "eu-west-1", "ip": "203.0.113.10", "asn": 65000, "static": True}


def test_plan_lines_say_what_each_part_does(tmp_path: Path) -> None:
    found = desired(load(tmp_path), {})
    lines = [
        detail(Change(address, Action.CREATE, None, value, "declared"))
        for address, value in found.items()
        if address.startswith(("network:network/", "network:web-dev/"))
    ]
    assert lines == [
        "eu-west-1: Transit Gateway, ASN 64512, no default route table",
        "eu-west-1: the Transit Gateway shared with the organization only",
        "eu-west-1: segment nonprod: associates web-dev; routes to shared-services, web-dev",
        "eu-west-1: segment prod: associates web-prod; routes to shared-services, web-prod",
        "eu-west-1: segment shared: associates shared-services; routes to shared-services, "
        "web-dev, web-prod",
        "eu-west-1: VPC 10.16.0.0/22 (nonprod), 2 private subnets",
        "eu-west-1: attached to network's Transit Gateway, segment nonprod, accepted there",
        "eu-west-1: routes 10.16.0.0/12, 10.32.0.0/16 to the Transit Gateway",
    ]


SHARE_OUS = "  share_with: [ou:Workloads, ou:Infrastructure]\n"


def test_the_gateway_can_be_shared_with_ous_naming_each_by_id_or_placeholder(
    tmp_path: Path,
) -> None:
    model = load(tmp_path, SPEC.replace("  invariants:", SHARE_OUS + "  invariants:"))
    assert model.sections["network"]["share_with"] == ["ou:Infrastructure", "ou:Workloads"]
    ids = {"account:management": "111111111111", "organization": "o-abc"}
    found = desired(model, {**ids, "ou:Workloads": "ou-ab12-workload"})
    share = found["network:network/eu-west-1/share"]
    assert share["principals"] == [
        "arn:aws:organizations::111111111111:ou/o-abc/ou-ab12-workload",
        "arn:aws:organizations::111111111111:ou/o-abc/{ou:Infrastructure}",
    ]
    assert detail(Change("network:network/eu-west-1/share", Action.CREATE, None, share, "")) == (
        "eu-west-1: the Transit Gateway shared with ou-ab12-workload, ou:Infrastructure only"
    )


def test_share_with_names_known_ous_once_and_holds_every_member(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        SPEC.replace("  invariants:", "  share_with: [ou:Workload, organization]\n  invariants:"),
    ) == [
        "20:16: network.share_with: no OU 'Workload' (did you mean 'Workloads'?)",
        "20:29: network.share_with: organization holds every OU; list it alone or list OUs only",
    ]
    assert problems(
        tmp_path,
        SPEC.replace(
            "  invariants:", "  share_with: [ou:Workloads/Prod, ou:Workloads/Prod]\n  invariants:"
        ),
    ) == [
        "20:15: network.share_with: shared-services (in Infrastructure) gets a VPC in shared but "
        "is in none of ou:Workloads/Prod: it would never see the Transit Gateway; share with its "
        "OU too",
        "20:15: network.share_with: web-dev (in Workloads/NonProd) gets a VPC in nonprod but is "
        "in none of ou:Workloads/Prod: it would never see the Transit Gateway; share with its OU "
        "too",
        "20:35: network.share_with: ou:Workloads/Prod is listed twice",
    ]


DX = "  onprem: {prefixes: [192.168.0.0/16], dx: {asn: 65100}}\n"


def _with_dx(onprem: str = DX) -> str:
    text = SPEC.replace("    prod: {reaches: [shared]}", "    prod: {reaches: [shared, onprem]}")
    return text.replace(
        "  invariants:", "    onprem: {reaches: [prod]}\n" + onprem + "  invariants:"
    )


def test_a_direct_connect_gateway_advertises_what_onprem_reaches_and_is_propagated(
    tmp_path: Path,
) -> None:
    found = desired(load(tmp_path, _with_dx()), {"account:management": "1" * 12})
    assert found["network:network/eu-west-1/dx"] == {
        "region": "eu-west-1",
        "name": "orgstack",
        "asn": 65100,
        "allowed": ["10.0.0.0/12"],
    }
    assert "network:network/eu-west-1/onprem" not in found  # no VPN
    tables = {a.rsplit("/", 1)[-1]: v for a, v in found.items() if "/table/" in a}
    assert {k: (v["associations"], v["propagations"], v["routes"]) for k, v in tables.items()} == {
        "nonprod": (["web-dev"], ["shared-services", "web-dev"], {}),
        "onprem": (["onprem"], ["web-prod"], {}),
        "prod": (["web-prod"], ["onprem", "shared-services", "web-prod"], {}),
        "shared": (["shared-services"], ["shared-services", "web-dev", "web-prod"], {}),
    }
    change = Change("network:network/eu-west-1/dx", Action.CREATE, None, found[
        "network:network/eu-west-1/dx"], "")  # fmt: skip
    assert detail(change) == (
        "eu-west-1: Direct Connect gateway orgstack (ASN 65100) associated, advertising "
        "10.0.0.0/12 to on-premise"
    )


def test_the_onprem_link_is_one_and_a_direct_connect_gateway_keeps_awss_limits(
    tmp_path: Path,
) -> None:
    both = "  onprem: {prefixes: [192.168.0.0/16], dx: {asn: 65100}, vpn: {ip: 203.0.113.10, asn: 65000}}\n"
    assert problems(tmp_path, _with_dx(both)) == [
        "21:3: network.onprem: declare vpn or dx, one of them (a static VPN's routes would take "
        "every route a Direct Connect gateway learns)"
    ]
    assert problems(tmp_path, _with_dx(DX.replace("65100", "64512"))) == [
        "21:50: network.onprem.dx.asn: 64512 must be private (64512-65534 or "
        "4200000000-4294967294) and not network.asn (64512)"
    ]
    assert problems(tmp_path, _with_dx(DX.replace("65100", "70000"))) == [
        "21:50: network.onprem.dx.asn: 70000 must be private (64512-65534 or "
        "4200000000-4294967294) and not network.asn (64512)"
    ]
    text = _with_dx().replace("    onprem: {reaches: [prod]}", "    onprem: {reaches: []}")
    assert problems(tmp_path, text) == [
        "21:40: network.onprem.dx: it advertises the pools segment onprem reaches, and it "
        "reaches none"
    ]
    two = _with_dx().replace("  supernet:", "  regions: [eu-west-1, eu-central-1]\n  supernet:")
    assert problems(tmp_path, two) == [
        "22:40: network.onprem.dx: a Direct Connect gateway needs a unique ASN per Transit "
        "Gateway, and network.asn is one: declare one Region"
    ]
