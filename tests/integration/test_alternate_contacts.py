"""Alternate contacts on moto: trusted access enabled first, every account's contacts set
from the management account (the default, overridden per account), updates in full, leftovers
reported and deleted only with --allow-delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now

SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  web-dev: {purpose: workload, ou: root, stage: dev}
alternate_contacts:
  default:
    security: {name: Security Team, title: CISO office, email: security@acme.example, phone: '+1 555 0100'}
  accounts:
    web-dev:
      operations: {name: Web Team, title: On call, email: web-oncall@acme.example, phone: '+1 555 0101'}
"""
SECURITY = {
    "name": "Security Team",
    "title": "CISO office",
    "email": "security@acme.example",
    "phone": "+1 555 0100",
}
OPERATIONS = {
    "name": "Web Team",
    "title": "On call",
    "email": "web-oncall@acme.example",
    "phone": "+1 555 0101",
}


def contact(account_id: str | None, type_: str) -> dict[str, str] | None:
    client = boto3.client("account", region_name="us-east-1")
    kwargs: dict[str, Any] = {"AlternateContactType": type_.upper()}
    if account_id:
        kwargs["AccountId"] = account_id
    try:
        found = client.get_alternate_contact(**kwargs)["AlternateContact"]
    except client.exceptions.ResourceNotFoundException:
        return None
    return {
        "name": found["Name"],
        "title": found["Title"],
        "email": found["EmailAddress"],
        "phone": found["PhoneNumber"],
    }


def kind_changes(plan: Any) -> list[tuple[str, Action, Any, Any]]:
    return [
        (c.address, c.action, c.before, c.after)
        for c in plan.changes
        if c.address.startswith(("alternate-contact:", "trusted-access:"))
    ]


def test_contacts_are_set_after_trusted_access_and_then_plan_empty(
    orgs: Any, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert kind_changes(plan) == [
        (
            "trusted-access:organization/account.amazonaws.com",
            Action.CREATE,
            None,
            {"enabled": True},
        ),
        ("alternate-contact:web-dev/operations", Action.CREATE, None, OPERATIONS),
        ("alternate-contact:management/security", Action.CREATE, None, SECURITY),
        ("alternate-contact:web-dev/security", Action.CREATE, None, SECURITY),
    ]
    from orgstack.apply.engine import dependencies

    deps = dependencies(plan.changes)
    trusted = [c.address for c in plan.changes].index(
        "trusted-access:organization/account.amazonaws.com"
    )
    contact_changes = [
        i for i, c in enumerate(plan.changes) if c.address.startswith("alternate-contact:")
    ]
    assert all(trusted in deps[i] for i in contact_changes)
    assert apply_now(plan, data).ok
    dev = account_ids()["web-dev"]
    assert contact(None, "security") == SECURITY
    assert contact(dev, "security") == SECURITY
    assert contact(dev, "operations") == OPERATIONS
    assert contact(dev, "billing") is None
    assert plan_now()[0].empty


def test_contacts_added_to_existing_accounts_are_set_after_trusted_access(
    orgs: Any, workdir: Path
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC.split("alternate_contacts:", maxsplit=1)[0])
    assert apply_now(*plan_now()).ok
    spec.write_text(SPEC)
    plan, data = plan_now()
    assert [(c.address, c.action) for c in plan.changes] == [
        ("trusted-access:organization/account.amazonaws.com", Action.CREATE),
        ("alternate-contact:web-dev/operations", Action.CREATE),
        ("alternate-contact:management/security", Action.CREATE),
        ("alternate-contact:web-dev/security", Action.CREATE),
    ]
    assert apply_now(plan, data).ok
    assert contact(account_ids()["web-dev"], "operations") == OPERATIONS
    assert plan_now()[0].empty


def test_an_update_carries_the_whole_contact(orgs: Any, workdir: Path) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    spec.write_text(SPEC.replace("web-oncall@", "web-team@"))
    plan, data = plan_now()
    assert kind_changes(plan) == [
        (
            "alternate-contact:web-dev/operations",
            Action.UPDATE,
            {"email": "web-oncall@acme.example"},
            {**OPERATIONS, "email": "web-team@acme.example"},
        )
    ]
    assert apply_now(plan, data).ok
    assert contact(account_ids()["web-dev"], "operations") == {
        **OPERATIONS,
        "email": "web-team@acme.example",
    }


def test_a_contact_left_out_is_reported_and_deleted_only_when_allowed(
    orgs: Any, workdir: Path
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    without = SPEC.split("  accounts:\n    web-dev:\n", maxsplit=1)[0]
    spec.write_text(without)
    plan, _ = plan_now()
    assert plan.empty
    assert [(u.address, u.note) for u in plan.unmanaged] == [
        (
            "alternate-contact:web-dev/operations",
            "orgstack's, no longer in the spec (plan with --allow-delete to delete it)",
        )
    ]
    plan, data = plan_now(allow_delete=True)
    assert kind_changes(plan) == [
        ("alternate-contact:web-dev/operations", Action.DELETE, OPERATIONS, None)
    ]
    assert apply_now(plan, data).ok
    assert contact(account_ids()["web-dev"], "operations") is None


def test_an_unknown_account_is_a_precise_error(workdir: Path) -> None:
    import pytest

    from orgstack.errors import SpecError
    from orgstack.spec.loader import load_spec

    (workdir / "orgstack.yaml").write_text(
        SPEC.replace("    web-dev:\n      oper", "    web-deb:\n      oper")
    )
    with pytest.raises(SpecError) as error:
        load_spec(workdir / "orgstack.yaml")
    assert [str(p) for p in error.value.problems] == [
        f"{workdir / 'orgstack.yaml'}:9:5: alternate_contacts.accounts.web-deb: no account "
        "'web-deb' (did you mean 'web-dev'?); use a key of accounts"
    ]


def test_the_sandbox_refuses_contacts_without_trusted_access(orgs: Any) -> None:
    import pytest
    from botocore.exceptions import ClientError

    orgs.create_organization(FeatureSet="ALL")
    member = orgs.create_account(AccountName="m", Email="m@acme.example")["CreateAccountStatus"][
        "AccountId"
    ]
    client = boto3.client("account", region_name="us-east-1")
    with pytest.raises(ClientError) as refused:
        client.put_alternate_contact(
            AccountId=member,
            AlternateContactType="SECURITY",
            Name="n",
            Title="t",
            EmailAddress="e@acme.example",
            PhoneNumber="1",
        )
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    orgs.enable_aws_service_access(ServicePrincipal="account.amazonaws.com")
    client.put_alternate_contact(
        AccountId=member,
        AlternateContactType="SECURITY",
        Name="n",
        Title="t",
        EmailAddress="e@acme.example",
        PhoneNumber="1",
    )
