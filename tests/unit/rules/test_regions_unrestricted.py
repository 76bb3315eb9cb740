"""LZ207 regions-unrestricted."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

REGION_DENY = "[{Effect: Deny, NotAction: 'iam:*', Resource: '*', Condition: {StringNotEquals: {'aws:RequestedRegion': [eu-west-1]}}}]"


def test_attached_region_guardrail_passes(tmp_path: Path) -> None:
    assert run("LZ207", spec("policies:\n" + scp("regions", REGION_DENY)), tmp_path) == []


def test_no_or_unattached_region_guardrail_is_reported(tmp_path: Path) -> None:
    text = spec("policies:\n" + scp("regions", REGION_DENY, "[]") + scp("leave", DENY_LEAVE))
    assert run("LZ207", text, tmp_path) == [
        ("organization", "no SCP denies Regions outside eu-west-1")
    ]


ACCOUNTS = """\
organizational_units: {Workloads: {children: {Dev: {}, Prod: {}}}}
accounts:
  management: {purpose: management, ou: root, email: root@acme.example}
  app-dev: {purpose: workload, ou: Workloads/Dev, stage: dev}
  app-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}
  web-prod: {purpose: workload, ou: Workloads/Prod, stage: prod}
  network: {purpose: network, ou: root}
policies:
"""


def test_a_workload_ou_that_lost_its_region_guardrail_is_reported_with_its_accounts(
    tmp_path: Path,
) -> None:
    text = spec(ACCOUNTS + scp("regions", REGION_DENY, "[ou:Workloads/Dev]"))
    assert run("LZ207", text, tmp_path) == [
        (
            "ou:Workloads/Prod",
            "app-prod, web-prod (Workloads/Prod): no SCP on the root, the OUs above or the "
            "account denies Regions outside eu-west-1",
        )
    ]


def test_a_guardrail_on_a_parent_ou_covers_every_account_below(tmp_path: Path) -> None:
    assert (
        run("LZ207", spec(ACCOUNTS + scp("regions", REGION_DENY, "[ou:Workloads]")), tmp_path) == []
    )
