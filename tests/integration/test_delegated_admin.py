"""Delegated administrators on moto (with the sandbox's shims): the security account is
registered for every service the spec names after the plan enabled their trusted access;
plan is empty afterwards; an out-of-band deregistration is drift and is restored; moving the
administration to another account is one update; removal needs --allow-delete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now

SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  security: {purpose: security, ou: root}
  audit: {purpose: security, ou: root}
security: {account: security}
"""
PRINCIPALS = [
    "access-analyzer.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
]


def registered() -> dict[str, str]:
    client = boto3.client("organizations", region_name="us-east-1")
    found = {}
    for admin in client.list_delegated_administrators()["DelegatedAdministrators"]:
        services = client.list_delegated_services_for_account(AccountId=admin["Id"])
        for service in services["DelegatedServices"]:
            found[service["ServicePrincipal"]] = admin["Id"]
    return found


def changes(plan: Any, prefix: str) -> list[tuple[str, Action]]:
    return [(c.address, c.action) for c in plan.changes if c.address.startswith(prefix)]


def test_the_security_account_administers_every_service_then_plan_is_empty(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert changes(plan, "trusted-access:") == [
        (f"trusted-access:organization/{p}", Action.CREATE) for p in PRINCIPALS
    ]
    assert changes(plan, "delegated-admin:") == [
        (f"delegated-admin:organization/{p}", Action.CREATE) for p in PRINCIPALS
    ]
    assert apply_now(plan, data).ok
    security = account_ids()["security"]
    assert registered() == dict.fromkeys(PRINCIPALS, security)
    assert plan_now()[0].empty


def test_deregistered_out_of_band_is_drift_and_restored(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    security = account_ids()["security"]
    boto3.client("organizations", region_name="us-east-1").deregister_delegated_administrator(
        AccountId=security, ServicePrincipal="securityhub.amazonaws.com"
    )
    plan, data = plan_now()
    assert changes(plan, "") == [
        ("delegated-admin:organization/securityhub.amazonaws.com", Action.CREATE)
    ]
    assert apply_now(plan, data).ok
    assert registered()["securityhub.amazonaws.com"] == security


def test_another_account_takes_over_in_one_update_and_removal_needs_allow_delete(
    aws: None, workdir: Path
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    spec.write_text(SPEC.replace("account: security}", "account: audit, services: [guardduty]}"))
    plan, data = plan_now()
    address = "delegated-admin:organization/guardduty.amazonaws.com"
    update = next(c for c in plan.changes if c.address == address)
    assert (update.action, update.before["account"], update.after["account"]) == (  # type: ignore[index]
        Action.UPDATE, "security", "audit",
    )  # fmt: skip
    assert changes(plan, "delegated-admin:") == [(address, Action.UPDATE)]
    assert sorted(u.address for u in plan.unmanaged) == [
        f"delegated-admin:organization/{p}" for p in PRINCIPALS if p != "guardduty.amazonaws.com"
    ]
    assert apply_now(plan, data).ok
    ids = account_ids()
    assert registered()["guardduty.amazonaws.com"] == ids["audit"]
    assert registered()["securityhub.amazonaws.com"] == ids["security"]  # left alone
    plan, data = plan_now(allow_delete=True)
    assert changes(plan, "delegated-admin:") == [
        (f"delegated-admin:organization/{p}", Action.DELETE)
        for p in PRINCIPALS
        if p != "guardduty.amazonaws.com"
    ]
    assert apply_now(plan, data).ok
    assert registered() == {"guardduty.amazonaws.com": ids["audit"]}
    assert plan_now()[0].empty


def test_plain_moto_lacks_what_the_shim_adds() -> None:
    """Without the shim moto refuses securityhub and registers without trusted access."""
    script = """
import boto3
from moto import mock_aws
with mock_aws():
    o = boto3.client("organizations", region_name="us-east-1")
    o.create_organization(FeatureSet="ALL")
    a = o.create_account(AccountName="s", Email="s@x.example")["CreateAccountStatus"]["AccountId"]
    o.register_delegated_administrator(AccountId=a, ServicePrincipal="guardduty.amazonaws.com")
    try:
        o.register_delegated_administrator(AccountId=a, ServicePrincipal="securityhub.amazonaws.com")
    except o.exceptions.InvalidInputException as e:
        print("refused:", e.response["Error"]["Message"])
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "refused: You specified an unrecognized service principal."


def test_the_shim_refuses_a_principal_without_trusted_access(orgs: Any) -> None:
    orgs.create_organization(FeatureSet="ALL")
    account = orgs.create_account(AccountName="s", Email="s@x.example")["CreateAccountStatus"][
        "AccountId"
    ]
    with pytest.raises(orgs.exceptions.InvalidInputException):
        orgs.register_delegated_administrator(
            AccountId=account, ServicePrincipal="securityhub.amazonaws.com"
        )
    orgs.enable_aws_service_access(ServicePrincipal="securityhub.amazonaws.com")
    orgs.register_delegated_administrator(
        AccountId=account, ServicePrincipal="securityhub.amazonaws.com"
    )
