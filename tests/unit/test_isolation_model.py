"""Isolation's pure analysis: whom a statement admits, the paths a policy opens between
domains, allowances, and the stage matrix — exact values for each principal form AWS has."""

from __future__ import annotations

from typing import Any

import pytest

from orgstack.model.isolation import (
    OUTSIDE,
    Accounts,
    Admits,
    Allowance,
    Path,
    admits,
    judged,
    matrix,
    policy_paths,
)

ORG = "o-abc123"
DEV, PROD, BUILD, STRANGER = "111111111111", "222222222222", "333333333333", "999999999999"
ACCOUNTS = Accounts(
    ids={"web-dev": DEV, "web-prod": PROD, "build": BUILD},
    domains={"web-dev": "dev", "web-prod": "prod", "build": "build"},
    stages=frozenset({"dev", "prod"}),
    org_id=ORG,
)


def allow(principal: Any, **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": "*"}
    if condition:
        statement["Condition"] = condition
    return statement


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (allow({"AWS": DEV}), Admits(accounts=frozenset({DEV}))),
        (allow({"AWS": f"arn:aws:iam::{DEV}:root"}), Admits(accounts=frozenset({DEV}))),
        (allow({"AWS": [f"arn:aws:iam::{DEV}:role/App", f"arn:aws:sts::{BUILD}:assumed-role/x/y"]}),
         Admits(accounts=frozenset({DEV, BUILD}))),
        (allow("*"), Admits(anyone=True)),
        (allow({"AWS": "*"}, StringEquals={"aws:PrincipalOrgID": ORG}), Admits(organization=True)),
        (allow({"AWS": "*"}, StringEquals={"aws:PrincipalOrgID": "o-other"}), Admits(anyone=True)),
        (allow({"AWS": "*"}, **{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG}/r-1/*"]}}),
         Admits(organization=True)),
        (allow({"AWS": "*"}, StringEquals={"aws:PrincipalAccount": [DEV]}),
         Admits(accounts=frozenset({DEV}))),
        (allow({"AWS": "*"}, ArnLike={"aws:PrincipalArn": f"arn:aws:iam::{PROD}:role/*"}),
         Admits(accounts=frozenset({PROD}))),
        (allow({"AWS": [DEV, PROD]}, StringEquals={"aws:PrincipalAccount": PROD}),
         Admits(accounts=frozenset({PROD}))),
        (allow({"Service": "cloudtrail.amazonaws.com"}), Admits()),
        (allow({"Federated": "arn:aws:iam::111111111111:oidc-provider/x"}), Admits()),
        ({"Effect": "Deny", "Principal": "*", "Action": "*"}, Admits()),
        ({"Effect": "Allow", "NotPrincipal": {"AWS": DEV}, "Action": "*"}, Admits(anyone=True)),
    ],
)  # fmt: skip
def test_whom_a_statement_admits(statement: dict[str, Any], expected: Admits) -> None:
    assert admits(statement, ORG) == expected


def test_a_prod_role_trusting_dev_and_the_organization_opens_paths_from_each_other_domain() -> None:
    trust = {
        "Statement": [
            allow({"AWS": f"arn:aws:iam::{DEV}:root"}) | {"Sid": "DevCanAssume"},
            allow({"AWS": "*"}, StringEquals={"aws:PrincipalOrgID": ORG}),
            allow({"AWS": STRANGER}),
        ]
    }
    role = f"arn:aws:iam::{PROD}:role/App"
    found = policy_paths("iam-trust", "web-prod", role, trust, ACCOUNTS, "narrow the trust")
    assert [(p.source, p.source_domain, p.opening) for p in found] == [
        ("web-dev", "dev", "statement DevCanAssume"),
        ("build", "build", "statement 1"),
        ("web-dev", "dev", "statement 1"),
        (STRANGER, OUTSIDE, "statement 2"),
    ]
    assert found[0] == Path(
        "iam-trust", "web-dev", "dev", "web-prod", "prod", role, "statement DevCanAssume",
        "narrow the trust",
    )  # fmt: skip


def test_a_same_domain_or_non_stage_path_is_not_isolations() -> None:
    trust = {"Statement": [allow({"AWS": [DEV, BUILD, PROD]})]}
    assert policy_paths("iam-trust", "web-dev", "r", trust, ACCOUNTS, "") == [
        Path("iam-trust", "web-prod", "prod", "web-dev", "dev", "r", "statement 0", ""),
        Path("iam-trust", "build", "build", "web-dev", "dev", "r", "statement 0", ""),
    ]  # by account id
    # Between two non-stage accounts: not a stage's isolation.
    ours = Accounts(ACCOUNTS.ids, {**ACCOUNTS.domains, "web-dev": "shared-services"},
                    frozenset({"prod"}), ORG)  # fmt: skip
    assert policy_paths("iam-trust", "web-dev", "r", {"Statement": [allow({"AWS": BUILD})]},
                        ours, "") == []  # fmt: skip


def test_allowances_match_side_kind_and_resource_and_the_matrix_counts_stage_pairs() -> None:
    paths = [
        Path("resource-policy", "web-prod", "prod", "build", "build",
             "arn:aws:s3:::artifacts", "statement 0", ""),
        Path("iam-trust", "build", "build", "web-prod", "prod",
             f"arn:aws:iam::{PROD}:role/deploy", "statement 0", ""),
        Path("iam-trust", "web-dev", "dev", "web-prod", "prod",
             f"arn:aws:iam::{PROD}:role/App", "statement 0", ""),
    ]  # fmt: skip
    rules = [
        Allowance("prod", "build", "resource-policy", "arn:aws:s3:::artifacts"),
        Allowance("account:build", "*", "iam-trust", "arn:aws:iam::*:role/deploy"),
    ]
    found, allowed = judged(paths, rules)
    assert found == [paths[2]] and allowed == paths[:2]
    assert judged(paths, [Allowance("prod", "build", "iam-trust")])[0] == paths
    assert matrix(found, {"dev", "prod"}) == {
        "dev": {"dev": 0, "prod": 1},
        "prod": {"dev": 0, "prod": 0},
    }


def test_segments_that_reach_each_other_open_network_paths_with_the_hop_chain() -> None:
    from orgstack.model.isolation import segment_paths

    section = {
        "segments": {
            "prod": {"reaches": ["shared"], "forwards": False},
            "nonprod": {"reaches": ["shared", "onprem"], "forwards": False},
            "shared": {"reaches": ["prod", "nonprod"], "forwards": False},
            "onprem": {"reaches": ["prod"], "forwards": True},
        },
        "members": {"web-dev": "nonprod", "web-prod": "prod", "build": "shared"},
    }
    found = segment_paths(section, ACCOUNTS)
    assert [(p.source, p.target, p.resource, p.opening, p.fix) for p in found] == [
        ("build", "web-dev", "segment shared → nonprod", "shared → nonprod",
         "remove nonprod from network.segments.shared.reaches"),
        ("build", "web-prod", "segment shared → prod", "shared → prod",
         "remove prod from network.segments.shared.reaches"),
        ("web-dev", "build", "segment nonprod → shared", "nonprod → shared",
         "remove shared from network.segments.nonprod.reaches"),
        ("web-dev", "web-prod", "segment nonprod → prod", "nonprod → onprem → prod",
         "remove prod from network.segments.onprem.reaches"),
        ("web-prod", "build", "segment prod → shared", "prod → shared",
         "remove shared from network.segments.prod.reaches"),
    ]  # fmt: skip


def test_a_share_with_the_organization_or_an_ou_reaches_each_account_below_it() -> None:
    from orgstack.model.isolation import share_paths

    org_arn = f"arn:aws:organizations::{BUILD}:organization/{ORG}"
    ou_arn = f"arn:aws:organizations::{BUILD}:ou/{ORG}/ou-ab12-dev00000"
    found = share_paths("web-prod", "s", ["arn:r"], [org_arn], ACCOUNTS, {})
    assert [(p.source, p.target) for p in found] == [("build", "web-prod"), ("web-dev", "web-prod")]
    found = share_paths("web-prod", "s", ["arn:r"], [ou_arn], ACCOUNTS,
                        {"ou-ab12-dev00000": ["web-dev"]})  # fmt: skip
    assert [(p.source, p.fix) for p in found] == [
        ("web-dev", "disassociate web-dev from resource share s (ram:DisassociateResourceShare)")
    ]
    assert share_paths("web-prod", "s", ["arn:r"], [PROD], ACCOUNTS, {}) == []  # itself


def test_a_peering_carries_traffic_only_from_the_side_that_routes_to_it() -> None:
    from orgstack.model.isolation import peering_paths

    peering = {
        "VpcPeeringConnectionId": "pcx-1",
        "Status": {"Code": "active"},
        "RequesterVpcInfo": {"OwnerId": DEV, "Region": "eu-west-1", "CidrBlock": "10.1.0.0/16"},
        "AccepterVpcInfo": {"OwnerId": PROD, "Region": "eu-west-1", "CidrBlock": "10.2.0.0/16"},
    }
    assert [
        (p.source, p.target) for p in peering_paths("web-dev", [peering], {"pcx-1"}, ACCOUNTS)
    ] == [("web-dev", "web-prod")]
    assert peering_paths("web-prod", [peering], set(), ACCOUNTS) == []  # no route: nothing flows
    rejected = peering | {"Status": {"Code": "rejected"}}
    assert peering_paths("web-dev", [rejected], {"pcx-1"}, ACCOUNTS) == []


def test_platform_accounts_paths_are_left_to_the_access_check() -> None:
    org = Accounts(
        ids={**ACCOUNTS.ids, "management": "444444444444", "log-archive": "555555555555"},
        domains={**ACCOUNTS.domains, "management": "management", "log-archive": "log-archive"},
        stages=ACCOUNTS.stages,
        org_id=ORG,
    )
    into_prod = {"Statement": [allow({"AWS": "444444444444"})]}
    assert policy_paths("iam-trust", "web-prod", "r", into_prod, org, "") == []
    logs = {"Statement": [allow({"AWS": "*"}, StringEquals={"aws:PrincipalOrgID": ORG})]}
    assert policy_paths("resource-policy", "log-archive", "b", logs, org, "") == []
    # Into prod from the whole organization: every workload domain but the platform's.
    assert [p.source for p in policy_paths("resource-policy", "web-prod", "b", logs, org, "")] == [
        "build", "web-dev"
    ]  # fmt: skip


def test_a_transit_gateway_table_opens_paths_from_what_it_associates_to_what_it_routes_to() -> None:
    from orgstack.model.isolation import table_paths

    tables = [
        {"region": "eu-west-1", "segment": "nonprod", "associations": ["web-dev"],
         "propagations": ["web-dev", "build"], "routes": {"10.0.0.0/16": "web-prod"}},
        {"region": "eu-west-1", "segment": "prod", "associations": ["web-prod"],
         "propagations": ["web-prod"], "routes": {}},
    ]  # fmt: skip
    found = table_paths(tables, ACCOUNTS)
    assert [(p.source, p.target, p.resource) for p in found] == [
        ("web-dev", "build", "segment nonprod → ?"),
        ("web-dev", "web-prod", "segment nonprod → prod"),
    ]
    assert found[1].opening == (
        "the Transit Gateway table nonprod (eu-west-1) associates web-dev's attachment and "
        "routes to web-prod"
    )


def test_two_stages_in_one_segment_reach_each_other() -> None:
    from orgstack.model.isolation import segment_paths

    section = {
        "segments": {"nonprod": {"reaches": [], "forwards": False}},
        "members": {"web-dev": "nonprod", "web-prod": "nonprod"},
    }
    assert [(p.source, p.target, p.opening, p.fix) for p in segment_paths(section, ACCOUNTS)] == [
        (
            "web-dev",
            "web-prod",
            "both in segment nonprod",
            "give dev and prod segments of their own",
        ),
        (
            "web-prod",
            "web-dev",
            "both in segment nonprod",
            "give prod and dev segments of their own",
        ),
    ]
